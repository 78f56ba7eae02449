"""What Telegram's answer to a call means: permanent (400/403/404), wait (429) or passing
(5xx, network errors, time-outs); and what an update's handling does with it."""

from __future__ import annotations

import sqlite3

import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from relaybot.telegram.faults import Fault, fault_of, wait_of
from relaybot.telegram.inbox import passing

QUERY_TOO_OLD = "Query is too old and response timeout expired or query id is invalid"


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (BadRequest(QUERY_TOO_OLD), Fault.PERMANENT),
        (BadRequest("Message_too_long"), Fault.PERMANENT),
        (Forbidden("Forbidden: bot was blocked by the user"), Fault.PERMANENT),
        (ChatMigrated(-1001234), Fault.PERMANENT),
        (InvalidToken("Not Found"), Fault.PERMANENT),
        (EndPointNotFound("Not Found"), Fault.PERMANENT),
        (RetryAfter(7), Fault.WAIT),
        (NetworkError("Bad Gateway"), Fault.PASSING),
        (NetworkError("Internal Server Error"), Fault.PASSING),
        (TimedOut(), Fault.PASSING),
        (InvalidToken("Unauthorized"), Fault.PASSING),
        (TelegramError("Invalid server response"), Fault.PASSING),
    ],
)
def test_each_answer_has_one_meaning(error: TelegramError, fault: Fault) -> None:
    """A 400 is permanent although python-telegram-bot's BadRequest is a NetworkError."""
    assert fault_of(error) is fault


def test_a_429_waits_as_long_as_telegram_says() -> None:
    assert wait_of(RetryAfter(7)) == 7.0


@pytest.mark.parametrize(
    ("error", "again"),
    [
        (sqlite3.OperationalError("database is locked"), True),
        (NetworkError("Bad Gateway"), True),
        (RetryAfter(3), True),
        (BadRequest(QUERY_TOO_OLD), False),
        (Forbidden("Forbidden: bot was kicked from the group chat"), False),
        (KeyError("a bug"), False),
    ],
)
def test_an_update_is_handled_again_only_after_a_passing_fault(
    error: BaseException, again: bool
) -> None:
    """A refused answer (400) sets the update aside instead of trying it for ever."""
    assert passing(error) is again
