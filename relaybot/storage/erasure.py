"""Erased means gone from the file, also while someone reads it (SQLite only).

The bot's connection runs with ``secure_delete``, so an erasure overwrites the rows' bytes,
but in write-ahead-log mode the overwritten pages first go to the ``-wal`` file: the old bytes
stay in the main file, and earlier frames of the log still hold them, until a checkpoint copies
the log back and truncates it. A reader holding a snapshot (a report, a backup, a tool)
keeps the log from being truncated. :func:`flush` checkpoints, and tries again for a short
while (without holding the database to itself meanwhile); it says whether the bytes are gone.
PostgreSQL has no such file to clean.
"""

from __future__ import annotations

import asyncio

from relaybot.storage.db import Database, is_postgres

WAIT_S = 1.0  # how long an erasure waits for a reader before it says "not yet"
_PAUSE_S = 0.05  # between two tries: the bot's other work goes on meanwhile


async def flush(db: Database, wait_s: float = WAIT_S) -> bool:
    """Copy the write-ahead log into the database file and truncate it; True once done
    (what was erased is then gone from the file and its log), False when a reader still
    held an older snapshot after ``wait_s`` seconds. Each try asks SQLite not to wait: a
    reader never holds up the bot's own work for longer than one try."""
    if is_postgres(db.conn):
        return True  # rows are gone at once; old pages are PostgreSQL's (docs/design.md)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while True:
        if await _checkpoint(db):
            return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(_PAUSE_S)


async def _checkpoint(db: Database) -> bool:
    async with db.statements() as conn:
        async with conn.execute("PRAGMA busy_timeout") as cursor:
            row = await cursor.fetchone()
        patience = int(row[0]) if row else 0
        await conn.execute("PRAGMA busy_timeout = 0")
        try:
            async with conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                result = await cursor.fetchone()
        finally:
            await conn.execute(f"PRAGMA busy_timeout = {patience}")
    return result is not None and result[0] == 0
