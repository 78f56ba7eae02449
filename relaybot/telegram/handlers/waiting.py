"""The waiting list's admission card in the regiegroep: admit the street's residents, or not
yet."""

from __future__ import annotations

from telegram import Update

from relaybot.telegram.handlers.common import answer_press, press_of
from relaybot.telegram.handlers.context import BotContext


async def on_waiting_button(update: Update, context: BotContext) -> None:
    press = await press_of(update, context, regie=True)
    if press is None:
        return
    _prefix, verb, card = press.data.split(":")
    answer = await context.cases.waiting.press(
        int(card), verb, press.actor, press.message.message_id, f"cb:{press.query.id}"
    )
    await answer_press(press, answer)
