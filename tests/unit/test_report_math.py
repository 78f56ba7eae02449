"""The report's arithmetic: periods in the network's time zone, medians, totals, inactivity."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from relaybot.domain.report import (
    REGIE,
    TOTAL,
    Hood,
    Period,
    Tally,
    build_report,
    is_inactive,
    median,
)

AMS = ZoneInfo("Europe/Amsterdam")
DAY = 86400.0


def at(text: str) -> float:
    """Unix time of a local Amsterdam time 'YYYY-MM-DD HH:MM'."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=AMS).timestamp()


def test_median_of_odd_even_and_no_values() -> None:
    """The median is the middle value, the mean of the two middle ones, or None for none."""
    assert median([7, 1, 3]) == 3
    assert median([4, 1, 3, 10]) == 3.5
    assert median([5]) == 5
    assert median([]) is None


def test_default_period_is_the_last_twelve_whole_months() -> None:
    """Without dates the period is the 12 whole months before the current one: it ends with
    the last whole month and never holds a part of a month (no two partial Decembers)."""
    period = Period.resolve(None, None, at("2026-12-07 10:00"), AMS)
    assert (period.since, period.until) == (date(2025, 12, 1), date(2026, 11, 30))
    assert len(period.months()) == 12
    period = Period.resolve(None, None, at("2026-11-29 00:30"), AMS)
    assert (period.since, period.until) == (date(2025, 11, 1), date(2026, 10, 31))


def test_default_period_in_january_is_the_last_calendar_year() -> None:
    """In January the last whole month is December: the default is last calendar year."""
    period = Period.resolve(None, None, at("2027-01-15 12:00"), AMS)
    assert (period.since, period.until) == (date(2026, 1, 1), date(2026, 12, 31))


def test_default_period_ending_in_february_of_the_year_after_a_leap_year() -> None:
    """Ending with February 2029, the period starts on 1 March 2028, not on 29 February."""
    period = Period.resolve(None, None, at("2029-03-10 12:00"), AMS)
    assert (period.since, period.until) == (date(2028, 3, 1), date(2029, 2, 28))
    assert len(period.months()) == 12


def test_default_period_from_the_29th_of_february() -> None:
    """A year before 29 February is 28 February; the period starts the day after."""
    period = Period.resolve(None, date(2028, 2, 29), 0, AMS)
    assert period.since == date(2027, 3, 1)


def test_since_alone_runs_up_to_today() -> None:
    """A start without an end runs up to today (local), as the period asked for."""
    period = Period.resolve(date(2026, 11, 1), None, at("2026-11-29 00:30"), AMS)
    assert (period.since, period.until) == (date(2026, 11, 1), date(2026, 11, 29))


def test_local_date_decides_the_last_whole_month() -> None:
    """Just after local midnight on 1 July it is already July, although UTC is still in
    June: June is the last whole month."""
    period = Period.resolve(None, None, at("2026-07-01 00:30"), AMS)
    assert (period.since, period.until) == (date(2025, 7, 1), date(2026, 6, 30))


def test_period_bounds_are_local_midnights_in_summer_and_winter() -> None:
    """Start and end are local midnight: UTC+2 in summer, UTC+1 in winter."""
    period = Period(date(2026, 7, 1), date(2026, 12, 31), AMS)
    assert period.start == datetime(2026, 6, 30, 22, 0, tzinfo=ZoneInfo("UTC")).timestamp()
    assert period.end == datetime(2026, 12, 31, 23, 0, tzinfo=ZoneInfo("UTC")).timestamp()
    assert period.contains(at("2026-07-01 00:00"))
    assert not period.contains(at("2026-06-30 23:59"))
    assert period.contains(at("2026-12-31 23:59"))
    assert not period.contains(at("2027-01-01 00:00"))


def test_start_after_end_is_refused() -> None:
    """--since after --until is a clear error naming both dates."""
    with pytest.raises(ValueError, match="--since 2026-05-02 is after --until 2026-05-01"):
        Period.resolve(date(2026, 5, 2), date(2026, 5, 1), 0, AMS)


def test_one_day_period() -> None:
    """--since and --until the same day is that whole day."""
    period = Period.resolve(date(2026, 5, 1), date(2026, 5, 1), 0, AMS)
    assert period.end - period.start == DAY
    assert period.months() == ["2026-05"]


def test_months_cross_a_year() -> None:
    """The months a period touches run across the turn of the year, oldest first."""
    period = Period(date(2025, 11, 15), date(2026, 2, 3), AMS)
    assert period.months() == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert period.month_starts()[0] == period.start
    assert period.month_starts()[1] == at("2025-12-01 00:00")


