"""The durable outbox: everything the bot will send, edit or delete, until it is done."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

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


# Edits that render the state at the moment they are sent: a second one queued while the
# first still waits adds nothing (the first will show the latest state), so it is merged.
_MERGED = ("refresh", "refresh_followup")


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
    """Queue a row. Pending edits of one copy are merged: a refresh already waiting for the
    same chat and incident (it renders the state when it is sent), or an edit of the same
    message (its content is replaced by the newest), takes this one's place."""
    body = json.dumps(payload or {})
    merged = await _merge(conn, chat_id, action, priority, incident, followup, payload, body)
    if merged is not None:
        return merged
    cursor = await conn.execute(
        "INSERT INTO outbox (chat_id, priority, action, incident, followup, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (chat_id, int(priority), action, incident, followup, body, now),
    )
    return cursor.lastrowid or 0


async def _merge(
    conn: aiosqlite.Connection,
    chat_id: int,
    action: str,
    priority: Priority,
    incident: int | None,
    followup: int | None,
    payload: dict[str, object] | None,
    body: str,
) -> int | None:
    if action in _MERGED and incident is not None:
        found = await fetch_one(
            conn,
            "SELECT id FROM outbox WHERE status = 'pending' AND chat_id = ? AND action = ?"
            " AND incident = ? AND followup IS ? LIMIT 1",
            (chat_id, action, incident, followup),
        )
    elif action == "edit" and payload and payload.get("message_id"):
        found = await fetch_one(
            conn,
            "SELECT id FROM outbox WHERE status = 'pending' AND chat_id = ? AND action = 'edit'"
            " AND json_extract(payload, '$.message_id') = ? LIMIT 1",
            (chat_id, payload["message_id"]),
        )
    else:
        return None
    if found is None:
        return None
    await conn.execute(
        "UPDATE outbox SET payload = ?, priority = MIN(priority, ?) WHERE id = ?",
        (body, int(priority), found[0]),
    )
    return int(found[0])


@dataclass(frozen=True)
class Heads:
    """What the worker may start now, and when the next other row it saw becomes due."""

    rows: list[Row]
    next_at: float | None


SCAN_CHUNK = 64  # rows read per step, in order of urgency
SCAN_CAP = 4096  # rows read at most per call before looking chat by chat instead

# The next row of each chat that has one waiting, found chat by chat through an index: the
# cost grows with the number of chats waiting, not with the number of rows.
_HEADS = """
WITH RECURSIVE chats (chat) AS (
    SELECT (SELECT chat_id FROM outbox WHERE status = 'pending' ORDER BY chat_id LIMIT 1)
    UNION ALL
    SELECT (SELECT chat_id FROM outbox WHERE status = 'pending' AND chat_id > chats.chat
            ORDER BY chat_id LIMIT 1)
    FROM chats WHERE chats.chat IS NOT NULL
)
SELECT id, chat_id, priority, not_before FROM outbox WHERE id IN (
    SELECT (SELECT id FROM outbox WHERE status = 'pending' AND chat_id = chats.chat
            ORDER BY priority, id LIMIT 1)
    FROM chats WHERE chats.chat IS NOT NULL)
ORDER BY priority, id
"""


async def heads(conn: aiosqlite.Connection, now: float, busy: Collection[int], limit: int) -> Heads:
    """The next row of up to `limit` idle chats that have one due, most urgent first.

    One row per chat: a chat's rows go out one at a time, in order of priority, so an edit
    never overtakes the message it edits. Waiting rows are read in order of urgency (priority,
    then age), a few at a time, and reading stops once `limit` rows are found: the first row
    seen of a chat is its next one. Only the rows handed out are read in full. `next_at` is
    the earliest time one of the other chats' next rows it saw becomes due.
    """
    seen = set(busy)
    picked: list[int] = []
    later: float | None = None
    after = (-1, -1)
    scanned = 0
    while len(picked) < limit:
        found = await conn.execute_fetchall(
            "SELECT id, chat_id, priority, not_before FROM outbox WHERE status = 'pending'"
            " AND (priority, id) > (?, ?) ORDER BY priority, id LIMIT ?",
            (after[0], after[1], SCAN_CHUNK),
        )
        if not found:
            break
        later = _take(found, now, seen, picked, limit, later)
        after = (found[-1][2], found[-1][0])
        scanned += len(found)
        if len(found) < SCAN_CHUNK:
            break
        if scanned >= SCAN_CAP:  # many rows of few chats: look chat by chat instead
            found = await conn.execute_fetchall(_HEADS)
            later = _take(found, now, seen, picked, limit, later)
            break
    if not picked:
        return Heads([], later)
    marks = ", ".join("?" for _ in picked)
    rows = await conn.execute_fetchall(
        f"SELECT {_COLUMNS} FROM outbox WHERE id IN ({marks}) ORDER BY priority, id",
        tuple(picked),
    )
    return Heads([_row(raw) for raw in rows], later)


def _take(
    found: Iterable[Any],
    now: float,
    seen: set[int],
    picked: list[int],
    limit: int,
    later: float | None,
) -> float | None:
    for row_id, chat_id, _priority, not_before in found:
        if chat_id in seen:
            continue
        seen.add(chat_id)
        if not_before > now:
            later = not_before if later is None else min(later, not_before)
        elif len(picked) < limit:
            picked.append(row_id)
    return later


async def due(
    conn: aiosqlite.Connection, now: float, busy: Collection[int], limit: int = 64
) -> list[Row]:
    """The next row of every idle chat that has one due, most urgent first (see `heads`)."""
    return (await heads(conn, now, busy, limit)).rows


async def next_due_at(conn: aiosqlite.Connection, busy: Collection[int] = ()) -> float | None:
    """When the next row of a chat that is not busy becomes due (None: no such row)."""
    found = await conn.execute_fetchall(_HEADS)
    return _take(found, float("-inf"), set(busy), [], 0, None)


async def mark_all_sending(conn: aiosqlite.Connection, row_ids: Sequence[int]) -> set[int]:
    """The rows' calls are about to be made: after a crash they count as in flight. One
    statement for all (one write, atomic on its own). Returns the ids of the rows that were
    still waiting (the others were merged, failed or moved meanwhile)."""
    rows = await conn.execute_fetchall(
        "UPDATE outbox SET status = 'sending' WHERE status = 'pending'"
        " AND id IN (SELECT value FROM json_each(?)) RETURNING id",
        (json.dumps(list(row_ids)),),
    )
    return {int(row[0]) for row in rows}


async def unmark(conn: aiosqlite.Connection, row_id: int) -> None:
    """A row marked as being sent goes back to waiting (its call was not made)."""
    await conn.execute(
        "UPDATE outbox SET status = 'pending' WHERE id = ? AND status = 'sending'", (row_id,)
    )


async def recover_in_flight(conn: aiosqlite.Connection) -> int:
    """Rows still marked as being sent were in flight when the bot died: their outcome is
    unknown, so they are sent once more (a possible duplicate is better than a lost alert)."""
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'pending', attempts = attempts + 1,"
        " error = 'in flight at a crash' WHERE status = 'sending'"
    )
    return cursor.rowcount


async def wake_postponed(conn: aiosqlite.Connection, now: float, errors: Collection[str]) -> int:
    """Rows waiting out a failure of these kinds are due now (Telegram answers again)."""
    if not errors:
        return 0
    marks = ", ".join("?" for _ in errors)
    cursor = await conn.execute(
        f"UPDATE outbox SET not_before = ? WHERE status = 'pending' AND not_before > ?"
        f" AND error IN ({marks})",
        (now, now, *errors),
    )
    return cursor.rowcount


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
