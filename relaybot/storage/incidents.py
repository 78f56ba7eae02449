"""Incidents, their follow-ups and copies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import aiosqlite

from relaybot.domain.intents import Alert
from relaybot.domain.model import Copy, Flag, FollowUp, Incident, Role, State, Withdrawn
from relaybot.storage.db import Database, fetch_one, insert
from relaybot.storage.outbox import action_of

ALERT_ACTION = action_of(Alert)

_COLUMNS = (
    "number, source_slug, source_chat_id, origin_message_id, text, media, note, author, state,"
    " relayed, created_at, flag_at, flag_by, flag_place, flag_chat_id, closing_note, closed_by,"
    " closed_at, withdrawn_at, withdrawn_by, withdrawn_place"
)


def _incident(row: aiosqlite.Row) -> Incident:
    flag = None
    if row["flag_at"] is not None:
        flag = Flag(row["flag_at"], row["flag_by"], row["flag_place"], row["flag_chat_id"])
    return Incident(
        number=row["number"],
        source_slug=row["source_slug"],
        source_chat_id=row["source_chat_id"],
        origin_message_id=row["origin_message_id"],
        text=row["text"],
        media=row["media"],
        note=row["note"],
        author=row["author"],
        state=State(row["state"]),
        created_at=row["created_at"],
        relayed=bool(row["relayed"]),
        flag=flag,
        closing_note=row["closing_note"],
        closed_by=row["closed_by"],
        closed_at=row["closed_at"],
        withdrawn=(
            Withdrawn(row["withdrawn_at"], row["withdrawn_by"] or "", row["withdrawn_place"] or "")
            if row["withdrawn_at"] is not None
            else None
        ),
    )


async def create(
    conn: aiosqlite.Connection,
    *,
    source_slug: str | None,
    source_chat_id: int,
    origin_message_id: int,
    text: str,
    media: str | None,
    note: str,
    author: str,
    created_at: float,
    relayed: bool = True,
) -> Incident:
    """Insert an incident; the database hands out the next number, so numbers never collide."""
    new_id = await insert(
        conn,
        "INSERT INTO incidents (source_slug, source_chat_id, origin_message_id, text, media,"
        " note, author, relayed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING number",
        (
            source_slug,
            source_chat_id,
            origin_message_id,
            text,
            media,
            note,
            author,
            int(relayed),
            created_at,
        ),
    )
    number = new_id
    await add_copy(conn, Copy(number, source_chat_id, origin_message_id, Role.ORIGINAL))
    found = await get(conn, number)
    assert found is not None
    return found


async def get(conn: aiosqlite.Connection, number: int) -> Incident | None:
    row = await fetch_one(conn, f"SELECT {_COLUMNS} FROM incidents WHERE number = ?", (number,))
    return _incident(row) if row else None


async def open_incidents(
    conn: aiosqlite.Connection, chat_ids: Sequence[int] | None = None
) -> list[Incident]:
    """Open incidents, newest first; with chat ids (a chat and its former ids), only those
    such a chat holds."""
    if chat_ids is None:
        sql = f"SELECT {_COLUMNS} FROM incidents WHERE state = 'open' ORDER BY number DESC"
        args: tuple[object, ...] = ()
    else:
        marks = ", ".join("?" for _ in chat_ids)
        sql = (
            f"SELECT {_COLUMNS} FROM incidents WHERE state = 'open' AND number IN"
            f" (SELECT incident FROM copies WHERE chat_id IN ({marks})) ORDER BY number DESC"
        )
        args = tuple(chat_ids)
    rows = await conn.execute_fetchall(sql, args)
    return [_incident(row) for row in rows]


async def set_flag(conn: aiosqlite.Connection, number: int, flag: Flag) -> bool:
    """Record the first 112 report. True only for the one report that wins.

    The condition lives in the UPDATE itself, so the database decides the winner even when
    two processes report at the same moment.
    """
    cursor = await conn.execute(
        "UPDATE incidents SET flag_at = ?, flag_by = ?, flag_place = ?, flag_chat_id = ?"
        " WHERE number = ? AND flag_at IS NULL AND state = 'open'",
        (flag.at, flag.by, flag.place, flag.chat_id, number),
    )
    return cursor.rowcount == 1


async def close(
    conn: aiosqlite.Connection, number: int, state: State, at: float, by: str = "", note: str = ""
) -> bool:
    """Resolve, expire or retract an open incident. True when this call closed it."""
    cursor = await conn.execute(
        "UPDATE incidents SET state = ?, closed_at = ?, closed_by = ?, closing_note = ?"
        " WHERE number = ? AND state = 'open'",
        (state.value, at, by, note, number),
    )
    return cursor.rowcount == 1


async def mark_relayed(conn: aiosqlite.Connection, number: int, note: str) -> None:
    """A local incident goes up to the regiegroep after all (with the co-admin's note)."""
    await conn.execute(
        "UPDATE incidents SET relayed = 1, note = ? WHERE number = ?", (note, number)
    )


async def update_text(conn: aiosqlite.Connection, number: int, text: str) -> None:
    await conn.execute("UPDATE incidents SET text = ? WHERE number = ?", (text, number))


async def add_followup(
    conn: aiosqlite.Connection,
    *,
    incident: int,
    chat_id: int,
    message_id: int,
    text: str,
    media: str | None,
    place: str,
    at: float,
) -> FollowUp:
    new_id = await insert(
        conn,
        "INSERT INTO followups (incident, chat_id, message_id, text, media, place, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (incident, chat_id, message_id, text, media, place, at),
    )
    followup = FollowUp(new_id, incident, chat_id, message_id, text, media, place)
    await add_copy(
        conn, Copy(incident, chat_id, message_id, Role.FOLLOWUP_SOURCE, followup=followup.id)
    )
    return followup


async def get_followup(conn: aiosqlite.Connection, followup_id: int) -> FollowUp | None:
    row = await fetch_one(
        conn,
        "SELECT id, incident, chat_id, message_id, text, media, place FROM followups WHERE id = ?",
        (followup_id,),
    )
    return FollowUp(*row) if row else None


async def update_followup_text(conn: aiosqlite.Connection, followup_id: int, text: str) -> None:
    await conn.execute("UPDATE followups SET text = ? WHERE id = ?", (text, followup_id))


async def add_copy(conn: aiosqlite.Connection, copy: Copy) -> None:
    await conn.execute(
        "INSERT INTO copies (chat_id, message_id, incident, role, followup)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (copy.chat_id, copy.message_id, copy.incident, copy.role.value, copy.followup),
    )


def _copy(row: aiosqlite.Row) -> Copy:
    return Copy(row[0], row[1], row[2], Role(row[3]), row[4])


async def copy_at(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> Copy | None:
    """The copy a message is, if it is one: a reply to any copy is a reply to the incident."""
    row = await fetch_one(
        conn,
        "SELECT incident, chat_id, message_id, role, followup FROM copies"
        " WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    )
    return _copy(row) if row else None


async def copies(
    conn: aiosqlite.Connection,
    number: int,
    chat_id: int | None = None,
    roles: Iterable[Role] | None = None,
) -> list[Copy]:
    sql = "SELECT incident, chat_id, message_id, role, followup FROM copies WHERE incident = ?"
    args: list[object] = [number]
    if chat_id is not None:
        sql += " AND chat_id = ?"
        args.append(chat_id)
    if roles is not None:
        wanted = [role.value for role in roles]
        sql += f" AND role IN ({', '.join('?' for _ in wanted)})"
        args.extend(wanted)
    rows = await conn.execute_fetchall(sql, args)
    return [_copy(row) for row in rows]


async def holding_chats(conn: aiosqlite.Connection, number: int) -> list[int]:
    """Every chat that shows the incident (its original or a relayed alert), or will soon.

    A chat whose alert is still waiting in the outbox holds the incident already: a 112 report
    or a resolve made meanwhile must reach it too.
    """
    rows = await conn.execute_fetchall(
        "SELECT chat_id FROM copies WHERE incident = ? AND role IN ('original', 'alert')"
        " UNION SELECT chat_id FROM outbox WHERE incident = ? AND action = ?"
        " AND status IN ('pending', 'sending')",
        (number, number, ALERT_ACTION),
    )
    return sorted({row[0] for row in rows})


async def link_reply(
    conn: aiosqlite.Connection, chat_id: int, message_id: int, number: int
) -> None:
    """Remember that a member's message replies to a copy of this incident (ids only)."""
    await conn.execute(
        "INSERT INTO replies (chat_id, message_id, incident)"
        " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (chat_id, message_id, number),
    )


async def reply_link(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> int | None:
    """The incident a member's message replied to, if it did."""
    row = await fetch_one(
        conn,
        "SELECT incident FROM replies WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    )
    return int(row[0]) if row else None


COPY_AT_SQL = "SELECT incident FROM copies WHERE chat_id = ? AND message_id = ?"


def may_be_copy(db: Database, chat_id: int, message_id: int) -> bool:
    """False only when the message is certainly no copy (checked inline, without a trip to
    the database thread); True means: look it up properly."""
    if not db.has_quick:
        return True
    return db.quick_one(COPY_AT_SQL, (chat_id, message_id)) is not None


def may_hold_open(db: Database, chat_ids: Sequence[int]) -> bool:
    """False only when the chat (under any of its ids) certainly holds no open incident."""
    if not db.has_quick:
        return True
    marks = ", ".join("?" for _ in chat_ids)
    sql = (
        "SELECT 1 FROM copies JOIN incidents ON incidents.number = copies.incident"
        f" WHERE copies.chat_id IN ({marks}) AND incidents.state = 'open' LIMIT 1"
    )
    return db.quick_one(sql, tuple(chat_ids)) is not None


async def blank_copy(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> None:
    """A copy the bot could not delete and edited to the retracted line instead."""
    await conn.execute(
        "UPDATE copies SET role = ? WHERE chat_id = ? AND message_id = ?",
        (Role.BLANKED.value, chat_id, message_id),
    )


async def remove_copy(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> None:
    """A copy the bot deleted."""
    await conn.execute(
        "DELETE FROM copies WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
    )
