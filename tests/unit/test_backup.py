"""`relaybot backup FILE`: an online copy of the SQLite database that restores whole, 0600."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from relaybot.cli import main
from relaybot.storage import chats, incidents
from relaybot.storage.db import Database

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "network.example.toml"

NOW = 1_700_000_000.0


@pytest.fixture
async def db(sqlite_db: Database) -> Database:
    """`relaybot backup` copies the SQLite file: these tests run on SQLite alone (PostgreSQL
    is backed up with its own tools, see the last tests here)."""
    return sqlite_db


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db_path: Path) -> Path:
    """`relaybot` reads RELAYBOT_DATABASE = db_path, from a folder without a .env file."""
    for name in ("RELAYBOT_DATABASE_URL", "RELAYBOT_NETWORK_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RELAYBOT_DATABASE", str(db_path))
    monkeypatch.chdir(tmp_path)
    return db_path


async def new_incident(db: Database, message_id: int) -> int:
    """An incident relayed from message `message_id`; its number."""
    async with db.transaction() as conn:
        incident = await incidents.create(
            conn,
            source_slug="goor-oost",
            source_chat_id=-101,
            origin_message_id=message_id,
            text=f"Verdachte man bij huisnummer {message_id}",
            media=None,
            note="",
            author="",
            created_at=NOW + message_id,
        )
    return incident.number


async def fill(db: Database) -> None:
    """A few incidents and a linked chat, as a running bot leaves them (in the -wal file: no
    checkpoint)."""
    for message_id in (10, 11, 12):
        await new_incident(db, message_id)
    async with db.transaction() as conn:
        await chats.link(conn, "stokkum", -1009999000001, "Buurtpreventie Stokkum", "x", NOW)


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, read without changing the file."""
    uri = path.resolve().as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        names = [
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        every = {name: sorted(conn.execute(f'SELECT * FROM "{name}"'), key=repr) for name in names}
        every["user_version"] = list(conn.execute("PRAGMA user_version"))
    return every


async def test_a_backup_made_beside_the_running_bot_restores_every_row(
    env: Path, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """While the bot holds the database open (its latest writes still in the -wal file),
    `relaybot backup FILE` writes one file, mode 0600, that put in the database's place holds
    exactly the same rows, and the bot's numbering goes on after them."""
    await fill(db)
    target = tmp_path / "backups" / "relaybot-2026-12-07.sqlite3"
    assert main(["backup", str(target)]) == 0
    assert str(target) in capsys.readouterr().out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not target.with_name(target.name + "-wal").exists()
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left

    restored = tmp_path / "restored" / "relaybot.sqlite3"
    restored.parent.mkdir()
    shutil.copy(target, restored)
    assert rows(restored) == rows(env)
    reopened = await Database(restored).open()
    try:
        assert await new_incident(reopened, 13) == 4
    finally:
        await reopened.close()


async def test_an_existing_file_is_kept_unless_forced(
    env: Path, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --force an existing FILE is left as it was, with one line saying how to
    replace it; with --force it is replaced by the backup."""
    await fill(db)
    target = tmp_path / "backup.sqlite3"
    target.write_text("last week's notes", encoding="utf-8")
    assert main(["backup", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "last week's notes"
    assert main(["backup", "--force", str(target)]) == 0
    assert rows(target) == rows(env)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_without_a_database_nothing_is_written(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No database yet: one line naming it and RELAYBOT_DATABASE; no file appears."""
    target = tmp_path / "backup.sqlite3"
    assert main(["backup", str(target)]) == 2
    err = capsys.readouterr().err
    assert str(env) in err and "RELAYBOT_DATABASE" in err and err.count("\n") == 1
    assert not target.exists()


async def test_an_unwritable_folder_is_one_line(
    env: Path, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FILE in a folder that cannot be made (a file is in its way): one line naming it."""
    (tmp_path / "blocked").write_text("", encoding="utf-8")
    assert main(["backup", str(tmp_path / "blocked" / "backup.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("relaybot: cannot write") and err.count("\n") == 1


def leftovers(folder: Path) -> list[str]:
    """Temporary files a failed backup left in ``folder``."""
    return [path.name for path in folder.glob(".backup*")]


def garble_a_page(path: Path) -> None:
    """Overwrite the top page of a table with many rows: SQLite cannot read it."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.executemany(
            "INSERT INTO chat_links (slug, chat_id, title, decided_by, at) VALUES (?, ?, ?, ?, ?)",
            [(f"wijk-{n}", -1009000000000 - n, f"Wijk {n}", "x", NOW) for n in range(2000)],
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        ((size,),) = conn.execute("PRAGMA page_size")
        ((root,),) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'chat_links'")
    data = bytearray(path.read_bytes())
    start = (root - 1) * size
    data[start + 12 : start + size] = b"\xff" * (size - 12)
    path.write_bytes(bytes(data))


def stale_index(path: Path) -> None:
    """An index that no longer matches its table (readable, but wrong): rows changed while
    the index was hidden from SQLite."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (x INTEGER)")
        conn.execute("CREATE INDEX notes_x ON notes (x)")
        conn.executemany("INSERT INTO notes VALUES (?)", [(n,) for n in range(100)])
        conn.commit()
        entry = conn.execute("SELECT * FROM sqlite_master WHERE name = 'notes_x'").fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("DELETE FROM sqlite_master WHERE name = 'notes_x'")
        conn.commit()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE notes SET x = x + 1000")
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", entry)
        conn.commit()


@pytest.mark.parametrize("damage", [garble_a_page, stale_index])
async def test_a_damaged_database_gives_no_backup(
    env: Path,
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: Callable[[Path], None],
) -> None:
    """A database SQLite cannot read whole, or whose copy fails SQLite's integrity check,
    gives no backup, and one line says so (a damaged backup would only be found on the day
    it is needed)."""
    await fill(db)
    await db.close()
    damage(env)
    target = tmp_path / "backup.sqlite3"
    assert main(["backup", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(env) in err
    assert "integrity check" in err or "malformed" in err, err
    assert not target.exists() and leftovers(tmp_path) == []


def test_on_postgresql_it_points_to_pg_dump(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With RELAYBOT_DATABASE_URL naming PostgreSQL, one line points to pg_dump (and never
    shows the URL, which may hold a password)."""
    monkeypatch.setenv("RELAYBOT_DATABASE_URL", "postgresql://relaybot:geheim@db/relaybot")
    assert main(["backup", str(tmp_path / "backup.dump")]) == 2
    err = capsys.readouterr().err
    assert "pg_dump" in err and err.count("\n") == 1 and "geheim" not in err


def test_run_on_an_unreachable_postgresql_is_one_line_without_the_password(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`relaybot run` with RELAYBOT_DATABASE_URL naming a PostgreSQL nobody answers on stops
    before asking Telegram anything, with one line naming the database (never its
    password)."""
    monkeypatch.setenv("RELAYBOT_DATABASE_URL", "postgresql://relaybot:geheim@127.0.0.1:9/rb")
    monkeypatch.setenv("RELAYBOT_TOKEN", "123456:TEST")
    monkeypatch.setenv("RELAYBOT_NETWORK_FILE", str(EXAMPLE))
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot open database" in err, err
    assert "postgresql://relaybot:***@127.0.0.1:9/rb" in err and "geheim" not in err
