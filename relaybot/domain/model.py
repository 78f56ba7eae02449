"""The things the users talk about: incidents, their copies, posts and the people acting."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    EXPIRED = "expired"
    RETRACTED = "retracted"


class Role(StrEnum):
    """What a copy is, in the chat that holds it."""

    ORIGINAL = "original"  # the resident's own message the incident started from
    ALERT = "alert"  # the bot's relayed alert
    FOLLOWUP_SOURCE = "followup_source"  # a member's follow-up message, in its own chat
    FOLLOWUP = "followup"  # the bot's relayed follow-up
    NOTICE = "notice"  # the bot's "112 gebeld" notice
    REPLY = "reply"  # a confirmation the bot posted about the incident
    BLANKED = "blanked"  # a copy too old to delete, edited to the retracted line

    @property
    def made_by_bot(self) -> bool:
        return self not in (Role.ORIGINAL, Role.FOLLOWUP_SOURCE)


@dataclass(frozen=True)
class Post:
    """A message someone posted, as the domain needs it (never stored unless relayed)."""

    chat_id: int
    message_id: int
    text: str
    media: str | None = None  # "photo", "video", "document"
    author: str = ""
    place: tuple[float, float] | None = None  # a shared location or venue: (lat, lon)


@dataclass(frozen=True)
class Actor:
    user_id: int
    name: str
    is_co_admin: bool = False


@dataclass(frozen=True)
class Flag:
    """The first report that 112 was called."""

    at: float
    by: str
    place: str
    chat_id: int


@dataclass(frozen=True)
class Withdrawn:
    """Who withdrew the last 112 report (/niet112), shown until the next report."""

    at: float
    by: str
    place: str


@dataclass(frozen=True)
class Incident:
    number: int
    source_slug: str | None  # None: the regiegroep
    source_chat_id: int
    origin_message_id: int
    text: str
    media: str | None
    note: str
    author: str
    state: State
    created_at: float
    relayed: bool = True
    flag: Flag | None = None
    closing_note: str = ""
    closed_by: str = ""
    closed_at: float | None = None
    withdrawn: Withdrawn | None = None  # the last 112 report withdrawn, if any

    @property
    def is_open(self) -> bool:
        return self.state is State.OPEN


@dataclass(frozen=True)
class FollowUp:
    id: int
    incident: int
    chat_id: int
    message_id: int
    text: str
    media: str | None
    place: str


@dataclass(frozen=True)
class Copy:
    incident: int
    chat_id: int
    message_id: int
    role: Role
    followup: int | None = None
