"""The waiting list's admission card in the regiegroep: admit the street's residents, or not
yet."""

from __future__ import annotations

from telegram import Update

from relaybot.telegram.beside import Turn
from relaybot.telegram.handlers.common import answer_press, beside_the_path, press_of
from relaybot.telegram.handlers.context import BotContext


async def card_pressed(update: Update, context: BotContext, turn: Turn) -> None:
    """A press on a waiting list's card: whether the presser is in the regiegroep is asked
    of Telegram at the press, and the invite links are made, beside the update path."""
    press = await press_of(update, context, regie=True)
    if press is None:
        return
    _prefix, verb, card = press.data.split(":")
    answer = await context.cases.waiting.press(
        int(card), verb, press.actor, press.message.message_id, f"cb:{press.query.id}", turn
    )
    await answer_press(press, answer)


on_waiting_button = beside_the_path(card_pressed)
