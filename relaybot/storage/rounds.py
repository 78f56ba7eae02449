"""Surveillance rounds: the round (chat, times, note, number of walkers) and, while it is
planned or under way, who started it and who walk. Ending a round forgets the names."""

from __future__ import annotations

import aiosqlite

from relaybot.domain.rounds import Round
from relaybot.storage.db import insert

_COLUMNS = (
    "id, chat_id, starter_id, starter_name, started_at, planned_at, ended_at, note, meeting,"
    " walkers, card_message_id"
)


async def _walkers(conn: aiosqlite.Connection, round_id: int) -> tuple[str, ...]:
    rows = await conn.execute_fetchall(
        "SELECT name FROM round_walkers WHERE round_id = ? ORDER BY joined_at, user_id",
        (round_id,),
    )
    return tuple(r[0] for r in rows)


async def _rounds(conn: aiosqlite.Connection, where: str, args: tuple[object, ...]) -> list[Round]:
    rows = await conn.execute_fetchall(f"SELECT {_COLUMNS} FROM rounds WHERE {where}", args)
    found = []
    for r in rows:
        walkers = await _walkers(conn, r[0])
        found.append(
            Round(
                id=r[0],
                chat_id=r[1],
                starter_id=r[2],
                starter=r[3],
                started_at=r[4],
                planned_at=r[5],
                ended_at=r[6],
                note=r[7],
                meeting=r[8],
                walkers=walkers,
                count=len(walkers) if r[6] is None else r[9],
                card_message_id=r[10],
            )
        )
    return found


async def get(conn: aiosqlite.Connection, round_id: int) -> Round | None:
    found = await _rounds(conn, "id = ?", (round_id,))
    return found[0] if found else None


async def walking(conn: aiosqlite.Connection, chat_id: int) -> Round | None:
    """The round under way in a chat (the newest, should there be two)."""
    found = await _rounds(
        conn,
        "chat_id = ? AND started_at IS NOT NULL AND ended_at IS NULL ORDER BY started_at DESC",
        (chat_id,),
    )
    return found[0] if found else None


async def create(
    conn: aiosqlite.Connection,
    chat_id: int,
    starter_id: int,
    starter: str,
    now: float,
    *,
    started_at: float | None = None,
    planned_at: float | None = None,
    note: str = "",
    meeting: str = "",
) -> int:
    return await insert(
        conn,
        "INSERT INTO rounds (chat_id, starter_id, starter_name, started_at, planned_at, note,"
        " meeting, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (chat_id, starter_id, starter, started_at, planned_at, note, meeting, now),
    )


async def toggle_walker(
    conn: aiosqlite.Connection, round_id: int, user_id: int, name: str, now: float
) -> bool:
    """Sign a walker up, or off when they were signed up. True: they walk now."""
    cursor = await conn.execute(
        "DELETE FROM round_walkers WHERE round_id = ? AND user_id = ?", (round_id, user_id)
    )
    if cursor.rowcount:
        return False
    await add_walker(conn, round_id, user_id, name, now)
    return True


async def add_walker(
    conn: aiosqlite.Connection, round_id: int, user_id: int, name: str, now: float
) -> None:
    await conn.execute(
        "INSERT INTO round_walkers (round_id, user_id, name, joined_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (round_id, user_id) DO NOTHING",
        (round_id, user_id, name, now),
    )


async def set_card(conn: aiosqlite.Connection, round_id: int, message_id: int) -> None:
    await conn.execute("UPDATE rounds SET card_message_id = ? WHERE id = ?", (message_id, round_id))


async def begin(conn: aiosqlite.Connection, round_id: int, at: float) -> None:
    """A planned round begins."""
    await conn.execute("UPDATE rounds SET started_at = ? WHERE id = ?", (at, round_id))


async def finish(conn: aiosqlite.Connection, round_id: int, at: float, note: str) -> int:
    """End a round: its number of walkers is kept, every name is forgotten. Returns the
    number of walkers."""
    rows = await conn.execute_fetchall(
        "SELECT COUNT(*) FROM round_walkers WHERE round_id = ?", (round_id,)
    )
    count = int(rows[0][0])
    await conn.execute("DELETE FROM round_walkers WHERE round_id = ?", (round_id,))
    await conn.execute(
        "UPDATE rounds SET ended_at = ?, walkers = ?, note = ?, starter_id = NULL,"
        " starter_name = '' WHERE id = ?",
        (at, count, note, round_id),
    )
    return count


async def drop(conn: aiosqlite.Connection, round_id: int) -> None:
    """A planned round nobody walked: nothing of it stays."""
    await conn.execute("DELETE FROM round_walkers WHERE round_id = ?", (round_id,))
    await conn.execute("DELETE FROM rounds WHERE id = ?", (round_id,))


async def overdue(conn: aiosqlite.Connection, before: float) -> list[Round]:
    """Rounds under way that began before ``before`` (left open too long)."""
    return await _rounds(
        conn, "started_at IS NOT NULL AND ended_at IS NULL AND started_at <= ?", (before,)
    )


async def to_remind(conn: aiosqlite.Connection, now: float, before: float) -> list[Round]:
    """Planned rounds still to begin, before ``before``, whose walkers were not reminded."""
    return await _rounds(
        conn,
        "started_at IS NULL AND reminded = 0 AND planned_at > ? AND planned_at <= ?",
        (now, before),
    )


async def reminded(conn: aiosqlite.Connection, round_id: int) -> None:
    await conn.execute("UPDATE rounds SET reminded = 1 WHERE id = ?", (round_id,))


async def due(conn: aiosqlite.Connection, now: float) -> list[Round]:
    """Planned rounds whose time has come."""
    return await _rounds(conn, "started_at IS NULL AND planned_at <= ?", (now,))
