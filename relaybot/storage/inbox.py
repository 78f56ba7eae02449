"""The update inbox: updates stored before Telegram is told they arrived, until handled.

An update's body holds what a person wrote, so a handled update is removed (spec section 11);
only the newest update id is kept (by the trigger `inbox_newest`), so polling resumes after it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

import aiosqlite

from relaybot.storage.db import fetch_one, is_postgres

# A whole getUpdates answer ({"ok": true, "result": [update, ...]}) stored in one statement:
# SQLite reads the JSON text itself, so each update is kept exactly as Telegram sent it and
# the bot's own thread spends no time on it. An update stored before is kept once.
STORE_ANSWER = (
    "INSERT INTO inbox (update_id, body, received_at)"
    " SELECT json_extract(value, '$.update_id'), value, ?"
    " FROM json_each(?, '$.result')"
    " WHERE json_type(value, '$.update_id') = 'integer' ON CONFLICT DO NOTHING"
)
# The same on PostgreSQL (its `json` type keeps each update's text as it came)
STORE_ANSWER_POSTGRES = (
    "INSERT INTO inbox (update_id, body, received_at)"
    " SELECT CAST(u ->> 'update_id' AS BIGINT), CAST(u AS TEXT), ?"
    " FROM json_array_elements(CAST(? AS json) -> 'result') AS u"
    " WHERE json_typeof(u -> 'update_id') = 'number' ON CONFLICT DO NOTHING"
)


async def store(
    conn: aiosqlite.Connection,
    updates: Sequence[tuple[int, str]],
    now: float,
    handled: Collection[int] = (),
) -> None:
    """Store a batch of (update id, JSON body), and forget the updates handled meanwhile. An
    update stored before (Telegram sent it again) is kept once."""
    await forget(conn, handled)
    if updates:
        await conn.executemany(
            "INSERT INTO inbox (update_id, body, received_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [(update_id, body, now) for update_id, body in updates],
        )


async def store_answer(conn: aiosqlite.Connection, answer: str, now: float) -> None:
    """Store every update of a getUpdates answer (its JSON text), as one statement."""
    await conn.execute(STORE_ANSWER_POSTGRES if is_postgres(conn) else STORE_ANSWER, (now, answer))


async def forget(conn: aiosqlite.Connection, handled: Collection[int]) -> None:
    """Remove handled updates (their text never stays), in one statement."""
    if handled:
        await conn.execute(
            "DELETE FROM inbox WHERE update_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(handled)),),
        )


async def set_aside(
    conn: aiosqlite.Connection, update_id: int, kind: str, error: str, now: float
) -> None:
    """Move an update whose handling failed for good out of the inbox (so it is not handled
    again after a restart) into `inbox_set_aside`, where it is kept for inspection."""
    await conn.execute(
        "INSERT INTO inbox_set_aside (update_id, body, kind, error, set_aside_at)"
        " SELECT update_id, body, ?, ?, ? FROM inbox WHERE update_id = ?"
        " ON CONFLICT (update_id) DO UPDATE SET body = excluded.body, kind = excluded.kind,"
        " error = excluded.error, set_aside_at = excluded.set_aside_at",
        (kind, error, now, update_id),
    )
    await conn.execute("DELETE FROM inbox WHERE update_id = ?", (update_id,))


async def unhandled(conn: aiosqlite.Connection) -> list[tuple[int, str]]:
    """Stored updates not yet handled, oldest first."""
    rows = await conn.execute_fetchall("SELECT update_id, body FROM inbox ORDER BY update_id")
    return [(int(row[0]), str(row[1])) for row in rows]


async def next_offset(conn: aiosqlite.Connection) -> int | None:
    """The getUpdates offset after the newest update ever stored (None: nothing stored yet)."""
    row = await fetch_one(conn, "SELECT last_update_id FROM inbox_offset WHERE id = 1")
    return int(row[0]) + 1 if row else None


async def count(conn: aiosqlite.Connection) -> int:
    row = await fetch_one(conn, "SELECT COUNT(*) FROM inbox")
    return int(row[0]) if row else 0


# Where an update names the person it came from (and a private chat is that person's id).
_PERSON = (
    "$.message.from.id", "$.edited_message.from.id", "$.callback_query.from.id",
    "$.chat_join_request.from.id", "$.my_chat_member.from.id", "$.chat_member.from.id",
    "$.message.chat.id", "$.edited_message.chat.id",
)  # fmt: skip


async def forget_set_aside_of(conn: aiosqlite.Connection, user_id: int) -> int:
    """Erase every update set aside that came from this person or their private chat (what
    they wrote, a phone number or an address among it): `/vergeet` and `/stop` leave
    nothing of them in the table kept for inspection."""
    where = " OR ".join(f"json_extract(body, '{path}') = ?" for path in _PERSON)
    cursor = await conn.execute(
        f"DELETE FROM inbox_set_aside WHERE {where}", (user_id,) * len(_PERSON)
    )
    return cursor.rowcount
