"""A network's whole database copied from one engine to the other (``relaybot
copy-database``), and a SQLite snapshot of a PostgreSQL database for the report, which reads
a file.

Both sides are opened (and so migrated to the same schema) first; the target must be empty.
Tables are copied in the order they were created, which is the order their foreign keys
need; every row goes, and the counts are compared at the end. PostgreSQL's identity columns
are then moved past the highest copied id, so that the next incident gets the next number.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from relaybot.storage.db import Database, StorageError, fetch_one, is_postgres

BATCH = 500  # rows inserted per statement batch

_TABLES_SQLITE = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    " ORDER BY rowid"
)
_TABLES_POSTGRES = (
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = current_schema() AND c.relkind = 'r'"
    " AND c.relname <> 'schema_migrations' ORDER BY c.oid"
)
_IDENTITY = (
    "SELECT table_name, column_name FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND is_identity = 'YES'"
)


async def tables(conn: Any) -> list[str]:
    """The network's tables, in the order they were created."""
    sql = _TABLES_POSTGRES if is_postgres(conn) else _TABLES_SQLITE
    return [str(row[0]) for row in await conn.execute_fetchall(sql)]


async def _count(conn: Any, table: str) -> int:
    row = await fetch_one(conn, f"SELECT COUNT(*) FROM {table}")
    return int(row[0]) if row else 0


async def copy_database(source: Any, target: Any) -> dict[str, int]:
    """Copy every row of `source` into the empty `target` (both open); rows per table."""
    if await source.version() != await target.version():
        raise StorageError(
            f"the two databases have different schemas ({await source.version()} and "
            f"{await target.version()} migrations): upgrade relaybot on both sides first"
        )
    copied: dict[str, int] = {}
    async with source.reading() as src, target.transaction() as dst:
        wanted = set(await tables(dst))
        for table in await tables(src):
            if table not in wanted:
                continue
            if await _count(dst, table):
                await dst.execute(f"DELETE FROM {table}")  # rows a trigger made meanwhile
            copied[table] = await _copy_table(src, dst, table)
        for table, n in copied.items():
            if await _count(dst, table) != n:
                raise StorageError(f"copy of {table} is incomplete: nothing was kept")
        if is_postgres(dst):
            for table, column in await dst.execute_fetchall(_IDENTITY):
                await dst.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
                    f" GREATEST((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
                )
    return copied


async def ensure_empty(target: Any) -> None:
    """A copy goes into an empty database only: it never mixes two networks' rows."""
    async with target.reading() as conn:
        for table in await tables(conn):
            if table not in ("inbox_offset",) and await _count(conn, table):
                raise StorageError(
                    f"the target database is not empty (table {table} has rows): copy into a "
                    "new database"
                )


async def _copy_table(src: Any, dst: Any, table: str) -> int:
    rows = await src.execute_fetchall(f"SELECT * FROM {table}")
    if not rows:
        return 0
    columns = list(rows[0].keys())
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    values = [tuple(row) for row in rows]
    for start in range(0, len(values), BATCH):
        await dst.executemany(sql, values[start : start + BATCH])
    return len(values)


@asynccontextmanager
async def sqlite_snapshot(db: Any) -> AsyncIterator[Path]:
    """A consistent SQLite copy of the database in a private temporary folder, removed after
    use (the report reads a file). A SQLite database is its own file already."""
    if isinstance(db.path, Path):
        yield db.path
        return
    with tempfile.TemporaryDirectory(prefix="relaybot-report-") as folder:
        path = Path(folder) / "snapshot.sqlite3"
        copy = await Database(path).open()
        try:
            await copy_database(db, copy)
        finally:
            await copy.close()
        yield path
