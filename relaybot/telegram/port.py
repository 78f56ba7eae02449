"""The use cases' port to Telegram (:class:`relaybot.service.ports.Telegram`) over
python-telegram-bot's Bot: invite links, join requests, members' standing, kicks, leaving a
chat, and what the start-up checks ask."""

from __future__ import annotations

from datetime import UTC, datetime

import structlog
from telegram import Bot, ChatMember
from telegram.error import BadRequest, Forbidden, TelegramError

from relaybot.domain.preflight import BotFacts, ChatFacts
from relaybot.service.ports import Standing, TelegramRefused
from relaybot.telegram.admins import AdminCache
from relaybot.telegram.preflight import bot_facts, chat_facts

log = structlog.get_logger("relaybot.port")
BASIC_GROUP = "supergroup and channel chats only"  # what Telegram answers a basic group's unban


class BotPort:
    """Asks Telegram through the bot; co-admin answers are cached briefly (`admins`)."""

    def __init__(self, bot: Bot, admins: AdminCache | None = None) -> None:
        self.bot = bot
        self.admins = admins or AdminCache()

    async def create_invite(self, chat_id: int, name: str, expire_date: int) -> str:
        try:
            link = await self.bot.create_chat_invite_link(
                chat_id,
                expire_date=datetime.fromtimestamp(expire_date, UTC),
                name=name[:32],
                creates_join_request=True,
            )
        except TelegramError as error:
            raise TelegramRefused(type(error).__name__) from error
        return link.invite_link

    async def standing(self, chat_id: int, user_id: int) -> Standing:
        try:
            member = await self.bot.get_chat_member(chat_id, user_id)
        except BadRequest:  # "user not found": never was, or is long gone
            return Standing(ChatMember.LEFT)
        can_restrict = bool(getattr(member, "can_restrict_members", False))
        return Standing(member.status, can_restrict)

    async def is_co_admin(self, chat_id: int, user_id: int, *, fresh: bool = False) -> bool:
        return await self.admins.is_admin_of(self.bot, chat_id, user_id, fresh=fresh)

    async def kick(self, chat_id: int, user_id: int) -> bool:
        """Ban, then unban: the member is out, and may come back through a new sign-up.
        A basic group has no unban (Telegram answers "method is available for supergroup
        and channel chats only"): the member is out all the same; False says so."""
        try:
            await self.bot.ban_chat_member(chat_id, user_id)
        except Forbidden as error:
            raise TelegramRefused("removal_failed_rights") from error
        except BadRequest as error:
            message = error.message.lower()
            if "administrator" in message or "owner" in message:
                raise TelegramRefused("removal_failed_admin") from error
            raise TelegramRefused("removal_failed_rights") from error
        try:
            await self.bot.unban_chat_member(chat_id, user_id, only_if_banned=True)
        except BadRequest as error:
            if BASIC_GROUP not in error.message.lower():
                raise
            return False
        return True

    async def leave(self, chat_id: int) -> None:
        try:
            await self.bot.leave_chat(chat_id)
        except (Forbidden, BadRequest):
            pass  # removed already, or the group is gone: nothing to leave
        except TelegramError as error:
            raise TelegramRefused(type(error).__name__) from error

    async def bot_facts(self) -> BotFacts:
        try:
            return await bot_facts(self.bot)
        except TelegramError as error:
            raise TelegramRefused(type(error).__name__) from error

    async def chat_facts(self, role: str, chat_id: int) -> ChatFacts | None:
        return await chat_facts(self.bot, role, chat_id)
