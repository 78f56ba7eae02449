"""Privacy in storage: erased means gone from the database file; the file is the owner's."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from relaybot.domain.model import Flag, State
from relaybot.storage import inbox, incidents, retention, withdrawals
from relaybot.storage.db import Database, readonly_uri

NOW = 1_700_000_000.0
DAY = 86400.0
SECRET = "Zilveren-bestelbus-XK-042-ZZ"  # an invented number plate
AUTHOR = "Hanneke Oude-Luttikhuis-Testnaam"
NOTE = "Notitie-van-beheerder-Qwerty"
FOLLOWUP = "Vervolgbericht-Plofkraak-Testtekst"
CALLER = "Marloes Beller-Testnaam"


def file_bytes(path: Path) -> bytes:
    """Everything SQLite keeps on disk for this database: the file, its -wal and -shm."""
    found = b""
    for side in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if side.exists():
            found += side.read_bytes()
    return found


async def incident_with_everything(db: Database, state: State, closed_at: float) -> int:
    """An incident with text, author, note, a follow-up, a 112 report, a withdrawn report
    and a delivered outbox row that carried the text."""
    async with db.transaction() as conn:
        made = await incidents.create(
            conn,
            source_slug="goor-oost",
            source_chat_id=-101,
            origin_message_id=10,
            text=SECRET * 20,  # long enough to spill into an overflow page
            media=None,
            note=NOTE,
            author=AUTHOR,
            created_at=NOW,
        )
        await incidents.add_followup(
            conn,
            incident=made.number,
            chat_id=-101,
            message_id=11,
            text=FOLLOWUP,
            media=None,
            place="Goor Oost",
            at=NOW,
        )
        await incidents.set_flag(conn, made.number, Flag(NOW + 60, CALLER, "Goor Oost", -101))
        await withdrawals.withdraw(conn, made.number, NOW + 90, AUTHOR, -101, "Goor Oost")
        await incidents.set_flag(conn, made.number, Flag(NOW + 120, CALLER, "Goor Oost", -101))
        payload = json.dumps({"html": f"{SECRET} — {AUTHOR} — {NOTE}"})
        await conn.execute(  # a delivered send that carried the text (raw: the outbox's own
            "INSERT INTO outbox (chat_id, priority, action, incident, payload, status,"  # API
            " created_at, done_at) VALUES (-1001000000001, 1, 'send', ?, ?, 'done', ?, ?)",
            (made.number, payload, NOW, NOW),
        )
        await incidents.close(conn, made.number, state, closed_at, by=AUTHOR, note=NOTE)
    return made.number


@pytest.mark.parametrize("state", [State.RESOLVED, State.RETRACTED])
async def test_an_erased_incident_is_gone_from_the_file_bytes(tmp_path: Path, state: State) -> None:
    """retention_days after it closes (a retracted false alarm: at once) an incident's text,
    author, note, follow-up, the names of who reported and withdrew 112, and its outbox
    payloads are erased, and none of those bytes is left in the database file or its WAL;
    what the reports count (state, times, source, the 112 time) stays."""
    path = tmp_path / "data" / "relaybot.sqlite3"
    db = await Database(path).open()
    closed = NOW + 3600
    number = await incident_with_everything(db, state, closed)
    await db.checkpoint()
    assert SECRET.encode() in file_bytes(path)  # the test can see the text before erasure

    early = await retention.sweep(db, closed + 89 * DAY, retention_days=90)
    assert early == (1 if state is State.RETRACTED else 0)
    erased = await retention.sweep(db, closed + 90 * DAY, retention_days=90)
    assert early + erased == 1
    async with db.reading() as conn:
        kept = await incidents.get(conn, number)
    on_disk = file_bytes(path)  # while the bot still runs: the -wal file too
    await db.close()
    on_disk += file_bytes(path)

    for private in (SECRET, AUTHOR, NOTE, FOLLOWUP, CALLER):
        assert private.encode() not in on_disk, private
    assert kept is not None and kept.state is state and kept.text == "" and kept.author == ""
    assert kept.created_at == NOW and kept.closed_at == closed
    assert kept.flag is not None and kept.flag.at == NOW + 120 and kept.flag.place == "Goor Oost"


async def test_an_open_or_recent_incident_is_kept(tmp_path: Path) -> None:
    """An incident still open, or closed less than retention_days ago, keeps its text."""
    db = await Database(tmp_path / "db.sqlite3").open()
    number = await incident_with_everything(db, State.RESOLVED, NOW)
    assert await retention.sweep(db, NOW + 30 * DAY, retention_days=90) == 0
    async with db.reading() as conn:
        kept = await incidents.get(conn, number)
    await db.close()
    assert kept is not None and kept.text.startswith(SECRET) and kept.author == AUTHOR


@pytest.mark.parametrize(("retention_days", "kept_days"), [(90, 7), (3, 3)])
async def test_an_update_set_aside_is_gone_after_a_week_or_sooner(
    tmp_path: Path, retention_days: int, kept_days: int
) -> None:
    """An update set aside keeps what someone wrote for inspection for a week, or for
    retention_days when that is shorter."""
    db = await Database(tmp_path / "db.sqlite3").open()
    body = json.dumps({"update_id": 5, "message": {"text": SECRET}})
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO inbox (update_id, body, received_at) VALUES (5, ?, 0)", (body,)
        )
        await inbox.set_aside(conn, 5, "message", "BadRequest", NOW)
    await retention.sweep(db, NOW + (kept_days - 1) * DAY, retention_days=retention_days)
    assert SECRET.encode() in file_bytes(db.path)
    await retention.sweep(db, NOW + kept_days * DAY, retention_days=retention_days)
    await db.close()
    assert SECRET.encode() not in file_bytes(tmp_path / "db.sqlite3")


async def test_forgetting_a_person_erases_their_updates_set_aside(tmp_path: Path) -> None:
    """/vergeet and /stop erase what a person's set-aside updates hold (a private sign-up
    answer with a phone number), and nobody else's."""
    db = await Database(tmp_path / "db.sqlite3").open()
    mine = {"chat": {"id": 44, "type": "private"}, "from": {"id": 44}, "text": "06 9999 0001"}
    theirs = {"chat": {"id": -100, "type": "supergroup"}, "from": {"id": 45}, "text": "anders"}
    press = {"id": "q", "from": {"id": 44}, "data": "x"}
    async with db.transaction() as conn:
        for update_id, key, content in ((1, "message", mine), (2, "message", theirs),
                                        (3, "callback_query", press)):  # fmt: skip
            body = json.dumps({"update_id": update_id, key: content})
            await conn.execute(
                "INSERT INTO inbox (update_id, body, received_at) VALUES (?, ?, 0)",
                (update_id, body),
            )
            await inbox.set_aside(conn, update_id, key, "BadRequest", NOW)
        assert await inbox.forget_set_aside_of(conn, 44) == 2
    async with db.reading() as conn:
        left = await conn.execute_fetchall("SELECT update_id FROM inbox_set_aside")
    await db.close()
    assert [row[0] for row in left] == [2]


