"""The "112 already called" flag: the first report wins, every later one is answered."""

from __future__ import annotations

import html
from dataclasses import dataclass

import aiosqlite
import structlog

from relaybot.domain import rules
from relaybot.domain.intents import FlagNotice, Say
from relaybot.domain.model import Actor, Flag, Incident, Post, Role, Withdrawn
from relaybot.domain.patterns import Classification
from relaybot.domain.render import already_called, withdrawn_notice
from relaybot.domain.rules import FlagOutcome
from relaybot.service.context import Answer, Chat, Command, Context
from relaybot.storage import (
    counters,
    duplicates,
    idempotency,
    incidents,
    outbox,
    withdrawals,
)
from relaybot.storage.outbox import Priority

log = structlog.get_logger("relaybot.flag")


@dataclass(frozen=True)
class Interest:
    """Why an ordinary message is worth a closer look."""

    kind: Classification | None  # "called" or "intent"
    replied_to: int | None  # the copy it may reply to


class Flagging:
    """The "112 already called" flag: the button, `/112`, and '112 gebeld' in chatter."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def press_112(
        self, chat: Chat, actor: Actor, message_id: int, number: int, key: str
    ) -> Answer:
        """The inline button on a copy. The answer goes to the presser alone."""
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, self.ctx.clock()):
                return Answer("")
            incident = await incidents.get(conn, number)
            pressed = await incidents.copy_at(conn, chat.id, message_id)
            if incident is None or pressed is None or pressed.incident != number:
                return Answer("")  # a button that is not on a copy of this incident
            outcome, _first_time = await self._report(conn, incident, chat, actor)
            answer = self._answer(outcome, await incidents.get(conn, number) or incident)
        self.ctx.wake()
        return answer

    def _answer(self, outcome: FlagOutcome, incident: Incident) -> Answer:
        if outcome is FlagOutcome.FIRST:
            return Answer(self.ctx.texts("flag_thanks"))
        if outcome is FlagOutcome.ALREADY and incident.flag is not None:
            text = already_called(
                self.ctx.texts, incident.flag, self.ctx.network.timezone, alert=True
            )
            return Answer(html.unescape(text), alert=True)
        word = self.ctx.texts(f"state_word_{incident.state.value}")
        return Answer(
            html.unescape(
                self.ctx.texts("incident_closed_alert", number=incident.number, state=word)
            ),
            alert=True,
        )

    async def command_112(self, command: Command) -> None:
        """`/112`: as a reply to a copy, to a resident's message, or about the one recent
        open incident of this chat."""
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            incident = await self._target(conn, command.chat.id, command.replied)
            if incident is None and command.replied is not None:
                incident = await self._local_incident(conn, command, command.replied)
            if incident is None:
                await self._usage(conn, command)
            else:
                outcome, first_time = await self._report(
                    conn, incident, command.chat, command.actor
                )
                if first_time:  # a repeat gets no second answer
                    await self._reply(
                        conn,
                        outcome,
                        incident.number,
                        command.chat.id,
                        command.message_id,
                        command.actor.user_id,
                    )
        self.ctx.wake()

    async def unflag(self, command: Command) -> None:
        """`/niet112` (`/unflag`), a reply to a copy, by a co-admin of a chat holding the
        incident or a contact person: a false 112 report is withdrawn. Every copy shows "112:
        nog niet gebeld" again with who withdrew it, the button returns, each holding chat
        gets one short notice, and the next report wins as if it were the first. The
        withdrawn report stays in the incident's history."""
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            copy = None
            if command.replied is not None:
                copy = await incidents.copy_at(conn, command.chat.id, command.replied.message_id)
            incident = await incidents.get(conn, copy.incident) if copy else None
            if incident is None:
                await self.ctx.answer(conn, command, "need_reply_unflag")
            elif (refusal := rules.closed_refusal(incident)) is not None:
                await self.ctx.refuse(conn, command, refusal)
            elif not rules.may_resolve(
                self.ctx.kind(command.chat),
                command.actor,
                command.chat.id in await self.ctx.holding(conn, incident.number),
            ):
                await self.ctx.answer(conn, command, "refuse_unflag")
            else:
                await self._withdraw(conn, incident, command)
        self.ctx.wake()

    async def _withdraw(
        self, conn: aiosqlite.Connection, incident: Incident, command: Command
    ) -> None:
        now = self.ctx.clock()
        place = self.ctx.directory.short_place(command.chat.id, self.ctx.texts("regie_short"))
        gone = await withdrawals.withdraw(
            conn, incident.number, now, command.actor.name, command.chat.id, place
        )
        if gone is None:
            await self.ctx.answer(conn, command, "unflag_nothing", number=incident.number)
            return
        await duplicates.forget_duplicates(conn, incident.number)
        withdrawn = Withdrawn(now, command.actor.name, place)
        notice = withdrawn_notice(
            self.ctx.texts, incident.number, withdrawn, self.ctx.network.timezone
        )
        # the 112 state changed: the edits and notices ride the top priority
        for chat_id in await self.ctx.refresh_copies(conn, incident, priority=Priority.FLAG):
            shown = await incidents.copies(
                conn, incident.number, chat_id, [Role.ALERT, Role.ORIGINAL]
            )
            reply_to = shown[0].message_id if shown else None
            line = Say(chat_id, notice, reply_to=reply_to, priority=Priority.FLAG)
            await outbox.enqueue(conn, line, now)
        await counters.count(conn, self.ctx.counter_place(command.chat.id), "flag_withdrawn", now)
        log.info("flag_withdrawn", incident=incident.number, chat=command.chat.id)

    def chatter_interest(self, chat_id: int, text: str, replied_to: int | None) -> Interest | None:
        """What a member's ordinary message could matter for, decided inline and cheaply: a
        reply to a copy (a later /regie on it is a follow-up), or '112 gebeld' / 'ik bel 112'
        in a chat holding an open incident. None for nearly all chatter, which is dropped."""
        if not self.ctx.directory.in_network(chat_id):
            return None
        if replied_to is not None and not incidents.may_be_copy(self.ctx.db, chat_id, replied_to):
            replied_to = None  # a reply to an ordinary message: as good as no reply
        kind = self.ctx.patterns.classify(text) if text else None
        if kind is not None and not incidents.may_hold_open(
            self.ctx.db, self.ctx.directory.former(chat_id)
        ):
            kind = None  # '112 gebeld' in a chat with no open incident: nothing to flag
        if replied_to is None and kind is None:
            return None
        return Interest(kind, replied_to)

    async def chatter(
        self,
        chat: Chat,
        actor: Actor,
        post: Post,
        replied_to: int | None,
        key: str,
        interest: Interest | None = None,
    ) -> None:
        """A member's ordinary message. `interest` is `chatter_interest`'s answer when the
        caller already asked (the handler does, before building values for the message)."""
        interest = interest or self.chatter_interest(chat.id, post.text, replied_to)
        if interest is None:
            return
        kind, replied_to = interest.kind, interest.replied_to
        reply_post = Post(chat.id, replied_to, "") if replied_to is not None else None
        async with self.ctx.db.reading() as conn:  # most messages need no write: look first
            copy = await incidents.copy_at(conn, chat.id, replied_to) if replied_to else None
            incident = await self._target(conn, chat.id, reply_post) if kind else None
        if copy is not None:
            async with self.ctx.db.transaction() as conn:
                await incidents.link_reply(conn, chat.id, post.message_id, copy.incident)
        if incident is None or (kind == "intent" and incident.flag is None):
            return
        async with self.ctx.db.transaction() as conn:
            incident = await self._target(conn, chat.id, reply_post)  # again, now for certain
            if incident is None or not await idempotency.claim(conn, key, self.ctx.clock()):
                return
            if kind == "called":
                outcome, first_time = await self._report(conn, incident, chat, actor)
                if outcome is not FlagOutcome.FIRST and first_time:
                    await self._reply(
                        conn, outcome, incident.number, chat.id, post.message_id, actor.user_id
                    )
            elif (
                incident.flag is not None
                and incident.is_open
                # one answer per person per incident; repeating it counts once
                and await duplicates.first_duplicate(
                    conn, incident.number, actor.user_id, self.ctx.clock()
                )
            ):
                await counters.count(
                    conn,
                    self.ctx.counter_place(chat.id),
                    "duplicates_prevented",
                    self.ctx.clock(),
                )
                log.info("flag_intent_answered", incident=incident.number, chat=chat.id)
                await self._reply(
                    conn,
                    FlagOutcome.ALREADY,
                    incident.number,
                    chat.id,
                    post.message_id,
                    actor.user_id,
                )
        self.ctx.wake()

    async def _target(
        self, conn: aiosqlite.Connection, chat_id: int, replied: Post | None
    ) -> Incident | None:
        """The incident a report is about: the replied-to copy's, or the chat's only recent one."""
        if replied is not None:
            copy = await incidents.copy_at(conn, chat_id, replied.message_id)
            return await incidents.get(conn, copy.incident) if copy else None
        recent = rules.recent_open(
            await incidents.open_incidents(conn, self.ctx.directory.former(chat_id)),
            self.ctx.clock(),
            self.ctx.network.policy.flag_window_minutes,
        )
        return recent[0] if len(recent) == 1 else None

    async def _local_incident(
        self, conn: aiosqlite.Connection, command: Command, replied: Post
    ) -> Incident | None:
        """`/112` on a resident's message that is not an incident yet: a local incident."""
        if not self.ctx.directory.in_network(command.chat.id):
            return None
        return await self.ctx.incident_from(conn, command.chat.id, replied, relayed=False)

    async def _usage(self, conn: aiosqlite.Connection, command: Command) -> None:
        recent = rules.recent_open(
            await incidents.open_incidents(conn, self.ctx.directory.former(command.chat.id)),
            self.ctx.clock(),
            self.ctx.network.policy.flag_window_minutes,
        )
        if recent:
            candidates = ", ".join(f"#{i.number}" for i in recent)
            await self.ctx.answer(conn, command, "flag_usage", candidates=candidates)
        else:
            await self.ctx.answer(conn, command, "flag_no_incident")

    async def _report(
        self, conn: aiosqlite.Connection, incident: Incident, chat: Chat, actor: Actor
    ) -> tuple[FlagOutcome, bool]:
        """Decide and record one report. Atomic: the database picks the single winner. The
        flag says whether this is the first time this person hears the outcome: a later
        report counts once per person as a duplicate prevented, and is answered once."""
        outcome = rules.flag_outcome(incident)
        place = self.ctx.counter_place(chat.id)
        if outcome is FlagOutcome.FIRST:
            now = self.ctx.clock()
            flag = Flag(
                now,
                actor.name,
                self.ctx.directory.short_place(chat.id, self.ctx.texts("regie_short")),
                chat.id,
            )
            if await incidents.set_flag(conn, incident.number, flag):
                for chat_id in await self.ctx.refresh_copies(
                    conn, incident, priority=Priority.FLAG
                ):
                    await outbox.enqueue(conn, FlagNotice(chat_id, incident.number), now)
                await counters.count(conn, place, "flag_reports", now)
                await counters.count(
                    conn, place, "flag_minutes", now, round((now - incident.created_at) / 60)
                )
                log.info("flag_first", incident=incident.number, chat=chat.id)
                return outcome, True
            outcome = FlagOutcome.ALREADY
        if outcome is FlagOutcome.ALREADY:
            now = self.ctx.clock()
            if not await duplicates.first_duplicate(conn, incident.number, actor.user_id, now):
                log.info("flag_duplicate_repeated", incident=incident.number, chat=chat.id)
                return outcome, False
            await counters.count(conn, place, "duplicates_prevented", now)
            log.info("flag_duplicate_prevented", incident=incident.number, chat=chat.id)
        return outcome, True

    async def _reply(
        self,
        conn: aiosqlite.Connection,
        outcome: FlagOutcome,
        number: int,
        chat_id: int,
        reply_to: int,
        person_id: int,
    ) -> None:
        if outcome is FlagOutcome.FIRST:
            return  # the notice threaded under the copy is the answer
        incident = await incidents.get(conn, number)
        assert incident is not None
        if not await self.ctx.admit_answer(conn, chat_id, person_id, "already_called"):
            return
        if outcome is FlagOutcome.ALREADY and incident.flag is not None:
            # an answer, not a 112 notice: it waits behind alerts like any other answer
            text = already_called(self.ctx.texts, incident.flag, self.ctx.network.timezone)
            await outbox.enqueue(conn, Say(chat_id, text, reply_to=reply_to), self.ctx.clock())
        else:
            word = self.ctx.texts(f"state_word_{incident.state.value}")
            await self.ctx.say(
                conn, chat_id, "refuse_closed", reply_to=reply_to, number=number, state=word
            )
