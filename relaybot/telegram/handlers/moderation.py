"""House rules and moderation: the screen every group message passes, the welcome for
joins, the moderation commands and the removal card's buttons."""

from __future__ import annotations

from dataclasses import replace

from telegram import Message, Update

from relaybot.service import Command
from relaybot.service.moderation import Finding
from relaybot.telegram.handlers.common import answer_press, is_co_admin, network_command, press_of
from relaybot.telegram.handlers.context import BotContext
from relaybot.telegram.moderating import seen_of, target_of
from relaybot.telegram.translate import message_key, name_of


async def screen(message: Message, context: BotContext) -> None:
    """Every fresh group message: screened in memory; only a finding asks Telegram whether
    the sender is a co-admin and goes on to the use case."""
    moderation = context.cases.moderation
    seen = seen_of(message)
    finding = moderation.screen(seen)
    if finding is None:
        return

    async def judge() -> None:
        co_admin = await is_co_admin(context, message)
        name = name_of(message.from_user, message)
        await moderation.act(seen, finding, co_admin, name, message_key(message))

    if finding is Finding.BLOCKED:
        await judge()  # a warning keeps the order of the member's messages
    else:
        moderation.later(judge())  # a reminder never holds up the messages behind it


async def joined(message: Message, context: BotContext) -> None:
    """People joined a group: one short welcome per burst (the bot itself not counted)."""
    newcomers = [u for u in message.new_chat_members if u.id != context.bot.id]
    await context.cases.moderation.joined(
        message.chat_id, len(newcomers), f"join:{message_key(message)}"
    )


async def moderation_command(update: Update, context: BotContext, name: str) -> Command | None:
    """A moderation command (`name`: its first, Dutch name) with the member it answers, whose
    standing matters only when a co-admin asks; None in a group outside the network."""
    command = await network_command(update, context, sign_of_life=False)
    if command is None:
        return None
    message = update.effective_message
    assert message is not None
    replied = message.reply_to_message
    target = None
    if replied is not None and command.actor.is_co_admin:
        name_of_member = name_of(replied.from_user, replied)
        target = target_of(replied, name_of_member, await is_co_admin(context, replied))
    return replace(command, name=name, target=target)


async def on_rules(update: Update, context: BotContext) -> None:
    command = await moderation_command(update, context, "regels")
    if command is not None:
        await context.cases.moderation.house_rules(command)


async def on_warn(update: Update, context: BotContext) -> None:
    command = await moderation_command(update, context, "waarschuw")
    if command is not None:
        await context.cases.moderation.warn(command)


async def on_unwarn(update: Update, context: BotContext) -> None:
    command = await moderation_command(update, context, "vergeef")
    if command is not None:
        await context.cases.moderation.unwarn(command)


async def on_warnings(update: Update, context: BotContext) -> None:
    command = await moderation_command(update, context, "waarschuwingen")
    if command is not None:
        await context.cases.moderation.warnings(command)


async def on_removal_button(update: Update, context: BotContext) -> None:
    press = await press_of(update, context, regie=False)
    if press is None:
        return
    _prefix, verdict, card = press.data.split(":")
    answer = await context.cases.moderation.decide_removal(
        int(card),
        verdict == "ok",
        press.actor,
        (press.message.chat.id, press.message.message_id),
        f"cb:{press.query.id}",
    )
    await answer_press(press, answer)
