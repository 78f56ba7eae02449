"""The bot's own membership of chats (added, removed), members' rights changing, and /help."""

from __future__ import annotations

from telegram import ChatMember, Update

from relaybot.service import Chat
from relaybot.telegram.admins import ADMIN_STATUSES
from relaybot.telegram.handlers.common import network_command
from relaybot.telegram.handlers.context import BotContext
from relaybot.telegram.translate import name_of

PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)


async def on_my_membership(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    assert change is not None
    chat = change.chat
    await context.cases.groups.membership_changed(
        Chat(chat.id, chat.type, chat.title or ""),
        was_in=change.old_chat_member.status in PRESENT,
        now_in=change.new_chat_member.status in PRESENT,
        status=change.new_chat_member.status,
        added_by=name_of(change.from_user),
        key=f"removed:{update.update_id}",
    )


async def on_member(update: Update, context: BotContext) -> None:
    """A member's rights changed: the next question about the chat's co-admins goes to
    Telegram again (an ordinary member joining or leaving keeps the cached list)."""
    change = update.chat_member
    assert change is not None
    statuses = {change.old_chat_member.status, change.new_chat_member.status}
    context.telegram.admins.forget(
        change.chat.id, change.new_chat_member.user.id, rights=bool(statuses & ADMIN_STATUSES)
    )


async def on_help(update: Update, context: BotContext) -> None:
    command = await network_command(update, context)
    if command is not None:
        await context.cases.groups.help(command)
