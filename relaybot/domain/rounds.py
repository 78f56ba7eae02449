"""Surveillance rounds (buurtpreventie walks): what `/ronde` asks for, when a planned round
is, and what a round's card says. Pure: no database, no Telegram.

`/ronde [note]` starts a round, `/ronde klaar [note]` ends it, `/ronde plan <dag> <tijd>
[meeting point]` plans one. A round's card shows who walks while it lasts; once it ended,
only its times and the number of walkers remain (no names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from relaybot.domain.schedule import weekday
from relaybot.domain.texts import Texts

__all__ = [
    "BUTTONS",
    "MIN_WALKERS",
    "REMIND_BEFORE",
    "VEST_ROUND_DAYS",
    "Finish",
    "Plan",
    "Round",
    "Start",
    "Wrong",
    "card",
    "parse",
]

PREFIX = "ronde"
BUTTONS = r"^ronde:(mee|klaar):\d+$"  # "Ik loop mee" and the starter's "Klaar"
REMIND_BEFORE = 3600.0  # seconds before a planned round its walkers are reminded
MIN_WALKERS = 2  # fewer signed up an hour before: the group hears so
VEST_ROUND_DAYS = 60  # vests but no round this long: the report marks the initiative
FINISH_WORDS = ("klaar", "stop", "done", "end")
PLAN_WORDS = ("plan", "gepland", "plannen")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2})|u)$")
_TODAY = ("vandaag", "today")
_TOMORROW = ("morgen", "tomorrow")


@dataclass(frozen=True)
class Start:
    note: str = ""


@dataclass(frozen=True)
class Finish:
    note: str = ""


@dataclass(frozen=True)
class Plan:
    at: float  # Unix time the round starts
    meeting: str = ""


@dataclass(frozen=True)
class Wrong:
    """Input the command cannot take: the text key that says what it expects."""

    key: str
    values: dict[str, str] = field(default_factory=dict)


def parse(args: str, now: float, zone: ZoneInfo) -> Start | Finish | Plan | Wrong:
    """What `/ronde <args>` asks for. A planned round lies ahead: a weekday means its next
    one (today when the time is still to come), 'vandaag'/'morgen' the day itself."""
    words = args.split(maxsplit=1)
    first = words[0].lower() if words else ""
    rest = words[1].strip() if len(words) > 1 else ""
    if first in FINISH_WORDS:
        return Finish(rest)
    if first not in PLAN_WORDS:
        return Start(args.strip())
    parts = rest.split(maxsplit=2)
    if len(parts) < 2:
        return Wrong("round_plan_usage")
    day_word, time_word = parts[0].lower(), parts[1].lower()
    moment = _time(time_word)
    if moment is None:
        return Wrong("round_plan_bad_time", {"word": parts[1]})
    local = datetime.fromtimestamp(now, zone)
    if day_word in _TODAY or day_word in _TOMORROW:
        day = local.date() + timedelta(days=0 if day_word in _TODAY else 1)
    else:
        number = weekday(day_word)
        if number is None:
            return Wrong("round_plan_bad_day", {"word": parts[0]})
        day = local.date() + timedelta(days=(number - local.weekday()) % 7)
        if datetime.combine(day, moment, zone).timestamp() <= now:
            day += timedelta(days=7)
    at = datetime.combine(day, moment, zone).timestamp()
    if at <= now:
        return Wrong("round_plan_past")
    return Plan(at, parts[2].strip() if len(parts) > 2 else "")


def _time(word: str) -> time | None:
    """'21:00', '9.30', '21u' -> the time; anything else None."""
    found = _TIME.match(word)
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


@dataclass(frozen=True)
class Round:
    """One round as its card shows it. `walkers`: the names while it lasts; once it ended
    only `count` is kept."""

    id: int
    chat_id: int
    starter_id: int | None
    starter: str
    started_at: float | None  # None: planned, not begun
    planned_at: float | None = None
    ended_at: float | None = None
    note: str = ""
    meeting: str = ""
    walkers: tuple[str, ...] = ()
    count: int = 0
    card_message_id: int | None = None

    @property
    def open(self) -> bool:
        return self.started_at is not None and self.ended_at is None


def clock(at: float, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(at, zone).strftime("%H:%M")


def day_and_time(texts: Texts, at: float, zone: ZoneInfo) -> str:
    """'zaterdag 12-12 om 21:00'."""
    local = datetime.fromtimestamp(at, zone)
    return texts.plain(
        "round_moment",
        day=texts.plain(f"weekday_{local.weekday()}"),
        date=local.strftime("%d-%m"),
        time=local.strftime("%H:%M"),
    )


def walkers_line(texts: Texts, count: int) -> str:
    """'1 loper', '3 lopers'."""
    return texts.count("count_walkers", count)


def card(texts: Texts, item: Round, zone: ZoneInfo, *, auto: bool = False) -> str:
    """The round's card: planned, under way, or walked (then without names)."""
    lines: list[str]
    if item.ended_at is not None and item.started_at is not None:
        key = "round_card_ended_auto" if auto else "round_card_ended"
        lines = [
            texts(
                key,
                start=clock(item.started_at, zone),
                end=clock(item.ended_at, zone),
                walkers=walkers_line(texts, item.count),
            )
        ]
    elif item.started_at is not None:
        lines = [texts("round_card_open", name=item.starter, time=clock(item.started_at, zone))]
    else:
        assert item.planned_at is not None
        lines = [texts("round_card_planned", moment=day_and_time(texts, item.planned_at, zone))]
        if item.meeting:
            lines.append(texts("round_card_meeting", meeting=item.meeting))
    if item.note:
        lines.append(texts("round_card_note", note=item.note))
    if item.ended_at is None:
        names = ", ".join(item.walkers) or texts.plain("round_nobody")
        lines.append(texts("round_card_walkers", names=names))
    return "\n".join(lines)


def buttons(texts: Texts, item: Round) -> tuple[tuple[str, str], ...]:
    """'Ik loop mee' while the round is planned or under way; 'Klaar' once it walks."""
    if item.ended_at is not None:
        return ()
    join = (texts.plain("button_round_join"), f"{PREFIX}:mee:{item.id}")
    if item.started_at is None:
        return (join,)
    return (join, (texts.plain("button_round_done"), f"{PREFIX}:klaar:{item.id}"))
