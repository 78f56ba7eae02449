"""python-telegram-bot's own `Bot` as the reference for Bot API method and parameter names.

Every Bot API method is a coroutine method of `telegram.Bot` named in snake_case, with its
camelCase alias beside it (`send_message`, `sendMessage`); its parameters are the API's
parameters under the API's names. Keyword-only parameters are not sent under their own names:
the timeouts and `api_kwargs` configure the request, and the rest are conveniences that PTB
turns into API parameters first (`reply_to_message_id` into `reply_parameters`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import telegram

_REQUEST_OPTIONS = frozenset(
    {"read_timeout", "write_timeout", "connect_timeout", "pool_timeout", "api_kwargs"}
)


def _key(name: str) -> str:
    """`sendMessage`, `send_message` and `SENDMESSAGE` are one method (the API ignores case)."""
    return name.replace("_", "").lower()


@cache
def _methods() -> dict[str, Callable[..., Any]]:
    return {
        _key(name): member
        for name, member in inspect.getmembers(telegram.Bot, inspect.iscoroutinefunction)
        if not name.startswith("_")
    }


def method(api_name: str) -> Callable[..., Any] | None:
    """PTB's Bot method for a Bot API method name, or None when PTB has none."""
    return _methods().get(_key(api_name))


@cache
def accepted(api_name: str) -> frozenset[str]:
    """Every parameter of PTB's method but the request options (no method: none)."""
    function = method(api_name)
    if function is None:
        return frozenset()
    names = list(inspect.signature(function).parameters)[1:]  # without self
    return frozenset(names) - _REQUEST_OPTIONS


@cache
def sent(api_name: str) -> frozenset[str]:
    """The parameter names PTB puts in a request for this method."""
    function = method(api_name)
    if function is None:
        return frozenset()
    parameters = list(inspect.signature(function).parameters.values())[1:]
    return frozenset(p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD)


def disagreements(requests: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """What in these (method, parameter names) requests PTB would never send, one line each."""
    found: set[str] = set()
    for api_name, names in requests:
        if method(api_name) is None:
            found.add(f"{api_name}: python-telegram-bot's Bot has no such method")
            continue
        for name in sorted(set(names) - sent(api_name)):
            found.add(f"{api_name}: PTB never sends a parameter {name!r}")
    return sorted(found)
