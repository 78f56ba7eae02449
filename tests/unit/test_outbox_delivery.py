"""The outbox and inbox as the crash-safe worker uses them: rows marked as being sent, each
chat's next row found without reading the table, pending edits merged, updates kept until
handled, and one process per database."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from relaybot.domain.intents import (
    Alert,
    Card,
    CardKind,
    EditMessage,
    FlagNotice,
    RefreshAlert,
    Say,
)
from relaybot.storage import inbox, incidents, outbox
from relaybot.storage.db import Database, StorageError
from relaybot.storage.lock import AlreadyRunning, ProcessLock
from relaybot.storage.migrations import MIGRATIONS
from relaybot.storage.outbox import Priority
from tests.unit.world import REGIE, World

A, B, C = -1001, -1002, -1003


async def _say(db: Database, chat: int, priority: Priority = Priority.NORMAL) -> int:
    async with db.transaction() as conn:
        return await outbox.enqueue(conn, Say(chat, "x", priority=priority), 0.0)


async def _incident(conn: aiosqlite.Connection) -> int:
    made = await incidents.create(
        conn,
        source_slug="goor-oost",
        source_chat_id=C,
        origin_message_id=10,
        text="Verdachte man",
        media=None,
        note="",
        author="",
        created_at=0.0,
    )
    return made.number


async def _status(db: Database, row_id: int) -> tuple[str, int]:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT status, attempts FROM outbox WHERE id = ?", (row_id,)
        )
    return rows[0][0], rows[0][1]


async def test_a_row_marked_as_being_sent_is_no_chat_head_and_is_sent_again_after_a_crash(
    db: Database,
) -> None:
    """A marked row leaves the waiting rows; at start-up a row still marked was in flight at a
    crash: it waits again (sent once more) and the count says how many."""
    first = await _say(db, A)
    await _say(db, A)
    async with db.transaction() as conn:
        assert await outbox.mark_all_sending(conn, [first]) == {first}
        assert await outbox.mark_all_sending(conn, [first]) == set()  # only once
    async with db.reading() as conn:
        heads = await outbox.heads(conn, 1.0, {A}, 4)
    assert heads.rows == []
    async with db.transaction() as conn:
        assert await outbox.recover_in_flight(conn) == 1
    assert await _status(db, first) == ("pending", 1)


async def test_heads_give_each_chats_next_row_most_urgent_first_within_the_limit(
    db: Database,
) -> None:
    """One row per idle chat, 112 rows first, busy chats skipped, no more than asked; a
    postponed head holds its chat back and says when it is due."""
    a1 = await _say(db, A)
    await _say(db, A, Priority.FLAG)
    b1 = await _say(db, B)
    c1 = await _say(db, C, Priority.FLAG)
    async with db.transaction() as conn:
        await outbox.postpone(conn, b1, 50.0, "x")
    async with db.reading() as conn:
        heads = await outbox.heads(conn, 10.0, set(), 4)
        assert [r.chat_id for r in heads.rows] == [A, C]  # both 112 rows, A's the older
        assert heads.rows[0].id != a1  # A's 112 row goes before its older ordinary one
        assert heads.next_at == 50.0
        assert [r.id for r in (await outbox.heads(conn, 10.0, {C}, 1)).rows] != [c1]
        assert len((await outbox.heads(conn, 10.0, set(), 1)).rows) == 1


async def test_the_rows_heads_hand_out_are_whole(db: Database) -> None:
    """The rows handed out carry their intent (buttons and all) and their attempts as stored,
    the same as reading them by id (PostgreSQL reads them as it scans, SQLite afterwards)."""
    async with db.transaction() as conn:
        say = Say(A, "<b>Let op</b>", buttons=(("Ja", "y:1"),), priority=Priority.NORMAL)
        a = await outbox.enqueue(conn, say, 0.0)
        b = await outbox.enqueue(conn, Say(B, "x", reply_to=7, priority=Priority.FLAG), 0.0)
        await outbox.postpone(conn, a, 0.0, "TimedOut")  # tried once: due again at once
    async with db.reading() as conn:
        heads = await outbox.heads(conn, 10.0, set(), 4)
        assert heads.rows == await outbox.rows_by_id(conn, [b, a])
    assert [r.intent for r in heads.rows] == [
        Say(B, "x", reply_to=7, priority=Priority.FLAG),
        say,
    ]
    assert [r.attempts for r in heads.rows] == [0, 1]


async def test_heads_look_chat_by_chat_when_one_busy_chat_fills_the_front(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of rows of one busy chat ahead of another chat's row do not hide it."""
    monkeypatch.setattr(outbox, "SCAN_CAP", 128)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO outbox (chat_id, priority, action, created_at) VALUES (?, 0, 'say', 0)",
            [(A,)] * 1000,
        )
    await _say(db, B)
    async with db.reading() as conn:
        heads = await outbox.heads(conn, 1.0, {A}, 4)
    assert [r.chat_id for r in heads.rows] == [B]


