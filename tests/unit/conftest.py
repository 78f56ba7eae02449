"""Shared fixtures for the unit tests: a real SQLite database in a temporary folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from relaybot.storage.db import Database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "relaybot.sqlite3"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database(db_path).open()
    try:
        yield database
    finally:
        await database.close()
