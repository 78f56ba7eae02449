"""Each update or request is acted on once: the key of what was handled, kept as long as
Telegram could deliver it again. Every use case claims its key in the transaction that acts."""

from __future__ import annotations

import aiosqlite


async def claim(conn: aiosqlite.Connection, key: str, now: float) -> bool:
    """Mark an update as handled. False when it was handled before (a redelivery)."""
    cursor = await conn.execute(
        "INSERT INTO handled (key, at) VALUES (?, ?) ON CONFLICT DO NOTHING", (key, now)
    )
    return cursor.rowcount == 1


async def forget_handled(conn: aiosqlite.Connection, before: float) -> int:
    """Drop redelivery keys older than any redelivery Telegram would make."""
    cursor = await conn.execute("DELETE FROM handled WHERE at < ?", (before,))
    return cursor.rowcount
