"""Linking a group to a neighbourhood: /koppel in the group, the card's buttons in the regie
chat."""

from __future__ import annotations

from telegram import Update

from relaybot.domain.model import Actor
from relaybot.telegram.handlers.common import is_co_admin
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


async def on_link_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    message = query.message
    cases = context.cases
    if message is None or message.chat.id != cases.ctx.directory.regie_chat_id:
        await query.answer()
        return
    _prefix, verdict, request = query.data.split(":")
    actor = Actor(query.from_user.id, query.from_user.full_name)
    answer = await cases.linking.decide_link(
        int(request), verdict == "ok", actor, message.message_id, f"cb:{query.id}"
    )
    await query.answer(answer.text or None, show_alert=answer.alert)
