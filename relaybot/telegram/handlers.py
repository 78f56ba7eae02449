"""Thin handlers: translate the update, call the use case. All registered in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from telegram import (
    BotCommand,
    ChatMember,
    ChatMemberUpdated,
    Update,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from relaybot.domain.chats import ChatKind
from relaybot.domain.model import Actor
from relaybot.service import Chat, Command, UseCases
from relaybot.telegram.admins import AdminCache
from relaybot.telegram.delivery import Delivery
from relaybot.telegram.translate import chat_of, command_of, message_key, name_of, post_of

log = structlog.get_logger("relaybot.handlers")
Context = ContextTypes.DEFAULT_TYPE
UseCase = Callable[[Command], Awaitable[None]]

# the command menu: (names, description nl, description en); the first name is the one shown.
# Which use case each command calls is bound in `register`.
COMMANDS: list[tuple[tuple[str, ...], str, str]] = [
    (
        ("regie", "relay"),
        "Meld bij de regiegroep (beheerder, als antwoord)",
        "Relay to the steering group (co-admin, as a reply)",
    ),
    (("update",), "Stuur een aanvulling door (als antwoord)", "Relay an update (as a reply)"),
    (("112",), "Meld dat 112 gebeld is", "Report that 112 was called"),
    (("afgehandeld", "resolved", "opgelost"), "Sluit een melding af", "Resolve an alert"),
    (("intrekken", "retract"), "Trek een loos alarm in", "Retract a false alarm"),
    (("meldingen", "incidents"), "Open meldingen", "Open alerts"),
    (
        ("doorsturen", "forward"),
        "Stuur een melding door naar buurten (regiegroep, als antwoord)",
        "Forward an alert to neighbourhoods (steering group, as a reply)",
    ),
    (("buren", "neighbours"), "Welke buurten grenzen hieraan?", "Adjacent neighbourhoods"),
    (("help", "start"), "Wat kan deze bot?", "What can this bot do?"),
]


# /koppel posts a card with buttons, so it has a handler of its own (not in COMMANDS)
LINK_NAMES = ("koppel", "link")
LINK_MENU = ("Koppel deze groep aan een buurt (beheerder)", "Link this group to a neighbourhood")
LINK_BUTTON = r"^koppel:(ok|no):\d+$"


def bot_commands(language: str) -> list[BotCommand]:
    menu = [(names[0], nl, en) for names, nl, en in COMMANDS]
    menu.append((LINK_NAMES[0], *LINK_MENU))
    return [BotCommand(name, nl if language == "nl" else en) for name, nl, en in menu]


def register(app: Application, cases: UseCases, delivery: Delivery, admins: AdminCache) -> None:
    """Every handler, with its filters and order, in one place; each calls one use case.
    Telegram's news about chats themselves (a group moved, the bot removed or added back)
    goes to delivery, which owns where the outbox may still send."""
    ctx = cases.ctx
    # command -> the use case method it calls
    bindings: dict[tuple[str, ...], UseCase] = {
        ("regie", "relay"): cases.tagging.tag,
        ("update",): cases.tagging.update,
        ("112",): cases.flagging.command_112,
        ("afgehandeld", "resolved", "opgelost"): cases.lifecycle.resolve,
        ("intrekken", "retract"): cases.lifecycle.retract,
        ("meldingen", "incidents"): cases.lifecycle.list_open,
        ("doorsturen", "forward"): cases.forwarding.forward,
        ("buren", "neighbours"): cases.forwarding.neighbours,
        ("help", "start"): cases.groups.help,
    }
    assert list(bindings) == [names for names, _nl, _en in COMMANDS], "menu and bindings differ"
    fresh = filters.UpdateType.MESSAGE  # new messages in chats and groups: no edits, no channels

    async def on_edit(update: Update, _context: Context) -> None:
        message = update.edited_message
        assert message is not None
        edited_at = int(message.edit_date.timestamp()) if message.edit_date else 0
        await cases.tagging.edited(
            message.chat_id,
            message.message_id,
            message.text or message.caption or "",
            f"edit:{message.chat_id}:{message.message_id}:{edited_at}",
        )

    def command(use_case: UseCase) -> Callable[[Update, Context], Awaitable[None]]:
        async def handle(update: Update, context: Context) -> None:
            message = update.effective_message
            assert message is not None
            kind = ctx.kind(chat_of(message))
            if kind is ChatKind.UNKNOWN:
                await cases.groups.unknown_group(command_of(update, False))
                return
            co_admin = kind is ChatKind.NEIGHBOURHOOD and await admins.is_co_admin(
                context.bot, message
            )
            await use_case(command_of(update, co_admin))

        return handle

    async def on_button(update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        message = query.message
        if message is None or not ctx.directory.in_network(message.chat.id):
            await query.answer()
            return
        number = int(query.data.split(":", 1)[1])
        actor = Actor(query.from_user.id, query.from_user.full_name)
        answer = await cases.flagging.press_112(
            chat_of(message), actor, message.message_id, number, f"cb:{query.id}"
        )
        await query.answer(answer.text or None, show_alert=answer.alert)

    async def on_link(update: Update, context: Context) -> None:
        """/koppel: asks Telegram whether the sender administers this (unknown) group, then
        lets the service queue its card for the regie chat."""
        message = update.effective_message
        assert message is not None
        co_admin = message.chat.type != "private" and await admins.is_co_admin(context.bot, message)
        await cases.linking.request_link(command_of(update, co_admin))

    async def on_link_button(update: Update, _context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        message = query.message
        if message is None or message.chat.id != ctx.directory.regie_chat_id:
            await query.answer()
            return
        _prefix, verdict, request = query.data.split(":")
        actor = Actor(query.from_user.id, query.from_user.full_name)
        answer = await cases.linking.decide_link(
            int(request), verdict == "ok", actor, message.message_id, f"cb:{query.id}"
        )
        await query.answer(answer.text or None, show_alert=answer.alert)

    async def on_chatter(update: Update, _context: Context) -> None:
        message = update.message
        assert message is not None
        replied = message.reply_to_message
        text = message.text or message.caption or ""
        interest = cases.flagging.chatter_interest(
            message.chat_id, text, replied and replied.message_id
        )
        if interest is None:
            return
        actor = Actor(
            message.from_user.id if message.from_user else 0, name_of(message.from_user, message)
        )
        await cases.flagging.chatter(
            chat_of(message),
            actor,
            post_of(message),
            replied.message_id if replied else None,
            message_key(message),
            interest,
        )

    async def on_migrate(update: Update, _context: Context) -> None:
        message = update.effective_message
        assert message is not None
        if message.migrate_to_chat_id:
            await delivery.chat_moved(message.chat_id, message.migrate_to_chat_id)

    async def on_my_membership(update: Update, _context: Context) -> None:
        change: ChatMemberUpdated | None = update.my_chat_member
        assert change is not None
        chat = change.chat
        now_in = change.new_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
        was_in = change.old_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
        if now_in and not was_in:
            await delivery.chat_welcomed_back(chat.id)
            await cases.groups.bot_added(Chat(chat.id, chat.type, chat.title or ""))
        elif was_in and not now_in and ctx.directory.in_network(chat.id):
            await delivery.chat_refused(chat.id, f"bot {change.new_chat_member.status}")

    async def on_member(update: Update, _context: Context) -> None:
        change = update.chat_member
        assert change is not None
        admins.forget(change.chat.id, change.new_chat_member.user.id)

    # Ordinary chatter is by far the most common update: checked first. The handlers below
    # take commands, edits, service messages and buttons, which its filter never matches.
    app.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS
            & (filters.TEXT | filters.CAPTION | filters.REPLY)
            & fresh
            & ~filters.COMMAND,
            on_chatter,
        )
    )
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edit))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    for names, use_case in bindings.items():
        app.add_handler(CommandHandler(list(names), command(use_case), filters=fresh))
    app.add_handler(CommandHandler(list(LINK_NAMES), on_link, filters=fresh))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^112:\d+$"))
    app.add_handler(CallbackQueryHandler(on_link_button, pattern=LINK_BUTTON))
    app.add_handler(ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(ChatMemberHandler(on_member, ChatMemberHandler.CHAT_MEMBER))
