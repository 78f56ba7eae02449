"""What the bot will do in Telegram, as plain values. The telegram package carries them out."""

from __future__ import annotations

from dataclasses import dataclass

from relaybot.domain.intents import Buttons
from relaybot.domain.model import Role
from relaybot.domain.signup import Keyboard


@dataclass(frozen=True)
class Send:
    """A new message: text, or a copy of a media message with this caption."""

    chat_id: int
    html: str
    reply_to: int | None = None
    button: int | None = None  # the incident whose "112 gebeld" button goes under it
    copy_from: tuple[int, int] | None = None  # (chat id, message id) of media to copy
    record: Role | None = None  # record the new message as this kind of copy
    buttons: Buttons = ()  # other inline buttons: one row of (label, callback data)
    rows: tuple[Buttons, ...] = ()  # inline buttons in several rows (a sign-up card)
    reply_keyboard: Keyboard | None = None  # answers under a private question (sign-up)


@dataclass(frozen=True)
class Edit:
    chat_id: int
    message_id: int
    html: str
    button: int | None = None
    caption: bool = False
    buttons: Buttons = ()
    rows: tuple[Buttons, ...] = ()


@dataclass(frozen=True)
class Delete:
    """Delete a message; one Telegram no longer lets the bot delete (older than 48 hours) is
    edited to `blank` instead, when given."""

    chat_id: int
    message_id: int
    blank: str = ""


@dataclass(frozen=True)
class Decide:
    """Approve or decline a join request."""

    chat_id: int
    user_id: int
    approve: bool


@dataclass(frozen=True)
class Revoke:
    """Revoke an invite link the bot made."""

    chat_id: int
    link: str


Op = Send | Edit | Delete | Decide | Revoke
