"""The regiegroep sends incidents down (/doorsturen), or starts one from its own message
(news from the police, a missing person); /buren says who is adjacent to whom."""

from __future__ import annotations

import html

import aiosqlite
import structlog

from relaybot.domain import rules
from relaybot.domain.chats import ChatKind
from relaybot.domain.intents import Alert, Say
from relaybot.domain.model import Incident, Post
from relaybot.domain.routing import (
    Targets,
    UnknownTargets,
    check_forward,
    forward_words,
    resolve_forward,
)
from relaybot.domain.rules import Refusal
from relaybot.domain.texts import Raw
from relaybot.service.context import Command, Context
from relaybot.storage import counters, idempotency, incidents, outbox

NEIGHBOURS_WORDS = frozenset({"buren", "neighbours", "neighbors"})
log = structlog.get_logger("relaybot.regie")


class Forwarding:
    """`/doorsturen` and `/buren`."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def forward(self, command: Command) -> None:
        """`/doorsturen [targets]` in the regie chat: send a copy's incident down, or start an
        incident from a regie message (news from the police, a missing person)."""
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            refusal = check_forward(self.ctx.kind(command.chat), command.replied is not None)
            if refusal is not None or command.replied is None:
                await self.ctx.refuse(conn, command, refusal or Refusal("forward_usage"))
            else:
                words = forward_words(command.args)
                copy = await incidents.copy_at(conn, command.chat.id, command.replied.message_id)
                if copy is not None:
                    incident = await incidents.get(conn, copy.incident)
                    assert incident is not None
                    await self._forward_existing(conn, command, incident, words)
                elif not words or all(w.lower() in NEIGHBOURS_WORDS for w in words):
                    # a regie message has no neighbours of its own: targets are required
                    await self.ctx.refuse(conn, command, Refusal("forward_usage_new"))
                elif not command.replied.text and command.replied.media is None:
                    await self.ctx.refuse(conn, command, Refusal("forward_nothing"))
                else:
                    await self._forward_new(conn, command, command.replied, words)
        self.ctx.wake()

    async def _forward_existing(
        self, conn: aiosqlite.Connection, command: Command, incident: Incident, words: list[str]
    ) -> None:
        if (refusal := rules.closed_refusal(incident)) is not None:
            await self.ctx.refuse(conn, command, refusal)
            return
        holding = await self.ctx.holding(conn, incident.number)
        targets = resolve_forward(self.ctx.directory, words, incident.source_slug, holding)
        if isinstance(targets, UnknownTargets):
            await self._refuse_unknown(conn, command, targets)
            return
        await self._deliver_down(conn, command, incident, targets)

    async def _forward_new(
        self, conn: aiosqlite.Connection, command: Command, replied: Post, words: list[str]
    ) -> None:
        targets = resolve_forward(self.ctx.directory, words, None)
        if isinstance(targets, UnknownTargets):
            await self._refuse_unknown(conn, command, targets)
            return
        now = self.ctx.clock()
        incident = await self.ctx.incident_from(conn, command.chat.id, replied)
        await counters.count(conn, "regie", "raised", now)
        log.info("regie_incident_created", incident=incident.number, chat=command.chat.id)
        await self._deliver_down(conn, command, incident, targets)

    async def _refuse_unknown(
        self, conn: aiosqlite.Connection, command: Command, unknown: UnknownTargets
    ) -> None:
        names = ", ".join(unknown.names)
        await self.ctx.refuse(conn, command, Refusal("refuse_forward_unknown", {"names": names}))

    async def _deliver_down(
        self, conn: aiosqlite.Connection, command: Command, incident: Incident, targets: Targets
    ) -> None:
        """Queue an alert for every target chat and one line in the regie chat."""
        now = self.ctx.clock()
        sent = [
            await outbox.enqueue(conn, Alert(chat_id, incident.number), now)
            for chat_id in targets.chats
        ]
        for slug in targets.slugs:
            await counters.count(conn, slug, "received", now)
        parts = [
            self.ctx.texts(
                "forward_done",
                number=incident.number,
                targets=Raw(
                    self.ctx.texts.join([html.escape(n) for n in self._names(targets.slugs)])
                ),
            )
            if targets.chats
            else self.ctx.texts("forward_none", number=incident.number)
        ]
        if targets.skipped:
            parts.append(
                self.ctx.texts("forward_skipped", names=", ".join(self._names(targets.skipped)))
            )
        if targets.unlinked:
            parts.append(
                self.ctx.texts("forward_unlinked", names=", ".join(self._names(targets.unlinked)))
            )
        # settles: edited once the alerts are delivered, to say who received them
        line = Say(
            command.chat.id,
            " ".join(parts),
            reply_to=command.message_id,
            incident=incident.number,
            settles=tuple(sent),
        )
        await outbox.enqueue(conn, line, now)
        log.info(
            "incident_forwarded",
            incident=incident.number,
            chat=command.chat.id,
            recipients=len(targets.chats),
            skipped=len(targets.skipped),
        )

    def _names(self, slugs: tuple[str, ...]) -> list[str]:
        return [self.ctx.network.neighbourhoods[slug].name for slug in slugs]

    async def neighbours(self, command: Command) -> None:
        """`/buren`: the neighbourhoods adjacent to this chat's (elsewhere: `/buren <slug>`)."""
        kind = self.ctx.kind(command.chat)
        slug = (
            self.ctx.directory.slug_for(command.chat.id) if kind is ChatKind.NEIGHBOURHOOD else None
        )
        asked = command.args.strip().lower()
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            if kind not in (ChatKind.NEIGHBOURHOOD, ChatKind.REGIE, ChatKind.COORDINATORS):
                # a private chat (or a stranger) learns nothing of the network's layout
                key, values = "buren_outside", {}
            elif slug is None and not asked:
                example = next(iter(self.ctx.network.neighbourhoods), "goor-oost")
                key, values = "buren_usage", {"example": example}
            elif slug is None and asked not in self.ctx.network.neighbourhoods:
                key, values = "buren_unknown", {"slug": asked}
            else:
                key, values = self._neighbours_line(slug or asked)
            await self.ctx.answer(conn, command, key, **values)
        self.ctx.wake()

    def _neighbours_line(self, slug: str) -> tuple[str, dict[str, object]]:
        place = self.ctx.directory.place(slug, self.ctx.texts("regie"))
        adjacent = self.ctx.network.neighbours(slug)
        if not adjacent:
            return "buren_none", {"place": place}
        names = []
        for other in adjacent:
            where = self.ctx.directory.place(other, self.ctx.texts("regie"))
            if not self.ctx.directory.is_linked(other):
                where = html.unescape(self.ctx.texts("buren_unlinked", place=where))
            names.append(html.escape(where, quote=False))
        return "buren_line", {"place": place, "names": Raw(", ".join(names))}
