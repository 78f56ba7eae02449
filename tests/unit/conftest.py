"""Shared fixtures for the unit tests: a real database (SQLite in a temporary folder, and
PostgreSQL), and a
small world (context, delivery planning, fake clock) for the use cases' tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import structlog

from relaybot.storage import engine
from relaybot.storage.db import Database
from tests.unit.world import World, make_world


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "relaybot.sqlite3"


@pytest.fixture
async def db(database_target: Path | str) -> AsyncIterator[Database]:
    """A fresh database on each engine (the test runs twice: SQLite, then PostgreSQL)."""
    database = await engine.database(database_target).open()
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def sqlite_db(db_path: Path) -> AsyncIterator[Database]:
    """A fresh SQLite database, for what only that engine has (its file, WAL, PRAGMAs)."""
    database = await Database(db_path).open()
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def world(db: Database) -> World:
    """The shared context over the test network, its clock at START; no use case built."""
    return await make_world(db)


@pytest.fixture(autouse=True)
def _structlog_config_does_not_leak() -> Iterator[None]:
    """Whatever a test configures structlog to (a stream of its own, which pytest closes after
    it) is undone after it, so a later test never logs into a closed file."""
    saved = structlog.get_config()
    yield
    structlog.configure(**saved)
