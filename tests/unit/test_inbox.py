"""The update inbox: a whole getUpdates answer stored as it came, and replayed after a start."""

from __future__ import annotations

import asyncio
import json

import pytest
import structlog
from telegram import Bot, Update
from telegram.error import Conflict

from relaybot.storage import inbox
from relaybot.storage.db import Database
from relaybot.telegram import inbox as inbox_module
from relaybot.telegram.inbox import InboxQueue, Poller, replay_stored


def _update(update_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_795_000_000,
            "chat": {"id": -1001, "type": "supergroup", "title": "Wijk"},
            "from": {"id": 7, "is_bot": False, "first_name": "Anna"},
            "text": text,
        },
    }


async def test_an_answer_is_stored_update_by_update_as_it_came(db: Database) -> None:
    """Each update of the answer becomes a row with its own JSON (accents and all); polling
    resumes after the newest; an update stored before is kept once."""
    answer = json.dumps({"ok": True, "result": [_update(5, "café bij de brug"), _update(6, "x")]})
    async with db.statements() as conn:
        await inbox.store_answer(conn, answer, 1.0)
        await inbox.store_answer(conn, answer, 2.0)
        stored = await inbox.unhandled(conn)
        assert await inbox.next_offset(conn) == 7
    assert [update_id for update_id, _ in stored] == [5, 6]
    assert json.loads(stored[0][1])["message"]["text"] == "café bij de brug"


async def test_a_stored_update_nobody_can_read_does_not_stop_the_start(db: Database) -> None:
    """The inbox keeps an answer before python-telegram-bot reads it. An update it cannot
    read is logged and forgotten at the next start; the others are handled in order."""
    bad = {"update_id": 8, "message": {"message_id": "not a number", "chat": 5}}
    answer = json.dumps({"ok": True, "result": [_update(7, "eerst"), bad, _update(9, "dan")]})
    async with db.statements() as conn:
        await inbox.store_answer(conn, answer, 1.0)
    queue = InboxQueue(db, lambda: 1.0)
    assert await replay_stored(queue, Bot("123:abc")) == 3
    queued = [queue.get_nowait() for _ in range(queue.qsize())]
    assert [u.update_id for u in queued] == [7, 9]  # type: ignore[attr-defined]
    assert queue.handled == [8]


async def test_an_update_set_aside_is_kept_but_never_handled_again(db: Database) -> None:
    """An update whose handling failed for good leaves the inbox for `inbox_set_aside`,
    where it is kept with its kind and error; a start does not replay it."""
    answer = json.dumps({"ok": True, "result": [_update(3, "eerst"), _update(4, "dan")]})
    async with db.statements() as conn:
        await inbox.store_answer(conn, answer, 1.0)
    queue = InboxQueue(db, lambda: 5.0)
    await queue.set_aside(3, "message", "BadRequest")
    assert await replay_stored(queue, Bot("123:abc")) == 1
    assert queue.get_nowait().update_id == 4  # type: ignore[attr-defined]
    async with db.reading() as conn:
        kept = await conn.execute_fetchall(
            "SELECT update_id, kind, error, set_aside_at, json_extract(body, '$.message.text')"
            " FROM inbox_set_aside"
        )
        assert [tuple(row) for row in kept] == [(3, "message", "BadRequest", 5.0, "eerst")]
        assert await inbox.next_offset(conn) == 5


class ConflictingBot:
    """getUpdates as Telegram answers it while another process polls with the same token:
    409 Conflict `conflicts` times, each a minute later on the clock; then nothing new
    (`over` is set once the bot polls alone for the second time)."""

    def __init__(self, conflicts: int, clock: list[float]) -> None:
        self.left = conflicts
        self.clock = clock
        self.alone = False
        self.over = asyncio.Event()

    async def delete_webhook(self) -> bool:
        return True

    async def get_updates(self, **_kwargs: object) -> tuple[Update, ...]:
        if self.left:
            self.left -= 1
            self.clock[0] += 60.0
            raise Conflict("Conflict: terminated by other getUpdates request")
        if self.alone:  # the second poll alone: the first one's answer is handled
            self.over.set()
            await asyncio.sleep(3600)
        self.alone = True
        return ()


