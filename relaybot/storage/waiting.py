"""The waiting list: sign-ups that matched no neighbourhood, per area (a street), and the
cards the regiegroep got about an area: one when enough wait to start a group (slug ''),
one when a group for the area is there to admit them to (its slug)."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from relaybot.storage.db import insert


@dataclass(frozen=True)
class Area:
    key: str
    name: str  # as the residents wrote it (the first one's)
    signups: tuple[int, ...]


@dataclass(frozen=True)
class AreaCard:
    id: int
    area: str
    slug: str  # '' for the card that asks for a group
    decided_by: str


async def add(
    conn: aiosqlite.Connection, signup_id: int, area: str, area_name: str, now: float
) -> None:
    await conn.execute(
        "INSERT INTO waiting (signup_id, area, area_name, since) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (signup_id) DO NOTHING",
        (signup_id, area, area_name, now),
    )


async def areas(conn: aiosqlite.Connection) -> list[Area]:
    """Every area with residents waiting, their sign-ups oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT area, area_name, signup_id FROM waiting ORDER BY area, since, signup_id"
    )
    found: dict[str, Area] = {}
    for key, name, signup_id in rows:
        known = found.get(key)
        found[key] = (
            Area(key, name, (signup_id,))
            if known is None
            else Area(key, known.name, (*known.signups, signup_id))
        )
    return list(found.values())


async def area_of(conn: aiosqlite.Connection, signup_id: int) -> str | None:
    rows = await conn.execute_fetchall(
        "SELECT area_name FROM waiting WHERE signup_id = ?", (signup_id,)
    )
    return rows[0][0] if rows else None


async def leave(conn: aiosqlite.Connection, signup_ids: list[int]) -> None:
    for signup_id in signup_ids:
        await conn.execute("DELETE FROM waiting WHERE signup_id = ?", (signup_id,))


async def card(conn: aiosqlite.Connection, area: str, slug: str) -> AreaCard | None:
    rows = await conn.execute_fetchall(
        "SELECT id, area, slug, decided_by FROM waiting_cards WHERE area = ? AND slug = ?",
        (area, slug),
    )
    return AreaCard(*rows[0]) if rows else None


async def card_by_id(conn: aiosqlite.Connection, card_id: int) -> AreaCard | None:
    rows = await conn.execute_fetchall(
        "SELECT id, area, slug, decided_by FROM waiting_cards WHERE id = ?", (card_id,)
    )
    return AreaCard(*rows[0]) if rows else None


async def new_card(
    conn: aiosqlite.Connection, area: str, slug: str, residents: int, now: float
) -> int:
    return await insert(
        conn,
        "INSERT INTO waiting_cards (area, slug, residents, made_at) VALUES (?, ?, ?, ?)"
        " RETURNING id",
        (area, slug, residents, now),
    )


async def decide(conn: aiosqlite.Connection, card_id: int, by: str, now: float) -> bool:
    """Mark a card decided; False when it was already."""
    cursor = await conn.execute(
        "UPDATE waiting_cards SET decided_by = ?, decided_at = ?"
        " WHERE id = ? AND decided_at IS NULL",
        (by, now, card_id),
    )
    return cursor.rowcount == 1
