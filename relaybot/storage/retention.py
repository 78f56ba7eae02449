"""Retention: an incident's text, names and notes are erased a while after it closes.

What stays is what the reports count: the incident's number, source, state and times, its
copies (chat and message ids) and the counters. What goes: the relayed text and media, the
author's name, the co-admin's note, who reported 112 and who withdrew a report, the closing
note and who closed it, follow-up texts, and the payloads of its outbox rows (rendered texts
that carry all of that); updates set aside (telegram/app.py) go as long after.
``secure_delete`` (set on every connection) overwrites the old bytes, and a checkpoint
afterwards empties the write-ahead log, so erased means gone from the file.
"""

from __future__ import annotations

import aiosqlite

from relaybot.storage.db import Database

DAY = 86400.0
BATCH = 200  # incidents erased per transaction; the sweep goes on until none is due


async def due(conn: aiosqlite.Connection, now: float, retention_days: float) -> list[int]:
    """Incidents to erase now: closed (resolved or expired) at least ``retention_days`` ago, or
    retracted (a false alarm) at any time, and not yet erased."""
    rows = await conn.execute_fetchall(
        "SELECT number FROM incidents WHERE erased_at IS NULL AND ("
        " state = 'retracted' OR (state IN ('resolved', 'expired') AND closed_at <= ?)"
        ") ORDER BY number LIMIT ?",
        (now - retention_days * DAY, BATCH),
    )
    return [int(row[0]) for row in rows]


async def erase(conn: aiosqlite.Connection, number: int, at: float) -> None:
    """Erase one incident's text, names and notes, keeping what the reports count."""
    await conn.execute(
        "UPDATE incidents SET text = '', media = NULL, note = '', author = '',"
        " flag_by = CASE WHEN flag_by IS NULL THEN NULL ELSE '' END,"
        " withdrawn_by = CASE WHEN withdrawn_by IS NULL THEN NULL ELSE '' END,"
        " closing_note = '', closed_by = '', erased_at = ? WHERE number = ?",
        (at, number),
    )
    await conn.execute("UPDATE followups SET text = '', media = NULL WHERE incident = ?", (number,))
    await conn.execute(
        "UPDATE flag_withdrawals SET reported_by = '', withdrawn_by = '' WHERE incident = ?",
        (number,),
    )
    await conn.execute("DELETE FROM flag_duplicates WHERE incident = ?", (number,))
    await _erase_payloads(conn, number)


async def _erase_payloads(conn: aiosqlite.Connection, number: int | None = None) -> int:
    """Empty the payloads of finished outbox rows of erased incidents (one, or all). A row
    still pending keeps its payload until it is sent; the next sweep empties it then."""
    if number is not None:
        where, args = "incident = ?", (number,)
    else:
        where = "incident IN (SELECT number FROM incidents WHERE erased_at IS NOT NULL)"
        args = ()
    cursor = await conn.execute(
        f"UPDATE outbox SET payload = '{{}}' WHERE {where}"
        " AND status != 'pending' AND payload != '{}'",
        args,
    )
    return cursor.rowcount


SET_ASIDE_DAYS = 7  # long enough to look into a failure, short for what someone wrote


async def _forget_set_aside(conn: aiosqlite.Connection, before: float) -> int:
    """Updates set aside (kept for inspection, with what someone wrote) go after a week, or
    after as long as an incident's text when that is shorter."""
    cursor = await conn.execute("DELETE FROM inbox_set_aside WHERE set_aside_at <= ?", (before,))
    return cursor.rowcount


async def sweep(db: Database, now: float, retention_days: float) -> int:
    """Erase every incident that is due (and the payloads its late sends left); then empty
    the write-ahead log so the old bytes are gone from the files. The number erased."""
    erased = 0
    emptied = 0
    while True:
        async with db.transaction() as conn:
            numbers = await due(conn, now, retention_days)
            for number in numbers:
                await erase(conn, number, now)
            if len(numbers) < BATCH:
                emptied = await _erase_payloads(conn) + await _forget_set_aside(
                    conn, now - min(retention_days, SET_ASIDE_DAYS) * DAY
                )
        erased += len(numbers)
        if len(numbers) < BATCH:
            break
    if erased or emptied:
        await db.checkpoint()
    return erased
