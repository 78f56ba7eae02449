"""Before `relaybot run` starts: ask the Bot API who the bot is, and say in one line what is
wrong if that fails.

python-telegram-bot reports a rejected token as an exception whose message holds the token,
logged with a long traceback by its own retry loop. Asking first, ourselves, lets start-up end
with one line that names the setting to fix and never the token.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut

from relaybot.logs import mask
from relaybot.settings import Settings, SettingsError, require_token

PREFLIGHT_TIMEOUT = 10.0  # seconds for the one getMe call


async def preflight(settings: Settings) -> str:
    """The bot's username, or a :class:`SettingsError` naming the variable to fix."""
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
            raise SettingsError(
                "RELAYBOT_TOKEN: Telegram rejected the token (check it with BotFather)",
                variable="RELAYBOT_TOKEN",
            ) from None
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
