"""112: the command, its withdrawal, and the "112 gebeld" button under an alert."""

from __future__ import annotations

from telegram import Update

from relaybot.domain.model import Actor
from relaybot.telegram.handlers.common import network_command
from relaybot.telegram.handlers.context import BotContext
from relaybot.telegram.translate import chat_of

BUTTON = r"^112:\d+$"


async def on_112(update: Update, context: BotContext) -> None:
    command = await network_command(update, context)
    if command is not None:
        await context.cases.flagging.command_112(command)


async def on_unflag(update: Update, context: BotContext) -> None:
    """It makes the network stop calling 112: co-admin rights are asked of Telegram now."""
    command = await network_command(update, context, fresh=True)
    if command is not None:
        await context.cases.flagging.unflag(command)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    message = query.message
    cases = context.cases
    if message is None or not cases.ctx.directory.in_network(message.chat.id):
        await query.answer()
        return
    number = int(query.data.split(":", 1)[1])
    actor = Actor(query.from_user.id, query.from_user.full_name)
    answer = await cases.flagging.press_112(
        chat_of(message), actor, message.message_id, number, f"cb:{query.id}"
    )
    await query.answer(answer.text or None, show_alert=answer.alert)
