"""The durable outbox: everything the bot will send, edit or delete, until it is done."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import IntEnum

import aiosqlite

from relaybot.storage.db import fetch_one


class Priority(IntEnum):
    FLAG = 0  # 112 notices and the edits that show the flag
    NORMAL = 1  # alerts, confirmations, answers
    LOW = 2  # follow-ups and bulk edits


@dataclass(frozen=True)
class Row:
    id: int
    chat_id: int
    priority: int
    action: str
    incident: int | None
    followup: int | None
    payload: dict[str, object] = field(default_factory=dict)
    attempts: int = 0


_COLUMNS = "id, chat_id, priority, action, incident, followup, payload, attempts"


def _row(raw: aiosqlite.Row) -> Row:
    return Row(raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], json.loads(raw[6]), raw[7])


async def enqueue(
    conn: aiosqlite.Connection,
    *,
    chat_id: int,
    action: str,
    now: float,
    priority: Priority = Priority.NORMAL,
    incident: int | None = None,
    followup: int | None = None,
    payload: dict[str, object] | None = None,
) -> int:
    cursor = await conn.execute(
        "INSERT INTO outbox (chat_id, priority, action, incident, followup, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (chat_id, int(priority), action, incident, followup, json.dumps(payload or {}), now),
    )
    return cursor.lastrowid or 0


async def due(
    conn: aiosqlite.Connection, now: float, busy: Collection[int], limit: int = 64
) -> list[Row]:
    """The next row of every idle chat that has one due, most urgent first.

    One row per chat: a chat's rows go out one at a time, in order of priority, so an edit
    never overtakes the message it edits.
    """
    rows = await conn.execute_fetchall(
        f"SELECT {_COLUMNS}, not_before FROM outbox WHERE status = 'pending' ORDER BY priority, id"
    )
    picked: dict[int, Row] = {}
    blocked: set[int] = set(busy)
    for raw in rows:
        chat_id = raw[1]
        if chat_id in blocked:
            continue
        blocked.add(chat_id)
        if raw[8] <= now:
            picked[chat_id] = _row(raw)
            if len(picked) >= limit:
                break
    return list(picked.values())


async def next_due_at(conn: aiosqlite.Connection, busy: Collection[int] = ()) -> float | None:
    """When the next row of a chat that is not busy becomes due (None: no such row)."""
    marks = ", ".join("?" for _ in busy)
    skip = f" AND chat_id NOT IN ({marks})" if busy else ""
    row = await fetch_one(
        conn, f"SELECT MIN(not_before) FROM outbox WHERE status = 'pending'{skip}", tuple(busy)
    )
    return row[0] if row else None


async def pending(conn: aiosqlite.Connection) -> int:
    row = await fetch_one(conn, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
    return int(row[0]) if row else 0


async def is_pending(conn: aiosqlite.Connection, incident: int, chat_id: int, action: str) -> bool:
    return (
        await fetch_one(
            conn,
            "SELECT 1 FROM outbox WHERE incident = ? AND chat_id = ? AND action = ?"
            " AND status = 'pending' LIMIT 1",
            (incident, chat_id, action),
        )
        is not None
    )


async def done(
    conn: aiosqlite.Connection,
    row_id: int,
    now: float,
    message_id: int | None = None,
    error: str | None = None,
) -> None:
    await conn.execute(
        "UPDATE outbox SET status = 'done', done_at = ?, message_id = ?, error = ? WHERE id = ?",
        (now, message_id, error, row_id),
    )


async def postpone(
    conn: aiosqlite.Connection, row_id: int, not_before: float, error: str, count: bool = True
) -> None:
    await conn.execute(
        "UPDATE outbox SET not_before = ?, error = ?, attempts = attempts + ? WHERE id = ?",
        (not_before, error, int(count), row_id),
    )


async def demote(conn: aiosqlite.Connection, row_id: int, priority: Priority) -> None:
    """Let a chat's rows of this priority go first: the row is treated as queued just now."""
    row = await fetch_one(conn, "SELECT MAX(id) FROM outbox")
    newest = int(row[0]) if row and row[0] else row_id
    await conn.execute(
        "UPDATE outbox SET priority = ?, id = ? WHERE id = ?",
        (int(priority), max(newest + 1, row_id), row_id),
    )


async def fail(conn: aiosqlite.Connection, row_id: int, now: float, error: str) -> None:
    await conn.execute(
        "UPDATE outbox SET status = 'failed', done_at = ?, error = ? WHERE id = ?",
        (now, error, row_id),
    )


async def fail_chat(conn: aiosqlite.Connection, chat_id: int, now: float, error: str) -> int:
    """Give up on everything still waiting for a chat that refuses the bot."""
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'failed', done_at = ?, error = ?"
        " WHERE chat_id = ? AND status = 'pending'",
        (now, error, chat_id),
    )
    return cursor.rowcount


async def move_chat(conn: aiosqlite.Connection, old: int, new: int) -> None:
    await conn.execute(
        "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND status = 'pending'", (new, old)
    )


async def counts(conn: aiosqlite.Connection) -> dict[str, int]:
    rows = await conn.execute_fetchall("SELECT status, COUNT(*) FROM outbox GROUP BY status")
    return {row[0]: row[1] for row in rows}


async def forget_finished(conn: aiosqlite.Connection, before: float) -> int:
    """Drop delivered and failed rows finished before `before` (their copies stay recorded)."""
    cursor = await conn.execute(
        "DELETE FROM outbox WHERE status IN ('done', 'failed') AND done_at < ?", (before,)
    )
    return cursor.rowcount


async def pending_like(
    conn: aiosqlite.Connection,
    incident: int,
    chat_id: int,
    action: str,
    priority: int,
    followup: int | None = None,
) -> int:
    """How many rows of this action for this incident (and follow-up) wait for this chat at
    this priority or a more urgent one."""
    row = await fetch_one(
        conn,
        "SELECT COUNT(*) FROM outbox WHERE incident = ? AND chat_id = ? AND action = ?"
        " AND status = 'pending' AND priority <= ? AND followup IS ?",
        (incident, chat_id, action, priority, followup),
    )
    return int(row[0]) if row else 0
