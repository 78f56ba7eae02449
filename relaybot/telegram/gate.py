"""The Telegram calls sign-up makes that are no messages: invite links and join requests."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Bot
from telegram.error import TelegramError

from relaybot.service.signup import GateError


class BotGate:
    """:class:`relaybot.service.signup.Gate` over python-telegram-bot's Bot."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def create_invite(self, chat_id: int, name: str, expire_date: int) -> str:
        try:
            link = await self.bot.create_chat_invite_link(
                chat_id,
                expire_date=datetime.fromtimestamp(expire_date, UTC),
                name=name[:32],
                creates_join_request=True,
            )
        except TelegramError as error:
            raise GateError(type(error).__name__) from error
        return link.invite_link

    async def approve(self, chat_id: int, user_id: int) -> None:
        try:
            await self.bot.approve_chat_join_request(chat_id, user_id)
        except TelegramError as error:
            raise GateError(type(error).__name__) from error

    async def decline(self, chat_id: int, user_id: int) -> None:
        try:
            await self.bot.decline_chat_join_request(chat_id, user_id)
        except TelegramError as error:
            raise GateError(type(error).__name__) from error
