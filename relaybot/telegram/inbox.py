"""Updates are stored before Telegram hears they arrived, and handled from the store.

Long polling: our own fetch loop (`bot.get_updates`) writes each fetched batch to the inbox in
one statement and only then asks for the next offset, which is what confirms the batch to
Telegram. The write starts the moment the answer's bytes arrive and runs on the database thread
(SQLite reads the JSON itself) while python-telegram-bot decodes the same answer into objects,
so storing adds next to nothing to the time an update takes. A webhook: the Application's
update queue stores each update before the webhook server answers. Stored updates not yet
handled are handled after a restart, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any

import structlog
from telegram import Bot, Update
from telegram.error import Conflict, TelegramError, TimedOut

from relaybot.storage import engine, inbox
from relaybot.storage.db import Database
from relaybot.telegram.faults import Fault, fault_of
from relaybot.telegram.standby import FencedRequest

log = structlog.get_logger("relaybot.inbox")

RETRY_CAP = 5.0  # seconds at most between tries after a passing fault
IDLE_FLUSH = 0.3  # seconds of quiet before handled updates are deleted and checkpointed
FORGET_BATCH = 100  # handled updates deleted together while busy (a getUpdates batch) ...
FORGET_EVERY = 1.0  # ... or once the oldest of them has waited this many seconds
CONFLICT_REMINDER = 600.0  # seconds between the lines saying another process still polls
HOLD_CAP = 0.5  # seconds an outsider's update waits at most for an alert's delivery ...
HOLD_POLL = 0.005  # ... looking this often whether it is done or a group's update came


def passing(error: BaseException) -> bool:
    """A fault that goes away by itself: a locked or full database, or what Telegram's answer
    means as passing or to wait for (see faults.py; a 400 is none of these)."""
    if isinstance(error, engine.PASSING):
        return True
    return isinstance(error, TelegramError) and fault_of(error) is not Fault.PERMANENT


class RawUpdates(FencedRequest):
    """The request object of getUpdates (PTB's public `BaseRequest` interface). It hands the
    answer's bytes to `on_answer` as they arrive, before PTB decodes them, and lets the write
    that starts there reach the database thread first."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_answer: Callable[[bytes], None] | None = None

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        if code == HTTPStatus.OK and self.on_answer is not None:
            self.on_answer(payload)
            await asyncio.sleep(0)  # the write's first step runs now: it reaches the thread
        return code, payload


MEMBERS, OUTSIDERS = 0, 1  # the two lanes of the update queue, the first handled first


def lane_of(item: object) -> int:
    """Which lane an update waits in. What happens in a group (a co-admin's /regie, a press
    on "Ik heb 112 gebeld", members' messages, the bot's own membership) comes from people a
    group let in; a private chat and a join request can come from anyone with a Telegram
    account, so a flood of them (600 /starts, 300 strangers on a leaked link) waits behind
    the groups. Within a lane the order is kept, so one person's private conversation and
    one group's messages are handled as they came."""
    if not isinstance(item, Update):
        return OUTSIDERS  # the stop signal: after everything queued before it
    if item.chat_join_request is not None:
        return OUTSIDERS
    chat = item.effective_chat
    if chat is None or chat.type == chat.PRIVATE:
        return OUTSIDERS
    return MEMBERS


class Lanes:
    """The queue's store (what `asyncio.Queue` keeps in `_queue`): first in, first out within
    a lane; the members' lane before the outsiders'."""

    def __init__(self) -> None:
        self.lanes = (deque[object](), deque[object]())

    def append(self, item: object) -> None:
        self.lanes[lane_of(item)].append(item)

    def popleft(self) -> object:
        first = self.lanes[MEMBERS]
        return first.popleft() if first else self.lanes[OUTSIDERS].popleft()

    def __len__(self) -> int:
        return len(self.lanes[MEMBERS]) + len(self.lanes[OUTSIDERS])

    def outsiders_waiting(self) -> bool:
        return bool(self.lanes[OUTSIDERS])

    def outsiders_only(self) -> bool:
        return not self.lanes[MEMBERS] and self.outsiders_waiting()


class InboxQueue(asyncio.Queue[object]):
    """The Application's update queue. An update put here is stored first (so a webhook's
    answer, sent when `put` returns, comes after the write); a fetched batch is stored in one
    statement (`begin_answer`, `put_fetched`). Handled updates are forgotten beside the
    handling of the next batch, or once the bot is idle.

    Updates wait in two lanes (`lane_of`): the groups' before private chats and join
    requests, so an alert or a 112 press is handled next however many outsiders wrote
    first. While an alert or a 112 report is being delivered (`hold_outsiders`, the delivery
    worker's), an outsider's update waits up to HOLD_CAP seconds before it is handled: the
    event loop and the database are the delivery's, and a flood of private chats costs the
    alert nothing. `open_ids` are the updates queued or being handled: everything below the
    lowest of them is done with."""

    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        super().__init__()
        self.open_ids: set[int] = set()
        self.hold_outsiders: Callable[[], bool] = lambda: False
        self.db = db
        self.clock = clock
        self.handled: list[int] = []
        self._flusher: asyncio.Task[None] | None = None
        self._answer: asyncio.Future[None] | None = None
        self._forgetter: asyncio.Task[None] | None = None
        self._forgot_at = 0.0
        self._deleting = 0  # deletes of handled updates under way

    def _init(self, maxsize: int) -> None:
        self._queue = Lanes()

    def _put(self, item: object) -> None:
        if isinstance(item, Update):
            self.open_ids.add(item.update_id)
        self._queue.append(item)

    async def get(self) -> object:
        """The next update, the groups' first; an outsider's waits while an alert is being
        delivered (at most HOLD_CAP seconds each, so private chats still move)."""
        await self._held_while(self._queue.outsiders_only)
        return await super().get()

    async def before_poll(self) -> None:
        """While an alert is being delivered and outsiders' updates already wait, fetching
        more would only take the event loop and the database from the alert (storing a
        batch is a write): the next poll waits until the delivery is done, HOLD_CAP at most,
        so a group's update waits no longer than that."""
        await self._held_while(self._queue.outsiders_waiting)

    async def _held_while(self, waiting: Callable[[], bool]) -> None:
        """Wait while `waiting` holds and an alert is being delivered, HOLD_CAP at most."""
        loop = asyncio.get_running_loop()
        until = loop.time() + HOLD_CAP
        # a look every HOLD_POLL rather than an event: the worker's state changes in many
        # places, and a group's update arriving must end the wait as well
        while waiting() and self.hold_outsiders() and loop.time() < until:  # noqa: ASYNC110
            await asyncio.sleep(HOLD_POLL)

    def done_with(self, update_id: int) -> None:
        """The update is handled, set aside, or left for the next start."""
        self.open_ids.discard(update_id)

    def handled_through(self, highest: int) -> int:
        """The highest update id up to which every update seen is done with (`highest`:
        the highest seen)."""
        return min(highest, min(self.open_ids) - 1) if self.open_ids else highest

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            await self.store([item])
        await super().put(item)

    def begin_answer(self, payload: bytes) -> None:
        """Start storing a getUpdates answer (see `RawUpdates`); `put_fetched` waits for it."""
        self.drop_answer()
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            return  # PTB cannot read it either: nothing is confirmed, it is fetched again
        self._answer = asyncio.ensure_future(self._store_answer(text))

    async def _store_answer(self, text: str) -> None:
        async with self.db.statements() as conn:
            await inbox.store_answer(conn, text, self.clock())

    async def put_fetched(self, updates: Sequence[Update]) -> None:
        """Queue a fetched batch once it is stored (the write begun when the answer arrived,
        or, without one, a write now). Raises if it could not be stored: then nothing is
        queued and the batch is not confirmed."""
        answer, self._answer = self._answer, None
        if answer is not None:
            await answer
        else:
            await self.store(updates)
        for update in updates:
            self.put_nowait(update)
        if self._forget_due() and (self._forgetter is None or self._forgetter.done()):
            # the updates handled so far leave the file while this batch is being handled
            self._forgot_at = self.clock()
            self._forgetter = asyncio.create_task(self._forget(), name="inbox-forget")

    def _forget_due(self) -> bool:
        """A full batch handled, or the oldest waited FORGET_EVERY seconds: when updates come
        one by one (a steady stream of chatter), a write per update would keep the database
        busy for the alerts that need it."""
        return len(self.handled) >= FORGET_BATCH or (
            bool(self.handled) and self.clock() - self._forgot_at >= FORGET_EVERY
        )

    async def _forget(self, checkpoint: bool = False) -> None:
        try:
            await self.flush(checkpoint)
        except engine.ERRORS as error:  # they stay listed, and go with the next write
            log.warning("inbox_write_failed", error=type(error).__name__)

    def drop_answer(self) -> None:
        """Forget a write begun for an answer that was not used (PTB could not decode it);
        whatever it stored is handled from the store, or fetched again."""
        answer, self._answer = self._answer, None
        if answer is not None:
            answer.add_done_callback(_quietly)

    async def set_aside(self, update_id: int, kind: str, error: str) -> None:
        """Keep an update whose handling failed for good aside, never to be handled again."""
        async with self.db.transaction() as conn:
            await inbox.set_aside(conn, update_id, kind, error, self.clock())

    def replay(self, update: Update) -> None:
        """Queue an update that is stored already."""
        self.put_nowait(update)

    async def store(self, updates: Sequence[Update]) -> None:
        rows = [(u.update_id, u.to_json()) for u in updates]
        handled, self.handled = self.handled, []
        try:
            async with self.db.transaction() as conn:
                await inbox.store(conn, rows, self.clock(), handled)
        except BaseException:
            self.handled[:0] = handled
            raise

    def forget_soon(self) -> None:
        """Once the bot has been idle for IDLE_FLUSH seconds, delete the handled updates and
        checkpoint the file, off the path of whatever is being handled or sent now."""
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_when_idle(), name="inbox-flush")

    async def _flush_when_idle(self) -> None:
        await asyncio.sleep(IDLE_FLUSH)
        if not self.empty():  # busy: the next update handled asks again
            return
        await self._forget(checkpoint=True)

    @property
    def settled(self) -> bool:
        """Nothing handled is left to delete, nor being deleted (on PostgreSQL a read does
        not wait for a write: one made meanwhile could still see the rows)."""
        idle = self._forgetter is None or self._forgetter.done()
        return not self.handled and not self._deleting and idle

    async def flush(self, checkpoint: bool = False) -> None:
        """Forget what was handled (the text of handled updates never stays). `checkpoint`:
        also out of the file's write-ahead log, where the deleted rows' old pages linger."""
        handled, self.handled = self.handled, []
        if not handled:
            return
        self._deleting += 1
        try:
            async with self.db.statements() as conn:
                await inbox.forget(conn, handled)
        except BaseException:
            self.handled[:0] = handled
            raise
        finally:
            self._deleting -= 1
        if checkpoint:
            await self.db.checkpoint()


