"""The report's arithmetic: periods in the network's time zone, totals, medians, inactivity.

Plain Python over plain values: storage reads the facts (each already assigned to a place,
a neighbourhood's slug or ``REGIE``), :class:`Tally` adds them up, :func:`build_report`
turns the tally into rows. Nothing here reads a database or formats for a reader.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from relaybot.domain.rounds import VEST_ROUND_DAYS

__all__ = [
    "REGIE",
    "TOTAL",
    "Hood",
    "Period",
    "Report",
    "Row",
    "Tally",
    "build_report",
    "is_inactive",
    "median",
]

REGIE = "regie"  # the place key of the regiegroep (no neighbourhood has this slug)
TOTAL = "total"  # the slug of the totals row


@dataclass(frozen=True)
class Period:
    """Local dates ``since`` .. ``until`` (both included) in the network's time zone."""

    since: date
    until: date
    zone: ZoneInfo
    start_at: float | None = None  # exact moments instead of local midnights (the digest's
    end_at: float | None = None  # "7 days up to now")

    @classmethod
    def between(cls, start: float, end: float, zone: ZoneInfo) -> Period:
        """From one moment to another (Unix times); its dates are the local dates they fall
        on, which is what counters kept per day are read by."""
        return cls(
            datetime.fromtimestamp(start, zone).date(),
            datetime.fromtimestamp(end, zone).date(),
            zone,
            start,
            end,
        )

    @classmethod
    def resolve(cls, since: date | None, until: date | None, now: float, zone: ZoneInfo) -> Period:
        """The period asked for. Without dates: the 12 whole months before the current one
        (it ends with the last whole month, so no month is counted in part). A missing end
        after a given start is today; a missing start before a given end is the day after the
        same date a year earlier.

        Raises :class:`ValueError` when the start lies after the end.
        """
        today = datetime.fromtimestamp(now, zone).date()
        if until is not None:
            end = until
        elif since is not None:
            end = today
        else:
            end = today.replace(day=1) - timedelta(days=1)  # the last whole month's last day
            since = end.replace(year=end.year - 1, day=1) + timedelta(days=31)
            since = since.replace(day=1)  # the first of the month after end's, a year earlier
        start = since or _year_before(end) + timedelta(days=1)
        if start > end:
            raise ValueError(f"--since {start.isoformat()} is after --until {end.isoformat()}")
        return cls(start, end, zone)

    @property
    def start(self) -> float:
        """Unix time of the first moment of ``since`` (local midnight)."""
        return self.start_at if self.start_at is not None else _midnight(self.since, self.zone)

    @property
    def end(self) -> float:
        """Unix time just after ``until``: the local midnight that ends it."""
        if self.end_at is not None:
            return self.end_at
        return _midnight(self.until + timedelta(days=1), self.zone)

    def contains(self, at: float) -> bool:
        return self.start <= at < self.end

    def months(self) -> list[str]:
        """Every month the period touches, 'YYYY-MM', oldest first."""
        months = []
        year, month = self.since.year, self.since.month
        while (year, month) <= (self.until.year, self.until.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def month_starts(self) -> list[float]:
        """Unix time at which each of :meth:`months` begins locally (the first is the period's
        start, which may be mid-month)."""
        starts = [self.start]
        for label in self.months()[1:]:
            year, month = (int(part) for part in label.split("-"))
            starts.append(_midnight(date(year, month, 1), self.zone))
        return starts

    @property
    def days(self) -> tuple[str, str]:
        """First and last day as 'YYYY-MM-DD', for counters kept per day."""
        return self.since.isoformat(), self.until.isoformat()

    def as_of(self, now: float) -> float:
        """The moment the report describes: its end, or now when the end is still to come."""
        return min(now, self.end)


def _midnight(day: date, zone: ZoneInfo) -> float:
    return datetime.combine(day, time(0), zone).timestamp()


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def is_inactive(
    last_activity: float | None, watched_since: float | None, as_of: float, inactive_days: int
) -> bool:
    """Quiet for ``inactive_days`` at ``as_of``: no activity in that window.

    The moment the bot started watching a neighbourhood counts as the start of its quiet
    time, so a group the bot has known for a week is not inactive yet; one it never saw at
    all is.
    """
    latest = max((t for t in (last_activity, watched_since) if t is not None), default=None)
    if latest is None:
        return True
    return as_of - latest >= inactive_days * 86400


@dataclass
class _Place:
    raised: int = 0
    received: int = 0
    flag_minutes: list[float] = field(default_factory=list)
    duplicates: int = 0
    warnings: int = 0
    signups: int = 0
    admitted: int = 0
    last_activity: float | None = None
    watched_since: float | None = None

    def saw(self, at: float) -> None:
        if self.last_activity is None or at > self.last_activity:
            self.last_activity = at


class Tally:
    """The facts of one period, added up per place (a slug, or ``REGIE``).

    Storage hands over what it read: single incidents where the month matters, counts where
    it does not. Last activity is not limited to the period: anything up to the report's
    moment counts.
    """

    def __init__(self, period: Period, as_of: float) -> None:
        self.period = period
        self.as_of = as_of
        self._places: dict[str, _Place] = {}
        self._month_starts = period.month_starts()
        self._months = period.months()
        self._start, self._end = period.start, period.end
        self.per_month = [0] * len(self._month_starts)
        self.rounds: dict[str, list[int]] = {}  # place -> rounds walked per month of the period
        self.last_round: dict[str, float] = {}  # place -> when its latest round began

    def walked(self, key: str | None, at: float) -> None:
        """A surveillance round that began at ``at`` in the place's chat."""
        if key is None or at > self.as_of:
            return
        if at > self.last_round.get(key, 0.0):
            self.last_round[key] = at
        if self.in_period(at):
            counts = self.rounds.setdefault(key, [0] * len(self._month_starts))
            counts[self.month_index(at)] += 1

    def place(self, key: str) -> _Place:
        found = self._places.get(key)
        if found is None:
            found = self._places[key] = _Place()
        return found

    def in_period(self, at: float) -> bool:
        return self._start <= at < self._end

    def month_index(self, at: float) -> int:
        """Which of the period's months ``at`` falls in (for a moment inside the period)."""
        return bisect.bisect_right(self._month_starts, at) - 1

    def raised(self, key: str | None, at: float) -> None:
        """An incident raised (tagged up, or started by the regiegroep) at ``at``."""
        if self.in_period(at):
            self.raised_in_month(key, self.month_index(at), 1)

    def raised_in_month(self, key: str | None, month: int, count: int) -> None:
        """``count`` incidents raised in the period's ``month``-th month (0 = the first)."""
        if key is not None:
            self.place(key).raised += count
        self.per_month[month] += count

    def received(self, key: str | None, count: int) -> None:
        """Incidents of the period whose alert reached the place's chat."""
        if key is not None:
            self.place(key).received += count

    def flagged(self, key: str | None, at: float, created_at: float) -> None:
        """The first report that 112 was called, made in the place's chat at ``at``."""
        if self.in_period(at):
            self.flag_minutes(key, [(at - created_at) / 60])

    def flag_minutes(self, key: str | None, minutes: Iterable[float]) -> None:
        """First 112 reports of the period made in the place's chat, each with its minutes
        since the incident began."""
        if key is not None:
            self.place(key).flag_minutes.extend(max(0.0, m) for m in minutes)

    def counted(self, key: str | None, metric: str, count: int) -> None:
        """A daily counter summed over the period's days (:attr:`Period.days`):
        ``duplicates_prevented``, ``signups`` or ``admitted``."""
        if key is None:
            return
        place = self.place(key)
        if metric == "duplicates_prevented":
            place.duplicates += count
        elif metric == "signups":
            place.signups += count
        elif metric == "admitted":
            place.admitted += count

    def warned(self, key: str | None, count: int) -> None:
        """Warnings given in the place's chat during the period."""
        if key is not None:
            self.place(key).warnings += count

    def signups(self, key: str | None, month: str, received: int, admitted: int) -> None:
        """Sign-ups counted per month ('YYYY-MM'): a month the period touches counts whole."""
        if key is not None and month in self._months:
            self.place(key).signups += received
            self.place(key).admitted += admitted

    def active(self, key: str | None, at: float) -> None:
        """A sign of life at ``at``: an incident raised or received, a 112 report, a
        sign-up, a message the bot saw. Later than the report's moment does not count."""
        if key is not None and at <= self.as_of:
            self.place(key).saw(at)

    def watching(self, key: str, since: float) -> None:
        """The bot has known the place's chat since ``since``."""
        place = self.place(key)
        if place.watched_since is None or since < place.watched_since:
            place.watched_since = since


@dataclass(frozen=True)
class Hood:
    """What the report needs from the network file about one neighbourhood."""

    slug: str
    name: str
    kern: str
    signs: int = 0
    vests_eur: float = 0


@dataclass(frozen=True)
class Row:
    """One line of the report (a neighbourhood, the regiegroep or the totals)."""

    slug: str
    name: str
    kern: str
    raised: int
    received: int
    reports_112: int
    median_minutes_to_112: float | None
    duplicates_prevented: int
    warnings: int
    signups: int
    admitted: int
    last_activity: float | None
    inactive: bool | None  # None: not applicable (the regiegroep)
    signs: int
    vests_eur: float
    rounds: int = 0  # surveillance rounds walked in the period
    vests_idle: bool = False  # vests bought, but no round in the last VEST_ROUND_DAYS days


@dataclass(frozen=True)
class Report:
    network: str
    period: Period
    as_of: float
    inactive_days: int
    rows: tuple[Row, ...]  # neighbourhoods in file order, then the regiegroep
    totals: Row
    per_month: tuple[tuple[str, int], ...]  # incidents raised per local month
    # surveillance rounds per neighbourhood (slug, file order; those that walked any) and month
    rounds_per_month: tuple[tuple[str, tuple[int, ...]], ...] = ()

    @property
    def vests_idle(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.vests_idle)

    @property
    def inactive(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.inactive)


def build_report(
    network: str,
    hoods: Iterable[Hood],
    tally: Tally,
    *,
    inactive_days: int,
    regie_name: str,
    total_name: str,
) -> Report:
    """Rows per neighbourhood (file order), one for the regiegroep, and a totals row."""
    hoods = list(hoods)
    rows = [
        _rounds(_row(hood, tally.place(hood.slug), tally.as_of, inactive_days), tally)
        for hood in hoods
    ]
    rows.append(_row(Hood(REGIE, regie_name, ""), tally.place(REGIE), tally.as_of, None))
    every_minute = [m for key in [r.slug for r in rows] for m in tally.place(key).flag_minutes]
    totals = Row(
        slug=TOTAL,
        name=total_name,
        kern="",
        raised=sum(r.raised for r in rows),
        received=sum(r.received for r in rows),
        reports_112=sum(r.reports_112 for r in rows),
        median_minutes_to_112=median(every_minute),
        duplicates_prevented=sum(r.duplicates_prevented for r in rows),
        warnings=sum(r.warnings for r in rows),
        signups=sum(r.signups for r in rows),
        admitted=sum(r.admitted for r in rows),
        last_activity=max((r.last_activity for r in rows if r.last_activity), default=None),
        inactive=None,
        signs=sum(r.signs for r in rows),
        vests_eur=sum(r.vests_eur for r in rows),
        rounds=sum(r.rounds for r in rows),
    )
    return Report(
        network=network,
        period=tally.period,
        as_of=tally.as_of,
        inactive_days=inactive_days,
        rows=tuple(rows),
        totals=totals,
        per_month=tuple(zip(tally.period.months(), tally.per_month, strict=True)),
        rounds_per_month=tuple(
            (hood.slug, tuple(tally.rounds[hood.slug]))
            for hood in hoods
            if hood.slug in tally.rounds
        ),
    )


def _rounds(row: Row, tally: Tally) -> Row:
    """The row with its rounds, and marked when its vests saw no round for 60 days."""
    last = tally.last_round.get(row.slug)
    idle = row.vests_eur > 0 and (last is None or tally.as_of - last >= VEST_ROUND_DAYS * 86400)
    return replace(row, rounds=sum(tally.rounds.get(row.slug, ())), vests_idle=idle)


def _row(hood: Hood, place: _Place, as_of: float, inactive_days: int | None) -> Row:
    inactive = (
        None
        if inactive_days is None
        else is_inactive(place.last_activity, place.watched_since, as_of, inactive_days)
    )
    return Row(
        slug=hood.slug,
        name=hood.name,
        kern=hood.kern,
        raised=place.raised,
        received=place.received,
        reports_112=len(place.flag_minutes),
        median_minutes_to_112=median(place.flag_minutes),
        duplicates_prevented=place.duplicates,
        warnings=place.warnings,
        signups=place.signups,
        admitted=place.admitted,
        last_activity=place.last_activity,
        inactive=inactive,
        signs=hood.signs,
        vests_eur=hood.vests_eur,
    )
