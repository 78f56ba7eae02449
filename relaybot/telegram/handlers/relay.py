"""Relaying: ordinary group chatter (nearly every update), the quiet messages beside it, edits,
and the commands that relay (/regie, /update, /doorsturen, /buren)."""

from __future__ import annotations

import structlog
from telegram import Message, Update

from relaybot.domain.model import Actor
from relaybot.service import UseCases
from relaybot.telegram.handlers.common import network_command
from relaybot.telegram.handlers.context import BotContext
from relaybot.telegram.handlers.moderation import joined, screen
from relaybot.telegram.translate import chat_of, message_key, name_of, post_of

log = structlog.get_logger("relaybot.handlers")


async def on_chatter(update: Update, context: BotContext) -> None:
    """A fresh group message with text, a caption or a reply (nearly every update): what it
    means for incidents, then the house-rules screen, in one handler (a second handler group
    for the screen would make PTB dispatch every message twice)."""
    message = update.message
    assert message is not None
    try:
        await chatter(message, context.cases)
    except Exception:
        # the screen still runs, but its own failure must not hide this one (a locked
        # database here means the update is handled again later)
        try:
            await screen(message, context)
        except Exception as error:
            log.warning("screen_failed", error=type(error).__name__)
        raise
    await screen(message, context)


async def chatter(message: Message, cases: UseCases) -> None:
    await cases.reports.saw(message.chat_id)
    replied = message.reply_to_message
    text = message.text or message.caption or ""
    flagging = cases.flagging
    interest = flagging.chatter_interest(message.chat_id, text, replied and replied.message_id)
    if interest is None:
        if not cases.ctx.directory.in_network(message.chat_id):
            # a group the bot never heard it was added to: the regiegroep hears of it once
            await cases.groups.bot_added(chat_of(message))
        return
    actor = Actor(
        message.from_user.id if message.from_user else 0, name_of(message.from_user, message)
    )
    await flagging.chatter(
        chat_of(message),
        actor,
        post_of(message),
        replied.message_id if replied else None,
        message_key(message),
        interest,
    )


async def on_quiet(update: Update, context: BotContext) -> None:
    """A fresh group message the chatter handler does not take (no text, caption or reply):
    a join goes to the welcome; a group's move to a supergroup is followed; any message but a
    join (a photo without caption, a sticker, a service message) is screened all the same."""
    message = update.message
    assert message is not None
    if message.new_chat_members:
        await joined(message, context)
        return
    if message.migrate_to_chat_id:
        await context.cases.groups.moved(message.chat_id, message.migrate_to_chat_id)
    await screen(message, context)


async def on_edit(update: Update, context: BotContext) -> None:
    """An edited message: its relayed copies follow it, and it is screened for the house
    rules like a new message (a greeting edited into a curse earns its warning)."""
    message = update.edited_message
    assert message is not None
    # keyed on the update: several edits within one second (same edit_date) are each an
    # edit, while the same update delivered twice is still one
    await context.cases.tagging.edited(
        message.chat_id,
        message.message_id,
        message.text or message.caption or "",
        f"edit:{message.chat_id}:{message.message_id}:u{update.update_id}",
    )
    await screen(message, context, edited=True)


async def on_regie(update: Update, context: BotContext) -> None:
    command = await network_command(update, context)
    if command is not None:
        await context.cases.tagging.tag(command)


async def on_update(update: Update, context: BotContext) -> None:
    command = await network_command(update, context)
    if command is not None:
        await context.cases.tagging.update(command)


async def on_forward(update: Update, context: BotContext) -> None:
    command = await network_command(update, context)
    if command is not None:
        await context.cases.forwarding.forward(command)


async def on_neighbours(update: Update, context: BotContext) -> None:
    command = await network_command(update, context)
    if command is not None:
        await context.cases.forwarding.neighbours(command)
