"""The short notice that tells every chat holding an incident how it ended.

An edit does not notify anyone, so a resolve, an expiry and a retract each also post one
short line in every chat that held the incident (threaded under its copy where the copy is
still there): the residents who saw the alert learn the outcome.
"""

from __future__ import annotations

from relaybot.domain.model import Incident, State
from relaybot.domain.render import cut
from relaybot.domain.texts import Texts

NOTE_LIMIT = 300  # characters of the closing note in the notice


def outcome_notice(texts: Texts, incident: Incident, ttl_hours: float) -> str | None:
    """The notice for a closed incident; None while it is open."""
    if incident.state is State.RESOLVED:
        if incident.closing_note:
            note = cut(incident.closing_note, NOTE_LIMIT)
            return texts("outcome_resolved_note", number=incident.number, note=note)
        return texts("outcome_resolved", number=incident.number)
    if incident.state is State.EXPIRED:
        return texts(
            "outcome_expired", number=incident.number, hours=texts.count("count_hours", ttl_hours)
        )
    if incident.state is State.RETRACTED:
        return texts("outcome_retracted", number=incident.number)
    return None
