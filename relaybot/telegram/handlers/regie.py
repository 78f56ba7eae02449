"""Linking a group to a neighbourhood: /koppel in the group, the card's buttons in the regie
chat."""

from __future__ import annotations

from telegram import Update

from relaybot.telegram.beside import Turn
from relaybot.telegram.handlers.common import answer_press, beside_the_path, is_co_admin, press_of
from relaybot.telegram.handlers.context import BotContext
from relaybot.telegram.translate import command_of

BUTTON = r"^koppel:(ok|no):\d+$"


async def on_link(update: Update, context: BotContext) -> None:
    """/koppel: asks Telegram whether the sender administers this (unknown) group, then
    lets the service queue its card for the regie chat."""
    message = update.effective_message
    assert message is not None
    co_admin = message.chat.type != "private" and await is_co_admin(context, message)
    await context.cases.linking.request_link(command_of(update, co_admin))


async def link_pressed(update: Update, context: BotContext, turn: Turn) -> None:
    """A press on a link card: whether the presser is in the regiegroep is asked of Telegram
    at the press, beside the update path."""
    press = await press_of(update, context, regie=True)
    if press is None:
        return
    _prefix, verdict, request = press.data.split(":")
    answer = await context.cases.linking.decide_link(
        int(request),
        verdict == "ok",
        press.actor,
        press.message.message_id,
        f"cb:{press.query.id}",
        turn,
    )
    await answer_press(press, answer)


on_link_button = beside_the_path(link_pressed)
