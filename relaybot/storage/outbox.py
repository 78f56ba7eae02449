"""The durable outbox: everything the bot will send, edit or delete, until it is done."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import aiosqlite

from relaybot.domain.intents import (
    Alert,
    Buttons,
    Card,
    CardKind,
    EditMessage,
    FlagNotice,
    Followup,
    Intent,
    JoinDecision,
    Outcome,
    Priority,
    RefreshAlert,
    RefreshFollowup,
    Retract,
    Retracted,
    RevokeInvite,
    Say,
    Unreadable,
)
from relaybot.domain.signup import Keyboard
from relaybot.storage.db import fetch_one, insert, is_postgres

__all__ = ["Priority", "Row", "enqueue"]  # Priority: its home is relaybot.domain.intents


@dataclass(frozen=True)
class Row:
    id: int
    chat_id: int
    priority: int
    intent: Intent
    attempts: int = 0

    @property
    def kind(self) -> str:
        """The intent's name, for logs."""
        return type(self.intent).__name__

    @property
    def incident(self) -> int | None:
        return getattr(self.intent, "incident", None)


_COLUMNS = "id, chat_id, priority, action, incident, followup, payload, attempts"

# The stored name of each kind of intent. Rows written by earlier versions used the same
# names and payload keys, so they read back unchanged.
_ACTIONS: dict[type, str] = {
    Alert: "alert",
    RefreshAlert: "refresh",
    RefreshFollowup: "refresh_followup",
    FlagNotice: "notice",
    Followup: "followup",
    Outcome: "outcome",
    Retract: "delete",
    Retracted: "retracted",
    Say: "say",
    EditMessage: "edit",
    JoinDecision: "join",
    RevokeInvite: "revoke",
}
_CARD_KEYS = {
    CardKind.LINK_REQUEST: "link_request",
    CardKind.SIGNUP: "signup_card",
    CardKind.REMOVAL: "removal_card",
    CardKind.ROUND: "round_card",
}


def action_of(kind: type) -> str:
    """The stored name of a kind of intent (for the few queries of other tables that look
    at the outbox)."""
    return _ACTIONS[kind]


def _buttons(raw: object) -> Buttons:
    """Buttons as stored in a payload: a list of [label, callback data] pairs."""
    if not isinstance(raw, list):
        return ()
    return tuple((str(label), str(data)) for label, data in raw)


