"""SQLite storage: migrations, connection settings, incidents, the 112 flag and the outbox."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import aiosqlite
import pytest

from relaybot.domain.intents import Alert, Intent, Say
from relaybot.domain.model import Copy, Flag, Incident, Role, State
from relaybot.storage import chats, counters, idempotency, incidents, outbox
from relaybot.storage.db import Database, StorageError, fetch_one, is_postgres
from relaybot.storage.migrations import MIGRATIONS
from relaybot.storage.outbox import Priority

NOW = 1_700_000_000.0
TABLES = {
    "incidents",
    "followups",
    "copies",
    "outbox",
    "handled",
    "chat_links",
    "chat_moves",
    "chat_notes",
    "counters",
}


async def tables(conn: aiosqlite.Connection) -> set[str]:
    sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    if is_postgres(conn):
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return {row[0] for row in await conn.execute_fetchall(sql)}


async def scalar(conn: aiosqlite.Connection, sql: str, *args: object) -> object:
    row = await fetch_one(conn, sql, args)
    assert row is not None
    return row[0]


async def new_incident(db: Database, message_id: int = 10, chat_id: int = -101) -> Incident:
    async with db.transaction() as conn:
        return await incidents.create(
            conn,
            source_slug="goor-oost",
            source_chat_id=chat_id,
            origin_message_id=message_id,
            text="Verdachte man",
            media=None,
            note="",
            author="",
            created_at=NOW,
        )


# --- migrations and connection ----------------------------------------------------------


async def test_migrations_on_an_empty_database(db: Database) -> None:
    """A new database gets every table and user_version equal to the number of migrations."""
    assert await db.version() == len(MIGRATIONS)
    assert await tables(db.conn) >= TABLES


async def test_reopening_is_a_no_op_and_keeps_data(db_path: Path) -> None:
    """Opening an up-to-date database again changes neither its version nor its data."""
    first = await Database(db_path).open()
    made = await new_incident(first)
    await first.close()
    again = await Database(db_path).open()
    try:
        assert await again.version() == len(MIGRATIONS)
        async with again.reading() as conn:
            assert await incidents.get(conn, made.number) == made
    finally:
        await again.close()


async def test_failing_migration_rolls_back_entirely(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration whose second statement fails leaves no trace; the version is unchanged."""
    broken = (*MIGRATIONS, ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL"))
    monkeypatch.setattr("relaybot.storage.db.MIGRATIONS", broken)
    database = Database(db_path)
    with pytest.raises(StorageError):
        await database.open()
    await database.close()
    async with aiosqlite.connect(db_path) as conn:
        assert await scalar(conn, "PRAGMA user_version") == len(MIGRATIONS)
        found = await tables(conn)
    assert "half_done" not in found
    assert found >= TABLES


async def test_database_folder_is_created(tmp_path: Path) -> None:
    """Opening a database in a folder that does not exist yet creates the folder."""
    path = tmp_path / "deep" / "er" / "relaybot.sqlite3"
    database = await Database(path).open()
    await database.close()
    assert path.is_file()


async def test_a_database_removed_or_replaced_under_the_bot_is_noticed(db_path: Path) -> None:
    """`lost()` is None while the file at the path is the one opened, and one line naming the
    path once it was removed or another file was put in its place (a backup restored over it
    while the bot runs)."""
    db = await Database(db_path).open()
    try:
        assert db.lost() is None
        other = db_path.with_name("other.sqlite3")
        shutil.copy(db_path, other)
        os.replace(other, db_path)
        assert f"database {db_path} was replaced by another file" in (db.lost() or "")
        os.unlink(db_path)
        assert f"database {db_path} was removed" in (db.lost() or "")
    finally:
        await db.close()
    memory = await Database(":memory:").open()
    try:
        assert memory.lost() is None  # no file: nothing to lose
    finally:
        await memory.close()


async def test_wal_mode_and_foreign_keys_are_on(sqlite_db: Database) -> None:
    """The connection uses WAL and enforces foreign keys."""
    assert str(await scalar(sqlite_db.conn, "PRAGMA journal_mode")).lower() == "wal"
    assert await scalar(sqlite_db.conn, "PRAGMA foreign_keys") == 1
    with pytest.raises(aiosqlite.IntegrityError):
        async with sqlite_db.transaction() as conn:
            await incidents.add_copy(conn, Copy(999, -101, 1, Role.ALERT))


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    """An exception inside a transaction undoes its writes."""
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await idempotency.claim(conn, "update-1", NOW)
            raise RuntimeError("boom")
    async with db.transaction() as conn:
        assert await idempotency.claim(conn, "update-1", NOW)


# --- incidents --------------------------------------------------------------------------


async def test_incident_numbers_unique_and_increasing_under_concurrency(db: Database) -> None:
    """50 concurrent creates get the numbers 1..50, each once; the next one gets 51."""
    made = await asyncio.gather(*(new_incident(db, message_id=i) for i in range(50)))
    numbers = [i.number for i in made]
    assert sorted(numbers) == list(range(1, 51))
    assert (await new_incident(db, message_id=99)).number == 51


async def test_create_records_the_original_as_a_copy(db: Database) -> None:
    """The message an incident starts from is its first copy."""
    made = await new_incident(db, message_id=77)
    async with db.reading() as conn:
        copy = await incidents.copy_at(conn, -101, 77)
        assert copy == Copy(made.number, -101, 77, Role.ORIGINAL)
        assert await incidents.holding_chats(conn, made.number) == [-101]


async def test_set_flag_wins_once_under_concurrency(db: Database) -> None:
    """Of 20 concurrent reports exactly one records the flag, and it is the stored one."""
    made = await new_incident(db)

    async def report(i: int) -> bool:
        async with db.transaction() as conn:
            return await incidents.set_flag(conn, made.number, Flag(NOW + i, f"r{i}", "p", -i))

    results = await asyncio.gather(*(report(i) for i in range(20)))
    assert results.count(True) == 1
    winner = results.index(True)
    async with db.reading() as conn:
        stored = await incidents.get(conn, made.number)
    assert stored is not None and stored.flag is not None
    assert stored.flag.by == f"r{winner}"


async def test_set_flag_wins_once_across_two_connections(db_path: Path) -> None:
    """Two processes (two connections to one file) reporting at once give one winner."""
    one = await Database(db_path).open()
    two = await Database(db_path).open()
    try:
        made = await new_incident(one)

        async def report(database: Database, i: int) -> bool:
            async with database.transaction() as conn:
                flag = Flag(NOW, f"r{i}", "p", -i)
                return await incidents.set_flag(conn, made.number, flag)

        results = await asyncio.gather(*(report(one if i % 2 else two, i) for i in range(20)))
        assert results.count(True) == 1
        async with two.reading() as conn:
            stored = await incidents.get(conn, made.number)
        assert stored is not None and stored.flag is not None
        assert stored.flag.by == f"r{results.index(True)}"
    finally:
        await one.close()
        await two.close()


async def test_set_flag_refused_on_a_closed_incident(db: Database) -> None:
    """A report on a resolved incident records nothing."""
    made = await new_incident(db)
    async with db.transaction() as conn:
        assert await incidents.close(conn, made.number, State.RESOLVED, NOW, "Anna")
        assert not await incidents.set_flag(conn, made.number, Flag(NOW, "Bram", "p", -1))
        stored = await incidents.get(conn, made.number)
    assert stored is not None
    assert stored.flag is None
    assert stored.state is State.RESOLVED


async def test_close_only_once(db: Database) -> None:
    """Closing an already closed incident reports False and keeps the first closing."""
    made = await new_incident(db)
    async with db.transaction() as conn:
        assert await incidents.close(conn, made.number, State.RESOLVED, NOW, "Anna", "klaar")
        assert not await incidents.close(conn, made.number, State.EXPIRED, NOW + 1)
        stored = await incidents.get(conn, made.number)
    assert stored is not None
    assert stored.state is State.RESOLVED
    assert stored.closing_note == "klaar"


async def test_open_incidents_of_a_chat_newest_first(db: Database) -> None:
    """A chat lists only the open incidents it holds, newest first."""
    a = await new_incident(db, message_id=1)
    b = await new_incident(db, message_id=2)
    c = await new_incident(db, message_id=3)
    other = await new_incident(db, message_id=4, chat_id=-102)
    async with db.transaction() as conn:
        await incidents.close(conn, b.number, State.RESOLVED, NOW)
        found = await incidents.open_incidents(conn, [-101])
        everything = await incidents.open_incidents(conn)
    assert [i.number for i in found] == [c.number, a.number]
    assert [i.number for i in everything] == [other.number, c.number, a.number]


# --- handled updates --------------------------------------------------------------------


async def test_claim_is_true_only_the_first_time(db: Database) -> None:
    """An update key is handled once; its redelivery is recognised."""
    async with db.transaction() as conn:
        assert await idempotency.claim(conn, "update-7", NOW)
        assert not await idempotency.claim(conn, "update-7", NOW + 5)
        assert await idempotency.claim(conn, "update-8", NOW)


# --- outbox -----------------------------------------------------------------------------


async def enqueue(db: Database, intent: Intent) -> int:
    async with db.transaction() as conn:
        return await outbox.enqueue(conn, intent, NOW)


async def test_due_gives_one_row_per_chat_most_urgent_first(db: Database) -> None:
    """Each chat's most urgent row is due; 112 rows go before ordinary ones."""
    a_normal = await enqueue(db, Say(-1, "alert"))
    b_low = await enqueue(db, Say(-2, "follow-up", priority=Priority.LOW))
    await enqueue(db, Say(-1, "x"))
    a_flag = await enqueue(db, Say(-1, "112", priority=Priority.FLAG))
    c_normal = await enqueue(db, Say(-3, "alert"))
    async with db.reading() as conn:
        rows = await outbox.due(conn, NOW, busy=set())
    assert [r.id for r in rows] == [a_flag, c_normal, b_low]
    assert a_normal not in [r.id for r in rows]
    assert len({r.chat_id for r in rows}) == len(rows)


async def test_due_skips_busy_chats(db: Database) -> None:
    """A chat that is being delivered to gets no second row at the same time."""
    await enqueue(db, Say(-1, "alert"))
    b = await enqueue(db, Say(-2, "alert"))
    async with db.reading() as conn:
        rows = await outbox.due(conn, NOW, busy={-1})
    assert [r.id for r in rows] == [b]


async def test_due_skips_rows_postponed_into_the_future(db: Database) -> None:
    """A postponed row is not due until its time has come."""
    a = await enqueue(db, Say(-1, "alert"))
    b = await enqueue(db, Say(-2, "alert"))
    async with db.transaction() as conn:
        await outbox.postpone(conn, a, NOW + 30, "429")
        assert [r.id for r in await outbox.due(conn, NOW, set())] == [b]
        later = await outbox.due(conn, NOW + 30, set())
        assert {r.id for r in later} == {a, b}
        await outbox.done(conn, b, NOW)
        assert await outbox.next_due_at(conn) == NOW + 30


async def test_postponed_row_keeps_its_chat_in_order(db: Database) -> None:
    """While a chat's first row waits, its later rows wait too (no overtaking)."""
    first = await enqueue(db, Say(-1, "alert"))
    await enqueue(db, Say(-1, "refresh"))
    async with db.transaction() as conn:
        await outbox.postpone(conn, first, NOW + 30, "429")
        assert await outbox.due(conn, NOW, set()) == []


async def test_due_respects_the_limit(db: Database) -> None:
    """No more rows than asked for are handed out."""
    for chat in range(5):
        await enqueue(db, Say(-chat - 1, "alert"))
    async with db.reading() as conn:
        assert len(await outbox.due(conn, NOW, set(), limit=3)) == 3


async def test_done_rows_are_no_longer_due(db: Database) -> None:
    """A delivered row is not handed out again, and the chat's next row comes up."""
    a = await enqueue(db, Say(-1, "alert"))
    b = await enqueue(db, Say(-1, "x"))
    async with db.transaction() as conn:
        await outbox.done(conn, a, NOW, message_id=500)
        assert [r.id for r in await outbox.due(conn, NOW, set())] == [b]


async def test_fail_chat_gives_up_on_that_chat_only(db: Database) -> None:
    """fail_chat marks every pending row of one chat failed and leaves other chats alone."""
    await enqueue(db, Say(-1, "alert"))
    await enqueue(db, Say(-1, "x"))
    b = await enqueue(db, Say(-2, "alert"))
    async with db.transaction() as conn:
        assert await outbox.fail_chat(conn, -1, NOW, "Forbidden") == 2
        assert [r.id for r in await outbox.due(conn, NOW, set())] == [b]
        assert await outbox.counts(conn) == {"failed": 2, "pending": 1}
        assert await outbox.fail_chat(conn, -1, NOW, "Forbidden") == 0


async def test_move_chat_moves_pending_rows_only(db: Database) -> None:
    """After a group migrates, its pending rows go to the new id; finished rows stay."""
    sent = await enqueue(db, Say(-1, "alert"))
    waiting = await enqueue(db, Say(-1, "x"))
    async with db.transaction() as conn:
        await outbox.done(conn, sent, NOW, message_id=1)
        await outbox.move_chat(conn, -1, -1000)
        rows = await outbox.due(conn, NOW, set())
        old_chat = await scalar(conn, "SELECT chat_id FROM outbox WHERE id = ?", sent)
    assert [(r.id, r.chat_id) for r in rows] == [(waiting, -1000)]
    assert old_chat == -1


async def test_outbox_payload_round_trips(db: Database) -> None:
    """A row's payload comes back as it was queued."""
    async with db.transaction() as conn:
        await outbox.enqueue(conn, Say(-1, "<b>x</b> & y", reply_to=5), NOW)
        (row,) = await outbox.due(conn, NOW, set())
    assert row.intent == Say(-1, "<b>x</b> & y", reply_to=5)
    assert row.priority == Priority.NORMAL


async def test_holding_chats_include_pending_alerts(db: Database) -> None:
    """A chat whose alert is still queued already holds the incident."""
    made = await new_incident(db)
    async with db.transaction() as conn:
        await outbox.enqueue(conn, Alert(-5, made.number), NOW)
        await outbox.enqueue(conn, Say(-6, "x", incident=made.number), NOW)
        assert await incidents.holding_chats(conn, made.number) == [-101, -5]


async def test_chat_moves_and_counters(db: Database) -> None:
    """Moves are remembered, links follow them, and counters add up per metric."""
    async with db.transaction() as conn:
        await chats.link(conn, "goor-centrum", -103, "Goor Centrum", "Anna", NOW)
        await chats.record_move(conn, -103, -1103, NOW)
        await counters.count(conn, "goor-oost", "duplicates_prevented", NOW)
        await counters.count(conn, "goor-west", "duplicates_prevented", NOW, 2)
        assert await chats.moves(conn) == {-103: -1103}
        assert await chats.links(conn) == {"goor-centrum": -1103}
        assert await counters.counter_total(conn, "duplicates_prevented") == 3
        assert await counters.counter_total(conn, "flag_reports") == 0


async def test_next_due_ignores_rows_of_busy_chats(db: Database) -> None:
    """The worker waits for the next row it could start: rows of a chat whose lane is busy
    (waiting in its flood window) do not make it look again at once."""
    from relaybot.storage import outbox

    async with db.transaction() as conn:
        await outbox.enqueue(conn, Say(-1, "x"), 0.0)
        later = await outbox.enqueue(conn, Say(-2, "x"), 0.0)
        await outbox.postpone(conn, later, 50.0, "waiting", count=False)
    async with db.reading() as conn:
        assert await outbox.next_due_at(conn) == 0.0
        assert await outbox.next_due_at(conn, {-1}) == 50.0
        assert await outbox.next_due_at(conn, {-1, -2}) is None


async def test_the_workers_inline_reads_see_what_was_committed_last(db: Database) -> None:
    """The worker reads which rows are next inline, on the read-only connection: it sees a
    row the moment its transaction commits, the same rows as a read through aiosqlite, and
    their columns by name (as the delivery plan reads them)."""
    async with db.transaction() as conn:
        first = await outbox.enqueue(conn, Say(-1, "x"), 0.0)
    async with db.reading_inline() as reads:
        inline = await outbox.heads(reads, 1.0, set(), 4)
        assert not isinstance(reads, aiosqlite.Connection)  # no trip to aiosqlite's thread
    async with db.reading() as conn:
        through_thread = await outbox.heads(conn, 1.0, set(), 4)
    assert [r.id for r in inline.rows] == [r.id for r in through_thread.rows] == [first]
    async with db.transaction() as conn:
        second = await outbox.enqueue(conn, Say(-2, "x"), 0.0)
    async with db.reading_inline() as reads:
        again = await outbox.heads(reads, 1.0, set(), 4)
        (row,) = await reads.execute_fetchall("SELECT chat_id FROM outbox WHERE id = ?", (second,))
    assert {r.id for r in again.rows} == {first, second}
    assert row["chat_id"] == -2


async def test_inline_reads_of_an_in_memory_database_go_through_aiosqlite() -> None:
    """No second connection can see an in-memory database: its reads take the usual way."""
    memory = await Database(":memory:").open()
    try:
        async with memory.reading_inline() as conn:
            assert isinstance(conn, aiosqlite.Connection)
            assert (await outbox.heads(conn, 1.0, set(), 4)).rows == []
    finally:
        await memory.close()


async def test_a_claim_of_rows_to_send_waits_for_no_disk_and_nothing_else_changes(
    db: Database,
) -> None:
    """The claim before a send is the one commit that does not wait for the disk on
    PostgreSQL (its loss costs what a crash of the bot costs: the rows are sent once more);
    every other write still waits. On SQLite a claim is an ordinary statement."""
    intent = Say(-100, "Hallo")
    async with db.transaction() as conn:
        await outbox.enqueue(conn, intent, 1.0)
    show = "SHOW synchronous_commit"
    async with db.statements() as conn:
        waiting = await fetch_one(conn, "SELECT id FROM outbox WHERE status = 'pending'")
        if is_postgres(conn):  # as an operator's server has it (the test server's is off)
            await conn.execute("SET synchronous_commit TO on")
    assert waiting is not None
    ids = [int(waiting[0])]
    async with db.claiming() as conn:
        if is_postgres(conn):
            assert tuple(await fetch_one(conn, show)) == ("off",)
        assert await outbox.mark_all_sending(conn, ids) == set(ids)
    async with db.statements() as conn:
        if is_postgres(conn):
            assert tuple(await fetch_one(conn, show)) == ("on",)
        status = await fetch_one(conn, "SELECT status FROM outbox WHERE id = ?", (ids[0],))
    assert status is not None and tuple(status) == ("sending",)
