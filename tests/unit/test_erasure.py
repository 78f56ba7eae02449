"""Erased means gone from the file, also while someone reads it: the write-ahead log is copied
back and truncated once no reader holds an older snapshot, and the waiting is bounded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from relaybot.storage import erasure
from relaybot.storage.db import Database

SECRET = b"Zwaantje Oosterveld-Klomp"


def on_disk(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.sqlite_only  # the file and its WAL
async def test_a_reader_keeps_the_bytes_until_it_is_done(db: Database, db_path: Path) -> None:
    """With a reader holding a snapshot, the erased row's bytes stay in the file and flush
    says so after its bounded wait; once the reader is done they are gone, and flush says
    that. The bot's own connection is not left impatient (busy_timeout as it was)."""
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE secrets (what TEXT)")
        await conn.execute("INSERT INTO secrets VALUES (?)", (SECRET.decode(),))
    await db.checkpoint()
    reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM secrets").fetchall()
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM secrets")
    assert not await erasure.flush(db, wait_s=0.2)
    assert SECRET in on_disk(db_path)
    reader.rollback()
    reader.close()
    assert await erasure.flush(db, wait_s=0.2)
    assert SECRET not in on_disk(db_path)
    async with db.reading() as conn:
        rows = await conn.execute_fetchall("PRAGMA busy_timeout")
    assert rows[0][0] == 1000
