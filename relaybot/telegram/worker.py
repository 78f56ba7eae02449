"""The delivery worker: drains the outbox with a few sends in flight, most urgent first.

What a crash, a stop or a failing disk can do (spec section 11):
- at most `max_in_flight` sends are under way at once, never two in one chat; each row is
  marked as being sent (committed) before its call, so after a crash exactly those rows are
  sent once more: at most `max_in_flight` duplicates, at most one per chat;
- a stop takes no new rows and waits for the sends in flight to be answered and recorded;
- an answer whose record cannot be written (disk full, database locked) is kept in memory and
  written when the database lets it; meanwhile nothing new is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from telegram.error import ChatMigrated, Forbidden, RetryAfter, TelegramError, TimedOut

from relaybot.domain.intents import Priority, urgent
from relaybot.service.delivery import Delivery, Plan
from relaybot.storage.outbox import Row
from relaybot.telegram.faults import Fault, fault_of, wait_of
from relaybot.telegram.ratelimit import WindowRateLimiter
from relaybot.telegram.sender import Sender

log = structlog.get_logger("relaybot.worker")

IDLE_POLL = 1.0  # seconds: look at the outbox even without a wake-up
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0  # seconds at most between tries of an ordinary row
BACKOFF_CAP_112 = 3.0  # ... and of a 112 notice or edit
WRITE_RETRY_CAP = 2.0  # seconds at most between tries of a write that failed
PROBE_INTERVAL = 3.0  # seconds between tries of one row while Telegram fails
STOP_GRACE = 20.0  # seconds a stop waits for sends in flight (above the read timeout's use)


def backoff(attempts: int, priority: int = Priority.NORMAL) -> float:
    """Capped exponential backoff with full jitter; 112 rows on a short cap."""
    cap = BACKOFF_CAP_112 if priority == Priority.FLAG else BACKOFF_CAP
    return random.uniform(0.5, 1.0) * min(cap, BACKOFF_BASE * 2**attempts)


def _urgent(row: Row) -> bool:
    return urgent(row.priority)


@dataclass(frozen=True)
class Outcome:
    """What came of a row's calls, to be recorded."""

    kind: str  # done | retry | later | moved | refused | gave_up
    results: tuple[int | None, ...] = ()
    seconds: float = 0.0
    error: str = ""
    new_chat: int = 0


