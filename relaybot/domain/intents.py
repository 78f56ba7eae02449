"""The outbox language: everything a use case asks the bot to send, edit, delete or decide in
Telegram, as plain values. Each carries its priority and what delivery must record once it is
done (a copy, a card to remember, confirmations to settle). Use cases queue them; delivery
turns them into operations when they are due; `relaybot.storage.outbox` is the one place
that writes them to the database and reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum

from relaybot.domain.signup import Keyboard

Buttons = tuple[tuple[str, str], ...]  # one row of (label, callback data)


class Priority(IntEnum):
    """A chat's rows go out most urgent first (then oldest first); the worker reads the
    urgent ones (FLAG and ALERT) before any other, however many wait."""

    FLAG = 0  # 112 notices and the edits that show the flag
    ALERT = 1  # alerts
    NORMAL = 2  # confirmations, answers, welcomes, card decisions
    LOW = 3  # follow-ups, reminders and bulk edits
    CARD = 4  # cards for the regiegroep (sign-ups, link requests, removals): a few a minute


class CardKind(Enum):
    """A card a decision later edits: delivery remembers which message shows it."""

    LINK_REQUEST = "link_request"
    SIGNUP = "signup"
    REMOVAL = "removal"
    ROUND = "round"  # a surveillance round's card in its group


@dataclass(frozen=True)
class Card:
    kind: CardKind
    id: int


# --- what an incident sends ----------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """An incident's alert, rendered when it is sent; recorded as the chat's alert copy and
    settles the confirmations that wait for it."""

    chat_id: int
    incident: int
    priority: Priority = Priority.ALERT


@dataclass(frozen=True)
class RefreshAlert:
    """Edit the chat's alert copies to show the incident as it is when the edit is sent."""

    chat_id: int
    incident: int
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class FlagNotice:
    """ "112 gebeld": threaded under the chat's copy, recorded as a notice."""

    chat_id: int
    incident: int
    priority: Priority = Priority.FLAG


@dataclass(frozen=True)
class Followup:
    """A follow-up relayed under the chat's copy, recorded as a follow-up copy."""

    chat_id: int
    incident: int
    followup: int
    priority: Priority = Priority.LOW


@dataclass(frozen=True)
class RefreshFollowup:
    chat_id: int
    incident: int
    followup: int
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class Outcome:
    """How the incident ended, threaded under the chat's copy."""

    chat_id: int
    incident: int
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class Retract:
    """Delete the chat's copies of a retracted incident (a copy too old to delete is blanked:
    edited to the retracted line)."""

    chat_id: int
    incident: int
    priority: Priority = Priority.FLAG


@dataclass(frozen=True)
class Retracted:
    """The confirmation of a retraction, sent once every chat's copies are deleted or
    blanked, counting both."""

    chat_id: int
    incident: int
    total: int  # the copies there were to delete
    reply_to: int | None = None
    priority: Priority = Priority.NORMAL


# --- lines, cards and edits ------------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    """One message: an answer, a confirmation, a notice, a card. `incident`: recorded as a
    reply copy of it. `settles`: the outbox rows (alerts) it confirms; once they are all
    delivered or given up it is edited to say who received them. `card`: remembered as the
    message that shows that card, and waits at the cards' own priority, below everything
    else (delivery sends at most `cards_per_minute` cards a chat). `signup`: carries that
    sign-up's personal data (erased with it)."""

    chat_id: int
    html: str
    reply_to: int | None = None
    incident: int | None = None
    priority: Priority = Priority.NORMAL
    buttons: Buttons = ()
    rows: tuple[Buttons, ...] = ()
    keyboard: Keyboard | None = None
    settles: tuple[int, ...] | None = None
    card: Card | None = None
    signup: int | None = None

    def __post_init__(self) -> None:
        if self.card is not None:
            object.__setattr__(self, "priority", Priority.CARD)


@dataclass(frozen=True)
class EditMessage:
    """Replace a message's text and buttons (a decided card, a settled confirmation)."""

    chat_id: int
    message_id: int
    html: str
    buttons: Buttons = ()
    rows: tuple[Buttons, ...] = ()
    priority: Priority = Priority.NORMAL
    signup: int | None = None


# --- what is no message ------------------------------------------------------------------------


@dataclass(frozen=True)
class JoinDecision:
    """Approve (or decline) a join request to a neighbourhood chat: retried like a message."""

    chat_id: int
    user_id: int
    approve: bool
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class RevokeInvite:
    """Revoke a sign-up's invite link (the sign-up was forgotten, erased, declined or
    lapsed): nobody can ask to join through it any more. Retried like a message."""

    chat_id: int
    link: str
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class Unreadable:
    """A stored row this version cannot read (written by a newer one): nothing is done."""

    chat_id: int
    name: str
    priority: Priority = Priority.LOW


Intent = (
    Alert
    | RefreshAlert
    | FlagNotice
    | Followup
    | RefreshFollowup
    | Outcome
    | Retract
    | Retracted
    | Say
    | EditMessage
    | JoinDecision
    | RevokeInvite
    | Unreadable
)


def urgent(priority: int) -> bool:
    """An alert or a 112 row: these go before everything else, in a slot kept for them."""
    return priority <= Priority.ALERT
