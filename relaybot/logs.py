"""Structured logs: one JSON event per line (or readable console lines).

Events carry the update, chat and incident they concern (bound through context variables), never a
message's text, a token or a phone number: the processors below drop keys that could hold
them and mask a bot token wherever it appears in a string (a request URL, an exception's
message, a traceback). The standard library's logging (python-telegram-bot, httpx) is routed
through the same processors, so its lines are masked and rendered the same way.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import structlog

FORBIDDEN_KEYS = frozenset({"text", "caption", "html", "token", "phone", "phone_number", "note"})

# A bot token is "<digits>:<35 or so url-safe characters>"; in a Bot API URL it follows "bot".
_TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{10,}")
TOKEN_MASK = "<token>"
_secrets: tuple[str, ...] = ()


def mask(text: str) -> str:
    """``text`` with every bot token (``bot123:ABC...`` in a URL, or alone) and every secret
    registered with :func:`configure` replaced by ``<token>``."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, TOKEN_MASK)
    return _TOKEN.sub(TOKEN_MASK, text)


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: _mask_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_mask_value(item) for item in value)
    if isinstance(value, BaseException):
        return mask(f"{type(value).__name__}: {value}")
    return value


# the update being handled, and its chat: set once per update (`about_update`), read by every
# event logged while it is handled and by the work it starts (tasks copy the context)
_UPDATE: ContextVar[tuple[int, int | None] | None] = ContextVar("relaybot_update", default=None)


def about_update(update_id: int | None, chat: int | None = None) -> None:
    """Name the update (and its chat) in every event logged from now on in this context. One
    context variable set per update: structlog's bind_contextvars costs several times more,
    on the path every group message takes."""
    _UPDATE.set(None if update_id is None else (update_id, chat))


def _add_update(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    current = _UPDATE.get()
    if current is not None:
        event.setdefault("update_id", current[0])
        event.setdefault("chat", current[1])
    return event


def _drop_private(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in FORBIDDEN_KEYS & event.keys():
        event[key] = "[removed]"
    return event


def _mask_tokens(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    return {key: _mask_value(value) for key, value in event.items()}


def configure(
    log_format: str = "json",
    level: str = "INFO",
    stream: Any = None,
    secrets: Iterable[str] = (),
) -> None:
    """Set up structlog and route the standard library's logging through it.

    ``secrets`` (the token, the webhook secret) are masked wherever they appear, on top of
    anything shaped like a bot token.
    """
    global _secrets
    _secrets = tuple(s for s in secrets if s)
    output = stream or sys.stderr
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    numeric = logging.getLevelNamesMapping()[level.upper()]
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        _add_update,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _drop_private,
    ]
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.format_exc_info,
            _mask_tokens,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(output),
        cache_logger_on_first_use=False,
    )
    # python-telegram-bot, httpx and friends log through the standard library: their records
    # go through the same processors (tokens masked, tracebacks rendered inside one event)
    handler = logging.StreamHandler(output)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                _mask_tokens,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "tornado"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