async def test_another_poller_is_said_once_then_every_ten_minutes_and_when_over(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twenty-five minutes of Conflicts: one `poll_conflict` line at the start and a reminder
    every ten minutes (not a line per try), then one line when the bot polls alone again."""
    monkeypatch.setattr(inbox_module, "RETRY_CAP", 0.0)  # no waiting between the tries
    clock = [0.0]
    bot = ConflictingBot(25, clock)
    poller = Poller(bot, InboxQueue(db, lambda: clock[0]))  # type: ignore[arg-type]
    with structlog.testing.capture_logs() as logs:
        await poller.start()
        await asyncio.wait_for(bot.over.wait(), 10)
        await poller.stop()
    said = [(entry["event"], entry.get("seconds")) for entry in logs]
    assert said == [
        ("poll_conflict", 0),
        ("poll_conflict", 600),
        ("poll_conflict", 1200),
        ("poll_conflict_over", 1440),
    ]


def _private(update_id: int, user: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_795_000_000,
            "chat": {"id": user, "type": "private", "first_name": "Nieuwsgierig"},
            "from": {"id": user, "is_bot": False, "first_name": "Nieuwsgierig"},
            "text": "/start",
        },
    }


def _join_request(update_id: int, user: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "chat_join_request": {
            "chat": {"id": -1001, "type": "supergroup", "title": "Wijk"},
            "from": {"id": user, "is_bot": False, "first_name": "Vreemde"},
            "user_chat_id": user,
            "date": 1_795_000_000,
        },
    }


async def test_the_groups_updates_are_handled_before_private_chats_and_join_requests(
    db: Database,
) -> None:
    """A co-admin's /regie that arrives behind 300 private /starts and join requests is the
    next update handled; each lane keeps its order; the bot's own stop signal comes last; and
    until the earlier private updates are done, the bot does not count them as handled."""
    bot = Bot("123:abc")
    raw = [_private(i, 5000 + i) for i in range(1, 151)]
    raw += [_join_request(i, 6000 + i) for i in range(151, 301)]
    raw += [_update(301, "/regie"), _private(302, 7000), _update(303, "hallo buren")]
    updates = [Update.de_json(body, bot) for body in raw]
    queue = InboxQueue(db, lambda: 1.0)
    await queue.put_fetched(updates)  # type: ignore[arg-type]
    stop = object()
    queue.put_nowait(stop)
    order = [queue.get_nowait() for _ in range(queue.qsize())]
    ids = [u.update_id for u in order[:-1]]  # type: ignore[attr-defined]
    assert ids == [301, 303, *range(1, 301), 302]
    assert order[-1] is stop
    for update_id in (301, 303):
        queue.done_with(update_id)
    assert queue.handled_through(303) == 0  # update 1 still waits
    for update_id in range(1, 303):
        queue.done_with(update_id)
    assert queue.handled_through(303) == 303


async def test_outsiders_wait_while_an_alert_is_delivered(db: Database) -> None:
    """While the delivery worker sends an alert or a 112 report, a private /start waits
    (the event loop and the database are the alert's), a group's update does not, and the
    /start is handled once the alert is out, or after HOLD_CAP seconds at most."""
    bot = Bot("123:abc")
    queue = InboxQueue(db, lambda: 1.0)
    delivering = True
    queue.hold_outsiders = lambda: delivering
    queue.put_nowait(Update.de_json(_private(1, 5001), bot))
    waiting = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0.05)
    assert not waiting.done()
    queue.put_nowait(Update.de_json(_update(2, "/regie"), bot))
    assert (await asyncio.wait_for(waiting, 1)).update_id == 2  # type: ignore[attr-defined]
    waiting = asyncio.ensure_future(queue.get())
    await asyncio.sleep(0.05)
    assert not waiting.done()
    delivering = False
    assert (await asyncio.wait_for(waiting, 1)).update_id == 1  # type: ignore[attr-defined]
    delivering = True
    queue.put_nowait(Update.de_json(_private(3, 5003), bot))
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert (await asyncio.wait_for(queue.get(), 5)).update_id == 3  # type: ignore[attr-defined]
    assert inbox_module.HOLD_CAP <= loop.time() - started < inbox_module.HOLD_CAP + 1


async def test_the_inbox_is_settled_only_once_handled_updates_are_deleted(db: Database) -> None:
    """While the delete of handled updates waits for the database, the inbox does not say it
    is settled (what `relaybot`'s idle check and the tests' settle ask): a look at the
    database once it says so finds them gone, on either engine."""
    answer = json.dumps({"ok": True, "result": [_update(11, "x")]})
    async with db.statements() as conn:
        await inbox.store_answer(conn, answer, 1.0)
    queue = InboxQueue(db, lambda: 1.0)
    queue.handled.append(11)
    entered, release = asyncio.Event(), asyncio.Event()

    async def hold_the_writes() -> None:
        async with db.transaction():
            entered.set()
            await release.wait()

    holder = asyncio.create_task(hold_the_writes())
    await entered.wait()
    flushing = asyncio.create_task(queue.flush())
    await asyncio.sleep(0.05)
    assert not queue.settled  # the delete waits for the write in progress
    release.set()
    await asyncio.gather(holder, flushing)
    assert queue.settled
    async with db.reading() as conn:
        assert await inbox.unhandled(conn) == []


async def test_no_poll_while_an_alert_is_delivered_and_outsiders_wait(db: Database) -> None:
    """Fetching more updates while an alert is delivered and outsiders' updates already wait
    would only take the loop and the database from the alert: the poll waits until the
    delivery ends, HOLD_CAP at most; without waiting outsiders, or without a delivery, it
    goes at once."""
    bot = Bot("123:abc")
    queue = InboxQueue(db, lambda: 1.0)
    delivering = True
    queue.hold_outsiders = lambda: delivering
    await asyncio.wait_for(queue.before_poll(), 0.1)  # nobody waits: poll at once
    queue.put_nowait(Update.de_json(_private(1, 5001), bot))
    polling = asyncio.ensure_future(queue.before_poll())
    await asyncio.sleep(0.05)
    assert not polling.done()
    delivering = False
    await asyncio.wait_for(polling, 1)
    delivering = True
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.wait_for(queue.before_poll(), 5)
    assert inbox_module.HOLD_CAP <= loop.time() - started < inbox_module.HOLD_CAP + 1
