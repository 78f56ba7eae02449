"""When each neighbourhood last showed life, the quiet notices given, and the digests made."""

from __future__ import annotations

from collections.abc import Iterable

import aiosqlite

from relaybot.storage.db import fetch_one


async def watch(conn: aiosqlite.Connection, slugs: Iterable[str], now: float) -> None:
    """The bot watches these neighbourhoods from now on (kept: the first time counts)."""
    await conn.executemany(
        "INSERT INTO activity (slug, watched_since) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(slug, now) for slug in slugs],
    )


async def saw(conn: aiosqlite.Connection, slug: str, at: float) -> None:
    """A sign of life in the neighbourhood's chat at ``at`` (never moves back in time)."""
    await conn.execute(
        "INSERT INTO activity (slug, watched_since, last_at) VALUES (?, ?, ?)"
        " ON CONFLICT (slug) DO UPDATE SET last_at = CASE"
        " WHEN activity.last_at > excluded.last_at THEN activity.last_at ELSE excluded.last_at END",
        (slug, at, at),
    )


async def notice_given(conn: aiosqlite.Connection, slug: str, quiet_since: float) -> bool:
    """Record a quiet notice for the quiet period that began at ``quiet_since``. True only the
    first time for that period (a later period has a later start)."""
    cursor = await conn.execute(
        "UPDATE activity SET quiet_notice_for = ? WHERE slug = ?"
        " AND (quiet_notice_for IS NULL OR quiet_notice_for < ?)",
        (quiet_since, slug, quiet_since),
    )
    return cursor.rowcount == 1


async def first_watched(conn: aiosqlite.Connection) -> float | None:
    """When the bot first watched any neighbourhood: before that, no digest was due."""
    row = await fetch_one(conn, "SELECT MIN(watched_since) FROM activity")
    return row[0] if row else None


async def claim_digest(conn: aiosqlite.Connection, due_at: float, now: float) -> bool:
    """The digest for ``due_at`` is being made now. False when it was made before."""
    cursor = await conn.execute(
        "INSERT INTO digests (due_at, made_at) VALUES (?, ?) ON CONFLICT DO NOTHING", (due_at, now)
    )
    return cursor.rowcount == 1


async def watched(conn: aiosqlite.Connection) -> dict[str, float]:
    """slug -> since when the bot has watched the neighbourhood."""
    rows = await conn.execute_fetchall("SELECT slug, watched_since FROM activity")
    return {row[0]: row[1] for row in rows}
