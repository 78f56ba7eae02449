"""PostgreSQL lost and found again: what counts as a lost connection, and how often a process
tries to connect again while the server does not answer.

A connection can go at any moment (the server restarted, a backend terminated by an operator
or by ``pg_terminate_backend``, the network cut). The engine (``postgres.py``) then raises
:class:`DatabaseUnreachable` for the statement that failed, a ``ConnectionError`` and so one
of the passing errors every caller already retries (``engine.PASSING``); its next use
connects afresh. While connecting fails, tries are spaced by :class:`Reach` (0.1 s, doubling
to 5 s) and fail at once in between, so a caller's retry loop does not hammer a server that is
starting up. Each outage is logged once when it begins and once when it ends, with the
database's address without its password.
"""

from __future__ import annotations

import re
import time

import asyncpg
import structlog

log = structlog.get_logger("relaybot.storage")

RETRY_FIRST = 0.1  # seconds before the second try to connect
RETRY_CAP = 5.0  # ... and at most between two tries
CONNECT_TIMEOUT = 10.0  # seconds a try to connect may take (a host that does not answer)

# what the server says when it ends a connection: it is going away (57P01 admin shutdown,
# 57P02 crash shutdown, 57P03 starting up), or the connection broke (class 08, which asyncpg
# also raises for a connection closed in the middle of a statement)
_ENDED: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
)


class DatabaseUnreachable(ConnectionError):
    """The connection to PostgreSQL was lost, or cannot be made now: the statement did not
    run, or (lost during its COMMIT) its outcome is unknown. A passing error: try again."""


def redact(url: str) -> str:
    """The URL without its password, for a log line or an error."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def is_lost(error: BaseException, raw: asyncpg.Connection | None = None) -> bool:
    """Whether `error` means the connection is gone (not that the statement was wrong):
    while connecting (`raw` None), any socket error or time-out too; while using `raw`, a
    socket or interface error only when `raw` is closed indeed."""
    if isinstance(error, _ENDED):
        return True
    if raw is None:
        return isinstance(error, OSError)  # TimeoutError and ConnectionError included
    return isinstance(error, (OSError, asyncpg.InterfaceError)) and _closed(raw)


def _closed(raw: asyncpg.Connection) -> bool:
    try:
        return raw.is_closed()
    except asyncpg.InterfaceError:  # a pool's connection it took back when it closed
        return True


class Reach:
    """Whether the server answers, for one process's connections to one database."""

    def __init__(self, url: str) -> None:
        self.where = redact(url)
        self._down_since: float | None = None
        self._delay = 0.0
        self._retry_at = 0.0

    def check(self) -> None:
        """Before a try to connect: raise at once while the last try failed a moment ago."""
        if self._down_since is not None and time.monotonic() < self._retry_at:
            raise DatabaseUnreachable(f"database {self.where} not reachable; trying again soon")

    def lost(self, error: BaseException) -> DatabaseUnreachable:
        """A connection went during a statement: the next use connects again at once."""
        self._went(error)
        return DatabaseUnreachable(f"connection to {self.where} lost ({type(error).__name__})")

    def failed(self, error: BaseException) -> DatabaseUnreachable:
        """A try to connect failed: the next waits a while longer."""
        self._went(error)
        self._delay = min(RETRY_CAP, max(RETRY_FIRST, self._delay * 2))
        self._retry_at = time.monotonic() + self._delay
        return DatabaseUnreachable(f"cannot connect to {self.where} ({type(error).__name__})")

    def answered(self) -> None:
        if self._down_since is not None:
            after = round(time.monotonic() - self._down_since, 1)
            log.info("database_reconnected", database=self.where, after_s=after)
            self._down_since = None
            self._delay = 0.0

    def _went(self, error: BaseException) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            kind = type(error).__name__
            log.warning("database_connection_lost", database=self.where, error=kind)
