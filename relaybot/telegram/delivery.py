"""Delivery planning, next to the worker that uses it: turning outbox rows into operations,
and recording what Telegram answered. Not a use case: nobody acts here, the bot sends."""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field

import aiosqlite
import structlog

from relaybot.domain import rules
from relaybot.domain.model import Copy, Incident, Role, State
from relaybot.domain.outcomes import outcome_notice
from relaybot.domain.outgoing import Delete, Edit, Op, Send
from relaybot.domain.render import notice as notice_text
from relaybot.domain.render import render_alert, render_followup
from relaybot.domain.signup import Keyboard
from relaybot.service.context import Context
from relaybot.storage import chats, counters, incidents, outbox, signups
from relaybot.storage.outbox import Priority, Row

log = structlog.get_logger("relaybot.delivery")
# one write a delivered row still owes the database, given the transaction's connection
Write = Callable[[aiosqlite.Connection], Awaitable[object]]


@dataclass
class Plan:
    ops: list[Op] = field(default_factory=list)
    # not yet: the row waits behind the chat's ordinary rows (a 112 notice whose alert has
    # not been sent yet must come after it, to be threaded under it)
    behind: bool = False


def _buttons(raw: object) -> tuple[tuple[str, str], ...]:
    """Buttons as stored in an outbox payload: a list of [label, callback data] pairs."""
    if not isinstance(raw, list):
        return ()
    return tuple((str(label), str(data)) for label, data in raw)


