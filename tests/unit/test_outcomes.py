"""The outcome notice's text, decided from the incident alone."""

from __future__ import annotations

from relaybot.domain.model import Incident, State
from relaybot.domain.outcomes import outcome_notice
from relaybot.domain.texts import Texts


def incident(state: State, note: str = "") -> Incident:
    return Incident(
        number=12,
        source_slug="dorp",
        source_chat_id=-101,
        origin_message_id=5,
        text="Verdachte auto",
        media=None,
        note="",
        author="Anna",
        state=state,
        created_at=0.0,
        closing_note=note,
    )


def test_each_ending_has_its_own_short_line() -> None:
    """Resolved (with or without a note), expired (with the time to live) and retracted each
    read as one line naming the number; an open incident has no notice."""
    nl = Texts("nl")
    resolved = outcome_notice(nl, incident(State.RESOLVED, "verdachte aangehouden"), 12)
    assert resolved == "✅ <b>#12 afgehandeld:</b> verdachte aangehouden"
    assert outcome_notice(nl, incident(State.RESOLVED), 12) == "✅ <b>#12 afgehandeld.</b>"
    assert "#12 verlopen" in (outcome_notice(nl, incident(State.EXPIRED), 12) or "")
    assert "12 uur" in (outcome_notice(nl, incident(State.EXPIRED), 12) or "")
    assert "#12 ingetrokken" in (outcome_notice(nl, incident(State.RETRACTED), 12) or "")
    assert outcome_notice(nl, incident(State.OPEN), 12) is None


def test_the_note_is_escaped_and_cut() -> None:
    """A closing note is user text: escaped for HTML and cut to a short line, in English too."""
    en = Texts("en")
    line = outcome_notice(en, incident(State.RESOLVED, "<b>Jan & Piet</b> " + "x" * 1000), 12)
    assert line is not None and "&lt;b&gt;Jan &amp; Piet&lt;/b&gt;" in line
    assert line.startswith("✅ <b>#12 resolved:</b>") and len(line) < 400