async def test_a_withdrawn_report_stays_in_the_history(tmp_path: Path) -> None:
    """/niet112 clears the report from the incident (the next one wins as if first) and keeps
    it, with who withdrew it, in the incident's history; without a report nothing changes."""
    db = await Database(tmp_path / "db.sqlite3").open()
    async with db.transaction() as conn:
        made = await incidents.create(
            conn,
            source_slug="goor-oost",
            source_chat_id=-101,
            origin_message_id=10,
            text="Verdachte man",
            media=None,
            note="",
            author="",
            created_at=NOW,
        )
        assert await withdrawals.withdraw(conn, made.number, NOW, "Anna", -101) is None
        assert await incidents.set_flag(conn, made.number, Flag(NOW + 1, "Bram", "Goor", -101))
        gone = await withdrawals.withdraw(conn, made.number, NOW + 2, "Anna", -102, "Goor Noord")
        assert gone is not None and gone.report.by == "Bram" and gone.withdrawn_by == "Anna"
        shown = await incidents.get(conn, made.number)
        assert shown is not None and shown.flag is None
        assert shown.withdrawn is not None and shown.withdrawn.by == "Anna"
        assert await incidents.set_flag(conn, made.number, Flag(NOW + 3, "Carla", "Goor", -101))
        history = await withdrawals.withdrawals(conn, made.number)
        now_flag = (await incidents.get(conn, made.number)).flag
    await db.close()
    assert [(w.report.by, w.withdrawn_by) for w in history] == [("Bram", "Anna")]
    assert now_flag is not None and now_flag.by == "Carla"


async def test_database_file_and_folder_are_private(tmp_path: Path) -> None:
    """A new database is created 0600 in a new folder 0700; an existing 0644 file (from an
    older version) is made 0600 when the bot opens it."""
    path = tmp_path / "data" / "relaybot.sqlite3"
    db = await Database(path).open()
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO handled (key, at) VALUES ('x', 1)")
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()}
    await db.close()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert modes["relaybot.sqlite3"] == 0o600
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes
    path.chmod(0o644)
    db = await Database(path).open()
    await db.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_a_hash_in_the_database_path_opens_that_file(tmp_path: Path) -> None:
    """The read-only connection's URI is escaped: a folder named with '#' or '?' opens the
    database inside it, not a file named by the part before the '#'."""
    path = tmp_path / "buurt#1?x" / "relaybot.sqlite3"
    db = await Database(path).open()
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO handled (key, at) VALUES ('seen', 1)")
    assert db.quick_one("SELECT at FROM handled WHERE key = ?", ("seen",)) == (1.0,)
    await db.close()
    assert not (tmp_path / "buurt").exists()
    with sqlite3.connect(readonly_uri(path), uri=True) as conn:
        assert conn.execute("SELECT count(*) FROM handled").fetchone() == (1,)
