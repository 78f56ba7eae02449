"""Telegram's flood limits (sliding windows) and injected faults."""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass
from typing import Any

from relaybot.sandbox.emulator.errors import ApiError, too_many_requests

# Exempt from faults and flood limits so that a bot can always start.
EXEMPT = frozenset({"getme", "getupdates", "deletewebhook", "setmycommands"})

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def is_counted(method: str) -> bool:
    """Methods that put or change a message in a chat count towards the flood limits."""
    name = method.lower()
    return (name.startswith(("send", "edit")) and name != "sendchataction") or name in (
        "copymessage",
        "forwardmessage",
        "copymessages",
        "forwardmessages",
    )


class RateLimiter:
    """More than `overall_limit` messages per `overall_window` s, or `group_limit` per
    `group_window` s in one group, answers 429 with the seconds until the window frees."""

    def __init__(
        self,
        overall_limit: int = 30,
        overall_window: float = 1.0,
        group_limit: int = 20,
        group_window: float = 60.0,
    ) -> None:
        self.overall_limit = overall_limit
        self.overall_window = overall_window
        self.group_limit = group_limit
        self.group_window = group_window
        self._overall: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}

    def check(self, chat_id: int | None, is_group: bool, now: float) -> None:
        waits = [self._wait(self._overall, self.overall_limit, self.overall_window, now)]
        if is_group and chat_id is not None:
            window = self._groups.setdefault(chat_id, deque())
            waits.append(self._wait(window, self.group_limit, self.group_window, now))
        wait = max(waits)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))

    def record(self, chat_id: int | None, is_group: bool, now: float) -> None:
        self._overall.append(now)
        if is_group and chat_id is not None:
            self._groups.setdefault(chat_id, deque()).append(now)

    @staticmethod
    def _wait(window: deque[float], limit: int, length: float, now: float) -> float:
        while window and window[0] <= now - length:
            window.popleft()
        if len(window) < limit:
            return 0.0
        return window[len(window) - limit] + length - now


@dataclass
class Fault:
    method: str | None
    chat_id: int | None
    error: ApiError
    times: int

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.method is None and method.lower() in EXEMPT:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)


class Faults:
    """Injected errors for the next matching calls, and random 502s at `rate`."""

    def __init__(self, rate: float = 0.0, seed: int = 0) -> None:
        self.rate = rate
        self.rng = random.Random(seed)
        self.planned: list[Fault] = []

    def plan(
        self,
        method: str | None,
        chat_id: int | None,
        error_code: int,
        description: str | None,
        times: int,
        parameters: dict[str, Any] | None,
    ) -> None:
        if error_code == 429 and not parameters:
            parameters = {"retry_after": 1}
        if description is None:
            description = _DEFAULT_DESCRIPTIONS.get(error_code, "Error")
            if error_code == 429:
                description = f"Too Many Requests: retry after {parameters['retry_after']}"
        error = ApiError(error_code, description, parameters)
        self.planned.append(Fault(method, chat_id, error, times))

    def pick(self, method: str, chat_id: Any) -> ApiError | None:
        for fault in self.planned:
            if fault.matches(method, chat_id):
                fault.times -= 1
                if fault.times <= 0:
                    self.planned.remove(fault)
                return fault.error
        if self.rate > 0 and method.lower() not in EXEMPT and self.rng.random() < self.rate:
            return ApiError(502, "Bad Gateway")
        return None
