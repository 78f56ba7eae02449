"""`relaybot migrate` and `relaybot copy-database`: the database on either engine."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from relaybot.settings import Settings
from relaybot.storage import engine
from relaybot.storage.copy import copy_database, ensure_empty
from relaybot.storage.postgres import is_url, redact


def place(text: str) -> Path | str:
    """A database named on the command line: a PostgreSQL URL, ``sqlite:FILE``,
    ``sqlite:///FILE`` or a plain file name."""
    if is_url(text):
        return text
    if text.startswith("sqlite:"):
        text = text.removeprefix("sqlite:")
        text = text.removeprefix("//") if text.startswith("///") else text
    return Path(text)


def shown(where: Path | str) -> str:
    return redact(where) if isinstance(where, str) else str(where)


async def _migrate(where: Path | str) -> int:
    db = await engine.database(where).open()  # opening applies what is missing
    try:
        return await db.version()
    finally:
        await db.close()


def migrate(settings: Settings) -> str:
    """Bring the settings' database to this version's schema; one line saying where it is."""
    where = engine.target(settings.database, settings.database_url)
    version = asyncio.run(_migrate(where))
    return f"database {shown(where)}: schema at migration {version}"


async def _copy(source: Path | str, target: Path | str) -> dict[str, int]:
    src = await engine.database(source).open()
    try:
        dst = await engine.database(target).open()
        try:
            await ensure_empty(dst)
            return await copy_database(src, dst)
        finally:
            await dst.close()
    finally:
        await src.close()


@contextmanager
def readable_file(settings: Settings) -> Iterator[Path]:
    """The settings' database as a SQLite file to read (the report reads files): the file
    itself, or for PostgreSQL a consistent copy in a private temporary folder, removed after."""
    where = engine.target(settings.database, settings.database_url)
    if isinstance(where, Path):
        yield where
        return
    with tempfile.TemporaryDirectory(prefix="relaybot-report-") as folder:
        path = Path(folder) / "snapshot.sqlite3"
        asyncio.run(_copy(where, path))
        yield path


def copy(source_text: str, target_text: str) -> str:
    """Copy a network's database to an empty one (either engine); one line with the counts."""
    source, target = place(source_text), place(target_text)
    if isinstance(source, Path) and not source.is_file():  # never create an empty source
        raise engine.StorageError(f"no database at {source}")
    copied = asyncio.run(_copy(source, target))
    rows = sum(copied.values())
    return f"copied {rows:,} rows in {len(copied)} tables from {shown(source)} to {shown(target)}"
