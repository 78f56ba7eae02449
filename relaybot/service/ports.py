"""What the use cases ask of Telegram directly, beside the messages the outbox sends: one
narrow port, declared here where it is used, implemented in `relaybot/telegram/port.py` and
given to the use cases when they are built.

Everything else leaves a use case as an outbox row (sent by the delivery worker) or as the
value it returns (a button's answer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from relaybot.domain.preflight import BotFacts, ChatFacts


class TelegramRefused(Exception):
    """Telegram refused (or could not be asked): `reason` is a text key where the use case
    shows it to people (a kick), else the error's name, for the log."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Standing:
    """A member's standing in a chat, as Telegram tells it."""

    status: str  # creator, administrator, member, restricted, left, kicked
    can_restrict: bool = False

    @property
    def is_in(self) -> bool:
        return self.status in ("creator", "administrator", "member", "restricted")

    @property
    def is_admin(self) -> bool:
        return self.status in ("creator", "administrator")

    @property
    def may_remove(self) -> bool:
        return self.status == "creator" or (self.status == "administrator" and self.can_restrict)


class Telegram(Protocol):
    """The Telegram calls that are no messages (a join-request decision is an outbox intent:
    retried like a message). Each raises :class:`TelegramRefused` when
    Telegram says no (or cannot be reached, where that is said)."""

    async def create_invite(self, chat_id: int, name: str, expire_date: int) -> str:
        """A one-person invite link that asks to join (a join request), valid until then."""
        ...

    async def standing(self, chat_id: int, user_id: int) -> Standing:
        """Asked now, never from a cache (a removal is decided on the rights one has now)."""
        ...

    async def is_co_admin(self, chat_id: int, user_id: int, *, fresh: bool = False) -> bool:
        """Creator or administrator of the chat (briefly cached unless `fresh`)."""
        ...

    async def kick(self, chat_id: int, user_id: int) -> bool:
        """Out of the chat, free to come back through a new sign-up (ban, then unban);
        refused with the text key that says why. False when only the ban was possible (a
        basic group keeps no bans to lift)."""
        ...

    async def leave(self, chat_id: int) -> None:
        """The bot leaves the chat (a chat it is no longer in counts as left); refused only
        for a passing fault, to be tried again."""
        ...

    async def bot_facts(self) -> BotFacts:
        """Who the bot is and whether it reads every group message; refused when Telegram
        cannot be asked."""
        ...

    async def chat_facts(self, role: str, chat_id: int) -> ChatFacts | None:
        """The bot's status and rights in one chat; None when Telegram could not be asked."""
        ...


async def not_in_regie(telegram: Telegram, regie_chat_id: int, user_id: int) -> bool:
    """True when the presser of a button on a regie card is no member of the regiegroep,
    asked of Telegram at the press (a public regiegroep lets anyone see its cards)."""
    return not (await telegram.standing(regie_chat_id, user_id)).is_in
