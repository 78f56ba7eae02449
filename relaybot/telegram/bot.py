"""The Bot the Application uses: python-telegram-bot's ExtBot, with answering a button made
best effort.

Telegram takes a button's answer only once and only shortly after the press (a replayed press
after a restart is always too late), and refuses one over 200 characters. What was pressed is
recorded whether or not the little notice reaches the presser, so a refused answer is logged
and never fails the handler, never holds up the updates behind it, and is never tried again.
"""

from __future__ import annotations

from typing import Any

import structlog
from telegram.error import TelegramError
from telegram.ext import ExtBot

from relaybot.telegram.faults import fault_of

log = structlog.get_logger("relaybot.bot")


class RelayBot(ExtBot[Any]):
    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> bool:
        try:
            return await super().answer_callback_query(*args, **kwargs)
        except TelegramError as error:
            log.warning(
                "button_answer_failed", error=type(error).__name__, fault=fault_of(error).value
            )
            return False
