"""The outbox worker's own life cycle (it always stops when asked) and its slots."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from relaybot.domain.intents import Alert, FlagNotice, Say
from relaybot.service.delivery import Plan
from relaybot.storage.outbox import Heads, Priority, Row
from relaybot.telegram.worker import Worker


class IdleDelivery:
    """A delivery with an empty outbox: the worker only waits for wake-ups."""

    def __init__(self) -> None:
        self.ctx = SimpleNamespace(clock=lambda: 0.0)

    async def recover_in_flight(self) -> int:
        return 0

    async def heads(self, _busy: Any, _limit: int, *, any_time: bool = False) -> Heads:
        return Heads([], None)


async def stopped_within(worker: Worker, seconds: float = 5.0) -> bool:
    """Whether `stop()` returns within the time. Waits without cancelling it (a cancel would
    reach the worker's task a second time and hide a first one that was lost)."""
    stopping = asyncio.ensure_future(worker.stop())
    done, _ = await asyncio.wait({stopping}, timeout=seconds)
    if not done:  # clean up: a worker that lost its cancel would outlive the test
        worker._stopping = True  # the fixed worker's flag; harmless on the old one
        for _ in range(3):
            if worker._task is not None:
                worker._task.cancel()
            await asyncio.sleep(0.05)
        await asyncio.wait({stopping}, timeout=seconds)
    return bool(done)


async def test_stop_right_after_a_wake_up_ends_the_worker() -> None:
    """A wake-up (a lane ending, a handler writing to the outbox) that lands just before the
    stop must not eat the cancellation: the worker would go on polling the outbox and
    `stop()` (and with it the bot's shutdown and a test's teardown) would wait forever.
    Python 3.11's asyncio.wait_for returned the wait's result and swallowed the cancel when
    the waited-for event had fired in the same loop iteration."""
    worker = Worker(IdleDelivery(), sender=None)  # type: ignore[arg-type]
    await worker.start()
    for _ in range(5):
        await asyncio.sleep(0)  # the worker is now waiting for a wake-up
    worker.wake()
    await asyncio.sleep(0)  # the wait has ended; the worker has not run yet
    assert await stopped_within(worker)
    assert not worker.alive


async def test_stop_ends_the_worker_whenever_it_comes() -> None:
    """Stops at every point of the worker's first few loop iterations all end it."""
    for steps in range(12):
        worker = Worker(IdleDelivery(), sender=None)  # type: ignore[arg-type]
        await worker.start()
        for _ in range(steps):
            worker.wake()
            await asyncio.sleep(0)
        worker.wake()
        assert await stopped_within(worker), steps
        assert not worker.alive, steps


class Outbox(IdleDelivery):
    """Rows waiting in memory, handed out most urgent first, one per idle chat."""

    def __init__(self, rows: list[Row]) -> None:
        super().__init__()
        self.waiting = list(rows)

    def add(self, row: Row) -> None:
        self.waiting.append(row)

    async def heads(self, busy: Any, limit: int, *, any_time: bool = False) -> Heads:
        ready = sorted((r for r in self.waiting if r.chat_id not in busy), key=lambda r: r.priority)
        return Heads(ready[:limit], None)

    async def plan(self, row: Row) -> Plan:
        return Plan([row.chat_id])  # type: ignore[list-item]

    async def mark_sending(self, rows: list[Row]) -> set[int]:
        for row in rows:
            self.waiting.remove(row)
        return {row.id for row in rows}

    async def complete(self, row: Row, plan: Plan, results: list[Any]) -> None:
        pass


class SlowTelegram:
    """Each call waits until the test lets it through; the chats called so far, in order."""

    def __init__(self) -> None:
        self.called: list[int] = []
        self.go = asyncio.Event()

    async def run(self, chat_id: int) -> int:
        self.called.append(chat_id)
        await self.go.wait()
        return 1


def _row(n: int, chat: int, priority: int | None = None, kind: type = Say) -> Row:
    intent = Say(chat, "x") if kind is Say else kind(chat, 1)
    return Row(n, chat, intent.priority if priority is None else priority, intent)


async def _until(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not reached")


async def test_answers_leave_a_slot_free_for_a_112_notice() -> None:
    """While a flood of answers (help texts, lists) keeps Telegram busy, one of the sends in
    flight is always free for an alert or a 112 notice: it goes out at once, not after an
    answer has been answered."""
    outbox = Outbox([_row(n, -100 - n) for n in range(1, 9)])
    telegram = SlowTelegram()
    worker = Worker(outbox, telegram, max_in_flight=4)  # type: ignore[arg-type]
    await worker.start()
    try:
        await _until(lambda: len(telegram.called) == 3)
        await asyncio.sleep(0.05)
        assert len(telegram.called) == 3  # three answers under way, the fourth slot kept
        outbox.add(_row(20, -200, Priority.FLAG, FlagNotice))
        outbox.add(_row(21, -201, kind=Alert))
        worker.wake()
        await _until(lambda: -200 in telegram.called)
        assert telegram.called[3] == -200  # the 112 notice took the kept slot at once
    finally:
        telegram.go.set()
        assert await stopped_within(worker)


class GatedTelegram:
    """Each call waits until the test lets that chat's call through."""

    def __init__(self) -> None:
        self.called: list[int] = []
        self.gates: dict[int, asyncio.Event] = {}

    async def run(self, chat_id: int) -> int:
        self.called.append(chat_id)
        await self.gates.setdefault(chat_id, asyncio.Event()).wait()
        return 1

    def answer(self, chat_id: int) -> None:
        self.gates.setdefault(chat_id, asyncio.Event()).set()


async def test_no_answer_starts_while_an_urgent_row_waits() -> None:
    """Slots free and an alert queued after two answers: the alert
    starts first, and the answers only once no alert or 112 row is left waiting (started in
    the same dispatch, the answers would take slots the next urgent rows need)."""
    outbox = Outbox([_row(1, -101)])
    telegram = GatedTelegram()
    worker = Worker(outbox, telegram, max_in_flight=4)  # type: ignore[arg-type]
    await worker.start()
    try:
        await _until(lambda: telegram.called == [-101])  # one answer under way
        outbox.add(_row(2, -102))
        outbox.add(_row(3, -103))
        outbox.add(_row(4, -300, kind=Alert))
        worker.wake()
        await _until(lambda: len(telegram.called) == 4)
        assert telegram.called == [-101, -300, -102, -103]
    finally:
        for chat in (-101, -102, -103, -300):
            telegram.answer(chat)
        assert await stopped_within(worker)


async def test_alerts_may_take_every_slot() -> None:
    """An alert's fan-out uses all the sends in flight (the kept slot is only kept from
    answers): with four in flight, four alerts go out together."""
    outbox = Outbox([_row(n, -100 - n, kind=Alert) for n in range(1, 9)])
    telegram = SlowTelegram()
    worker = Worker(outbox, telegram, max_in_flight=4)  # type: ignore[arg-type]
    await worker.start()
    try:
        await _until(lambda: len(telegram.called) == 4)
    finally:
        telegram.go.set()
        assert await stopped_within(worker)


async def test_an_alert_waiting_behind_answers_takes_the_kept_slot() -> None:
    """An alert queued after five answers: with the answers' slots all taken, the worker
    starts the alert in the kept slot (alerts have a priority of their own)."""
    outbox = Outbox([_row(n, -100 - n) for n in range(1, 6)])
    telegram = SlowTelegram()
    worker = Worker(outbox, telegram, max_in_flight=4)  # type: ignore[arg-type]
    await worker.start()
    try:
        await _until(lambda: len(telegram.called) == 3)
        outbox.add(_row(9, -109, kind=Alert))
        worker.wake()
        await _until(lambda: len(telegram.called) == 4)
        assert telegram.called[3] == -109
    finally:
        telegram.go.set()
        assert await stopped_within(worker)


async def test_urgent_work_is_under_way_while_an_alert_is_sent() -> None:
    """The worker says when an alert or a 112 row is due or being sent (the update path
    then lets outsiders wait), and stops saying so once they are out; answers alone do not
    count."""
    outbox = Outbox([_row(1, -101)])
    telegram = GatedTelegram()
    worker = Worker(outbox, telegram, max_in_flight=4)  # type: ignore[arg-type]
    await worker.start()
    try:
        await _until(lambda: telegram.called == [-101])
        assert not worker.urgent_under_way
        outbox.add(_row(2, -300, kind=Alert))
        worker.wake()
        await _until(lambda: -300 in telegram.called)
        assert worker.urgent_under_way
        telegram.answer(-300)
        await _until(lambda: not worker.urgent_under_way)
    finally:
        telegram.answer(-101)
        assert await stopped_within(worker)
