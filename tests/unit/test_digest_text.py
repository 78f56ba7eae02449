"""The digest's and the quiet notices' wording, from a report (no database, no Telegram)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from relaybot.domain.digest import MESSAGE_LIMIT, digest_text, quiet_notices
from relaybot.domain.report import REGIE, Hood, Period, Tally, build_report
from relaybot.domain.texts import Texts

AMS = ZoneInfo("Europe/Amsterdam")
DAY = 86400.0


def at(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=AMS).timestamp()


def week(hoods: list[Hood], fill=lambda tally: None):  # type: ignore[no-untyped-def]
    end = at("2026-11-30 09:00")
    tally = Tally(Period.between(end - 7 * DAY, end, AMS), end)
    fill(tally)
    return build_report(
        "Hof <&> Twente", hoods, tally, inactive_days=60, regie_name="R", total_name="T"
    )


def test_digest_counts_busiest_and_quiet() -> None:
    """The digest names the week, the totals, the busiest neighbourhoods and the quiet ones,
    with names escaped for Telegram's HTML."""
    hoods = [Hood("a", "Alfa & Co", "K"), Hood("b", "Beta", "K"), Hood("c", "Gamma", "K")]

    def fill(tally: Tally) -> None:
        for _ in range(3):
            tally.raised("a", at("2026-11-25 21:00"))
        tally.raised("b", at("2026-11-26 21:00"))
        tally.raised(REGIE, at("2026-11-26 22:00"))
        tally.flagged("b", at("2026-11-26 21:05"), at("2026-11-26 21:00"))
        tally.counted("a", "duplicates_prevented", 2)
        tally.counted("c", "signups", 4)
        tally.active("a", at("2026-11-25 21:00"))
        tally.active("b", at("2026-11-26 21:00"))

    text = digest_text(week(hoods, fill), Texts("en"))
    lines = text.splitlines()
    assert (
        lines[0] == "📊 <b>Weekly digest Hof &lt;&amp;&gt; Twente</b> · 23-11 09:00 – 30-11 09:00"
    )
    assert lines[1] == (
        "Incidents: 5 · 112 reports: 1 · duplicate calls prevented: 2 · new sign-ups: 4"
    )
    assert lines[2] == "Most alerts raised: Alfa &amp; Co (3), Beta (1)."
    assert lines[3] == "🔕 Quiet for 60 days or more: Gamma."


def test_digest_of_a_quiet_week() -> None:
    """A week without incidents says so in numbers, names no busiest, and no quiet group
    when every one showed life."""
    hoods = [Hood("a", "Alfa", "K")]
    text = digest_text(week(hoods, lambda t: t.active("a", at("2026-11-29 10:00"))), Texts("nl"))
    assert "Meldingen: 0 · 112-meldingen: 0" in text
    assert "Meeste" not in text
    assert text.endswith("Geen buurt is 60 dagen stil geweest.")


def test_digest_names_at_most_twenty_quiet_groups() -> None:
    """Many quiet neighbourhoods: twenty are named, the rest counted."""
    hoods = [Hood(f"h{i}", f"Buurt {i}", "K") for i in range(25)]
    text = digest_text(week(hoods), Texts("en"))
    assert "Buurt 19" in text and "Buurt 20" not in text and "(+5)" in text


def test_quiet_notices_pack_lines_within_telegrams_limit() -> None:
    """One line per quiet neighbourhood, with its signs; many lines are split over messages
    that each stay within the limit."""
    hoods = [Hood(f"h{i}", f"Buurt {i}" + "x" * 60, "Kern", signs=i % 6) for i in range(200)]
    report = week(hoods)
    messages = quiet_notices(report, list(report.inactive), Texts("nl"))
    assert len(messages) > 1
    assert all(len(m) <= MESSAGE_LIMIT for m in messages)
    lines = [line for m in messages for line in m.splitlines()]
    assert len(lines) == 200
    assert lines[3].startswith("🔕 Buurt 3")
    assert "laatste activiteit: nooit" in lines[3] and "de 3 attentieborden zouden" in lines[3]


def test_quiet_notice_names_the_local_day_and_days() -> None:
    """The last activity is the local date (00:30 in Amsterdam is still the day before in
    UTC), written day-month-year, and the line says how many days."""
    hoods = [Hood("a", "Alfa", "K", signs=2)]
    end = at("2026-11-30 09:00")
    tally = Tally(Period.between(end - 70 * DAY, end, AMS), end)
    tally.active("a", at("2026-09-01 00:30"))
    report = build_report("N", hoods, tally, inactive_days=60, regie_name="R", total_name="T")
    (message,) = quiet_notices(report, list(report.inactive), Texts("en"))
    assert message.startswith("🔕 Alfa (K) has been quiet for 60 days (last activity: 01-09-2026)")


def test_digest_joins_quiet_names_and_counts_only_the_rest() -> None:
    """Quiet names are joined with a comma; exactly twenty are named without a remainder."""
    two = digest_text(week([Hood("a", "Alfa", "K"), Hood("b", "Beta", "K")]), Texts("en"))
    assert "Quiet for 60 days or more: Alfa, Beta." in two
    twenty = digest_text(week([Hood(f"h{i}", f"B{i}", "K") for i in range(20)]), Texts("en"))
    assert "B19." in twenty and "(+" not in twenty


def test_quiet_notices_fill_a_message_to_the_limit_exactly() -> None:
    """Two lines that fit together exactly (with their line break) share one message; one
    character more and they do not."""
    texts = Texts("en")

    def lines_for(names: list[str]) -> list[str]:
        hoods = [Hood(f"h{i}", name, "K") for i, name in enumerate(names)]
        report = week(hoods)
        return quiet_notices(report, list(report.inactive), texts)

    base = len(lines_for(["x"])[0]) - 1  # a line's length without its name
    full = ["a" * 500] * 5  # names stay under the 600 characters a value may have
    used = 5 * (base + 500) + 4
    rest = MESSAGE_LIMIT - used - 1 - base
    assert 0 < rest < 600
    assert len(lines_for([*full, "b" * rest])) == 1
    assert len(lines_for([*full, "b" * (rest + 1)])) == 2


def test_digest_names_the_rounds_walked_per_neighbourhood() -> None:
    """Rounds walked in the week are named per neighbourhood with their number; a week
    without rounds has no such line."""
    hoods = [Hood("a", "Alfa", "K"), Hood("b", "Beta", "K")]

    def fill(tally: Tally) -> None:
        tally.walked("a", at("2026-11-25 21:00"))
        tally.walked("a", at("2026-11-27 21:00"))
        tally.walked("b", at("2026-11-28 20:00"))

    text = digest_text(week(hoods, fill), Texts("nl"))
    assert "🚶 Rondes gelopen: Alfa (2), Beta (1)." in text.splitlines()
    assert "Rondes" not in digest_text(week(hoods), Texts("nl"))
