"""The sliding windows of `WindowRateLimiter`: when a call counts, and that Telegram never sees
more calls in a window than it allows, however the round trip splits."""

from __future__ import annotations

import asyncio
import random
import time

import pytest
from telegram.error import NetworkError

from relaybot.telegram.ratelimit import WindowRateLimiter

CHAT = -1001


class FakeTelegram:
    """A call goes out (`way_out` seconds), is counted by 'Telegram' (its arrival time is
    kept) and is answered (`way_back` seconds later)."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        self.sent: list[float] = []
        self.answers: list[float] = []

    def call(self, way_out: float, way_back: float, fail: bool = False):
        async def go() -> bool:
            self.sent.append(time.monotonic())
            await asyncio.sleep(way_out)
            if fail:
                raise NetworkError("connection reset")
            self.arrivals.append(time.monotonic())
            await asyncio.sleep(way_back)
            self.answers.append(time.monotonic())
            return True

        return go


async def send(limiter: WindowRateLimiter, go) -> object:
    return await limiter.process_request(go, (), {}, "sendMessage", {"chat_id": CHAT}, None)


async def test_a_call_counts_from_before_its_answer_once_a_round_trip_is_known() -> None:
    """Counting from the answer would make each window a round trip longer than Telegram's:
    the call counts from half the fastest round trip before its answer, never before it was
    sent."""
    limiter = WindowRateLimiter(overall=(3, 1.0), group=(100, 60.0), margin=0.0)
    telegram = FakeTelegram()
    await send(limiter, telegram.call(0.05, 0.05))
    counted_from = limiter.overall.stamps[0][0]
    assert telegram.sent[0] <= counted_from <= telegram.answers[0] - 0.045
    assert limiter.fastest >= 0.1


async def test_no_window_ever_holds_more_calls_than_allowed_whatever_the_way_out() -> None:
    """Requests slow on their way out (a loaded machine) land later than they were sent: the
    windows by Telegram's own arrival times never hold more than the limit."""
    limit, period = 3, 0.3
    limiter = WindowRateLimiter(overall=(limit, period), group=(100, 60.0), margin=0.0)
    telegram = FakeTelegram()
    rng = random.Random(5)
    calls = [telegram.call(rng.choice((0.02, 0.02, 0.15)), 0.02) for _ in range(12)]
    await asyncio.gather(*(send(limiter, go) for go in calls))
    arrivals = sorted(telegram.arrivals)
    assert len(arrivals) == 12
    tightest = min(b - a for a, b in zip(arrivals, arrivals[limit:], strict=False))
    assert tightest >= period


async def test_a_call_without_an_answer_counts_from_when_it_failed() -> None:
    """A network error says nothing about when (or whether) Telegram had the call: it counts
    from the failure, and teaches nothing about the round trip."""
    limiter = WindowRateLimiter(overall=(3, 1.0), group=(100, 60.0), margin=0.0)
    telegram = FakeTelegram()
    await send(limiter, telegram.call(0.05, 0.05))
    fastest = limiter.fastest
    with pytest.raises(NetworkError):
        await send(limiter, telegram.call(0.001, 0.0, fail=True))
    failed_at = time.monotonic()
    assert limiter.fastest == fastest
    assert limiter.overall.stamps[-1][0] >= failed_at - 0.01


async def test_a_call_cancelled_while_it_waits_gives_back_its_place_in_the_group() -> None:
    """A call that took its place in a group's window and is cancelled while it waits for the
    overall window (a stop, a handler given up) leaves no place open for ever: an open place
    would keep the group's window from ever dropping old calls."""
    limiter = WindowRateLimiter(overall=(1, 5.0), group=(20, 60.0), margin=0.0)
    telegram = FakeTelegram()
    await send(limiter, telegram.call(0.0, 0.0))
    waiting = asyncio.ensure_future(send(limiter, telegram.call(0.0, 0.0)))
    await asyncio.sleep(0.05)  # it holds a place in the group and waits for the overall window
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert all(place[0] != float("inf") for place in limiter.groups[CHAT].stamps)
