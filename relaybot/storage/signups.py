"""Sign-ups: the conversation's state, the card, the decision and the invite link.

Personal data (name, address, phone) lives in the ``answers`` column alone. Erasing a
sign-up deletes its row; the connection runs with ``secure_delete`` so the bytes are
overwritten, and :func:`relaybot.storage.outbox.erase_signup_payloads` clears the outbox
rows that carried the data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import aiosqlite

from relaybot.domain.signup import Answers, Status, Step
from relaybot.storage.db import fetch_one, insert

_COLUMNS = (
    "id, user_id, status, step, answers, started_at, expires_at, submitted_at, slug,"
    " card_message_id, decided_by, decided_at, invite_chat_id, invite_link, invite_expires_at"
)
_OPEN = "status IN ('asking', 'pending', 'admitted', 'waiting')"
MAX_ID = 2**63 - 1  # the largest row id SQLite (and PostgreSQL's BIGINT) can hold


@dataclass(frozen=True)
class SignUp:
    id: int
    user_id: int
    status: Status
    step: Step
    answers: Answers
    started_at: float
    expires_at: float | None
    submitted_at: float | None
    slug: str | None  # the matched neighbourhood, then the one decided on
    card_message_id: int | None
    decided_by: str
    decided_at: float | None
    invite_chat_id: int | None
    invite_link: str | None
    invite_expires_at: float | None


def _signup(raw: aiosqlite.Row) -> SignUp:
    return SignUp(
        id=raw[0],
        user_id=raw[1],
        status=Status(raw[2]),
        step=Step(raw[3]),
        answers=Answers.from_dict(json.loads(raw[4] or "{}")),
        started_at=raw[5],
        expires_at=raw[6],
        submitted_at=raw[7],
        slug=raw[8],
        card_message_id=raw[9],
        decided_by=raw[10],
        decided_at=raw[11],
        invite_chat_id=raw[12],
        invite_link=raw[13],
        invite_expires_at=raw[14],
    )


async def get(conn: aiosqlite.Connection, signup_id: int) -> SignUp | None:
    """The sign-up, or None (also for a number no row can have: a forged button's)."""
    if not 0 < signup_id <= MAX_ID:
        return None
    row = await fetch_one(conn, f"SELECT {_COLUMNS} FROM signups WHERE id = ?", (signup_id,))
    return _signup(row) if row else None


async def open_for(conn: aiosqlite.Connection, user_id: int) -> SignUp | None:
    """The user's sign-up that is still running, waiting or admitted (at most one)."""
    row = await fetch_one(
        conn, f"SELECT {_COLUMNS} FROM signups WHERE user_id = ? AND {_OPEN}", (user_id,)
    )
    return _signup(row) if row else None


async def of_user(conn: aiosqlite.Connection, user_id: int) -> list[SignUp]:
    rows = await conn.execute_fetchall(
        f"SELECT {_COLUMNS} FROM signups WHERE user_id = ? ORDER BY id", (user_id,)
    )
    return [_signup(r) for r in rows]


async def create(conn: aiosqlite.Connection, user_id: int, now: float, expires_at: float) -> SignUp:
    new_id = await insert(
        conn,
        "INSERT INTO signups (user_id, status, step, started_at, expires_at)"
        " VALUES (?, 'asking', 'age', ?, ?) RETURNING id",
        (user_id, now, expires_at),
    )
    created = await get(conn, new_id)
    assert created is not None
    return created


async def save_step(
    conn: aiosqlite.Connection, signup_id: int, step: Step, answers: Answers, expires_at: float
) -> None:
    await conn.execute(
        "UPDATE signups SET step = ?, answers = ?, expires_at = ? WHERE id = ?",
        (str(step), json.dumps(answers.to_dict()), expires_at, signup_id),
    )


async def submit(conn: aiosqlite.Connection, signup_id: int, answers: Answers, now: float) -> None:
    """The conversation is complete: the sign-up waits for the regiegroep."""
    await conn.execute(
        "UPDATE signups SET status = 'pending', answers = ?, slug = ?, submitted_at = ?,"
        " expires_at = NULL WHERE id = ?",
        (json.dumps(answers.to_dict()), answers.slug, now, signup_id),
    )


async def set_card(conn: aiosqlite.Connection, signup_id: int, message_id: int) -> None:
    await conn.execute(
        "UPDATE signups SET card_message_id = ? WHERE id = ?", (message_id, signup_id)
    )


async def decide(
    conn: aiosqlite.Connection,
    signup_id: int,
    status: Status,
    slug: str | None,
    by: str,
    now: float | None,
) -> None:
    """Record a decision (or undo one: status pending, by '' and now None)."""
    await conn.execute(
        "UPDATE signups SET status = ?, slug = COALESCE(?, slug), decided_by = ?, decided_at = ?"
        " WHERE id = ?",
        (str(status), slug, by, now, signup_id),
    )


async def set_invite(
    conn: aiosqlite.Connection, signup_id: int, chat_id: int, link: str, expires_at: float
) -> None:
    await conn.execute(
        "UPDATE signups SET invite_chat_id = ?, invite_link = ?, invite_expires_at = ?"
        " WHERE id = ?",
        (chat_id, link, expires_at, signup_id),
    )


async def by_invite(conn: aiosqlite.Connection, chat_id: int, link: str) -> SignUp | None:
    """The sign-up whose invite link this is, in this chat."""
    row = await fetch_one(
        conn,
        f"SELECT {_COLUMNS} FROM signups WHERE invite_chat_id = ? AND invite_link = ?",
        (chat_id, link),
    )
    return _signup(row) if row else None


async def set_status(conn: aiosqlite.Connection, signup_id: int, status: Status) -> None:
    await conn.execute("UPDATE signups SET status = ? WHERE id = ?", (str(status), signup_id))


async def delete(conn: aiosqlite.Connection, signup_ids: Iterable[int]) -> int:
    ids = list(signup_ids)
    if not ids:
        return 0
    marks = ", ".join("?" for _ in ids)
    cursor = await conn.execute(f"DELETE FROM signups WHERE id IN ({marks})", ids)
    return cursor.rowcount


async def expired_conversations(conn: aiosqlite.Connection, now: float) -> list[SignUp]:
    rows = await conn.execute_fetchall(
        f"SELECT {_COLUMNS} FROM signups WHERE status = 'asking' AND expires_at <= ?", (now,)
    )
    return [_signup(r) for r in rows]


async def decided_before(conn: aiosqlite.Connection, before: float) -> list[SignUp]:
    """Sign-ups decided before `before` (admitted, joined, declined or lapsed)."""
    rows = await conn.execute_fetchall(
        f"SELECT {_COLUMNS} FROM signups"
        " WHERE status IN ('admitted', 'joined', 'declined', 'lapsed') AND decided_at < ?",
        (before,),
    )
    return [_signup(r) for r in rows]


async def unused_invites(
    conn: aiosqlite.Connection, decided_before: float, now: float
) -> list[SignUp]:
    """Admissions whose invite link expired unused: its expiry has come, or (no link was
    made) the admission was decided before `decided_before`."""
    rows = await conn.execute_fetchall(
        f"SELECT {_COLUMNS} FROM signups WHERE status = 'admitted'"
        " AND ((invite_expires_at IS NOT NULL AND invite_expires_at <= ?)"
        " OR (invite_expires_at IS NULL AND decided_at <= ?))",
        (now, decided_before),
    )
    return [_signup(r) for r in rows]


async def others_submitted(conn: aiosqlite.Connection, signup_id: int) -> dict[int, Answers]:
    """The answers of every other sign-up past its conversation (waiting, or decided and not
    yet erased), by number: to warn about the same phone or address."""
    rows = await conn.execute_fetchall(
        "SELECT id, answers FROM signups WHERE status != 'asking' AND id != ?", (signup_id,)
    )
    return {r[0]: Answers.from_dict(json.loads(r[1] or "{}")) for r in rows}


# The regie cards of the last hour, for `signups_per_hour`: a note per card in the regie chat
# (the sign-up's number and the time only), kept when the sign-up itself is erased, so that
# /vergeet and a new sign-up buy no extra card.
_CARD_NOTE = "signup-card:"
CARD_NOTES_KEPT = 2 * 3600.0


async def note_card(conn: aiosqlite.Connection, regie: int, signup_id: int, now: float) -> None:
    await conn.execute(
        "INSERT INTO chat_notes (chat_id, note, at) VALUES (?, ?, ?)"
        " ON CONFLICT (chat_id, note) DO NOTHING",
        (regie, f"{_CARD_NOTE}{signup_id}", now),
    )


async def cards_since(conn: aiosqlite.Connection, regie: int, since: float) -> int:
    row = await fetch_one(
        conn,
        "SELECT COUNT(*) FROM chat_notes WHERE chat_id = ? AND note LIKE ? AND at > ?",
        (regie, f"{_CARD_NOTE}%", since),
    )
    return int(row[0]) if row else 0


async def forget_card_notes(conn: aiosqlite.Connection, regie: int, before: float) -> None:
    await conn.execute(
        "DELETE FROM chat_notes WHERE chat_id = ? AND note LIKE ? AND at < ?",
        (regie, f"{_CARD_NOTE}%", before),
    )


# Erasures a reader held up: the resident's chat and a note, until the file is clean.
_ERASURE_NOTE = "erasure-waiting"


async def note_erasure(conn: aiosqlite.Connection, user_id: int, now: float) -> None:
    await conn.execute(
        "INSERT INTO chat_notes (chat_id, note, at) VALUES (?, ?, ?)"
        " ON CONFLICT (chat_id, note) DO NOTHING",
        (user_id, _ERASURE_NOTE, now),
    )


async def erasures_waiting(conn: aiosqlite.Connection) -> list[int]:
    rows = await conn.execute_fetchall(
        "SELECT chat_id FROM chat_notes WHERE note = ? ORDER BY at", (_ERASURE_NOTE,)
    )
    return [r[0] for r in rows]


async def erasures_done(conn: aiosqlite.Connection, user_ids: Iterable[int]) -> None:
    for user_id in user_ids:
        await conn.execute(
            "DELETE FROM chat_notes WHERE chat_id = ? AND note = ?", (user_id, _ERASURE_NOTE)
        )
