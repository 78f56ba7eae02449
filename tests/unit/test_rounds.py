"""Surveillance rounds without Telegram: what /ronde asks for, the card, and the count per
neighbourhood and month in the report."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from relaybot.domain import rounds
from relaybot.domain.report import Hood, Period, Tally, build_report
from relaybot.domain.rounds import Finish, Plan, Round, Start, Wrong
from relaybot.domain.texts import Texts

AMS = ZoneInfo("Europe/Amsterdam")
DAY = 86400.0
MONDAY_NOON = datetime(2026, 12, 7, 12, 0, tzinfo=AMS).timestamp()


def local(at: float) -> str:
    return datetime.fromtimestamp(at, AMS).strftime("%a %Y-%m-%d %H:%M")


def test_start_and_finish_carry_their_note() -> None:
    """`/ronde` and `/ronde klaar` with or without a note."""
    assert rounds.parse("", MONDAY_NOON, AMS) == Start("")
    assert rounds.parse("Kerkstraat en Markt", MONDAY_NOON, AMS) == Start("Kerkstraat en Markt")
    assert rounds.parse("klaar", MONDAY_NOON, AMS) == Finish("")
    assert rounds.parse("Klaar alles rustig", MONDAY_NOON, AMS) == Finish("alles rustig")


@pytest.mark.parametrize(
    ("args", "expected", "meeting"),
    [
        ("plan zaterdag 21:00 bij de kerk", "Sat 2026-12-12 21:00", "bij de kerk"),
        ("plan maandag 21.30", "Mon 2026-12-07 21:30", ""),  # today, still to come
        ("plan maandag 9:00", "Mon 2026-12-14 09:00", ""),  # today's has passed: next week
        ("plan vandaag 20u", "Mon 2026-12-07 20:00", ""),
        ("plan morgen 07:15 Markt", "Tue 2026-12-08 07:15", "Markt"),
        ("plan Saturday 21:00", "Sat 2026-12-12 21:00", ""),
    ],
)
def test_a_plan_lies_at_the_next_such_moment(args: str, expected: str, meeting: str) -> None:
    """A weekday is its next one (today when the time is still to come); vandaag and morgen
    are the day itself; the rest is the meeting point."""
    plan = rounds.parse(args, MONDAY_NOON, AMS)
    assert isinstance(plan, Plan)
    assert local(plan.at) == expected and plan.meeting == meeting


@pytest.mark.parametrize(
    ("args", "key"),
    [
        ("plan", "round_plan_usage"),
        ("plan zaterdag", "round_plan_usage"),
        ("plan blursday 21:00", "round_plan_bad_day"),
        ("plan zaterdag 25:00", "round_plan_bad_time"),
        ("plan zaterdag 21:75", "round_plan_bad_time"),
        ("plan zaterdag avond", "round_plan_bad_time"),
        ("plan vandaag 09:00", "round_plan_past"),
    ],
)
def test_a_plan_the_bot_cannot_read_says_what_it_expects(args: str, key: str) -> None:
    """An unknown day or time, a missing one, or a moment already past: a refusal key."""
    wrong = rounds.parse(args, MONDAY_NOON, AMS)
    assert isinstance(wrong, Wrong) and wrong.key == key


def test_every_refusal_has_a_text_that_names_the_word() -> None:
    texts = Texts("nl")
    wrong = rounds.parse("plan blursday 21:00", MONDAY_NOON, AMS)
    assert isinstance(wrong, Wrong)
    assert "‘blursday’ is geen dag" in texts(wrong.key, **wrong.values)


def test_the_card_names_walkers_only_while_the_round_lasts() -> None:
    """Under way: starter, time, walkers, both buttons; walked: times and a count, no names,
    no buttons; one walker is '1 loper'."""
    texts = Texts("nl")
    walking = Round(7, -100, 1, "Anna de Vries", MONDAY_NOON, walkers=("Anna de Vries", "Bas"))
    text = rounds.card(texts, walking, AMS)
    assert text.startswith("🚶 <b>Ronde gestart door Anna de Vries, 12:00</b>")
    assert "Lopen mee: Anna de Vries, Bas" in text
    assert [label for label, _data in rounds.buttons(texts, walking)] == [
        "🚶 Ik loop mee",
        "🏁 Klaar",
    ]
    walked = Round(7, -100, None, "", MONDAY_NOON, ended_at=MONDAY_NOON + 5400, count=1)
    text = rounds.card(texts, walked, AMS)
    assert text == "✅ <b>Ronde gelopen</b> · 12:00–13:30 · 1 loper"
    assert rounds.buttons(texts, walked) == ()


def test_rounds_are_counted_per_neighbourhood_and_month_and_idle_vests_marked() -> None:
    """Two rounds in November and one in December for one neighbourhood; another with vests
    walked its last round 61 days before the report's moment and is marked; one without
    vests is never marked."""
    period = Period(date(2026, 11, 1), date(2026, 12, 31), AMS)
    as_of = datetime(2026, 12, 20, 12, 0, tzinfo=AMS).timestamp()
    tally = Tally(period, as_of)
    for day in ("2026-11-03", "2026-11-28", "2026-12-05"):
        tally.walked("oost", datetime.fromisoformat(day).replace(tzinfo=AMS).timestamp())
    tally.walked("noord", as_of - 61 * DAY)
    tally.walked("oost", as_of + DAY)  # after the report's moment: not counted
    report = build_report(
        "Net",
        [
            Hood("oost", "Oost", "Goor", vests_eur=100),
            Hood("noord", "Noord", "Goor", vests_eur=50),
            Hood("west", "West", "Goor"),
        ],
        tally,
        inactive_days=60,
        regie_name="regie",
        total_name="totaal",
    )
    assert dict(report.rounds_per_month) == {"oost": (2, 1)}  # noord's was before the period
    assert [(row.slug, row.rounds, row.vests_idle) for row in report.rows[:3]] == [
        ("oost", 3, False),
        ("noord", 0, True),
        ("west", 0, False),
    ]
    assert report.totals.rounds == 3
