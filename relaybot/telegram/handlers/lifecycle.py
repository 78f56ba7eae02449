"""An incident's life: resolved, retracted, the list of open ones."""

from __future__ import annotations

from telegram import Update

from relaybot.telegram.handlers.common import network_command
from relaybot.telegram.handlers.context import BotContext


async def on_resolve(update: Update, context: BotContext) -> None:
    command = await network_command(update, context)
    if command is not None:
        await context.cases.lifecycle.resolve(command)


async def on_retract(update: Update, context: BotContext) -> None:
    """It cannot be undone: co-admin rights are asked of Telegram now, not the cache."""
    command = await network_command(update, context, fresh=True)
    if command is not None:
        await context.cases.lifecycle.retract(command)


async def on_incidents(update: Update, context: BotContext) -> None:
    command = await network_command(update, context)
    if command is not None:
        await context.cases.lifecycle.list_open(command)
