"""The outbox worker's own life cycle: it always stops when asked."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from relaybot.telegram.worker import Worker


class IdleDelivery:
    """A delivery with an empty outbox: the worker only waits for wake-ups."""

    def __init__(self) -> None:
        self.ctx = SimpleNamespace(on_outbox=lambda _wake: None, clock=lambda: 0.0)

    async def due(self, _busy: Any, _room: int) -> list[Any]:
        return []

    async def next_due_at(self, _busy: Any) -> float | None:
        return None


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
    worker.start()
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
        worker.start()
        for _ in range(steps):
            worker.wake()
            await asyncio.sleep(0)
        worker.wake()
        assert await stopped_within(worker), steps
        assert not worker.alive, steps
