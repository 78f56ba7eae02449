"""Work an update leaves beside the sequential update path, and when that update is done.

The bot handles updates one at a time, in order. A handler that waited on Telegram (who
pressed a button, may they, and the button's answer) would hold up every update behind it,
an alert among them. Such work runs beside the path instead (`Beside`), and so does the
judging of a moderation finding (relaybot/service/moderation.py `later`).

The update such work came from counts as handled (its stored copy is deleted from the inbox)
only once the work is done too (`hold`): a crash before then leaves the update stored, and
after the restart it is handled again from the start. The use cases' idempotency keys see to
it that what was done before the crash is not done twice.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar

import structlog
from telegram.error import RetryAfter

from relaybot.telegram.faults import wait_of
from relaybot.telegram.inbox import RETRY_CAP, passing

log = structlog.get_logger("relaybot.beside")

AT_ONCE = 4  # presses handled at the same time (more would crowd out the update path)
WAITING_LIMIT = 1_000  # presses waiting or being handled; beyond that one is dropped
RETRY_FOR = 60.0  # seconds a press is tried again after passing faults (a 5xx, a lock)

# what the work beside the path says when it ends: None (done), or why it failed for good
Release = Callable[[BaseException | None], None]


class Pending:
    """The work one update left beside the path: `then` hears when the last of it is done
    (with the first failure, if any)."""

    __slots__ = ("_failure", "_open", "_then")

    def __init__(self) -> None:
        self._open = 0
        self._failure: BaseException | None = None
        self._then: Callable[[BaseException | None], None] | None = None

    def hold(self) -> Release:
        self._open += 1
        released = False

        def release(failure: BaseException | None = None) -> None:
            nonlocal released
            if released:
                return
            released = True
            self._open -= 1
            self._failure = self._failure or failure
            if self._open == 0 and self._then is not None:
                self._then(self._failure)

        return release

    def then(self, done: Callable[[BaseException | None], None]) -> None:
        """Call `done` once the update's work beside the path is done (now, if none is
        left)."""
        if self._open == 0:
            done(self._failure)
        else:
            self._then = done


_PENDING: ContextVar[Pending | None] = ContextVar("pending", default=None)


@contextlib.contextmanager
def handling() -> Iterator[Pending]:
    """Around the handling of one update: what its handlers leave beside the path."""
    pending = Pending()
    token = _PENDING.set(pending)
    try:
        yield pending
    finally:
        _PENDING.reset(token)


def hold() -> Release:
    """The update being handled is not done until the function returned is called (outside
    an update's handling: a function that does nothing)."""
    pending = _PENDING.get()
    return _nothing if pending is None else pending.hold()


def _nothing(_failure: BaseException | None = None) -> None:
    pass


class Turn:
    """A press's turn among the presses on the same card: entered (``async with``) once the
    presses before it are done with theirs, so the first press decides, as when presses were
    handled one at a time. A press refused before its turn never enters it."""

    __slots__ = ("_before", "_mine", "_slots")

    def __init__(
        self,
        before: asyncio.Future[None] | None,
        mine: asyncio.Future[None],
        slots: asyncio.Semaphore,
    ) -> None:
        self._before = before
        self._mine = mine
        self._slots = slots

    async def __aenter__(self) -> None:
        """Wait for the presses before, giving up this press's slot meanwhile (the press
        before may be waiting for one)."""
        if self._before is None or self._before.done():
            return
        self._slots.release()
        try:
            await asyncio.shield(self._before)
        finally:
            await self._slots.acquire()

    async def __aexit__(self, *_exc: object) -> None:
        self.finish()

    def finish(self) -> None:
        if not self._mine.done():
            self._mine.set_result(None)


class Beside:
    """Button presses handled beside the update path, `at_once` at a time, at most `limit`
    waiting: beyond that a press is dropped and logged (the presser may press again). Each
    holds its update until it is done. Presses on the same card take turns in the order they
    were pressed (`Turn`)."""

    def __init__(self, at_once: int = AT_ONCE, limit: int = WAITING_LIMIT) -> None:
        self.limit = limit
        self._slots = asyncio.Semaphore(at_once)
        self._tasks: set[asyncio.Task[None]] = set()
        self._last: dict[str, asyncio.Future[None]] = {}  # card -> the newest press's turn
        self._stopping = False

    def run(self, work: Callable[[Turn], Awaitable[None]], card: str) -> None:
        """Handle a press on `card` beside the path (called in the order of the updates)."""
        if len(self._tasks) >= self.limit:
            log.warning("press_dropped", reason="too_many_waiting")
            return
        turn = self._turn(card)
        task = asyncio.get_running_loop().create_task(self._run(work, turn, hold()))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _turn(self, card: str) -> Turn:
        mine = asyncio.get_running_loop().create_future()
        turn = Turn(self._last.get(card), mine, self._slots)
        self._last[card] = mine
        mine.add_done_callback(lambda done: self._forget_turn(card, done))
        return turn

    def _forget_turn(self, card: str, done: asyncio.Future[None]) -> None:
        if self._last.get(card) is done:
            del self._last[card]

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    async def drain(self) -> None:
        """Let the presses being handled finish (the bot stops): a passing fault is not
        waited out now; that press's update stays stored, handled again after the start."""
        self._stopping = True
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _run(
        self, work: Callable[[Turn], Awaitable[None]], turn: Turn, release: Release
    ) -> None:
        try:
            async with self._slots:
                await self._tried(work, turn)
        except _Unfinished:
            return  # not released: the update stays stored
        except Exception as error:
            log.error("handler_error", error=type(error).__name__, exc_info=error)
            release(error)
            return
        finally:
            turn.finish()
        release(None)

    async def _tried(self, work: Callable[[Turn], Awaitable[None]], turn: Turn) -> None:
        """The work, tried again after a passing fault for at most RETRY_FOR seconds."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        attempts = 0
        while True:
            try:
                await work(turn)
                return
            except Exception as error:
                if not passing(error) or loop.time() - started > RETRY_FOR:
                    raise
                if self._stopping:
                    raise _Unfinished from error
                attempts += 1
                delay = min(RETRY_CAP, 0.1 * 2**attempts)
                if isinstance(error, RetryAfter):
                    delay = wait_of(error)
                log.warning("press_retry", error=type(error).__name__, attempts=attempts)
                await asyncio.sleep(delay)


class _Unfinished(Exception):
    """A press that met a passing fault while the bot stops."""
