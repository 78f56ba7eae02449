"""Sign-up: the private conversation, /aanmelden in a group, the regie card's buttons and
the join requests that follow an admission."""

from __future__ import annotations

from telegram import Update

from relaybot.domain.chats import ChatKind
from relaybot.domain.signup import SharedContact, Text
from relaybot.telegram.beside import Turn
from relaybot.telegram.handlers.common import answer_press, beside_the_path, press_of
from relaybot.telegram.handlers.context import BotContext
from relaybot.telegram.translate import command_of, message_key


async def on_signup(update: Update, context: BotContext) -> None:
    """/start, /aanmelden, /signup in a private chat: start (or resume) the sign-up."""
    message = update.effective_message
    assert message is not None and message.from_user is not None
    start = " ".join(context.args or ())  # the deep link's parameter ("aanmelden-goor-oost")
    await context.cases.signup.begin(message.from_user.id, message_key(message), start)


async def on_signup_elsewhere(update: Update, context: BotContext) -> None:
    """/aanmelden in a group: point to the private chat (nothing personal in a group)."""
    command = command_of(update, False)
    cases = context.cases
    if cases.ctx.kind(command.chat) is ChatKind.UNKNOWN:
        await cases.groups.unknown_group(command)
    else:
        await cases.signup.elsewhere(command)


async def on_signup_stop(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None and message.from_user is not None
    await context.cases.signup.stop(message.from_user.id, message_key(message))


async def on_forget(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None and message.from_user is not None
    await context.cases.signup.forget(message.from_user.id, message_key(message))


async def on_private(update: Update, context: BotContext) -> None:
    """An answer in a private chat: typed, a reply-keyboard button, a shared contact or a
    shared location.
    Anything else (a photo, a sticker) counts as an empty answer: the step says again what
    it expects."""
    message = update.message
    assert message is not None and message.from_user is not None
    sender = message.from_user.id
    answer: SharedContact | Text
    if message.location is not None:  # placed in a neighbourhood at once, never kept
        point = message.location
        await context.cases.signup.located(
            sender, point.latitude, point.longitude, message_key(message)
        )
        return
    if message.contact is not None:
        contact = message.contact
        answer = SharedContact(contact.phone_number, contact.user_id, sender)
    else:
        answer = Text(message.text or "")
    await context.cases.signup.answer(sender, answer, message_key(message))


async def card_pressed(update: Update, context: BotContext, turn: Turn) -> None:
    """A press on a sign-up card: whether the presser is in the regiegroep is asked of
    Telegram at the press, beside the update path."""
    press = await press_of(update, context, regie=True)
    if press is None:
        return
    _prefix, verb, signup, *rest = press.data.split(":")
    answer = await context.cases.signup.press(
        int(signup),
        verb,
        rest[0] if rest else "",
        press.actor,
        press.message.message_id,
        f"cb:{press.query.id}",
        turn,
    )
    await answer_press(press, answer)


on_card_button = beside_the_path(card_pressed)


async def on_join_request(update: Update, context: BotContext) -> None:
    request = update.chat_join_request
    assert request is not None
    invite = request.invite_link
    if invite is not None and invite.invite_link:
        await context.cases.signup.join_request(
            request.chat.id,
            request.from_user.id,
            invite.invite_link,
            f"join:{request.chat.id}:{request.from_user.id}:{int(request.date.timestamp())}",
            ours=invite.creator.id == context.bot.id,
        )
