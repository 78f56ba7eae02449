"""Ask Telegram what the bot may do: getMe, and getChatMember in every network chat; and,
before `relaybot run` starts, whether the token and the API URL work at all (`check_token`).

The answers become :mod:`relaybot.domain.preflight` facts; that module decides what is wrong.
Used by `relaybot check`, `relaybot discover`, and at start-up through the port (the start-up
checks are a use case: relaybot/service/startup_checks.py).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import structlog
from telegram import Bot, ChatMember, ChatMemberAdministrator
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)

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
from relaybot.logs import mask
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


async def check_token(settings: Settings) -> str:
    """Before `relaybot run` starts: ask getMe ourselves. python-telegram-bot reports a
    rejected token as an exception whose message holds the token, logged with a long
    traceback by its own retry loop; asked here, start-up ends with one line that names the
    setting to fix and never the token. The bot's username, or a :class:`SettingsError`."""
    token = require_token(settings)
    base = settings.api_base_url
    shown = mask(base)
    bot = Bot(token, base_url=base)
    try:
        with _quiet("telegram", "httpx"):  # its errors become our one line below
            await bot.initialize()
            me = bot.bot
            await bot.shutdown()
    except InvalidToken as exc:
        # 401 is a wrong token; a 404 is a malformed token or a URL that is no Bot API
        answer = str(exc.__cause__ or exc)  # PTB wraps the server's answer in a message
        if "unauthorized" in answer.lower():  # that holds the token: read the answer alone
            raise TokenRejected() from None
        raise SettingsError(
            f"RELAYBOT_API_BASE_URL: {shown} answered 404 Not Found to getMe: the URL should "
            "end in /bot, and RELAYBOT_TOKEN look like 123456:ABC...",
            variable="RELAYBOT_API_BASE_URL",
        ) from None
    except (TimedOut, NetworkError) as exc:
        raise SettingsError(
            f"RELAYBOT_API_BASE_URL: cannot reach {shown} ({type(exc).__name__}: "
            f"{mask(str(exc))[:200]})",
            variable="RELAYBOT_API_BASE_URL",
        ) from None
    except TelegramError as exc:
        raise SettingsError(
            f"RELAYBOT_API_BASE_URL: {shown} gave an unexpected answer "
            f"({type(exc).__name__}: {mask(str(exc))[:200]})",
            variable="RELAYBOT_API_BASE_URL",
        ) from None
    return me.username or ""


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
