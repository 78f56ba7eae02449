"""Surveillance rounds: `/ronde`, `/ronde klaar`, `/ronde plan`, the "Ik loop mee" and
"Klaar" buttons, and the clock (a round left open ends itself; a planned round reminds its
walkers an hour before and begins at its time)."""

from __future__ import annotations

import aiosqlite
import structlog

from relaybot.domain import rounds as rules
from relaybot.domain.chats import ChatKind
from relaybot.domain.intents import Card, CardKind, EditMessage, Say
from relaybot.domain.model import Actor
from relaybot.domain.rounds import Finish, Plan, Round, Start, Wrong
from relaybot.service.context import Answer, Chat, Command, Context
from relaybot.storage import idempotency, outbox
from relaybot.storage import rounds as stored

log = structlog.get_logger("relaybot.rounds")

HOUR = 3600.0


class Rounds:
    """Rounds walked by a neighbourhood's volunteers, counted for the reports."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def _zone(self):  # type: ignore[no-untyped-def]
        return self.ctx.network.timezone

    # --- the command ------------------------------------------------------------------------

    async def command(self, command: Command) -> None:
        """`/ronde [note]`, `/ronde klaar [note]`, `/ronde plan <dag> <tijd> [meeting point]`."""
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, now):
                return
            if self.ctx.kind(command.chat) is not ChatKind.NEIGHBOURHOOD:
                await self.ctx.answer(conn, command, "round_only_in_group")
                return
            asked = rules.parse(command.args, now, self._zone)
            if isinstance(asked, Wrong):
                await self.ctx.answer(conn, command, asked.key, **asked.values)
            elif isinstance(asked, Finish):
                await self._finish_command(conn, command, asked.note, now)
            elif isinstance(asked, Plan):
                await self._plan(conn, command, asked, now)
            else:
                await self._start(conn, command, asked, now)
        self.ctx.wake()

    async def _start(
        self, conn: aiosqlite.Connection, command: Command, asked: Start, now: float
    ) -> None:
        chat, actor = command.chat.id, command.actor
        current = await stored.walking(conn, chat)
        if current is not None:
            assert current.started_at is not None
            await self.ctx.answer(
                conn,
                command,
                "round_already",
                name=current.starter,
                time=rules.clock(current.started_at, self._zone),
            )
            return
        made = await stored.create(
            conn, chat, actor.user_id, actor.name, now, started_at=now, note=asked.note
        )
        await stored.add_walker(conn, made, actor.user_id, actor.name, now)
        await self._post_card(conn, made)
        log.info("round_started", chat=chat, round=made)

    async def _plan(
        self, conn: aiosqlite.Connection, command: Command, asked: Plan, now: float
    ) -> None:
        actor = command.actor
        made = await stored.create(
            conn,
            command.chat.id,
            actor.user_id,
            actor.name,
            now,
            planned_at=asked.at,
            meeting=asked.meeting,
        )
        await self._post_card(conn, made)
        log.info("round_planned", chat=command.chat.id, round=made)

    async def _finish_command(
        self, conn: aiosqlite.Connection, command: Command, note: str, now: float
    ) -> None:
        current = await stored.walking(conn, command.chat.id)
        if current is None:
            await self.ctx.answer(conn, command, "round_none")
            return
        await self._finish(conn, current, now, note)

    # --- the buttons ------------------------------------------------------------------------

    async def press(self, chat: Chat, actor: Actor, verb: str, round_id: int, key: str) -> Answer:
        """'Ik loop mee' (again: no longer) or the starter's 'Klaar'."""
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, now):
                return Answer("")
            item = await stored.get(conn, round_id)
            if item is None or item.chat_id != chat.id or item.ended_at is not None:
                return Answer(self.ctx.texts.plain("round_over"), alert=True)
            if verb == "klaar":
                if actor.user_id != item.starter_id:
                    text = self.ctx.texts.plain("round_done_starter_only", name=item.starter)
                    return Answer(text, alert=True)
                await self._finish(conn, item, now, "")
                answer = Answer(self.ctx.texts.plain("round_done_thanks"))
            else:
                walks = await stored.toggle_walker(conn, round_id, actor.user_id, actor.name, now)
                await self._refresh_card(conn, round_id)
                answer = Answer(self.ctx.texts.plain("round_joined" if walks else "round_left"))
        self.ctx.wake()
        return answer

    # --- the clock --------------------------------------------------------------------------

    async def tick(self) -> None:
        """End rounds left open for `round_max_hours`; remind the walkers of a planned round
        an hour before (and say so when fewer than two signed up); begin a planned round at
        its time (one nobody signed up for does not take place)."""
        now = self.ctx.clock()
        longest = self.ctx.network.policy.round_max_hours * HOUR
        changed = False
        async with self.ctx.db.transaction() as conn:
            for item in await stored.overdue(conn, now - longest):
                assert item.started_at is not None
                await self._finish(conn, item, item.started_at + longest, "", auto=True)
                changed = True
            for item in await stored.to_remind(conn, now, now + rules.REMIND_BEFORE):
                await self._remind(conn, item)
                changed = True
            for item in await stored.due(conn, now):
                await self._begin(conn, item)
                changed = True
        if changed:
            self.ctx.wake()

    async def _remind(self, conn: aiosqlite.Connection, item: Round) -> None:
        assert item.planned_at is not None
        moment = rules.clock(item.planned_at, self._zone)
        names = ", ".join(item.walkers) or self.ctx.texts.plain("round_nobody")
        lines = [self.ctx.texts("round_reminder", time=moment, names=names)]
        if len(item.walkers) < rules.MIN_WALKERS:
            lines.append(
                self.ctx.texts(
                    "round_too_few", walkers=rules.walkers_line(self.ctx.texts, len(item.walkers))
                )
            )
        say = Say(item.chat_id, "\n".join(lines), reply_to=item.card_message_id)
        await outbox.enqueue(conn, say, self.ctx.clock())
        await stored.reminded(conn, item.id)
        log.info("round_reminded", chat=item.chat_id, round=item.id, walkers=len(item.walkers))

    async def _begin(self, conn: aiosqlite.Connection, item: Round) -> None:
        assert item.planned_at is not None
        if not item.walkers:
            await stored.drop(conn, item.id)
            if item.card_message_id is not None:
                text = self.ctx.texts(
                    "round_card_cancelled",
                    moment=rules.day_and_time(self.ctx.texts, item.planned_at, self._zone),
                )
                await self._edit(conn, item.chat_id, item.card_message_id, text, ())
            await self._forget_names(conn, item)
            log.info("round_dropped", chat=item.chat_id, round=item.id)
            return
        await stored.begin(conn, item.id, item.planned_at)
        await self._refresh_card(conn, item.id)
        log.info("round_begun", chat=item.chat_id, round=item.id)

    async def _forget_names(self, conn: aiosqlite.Connection, item: Round) -> None:
        """No names after a round: the sent card, its edits and its reminder are emptied in
        the outbox as the walkers are in the round's own tables."""
        card = Card(CardKind.ROUND, item.id)
        await outbox.erase_card_payloads(conn, item.chat_id, card, item.card_message_id)

    # --- the card ---------------------------------------------------------------------------

    async def _finish(
        self, conn: aiosqlite.Connection, item: Round, at: float, note: str, *, auto: bool = False
    ) -> None:
        note = " · ".join(n for n in (item.note, note.strip()) if n)
        count = await stored.finish(conn, item.id, at, note)
        ended = Round(
            item.id,
            item.chat_id,
            None,
            "",
            item.started_at,
            ended_at=at,
            note=note,
            count=count,
            card_message_id=item.card_message_id,
        )
        if item.card_message_id is not None:
            text = rules.card(self.ctx.texts, ended, self._zone, auto=auto)
            await self._edit(conn, item.chat_id, item.card_message_id, text, ())
        await self._forget_names(conn, item)
        log.info("round_ended", chat=item.chat_id, round=item.id, walkers=count, auto=auto)

    async def _post_card(self, conn: aiosqlite.Connection, round_id: int) -> None:
        item = await stored.get(conn, round_id)
        assert item is not None
        texts = self.ctx.texts
        say = Say(
            item.chat_id,
            rules.card(texts, item, self._zone),
            buttons=rules.buttons(texts, item),
            card=Card(CardKind.ROUND, item.id),
        )
        await outbox.enqueue(conn, say, self.ctx.clock())

    async def _refresh_card(self, conn: aiosqlite.Connection, round_id: int) -> None:
        item = await stored.get(conn, round_id)
        if item is None or item.card_message_id is None:
            return
        texts = self.ctx.texts
        text = rules.card(texts, item, self._zone)
        await self._edit(conn, item.chat_id, item.card_message_id, text, rules.buttons(texts, item))

    async def _edit(
        self,
        conn: aiosqlite.Connection,
        chat_id: int,
        message_id: int,
        text: str,
        buttons: tuple[tuple[str, str], ...],
    ) -> None:
        await outbox.enqueue(
            conn, EditMessage(chat_id, message_id, text, buttons=buttons), self.ctx.clock()
        )
