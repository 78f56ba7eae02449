"""Structured logs: one JSON event per line (or readable console lines).

Events carry the update, chat and incident they concern (bound through contextvars), never a
message's text, a token or a phone number: the processor below drops keys that could hold them.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

FORBIDDEN_KEYS = frozenset({"text", "caption", "html", "token", "phone", "phone_number", "note"})


def _drop_private(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in FORBIDDEN_KEYS & event.keys():
        event[key] = "[removed]"
    return event


def configure(log_format: str = "json", level: str = "INFO", stream: Any = None) -> None:
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    numeric = logging.getLevelNamesMapping()[level.upper()]
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _drop_private,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(stream or sys.stderr),
        cache_logger_on_first_use=False,
    )
    # python-telegram-bot and httpx log through the standard library; keep them quiet and
    # make sure request URLs (which contain the token) never reach the output.
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s"
    )
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "tornado"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
