"""Ask Telegram what the bot may do: getMe, and getChatMember in every network chat.

The answers become :mod:`relaybot.domain.preflight` facts; that module decides what is wrong.
Used by `relaybot check`, `relaybot discover`, and at start-up through the port (the start-up
checks are a use case: relaybot/service/startup_checks.py).
"""

from __future__ import annotations

import html

import structlog
from telegram import Bot, ChatMember, ChatMemberAdministrator
from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError

from relaybot.domain.network import Network
from relaybot.domain.preflight import (
    RIGHTS,
    BotFacts,
    ChatFacts,
    describe,
    places,
    problems,
)
from relaybot.domain.texts import Texts
from relaybot.service.startup_checks import network_chats
from relaybot.settings import Settings, SettingsError, require_token

log = structlog.get_logger("relaybot.preflight")


class TokenRejected(SettingsError):
    """Telegram said the token is not valid (one line, never the token itself)."""

    def __init__(self) -> None:
        super().__init__(
            "RELAYBOT_TOKEN: Telegram rejected the token (check it with BotFather)",
            variable="RELAYBOT_TOKEN",
        )


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