def _rows(raw: object) -> tuple[Buttons, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(_buttons(row) for row in raw)


def _keyboard(raw: object) -> Keyboard | None:
    if not isinstance(raw, dict):
        return None
    rows = raw.get("rows") or []
    contact = raw.get("contact")
    location = raw.get("location")
    return Keyboard(
        rows=tuple(tuple(str(label) for label in row) for row in rows),
        contact=str(contact) if contact else None,
        remove=bool(raw.get("remove")),
        location=str(location) if location else None,
    )


def _ids(raw: object) -> tuple[int, ...]:
    return tuple(int(str(i)) for i in raw) if isinstance(raw, list) else ()


def _int(raw: object) -> int | None:
    return int(str(raw)) if raw is not None and raw != "" else None


def _text(intent: Say | EditMessage, payload: dict[str, object]) -> dict[str, object]:
    """A message's buttons and sign-up tag added to its stored payload."""
    if intent.buttons:
        payload["buttons"] = [list(b) for b in intent.buttons]
    if intent.rows:
        payload["rows"] = [[list(b) for b in row] for row in intent.rows]
    if intent.signup is not None:
        payload["signup"] = intent.signup
    return payload


def _encode(intent: Intent) -> tuple[str, int | None, int | None, dict[str, object]]:
    """(action, incident, follow-up, payload) of an intent, as stored."""
    action = _ACTIONS[type(intent)]
    payload: dict[str, object] = {}
    if isinstance(intent, Say):
        payload = _text(intent, {"html": intent.html, "reply_to": intent.reply_to})
        if intent.keyboard is not None:
            payload["keyboard"] = intent.keyboard.to_dict()
        if intent.settles is not None:
            payload["settles"] = list(intent.settles)
        if intent.card is not None:
            payload[_CARD_KEYS[intent.card.kind]] = intent.card.id
        return action, intent.incident, None, payload
    if isinstance(intent, EditMessage):
        payload = _text(intent, {"message_id": intent.message_id, "html": intent.html})
        return action, None, None, payload
    if isinstance(intent, JoinDecision):
        return action, None, None, {"user_id": intent.user_id, "approve": intent.approve}
    if isinstance(intent, RevokeInvite):
        return action, None, None, {"link": intent.link}
    if isinstance(intent, Retracted):
        return action, intent.incident, None, {"reply_to": intent.reply_to, "total": intent.total}
    if isinstance(intent, (Followup, RefreshFollowup)):
        return action, intent.incident, intent.followup, payload
    assert not isinstance(intent, Unreadable)
    return action, intent.incident, None, payload


def _decode(
    chat_id: int,
    priority: Priority,
    action: str,
    incident: int | None,
    followup: int | None,
    p: dict[str, object],
) -> Intent:
    """The intent a stored row holds (rows of earlier versions included)."""
    if action == "say":
        card = next(
            (Card(kind, int(str(p[key]))) for kind, key in _CARD_KEYS.items() if key in p), None
        )
        return Say(
            chat_id,
            str(p.get("html", "")),
            reply_to=_int(p.get("reply_to")),
            incident=incident,
            priority=priority,
            buttons=_buttons(p.get("buttons")),
            rows=_rows(p.get("rows")),
            keyboard=_keyboard(p.get("keyboard")),
            settles=_ids(p["settles"]) if "settles" in p else None,
            card=card,
            signup=_int(p.get("signup")),
        )
    if action == "edit":
        return EditMessage(
            chat_id,
            _int(p.get("message_id")) or 0,
            str(p.get("html", "")),
            buttons=_buttons(p.get("buttons")),
            rows=_rows(p.get("rows")),
            priority=priority,
            signup=_int(p.get("signup")),
        )
    if action == "join":
        return JoinDecision(chat_id, _int(p.get("user_id")) or 0, bool(p.get("approve")), priority)
    if action == "revoke":
        return RevokeInvite(chat_id, str(p.get("link", "")), priority)
    if incident is None:
        return Unreadable(chat_id, action, priority)
    if action == "retracted":
        total = _int(p.get("total")) or 0
        return Retracted(chat_id, incident, total, _int(p.get("reply_to")), priority)
    if action in ("followup", "refresh_followup"):
        kind = Followup if action == "followup" else RefreshFollowup
        return kind(chat_id, incident, followup or 0, priority)
    kinds: dict[str, type] = {
        "alert": Alert,
        "refresh": RefreshAlert,
        "notice": FlagNotice,
        "outcome": Outcome,
        "delete": Retract,
    }
    kind_ = kinds.get(action)
    if kind_ is None:
        return Unreadable(chat_id, action, priority)
    return kind_(chat_id, incident, priority)  # type: ignore[no-any-return]


def _row(raw: aiosqlite.Row) -> Row:
    priority = Priority(raw[2])
    intent = _decode(raw[1], priority, raw[3], raw[4], raw[5], json.loads(raw[6]))
    return Row(raw[0], raw[1], raw[2], intent, raw[7])


async def enqueue(conn: aiosqlite.Connection, intent: Intent, now: float) -> int:
    """Queue an intent. Pending edits of one copy are merged: a refresh already waiting for
    the same chat and incident (it renders the state when it is sent), or an edit of the same
    message (its content is replaced by the newest), takes this one's place."""
    action, incident, followup, payload = _encode(intent)
    body = json.dumps(payload)
    merged = await _merge(conn, intent, action, incident, followup, body)
    if merged is not None:
        return merged
    new_id = await insert(
        conn,
        "INSERT INTO outbox (chat_id, priority, action, incident, followup, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (intent.chat_id, int(intent.priority), action, incident, followup, body, now),
    )
    return new_id


async def _merge(
    conn: aiosqlite.Connection,
    intent: Intent,
    action: str,
    incident: int | None,
    followup: int | None,
    body: str,
) -> int | None:
    if isinstance(intent, (RefreshAlert, RefreshFollowup)):
        found = await fetch_one(
            conn,
            "SELECT id FROM outbox WHERE status = 'pending' AND chat_id = ? AND action = ?"
            " AND incident = ? AND followup IS NOT DISTINCT FROM ? LIMIT 1",
            (intent.chat_id, action, incident, followup),
        )
    elif isinstance(intent, EditMessage) and intent.message_id:
        found = await fetch_one(
            conn,
            "SELECT id FROM outbox WHERE status = 'pending' AND chat_id = ? AND action = 'edit'"
            " AND json_extract(payload, '$.message_id') = ? LIMIT 1",
            (intent.chat_id, intent.message_id),
        )
    else:
        return None
    if found is None:
        return None
    await conn.execute(
        "UPDATE outbox SET payload = ?,"
        " priority = CASE WHEN priority < ? THEN priority ELSE ? END WHERE id = ?",
        (body, int(intent.priority), int(intent.priority), found[0]),
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


# The rows waiting, in order of urgency, a chunk at a time: their id, chat and priority, and
# when they are due (last). On PostgreSQL every row in full, so that the rows handed out need
# no second trip to the server; SQLite answers in the process, and reads those alone in full.
_SCAN_WHERE = "FROM outbox WHERE status = 'pending' AND (priority, id) > (?, ?)"
_SCAN = f"SELECT id, chat_id, priority, not_before {_SCAN_WHERE} ORDER BY priority, id LIMIT ?"
_SCAN_WHOLE = f"SELECT {_COLUMNS}, not_before {_SCAN_WHERE} ORDER BY priority, id LIMIT ?"


async def heads(conn: aiosqlite.Connection, now: float, busy: Collection[int], limit: int) -> Heads:
    """The next row of up to `limit` idle chats that have one due, most urgent first.

    One row per chat: a chat's rows go out one at a time, in order of priority, so an edit
    never overtakes the message it edits. Waiting rows are read in order of urgency (priority,
    then age), a few at a time, and reading stops once `limit` rows are found: the first row
    seen of a chat is its next one. Only the rows handed out are read in full (PostgreSQL
    reads each in full as it scans: one trip to the server instead of two). `next_at` is the
    earliest time one of the other chats' next rows it saw becomes due.
    """
    seen = set(busy)
    picked: list[int] = []
    later: float | None = None
    after = (-1, -1)
    scanned = 0
    whole = is_postgres(conn)
    read: dict[int, Any] = {}  # PostgreSQL: the rows handed out, as the scan read them
    while len(picked) < limit:
        found = await conn.execute_fetchall(
            _SCAN_WHOLE if whole else _SCAN, (after[0], after[1], SCAN_CHUNK)
        )
        if not found:
            break
        later = _take(found, now, seen, picked, limit, later)
        if whole:
            chosen = set(picked)
            read.update((raw[0], raw) for raw in found if raw[0] in chosen)
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
    if all(row_id in read for row_id in picked):  # in the order of urgency, as scanned
        return Heads([_row(read[row_id]) for row_id in picked], later)
    return Heads(await rows_by_id(conn, picked), later)


def _take(
    found: Iterable[Any],
    now: float,
    seen: set[int],
    picked: list[int],
    limit: int,
    later: float | None,
) -> float | None:
    for raw in found:
        row_id, chat_id, not_before = raw[0], raw[1], raw[-1]
        if chat_id in seen:
            continue
        seen.add(chat_id)
        if not_before > now:
            later = not_before if later is None else min(later, not_before)
        elif len(picked) < limit:
            picked.append(row_id)
    return later


async def rows_by_id(conn: aiosqlite.Connection, row_ids: Sequence[int]) -> list[Row]:
    """These rows, in order of urgency, whatever their status."""
    marks = ", ".join("?" for _ in row_ids)
    rows = await conn.execute_fetchall(
        f"SELECT {_COLUMNS} FROM outbox WHERE id IN ({marks}) ORDER BY priority, id",
        tuple(row_ids),
    )
    return [_row(raw) for raw in rows]


async def due(
    conn: aiosqlite.Connection, now: float, busy: Collection[int], limit: int = 64
) -> list[Row]:
    """The next row of every idle chat that has one due, most urgent first (see `heads`)."""
    return (await heads(conn, now, busy, limit)).rows


async def next_due_at(conn: aiosqlite.Connection, busy: Collection[int] = ()) -> float | None:
    """When the next row of a chat that is not busy becomes due (None: no such row)."""
    found = await conn.execute_fetchall(_HEADS)
    return _take(found, float("-inf"), set(busy), [], 0, None)


_CLAIM = (
    "UPDATE outbox SET status = 'sending' WHERE status = 'pending'"
    " AND id IN (SELECT value FROM json_each(?)) RETURNING id"
)
# PostgreSQL: rows another transaction holds are skipped, not waited for (and not claimed)
_CLAIM_POSTGRES = (
    "UPDATE outbox SET status = 'sending' WHERE id IN (SELECT id FROM outbox"
    " WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?))"
    " FOR UPDATE SKIP LOCKED) RETURNING id"
)


async def mark_all_sending(conn: aiosqlite.Connection, row_ids: Sequence[int]) -> set[int]:
    """The rows' calls are about to be made: after a crash they count as in flight. One
    statement for all (one write, atomic on its own). Returns the ids of the rows that were
    still waiting (the others were merged, failed or moved meanwhile)."""
    sql = _CLAIM_POSTGRES if is_postgres(conn) else _CLAIM
    rows = await conn.execute_fetchall(sql, (json.dumps(list(row_ids)),))
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


async def unfinished(conn: aiosqlite.Connection) -> int:
    """Rows waiting or in flight (a take-over catches them up)."""
    row = await fetch_one(
        conn, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
    )
    return int(row[0]) if row else 0


async def pending(conn: aiosqlite.Connection) -> int:
    row = await fetch_one(conn, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
    return int(row[0]) if row else 0


async def is_pending(
    conn: aiosqlite.Connection, incident: int, chat_id: int | None, kind: type
) -> bool:
    """Whether a row of this kind for this incident waits (in this chat; None: in any)."""
    chat = "" if chat_id is None else " AND chat_id = ?"
    return (
        await fetch_one(
            conn,
            "SELECT 1 FROM outbox WHERE incident = ? AND action = ?"
            f" AND status IN ('pending', 'sending'){chat} LIMIT 1",
            (incident, _ACTIONS[kind]) + (() if chat_id is None else (chat_id,)),
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


async def pending_like(conn: aiosqlite.Connection, intent: Intent) -> int:
    """How many rows like this one (same kind, incident and follow-up) wait for its chat at
    its priority or a more urgent one."""
    action, incident, followup, _payload = _encode(intent)
    row = await fetch_one(
        conn,
        "SELECT COUNT(*) FROM outbox WHERE incident = ? AND chat_id = ? AND action = ?"
        " AND status = 'pending' AND priority <= ? AND followup IS NOT DISTINCT FROM ?",
        (incident, intent.chat_id, action, int(intent.priority), followup),
    )
    return int(row[0]) if row else 0


async def cards_sent(conn: aiosqlite.Connection, chat_id: int, since: float) -> list[float]:
    """When the cards delivered to this chat since `since` were done, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT done_at FROM outbox WHERE status = 'done' AND chat_id = ? AND priority = ?"
        " AND done_at >= ? ORDER BY done_at",
        (chat_id, int(Priority.CARD), since),
    )
    return [float(r[0]) for r in rows]


async def waiting_alerts(conn: aiosqlite.Connection, chat_id: int) -> list[int]:
    """The incidents whose alerts still wait for this chat."""
    rows = await conn.execute_fetchall(
        "SELECT DISTINCT incident FROM outbox WHERE chat_id = ? AND status = 'pending'"
        " AND action = 'alert' AND incident IS NOT NULL",
        (chat_id,),
    )
    return [int(r[0]) for r in rows]


@dataclass(frozen=True)
class Delivered:
    """A row that was sent: the message it made, and the intent it carried."""

    row_id: int
    message_id: int
    intent: Intent


async def confirmations(conn: aiosqlite.Connection, incident: int) -> list[Delivered]:
    """The delivered lines of an incident that settle alert rows ("✓ 9 ontvangen")."""
    rows = await conn.execute_fetchall(
        f"SELECT {_COLUMNS}, message_id FROM outbox WHERE incident = ?"
        " AND action = 'say' AND status = 'done' AND message_id IS NOT NULL"
        " AND json_extract(payload, '$.settles') IS NOT NULL",
        (incident,),
    )
    return [Delivered(raw[0], raw[8], _row(raw).intent) for raw in rows]


@dataclass(frozen=True)
class Fate:
    """How a row ended (or that it has not yet)."""

    chat_id: int
    status: str
    message_id: int | None
    error: str | None


async def fates(conn: aiosqlite.Connection, row_ids: Sequence[int]) -> list[Fate]:
    marks = ", ".join("?" for _ in row_ids)
    rows = await conn.execute_fetchall(
        f"SELECT chat_id, status, message_id, error FROM outbox WHERE id IN ({marks})",
        tuple(row_ids),
    )
    return [Fate(r[0], r[1], r[2], r[3]) for r in rows]


async def card_messages(conn: aiosqlite.Connection, card: Card) -> list[tuple[int, int]]:
    """(chat id, message id) of every delivered message that shows this card."""
    rows = await conn.execute_fetchall(
        "SELECT chat_id, message_id FROM outbox WHERE action = 'say' AND status = 'done'"
        f" AND message_id IS NOT NULL AND json_extract(payload, '$.{_CARD_KEYS[card.kind]}') = ?",
        (card.id,),
    )
    return [(r[0], r[1]) for r in rows]


async def erase_signup_payloads(
    conn: aiosqlite.Connection, signup_ids: Iterable[int], user_id: int | None, now: float
) -> int:
    """Clear every outbox row that carried a sign-up's data: rows tagged with the sign-up
    and, when a user is given, every tagged row for their private chat. A row still waiting is
    given up (its text is gone). Returns how many rows were cleared."""
    ids = [int(i) for i in signup_ids]
    conditions = []
    args: list[object] = []
    if ids:
        marks = ", ".join("?" for _ in ids)
        conditions.append(f"json_extract(payload, '$.signup') IN ({marks})")
        args.extend(ids)
    if user_id is not None:  # what the bot told them privately about any sign-up of theirs
        conditions.append("(chat_id = ? AND json_extract(payload, '$.signup') IS NOT NULL)")
        args.append(user_id)
    if not conditions:
        return 0
    cursor = await conn.execute(
        "UPDATE outbox SET payload = '{}', error = 'erased',"
        " status = CASE status WHEN 'pending' THEN 'failed' ELSE status END,"
        f" done_at = COALESCE(done_at, ?) WHERE payload != '{{}}' AND ({' OR '.join(conditions)})",
        [now, *args],
    )
    return cursor.rowcount


async def erase_card_payloads(
    conn: aiosqlite.Connection, chat_id: int, card: Card, message_id: int | None
) -> int:
    """Empty the sent rows of a card in one chat: the card itself, its edits and the replies
    under it (a round's names, once the round has ended). Rows still waiting keep their text
    until they are sent. Returns how many rows were emptied."""
    conditions = [f"json_extract(payload, '$.{_CARD_KEYS[card.kind]}') = ?"]
    args: list[object] = [chat_id, card.id]
    if message_id is not None:
        conditions += [
            "json_extract(payload, '$.message_id') = ?",
            "json_extract(payload, '$.reply_to') = ?",
        ]
        args += [message_id, message_id]
    cursor = await conn.execute(
        "UPDATE outbox SET payload = '{}' WHERE chat_id = ? AND status IN ('done', 'failed')"
        f" AND payload != '{{}}' AND ({' OR '.join(conditions)})",
        args,
    )
    return cursor.rowcount
