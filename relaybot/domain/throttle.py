"""How many answers (not alerts) a chat and a person may get: a flood never delays an alert.

An *answer* is a line the bot sends because someone asked or did something that needs no
alert: help, lists, refusals, "112 is al gebeld" replies, the unknown-group line. Telegram
lets a bot send about 20 messages a minute into one group; answers may use at most half of
that, so alerts always find room; likewise answers to all chats together take at most half of
the bot's 30 messages a second. One person gets at most a few answers a minute (the caller
passes no person for a co-admin or a contact person). What is over the limit is dropped (the
caller logs and counts it): the asker already saw an answer a moment ago, and a flood must not
buy itself a queue.

Pure bookkeeping in memory (a restart forgets it, which is harmless): sliding windows of the
times answers were allowed.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

__all__ = ["AnswerLimits", "AnswerThrottle", "Spreader"]

GROUP_PER_MINUTE = 20  # Telegram's budget for one group
PRIVATE_PER_MINUTE = 60  # about one a second in a private chat
OVERALL_PER_SECOND = 30  # Telegram's budget for all chats together


@dataclass(frozen=True)
class AnswerLimits:
    """Answers allowed per sliding window (seconds)."""

    group: int = GROUP_PER_MINUTE // 2  # half a group's budget, the other half is for alerts
    private: int = PRIVATE_PER_MINUTE // 2
    person: int = 3  # per person in one chat
    window: float = 60.0
    overall: int = OVERALL_PER_SECOND // 2  # all chats together, per overall_window
    overall_window: float = 1.0


class AnswerThrottle:
    """Decides, answer by answer, whether one more fits the chat's and the person's window."""

    def __init__(self, limits: AnswerLimits | None = None) -> None:
        self.limits = limits or AnswerLimits()
        self._chats: dict[int, deque[float]] = {}
        self._people: dict[tuple[int, int], deque[float]] = {}
        self._overall: deque[float] = deque()
        self.dropped = 0

    def allow(self, chat_id: int, person_id: int | None, now: float, messages: int = 1) -> bool:
        """True (and counted) when an answer into ``chat_id`` for ``person_id`` fits both
        windows; False when it is to be dropped. A group has a negative id. An answer sent
        as several messages (a long text, split) counts each against the chat's and the
        overall budget, one against the person's; one longer than a whole budget still fits
        an idle chat."""
        limits = self.limits
        since = now - limits.window
        chat = self._window(self._chats, chat_id, since)
        chat_limit = limits.group if chat_id < 0 else limits.private
        person = None
        if person_id is not None and chat_id < 0:
            person = self._window(self._people, (chat_id, person_id), since)
        overall = self._overall
        while overall and overall[0] <= now - limits.overall_window:
            overall.popleft()
        to_chat = min(max(messages, 1), chat_limit)
        to_all = min(max(messages, 1), limits.overall)
        if (
            len(chat) + to_chat > chat_limit
            or (person is not None and len(person) >= limits.person)
            or len(overall) + to_all > limits.overall
        ):
            self.dropped += 1
            return False
        overall.extend([now] * to_all)
        chat.extend([now] * to_chat)
        if person is not None:
            person.append(now)
        if len(self._people) > 4096 or len(self._chats) > 4096:
            self._forget(since)
        return True

    @staticmethod
    def _window(table: dict[Any, deque[float]], key: Any, since: float) -> deque[float]:
        times = table.setdefault(key, deque())
        while times and times[0] <= since:
            times.popleft()
        return times

    def _forget(self, since: float) -> None:
        """Drop windows with nothing left in them (a long-running bot meets many people)."""
        for table in (self._chats, self._people):
            for key in [k for k, times in table.items() if not times or times[-1] <= since]:
                del table[key]


class Spreader:
    """Times for lines into one chat that must never crowd out its alerts: at most ``limit``
    in any ``window`` seconds, later ones scheduled (not dropped) for when the window has
    room. The regiegroep hears of every unknown group this way, one line each."""

    def __init__(self, limit: int = 5, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._times: deque[float] = deque()

    def slot(self, now: float) -> float:
        """The earliest time, not before ``now``, at which one more line fits; reserved."""
        times = self._times
        while times and times[0] <= now - self.window:
            times.popleft()
        at = now if len(times) < self.limit else max(now, times[-self.limit] + self.window)
        times.append(at)
        return at
