"""What a copy of an incident looks like. Pure: state in, HTML out, within Telegram's limits."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from relaybot.domain.fit import CAPTION_LIMIT, TEXT_LIMIT, cut, utf16_len, visible_len
from relaybot.domain.model import Flag, FollowUp, Incident, State, Withdrawn
from relaybot.domain.texts import Raw, Texts

CAPTION_NOTE_LIMIT = 200
TEXT_NOTE_LIMIT = 500
_SLOT = "\x00"  # where the user's text goes while the rest is measured


def fit(template: str, user_text: str, limit: int) -> str:
    """Put the (unescaped) user text into the template's slot, cut so the whole fits."""
    room = limit - visible_len(template.replace(_SLOT, ""))
    body = html.escape(cut(user_text, max(room, 1)), quote=False) if user_text else ""
    return template.replace(_SLOT, body)


def clock(at: float, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(at, tz).strftime("%H:%M")


@dataclass(frozen=True)
class Rendered:
    html: str
    button: bool  # whether the "112 gebeld" button belongs under it


def flag_line(texts: Texts, flag: Flag | None, tz: ZoneInfo) -> str:
    if flag is None:
        return texts("flag_none")
    return texts("flag_done", time=clock(flag.at, tz), name=flag.by, place=flag.place)


def withdrawn_line(texts: Texts, withdrawn: Withdrawn, tz: ZoneInfo) -> str:
    """The line under "112: nog niet gebeld" after a false report was withdrawn."""
    return texts(
        "flag_withdrawn", time=clock(withdrawn.at, tz), name=withdrawn.by, place=withdrawn.place
    )


def withdrawn_notice(texts: Texts, number: int, withdrawn: Withdrawn, tz: ZoneInfo) -> str:
    """The short notice each holding chat gets when a 112 report is withdrawn."""
    return texts(
        "unflag_notice",
        number=number,
        time=clock(withdrawn.at, tz),
        name=withdrawn.by,
        place=withdrawn.place,
    )


def state_line(
    texts: Texts, incident: Incident, ttl_hours: float, note_limit: int = 500
) -> str | None:
    if incident.state is State.RESOLVED:
        if incident.closing_note:
            return texts("state_resolved_note", note=cut(incident.closing_note, note_limit))
        return texts("state_resolved")
    if incident.state is State.EXPIRED:
        return texts("state_expired", hours=texts.count("count_hours", ttl_hours))
    return None


def render_alert(
    incident: Incident,
    *,
    texts: Texts,
    place: str,
    tz: ZoneInfo,
    ttl_hours: float,
    show_author: bool = False,
    caption: bool = False,
) -> Rendered:
    """The self-contained relayed alert: number, place, text, note, 112 state, closing state."""
    # the co-admin's and the closing note get a share of the room, so that a caption (1024)
    # always fits: the resident's text is what gets cut to make the rest fit
    notes = CAPTION_NOTE_LIMIT if caption else TEXT_NOTE_LIMIT
    lines = [texts("alert_header", number=incident.number, place=place)]
    if show_author and incident.author:
        lines.append(texts("alert_author", author=cut(incident.author, 100)))
    lines.append(_SLOT)
    if incident.note:
        lines.append(texts("alert_note", note=cut(incident.note, notes)))
    lines.append(flag_line(texts, incident.flag, tz))
    if incident.flag is None and incident.withdrawn is not None:
        lines.append(withdrawn_line(texts, incident.withdrawn, tz))
    if (closing := state_line(texts, incident, ttl_hours, notes)) is not None:
        lines.append(closing)
    template = "\n".join(lines)
    if not incident.text:
        template = template.replace(_SLOT + "\n", "")
    limit = CAPTION_LIMIT if caption else TEXT_LIMIT
    button = incident.is_open and incident.flag is None
    return Rendered(fit(template, incident.text, limit), button)


def render_followup(
    followup: FollowUp, incident: Incident, *, texts: Texts, caption: bool = False
) -> str:
    header = texts("followup_header", number=incident.number, place=followup.place)
    limit = CAPTION_LIMIT if caption else TEXT_LIMIT
    if not followup.text:
        return header
    return fit(f"{header}\n{_SLOT}", followup.text, limit)


def notice(texts: Texts, flag: Flag, tz: ZoneInfo) -> str:
    return texts("flag_notice", time=clock(flag.at, tz), name=flag.by, place=flag.place)


def already_called(texts: Texts, flag: Flag, tz: ZoneInfo, *, alert: bool = False) -> str:
    key = "already_called_alert" if alert else "already_called"
    return texts(key, time=clock(flag.at, tz), name=flag.by)


__all__ = ["Raw", "Rendered", "cut", "fit", "render_alert", "render_followup", "utf16_len"]
