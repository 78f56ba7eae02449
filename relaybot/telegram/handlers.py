"""Thin handlers: translate the update, call the use case. All registered in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from telegram import (
    BotCommand,
    ChatMember,
    ChatMemberUpdated,
    Message,
    Update,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from relaybot.domain.chats import ChatKind
from relaybot.domain.model import Actor
from relaybot.domain.signup import SharedContact, Text
from relaybot.service import Chat, Command, UseCases
from relaybot.service.moderation import REMOVE_BUTTON, Finding, Request
from relaybot.service.signup import CARD_BUTTONS
from relaybot.telegram.admins import AdminCache
from relaybot.telegram.filtering import NewGroupMessage
from relaybot.telegram.moderating import seen_of, target_of
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
    (
        ("niet112", "unflag"),
        "Trek een onjuiste 112-melding in (beheerder, als antwoord)",
        "Withdraw a false 112 report (co-admin, as a reply)",
    ),
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


# sign-up, in a private chat (issue 14): /start there starts it too (and the deep link
# https://t.me/<bot>?start=aanmelden sends "/start aanmelden")
SIGNUP_NAMES = ("aanmelden", "signup")
SIGNUP_MENU = ("Meld je aan voor je buurtgroep (privé)", "Sign up for your neighbourhood group")
FORGET_NAMES = ("vergeet", "forget")

# house rules and moderation (issue 13): their use cases take a `Request` (the member a
# command answers, too), so they have handlers of their own, bound in `register`
MODERATION_COMMANDS: list[tuple[tuple[str, ...], str, str]] = [
    (("regels", "rules"), "De huisregels", "The house rules"),
    (
        ("waarschuw", "warn"),
        "Waarschuw een lid (beheerder, als antwoord)",
        "Warn a member (co-admin, as a reply)",
    ),
    (
        ("vergeef", "unwarn"),
        "Trek de laatste waarschuwing in (beheerder, als antwoord)",
        "Take back the latest warning (co-admin, as a reply)",
    ),
    (
        ("waarschuwingen", "warnings"),
        "Waarschuwingen van een lid (beheerder, als antwoord)",
        "A member's warnings (co-admin, as a reply)",
    ),
]


def bot_commands(language: str) -> list[BotCommand]:
    menu = [(names[0], nl, en) for names, nl, en in COMMANDS]
    menu.append((LINK_NAMES[0], *LINK_MENU))
    menu.append((SIGNUP_NAMES[0], *SIGNUP_MENU))
    menu.extend((names[0], nl, en) for names, nl, en in MODERATION_COMMANDS)
    return [BotCommand(name, nl if language == "nl" else en) for name, nl, en in menu]


def register(app: Application, cases: UseCases, admins: AdminCache) -> None:
    """Every handler, with its filters and order, in one place; each calls one use case."""
    ctx = cases.ctx
    # command -> the use case method it calls
    bindings: dict[tuple[str, ...], UseCase] = {
        ("regie", "relay"): cases.tagging.tag,
        ("update",): cases.tagging.update,
        ("112",): cases.flagging.command_112,
        ("niet112", "unflag"): cases.flagging.unflag,
        ("afgehandeld", "resolved", "opgelost"): cases.lifecycle.resolve,
        ("intrekken", "retract"): cases.lifecycle.retract,
        ("meldingen", "incidents"): cases.lifecycle.list_open,
        ("doorsturen", "forward"): cases.forwarding.forward,
        ("buren", "neighbours"): cases.forwarding.neighbours,
        ("help", "start"): cases.groups.help,
    }
    assert list(bindings) == [names for names, _nl, _en in COMMANDS], "menu and bindings differ"
    moderation = cases.moderation
    moderation_bindings: dict[tuple[str, ...], Callable[[Request], Awaitable[None]]] = {
        ("regels", "rules"): moderation.house_rules,
        ("waarschuw", "warn"): moderation.warn,
        ("vergeef", "unwarn"): moderation.unwarn,
        ("waarschuwingen", "warnings"): moderation.warnings,
    }
    assert list(moderation_bindings) == [n for n, _nl, _en in MODERATION_COMMANDS]
    fresh = filters.UpdateType.MESSAGE  # new messages in chats and groups: no edits, no channels

    async def on_edit(update: Update, _context: Context) -> None:
        message = update.edited_message
        assert message is not None
        # keyed on the update: several edits within one second (same edit_date) are each an
        # edit, while the same update delivered twice is still one
        await cases.tagging.edited(
            message.chat_id,
            message.message_id,
            message.text or message.caption or "",
            f"edit:{message.chat_id}:{message.message_id}:u{update.update_id}",
        )

    # what cannot be undone, or makes the network stop calling 112: co-admin rights are asked
    # of Telegram at that moment, not taken from the cache
    sensitive = {("niet112", "unflag"), ("intrekken", "retract")}

    def command(
        use_case: UseCase, fresh: bool = False
    ) -> Callable[[Update, Context], Awaitable[None]]:
        async def handle(update: Update, context: Context) -> None:
            message = update.effective_message
            assert message is not None
            kind = ctx.kind(chat_of(message))
            await cases.reports.saw(message.chat_id)
            if kind is ChatKind.UNKNOWN:
                await cases.groups.unknown_group(command_of(update, False))
                return
            co_admin = kind is ChatKind.NEIGHBOURHOOD and await admins.is_co_admin(
                context.bot, message, fresh=fresh
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

    # --- sign-up: private conversation, regie card, join requests ---------------------------

    async def on_signup(update: Update, _context: Context) -> None:
        """/start, /aanmelden, /signup in a private chat: start (or resume) the sign-up."""
        message = update.effective_message
        assert message is not None and message.from_user is not None
        await cases.signup.begin(message.from_user.id, message_key(message))

    async def on_signup_elsewhere(update: Update, _context: Context) -> None:
        """/aanmelden in a group: point to the private chat (nothing personal in a group)."""
        command = command_of(update, False)
        if ctx.kind(command.chat) is ChatKind.UNKNOWN:
            await cases.groups.unknown_group(command)
        else:
            await cases.signup.elsewhere(command)

    async def on_signup_stop(update: Update, _context: Context) -> None:
        message = update.effective_message
        assert message is not None and message.from_user is not None
        await cases.signup.stop(message.from_user.id, message_key(message))

    async def on_forget(update: Update, _context: Context) -> None:
        message = update.effective_message
        assert message is not None and message.from_user is not None
        await cases.signup.forget(message.from_user.id, message_key(message))

    async def on_private(update: Update, _context: Context) -> None:
        """An answer in a private chat: typed, a reply-keyboard button, or a shared contact.
        Anything else (a photo, a sticker) counts as an empty answer: the step says again
        what it expects."""
        message = update.message
        assert message is not None and message.from_user is not None
        sender = message.from_user.id
        answer: SharedContact | Text
        if message.contact is not None:
            contact = message.contact
            answer = SharedContact(contact.phone_number, contact.user_id, sender)
        else:
            answer = Text(message.text or "")
        await cases.signup.answer(sender, answer, message_key(message))

    async def on_signup_button(update: Update, _context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        message = query.message
        if message is None or message.chat.id != ctx.directory.regie_chat_id:
            await query.answer()
            return
        _prefix, verb, signup, *rest = query.data.split(":")
        actor = Actor(query.from_user.id, query.from_user.full_name)
        answer = await cases.signup.press(
            int(signup), verb, rest[0] if rest else "", actor, message.message_id, f"cb:{query.id}"
        )
        await query.answer(answer.text or None, show_alert=answer.alert)

    async def on_join_request(update: Update, _context: Context) -> None:
        request = update.chat_join_request
        assert request is not None
        link = request.invite_link.invite_link if request.invite_link else ""
        if link:
            await cases.signup.join_request(
                request.chat.id,
                request.from_user.id,
                link,
                f"join:{request.chat.id}:{request.from_user.id}:{int(request.date.timestamp())}",
            )

    async def on_chatter(update: Update, context: Context) -> None:
        """A fresh group message with text, a caption or a reply (nearly every update): what it
        means for incidents, then the house-rules screen, in one handler (a second handler group
        for the screen would make PTB dispatch every message twice)."""
        message = update.message
        assert message is not None
        try:
            await chatter(message)
        except Exception:
            # the screen still runs, but its own failure must not hide this one (a locked
            # database here means the update is handled again later)
            try:
                await screen(message, context)
            except Exception as error:
                log.warning("screen_failed", error=type(error).__name__)
            raise
        await screen(message, context)

    async def chatter(message: Message) -> None:
        await cases.reports.saw(message.chat_id)
        replied = message.reply_to_message
        text = message.text or message.caption or ""
        interest = cases.flagging.chatter_interest(
            message.chat_id, text, replied and replied.message_id
        )
        if interest is None:
            if not ctx.directory.in_network(message.chat_id):
                # a group the bot never heard it was added to: the regiegroep hears of it once
                await cases.groups.bot_added(chat_of(message))
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

    async def on_my_membership(update: Update, _context: Context) -> None:
        change: ChatMemberUpdated | None = update.my_chat_member
        assert change is not None
        chat = change.chat
        await cases.groups.membership_changed(
            Chat(chat.id, chat.type, chat.title or ""),
            was_in=change.old_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR),
            now_in=change.new_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR),
            status=change.new_chat_member.status,
            added_by=name_of(change.from_user),
            key=f"removed:{update.update_id}",
        )

    async def on_member(update: Update, _context: Context) -> None:
        change = update.chat_member
        assert change is not None
        admins.forget(change.chat.id, change.new_chat_member.user.id)

    # --- house rules and moderation ---------------------------------------------------------

    async def on_quiet(update: Update, context: Context) -> None:
        """A fresh group message the chatter handler does not take (no text, caption or
        reply): a join goes to the welcome; a group's move to a supergroup goes to delivery;
        any message but a join (a photo without caption, a sticker, a service message) is
        screened all the same."""
        message = update.message
        assert message is not None
        if message.new_chat_members:
            await on_join(message, context)
            return
        if message.migrate_to_chat_id:
            await cases.groups.moved(message.chat_id, message.migrate_to_chat_id)
        await screen(message, context)

    async def screen(message: Message, context: Context) -> None:
        """Every fresh group message: screened in memory; only a finding asks Telegram
        whether the sender is a co-admin and goes on to the use case."""
        seen = seen_of(message)
        finding = moderation.screen(seen)
        if finding is None:
            return

        async def judge() -> None:
            co_admin = await admins.is_co_admin(context.bot, message)
            name = name_of(message.from_user, message)
            await moderation.act(seen, finding, co_admin, name, message_key(message))

        if finding is Finding.BLOCKED:
            await judge()  # a warning keeps the order of the member's messages
        else:
            moderation.later(judge())  # a reminder never holds up the messages behind it

    async def on_join(message: Message, context: Context) -> None:
        joined = [u for u in message.new_chat_members if u.id != context.bot.id]
        await moderation.joined(message.chat_id, len(joined), f"join:{message_key(message)}")

    def moderation_command(
        names: tuple[str, ...], use_case: Callable[[Request], Awaitable[None]]
    ) -> Callable[[Update, Context], Awaitable[None]]:
        async def handle(update: Update, context: Context) -> None:
            message = update.effective_message
            assert message is not None
            kind = ctx.kind(chat_of(message))
            if kind is ChatKind.UNKNOWN:
                await cases.groups.unknown_group(command_of(update, False))
                return
            neighbourhood = kind is ChatKind.NEIGHBOURHOOD
            co_admin = neighbourhood and await admins.is_co_admin(context.bot, message)
            replied = message.reply_to_message
            target = None
            if replied is not None and co_admin:  # only then does the member matter
                target_admin = await admins.is_co_admin(context.bot, replied)
                target = target_of(replied, name_of(replied.from_user, replied), target_admin)
            command = command_of(update, co_admin)
            await use_case(
                Request(
                    chat_id=message.chat_id,
                    chat_type=message.chat.type,
                    message_id=message.message_id,
                    actor=command.actor,
                    key=command.key,
                    command=names[0],
                    args=command.args,
                    target=target,
                )
            )

        return handle

    async def on_removal_button(update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        message = query.message
        if message is None or not ctx.directory.in_network(message.chat.id):
            await query.answer()
            return
        _prefix, verdict, card = query.data.split(":")
        actor = Actor(query.from_user.id, query.from_user.full_name)
        answer = await moderation.decide_removal(
            int(card),
            verdict == "ok",
            actor,
            (message.chat.id, message.message_id),
            f"cb:{query.id}",
        )
        await query.answer(answer.text or None, show_alert=answer.alert)

    # Ordinary chatter is by far the most common update: checked first. The handlers after
    # the next take commands, edits and buttons, which its filter never matches.
    app.add_handler(MessageHandler(NewGroupMessage(content=True), on_chatter))
    # The other fresh group messages (no text, caption or reply; commands never): joins, a
    # group's move to a supergroup, and the house-rules screen for the rest. The two filters
    # exclude each other, and every group message is dispatched once, in this one group.
    app.add_handler(MessageHandler(NewGroupMessage(content=False), on_quiet))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edit))
    private = fresh & filters.ChatType.PRIVATE
    app.add_handler(CommandHandler(["start", *SIGNUP_NAMES], on_signup, filters=private))
    app.add_handler(CommandHandler("stop", on_signup_stop, filters=private))
    app.add_handler(CommandHandler(list(FORGET_NAMES), on_forget, filters=private))
    app.add_handler(
        CommandHandler(
            list(SIGNUP_NAMES), on_signup_elsewhere, filters=fresh & filters.ChatType.GROUPS
        )
    )
    app.add_handler(
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_private)
    )
    for names, use_case in bindings.items():
        handle = command(use_case, fresh=names in sensitive)
        app.add_handler(CommandHandler(list(names), handle, filters=fresh))
    app.add_handler(CommandHandler(list(LINK_NAMES), on_link, filters=fresh))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^112:\d+$"))
    app.add_handler(CallbackQueryHandler(on_link_button, pattern=LINK_BUTTON))
    app.add_handler(CallbackQueryHandler(on_signup_button, pattern=CARD_BUTTONS))
    app.add_handler(ChatJoinRequestHandler(on_join_request))
    app.add_handler(ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(ChatMemberHandler(on_member, ChatMemberHandler.CHAT_MEMBER))
    for names, moderation_case in moderation_bindings.items():
        app.add_handler(
            CommandHandler(list(names), moderation_command(names, moderation_case), filters=fresh)
        )
    app.add_handler(CallbackQueryHandler(on_removal_button, pattern=REMOVE_BUTTON))