def _rows(raw: object) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Inline buttons in rows, as stored in a payload: a list of rows of [label, data]."""
    if not isinstance(raw, list):
        return ()
    return tuple(_buttons(row) for row in raw)


def _keyboard(raw: object) -> Keyboard | None:
    """A reply keyboard under a private question (sign-up), as stored in a payload."""
    if not isinstance(raw, dict):
        return None
    rows = raw.get("rows") or []
    contact = raw.get("contact")
    return Keyboard(
        rows=tuple(tuple(str(label) for label in row) for row in rows),
        contact=str(contact) if contact else None,
        remove=bool(raw.get("remove")),
    )


class Delivery:
    """What the worker asks before and after it talks to Telegram."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _alert(self, incident: Incident, chat_id: int) -> Send:
        policy = self.ctx.network.policy
        rendered = render_alert(
            incident,
            texts=self.ctx.texts,
            place=self.ctx.directory.place(incident.source_slug, self.ctx.texts("regie")),
            tz=self.ctx.network.timezone,
            ttl_hours=policy.incident_ttl_hours,
            show_author=policy.show_author_names,
            caption=incident.media is not None,
        )
        return Send(
            chat_id,
            rendered.html,
            button=incident.number if rendered.button else None,
            copy_from=(incident.source_chat_id, incident.origin_message_id)
            if incident.media and not self._moved(incident.source_chat_id)
            else None,
            record=Role.ALERT,
        )

    def _moved(self, chat_id: int) -> bool:
        """A group Telegram moved: its old messages can no longer be copied (the new group
        numbers its messages afresh, so the old id would name another message)."""
        return self.ctx.directory.current(chat_id) != chat_id

    async def plan(self, row: Row) -> Plan:
        """What to do for one row, judged from the state as it is now."""
        async with self.ctx.db.reading_inline() as conn:
            return await self._plan(conn, row)

    async def _plan(self, conn: aiosqlite.Connection, row: Row) -> Plan:
        buttons = _buttons(row.payload.get("buttons"))
        if row.action == "say":
            reply_to = row.payload.get("reply_to")
            return Plan(
                [
                    Send(
                        row.chat_id,
                        str(row.payload["html"]),
                        reply_to=int(str(reply_to)) if reply_to else None,
                        record=Role.REPLY if row.incident else None,
                        buttons=buttons,
                        rows=_rows(row.payload.get("rows")),
                        reply_keyboard=_keyboard(row.payload.get("keyboard")),
                    )
                ]
            )
        if row.action == "edit":  # replace a message's text and buttons (e.g. a decided card)
            message_id = row.payload.get("message_id")
            if not message_id:
                return Plan()
            html = str(row.payload["html"])
            rows = _rows(row.payload.get("rows"))
            return Plan([Edit(row.chat_id, int(str(message_id)), html, buttons=buttons, rows=rows)])
        incident = await incidents.get(conn, row.incident) if row.incident else None
        if incident is None:
            return Plan()
        if row.action == "delete":
            made = await incidents.copies(conn, incident.number, row.chat_id)
            doomed = rules.retractable(made, incident.source_chat_id)
            return Plan([Delete(c.chat_id, c.message_id) for c in doomed])
        if row.action == "outcome":
            return await self._outcome(conn, row, incident)
        if incident.state is State.RETRACTED:
            return Plan()
        anchor = await self._anchor(conn, incident.number, row.chat_id)
        if row.action == "alert":
            return Plan([self._alert(incident, row.chat_id)])
        if row.action == "refresh":
            alerts = await incidents.copies(conn, incident.number, row.chat_id, [Role.ALERT])
            fresh = self._alert(incident, row.chat_id)
            return Plan(
                [
                    Edit(
                        c.chat_id,
                        c.message_id,
                        fresh.html,
                        fresh.button,
                        caption=incident.media is not None,
                    )
                    for c in alerts
                ]
            )
        if row.action == "notice":
            if anchor is None and await outbox.is_pending(
                conn, incident.number, row.chat_id, "alert"
            ):
                return Plan(behind=True)
            if incident.flag is None:
                return Plan()
            text = notice_text(self.ctx.texts, incident.flag, self.ctx.network.timezone)
            return Plan([Send(row.chat_id, text, reply_to=anchor, record=Role.NOTICE)])
        if row.action in ("followup", "refresh_followup"):
            followup = await incidents.get_followup(conn, row.followup or 0)
            if followup is None:
                return Plan()
            caption = followup.media is not None
            html = render_followup(followup, incident, texts=self.ctx.texts, caption=caption)
            if row.action == "refresh_followup":
                made = await incidents.copies(conn, incident.number, row.chat_id, [Role.FOLLOWUP])
                return Plan(
                    [
                        Edit(c.chat_id, c.message_id, html, caption=caption)
                        for c in made
                        if c.followup == followup.id
                    ]
                )
            return Plan(
                [
                    Send(
                        row.chat_id,
                        html,
                        reply_to=anchor,
                        copy_from=(followup.chat_id, followup.message_id)
                        if caption and not self._moved(followup.chat_id)
                        else None,
                        record=Role.FOLLOWUP,
                    )
                ]
            )
        log.warning("outbox_unknown_action", action=row.action, row=row.id)
        return Plan()

    async def _outcome(self, conn: aiosqlite.Connection, row: Row, incident: Incident) -> Plan:
        """How the incident ended, threaded under the chat's copy (a retracted one has no copy
        left to thread under). Waits behind an alert still on its way; a chat whose alert
        never arrived gets no notice about it."""
        text = outcome_notice(self.ctx.texts, incident, self.ctx.network.policy.incident_ttl_hours)
        if text is None:
            return Plan()
        if incident.state is State.RETRACTED:
            return Plan([Send(row.chat_id, text)])
        anchor = await self._anchor(conn, incident.number, row.chat_id)
        if anchor is None:
            pending = await outbox.is_pending(conn, incident.number, row.chat_id, "alert")
            return Plan(behind=True) if pending else Plan()
        return Plan([Send(row.chat_id, text, reply_to=anchor, record=Role.NOTICE)])

    async def _anchor(self, conn: aiosqlite.Connection, number: int, chat_id: int) -> int | None:
        """The message in a chat that shows the incident (for threading replies)."""
        shown = await incidents.copies(conn, number, chat_id, [Role.ALERT, Role.ORIGINAL])
        return shown[0].message_id if shown else None

    async def complete(
        self, row: Row, plan: Plan, results: list[int | None], error: str | None = None
    ) -> None:
        """Mark a row done and record the copies it made, in one transaction. A row that
        leaves nothing else to record (an edit, most answers) is one statement: one trip to
        the database thread instead of three, while its chat waits for the next row."""
        first = next((m for m in results if m is not None), None)
        copies = self._copy_writes(row, plan, results)
        later = self._remembered(row, first)
        if not copies and not later:
            async with self.ctx.db.statements() as conn:
                await outbox.done(conn, row.id, self.ctx.clock(), first, error)
            return
        async with self.ctx.db.transaction() as conn:
            for write in copies:
                await write(conn)
            await outbox.done(conn, row.id, self.ctx.clock(), first, error)
            for write in later:
                await write(conn)

    @staticmethod
    def _copy_writes(row: Row, plan: Plan, results: list[int | None]) -> list[Write]:
        """The copies a row's sends made, and those its deletes removed."""
        writes: list[Write] = []
        for op, message_id in zip(plan.ops, results, strict=False):
            if isinstance(op, Send) and op.record is not None and message_id is not None:
                assert row.incident is not None
                copy = Copy(row.incident, op.chat_id, message_id, op.record, row.followup)
                writes.append(lambda conn, copy=copy: incidents.add_copy(conn, copy))
            elif isinstance(op, Delete):
                writes.append(
                    lambda conn, op=op: conn.execute(
                        "DELETE FROM copies WHERE chat_id = ? AND message_id = ?",
                        (op.chat_id, op.message_id),
                    )
                )
        return writes

    def _remembered(self, row: Row, message_id: int | None) -> list[Write]:
        """What a delivered row leaves to remember, where a use case needs it later: a link
        request's card (so the decision can edit it), a sign-up card, and the confirmations
        an alert settles. Empty for nearly every row. One list for both what `complete`
        writes and whether it needs a transaction, so the two cannot disagree."""
        writes: list[Write] = []
        request = row.payload.get("link_request")
        if request is not None and message_id is not None:
            writes.append(lambda conn: chats.set_link_card(conn, int(str(request)), message_id))
        card = row.payload.get("signup_card")
        if card is not None and message_id is not None:
            writes.append(lambda conn: signups.set_card(conn, int(str(card)), message_id))
        number = row.incident
        if number is not None and (row.action == "alert" or "settles" in row.payload):
            writes.append(lambda conn: self._settle_confirmations(conn, [number]))
        return writes

    async def _settle_confirmations(
        self, conn: aiosqlite.Connection, numbers: Collection[int]
    ) -> None:
        """Edit each delivered confirmation of these incidents whose alerts are all delivered
        or given up, once, to say who received them and who could not be reached:
        "✓ 9 ontvangen · ✗ Wijk 7: bot verwijderd"."""
        for number in numbers:
            incident = await incidents.get(conn, number)
            if incident is None or incident.state is State.RETRACTED:
                continue
            confirmations = await conn.execute_fetchall(
                "SELECT id, chat_id, message_id, payload FROM outbox WHERE incident = ?"
                " AND action = 'say' AND status = 'done' AND message_id IS NOT NULL"
                " AND json_extract(payload, '$.settles') IS NOT NULL",
                (number,),
            )
            for row_id, chat_id, message_id, payload in confirmations:
                await self._settle_one(conn, row_id, chat_id, message_id, json.loads(payload))

    async def _settle_one(
        self,
        conn: aiosqlite.Connection,
        row_id: int,
        chat_id: int,
        message_id: int,
        payload: dict[str, object],
    ) -> None:
        ids = [int(str(i)) for i in payload.get("settles") or []]  # type: ignore[attr-defined]
        marks = ", ".join("?" for _ in ids)
        alerts = await conn.execute_fetchall(
            f"SELECT chat_id, status, message_id, error FROM outbox WHERE id IN ({marks})",
            tuple(ids),
        )
        if any(status in ("pending", "sending") for _c, status, _m, _e in alerts):
            return
        if not await chats.note_once(conn, chat_id, f"settled:{row_id}", self.ctx.clock()):
            return
        texts = self.ctx.texts
        received = sum(1 for _c, status, made, _e in alerts if status == "done" and made)
        parts = [texts("settled_received", count=received)]
        for target, status, _made, error in alerts:
            if status == "failed":
                removed = "forbidden" in (error or "").lower() or "kicked" in (error or "").lower()
                reason = texts("reason_removed" if removed else "reason_unreachable")
                parts.append(
                    texts("settled_missed", place=self.ctx.place_of(target), reason=reason)
                )
        html = f"{payload.get('html', '')}\n{' · '.join(parts)}"
        await outbox.enqueue(
            conn,
            chat_id=chat_id,
            action="edit",
            now=self.ctx.clock(),
            payload={"message_id": message_id, "html": html},
        )
        self.ctx.wake()

    async def postpone(self, row: Row, seconds: float, error: str, count: bool = True) -> None:
        """The row waits `seconds` and is no longer marked as being sent, in one transaction."""
        async with self.ctx.db.transaction() as conn:
            await outbox.postpone(conn, row.id, self.ctx.clock() + seconds, error, count)
            await outbox.unmark(conn, row.id)

    async def heads(
        self, busy: Collection[int], limit: int, *, any_time: bool = False
    ) -> outbox.Heads:
        """The rows to start now (`any_time`: the most urgent, due or not: a probe)."""
        now = math.inf if any_time else self.ctx.clock()
        async with self.ctx.db.reading_inline() as conn:
            return await outbox.heads(conn, now, busy, limit)

    async def mark_sending(self, rows: Sequence[Row]) -> set[int]:
        """Committed before the rows' calls: after a crash they count as in flight. One
        statement for all the rows a dispatch starts (one trip to the database thread: the
        first call of a 112 fan-out goes out sooner, and so does the fourth). Returns the ids
        of the rows still waiting (the others were merged, given up or moved meanwhile)."""
        async with self.ctx.db.statements() as conn:
            return await outbox.mark_all_sending(conn, [row.id for row in rows])

    async def release(self, row: Row) -> None:
        """The row's call did not go out after all (or failed): it waits again."""
        async with self.ctx.db.transaction() as conn:
            await outbox.unmark(conn, row.id)

    async def recover_in_flight(self) -> int:
        """At start-up: rows a crash left marked are sent once more (and counted)."""
        async with self.ctx.db.transaction() as conn:
            found = await outbox.recover_in_flight(conn)
            if found:
                await counters.count(conn, "regie", "resent_after_crash", self.ctx.clock(), found)
        return found

    async def wake_postponed(self, kinds: Collection[str]) -> int:
        """Telegram answers again: rows waiting out a failure of these kinds are due now."""
        async with self.ctx.db.transaction() as conn:
            return await outbox.wake_postponed(conn, self.ctx.clock(), kinds)

    async def put_behind(self, row: Row) -> None:
        async with self.ctx.db.transaction() as conn:
            await outbox.demote(conn, row.id, Priority.NORMAL)

    async def give_up(self, row: Row, error: str) -> None:
        async with self.ctx.db.transaction() as conn:
            await outbox.fail(conn, row.id, self.ctx.clock(), error)
            if row.action == "alert" and row.incident is not None:
                await self._settle_confirmations(conn, [row.incident])
        log.warning(
            "outbox_gave_up",
            row=row.id,
            chat=row.chat_id,
            action=row.action,
            incident=row.incident,
            error=error,
        )

    async def chat_moved(self, old: int, new: int) -> None:
        """Telegram moved a group to a new id: follow it, now and after a restart."""
        async with self.ctx.db.transaction() as conn:
            await chats.record_move(conn, old, new, self.ctx.clock())
            await outbox.move_chat(conn, old, new)
        await self.ctx.reload_directory()
        log.info("chat_moved", chat=old, new_chat=new)
        self.ctx.wake()

    async def chat_refused(self, chat_id: int, reason: str) -> None:
        """The bot may no longer post in a chat: stop sending there, tell the regiegroep once."""
        regie = self.ctx.directory.regie_chat_id
        async with self.ctx.db.transaction() as conn:
            waiting = await conn.execute_fetchall(
                "SELECT DISTINCT incident FROM outbox WHERE chat_id = ? AND status = 'pending'"
                " AND action = 'alert'",
                (chat_id,),
            )
            dropped = await outbox.fail_chat(conn, chat_id, self.ctx.clock(), reason)
            await self._settle_confirmations(conn, [n for (n,) in waiting if n is not None])
            if chat_id != regie and await chats.note_once(
                conn, chat_id, "refused", self.ctx.clock()
            ):
                await self.ctx.say(
                    conn,
                    regie,
                    "regie_chat_refused",
                    priority=Priority.NORMAL,
                    place=self.ctx.place_of(chat_id),
                    chat_id=chat_id,
                )
        log.warning("chat_refused", chat=chat_id, dropped=dropped)
        self.ctx.wake()

    async def chat_welcomed_back(self, chat_id: int) -> None:
        async with self.ctx.db.transaction() as conn:
            await chats.forget_note(conn, chat_id, "refused")

    async def due(self, busy: set[int], limit: int = 64) -> list[Row]:
        async with self.ctx.db.reading() as conn:
            return await outbox.due(conn, self.ctx.clock(), busy, limit)

    async def next_due_at(self, busy: Collection[int] = ()) -> float | None:
        async with self.ctx.db.reading() as conn:
            return await outbox.next_due_at(conn, busy)