def _quietly(future: asyncio.Future[None]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("inbox_write_failed", error=type(future.exception()).__name__)


async def replay_stored(queue: InboxQueue, bot: Bot) -> int:
    """Queue what was stored but not handled before the last stop or crash, in order."""
    async with queue.db.reading() as conn:
        stored = await inbox.unhandled(conn)
    for update_id, body in stored:
        try:
            update = Update.de_json(json.loads(body), bot)
        except Exception as error:  # stored as it came, before PTB read it: it never can
            log.error("inbox_unreadable", update_id=update_id, error=type(error).__name__)
            queue.handled.append(update_id)  # forgotten with the next write, not retried
            continue
        if update is not None:
            queue.replay(update)
    if stored:
        log.info("inbox_replayed", updates=len(stored))
    return len(stored)


class Poller:
    """Long polling: fetch, store, then confirm (the next offset) — never the other way.

    While another process reads this bot's updates (`relaybot discover`, a second `relaybot
    run`, a webhook set elsewhere), Telegram answers every other poll 409 Conflict: the bot
    says so in one line (again every ten minutes while it lasts), keeps trying quietly, and
    says when it has the updates to itself again; it does not stop, so a `discover` run
    beside it for a minute costs nothing but those updates."""

    def __init__(
        self,
        bot: Bot,
        queue: InboxQueue,
        timeout: float = 10,
        allowed_updates: Sequence[str] | None = None,
        raw: RawUpdates | None = None,
    ) -> None:
        self.bot = bot
        self.queue = queue
        self.timeout = timeout
        self.allowed_updates = allowed_updates
        if raw is not None:
            raw.on_answer = queue.begin_answer
        self._task: asyncio.Task[None] | None = None
        self._conflict_since: float | None = None  # another process polls (clock time)
        self._conflict_said = 0.0

    async def start(self) -> None:
        async with self.queue.db.reading() as conn:
            offset = await inbox.next_offset(conn)
        await self.bot.delete_webhook()
        self._task = asyncio.create_task(self._run(offset), name="relaybot-poller")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await self.queue.flush()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self, offset: int | None) -> None:
        delay = 0.0
        while True:
            if delay:
                await asyncio.sleep(delay)
            await self.queue.before_poll()
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=int(self.timeout),
                    allowed_updates=self.allowed_updates,
                )
            except TimedOut:
                self.queue.drop_answer()
                delay = 0.0
                continue
            except Conflict:
                self.queue.drop_answer()
                delay = min(RETRY_CAP, max(0.25, delay * 2))
                self._conflict()
                continue
            except TelegramError as error:
                self.queue.drop_answer()
                delay = min(RETRY_CAP, max(0.25, delay * 2))
                log.warning("poll_failed", error=type(error).__name__, delay=delay)
                continue
            try:
                await self.queue.put_fetched(updates)
            except engine.ERRORS as error:  # not stored: not confirmed, Telegram sends it again
                delay = min(RETRY_CAP, max(0.25, delay * 2))
                log.warning("inbox_write_failed", error=type(error).__name__, delay=delay)
                continue
            delay = 0.0
            if self._conflict_since is not None:
                lasted = round(self.queue.clock() - self._conflict_since)
                log.warning("poll_conflict_over", seconds=lasted)
                self._conflict_since = None
            if updates:
                offset = updates[-1].update_id + 1

    def _conflict(self) -> None:
        now = self.queue.clock()
        if self._conflict_since is None:
            self._conflict_since = now
        elif now - self._conflict_said < CONFLICT_REMINDER:
            return
        self._conflict_said = now
        log.error(
            "poll_conflict",
            seconds=round(now - self._conflict_since),
            hint="another process is reading this bot's updates (relaybot discover, a second "
            "relaybot run with the same token, or a webhook set elsewhere): updates it takes "
            "never reach this bot. Stop it; this bot keeps trying and says when it has them "
            "again",
        )
