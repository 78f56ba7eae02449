"""What every command handler does before its use case (where the command was sent, and
whether its sender is a co-admin there: asked of Telegram only in a neighbourhood chat), and
what every button handler does around it (where it was pressed, the answer)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NamedTuple

from telegram import CallbackQuery, MaybeInaccessibleMessage, Message, Update

from relaybot.domain.chats import ChatKind
from relaybot.domain.model import Actor
from relaybot.service import Answer, Command
from relaybot.telegram.beside import Turn
from relaybot.telegram.handlers.context import BotContext
from relaybot.telegram.translate import chat_of, command_of


async def is_co_admin(context: BotContext, message: Message, *, fresh: bool = False) -> bool:
    """The sender is creator or administrator of this chat, or posts as the chat itself (an
    anonymous admin). `fresh`: ask Telegram now, not the cache (for what cannot be undone or
    silences the network: a rights change may not have reached us yet)."""
    if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
        return True
    if message.from_user is None:
        return False
    return await context.telegram.is_co_admin(message.chat_id, message.from_user.id, fresh=fresh)


async def network_command(
    update: Update,
    context: BotContext,
    *,
    fresh: bool = False,
    sign_of_life: bool = True,
    ask_co_admin: bool = True,
) -> Command | None:
    """The command as the use cases take it; None in a group outside the network (which the
    unknown-group use case answers). `sign_of_life`: the message counts as one for its
    neighbourhood (reports). `ask_co_admin=False`: a command that is the same for everyone
    (/regels) asks Telegram nothing, and its sender counts as a resident."""
    message = update.effective_message
    assert message is not None
    cases = context.cases
    kind = cases.ctx.kind(chat_of(message))
    if sign_of_life:
        await cases.reports.saw(message.chat_id)
    if kind is ChatKind.UNKNOWN:
        await cases.groups.unknown_group(command_of(update, False))
        return None
    co_admin = (
        ask_co_admin
        and kind is ChatKind.NEIGHBOURHOOD
        and await is_co_admin(context, message, fresh=fresh)
    )
    return command_of(update, co_admin)


class Press(NamedTuple):
    """A button pressed where such buttons belong."""

    query: CallbackQuery
    data: str
    message: MaybeInaccessibleMessage
    actor: Actor


async def press_of(update: Update, context: BotContext, *, regie: bool) -> Press | None:
    """The press of a button on a message in the network's chats (`regie`: in the regie chat
    only); a press elsewhere (or on a message too old to see) is answered with nothing and
    goes no further."""
    query = update.callback_query
    assert query is not None and query.data is not None
    message = query.message
    directory = context.cases.ctx.directory
    if message is None or not (
        message.chat.id == directory.regie_chat_id
        if regie
        else directory.in_network(message.chat.id)
    ):
        await query.answer()
        return None
    return Press(query, query.data, message, Actor(query.from_user.id, query.from_user.full_name))


async def answer_press(press: Press, answer: Answer) -> None:
    """The button's answer, for the presser alone (an alert when it says no)."""
    await press.query.answer(answer.text or None, show_alert=answer.alert)


PressHandler = Callable[[Update, BotContext, Turn], Awaitable[None]]


def beside_the_path(
    handle: PressHandler,
) -> Callable[[Update, BotContext], Awaitable[None]]:
    """A card's button handled beside the update path (telegram/beside.py): asking Telegram
    who pressed it, and answering, hold up no update behind it. Presses on the same card
    (its button data without the verb: "aanmelding:7") take turns in the order they came."""

    async def pressed(update: Update, context: BotContext) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        prefix, _verb, number, *_rest = [*query.data.split(":"), "", ""]
        context.beside.run(lambda turn: handle(update, context, turn), f"{prefix}:{number}")

    pressed.__doc__ = handle.__doc__
    return pressed
