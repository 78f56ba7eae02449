"""Per-day, per-place counters (for reports and the demo's totals)."""

from __future__ import annotations

from datetime import UTC, datetime

import aiosqlite

from relaybot.storage.db import fetch_one


async def count(
    conn: aiosqlite.Connection, place: str, metric: str, now: float, n: int = 1
) -> None:
    """Add to a per-day, per-place counter (for reports)."""
    day = datetime.fromtimestamp(now, UTC).date().isoformat()
    await conn.execute(
        "INSERT INTO counters (day, place, metric, n) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (day, place, metric) DO UPDATE SET n = counters.n + excluded.n",
        (day, place, metric, n),
    )


async def counter_total(conn: aiosqlite.Connection, metric: str) -> int:
    row = await fetch_one(
        conn, "SELECT COALESCE(SUM(n), 0) FROM counters WHERE metric = ?", (metric,)
    )
    return int(row[0]) if row else 0
