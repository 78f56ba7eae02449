"""What every command handler does before its use case: where the command was sent, and
whether its sender is a co-admin there (asked of Telegram only in a neighbourhood chat)."""

from __future__ import annotations

from telegram import Message, Update

from relaybot.domain.chats import ChatKind
from relaybot.service import Command
from relaybot.telegram.handlers.context import BotContext
from relaybot.telegram.translate import chat_of, command_of


async def is_co_admin(context: BotContext, message: Message, *, fresh: bool = False) -> bool:
    """The sender is creator or administrator of this chat, or posts as the chat itself (an
    anonymous admin). `fresh`: ask Telegram now, not the cache (for what cannot be undone or
    silences the network: a rights change may not have reached us yet)."""
    if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
        return True
    if message.from_user is None:
        return False
    return await context.telegram.is_co_admin(message.chat_id, message.from_user.id, fresh=fresh)


async def network_command(
    update: Update, context: BotContext, *, fresh: bool = False, sign_of_life: bool = True
) -> Command | None:
    """The command as the use cases take it; None in a group outside the network (which the
    unknown-group use case answers). `sign_of_life`: the message counts as one for its
    neighbourhood (reports)."""
    message = update.effective_message
    assert message is not None
    cases = context.cases
    kind = cases.ctx.kind(chat_of(message))
    if sign_of_life:
        await cases.reports.saw(message.chat_id)
    if kind is ChatKind.UNKNOWN:
        await cases.groups.unknown_group(command_of(update, False))
        return None
    co_admin = kind is ChatKind.NEIGHBOURHOOD and await is_co_admin(context, message, fresh=fresh)
    return command_of(update, co_admin)
