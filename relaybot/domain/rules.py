"""Who may do what, and which incident an untargeted report is about. Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from relaybot.domain.chats import ChatKind
from relaybot.domain.model import Actor, Copy, Incident, Role


@dataclass(frozen=True)
class Refusal:
    """A one-line answer to someone whose action is not carried out."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


def check_tag(
    kind: ChatKind, actor: Actor, has_reply: bool, existing: int | None
) -> Refusal | None:
    """`/regie`: a co-admin, in a neighbourhood chat, replying to a message not yet relayed."""
    if kind is not ChatKind.NEIGHBOURHOOD:
        return Refusal("refuse_not_neighbourhood")
    if not actor.is_co_admin:
        return Refusal("refuse_not_co_admin")
    if not has_reply:
        return Refusal("refuse_no_reply")
    if existing is not None:
        return Refusal("refuse_already", {"number": existing})
    return None


def check_followup(kind: ChatKind, actor: Actor) -> Refusal | None:
    """Follow-ups come from a neighbourhood's co-admins or from any contact person."""
    if kind is ChatKind.REGIE:
        return None
    if kind is ChatKind.NEIGHBOURHOOD and actor.is_co_admin:
        return None
    return Refusal("refuse_followup_not_allowed")


def may_resolve(kind: ChatKind, actor: Actor, chat_holds_incident: bool) -> bool:
    """A co-admin of a chat holding the incident, or a contact person."""
    if kind is ChatKind.REGIE:
        return True
    return kind is ChatKind.NEIGHBOURHOOD and actor.is_co_admin and chat_holds_incident


def may_retract(kind: ChatKind, actor: Actor, is_source_chat: bool) -> bool:
    """A co-admin of the source chat, or a contact person."""
    if kind is ChatKind.REGIE:
        return True
    return kind is ChatKind.NEIGHBOURHOOD and actor.is_co_admin and is_source_chat


def closed_refusal(incident: Incident) -> Refusal | None:
    if incident.is_open:
        return None
    return Refusal("refuse_closed", {"number": incident.number, "state": incident.state.value})


def recent_open(incidents: Sequence[Incident], now: float, window_minutes: float) -> list[Incident]:
    """Open incidents younger than the flag window, newest first."""
    horizon = now - window_minutes * 60
    found = [i for i in incidents if i.is_open and i.created_at >= horizon]
    return sorted(found, key=lambda i: i.created_at, reverse=True)


class FlagOutcome(StrEnum):
    FIRST = "first"  # this report wins: record it, edit every copy, notify every chat
    ALREADY = "already"  # 112 was called before: answer with what is known
    CLOSED = "closed"  # the incident is no longer open


def flag_outcome(incident: Incident) -> FlagOutcome:
    """What a report that 112 was called means for this incident, as it stands."""
    if not incident.is_open:
        return FlagOutcome.CLOSED
    if incident.flag is not None:
        return FlagOutcome.ALREADY
    return FlagOutcome.FIRST


def retractable(copies: Sequence[Copy], source_chat_id: int) -> list[Copy]:
    """What a retraction deletes: every message the bot made for the incident, except the
    confirmations in the source chat (they say what happened)."""
    return [
        c
        for c in copies
        if c.role.made_by_bot and not (c.role is Role.REPLY and c.chat_id == source_chat_id)
    ]


def is_expired(incident: Incident, now: float, ttl_hours: float) -> bool:
    return incident.is_open and now - incident.created_at >= ttl_hours * 3600