class Worker:
    """Sends what the outbox holds, at most `max_in_flight` calls at once and one per chat.

    The dispatcher plans a row, marks it as being sent, and starts its call; the call's answer
    is recorded by its own task the moment it arrives. A chat whose rate window is full is
    held back in memory (no slot taken) until the window frees, so other chats go on.
    """

    def __init__(
        self,
        delivery: Delivery,
        sender: Sender,
        max_in_flight: int = 4,
        limiter: WindowRateLimiter | None = None,
        wakeup: asyncio.Event | None = None,
    ) -> None:
        """`wakeup`: set when new rows wait (the context's wake-up, given when it is built)."""
        self.delivery = delivery
        self.sender = sender
        self.max_in_flight = max(1, max_in_flight)
        self.limiter = limiter
        self.lanes: dict[int, asyncio.Task[None]] = {}  # chat -> its send in flight
        self.ordinary: set[int] = set()  # chats whose send in flight is neither alert nor 112
        self.held: dict[int, float] = {}  # chat -> loop time its rate window frees
        self.ordinary_at = 0.0  # loop time the ordinary rows' share of the budget frees
        self._urgent_due = False  # the last look at the outbox found an alert or 112 row due
        self._wake = wakeup if wakeup is not None else asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._unwritten = 0  # answers waiting for a write the database refused
        self._failed_kinds: set[str] = set()  # network failures since the last success
        self._probed_at = 0.0
        self.delivered = 0
        self.retried = 0
        self.recovered = 0  # rows found in flight after a crash, sent once more

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="relaybot-outbox")

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Take no new rows; let the sends in flight be answered and recorded. The flag ends
        the loop (it looks at it at least every IDLE_POLL seconds), so no cancellation can be
        lost on the way; asyncio.wait leaves a cancellation of the caller to the caller."""
        self._stopping = True
        self._wake.set()
        task = self._task
        if task is not None:
            await asyncio.wait({task})
            if not task.cancelled() and task.exception() is not None:
                log.error("outbox_loop_ended", exc_info=task.exception())
        lanes = list(self.lanes.values())
        if lanes:
            _done, pending = await asyncio.wait(lanes, timeout=grace)
            for lane in pending:  # still unanswered: marked, so sent once more after a start
                lane.cancel()
            if pending:
                log.warning("outbox_stop_unfinished", rows=len(pending))
                await asyncio.wait(pending)
        self.lanes.clear()
        self.ordinary.clear()

    @property
    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def urgent_under_way(self) -> bool:
        """An alert or a 112 row is being sent, or was due at the last look: the update path
        then leaves outsiders' updates waiting (see `InboxQueue.get`), so the event loop and
        the database are the delivery's."""
        if self._stopping:
            return False
        return self._urgent_due or len(self.ordinary) < len(self.lanes)

    @property
    def busy(self) -> bool:
        return bool(self.lanes) or self._unwritten > 0

    # --- dispatching ------------------------------------------------------------------------

    async def _recover(self) -> None:
        """Rows a crash left marked as being sent go out once more (retried while the
        database refuses the write)."""
        while not self._stopping:
            try:
                self.recovered = await self.delivery.recover_in_flight()
            except Exception as error:
                log.warning("outbox_write_failed", error=type(error).__name__)
                await asyncio.sleep(WRITE_RETRY_CAP)
                continue
            if self.recovered:
                log.warning("outbox_resend_after_crash", rows=self.recovered)
            return

    async def _run(self) -> None:
        await self._recover()
        while not self._stopping:
            try:
                timeout = await self._dispatch()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a passing fault (a locked database): look again
                log.warning("outbox_dispatch_failed", error=type(error).__name__)
                timeout = IDLE_POLL
            if timeout is None or self._stopping:
                continue
            # not asyncio.wait_for: on Python 3.11 it returns the wait's result and swallows a
            # cancellation that arrives in the loop iteration the wake-up fired in, and this
            # loop then never ends (stop(), the bot's shutdown and a test's teardown hang)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()

    async def _dispatch(self) -> float | None:
        """Start calls for idle chats with a row due, up to the free slots. Returns how long
        to wait for the next wake-up, or None to look again at once."""
        self._wake.clear()
        if self._unwritten:  # an answer waits for the database: send nothing new meanwhile
            return IDLE_POLL
        loop = asyncio.get_running_loop()
        now = loop.time()
        for chat, until in list(self.held.items()):
            if until <= now:
                del self.held[chat]
        room = self.max_in_flight - len(self.lanes)
        if room <= 0:
            return IDLE_POLL  # a call's end wakes the loop
        # the heads come most urgent first: an alert or a 112 row waiting anywhere is among
        # them, however many answers and cards were queued before it
        heads = await self.delivery.heads(set(self.lanes) | set(self.held), room)
        rows = heads.rows
        self._urgent_due = any(_urgent(row) for row in rows)
        if not rows and not self.lanes and self._probe_due(loop.time()):
            rows = (await self.delivery.heads(set(self.held), 1, any_time=True)).rows
        moved = await self._start(rows, room)  # a row started, finished without a call, ...
        if self._stopping:
            return None
        if moved and len(self.lanes) < self.max_in_flight:
            return None  # look again at once: the next rows of those chats may be due
        waits = [IDLE_POLL]
        if heads.next_at is not None:
            waits.append(heads.next_at - self.delivery.ctx.clock())
        if self.held:
            waits.append(min(self.held.values()) - loop.time())
        if self.ordinary_at > loop.time():
            waits.append(self.ordinary_at - loop.time())
        if self._failed_kinds:
            waits.append(self._probed_at + PROBE_INTERVAL - loop.time())
        return max(0.005, min(waits))

    def _probe_due(self, now: float) -> bool:
        """During an outage every row waits out its backoff; one row is tried every
        PROBE_INTERVAL seconds, so the first success (which wakes them all) comes soon."""
        if not self._failed_kinds or now - self._probed_at < PROBE_INTERVAL:
            return False
        self._probed_at = now
        return True

    async def _start(self, rows: list[Row], room: int) -> bool:
        """Plan the rows, mark those with calls to make as being sent (one write for all) and
        start their calls. False when nothing moved: every chat is held back for its rate
        window (it then gives its slot to another chat meanwhile)."""
        chosen = self._choose(rows, room)
        if not chosen or self._stopping:
            return False
        # the rows' plans are read together: on PostgreSQL each is a round trip, on
        # connections of their own (on SQLite they are read inline, one after another)
        plans = await asyncio.gather(*(self.delivery.plan(row) for row in chosen))
        ready: list[tuple[Row, Plan]] = []
        for row, plan in zip(chosen, plans, strict=True):
            if plan.behind:
                await self.delivery.put_behind(row)
            elif plan.wait:
                await self.delivery.postpone(row, plan.wait, "waiting", count=False)
            elif not plan.ops:
                await self.delivery.complete(row, plan, [])
            else:
                ready.append((row, plan))
                if self.limiter is not None and not _urgent(row):
                    self.limiter.ordinary_started(len(plan.ops))
        if not ready or self._stopping:
            return True
        marked = await self.delivery.mark_sending([row for row, _plan in ready])
        for row, plan in ready:
            if row.id not in marked:
                continue  # no longer waiting (merged, given up or moved meanwhile)
            lane = asyncio.create_task(self._deliver(row, plan), name=f"send-{row.chat_id}")
            self.lanes[row.chat_id] = lane
            if not _urgent(row):
                self.ordinary.add(row.chat_id)
            lane.add_done_callback(lambda _t, chat=row.chat_id: self._done(chat))
        return True

    def _choose(self, rows: list[Row], room: int) -> list[Row]:
        """The rows to start now, at most `room`: while an alert or a 112 row waits, no
        answer starts (the slots the answers in flight give back go to the urgent rows, so a
        112 fan-out soon has all of them); answers take all slots but one and half the
        overall budget; a chat whose rate window is full is held back."""
        chosen: list[Row] = []
        urgent_waiting = any(_urgent(row) for row in rows)
        ordinary = len(self.ordinary)
        for row in rows:
            if len(chosen) >= room:
                break
            if not _urgent(row) and (
                urgent_waiting or ordinary >= self.ordinary_slots or self._ordinary_full()
            ):
                continue  # the last slot is kept for alerts and 112 notices and edits
            if self.limiter is not None:
                wait = self.limiter.group_wait(row.chat_id)
                if wait > 0:  # its window is full: give the slot to another chat meanwhile
                    self.held[row.chat_id] = asyncio.get_running_loop().time() + wait
                    continue
            chosen.append(row)
            ordinary += not _urgent(row)
        return chosen

    def _ordinary_full(self) -> bool:
        """Whether the ordinary rows' half of the overall budget is used up for now (then
        they wait, and the other half stays free for alerts and 112 rows)."""
        if self.limiter is None:
            return False
        wait = self.limiter.ordinary_wait()
        if wait > 0:
            self.ordinary_at = asyncio.get_running_loop().time() + wait
        return wait > 0

    @property
    def ordinary_slots(self) -> int:
        """Sends in flight that are neither an alert nor a 112 notice or edit (answers, lists,
        follow-ups, card edits): all slots but one, so that an alert or a 112 report goes out
        at once even while a flood of answers fills the others."""
        return max(1, self.max_in_flight - 1)

    def _done(self, chat_id: int) -> None:
        self.lanes.pop(chat_id, None)
        self.ordinary.discard(chat_id)
        self._wake.set()

    # --- one row's calls and their record ---------------------------------------------------

    async def _deliver(self, row: Row, plan: Plan) -> None:
        log_ = log.bind(row=row.id, chat=row.chat_id, action=row.kind, incident=row.incident)
        outcome = await self._call(row, plan, log_)
        await self._record(row, plan, outcome, log_)

    async def _call(self, row: Row, plan: Plan, log_: structlog.BoundLogger) -> Outcome:
        try:
            results = tuple([await self.sender.run(op) for op in plan.ops])
        except RetryAfter as error:
            self.retried += 1
            log_.info("rate_limited", retry_after=str(error.retry_after))
            return Outcome("later", seconds=wait_of(error), error="429")
        except ChatMigrated as error:
            return Outcome("moved", new_chat=int(error.new_chat_id))
        except Forbidden as error:
            return Outcome("refused", error=error.message)
        except TimedOut:  # no answer in time: the outcome is unknown, as after a crash
            self.retried += 1
            log_.warning("send_outcome_unknown")
            return Outcome("retry", error="TimedOut")
        except TelegramError as error:  # a 400 or 404 gives up; 5xx, connection failures pass
            if fault_of(error) is Fault.PERMANENT:
                return Outcome("gave_up", error=error.message)
            self.retried += 1
            return Outcome("retry", error=type(error).__name__)
        except Exception as error:  # keep the row; a bug must not lose an alert
            log_.exception("delivery_failed")
            return Outcome("retry", error=type(error).__name__)
        return Outcome("done", results=results)

    async def _record(
        self, row: Row, plan: Plan, outcome: Outcome, log_: structlog.BoundLogger
    ) -> None:
        """Write what came of the row, retrying until the database takes it: a call that was
        made is never made again because its record failed."""
        await self._write(lambda: self._apply(row, plan, outcome, log_), log_)
        if outcome.kind == "done":
            self.delivered += 1
            log_.debug("delivered", ops=len(plan.ops))
            if self._failed_kinds:  # Telegram answers again: what waited out a failure is due
                kinds, self._failed_kinds = set(self._failed_kinds), set()
                await self._write(lambda: self._wake_postponed(kinds), log_)

    async def _apply(
        self, row: Row, plan: Plan, outcome: Outcome, log_: structlog.BoundLogger
    ) -> None:
        delivery = self.delivery
        if outcome.kind == "done":
            await delivery.complete(row, plan, list(outcome.results))
        elif outcome.kind == "later":
            await delivery.postpone(row, outcome.seconds, "429", count=False)
        elif outcome.kind == "moved":
            await delivery.release(row)
            await delivery.chat_moved(row.chat_id, outcome.new_chat)
        elif outcome.kind == "refused":
            await delivery.release(row)
            await delivery.chat_refused(row.chat_id, outcome.error)
        elif outcome.kind == "gave_up":
            await delivery.give_up(row, outcome.error)
        else:
            delay = backoff(row.attempts, row.priority)
            self._failed_kinds.add(outcome.error)
            self._probed_at = asyncio.get_running_loop().time()
            log_.info(
                "delivery_retry",
                error=outcome.error,
                attempts=row.attempts + 1,
                delay=round(delay, 2),
            )
            await delivery.postpone(row, delay, outcome.error)

    async def _wake_postponed(self, kinds: set[str]) -> None:
        woken = await self.delivery.wake_postponed(kinds)
        if woken:
            log.info("outbox_recovered", rows=woken)
            self._wake.set()

    async def _write(
        self, write: Callable[[], Awaitable[None]], log_: structlog.BoundLogger
    ) -> None:
        delay = 0.05
        failing = False
        while True:
            try:
                await write()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not failing:
                    failing = True
                    self._unwritten += 1
                    log_.warning("outbox_write_failed", error=type(error).__name__)
                await asyncio.sleep(delay)
                delay = min(WRITE_RETRY_CAP, delay * 2)
                continue
            if failing:
                self._unwritten -= 1
                log_.info("outbox_write_recovered")
            return
