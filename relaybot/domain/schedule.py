"""A weekly moment in the network's time zone ("monday 09:00"), for the digest.

Pure functions of a Unix time and a zone: which weekly moment came last, which comes next.
Local wall-clock time is what counts: a digest set for 09:00 goes out at 09:00 in summer
and in winter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["Weekly", "parse_weekly"]

_DAYS = {
    **{
        name: number
        for number, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    **{
        name: number
        for number, name in enumerate(
            ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
        )
    },
}


@dataclass(frozen=True)
class Weekly:
    """A day of the week (0 = Monday) and a local time."""

    weekday: int
    at: time

    def last(self, now: float, zone: ZoneInfo) -> float:
        """The most recent such moment at or before ``now`` (Unix time)."""
        local = datetime.fromtimestamp(now, zone)
        days_back = (local.weekday() - self.weekday) % 7
        day = local.date() - timedelta(days=days_back)
        moment = datetime.combine(day, self.at, zone)
        if moment.timestamp() > now:
            moment = datetime.combine(day - timedelta(days=7), self.at, zone)
        return moment.timestamp()

    def next(self, now: float, zone: ZoneInfo) -> float:
        """The first such moment after ``now`` (Unix time)."""
        last = datetime.fromtimestamp(self.last(now, zone), zone)
        return datetime.combine(last.date() + timedelta(days=7), self.at, zone).timestamp()


def weekday(word: str) -> int | None:
    """'maandag' or 'monday' -> 0 ... 'zondag' or 'sunday' -> 6; None for another word."""
    return _DAYS.get(word.strip().lower())


def parse_weekly(text: str) -> Weekly | None:
    """'monday 09:00' (or 'maandag 9:00') -> Weekly; '' -> None (off).

    Raises :class:`ValueError` with a message that says what is expected.
    """
    words = text.strip().lower().split()
    if not words:
        return None
    expected = f"must be a weekday and a time such as 'monday 09:00', or '' for off (got {text!r})"
    if len(words) != 2 or words[0] not in _DAYS:
        raise ValueError(expected)
    hour, _, minute = words[1].partition(":")
    if not (hour.isdigit() and minute.isdigit() and len(minute) == 2):
        raise ValueError(expected)
    if int(hour) > 23 or int(minute) > 59:
        raise ValueError(expected)
    return Weekly(_DAYS[words[0]], time(int(hour), int(minute)))