async def test_pending_refreshes_of_one_copy_are_merged(db: Database) -> None:
    """Thirty refreshes of one incident in one chat while the first waits are one row (it
    shows the newest state when sent), at the most urgent priority asked; once the row is
    being sent a new refresh is a row of its own."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO incidents (source_chat_id, origin_message_id, created_at)"
            " VALUES (?, 1, 0)",
            (A,),
        )
        ids = {
            await outbox.enqueue(
                conn, RefreshAlert(B, 1, Priority.FLAG if n == 29 else Priority.LOW), 0.0
            )
            for n in range(30)
        }
        assert len(ids) == 1
        row = ids.pop()
        assert await outbox.mark_all_sending(conn, [row]) == {row}
        again = await outbox.enqueue(conn, RefreshAlert(B, 1), 0.0)
    assert again != row
    async with db.reading() as conn:
        priority = await conn.execute_fetchall("SELECT priority FROM outbox WHERE id = ?", (row,))
    assert priority[0][0] == Priority.FLAG


async def test_pending_edits_of_one_message_keep_only_the_newest_content(db: Database) -> None:
    """A second edit of the same message while the first waits replaces its content."""
    async with db.transaction() as conn:
        first = await outbox.enqueue(conn, EditMessage(A, 7, "oud"), 0.0)
        second = await outbox.enqueue(conn, EditMessage(A, 7, "nieuw"), 0.0)
        other = await outbox.enqueue(conn, EditMessage(A, 8, "x"), 0.0)
    assert first == second != other
    async with db.reading() as conn:
        rows = await outbox.due(conn, 1.0, set(), 4)
    assert rows[0].intent == EditMessage(A, 7, "nieuw")


async def test_postponed_rows_of_a_failure_are_woken_together(db: Database) -> None:
    """When Telegram answers again, rows waiting out a network failure are due at once;
    rows waiting for another reason keep their time."""
    net, other = await _say(db, A), await _say(db, B)
    async with db.transaction() as conn:
        await outbox.postpone(conn, net, 100.0, "NetworkError")
        await outbox.postpone(conn, other, 100.0, "429")
        assert await outbox.wake_postponed(conn, 5.0, {"NetworkError"}) == 1
        assert [r.id for r in await outbox.due(conn, 5.0, set(), 4)] == [net]


async def test_inbox_keeps_updates_until_handled_and_remembers_the_offset(db: Database) -> None:
    """A stored batch is handed back in order until handled; handled updates are removed
    (their text gone) and polling resumes after the newest update ever stored."""
    async with db.transaction() as conn:
        assert await inbox.next_offset(conn) is None
        await inbox.store(conn, [(11, '{"a": 1}'), (10, '{"b": 2}')], 0.0)
        await inbox.store(conn, [(11, '{"a": 1}')], 0.0)  # sent again: kept once
    async with db.reading() as conn:
        assert [u for u, _ in await inbox.unhandled(conn)] == [10, 11]
    async with db.transaction() as conn:
        await inbox.store(conn, [], 0.0, handled=[10, 11])
    async with db.reading() as conn:
        assert await inbox.unhandled(conn) == []
        assert await inbox.next_offset(conn) == 12


def test_one_process_per_database_and_no_lock_left_after_release(tmp_path: Path) -> None:
    """A second lock on the same database is refused with one line naming it; once released
    (as the kernel does when a process dies) it can be taken again."""
    database = tmp_path / "relaybot.sqlite3"
    first = ProcessLock(database).acquire()
    with pytest.raises(AlreadyRunning) as refused:
        ProcessLock(database).acquire()
    assert isinstance(refused.value, StorageError)
    assert "another relaybot is running on" in str(refused.value)
    assert "\n" not in str(refused.value)
    first.release()
    ProcessLock(database).acquire().release()


async def test_an_alert_is_read_before_every_answer_queued_before_it(db: Database) -> None:
    """600 answers wait for 600 private chats, then an alert for the regiegroep: asked for one
    row, the outbox hands out the alert (the worker never has to look past the answers)."""
    async with db.transaction() as conn:
        for person in range(600):
            await outbox.enqueue(conn, Say(5000 + person, "Welkom"), 0.0)
        number = await _incident(conn)
        alert = await outbox.enqueue(conn, Alert(A, number), 0.0)
        notice = await outbox.enqueue(conn, FlagNotice(B, number), 0.0)
    async with db.reading() as conn:
        heads = await outbox.heads(conn, 1.0, set(), 2)
    assert [row.id for row in heads.rows] == [notice, alert]


async def test_within_a_chat_an_alert_goes_before_answers_reminders_and_cards(
    db: Database,
) -> None:
    """One chat: a card, an answer and a reminder wait, then an alert comes. The alert is the
    chat's next row; after it the answer, the reminder, and the card last."""
    async with db.transaction() as conn:
        card = await outbox.enqueue(conn, Say(A, "kaart", card=Card(CardKind.SIGNUP, 1)), 0.0)
        answer = await outbox.enqueue(conn, Say(A, "antwoord"), 0.0)
        reminder = await outbox.enqueue(conn, Say(A, "herinnering", priority=Priority.LOW), 0.0)
        alert = await outbox.enqueue(conn, Alert(A, await _incident(conn)), 0.0)
    order = []
    for _ in range(4):
        async with db.transaction() as conn:
            (head,) = (await outbox.heads(conn, 1.0, set(), 4)).rows
            await outbox.done(conn, head.id, 1.0)
        order.append(head.id)
    assert order == [alert, answer, reminder, card]
    assert head.priority == Priority.CARD and head.intent == Say(
        A, "kaart", card=Card(CardKind.SIGNUP, 1)
    )


