"""Which engine holds the network: PostgreSQL when a database URL is set
(``RELAYBOT_DATABASE_URL``), else the SQLite file (``RELAYBOT_DATABASE``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import asyncpg
from pydantic import SecretStr

from relaybot.storage.db import Database, StorageError
from relaybot.storage.postgres import PostgresDatabase, is_url

Store = Database | PostgresDatabase
__all__ = ["ERRORS", "INTEGRITY", "PASSING", "StorageError", "Store", "database", "target"]


def target(database: Path | str, url: SecretStr | str | None = None) -> Path | str:
    """The database the settings name: the URL when there is one, else the file."""
    if isinstance(url, SecretStr):
        url = url.get_secret_value()
    return url or database


def database(where: Path | str) -> Store:
    """An engine for a URL (``postgresql://...``) or a SQLite file, not opened yet."""
    return PostgresDatabase(where) if is_url(where) else Database(where)  # type: ignore[arg-type]


# what either engine raises when a statement fails (callers that carry on after one)
ERRORS: tuple[type[BaseException], ...] = (
    sqlite3.Error,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    ConnectionError,
)
# ... of which these pass by themselves: a locked or busy database, a connection lost a moment
PASSING: tuple[type[BaseException], ...] = (
    sqlite3.OperationalError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.SerializationError,
    asyncpg.exceptions.DeadlockDetectedError,
    ConnectionError,
)
# a constraint refused the write (a unique key, a foreign key)
INTEGRITY: tuple[type[BaseException], ...] = (
    sqlite3.IntegrityError,
    asyncpg.IntegrityConstraintViolationError,
)
