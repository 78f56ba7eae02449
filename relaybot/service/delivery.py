"""Delivery outcomes, a use case: what an outbox intent becomes in Telegram when it is due
(judged from the state as it is then), and what a delivered, refused or given-up row means
(copies recorded, cards remembered, the confirmation "✓ 9 ontvangen", the regiegroep told
that a group refused the bot). The worker in relaybot/telegram/ carries the operations out
and reports back; it decides nothing itself."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field

import aiosqlite
import structlog

from relaybot.domain import rules
from relaybot.domain.intents import (
    Alert,
    CardKind,
    EditMessage,
    FlagNotice,
    Followup,
    JoinDecision,
    Outcome,
    Priority,
    RefreshAlert,
    RefreshFollowup,
    Retract,
    Retracted,
    RevokeInvite,
    Say,
)
from relaybot.domain.model import Copy, Incident, Role, State
from relaybot.domain.outcomes import outcome_notice
from relaybot.domain.outgoing import Decide, Delete, Edit, Op, Revoke, Send
from relaybot.domain.render import clock, render_alert, render_followup
from relaybot.domain.render import notice as notice_text
from relaybot.domain.signup import Status
from relaybot.service.context import Context
from relaybot.storage import chats, counters, inbox, incidents, outbox, rounds, signups
from relaybot.storage.outbox import Delivered, Row

log = structlog.get_logger("relaybot.delivery")
# one write a delivered row still owes the database, given the transaction's connection
Write = Callable[[aiosqlite.Connection], Awaitable[object]]
RETRACTED_WAIT = 1.0  # seconds between looks whether a retraction's deletes are all done
CARD_WINDOW = 60.0  # seconds: a chat gets at most cards_per_minute cards in any such window


@dataclass
class Plan:
    ops: list[Op] = field(default_factory=list)
    # not yet: the row waits behind the chat's ordinary rows (a 112 notice whose alert has
    # not been sent yet must come after it, to be threaded under it)
    behind: bool = False
    # not yet: the row waits this many seconds for rows of other chats (a retraction's
    # confirmation waits for the deletes it counts)
    wait: float = 0.0


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
        intent = row.intent
        if isinstance(intent, Say):
            if intent.card is not None and (wait := await self._card_wait(conn, row.chat_id)):
                return Plan(wait=wait)
            send = Send(
                row.chat_id,
                intent.html,
                reply_to=intent.reply_to,
                record=Role.REPLY if intent.incident else None,
                buttons=intent.buttons,
                rows=intent.rows,
                reply_keyboard=intent.keyboard,
            )
            return Plan([send])
        if isinstance(intent, EditMessage):  # replace a message's text and buttons
            if not intent.message_id:
                return Plan()
            edit = Edit(
                row.chat_id,
                intent.message_id,
                intent.html,
                buttons=intent.buttons,
                rows=intent.rows,
            )
            return Plan([edit])
        if isinstance(intent, JoinDecision):
            return Plan([Decide(row.chat_id, intent.user_id, intent.approve)])
        if isinstance(intent, RevokeInvite):
            return Plan([Revoke(row.chat_id, intent.link)])
        number = row.incident
        incident = await incidents.get(conn, number) if number else None
        if incident is None:
            if number is None:
                log.warning("outbox_unknown_action", action=row.kind, row=row.id)
            return Plan()
        if isinstance(intent, Retract):
            made = await incidents.copies(conn, incident.number, row.chat_id)
            blank = self.ctx.texts("copy_retracted", number=incident.number)
            doomed = rules.retractable(made, incident.source_chat_id)
            return Plan([Delete(c.chat_id, c.message_id, blank) for c in doomed])
        if isinstance(intent, Retracted):
            return await self._retracted(conn, row, intent, incident)
        if isinstance(intent, Outcome):
            return await self._outcome(conn, row, incident)
        if incident.state is State.RETRACTED:
            return Plan()
        if isinstance(intent, Alert):
            return Plan([self._alert(incident, row.chat_id)])
        if isinstance(intent, RefreshAlert):
            alerts = await incidents.copies(conn, incident.number, row.chat_id, [Role.ALERT])
            fresh = self._alert(incident, row.chat_id)
            caption = incident.media is not None
            return Plan(
                [Edit(c.chat_id, c.message_id, fresh.html, fresh.button, caption) for c in alerts]
            )
        anchor = await self._anchor(conn, incident.number, row.chat_id)
        if isinstance(intent, FlagNotice):
            if anchor is None and await outbox.is_pending(
                conn, incident.number, row.chat_id, Alert
            ):
                return Plan(behind=True)
            if incident.flag is None:
                return Plan()
            text = notice_text(self.ctx.texts, incident.flag, self.ctx.network.timezone)
            return Plan([Send(row.chat_id, text, reply_to=anchor, record=Role.NOTICE)])
        assert isinstance(intent, (Followup, RefreshFollowup))
        return await self._followup(conn, row, intent, incident, anchor)

    async def _card_wait(self, conn: aiosqlite.Connection, chat_id: int) -> float:
        """Seconds until one more card fits the chat's window (0: now). Cards wait below
        everything else and take at most `cards_per_minute` of a group's 20 messages a
        minute, so 40 sign-ups at once leave room for alerts; the rest go in later minutes."""
        limit = self.ctx.network.policy.cards_per_minute
        now = self.ctx.clock()
        sent = await outbox.cards_sent(conn, chat_id, now - CARD_WINDOW)
        if len(sent) < limit:
            return 0.0
        return max(sent[-limit] + CARD_WINDOW - now, 0.01)

    async def _followup(
        self,
        conn: aiosqlite.Connection,
        row: Row,
        intent: Followup | RefreshFollowup,
        incident: Incident,
        anchor: int | None,
    ) -> Plan:
        followup = await incidents.get_followup(conn, intent.followup)
        if followup is None:
            return Plan()
        caption = followup.media is not None
        html = render_followup(followup, incident, texts=self.ctx.texts, caption=caption)
        if isinstance(intent, RefreshFollowup):
            made = await incidents.copies(conn, incident.number, row.chat_id, [Role.FOLLOWUP])
            return Plan(
                [
                    Edit(c.chat_id, c.message_id, html, caption=caption)
                    for c in made
                    if c.followup == followup.id
                ]
            )
        copy_from = (
            (followup.chat_id, followup.message_id)
            if caption and not self._moved(followup.chat_id)
            else None
        )
        send = Send(row.chat_id, html, reply_to=anchor, copy_from=copy_from, record=Role.FOLLOWUP)
        return Plan([send])

    async def _retracted(
        self, conn: aiosqlite.Connection, row: Row, intent: Retracted, incident: Incident
    ) -> Plan:
        """The retraction's confirmation, once every chat's deletes are done: how many copies
        were deleted, and how many were only blanked (Telegram lets a bot delete a message for
        48 hours; the copies it kept show the retracted line instead), and how many it could
        not reach (its chat's delete was given up, or the bot was removed from it)."""
        if await outbox.is_pending(conn, incident.number, None, Retract):
            return Plan(wait=RETRACTED_WAIT)
        kept = rules.retractable(
            await incidents.copies(conn, incident.number), incident.source_chat_id
        )
        blanked = sum(1 for c in kept if c.role is Role.BLANKED)
        missed = len(kept) - blanked
        deleted = max(intent.total - len(kept), 0)
        texts = self.ctx.texts
        if blanked:
            text = texts(
                "retract_done_blanked",
                number=incident.number,
                messages=texts.count("count_messages", deleted),
                blanked=texts.count("count_messages_blanked", blanked),
            )
        else:
            text = texts(
                "retract_done",
                number=incident.number,
                messages=texts.count("count_messages", deleted),
            )
        if missed:
            key = "retract_missed_one" if missed == 1 else "retract_missed_many"
            text += " " + texts(key, count=missed)
        return Plan([Send(row.chat_id, text, reply_to=intent.reply_to)])

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
            pending = await outbox.is_pending(conn, incident.number, row.chat_id, Alert)
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
        """The copies a row's sends made, and those its deletes removed (a delete that could
        only blank the message answers its id: the copy stays, marked blanked)."""
        writes: list[Write] = []
        followup = getattr(row.intent, "followup", None)
        for op, message_id in zip(plan.ops, results, strict=False):
            if isinstance(op, Send) and op.record is not None and message_id is not None:
                assert row.incident is not None
                copy = Copy(row.incident, op.chat_id, message_id, op.record, followup)
                writes.append(lambda conn, copy=copy: incidents.add_copy(conn, copy))
            elif isinstance(op, Delete):
                gone = incidents.remove_copy if message_id is None else incidents.blank_copy
                writes.append(lambda conn, op=op, gone=gone: gone(conn, op.chat_id, op.message_id))
        return writes

    def _remembered(self, row: Row, message_id: int | None) -> list[Write]:
        """What a delivered row leaves to remember, where a use case needs it later: a link
        request's card (so the decision can edit it), a sign-up card, and the confirmations
        an alert settles. Empty for nearly every row. One list for both what `complete`
        writes and whether it needs a transaction, so the two cannot disagree. (A removal
        card needs no write: its copies are found through the outbox.)"""
        writes: list[Write] = []
        intent = row.intent
        card = intent.card if isinstance(intent, Say) else None
        if card is not None and message_id is not None:
            if card.kind is CardKind.LINK_REQUEST:
                writes.append(lambda conn: chats.set_link_card(conn, card.id, message_id))
            elif card.kind is CardKind.SIGNUP:
                writes.append(lambda conn: signups.set_card(conn, card.id, message_id))
            elif card.kind is CardKind.ROUND:
                writes.append(lambda conn: rounds.set_card(conn, card.id, message_id))
        number = row.incident
        settles = isinstance(intent, Alert) or (
            isinstance(intent, Say) and intent.settles is not None
        )
        if number is not None and settles:
            writes.append(lambda conn: self._settle_confirmations(conn, [number]))
        return writes

    async def _settle_confirmations(
        self, conn: aiosqlite.Connection, numbers: Collection[int]
    ) -> None:
        """Edit each delivered confirmation of these incidents whose alerts are all delivered
        or given up, once, to say who received them and who could not be reached:
        "✓ 9 ontvangen · ✗ Wijk 7: bot verwijderd". This runs in the record of every
        alert: the incident is read only once a confirmation is ready to be settled (during a
        fan-out nearly every record finds alerts still waiting: two statements, not three)."""
        for number in numbers:
            for confirmation in await outbox.confirmations(conn, number):
                await self._settle_one(conn, number, confirmation)

    async def _settle_one(
        self, conn: aiosqlite.Connection, number: int, confirmation: Delivered
    ) -> None:
        said = confirmation.intent
        assert isinstance(said, Say)
        alerts = await outbox.fates(conn, said.settles or ())
        if any(fate.status in ("pending", "sending") for fate in alerts):
            return
        incident = await incidents.get(conn, number)
        if incident is None or incident.state is State.RETRACTED:
            return
        key = f"settled:{confirmation.row_id}"
        if not await chats.note_once(conn, said.chat_id, key, self.ctx.clock()):
            return
        texts = self.ctx.texts
        received = sum(1 for fate in alerts if fate.status == "done" and fate.message_id)
        parts = [texts("settled_received", count=received)]
        for fate in alerts:
            if fate.status == "failed":
                error = (fate.error or "").lower()
                removed = "forbidden" in error or "kicked" in error
                reason = texts("reason_removed" if removed else "reason_unreachable")
                place = self.ctx.place_of(fate.chat_id)
                parts.append(texts("settled_missed", place=place, reason=reason))
        html = f"{said.html}\n{' · '.join(parts)}"
        edit = EditMessage(said.chat_id, confirmation.message_id, html)
        await outbox.enqueue(conn, edit, self.ctx.clock())
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
        async with self.ctx.db.claiming() as conn:
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
            if isinstance(row.intent, Alert):
                await self._settle_confirmations(conn, [row.intent.incident])
        log.warning(
            "outbox_gave_up",
            row=row.id,
            chat=row.chat_id,
            action=row.kind,
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
        """The bot may no longer post in a chat: stop sending there. A group that refused the
        bot is told to the regiegroep once; a resident who blocked the bot is no broken group:
        their sign-up conversation simply ends."""
        regie = self.ctx.directory.regie_chat_id
        async with self.ctx.db.transaction() as conn:
            waiting = await outbox.waiting_alerts(conn, chat_id)
            dropped = await outbox.fail_chat(conn, chat_id, self.ctx.clock(), reason)
            await self._settle_confirmations(conn, waiting)
            if chat_id > 0:  # a private chat: a person
                await self._person_gone(conn, chat_id)
            elif chat_id != regie and await chats.note_once(
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
        log.warning("chat_refused", chat=chat_id, dropped=dropped, private=chat_id > 0)
        self.ctx.wake()

    async def _person_gone(self, conn: aiosqlite.Connection, user_id: int) -> None:
        """A resident blocked the bot: a sign-up conversation still running ends, and what it
        held is erased (as when it is stopped); a submitted one stays with the regiegroep."""
        current = await signups.open_for(conn, user_id)
        if current is not None and current.status is Status.ASKING:
            await signups.delete(conn, [current.id])
            await outbox.erase_signup_payloads(conn, [current.id], user_id, self.ctx.clock())
            log.info("signup_ended_blocked", signup=current.id)

    async def chat_welcomed_back(self, chat_id: int) -> None:
        async with self.ctx.db.transaction() as conn:
            await chats.forget_note(conn, chat_id, "refused")

    async def announce_takeover(self, host: str, at: float) -> int:
        """A standby took over from a bot that stopped answering: the regiegroep is told once
        (in the same transaction as the count), with how many messages it caught up (the
        updates stored but not handled, the outbox rows waiting or in flight)."""
        async with self.ctx.db.transaction() as conn:
            count = await inbox.count(conn) + await outbox.unfinished(conn)
            key = "taken_over_one" if count == 1 else "taken_over_many"
            text = self.ctx.texts(key, host=host, time=clock(at, self.ctx.network.timezone),
                                  count=count)  # fmt: skip
            await outbox.enqueue(conn, Say(self.ctx.directory.regie_chat_id, text), at)
        self.ctx.wake()
        return count

    async def waiting(self) -> int:
        """How many rows wait in the outbox."""
        async with self.ctx.db.reading() as conn:
            return await outbox.pending(conn)

    async def due(self, busy: set[int], limit: int = 64) -> list[Row]:
        async with self.ctx.db.reading() as conn:
            return await outbox.due(conn, self.ctx.clock(), busy, limit)

    async def next_due_at(self, busy: Collection[int] = ()) -> float | None:
        async with self.ctx.db.reading() as conn:
            return await outbox.next_due_at(conn, busy)
