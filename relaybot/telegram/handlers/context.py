"""The context every callback receives: python-telegram-bot's CallbackContext with the bot's
use cases, its port to Telegram and the runner of presses beside the update path (as in
PTB's `customcallbackcontext` example: `ContextTypes(context=...)` given to the application
builder)."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from relaybot.service import UseCases
from relaybot.telegram.beside import Beside
from relaybot.telegram.port import BotPort

CASES = "relaybot.cases"  # bot_data keys, set once by `register`
PORT = "relaybot.port"
BESIDE = "relaybot.beside"


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """One per update, made by python-telegram-bot; nothing of its own to keep."""

    __slots__ = ()

    @property
    def cases(self) -> UseCases:
        return self._application.bot_data[CASES]  # type: ignore[no-any-return]

    @property
    def telegram(self) -> BotPort:
        return self._application.bot_data[PORT]  # type: ignore[no-any-return]

    @property
    def beside(self) -> Beside:
        """Where button presses are handled, beside the update path."""
        return self._application.bot_data[BESIDE]  # type: ignore[no-any-return]


CONTEXT_TYPES = ContextTypes(context=BotContext)
