"""Ask Telegram what the bot may do: getMe, and getChatMember in every network chat.

The answers become :mod:`relaybot.domain.preflight` facts; that module decides what is wrong.
Used by `relaybot run` at start-up, `relaybot check` and `relaybot discover`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import structlog
from telegram import Bot, ChatMember, ChatMemberAdministrator
from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError

from relaybot.domain.preflight import (
    RIGHTS,
    BotFacts,
    ChatFacts,
    Problem,
    describe,
    places,
    problems,
    report,
)
from relaybot.domain.texts import Texts
from relaybot.network import Network
from relaybot.settings import Settings, SettingsError, require_token
from relaybot.storage import chats as chats_storage
from relaybot.storage import outbox
from relaybot.storage.db import Database

log = structlog.get_logger("relaybot.preflight")


class TokenRejected(SettingsError):
    """Telegram said the token is not valid (one line, never the token itself)."""

    def __init__(self) -> None:
        super().__init__(
            "RELAYBOT_TOKEN: Telegram rejected the token (check it with BotFather)",
            variable="RELAYBOT_TOKEN",
        )


def network_chats(network: Network, links: dict[str, int]) -> dict[str, int]:
    """Every chat the network names, by role: 'regie', 'coordinators', or a slug (a chat id
    in the file wins over a /koppel link, as everywhere)."""
    chats = {"regie": network.regie_chat_id}
    if network.coordinators_chat_id is not None:
        chats["coordinators"] = network.coordinators_chat_id
    for slug, hood in network.neighbourhoods.items():
        chat_id = hood.chat_id if hood.chat_id is not None else links.get(slug)
        if chat_id is not None:
            chats[slug] = chat_id
    return chats


def rights_of(member: ChatMember) -> dict[str, bool]:
    if isinstance(member, ChatMemberAdministrator):
        return {name: bool(getattr(member, name, False)) for name in RIGHTS}
    return {}


async def bot_facts(bot: Bot) -> BotFacts:
    me = await bot.get_me()
    return BotFacts(me.username or "", bool(me.can_read_all_group_messages))


async def chat_facts(bot: Bot, role: str, chat_id: int) -> ChatFacts | None:
    """The bot's status and rights in one chat; None when Telegram could not be asked (a
    passing fault: nothing to report)."""
    try:
        member = await bot.get_chat_member(chat_id, bot.id)
    except (Forbidden, BadRequest) as error:  # not a member, kicked, or no such chat
        log.info("preflight_chat_unreachable", chat=chat_id, error=type(error).__name__)
        return ChatFacts(role, chat_id, "missing")
    except TelegramError as error:
        log.warning("preflight_chat_unknown", chat=chat_id, error=type(error).__name__)
        return None
    return ChatFacts(role, chat_id, member.status, rights_of(member))


async def gather(bot: Bot, chats: dict[str, int]) -> tuple[BotFacts, list[ChatFacts]]:
    facts = await bot_facts(bot)
    found = [await chat_facts(bot, role, chat_id) for role, chat_id in chats.items()]
    return facts, [chat for chat in found if chat is not None]


async def startup_checks(
    bot: Bot,
    db: Database,
    network: Network,
    texts: Texts,
    clock: Callable[[], float],
    wake: Callable[[], None],
) -> list[Problem]:
    """At start-up, beside the running bot: ask Telegram what the bot may do, log every
    problem, and tell the regiegroep once about each problem people must fix (a problem that
    went away is forgotten, so it is told again should it come back). A failure here is
    logged and the bot runs on."""
    try:
        return await _startup_checks(bot, db, network, texts, clock, wake)
    except TelegramError as error:
        log.warning("startup_checks_skipped", error=type(error).__name__)
    except Exception as error:  # never let a check stop the bot
        log.error("startup_checks_failed", error=type(error).__name__, exc_info=error)
    return []


async def _startup_checks(
    bot: Bot,
    db: Database,
    network: Network,
    texts: Texts,
    clock: Callable[[], float],
    wake: Callable[[], None],
) -> list[Problem]:
    async with db.reading() as conn:
        links, moves = await chats_storage.links(conn), await chats_storage.moves(conn)
    chats = {
        role: moves.get(chat_id, chat_id) for role, chat_id in network_chats(network, links).items()
    }
    facts, found_chats = await gather(bot, chats)
    found = problems(facts, found_chats)
    for problem in found:
        log.warning(
            "startup_problem",
            problem=problem.key.removeprefix("preflight_"),
            role=problem.role or None,
            chat=problem.chat_id or None,
            lacking=list(problem.lacking) or None,
        )
    names = {slug: hood.name for slug, hood in network.neighbourhoods.items()}
    regie = moves.get(network.regie_chat_id, network.regie_chat_id)
    now = clock()
    async with db.transaction() as conn:
        current = {problem.note for problem in found}
        for note in await chats_storage.notes_like(conn, regie, "preflight:"):
            if note not in current:
                await chats_storage.forget_note(conn, regie, note)
        new = [p for p in found if await chats_storage.note_once(conn, regie, p.note, now)]
        if new:
            html_text = report(new, texts, places(texts, names))
            await outbox.enqueue(
                conn,
                chat_id=regie,
                action="say",
                now=now,
                payload={"html": html_text, "reply_to": None},
            )
    if new:
        wake()
    return found


async def check_telegram(
    settings: Settings, network: Network, linked: dict[str, int]
) -> tuple[list[str], int]:
    """`relaybot check` with a token: per network chat, what the bot lacks (the lines the
    regiegroep would get), as plain text; exit code 1 when Telegram could not be asked."""
    texts = Texts(settings.language)
    names = places(texts, {slug: hood.name for slug, hood in network.neighbourhoods.items()})
    try:
        async with Bot(require_token(settings), base_url=settings.api_base_url) as bot:
            facts, found = await gather(bot, network_chats(network, linked))
    except InvalidToken:
        raise TokenRejected from None
    except TelegramError as error:
        return [f"Telegram: could not be asked ({type(error).__name__}); --offline skips this"], 1
    lines = ["", f"Telegram: bot @{facts.username}"]
    trouble = {problem.role: problem for problem in problems(facts, found)}
    if "" in trouble:
        lines.append(f"  ! {_plain(describe(trouble[''], texts, names))}")
    for chat in found:
        problem = trouble.get(chat.role)
        line = _plain(describe(problem, texts, names)) if problem else "ok"
        lines.append(f"  {'!' if problem else ' '} {chat.role} ({chat.chat_id}): {line}")
    if not trouble:
        lines.append(f"  {_plain(texts('preflight_ok'))}")
    return lines, 0


def _plain(markup: str) -> str:
    """A line of the bot's HTML as plain terminal text."""
    return html.unescape(markup.replace("<b>", "").replace("</b>", ""))