def test_as_of_is_the_end_or_now() -> None:
    """A report about the past describes its end; one that ends today describes now."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31), AMS)
    assert period.as_of(at("2026-06-01 12:00")) == at("2026-02-01 00:00")
    assert period.as_of(at("2026-01-15 12:00")) == at("2026-01-15 12:00")


def test_raised_counts_in_the_period_and_its_local_month() -> None:
    """An incident counts for its place and for its local month; outside the period not at all."""
    period = Period(date(2026, 1, 1), date(2026, 3, 31), AMS)
    tally = Tally(period, period.end)
    tally.raised("goor-oost", at("2026-01-31 23:30"))  # still January locally (UTC: 22:30)
    tally.raised("goor-oost", at("2026-02-01 00:10"))  # February locally, January in UTC
    tally.raised(REGIE, at("2026-03-31 23:59"))
    tally.raised("goor-oost", at("2025-12-31 23:59"))  # before the period
    tally.raised("goor-oost", at("2026-04-01 00:00"))  # after it
    tally.raised(None, at("2026-02-10 10:00"))  # a place no longer in the file: month only
    assert tally.place("goor-oost").raised == 2
    assert tally.place(REGIE).raised == 1
    assert tally.per_month == [1, 2, 1]


def test_flagged_minutes_and_period() -> None:
    """A first 112 report counts with its minutes since the incident began, in its period."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31), AMS)
    tally = Tally(period, period.end)
    tally.flagged("goor-oost", at("2026-01-10 21:52"), at("2026-01-10 21:40"))
    tally.flagged("goor-oost", at("2026-01-11 10:00"), at("2026-01-11 10:00"))
    tally.flagged("goor-oost", at("2026-02-01 00:01"), at("2026-01-31 23:50"))  # after
    assert tally.place("goor-oost").flag_minutes == [12.0, 0.0]


def test_daily_counters_and_signups_by_month() -> None:
    """Daily counters add up per metric; per-month sign-ups count for each month the period
    touches; the period's days are given for the counters' query."""
    period = Period(date(2026, 1, 15), date(2026, 2, 14), AMS)
    assert period.days == ("2026-01-15", "2026-02-14")
    tally = Tally(period, period.end)
    tally.counted("goor-oost", "duplicates_prevented", 3)
    tally.counted("goor-oost", "signups", 2)
    tally.counted("goor-oost", "admitted", 1)
    tally.counted("goor-oost", "flag_minutes", 99)  # not a counter the report reads
    tally.signups("goor-oost", "2025-12", 9, 9)
    tally.signups("goor-oost", "2026-01", 3, 2)
    tally.signups("goor-oost", "2026-02", 1, 0)
    tally.signups("goor-oost", "2026-03", 4, 4)
    place = tally.place("goor-oost")
    assert (place.duplicates, place.signups, place.admitted) == (3, 6, 3)


def test_flag_minutes_never_negative() -> None:
    """A 112 report recorded a moment before its incident (clock skew) counts 0 minutes."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31), AMS)
    tally = Tally(period, period.end)
    tally.flag_minutes("a", [-0.5, 3.0])
    assert tally.place("a").flag_minutes == [0.0, 3.0]


def test_unknown_place_is_ignored() -> None:
    """Counts that cannot be placed (a chat no longer in the network) add to nothing."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31), AMS)
    tally = Tally(period, period.end)
    tally.received(None, 3)
    tally.warned(None, 2)
    tally.counted(None, "duplicates_prevented", 1)
    tally.signups(None, "2026-01", 1, 1)
    tally.active(None, at("2026-01-02 10:00"))
    tally.flagged(None, at("2026-01-02 10:00"), at("2026-01-02 09:00"))
    assert tally._places == {}


