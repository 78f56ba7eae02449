"""A withdrawn 112 report (/niet112): what every copy shows afterwards."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from relaybot.domain.model import Flag, Incident, State, Withdrawn
from relaybot.domain.render import render_alert, withdrawn_notice
from relaybot.domain.texts import Texts

TZ = ZoneInfo("Europe/Amsterdam")
AT = 1_795_000_000.0  # 2026-11-18 11:06:40 UTC: 12:06 in Amsterdam


def incident(**changes: object) -> Incident:
    base = dict(
        number=7,
        source_slug="goor-oost",
        source_chat_id=-101,
        origin_message_id=1,
        text="Verdachte man",
        media=None,
        note="",
        author="",
        state=State.OPEN,
        created_at=AT - 600,
    )
    base.update(changes)
    return Incident(**base)  # type: ignore[arg-type]


def test_a_withdrawn_report_shows_not_called_and_who_withdrew_it() -> None:
    """After /niet112 a copy shows "112: nog niet gebeld", a line naming who withdrew the
    report and when (network time), and the button is back."""
    shown = render_alert(
        incident(withdrawn=Withdrawn(AT, "Anna <Beheerder>", "Goor Oost")),
        texts=Texts("nl"),
        place="Goor Oost",
        tz=TZ,
        ttl_hours=12,
    )
    assert "112: nog niet gebeld" in shown.html
    assert "ingetrokken om 12:06 door Anna &lt;Beheerder&gt; (Goor Oost)" in shown.html
    assert shown.button


def test_the_next_report_hides_the_withdrawal_line() -> None:
    """Once someone reports 112 again, the copy shows that report, not the old withdrawal."""
    shown = render_alert(
        incident(
            withdrawn=Withdrawn(AT, "Anna", "Goor Oost"),
            flag=Flag(AT + 60, "Bram", "Goor Noord", -102),
        ),
        texts=Texts("en"),
        place="Goor Oost",
        tz=TZ,
        ttl_hours=12,
    )
    assert "<b>112 called at 12:07 by Bram (Goor Noord)" in shown.html
    assert "withdrawn" not in shown.html and not shown.button


def test_the_withdrawal_notice_names_the_incident_and_who() -> None:
    """The short notice says 112 has not been called yet for #7, and who withdrew the report."""
    text = withdrawn_notice(Texts("nl"), 7, Withdrawn(AT, "Anna", "regiegroep"), TZ)
    assert "112 is nog niet gebeld" in text and "#7" in text and "Anna (regiegroep)" in text
