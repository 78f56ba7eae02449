"""Surveillance rounds: /ronde (start, klaar, plan) and the round card's buttons."""

from __future__ import annotations

from telegram import Update

from relaybot.telegram.handlers.common import answer_press, network_command, press_of
from relaybot.telegram.handlers.context import BotContext
from relaybot.telegram.translate import chat_of


async def on_round(update: Update, context: BotContext) -> None:
    command = await network_command(update, context)
    if command is not None:
        await context.cases.rounds.command(command)


async def on_round_button(update: Update, context: BotContext) -> None:
    press = await press_of(update, context, regie=False)
    if press is None:
        return
    _prefix, verb, number = press.data.split(":")
    answer = await context.cases.rounds.press(
        chat_of(press.message), press.actor, verb, int(number), f"cb:{press.query.id}"
    )
    await answer_press(press, answer)
