"""Warnings, reminders and removal questions. A warning keeps who, where, when and what kind
(for the reports), and a co-admin's short reason; never the message that earned it."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from relaybot.domain.moderation import Warning, WarningKind
from relaybot.storage.db import fetch_one, insert

# --- warnings --------------------------------------------------------------------------------


async def add_warning(
    conn: aiosqlite.Connection,
    chat_id: int,
    member_id: int,
    now: float,
    kind: WarningKind,
    reason: str = "",
    given_by: int = 0,
) -> int:
    new_id = await insert(
        conn,
        "INSERT INTO warnings (chat_id, member_id, at, kind, reason, given_by)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (chat_id, member_id, now, kind.value, reason, given_by),
    )
    return new_id


async def warnings_since(
    conn: aiosqlite.Connection, chat_id: int, member_id: int, since: float
) -> list[Warning]:
    """A member's warnings in a chat given after `since`, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT id, chat_id, member_id, at, kind, reason FROM warnings"
        " WHERE chat_id = ? AND member_id = ? AND at > ? ORDER BY at, id",
        (chat_id, member_id, since),
    )
    return [Warning(r[0], r[1], r[2], r[3], WarningKind(r[4]), r[5]) for r in rows]


async def take_back_latest(
    conn: aiosqlite.Connection, chat_id: int, member_id: int, since: float
) -> Warning | None:
    """Remove a member's latest warning that still counts; None when there is none."""
    current = await warnings_since(conn, chat_id, member_id, since)
    if not current:
        return None
    latest = current[-1]
    await conn.execute("DELETE FROM warnings WHERE id = ?", (latest.id,))
    return latest


async def warning_count(
    conn: aiosqlite.Connection, chat_id: int, since: float, until: float
) -> int:
    """Warnings given in a chat in a period (for reports)."""
    row = await fetch_one(
        conn,
        "SELECT COUNT(*) FROM warnings WHERE chat_id = ? AND at >= ? AND at < ?",
        (chat_id, since, until),
    )
    return int(row[0]) if row else 0


# --- reminders -------------------------------------------------------------------------------


async def last_reminder(
    conn: aiosqlite.Connection, chat_id: int, member_id: int, kind: str
) -> float | None:
    row = await fetch_one(
        conn,
        "SELECT at FROM reminders WHERE chat_id = ? AND member_id = ? AND kind = ?",
        (chat_id, member_id, kind),
    )
    return float(row[0]) if row else None


async def set_reminder(
    conn: aiosqlite.Connection, chat_id: int, member_id: int, kind: str, now: float
) -> None:
    await conn.execute(
        "INSERT INTO reminders (chat_id, member_id, kind, at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (chat_id, member_id, kind) DO UPDATE SET at = excluded.at",
        (chat_id, member_id, kind, now),
    )


async def forget_reminders(conn: aiosqlite.Connection, before: float) -> int:
    """Reminder bookkeeping older than any period it is kept for."""
    cursor = await conn.execute("DELETE FROM reminders WHERE at < ?", (before,))
    return cursor.rowcount


# --- removal questions -----------------------------------------------------------------------


@dataclass(frozen=True)
class RemovalCard:
    """The co-admins are asked whether to remove a member; the first decision counts."""

    id: int
    chat_id: int
    member_id: int
    member_name: str
    warnings: int
    # "pending", "removed", "banned" (removed from a basic group, no unban), "kept",
    # "gone" (had left), "refused" (could not)
    state: str
    decided_by: str = ""


_CARD_COLUMNS = "id, chat_id, member_id, member_name, warnings, state, decided_by"


async def add_card(
    conn: aiosqlite.Connection,
    chat_id: int,
    member_id: int,
    member_name: str,
    warnings: int,
    now: float,
) -> RemovalCard:
    new_id = await insert(
        conn,
        "INSERT INTO removal_cards (chat_id, member_id, member_name, warnings, created_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        (chat_id, member_id, member_name, warnings, now),
    )
    return RemovalCard(new_id, chat_id, member_id, member_name, warnings, "pending")


async def card(conn: aiosqlite.Connection, card_id: int) -> RemovalCard | None:
    row = await fetch_one(
        conn, f"SELECT {_CARD_COLUMNS} FROM removal_cards WHERE id = ?", (card_id,)
    )
    return RemovalCard(*row) if row else None


async def pending_card(
    conn: aiosqlite.Connection, chat_id: int, member_id: int
) -> RemovalCard | None:
    row = await fetch_one(
        conn,
        f"SELECT {_CARD_COLUMNS} FROM removal_cards"
        " WHERE chat_id = ? AND member_id = ? AND state = 'pending' ORDER BY id DESC LIMIT 1",
        (chat_id, member_id),
    )
    return RemovalCard(*row) if row else None


async def decide_card(
    conn: aiosqlite.Connection, card_id: int, state: str, by: str, now: float
) -> bool:
    """Record the decision; True only for the first (two presses at once: one winner). The
    member's name is no longer needed once the card shows the outcome, so it is erased."""
    cursor = await conn.execute(
        "UPDATE removal_cards SET state = ?, decided_by = ?, decided_at = ?, member_name = ''"
        " WHERE id = ? AND state = 'pending'",
        (state, by, now, card_id),
    )
    return cursor.rowcount == 1
