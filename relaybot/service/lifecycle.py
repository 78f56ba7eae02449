"""Resolve, retract, expire and list incidents; forget what the job no longer needs."""

from __future__ import annotations

import aiosqlite
import structlog

from relaybot.domain import rules
from relaybot.domain.chats import ChatKind
from relaybot.domain.intents import Outcome, Retract, Retracted, Say
from relaybot.domain.model import Incident, Role, State
from relaybot.domain.render import TEXT_LIMIT, clock, cut, visible_len
from relaybot.service.context import Command, Context
from relaybot.storage import idempotency, incidents, outbox, retention
from relaybot.storage.outbox import Priority

log = structlog.get_logger("relaybot.lifecycle")
LIST_RESERVE = 100  # room kept for the "and N more" line of /meldingen
HANDLED_KEEP = 7 * 24 * 3600.0
OUTBOX_KEEP = 30 * 24 * 3600.0


class Lifecycle:
    """An incident's life after it is raised: resolved, retracted, expired, listed."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def _incident_of_reply(self, conn, command: Command, usage: str) -> Incident | None:
        copy = None
        if command.replied is not None:
            copy = await incidents.copy_at(conn, command.chat.id, command.replied.message_id)
        if copy is None:
            await self.ctx.answer(conn, command, usage)
            return None
        return await incidents.get(conn, copy.incident)

    async def resolve(self, command: Command) -> None:
        """`/afgehandeld [note]`: every copy shows it is resolved; the button goes."""
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            incident = await self._incident_of_reply(conn, command, "need_reply_resolve")
            if incident is None:
                pass
            elif (refusal := rules.closed_refusal(incident)) is not None:
                await self.ctx.refuse(conn, command, refusal)
            else:
                holding = await self.ctx.holding(conn, incident.number)
                allowed = rules.may_resolve(
                    self.ctx.kind(command.chat), command.actor, command.chat.id in holding
                )
                if not allowed:
                    await self.ctx.answer(conn, command, "refuse_resolve")
                else:
                    await incidents.close(
                        conn,
                        incident.number,
                        State.RESOLVED,
                        self.ctx.clock(),
                        command.actor.name,
                        command.args.strip(),
                    )
                    await self.ctx.refresh_copies(conn, incident)
                    # the chat the command came from has its confirmation instead
                    await self._tell_outcome(
                        conn, incident.number, set(holding) - {command.chat.id}
                    )
                    await self.ctx.say(
                        conn,
                        command.chat.id,
                        "resolve_done",
                        reply_to=command.message_id,
                        number=incident.number,
                    )
                    log.info("incident_resolved", incident=incident.number, chat=command.chat.id)
        self.ctx.wake()

    async def retract(self, command: Command) -> None:
        """`/intrekken`: a false alarm. Every copy the bot made is deleted, and the incident's
        text, names and notes are erased at once (the counters stay)."""
        erased = False
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            incident = await self._incident_of_reply(conn, command, "need_reply_retract")
            if incident is None:
                pass
            elif (refusal := rules.closed_refusal(incident)) is not None:
                await self.ctx.refuse(conn, command, refusal)
            elif not rules.may_retract(
                self.ctx.kind(command.chat),
                command.actor,
                command.chat.id == self.ctx.directory.current(incident.source_chat_id),
            ):
                await self.ctx.answer(conn, command, "refuse_retract")
            else:
                await incidents.close(
                    conn, incident.number, State.RETRACTED, self.ctx.clock(), command.actor.name
                )
                made = rules.retractable(
                    await incidents.copies(conn, incident.number), incident.source_chat_id
                )
                # also chats whose alert may be on its way: the delete waits behind it in that
                # chat's lane (an alert not yet sent is not sent at all: the incident is closed)
                targets = {c.chat_id for c in made} | set(
                    await self.ctx.holding(conn, incident.number)
                )
                for chat_id in sorted(targets):
                    await outbox.enqueue(conn, Retract(chat_id, incident.number), self.ctx.clock())
                source = (
                    self.ctx.directory.current(incident.source_chat_id) or incident.source_chat_id
                )
                # chats that saw an alert learn why it vanished; the source has its confirmation
                shown = {
                    self.ctx.directory.current(c.chat_id) or c.chat_id
                    for c in made
                    if c.role is Role.ALERT
                }
                await self._tell_outcome(conn, incident.number, shown - {source})
                # the original's id means nothing in a group Telegram has since moved
                reply_to = incident.origin_message_id if source == incident.source_chat_id else None
                # said once the deletes are done: how many were deleted, how many blanked
                done = Retracted(source, incident.number, len(made), reply_to)
                await outbox.enqueue(conn, done, self.ctx.clock())
                # a false alarm's text and names are not kept (the deletes need only ids)
                await retention.erase(conn, incident.number, self.ctx.clock())
                log.info(
                    "incident_retracted",
                    incident=incident.number,
                    chat=command.chat.id,
                    deleted=len(made),
                )
                erased = True
        self.ctx.wake()
        if erased:
            await self.ctx.db.checkpoint()

    async def expire(self) -> int:
        """Close every open incident older than the policy allows. Returns how many."""
        ttl = self.ctx.network.policy.incident_ttl_hours
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as conn:
            stale = [
                i for i in await incidents.open_incidents(conn) if rules.is_expired(i, now, ttl)
            ]
            for incident in stale:
                if await incidents.close(conn, incident.number, State.EXPIRED, now):
                    holding = await self.ctx.refresh_copies(conn, incident, priority=Priority.LOW)
                    await self._tell_outcome(
                        conn, incident.number, set(holding), priority=Priority.LOW
                    )
                    log.info("incident_expired", incident=incident.number)
        if stale:
            self.ctx.wake()
        return len(stale)

    async def _tell_outcome(
        self,
        conn: aiosqlite.Connection,
        number: int,
        chat_ids: set[int],
        *,
        priority: Priority = Priority.NORMAL,
    ) -> None:
        """One short notice of how the incident ended in each of these chats: the edits of
        the copies notify nobody (the text is planned at delivery, from the incident)."""
        for chat_id in sorted(chat_ids):
            await outbox.enqueue(conn, Outcome(chat_id, number, priority), self.ctx.clock())

    async def housekeeping(self) -> tuple[int, int]:
        """Forget what the job no longer needs: redelivery keys after a week (Telegram keeps
        undelivered updates for 24 hours), finished outbox rows after a month, and an
        incident's text, names and notes `retention_days` after it closed."""
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as conn:
            keys = await idempotency.forget_handled(conn, now - HANDLED_KEEP)
            rows = await outbox.forget_finished(conn, now - OUTBOX_KEEP)
        erased = await retention.sweep(self.ctx.db, now, self.ctx.network.policy.retention_days)
        if keys or rows or erased:
            log.info("housekeeping", keys=keys, outbox_rows=rows, erased=erased)
        return keys, rows

    async def list_open(self, command: Command) -> None:
        """`/meldingen`: the open incidents this chat holds (in the regie chat: all)."""
        kind = self.ctx.kind(command.chat)
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            if kind is ChatKind.REGIE:  # everything relayed; a local incident stays local
                found = [i for i in await incidents.open_incidents(conn) if i.relayed]
            else:
                found = await incidents.open_incidents(
                    conn, self.ctx.directory.former(command.chat.id)
                )
            if not found:
                await self.ctx.answer(conn, command, "incidents_none")
            elif await self.ctx.admit_answer(
                conn, command.chat.id, self.ctx.asker(command.chat.id, command.actor), "incidents"
            ):
                lines = [self.ctx.texts("incidents_header")]
                room = TEXT_LIMIT - LIST_RESERVE - visible_len(lines[0])
                for shown, incident in enumerate(found):
                    flag = "incidents_flag_yes" if incident.flag else "incidents_flag_no"
                    line = self.ctx.texts(
                        "incidents_line",
                        number=incident.number,
                        place=self.ctx.place_of(
                            self.ctx.directory.current(incident.source_chat_id)
                            or incident.source_chat_id
                        ),
                        time=clock(incident.created_at, self.ctx.network.timezone),
                        flag=self.ctx.texts(flag),
                        text=cut(incident.text, 80),
                    )
                    room -= visible_len(line) + 1
                    if room < 0:  # one message holds the list: say how many more there are
                        lines.append(
                            self.ctx.texts(
                                "incidents_more",
                                more=self.ctx.texts.count(
                                    "count_open_incidents", len(found) - shown
                                ),
                            )
                        )
                        break
                    lines.append(line)
                listed = Say(command.chat.id, "\n".join(lines), reply_to=command.message_id)
                await outbox.enqueue(conn, listed, self.ctx.clock())
        self.ctx.wake()
