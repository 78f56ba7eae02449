"""What the bot learns about chats at run time: links, moves, notes and /koppel requests."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from relaybot.storage.db import fetch_one, insert


async def links(conn: aiosqlite.Connection) -> dict[str, int]:
    rows = await conn.execute_fetchall("SELECT slug, chat_id FROM chat_links")
    return {row[0]: row[1] for row in rows}


async def link(
    conn: aiosqlite.Connection, slug: str, chat_id: int, title: str, by: str, now: float
) -> None:
    await conn.execute(
        "INSERT INTO chat_links (slug, chat_id, title, decided_by, at) VALUES (?, ?, ?, ?, ?)",
        (slug, chat_id, title, by, now),
    )


async def moves(conn: aiosqlite.Connection) -> dict[int, int]:
    rows = await conn.execute_fetchall("SELECT old_chat_id, new_chat_id FROM chat_moves")
    return {row[0]: row[1] for row in rows}


async def record_move(conn: aiosqlite.Connection, old: int, new: int, now: float) -> None:
    await conn.execute(
        "INSERT INTO chat_moves (old_chat_id, new_chat_id, at) VALUES (?, ?, ?)"
        " ON CONFLICT (old_chat_id) DO UPDATE SET new_chat_id = excluded.new_chat_id,"
        " at = excluded.at",
        (old, new, now),
    )
    await conn.execute("UPDATE chat_links SET chat_id = ? WHERE chat_id = ?", (new, old))


async def note_once(conn: aiosqlite.Connection, chat_id: int, note: str, now: float) -> bool:
    """Remember a one-time fact about a chat (e.g. 'reported as unknown'). True the first time."""
    cursor = await conn.execute(
        "INSERT INTO chat_notes (chat_id, note, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (chat_id, note, now),
    )
    return cursor.rowcount == 1


async def forget_note(conn: aiosqlite.Connection, chat_id: int, note: str) -> None:
    await conn.execute("DELETE FROM chat_notes WHERE chat_id = ? AND note = ?", (chat_id, note))


# --- /koppel requests ---------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRequest:
    """A co-admin's request to link their group to a neighbourhood, and its decision."""

    id: int
    chat_id: int
    title: str
    slug: str
    asked_by: str
    state: str  # "pending", "approved", "declined"
    card_message_id: int | None = None
    decided_by: str = ""


_REQUEST_COLUMNS = "id, chat_id, title, slug, asked_by, state, card_message_id, decided_by"


async def add_link_request(
    conn: aiosqlite.Connection, chat_id: int, title: str, slug: str, asked_by: str, now: float
) -> LinkRequest:
    new_id = await insert(
        conn,
        "INSERT INTO link_requests (chat_id, title, slug, asked_by, asked_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        (chat_id, title, slug, asked_by, now),
    )
    return LinkRequest(new_id, chat_id, title, slug, asked_by, "pending")


async def link_request(conn: aiosqlite.Connection, request_id: int) -> LinkRequest | None:
    row = await fetch_one(
        conn, f"SELECT {_REQUEST_COLUMNS} FROM link_requests WHERE id = ?", (request_id,)
    )
    return LinkRequest(*row) if row else None


async def pending_link_request(conn: aiosqlite.Connection, chat_id: int) -> LinkRequest | None:
    """The request of a group still waiting for a decision, if any."""
    row = await fetch_one(
        conn,
        f"SELECT {_REQUEST_COLUMNS} FROM link_requests WHERE chat_id = ? AND state = 'pending'"
        " ORDER BY id DESC LIMIT 1",
        (chat_id,),
    )
    return LinkRequest(*row) if row else None


async def set_link_card(conn: aiosqlite.Connection, request_id: int, message_id: int) -> None:
    await conn.execute(
        "UPDATE link_requests SET card_message_id = ? WHERE id = ?", (message_id, request_id)
    )


async def decide_link_request(
    conn: aiosqlite.Connection, request_id: int, state: str, by: str, now: float
) -> bool:
    """Record the decision. True only for the first decision (two presses: one winner)."""
    cursor = await conn.execute(
        "UPDATE link_requests SET state = ?, decided_by = ?, decided_at = ?"
        " WHERE id = ? AND state = 'pending'",
        (state, by, now, request_id),
    )
    return cursor.rowcount == 1


async def drop_stale_links(conn: aiosqlite.Connection, slug: str, chat_id: int) -> None:
    """Forget stored links the directory no longer honours (the file took the neighbourhood
    or the chat), so that a new link for either can be stored."""
    await conn.execute("DELETE FROM chat_links WHERE slug = ? OR chat_id = ?", (slug, chat_id))


async def noted_before(conn: aiosqlite.Connection, note: str, before: float) -> list[int]:
    """Chats with this note made at or before ``before``, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT chat_id FROM chat_notes WHERE note = ? AND at <= ? ORDER BY at", (note, before)
    )
    return [int(row[0]) for row in rows]


async def ever_asked_link(conn: aiosqlite.Connection, chat_id: int) -> bool:
    """Whether the chat ever asked to be linked (/koppel), whatever became of it."""
    row = await fetch_one(conn, "SELECT 1 FROM link_requests WHERE chat_id = ? LIMIT 1", (chat_id,))
    return row is not None


async def notes_like(conn: aiosqlite.Connection, chat_id: int, prefix: str) -> list[str]:
    """The one-time notes about a chat that start with `prefix`."""
    rows = await conn.execute_fetchall(
        "SELECT note FROM chat_notes WHERE chat_id = ? AND substr(note, 1, ?) = ?",
        (chat_id, len(prefix), prefix),
    )
    return [row[0] for row in rows]
