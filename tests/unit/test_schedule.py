"""The weekly digest moment: parsing, and the last and next moment in the network's zone."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from relaybot.domain.schedule import Weekly, parse_weekly

AMS = ZoneInfo("Europe/Amsterdam")


def at(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=AMS).timestamp()


def test_parse_english_dutch_and_off() -> None:
    """'monday 09:00' and 'Maandag 9:00' mean the same moment; '' means no digest."""
    assert parse_weekly("monday 09:00") == Weekly(0, time(9, 0))
    assert parse_weekly("  Maandag 9:00 ") == Weekly(0, time(9, 0))
    assert parse_weekly("zondag 23:59") == Weekly(6, time(23, 59))
    assert parse_weekly("") is None


@pytest.mark.parametrize(
    "text",
    [
        "monday",
        "someday 09:00",
        "monday 24:00",
        "monday 09:60",
        "monday 9",
        "mo 9:5",
        "monday ab:00",
    ],
)
def test_parse_refuses_what_is_not_a_weekly_moment(text: str) -> None:
    """Anything but a weekday and HH:MM is refused with a line saying what is expected."""
    with pytest.raises(ValueError, match="a weekday and a time such as 'monday 09:00'"):
        parse_weekly(text)


def test_last_and_next_moment() -> None:
    """On a Wednesday the last Monday 09:00 is two days back and the next is in five days;
    at 09:00 sharp the moment is now."""
    weekly = Weekly(0, time(9, 0))
    wednesday = at("2026-11-25 12:00")
    assert weekly.last(wednesday, AMS) == at("2026-11-23 09:00")
    assert weekly.next(wednesday, AMS) == at("2026-11-30 09:00")
    assert weekly.last(at("2026-11-30 09:00"), AMS) == at("2026-11-30 09:00")
    assert weekly.last(at("2026-11-30 08:59"), AMS) == at("2026-11-23 09:00")


def test_local_time_holds_across_summer_time() -> None:
    """09:00 local stays 09:00 local when the clocks change (the week is 167 hours then)."""
    weekly = Weekly(0, time(9, 0))
    after_change = at("2026-03-31 12:00")  # summer time began on 29 March
    assert weekly.last(after_change, AMS) == at("2026-03-30 09:00")
    assert weekly.last(after_change, AMS) - weekly.last(at("2026-03-29 12:00"), AMS) == 167 * 3600


def test_another_weekday_and_local_midnight() -> None:
    """Friday 17:30 seen from a Wednesday is five days back; Monday 00:15 seen at 00:30 on
    Monday in Amsterdam (still Sunday in UTC) is today's, and the next is a week on."""
    friday = Weekly(4, time(17, 30))
    assert friday.last(at("2026-11-25 12:00"), AMS) == at("2026-11-20 17:30")
    assert friday.next(at("2026-11-25 12:00"), AMS) == at("2026-11-27 17:30")
    just_after = Weekly(0, time(0, 15))
    assert just_after.last(at("2026-11-30 00:30"), AMS) == at("2026-11-30 00:15")
    assert just_after.next(at("2026-11-30 00:30"), AMS) == at("2026-12-07 00:15")
