"""`relaybot copy-database` and `relaybot migrate`: a network moves between SQLite and
PostgreSQL without losing a row."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from relaybot.cli import main
from relaybot.domain.intents import Say
from relaybot.domain.moderation import WarningKind
from relaybot.domain.signup import Answers
from relaybot.storage import (
    activity,
    chats,
    counters,
    engine,
    inbox,
    incidents,
    moderation,
    outbox,
    signups,
)
from relaybot.storage.copy import tables
from relaybot.storage.db import Database
from relaybot.storage.migrations import MIGRATIONS
from tests.unit.test_backup import new_incident

NOW = 1_700_000_000.0


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("RELAYBOT_DATABASE_URL", "RELAYBOT_DATABASE", "RELAYBOT_NETWORK_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def fill(db: Database) -> None:
    """Something in every kind of table a running bot writes."""
    numbers = [await new_incident(db, message_id) for message_id in (10, 11, 12)]
    async with db.transaction() as conn:
        for number in numbers:
            await incidents.add_followup(
                conn,
                incident=number,
                chat_id=-101,
                message_id=50 + number,
                text="en nu",
                media=None,
                place="Goor",
                at=NOW + 60,
            )
        await outbox.enqueue(conn, Say(-101, "Dag allemaal"), NOW)
        await chats.link(conn, "stokkum", -1009999000001, "Buurtpreventie Stokkum", "x", NOW)
        await chats.record_move(conn, -55, -1005500000000, NOW)
        await counters.count(conn, "goor-oost", "signups", NOW)
        await moderation.add_warning(conn, -101, 7, NOW, WarningKind.MANUAL, "te vaak")
        made = await signups.create(conn, 501, NOW, NOW + 1800)
        await signups.submit(conn, made.id, Answers("Jan", "Dorpsstraat 1", "goor-oost"), NOW)
        await activity.watch(conn, ["goor-oost", "markelo"], NOW)
        await activity.saw(conn, "goor-oost", NOW + 5)
        await inbox.store_answer(
            conn, '{"ok": true, "result": [{"update_id": 41, "message": {"text": "hoi"}}]}', NOW
        )


async def run(*args: str) -> int:
    """`relaybot ARGS` (its own event loop, on a thread of its own)."""
    return await asyncio.to_thread(main, list(args))


async def dump(where: Path | str) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted."""
    db = await engine.database(where).open()
    try:
        async with db.reading() as conn:
            return {
                table: sorted(
                    (tuple(row) for row in await conn.execute_fetchall(f"SELECT * FROM {table}")),
                    key=repr,
                )
                for table in await tables(conn)
            }
    finally:
        await db.close()


async def test_a_network_moves_to_postgresql_and_back_without_losing_a_row(
    env: Path, sqlite_db: Database, db_path: Path, postgres_server, capsys: pytest.CaptureFixture
) -> None:
    """SQLite -> PostgreSQL -> a new SQLite file: every table holds the same rows, and on
    PostgreSQL the next incident gets the next number (not #1 again)."""
    await fill(sqlite_db)
    await sqlite_db.close()
    url = await postgres_server.fresh()
    assert await run("copy-database", "--from", f"sqlite:{db_path}", "--to", url) == 0
    assert "rows in" in capsys.readouterr().out
    back = env / "back.sqlite3"
    assert await run("copy-database", "--from", url, "--to", str(back)) == 0
    before, after = await dump(db_path), await dump(back)
    assert after == before
    assert sum(map(len, before.values())) > 20 and before["inbox"]
    moved = await engine.database(url).open()
    try:
        assert await new_incident(moved, 99) == 4
    finally:
        await moved.close()


async def test_a_copy_into_a_database_that_holds_rows_is_refused(
    env: Path, sqlite_db: Database, db_path: Path, postgres_server, capsys: pytest.CaptureFixture
) -> None:
    """Two networks' rows are never mixed: a target with rows is refused in one line, and
    keeps what it had."""
    await fill(sqlite_db)
    await sqlite_db.close()
    url = await postgres_server.fresh()
    assert await run("copy-database", "--from", str(db_path), "--to", url) == 0
    capsys.readouterr()
    assert await run("copy-database", "--from", str(db_path), "--to", url) == 2
    assert "not empty" in capsys.readouterr().err
    assert await dump(url) == await dump(db_path)


def test_a_missing_source_file_is_one_line(env: Path, capsys: pytest.CaptureFixture) -> None:
    """A source file that does not exist is named; no empty database is made in its place."""
    assert main(["copy-database", "--from", "nowhere.sqlite3", "--to", "copy.sqlite3"]) == 2
    assert "no database at nowhere.sqlite3" in capsys.readouterr().err
    assert not (env / "nowhere.sqlite3").exists()


async def test_migrate_brings_either_engine_to_the_schema(
    env: Path,
    database_target: Path | str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    """`relaybot migrate` applies every migration and says which number the schema is at;
    run again it changes nothing."""
    if isinstance(database_target, Path):
        monkeypatch.setenv("RELAYBOT_DATABASE", str(database_target))
    else:
        monkeypatch.setenv("RELAYBOT_DATABASE_URL", database_target)
    for _ in range(2):
        assert await run("migrate") == 0
        assert f"schema at migration {len(MIGRATIONS)}" in capsys.readouterr().out