def test_activity_is_the_latest_up_to_the_report_moment() -> None:
    """Last activity is the latest sign of life, however old, but never after the report."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31), AMS)
    tally = Tally(period, period.end)
    tally.active("goor-oost", at("2025-06-01 10:00"))
    tally.active("goor-oost", at("2025-08-01 10:00"))
    tally.active("goor-oost", at("2025-07-01 10:00"))
    tally.active("goor-oost", at("2026-03-01 10:00"))  # after the report's moment
    assert tally.place("goor-oost").last_activity == at("2025-08-01 10:00")


def test_inactive_exactly_at_the_limit() -> None:
    """Quiet for exactly inactive_days is inactive; a second less is not."""
    now = at("2026-06-01 12:00")
    assert is_inactive(now - 60 * DAY, None, now, 60)
    assert not is_inactive(now - 60 * DAY + 1, None, now, 60)


def test_watching_gives_a_new_group_its_grace() -> None:
    """A neighbourhood the bot has watched for less than inactive_days is not inactive;
    one it never saw at all is."""
    now = at("2026-06-01 12:00")
    assert not is_inactive(None, now - 10 * DAY, now, 60)
    assert is_inactive(None, now - 61 * DAY, now, 60)
    assert is_inactive(None, None, now, 60)
    assert not is_inactive(now - 90 * DAY, now - 5 * DAY, now, 60)  # re-linked recently


def test_build_report_rows_totals_and_regie() -> None:
    """Rows in file order then the regiegroep; totals add up the rows, the total median is
    over every 112 report, and the regiegroep is never inactive."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31), AMS)
    as_of = period.end
    tally = Tally(period, as_of)
    tally.raised("a", at("2026-01-05 21:00"))
    tally.raised("a", at("2026-01-06 21:00"))
    tally.raised(REGIE, at("2026-01-07 21:00"))
    tally.received("b", 2)
    tally.received(REGIE, 2)
    tally.flagged("a", at("2026-01-05 21:10"), at("2026-01-05 21:00"))
    tally.flagged("b", at("2026-01-06 21:30"), at("2026-01-06 21:00"))
    tally.flagged(REGIE, at("2026-01-07 21:02"), at("2026-01-07 21:00"))
    tally.counted("b", "duplicates_prevented", 3)
    tally.warned("a", 1)
    tally.signups("b", "2026-01", 2, 1)
    tally.active("a", at("2026-01-06 21:00"))
    tally.watching("b", as_of - 100 * DAY)
    hoods = [Hood("a", "Alfa", "Kern1", 2, 100), Hood("b", "Beta", "Kern2", 5, 250.5)]
    report = build_report(
        "Net", hoods, tally, inactive_days=60, regie_name="Regie", total_name="Totaal"
    )
    a, b, regie = report.rows
    assert [r.slug for r in report.rows] == ["a", "b", REGIE]
    assert (a.raised, a.reports_112, a.median_minutes_to_112, a.warnings) == (2, 1, 10.0, 1)
    assert (b.received, b.duplicates_prevented, b.signups, b.admitted) == (2, 3, 2, 1)
    assert (a.inactive, b.inactive, regie.inactive) == (False, True, None)
    assert b.last_activity is None and a.last_activity == at("2026-01-06 21:00")
    assert (regie.raised, regie.received, regie.signs, regie.kern) == (1, 2, 0, "")
    total = report.totals
    assert total.slug == TOTAL and total.name == "Totaal"
    assert (total.raised, total.received, total.reports_112) == (3, 4, 3)
    assert total.median_minutes_to_112 == 10.0  # of 10, 30 and 2
    assert (total.duplicates_prevented, total.warnings, total.signups, total.admitted) == (
        3,
        1,
        2,
        1,
    )
    assert (total.signs, total.vests_eur) == (7, 350.5)
    assert total.last_activity == a.last_activity
    assert report.inactive == (b,)
    assert report.per_month == (("2026-01", 3),)


def test_period_between_two_moments() -> None:
    """A period between two moments (the digest's last 7 days) starts and ends exactly there,
    and its dates are the local dates of those moments."""
    start, end = at("2026-11-23 09:00"), at("2026-11-30 09:00")
    period = Period.between(start, end, AMS)
    assert (period.start, period.end) == (start, end)
    assert (period.since, period.until) == (date(2026, 11, 23), date(2026, 11, 30))
    assert period.contains(at("2026-11-30 08:59")) and not period.contains(end)
    tally = Tally(period, end)
    tally.raised("a", at("2026-11-23 08:59"))
    tally.raised("a", at("2026-11-23 09:00"))
    assert tally.place("a").raised == 1
    assert period.months() == ["2026-11"]


def test_counts_add_up_over_calls() -> None:
    """Counts handed over in parts add up: received, warnings and each daily counter."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31), AMS)
    tally = Tally(period, period.end)
    for _ in range(2):
        tally.received("a", 2)
        tally.warned("a", 3)
        tally.counted("a", "duplicates_prevented", 4)
        tally.counted("a", "signups", 5)
        tally.counted("a", "admitted", 6)
    place = tally.place("a")
    assert (place.received, place.warnings) == (4, 6)
    assert (place.duplicates, place.signups, place.admitted) == (8, 10, 12)


def test_activity_at_the_report_moment_counts() -> None:
    """A sign of life at exactly the report's moment is still activity."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31), AMS)
    tally = Tally(period, period.end)
    tally.active("a", period.end)
    assert tally.place("a").last_activity == period.end


def test_report_keeps_its_moment_and_an_empty_kern_for_totals() -> None:
    """The report carries the moment it describes; the totals row has no kern."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31), AMS)
    tally = Tally(period, at("2026-01-20 12:00"))
    made = build_report(
        "N", [Hood("a", "A", "K")], tally, inactive_days=60, regie_name="R", total_name="T"
    )
    assert made.as_of == at("2026-01-20 12:00")
    assert made.totals.kern == ""


def test_period_between_takes_local_dates_after_midnight() -> None:
    """Between 00:30 local (still the day before in UTC) and a moment later: the dates are
    the local ones."""
    start, end = at("2026-01-05 00:30"), at("2026-01-12 00:30")
    period = Period.between(start, end, AMS)
    assert (period.since, period.until) == (date(2026, 1, 5), date(2026, 1, 12))
