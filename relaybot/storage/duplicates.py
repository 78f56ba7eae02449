"""Who reported 112 again after it was reported: each person is answered, and counted as a
duplicate prevented, once per incident."""

from __future__ import annotations

import aiosqlite


async def first_duplicate(conn: aiosqlite.Connection, number: int, user_id: int, at: float) -> bool:
    """Record that this person reported (or meant to report) 112 after it was reported. True
    the first time per incident: they get one answer and count once as a duplicate
    prevented, however often they repeat themselves."""
    cursor = await conn.execute(
        "INSERT INTO flag_duplicates (incident, user_id, at)"
        " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (number, user_id, at),
    )
    return cursor.rowcount == 1


async def forget_duplicates(conn: aiosqlite.Connection, number: int) -> None:
    """A withdrawn report: whoever repeats the next one is answered afresh."""
    await conn.execute("DELETE FROM flag_duplicates WHERE incident = ?", (number,))
