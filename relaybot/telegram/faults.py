"""What Telegram's answer to a call means for that call: the one place that decides, for the
updates' handlers (telegram/app.py) and the delivery worker (telegram/worker.py) alike.

- 400, 403, 404 (python-telegram-bot's BadRequest, Forbidden, ChatMigrated, InvalidToken for
  "Not Found", EndPointNotFound, Conflict): permanent, the same call never succeeds;
- 429 (RetryAfter): wait as long as Telegram says, then again;
- 5xx, network errors, time-outs, a 401 (the token as a whole refused, not this call) and an
  answer nobody can read: passing.

Note that python-telegram-bot's BadRequest is a NetworkError: a test of NetworkError alone
would take every 400 for a passing fault and try it again for ever.
"""

from __future__ import annotations

from enum import StrEnum

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)

__all__ = ["Fault", "fault_of", "wait_of"]

_PERMANENT = (BadRequest, Forbidden, ChatMigrated, EndPointNotFound, Conflict)


class Fault(StrEnum):
    PERMANENT = "permanent"
    WAIT = "wait"
    PASSING = "passing"


def fault_of(error: TelegramError) -> Fault:
    """What an error Telegram (or the way to it) answered means for the call that got it."""
    if isinstance(error, RetryAfter):
        return Fault.WAIT
    if isinstance(error, _PERMANENT):
        return Fault.PERMANENT
    if isinstance(error, InvalidToken) and "unauthorized" not in error.message.lower():
        return Fault.PERMANENT  # 404: no such method, or a malformed token
    return Fault.PASSING


def wait_of(error: RetryAfter) -> float:
    """The seconds a 429 asks to wait."""
    value = error.retry_after
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(str(value))
