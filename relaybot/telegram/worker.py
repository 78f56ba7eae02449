"""The delivery worker: drains the outbox, one lane per chat, most urgent first."""

from __future__ import annotations

import asyncio
import contextlib
import random

import structlog
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from relaybot.storage.outbox import Row
from relaybot.telegram.delivery import Delivery
from relaybot.telegram.sender import Sender

log = structlog.get_logger("relaybot.worker")

IDLE_POLL = 1.0  # seconds: look at the outbox even without a wake-up (another process wrote)
BACKOFF_BASE = 0.5
BACKOFF_CAP = 60.0


def backoff(attempts: int) -> float:
    """Capped exponential backoff with full jitter."""
    return random.uniform(0.5, 1.0) * min(BACKOFF_CAP, BACKOFF_BASE * 2**attempts)


class Worker:
    """Sends what the outbox holds. A chat's rows go out in order, one at a time; chats go in
    parallel, so one slow or failing chat never holds up the others."""

    def __init__(self, delivery: Delivery, sender: Sender, lanes: int = 32) -> None:
        self.delivery = delivery
        self.sender = sender
        self.max_lanes = lanes
        self.lanes: dict[int, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.delivered = 0
        self.retried = 0

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._stopping = False
        self.delivery.ctx.on_outbox(self.wake)
        self._task = asyncio.create_task(self._run(), name="relaybot-outbox")

    async def stop(self) -> None:
        """End the loop and every lane. The flag ends the loop even if a cancellation is
        lost on the way (the loop looks at it at least every IDLE_POLL seconds); waiting
        with asyncio.wait leaves a cancellation of the caller itself to the caller."""
        self._stopping = True
        self._wake.set()
        task = self._task
        if task is not None:
            task.cancel()
            await asyncio.wait({task})
            if not task.cancelled() and task.exception() is not None:
                log.error("outbox_loop_ended", exc_info=task.exception())
        lanes = list(self.lanes.values())
        for lane in lanes:
            lane.cancel()
        if lanes:
            await asyncio.wait(lanes)
        self.lanes.clear()

    @property
    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def busy(self) -> bool:
        return bool(self.lanes)

    async def _run(self) -> None:
        while not self._stopping:
            try:
                timeout = await self._dispatch()
            except asyncio.CancelledError:
                raise
            except Exception:  # a passing fault (a locked database) must not end delivery
                log.exception("outbox_loop_failed")
                timeout = IDLE_POLL
            if timeout is None:
                continue
            # not asyncio.wait_for: on Python 3.11 it returns the wait's result and swallows a
            # cancellation that arrives in the loop iteration the wake-up fired in, and this
            # loop then never ends (stop(), the bot's shutdown and a test's teardown hang)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()

    async def _dispatch(self) -> float | None:
        """Start a lane for every idle chat with a row due. Returns how long to wait for the
        next wake-up, or None to look again at once (there was more than room)."""
        self._wake.clear()
        busy = set(self.lanes)
        room = self.max_lanes - len(busy)
        rows = await self.delivery.due(busy, room) if room > 0 else []
        for row in rows:
            lane = asyncio.create_task(self._deliver(row), name=f"lane-{row.chat_id}")
            self.lanes[row.chat_id] = lane
            lane.add_done_callback(lambda _t, chat=row.chat_id: self._done(chat))
        if rows and room > len(rows):
            return None
        if rows:
            return IDLE_POLL
        # only rows of idle chats can start now: a busy lane's end wakes the loop anyway
        next_at = await self.delivery.next_due_at(set(self.lanes))
        if next_at is None:
            return IDLE_POLL
        return min(IDLE_POLL, max(0.005, next_at - self.delivery.ctx.clock()))

    def _done(self, chat_id: int) -> None:
        self.lanes.pop(chat_id, None)
        self._wake.set()

    async def _deliver(self, row: Row) -> None:
        log_ = log.bind(row=row.id, chat=row.chat_id, action=row.action, incident=row.incident)
        try:
            plan = await self.delivery.plan(row)
            if plan.behind:
                await self.delivery.put_behind(row)
                return
            results = [await self.sender.run(op) for op in plan.ops]
            await self.delivery.complete(row, plan, results)
            self.delivered += 1
            log_.debug("delivered", ops=len(plan.ops))
        except RetryAfter as error:
            self.retried += 1
            log_.info("rate_limited", retry_after=str(error.retry_after))
            seconds = (
                error.retry_after.total_seconds()
                if hasattr(error.retry_after, "total_seconds")
                else float(error.retry_after)
            )
            await self.delivery.postpone(row, seconds, "429", count=False)
        except ChatMigrated as error:
            await self.delivery.chat_moved(row.chat_id, error.new_chat_id)
        except Forbidden as error:
            await self.delivery.chat_refused(row.chat_id, error.message)
        except BadRequest as error:
            await self.delivery.give_up(row, error.message)
        except NetworkError as error:  # includes timeouts and 5xx answers
            self.retried += 1
            await self._retry(row, type(error).__name__, log_)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # keep the row; a bug must not lose an alert
            log_.exception("delivery_failed")
            await self._retry(row, type(error).__name__, log_)

    async def _retry(self, row: Row, error: str, log_: structlog.BoundLogger) -> None:
        delay = backoff(row.attempts)
        log_.info("delivery_retry", error=error, attempts=row.attempts + 1, delay=round(delay, 2))
        await self.delivery.postpone(row, delay, error)
