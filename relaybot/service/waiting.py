"""The waiting list for streets without a group (issue 28): residents whose sign-up matched
no neighbourhood wait per street. Once `start_group_at` of one street wait, the regiegroep
gets one card without names ("6 bewoners van de Kerkakker willen een buurtgroep"). Once a
group is there for the street (linked with /koppel, or given in the network file), the
regiegroep gets one card to admit them all; approving sends each an invite link, exactly as
an admitted sign-up gets (the join request is approved by the same use case).

Sign-ups join the list in the sign-up use case (and leave it with `/vergeet`, which erases
the sign-up), which also admits them (given here as `Admission`); this use case watches the
list on the clock."""

from __future__ import annotations

import html
from typing import Protocol

import aiosqlite
import structlog

from relaybot.domain import signup as rules
from relaybot.domain.intents import EditMessage, Say
from relaybot.domain.model import Actor
from relaybot.domain.texts import Raw
from relaybot.domain.waiting import PREFIX
from relaybot.service.context import NO_TURN, Answer, Context, Turn
from relaybot.service.ports import Telegram, not_in_regie
from relaybot.storage import idempotency, outbox, waiting
from relaybot.storage.waiting import Area

log = structlog.get_logger("relaybot.waiting")

START = ""  # the slug of an area's card that asks for a group


class Admission(Protocol):
    """What admits one waiting resident (the sign-up use case does)."""

    async def admit_waiting(self, signup_id: int, target: str, actor: Actor) -> bool: ...


class WaitingList:
    """Cards to the regiegroep about the streets that wait, and admitting them."""

    def __init__(self, ctx: Context, admission: Admission, telegram: Telegram) -> None:
        self.ctx = ctx
        self.admission = admission  # admits each waiting resident as any sign-up
        self.telegram = telegram  # who may decide: members of the regiegroep

    def _linked(self, area: Area) -> str | None:
        """The neighbourhood with a group that now covers the area (a buurt of the map, by
        its code) or lists its street, if any."""
        if area.key.startswith("BU"):  # street keys are folded to lower case
            covering = self.ctx.network.by_area().get(area.key)
            slugs: tuple[str, ...] = (covering,) if covering else ()
        else:
            slugs = rules.match_street(self.ctx.network, area.name)
        for slug in slugs:
            if self.ctx.directory.chat_for(slug) is not None:
                return slug
        return None

    async def tick(self) -> int:
        """Look at every street that waits: a group for it is there (a card to admit them,
        once), or enough wait to start one (a card asking for a group, once). Returns how
        many cards were queued."""
        now = self.ctx.clock()
        made = 0
        async with self.ctx.db.transaction() as conn:
            for area in await waiting.areas(conn):
                slug = self._linked(area)
                if slug is not None:
                    made += await self._card(conn, area, slug, now)
                elif len(area.signups) >= self.ctx.network.policy.start_group_at:
                    made += await self._card(conn, area, START, now)
        if made:
            self.ctx.wake()
        return made

    async def _card(self, conn: aiosqlite.Connection, area: Area, slug: str, now: float) -> int:
        if await waiting.card(conn, area.key, slug) is not None:
            return 0  # one card per street (and per group for it)
        card_id = await waiting.new_card(conn, area.key, slug, len(area.signups), now)
        regie = self.ctx.directory.regie_chat_id
        if slug == START:
            count = len(area.signups)
            text = self.ctx.texts(
                "waiting_card_start",
                residents=self.ctx.texts.count("count_residents", count),
                want=self.ctx.texts.count("count_want", count),
                street=area.name,
            )
            await outbox.enqueue(conn, Say(regie, text), now)
        else:
            texts = self.ctx.texts
            buttons = (
                (texts("button_waiting_admit"), f"{PREFIX}:ok:{card_id}"),
                (texts("button_waiting_hold"), f"{PREFIX}:no:{card_id}"),
            )
            await outbox.enqueue(
                conn, Say(regie, self._admit_text(area, slug), buttons=buttons), now
            )
        log.info("waiting_card", area_residents=len(area.signups), admit=slug != START)
        return 1

    def _admit_text(self, area: Area, slug: str) -> str:
        count = len(area.signups)
        return self.ctx.texts(
            "waiting_card_admit",
            residents=self.ctx.texts.count("count_waiting_residents", count),
            can=self.ctx.texts.count("count_can", count),
            street=area.name,
            place=self.ctx.directory.place(slug, self.ctx.texts("regie")),
        )

    async def press(
        self,
        card_id: int,
        verb: str,
        actor: Actor,
        message_id: int,
        key: str,
        turn: Turn = NO_TURN,
    ) -> Answer:
        """A contact person approves the card (each waiting resident of the street gets an
        invite link to the group) or holds it (they keep waiting). Only a member of the
        regiegroep decides, asked of Telegram at the press; the press then waits its `turn`
        behind earlier presses on the card, so the first press decides."""
        if await not_in_regie(self.telegram, self.ctx.directory.regie_chat_id, actor.user_id):
            return Answer(html.unescape(self.ctx.texts("regie_answer_not_member")), alert=True)
        async with turn:
            return await self._decide(card_id, verb, actor, message_id, key)

    async def _decide(
        self, card_id: int, verb: str, actor: Actor, message_id: int, key: str
    ) -> Answer:
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, now):
                return Answer("")
            card = await waiting.card_by_id(conn, card_id)
            if card is None or not card.slug:
                return Answer("")
            if not await waiting.decide(conn, card_id, actor.name, now):
                text = self.ctx.texts("waiting_answer_already", by=card.decided_by)
                return Answer(html.unescape(text), alert=True)
            area = next((a for a in await waiting.areas(conn) if a.key == card.area), None)
        if area is None:  # everyone left the list meanwhile
            area = Area(card.area, "", ())
        admitted = 0
        if verb == "ok":
            for signup_id in area.signups:
                admitted += await self.admission.admit_waiting(signup_id, card.slug, actor)
        place = self.ctx.directory.place(card.slug, self.ctx.texts("regie"))
        shown = self._admit_text(area, card.slug) if area.name else ""
        key_done = "waiting_card_admitted" if verb == "ok" else "waiting_card_held"
        text = self.ctx.texts(key_done, card=Raw(shown), count=admitted, place=place, by=actor.name)
        async with self.ctx.db.transaction() as conn:
            edit = EditMessage(self.ctx.directory.regie_chat_id, message_id, text)
            await outbox.enqueue(conn, edit, self.ctx.clock())
        log.info("waiting_decided", admitted=admitted, approve=verb == "ok")
        self.ctx.wake()
        return Answer(self.ctx.texts("waiting_answer_done"))
