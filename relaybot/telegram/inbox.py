"""Updates are stored before Telegram hears they arrived, and handled from the store.

Long polling: our own fetch loop (`bot.get_updates`) writes each fetched batch to the inbox in
one transaction and only then asks for the next offset, which is what confirms the batch to
Telegram. A webhook: the Application's update queue stores each update before the webhook
server answers. Stored updates not yet handled are handled after a restart, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import structlog
from telegram import Bot, Update
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from relaybot.storage import inbox
from relaybot.storage.db import Database

log = structlog.get_logger("relaybot.inbox")

RETRY_CAP = 5.0  # seconds at most between tries after a passing fault
IDLE_FLUSH = 0.3  # seconds of quiet before handled updates are deleted and checkpointed


def passing(error: BaseException) -> bool:
    """A fault that goes away by itself: a locked or full database, a network failure."""
    return isinstance(error, sqlite3.OperationalError | NetworkError)


class RawUpdates(HTTPXRequest):
    """The request object of getUpdates (PTB's public `BaseRequest` interface), keeping the
    answer's bytes so each update is stored exactly as Telegram sent it: cheaper than
    serialising PTB's objects again, and nothing is lost in the round trip."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.last: bytes | None = None

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        self.last = payload
        return code, payload

    def bodies(self) -> dict[int, str]:
        """The updates of the last answer as JSON text, by update id (empty if unreadable)."""
        payload, self.last = self.last, None
        try:
            result = json.loads(payload or b"{}").get("result")
            return {int(item["update_id"]): json.dumps(item) for item in result or ()}
        except (ValueError, TypeError, KeyError, AttributeError):
            return {}


class InboxQueue(asyncio.Queue[object]):
    """The Application's update queue. An update put here is stored first (so a webhook's
    answer, sent when `put` returns, comes after the write); `put_batch` stores a whole
    fetched batch in one transaction. Handled updates are forgotten with the next write."""

    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        super().__init__()
        self.db = db
        self.clock = clock
        self.handled: list[int] = []
        self._flusher: asyncio.Task[None] | None = None

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            await self.store([item])
        await super().put(item)

    async def put_batch(
        self, updates: Sequence[Update], bodies: Mapping[int, str] | None = None
    ) -> None:
        await self.store(updates, bodies)
        for update in updates:
            self.put_nowait(update)

    def replay(self, update: Update) -> None:
        """Queue an update that is stored already."""
        self.put_nowait(update)

    async def store(
        self, updates: Sequence[Update], bodies: Mapping[int, str] | None = None
    ) -> None:
        known = bodies or {}
        rows = [(u.update_id, known.get(u.update_id) or u.to_json()) for u in updates]
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
        try:
            await self.flush(checkpoint=True)
        except sqlite3.Error as error:
            log.warning("inbox_write_failed", error=type(error).__name__)

    @property
    def settled(self) -> bool:
        """Nothing handled is left to delete."""
        return not self.handled

    async def flush(self, checkpoint: bool = False) -> None:
        """Forget what was handled (the text of handled updates never stays). `checkpoint`:
        also out of the file's write-ahead log, where the deleted rows' old pages linger."""
        if self.handled:
            await self.store([])
            if checkpoint:
                await self.db.checkpoint()


async def replay_stored(queue: InboxQueue, bot: Bot) -> int:
    """Queue what was stored but not handled before the last stop or crash, in order."""
    async with queue.db.reading() as conn:
        stored = await inbox.unhandled(conn)
    for _update_id, body in stored:
        update = Update.de_json(json.loads(body), bot)
        if update is not None:
            queue.replay(update)
    if stored:
        log.info("inbox_replayed", updates=len(stored))
    return len(stored)


class Poller:
    """Long polling: fetch, store, then confirm (the next offset) — never the other way."""

    def __init__(
        self,
        bot: Bot,
        queue: InboxQueue,
        timeout: float = 10,
        allowed_updates: Sequence[str] | None = None,
        raw: RawUpdates | None = None,
    ) -> None:
        self.bot = bot
        self.raw = raw
        self.queue = queue
        self.timeout = timeout
        self.allowed_updates = allowed_updates
        self._task: asyncio.Task[None] | None = None

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
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=int(self.timeout),
                    allowed_updates=self.allowed_updates,
                )
            except TimedOut:
                delay = 0.0
                continue
            except TelegramError as error:
                delay = min(RETRY_CAP, max(0.25, delay * 2))
                log.warning("poll_failed", error=type(error).__name__, delay=delay)
                continue
            try:
                if updates:
                    bodies = self.raw.bodies() if self.raw is not None else None
                    await self.queue.put_batch(updates, bodies)
                else:
                    await self.queue.flush()
            except sqlite3.Error as error:  # not stored: not confirmed, Telegram sends it again
                delay = min(RETRY_CAP, max(0.25, delay * 2))
                log.warning("inbox_write_failed", error=type(error).__name__, delay=delay)
                continue
            delay = 0.0
            if updates:
                offset = updates[-1].update_id + 1
