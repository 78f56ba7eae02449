"""Moderation's side of Telegram: messages as moderation sees them, and members' standing and
kicks asked of the Bot API (the narrow `Members` interface the use case declares)."""

from __future__ import annotations

from telegram import Bot, ChatMember, Message
from telegram.error import BadRequest, Forbidden

from relaybot.domain.moderation import Sender
from relaybot.service.moderation import KickFailed, Seen, Standing, Target


def sender_of(message: Message) -> Sender:
    user = message.from_user
    return Sender(
        chat_id=message.chat_id,
        user_id=user.id if user is not None else 0,
        is_bot=bool(user and user.is_bot),
        sender_chat_id=message.sender_chat.id if message.sender_chat is not None else None,
    )


def seen_of(message: Message) -> Seen:
    return Seen(
        chat_id=message.chat_id,
        message_id=message.message_id,
        sender=sender_of(message),
        text=message.text or message.caption or "",
        photo=bool(message.photo),
    )


def target_of(message: Message, name: str, is_co_admin: bool) -> Target:
    return Target(sender_of(message), message.message_id, name, is_co_admin)


class TelegramMembers:
    """Asks Telegram, every time: a removal is decided on the rights a co-admin has now."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def standing(self, chat_id: int, user_id: int) -> Standing:
        try:
            member = await self.bot.get_chat_member(chat_id, user_id)
        except BadRequest:  # "user not found": never was, or is long gone
            return Standing(ChatMember.LEFT)
        can_restrict = bool(getattr(member, "can_restrict_members", False))
        return Standing(member.status, can_restrict)

    async def kick(self, chat_id: int, user_id: int) -> None:
        """Ban, then unban: the member is out, and may come back through a new sign-up."""
        try:
            await self.bot.ban_chat_member(chat_id, user_id)
        except Forbidden as error:
            raise KickFailed("removal_failed_rights") from error
        except BadRequest as error:
            message = error.message.lower()
            if "administrator" in message or "owner" in message:
                raise KickFailed("removal_failed_admin") from error
            raise KickFailed("removal_failed_rights") from error
        await self.bot.unban_chat_member(chat_id, user_id, only_if_banned=True)
