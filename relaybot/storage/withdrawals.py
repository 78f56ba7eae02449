"""Withdrawing a false 112 report (/niet112): the report moves into the incident's history."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from relaybot.domain.model import Flag


@dataclass(frozen=True)
class Withdrawal:
    """A 112 report that was withdrawn, and who withdrew it."""

    incident: int
    report: Flag
    withdrawn_at: float
    withdrawn_by: str
    withdrawn_chat_id: int | None


async def withdraw(
    conn: aiosqlite.Connection,
    number: int,
    at: float,
    by: str,
    chat_id: int | None,
    place: str = "",
) -> Withdrawal | None:
    """Withdraw the 112 report of an open incident: keep it in ``flag_withdrawals`` and clear
    it from the incident, so that the next report wins as if it were the first. None when the
    incident is not open or carries no report (nothing changes then)."""
    rows = await conn.execute_fetchall(
        "SELECT flag_at, flag_by, flag_place, flag_chat_id FROM incidents"
        " WHERE number = ? AND state = 'open' AND flag_at IS NOT NULL",
        (number,),
    )
    if not rows:
        return None
    row = rows[0]
    report = Flag(row[0], row[1] or "", row[2] or "", row[3])
    cursor = await conn.execute(
        "UPDATE incidents SET flag_at = NULL, flag_by = NULL, flag_place = NULL,"
        " flag_chat_id = NULL, withdrawn_at = ?, withdrawn_by = ?, withdrawn_place = ?"
        " WHERE number = ? AND flag_at = ?",
        (at, by, place, number, report.at),
    )
    if cursor.rowcount != 1:
        return None
    await conn.execute(
        "INSERT INTO flag_withdrawals (incident, reported_at, reported_by, reported_place,"
        " reported_chat_id, withdrawn_at, withdrawn_by, withdrawn_chat_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (number, report.at, report.by, report.place, report.chat_id, at, by, chat_id),
    )
    return Withdrawal(number, report, at, by, chat_id)


async def withdrawals(conn: aiosqlite.Connection, number: int) -> list[Withdrawal]:
    """The incident's withdrawn reports, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT reported_at, reported_by, reported_place, reported_chat_id, withdrawn_at,"
        " withdrawn_by, withdrawn_chat_id FROM flag_withdrawals WHERE incident = ? ORDER BY id",
        (number,),
    )
    return [Withdrawal(number, Flag(r[0], r[1], r[2], r[3]), r[4], r[5], r[6]) for r in rows]