async def test_waiting_rows_are_ranked_anew_when_the_bot_is_upgraded(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows an earlier version left waiting (alerts at the answers' priority, cards too) are
    ranked as this version ranks them when the database is opened."""
    monkeypatch.setattr("relaybot.storage.db.MIGRATIONS", MIGRATIONS[:10])
    old = await Database(db_path).open()
    rows = [
        (0, "notice", "{}"),
        (1, "alert", "{}"),
        (1, "say", '{"html": "antwoord"}'),
        (1, "say", '{"html": "kaart", "signup_card": 3}'),
        (2, "followup", "{}"),
    ]
    async with old.transaction() as conn:
        await _incident(conn)
        for priority, action, payload in rows:
            await conn.execute(
                "INSERT INTO outbox (chat_id, priority, action, incident, payload, created_at)"
                " VALUES (?, ?, ?, 1, ?, 0)",
                (A, priority, action, payload),
            )
    await old.close()
    monkeypatch.setattr("relaybot.storage.db.MIGRATIONS", MIGRATIONS)
    new = await Database(db_path).open()
    try:
        async with new.reading() as conn:
            found = await conn.execute_fetchall("SELECT priority FROM outbox ORDER BY id")
    finally:
        await new.close()
    assert [r[0] for r in found] == [
        Priority.FLAG,
        Priority.ALERT,
        Priority.NORMAL,
        Priority.CARD,
        Priority.LOW,
    ]


async def test_a_chat_gets_at_most_cards_per_minute_cards_and_the_rest_wait(
    world: World,
) -> None:
    """Eight sign-up cards for the regiegroep: six go in the first minute (the policy's
    cards_per_minute), two wait, given up on by nobody; an answer queued meanwhile goes at
    once; a minute after the first cards, the last two go."""
    async with world.db.transaction() as conn:
        for signup in range(1, 9):
            card = Say(REGIE, f"kaart {signup}", card=Card(CardKind.SIGNUP, signup))
            await outbox.enqueue(conn, card, world.clock())
    assert world.ctx.network.policy.cards_per_minute == 6
    await world.deliver()
    assert sorted(q.status for q in await world.rows(Say)) == ["done"] * 6 + ["pending"] * 2
    async with world.db.transaction() as conn:
        await outbox.enqueue(conn, Say(REGIE, "antwoord"), world.clock())
    await world.deliver(rounds=3)
    status = {q.intent.html: q.status for q in await world.rows(Say)}  # type: ignore[union-attr]
    assert status == {"antwoord": "done"} | {f"kaart {n}": "done" for n in range(1, 7)} | {
        "kaart 7": "pending",
        "kaart 8": "pending",
    }
    world.clock.now += 30
    await world.deliver()
    assert [q.status for q in await world.rows(Say)] == ["done"] * 9
