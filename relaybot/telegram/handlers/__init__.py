"""Thin handlers, one module per area (relay, flag, lifecycle, regie, moderation, signup,
membership): each module-level callback translates one update and calls its use case,
reached through the callback's context (`context.cases`). All registered here, in one place:
the menu of commands, the table that binds each command to its callback, and the order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from relaybot.domain.rounds import BUTTONS as ROUND_BUTTONS
from relaybot.domain.waiting import BUTTONS as WAITING_BUTTONS
from relaybot.service import UseCases
from relaybot.service.moderation import REMOVE_BUTTON
from relaybot.service.signup import CARD_BUTTONS
from relaybot.telegram.beside import Beside
from relaybot.telegram.filtering import NewGroupMessage
from relaybot.telegram.handlers import (
    flag,
    lifecycle,
    membership,
    moderation,
    regie,
    relay,
    rounds,
    signup,
    waiting,
)
from relaybot.telegram.handlers.context import BESIDE, CASES, CONTEXT_TYPES, PORT, BotContext
from relaybot.telegram.port import BotPort

Callback = Callable[[Update, BotContext], Awaitable[None]]

# the command menu: (names, description nl, description en); the first name is the one shown.
# Which callback each command calls is bound in BINDINGS.
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
    (
        ("ronde", "round"),
        "Start een ronde (klaar: beëindigen, plan <dag> <tijd>: plannen)",
        "Start a round (klaar: end it, plan <day> <time>: plan one)",
    ),
    (("help", "start"), "Wat kan deze bot?", "What can this bot do?"),
]


# /koppel posts a card with buttons, so it has a handler of its own (not in COMMANDS)
LINK_NAMES = ("koppel", "link")
LINK_MENU = ("Koppel deze groep aan een buurt (beheerder)", "Link this group to a neighbourhood")


# sign-up, in a private chat (issue 14): /start there starts it too (and the deep link
# https://t.me/<bot>?start=aanmelden sends "/start aanmelden")
SIGNUP_NAMES = ("aanmelden", "signup")
SIGNUP_MENU = ("Meld u aan voor uw buurtgroep (privé)", "Sign up for your neighbourhood group")
FORGET_NAMES = ("vergeet", "forget")

# house rules and moderation (issue 13): the command carries the member it answers, too
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


# command -> its callback, in the menu's order
BINDINGS: dict[tuple[str, ...], Callback] = {
    ("regie", "relay"): relay.on_regie,
    ("update",): relay.on_update,
    ("112",): flag.on_112,
    ("niet112", "unflag"): flag.on_unflag,
    ("afgehandeld", "resolved", "opgelost"): lifecycle.on_resolve,
    ("intrekken", "retract"): lifecycle.on_retract,
    ("meldingen", "incidents"): lifecycle.on_incidents,
    ("doorsturen", "forward"): relay.on_forward,
    ("buren", "neighbours"): relay.on_neighbours,
    ("ronde", "round"): rounds.on_round,
    ("help", "start"): membership.on_help,
}
MODERATION_BINDINGS: dict[tuple[str, ...], Callback] = {
    ("regels", "rules"): moderation.on_rules,
    ("waarschuw", "warn"): moderation.on_warn,
    ("vergeef", "unwarn"): moderation.on_unwarn,
    ("waarschuwingen", "warnings"): moderation.on_warnings,
}
assert list(BINDINGS) == [names for names, _nl, _en in COMMANDS], "menu and bindings differ"
assert list(MODERATION_BINDINGS) == [names for names, _nl, _en in MODERATION_COMMANDS]


def register(
    app: Application,  # type: ignore[type-arg]
    cases: UseCases,
    port: BotPort,
    beside: Beside,
) -> None:
    """Every handler, with its filters and order, in one place; the callbacks reach the use
    cases, the port and the presses' runner through their context (the application must be
    built with `CONTEXT_TYPES`)."""
    assert app.context_types is CONTEXT_TYPES, "build the application with CONTEXT_TYPES"
    app.bot_data[CASES] = cases
    app.bot_data[PORT] = port
    app.bot_data[BESIDE] = beside
    fresh = filters.UpdateType.MESSAGE  # new messages in chats and groups: no edits, no channels
    private = fresh & filters.ChatType.PRIVATE
    handlers = [
        # Ordinary chatter is by far the most common update: checked first. The handlers after
        # the next take commands, edits and buttons, which its filter never matches.
        MessageHandler(NewGroupMessage(content=True), relay.on_chatter),
        # The other fresh group messages (no text, caption or reply; commands never): joins, a
        # group's move to a supergroup, and the house-rules screen for the rest. The two
        # filters exclude each other: every group message is dispatched once, in this group.
        MessageHandler(NewGroupMessage(content=False), relay.on_quiet),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, relay.on_edit),
        CommandHandler(["start", *SIGNUP_NAMES], signup.on_signup, filters=private),
        CommandHandler("stop", signup.on_signup_stop, filters=private),
        CommandHandler(list(FORGET_NAMES), signup.on_forget, filters=private),
        CommandHandler(
            list(SIGNUP_NAMES), signup.on_signup_elsewhere, filters=fresh & filters.ChatType.GROUPS
        ),
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, signup.on_private),
        *(CommandHandler(list(names), call, filters=fresh) for names, call in BINDINGS.items()),
        CommandHandler(list(LINK_NAMES), regie.on_link, filters=fresh),
        CallbackQueryHandler(flag.on_button, pattern=flag.BUTTON),
        CallbackQueryHandler(regie.on_link_button, pattern=regie.BUTTON),
        CallbackQueryHandler(signup.on_card_button, pattern=CARD_BUTTONS),
        CallbackQueryHandler(rounds.on_round_button, pattern=ROUND_BUTTONS),
        CallbackQueryHandler(waiting.on_waiting_button, pattern=WAITING_BUTTONS),
        ChatJoinRequestHandler(signup.on_join_request),
        ChatMemberHandler(membership.on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        ChatMemberHandler(membership.on_member, ChatMemberHandler.CHAT_MEMBER),
        *(
            CommandHandler(list(names), call, filters=fresh)
            for names, call in MODERATION_BINDINGS.items()
        ),
        CallbackQueryHandler(moderation.on_removal_button, pattern=REMOVE_BUTTON),
    ]
    for handler in handlers:
        app.add_handler(handler)


__all__ = ["COMMANDS", "CONTEXT_TYPES", "LINK_NAMES", "BotContext", "bot_commands", "register"]
