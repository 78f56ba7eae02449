"""112: the command, its withdrawal, and the "112 gebeld" button under an alert."""

from __future__ import annotations

from telegram import Update

from relaybot.telegram.handlers.common import answer_press, network_command, press_of
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
    press = await press_of(update, context, regie=False)
    if press is None:
        return
    number = int(press.data.split(":", 1)[1])
    answer = await context.cases.flagging.press_112(
        chat_of(press.message),
        press.actor,
        press.message.message_id,
        number,
        f"cb:{press.query.id}",
    )
    await answer_press(press, answer)
