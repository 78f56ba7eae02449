"""Staying inside Telegram's flood limits without being told.

Telegram allows about 30 messages a second overall and 20 a minute per group. The
python-telegram-bot `AIORateLimiter` models these as leaky buckets (aiolimiter), which after a
quiet spell let through a full bucket and then refill it at once, up to twice the rate in the
first second: a fan-out to every neighbourhood of a large network then meets 429s. This
limiter implements the same public `BaseRateLimiter` interface with sliding windows: never
more than N calls in any window, with a small margin for the time a request is under way.

When does Telegram count a call? When it receives it: somewhere between the moment the bot sends
it and the moment the answer arrives. Counting from the answer is always safe but makes every
window a round trip longer than Telegram's (a 60-chat fan-out with a 100 ms round trip takes
1.12 times the bound). Counting from the send gets the round trip back, but a request that is
slow on its way out (a loaded machine, a busy network) then lands later than the bot thinks, and
meets a 429. This limiter counts from the answer, moved back by half the fastest round trip it
has seen: the answer's way back takes at least that long, so Telegram had the call by then,
however slow the request was on its way out. (The assumption: no answer comes back in less than
half the fastest round trip, which holds for any route whose two ways are alike.)
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import BaseRateLimiter

# Methods that put or change a message in a chat: what Telegram's flood limits count.
COUNTED_PREFIXES = ("send", "edit", "copy", "forward")


def counted(endpoint: str) -> bool:
    name = endpoint.lower()
    return name.startswith(COUNTED_PREFIXES) and name != "sendchataction"


class Window:
    """At most `limit` calls in any `period` seconds, first come, first served.

    A call holds its place without expiring until its answer arrives; then it counts from the
    moment Telegram surely had it (`done`: see the module docstring).
    """

    POLL = 0.01  # seconds between looks while the oldest counted call is still under way

    def __init__(self, limit: int, period: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.period = period
        self.clock = clock
        self.stamps: deque[list[float]] = deque()  # [time the answer came]; inf while under way
        self.lock = asyncio.Lock()

    def wait_needed(self) -> float:
        now = self.clock()
        while self.stamps and self.stamps[0][0] <= now - self.period:
            self.stamps.popleft()
        if len(self.stamps) < self.limit:
            return 0.0
        oldest = self.stamps[len(self.stamps) - self.limit][0]
        return self.POLL if oldest == math.inf else oldest + self.period - now

    async def acquire(self) -> list[float]:
        """Wait for room; returns the call's place, to hand to `done` when it is answered."""
        async with self.lock:
            while (wait := self.wait_needed()) > 0:  # noqa: ASYNC110 - waits on time, not state
                await asyncio.sleep(wait)
            place = [math.inf]
            self.stamps.append(place)
            return place

    def done(self, place: list[float], way_back: float = 0.0) -> None:
        """The call was answered; Telegram had it at least `way_back` seconds before."""
        place[0] = self.clock() - way_back


class WindowRateLimiter(BaseRateLimiter[int]):
    """Sliding-window limits for the whole bot and for each group.

    A call waits for its group's window first and only then for the overall one, so a busy
    group never holds up the others. A 429 that arrives anyway is retried `max_retries` times
    after `retry_after`; past that it is raised (the outbox worker then postpones the row).
    """

    def __init__(
        self,
        overall: tuple[int, float] = (30, 1.0),
        group: tuple[int, float] = (20, 60.0),
        margin: float = 0.02,
        max_retries: int = 0,
    ) -> None:
        self.overall = Window(overall[0], overall[1] * (1 + margin))
        # rows that are neither an alert nor a 112 row start at most half as often, so an
        # alert or a 112 fan-out always finds half the overall budget free
        self.ordinary = Window(max(1, overall[0] // 2), overall[1] * (1 + margin))
        self.group_limit = (group[0], group[1] * (1 + margin))
        self.groups: dict[int | str, Window] = {}
        self.max_retries = max_retries
        self.fastest = math.inf  # the fastest round trip of a counted call that got an answer

    def way_back(self) -> float:
        """How long an answer surely took to come back: half the fastest round trip."""
        return self.fastest / 2 if self.fastest < math.inf else 0.0

    def answered(self, round_trip: float) -> None:
        self.fastest = min(self.fastest, round_trip)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        self.groups.clear()

    def _group(self, chat_id: int | str) -> Window:
        window = self.groups.get(chat_id)
        if window is None:
            window = self.groups[chat_id] = Window(*self.group_limit)
        return window

    def group_wait(self, chat_id: int) -> float:
        """Seconds until a group's window lets one more call through (0: at once). The worker
        asks before it takes a slot, so a lane never sits waiting for a chat's window."""
        if chat_id >= 0:
            return 0.0
        window = self.groups.get(chat_id)
        return window.wait_needed() if window is not None else 0.0

    def ordinary_wait(self) -> float:
        """Seconds until a row that is neither an alert nor a 112 row may start (0: now)."""
        return self.ordinary.wait_needed()

    def ordinary_started(self, calls: int) -> None:
        """Such a row starts, with this many calls: counted from now."""
        now = self.ordinary.clock()
        self.ordinary.stamps.extend([now] for _ in range(calls))

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        chat_id = data.get("chat_id")
        limited = counted(endpoint) and chat_id is not None
        is_group = isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)
        for attempt in range(retries + 1):
            places: list[tuple[Window, list[float]]] = []
            sent = time.monotonic()
            answered = False
            try:
                # inside the try: a call cancelled while it waits for the overall window
                # still gives back its place in the group's (counted from now)
                if limited:
                    if is_group:
                        group = self._group(chat_id)
                        places.append((group, await group.acquire()))
                    places.append((self.overall, await self.overall.acquire()))
                sent = time.monotonic()
                result = await callback(*args, **kwargs)
                answered = True
                return result
            except RetryAfter as error:
                answered = True
                if attempt >= retries:
                    raise
                delay = error.retry_after
                await asyncio.sleep(getattr(delay, "total_seconds", lambda d=delay: d)())
            except BadRequest:
                answered = True  # a refusal is an answer too (PTB files it under NetworkError)
                raise
            except (NetworkError, TimedOut):
                raise  # no answer: nothing learnt about the round trip
            except TelegramError:
                answered = True  # a refusal is an answer too
                raise
            finally:
                if answered and places:
                    self.answered(time.monotonic() - sent)
                way_back = self.way_back() if answered else 0.0  # unanswered: from now
                for window, place in places:
                    window.done(place, way_back)
        raise AssertionError("unreachable")
