"""House rules and moderation: the screen every group message passes, the welcome for
joins, the moderation commands and the removal card's buttons."""

from __future__ import annotations

from dataclasses import replace

from telegram import Message, Update

from relaybot.service import Command
from relaybot.telegram.beside import Turn, hold
from relaybot.telegram.handlers.common import (
    answer_press,
    beside_the_path,
    is_co_admin,
    network_command,
    press_of,
)
from relaybot.telegram.handlers.context import BotContext
from relaybot.telegram.moderating import seen_of, target_of
from relaybot.telegram.translate import message_key, name_of


async def screen(message: Message, context: BotContext, *, edited: bool = False) -> None:
    """Every fresh group message, and every edit of one (`edited`): screened in memory; a
    finding goes on to the use case, now when whether the sender is a co-admin is known
    without asking Telegram and nothing waits before it, else beside the updates (the
    lookup never holds up the messages behind it; the update stays stored until the finding
    is judged, so a crash before then does not lose it)."""
    moderation = context.cases.moderation
    seen = seen_of(message)
    finding = moderation.screen(seen, edited=edited)
    if finding is None:
        return
    user = message.from_user
    known = context.telegram.admins.known(message.chat_id, user.id) if user else False
    name = name_of(user, message)
    if known is not None and not moderation.busy:
        await moderation.act(seen, finding, known, name, message_key(message))
        return

    release = hold()  # the update is done once the finding is judged (a crash: judged again)

    async def judge() -> None:
        try:
            co_admin = await is_co_admin(context, message)
            await moderation.act(seen, finding, co_admin, name, message_key(message))
        except Exception as error:
            release(error)
            raise
        release(None)

    if not moderation.later(judge):
        release(None)


async def joined(message: Message, context: BotContext) -> None:
    """People joined a group: one short welcome per burst (the bot itself not counted)."""
    newcomers = [u for u in message.new_chat_members if u.id != context.bot.id]
    await context.cases.moderation.joined(
        message.chat_id, len(newcomers), f"join:{message_key(message)}"
    )


async def moderation_command(
    update: Update, context: BotContext, name: str, *, ask_co_admin: bool = True
) -> Command | None:
    """A moderation command (`name`: its first, Dutch name) with the member it answers, whose
    standing matters only when a co-admin asks; None in a group outside the network."""
    command = await network_command(update, context, sign_of_life=False, ask_co_admin=ask_co_admin)
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
    """The same rules for everyone: Telegram is not asked who is a co-admin."""
    command = await moderation_command(update, context, "regels", ask_co_admin=False)
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


async def removal_pressed(update: Update, context: BotContext, turn: Turn) -> None:
    """A press on a removal card: whether the presser may remove is asked of Telegram now
    (a removal cannot be undone), beside the update path."""
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
        turn,
    )
    await answer_press(press, answer)


on_removal_button = beside_the_path(removal_pressed)
