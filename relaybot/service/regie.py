"""The regiegroep's side: forwarding down (/doorsturen), regie-originated incidents,
linking chats at run time (/koppel) and who is adjacent to whom (/buren)."""

from __future__ import annotations

import html

import aiosqlite
import structlog

from relaybot.domain import rules
from relaybot.domain.chats import ChatKind
from relaybot.domain.model import Actor, Incident, Post
from relaybot.domain.routing import (
    Targets,
    UnknownTargets,
    check_forward,
    check_link,
    forward_words,
    resolve_forward,
)
from relaybot.domain.rules import Refusal
from relaybot.domain.texts import Raw
from relaybot.service.base import Answer, Command
from relaybot.service.delivery import Delivery
from relaybot.storage import chats, incidents, outbox
from relaybot.storage.chats import LinkRequest
from relaybot.storage.outbox import Row

NEIGHBOURS_WORDS = frozenset({"buren", "neighbours", "neighbors"})
log = structlog.get_logger("relaybot.regie")

LINK_APPROVE = "koppel:ok"
LINK_DECLINE = "koppel:no"


class Regie(Delivery):
    # --- /doorsturen --------------------------------------------------------------------------

    async def forward(self, command: Command) -> None:
        """`/doorsturen [targets]` in the regie chat: send a copy's incident down, or start an
        incident from a regie message (news from the police, a missing person)."""
        async with self.db.transaction() as conn:
            if not await chats.claim(conn, command.key, self.clock()):
                return
            refusal = check_forward(self.kind(command.chat), command.replied is not None)
            if refusal is not None or command.replied is None:
                await self.refuse(conn, command, refusal or Refusal("forward_usage"))
            else:
                words = forward_words(command.args)
                copy = await incidents.copy_at(conn, command.chat.id, command.replied.message_id)
                if copy is not None:
                    incident = await incidents.get(conn, copy.incident)
                    assert incident is not None
                    await self._forward_existing(conn, command, incident, words)
                elif not words or all(w.lower() in NEIGHBOURS_WORDS for w in words):
                    # a regie message has no neighbours of its own: targets are required
                    await self.refuse(conn, command, Refusal("forward_usage_new"))
                elif not command.replied.text and command.replied.media is None:
                    await self.refuse(conn, command, Refusal("forward_nothing"))
                else:
                    await self._forward_new(conn, command, command.replied, words)
        self.wake()

    async def _forward_existing(
        self, conn: aiosqlite.Connection, command: Command, incident: Incident, words: list[str]
    ) -> None:
        if (refusal := rules.closed_refusal(incident)) is not None:
            await self.refuse(conn, command, refusal)
            return
        holding = await self.holding(conn, incident.number)
        targets = resolve_forward(self.directory, words, incident.source_slug, holding)
        if isinstance(targets, UnknownTargets):
            await self._refuse_unknown(conn, command, targets)
            return
        await self._deliver_down(conn, command, incident, targets)

    async def _forward_new(
        self, conn: aiosqlite.Connection, command: Command, replied: Post, words: list[str]
    ) -> None:
        targets = resolve_forward(self.directory, words, None)
        if isinstance(targets, UnknownTargets):
            await self._refuse_unknown(conn, command, targets)
            return
        now = self.clock()
        incident = await self.incident_from(conn, command.chat.id, replied)
        await chats.count(conn, "regie", "raised", now)
        log.info("regie_incident_created", incident=incident.number, chat=command.chat.id)
        await self._deliver_down(conn, command, incident, targets)

    async def _refuse_unknown(
        self, conn: aiosqlite.Connection, command: Command, unknown: UnknownTargets
    ) -> None:
        names = ", ".join(unknown.names)
        await self.refuse(conn, command, Refusal("refuse_forward_unknown", {"names": names}))

    async def _deliver_down(
        self, conn: aiosqlite.Connection, command: Command, incident: Incident, targets: Targets
    ) -> None:
        """Queue an alert for every target chat and one line in the regie chat."""
        now = self.clock()
        for chat_id in targets.chats:
            await outbox.enqueue(
                conn, chat_id=chat_id, action="alert", now=now, incident=incident.number
            )
        for slug in targets.slugs:
            await chats.count(conn, slug, "received", now)
        parts = [
            self.texts(
                "forward_done",
                number=incident.number,
                targets=Raw(self.texts.join([html.escape(n) for n in self._names(targets.slugs)])),
            )
            if targets.chats
            else self.texts("forward_none", number=incident.number)
        ]
        if targets.skipped:
            parts.append(
                self.texts("forward_skipped", names=", ".join(self._names(targets.skipped)))
            )
        if targets.unlinked:
            parts.append(
                self.texts("forward_unlinked", names=", ".join(self._names(targets.unlinked)))
            )
        await outbox.enqueue(
            conn,
            chat_id=command.chat.id,
            action="say",
            now=now,
            incident=incident.number,
            payload={"html": " ".join(parts), "reply_to": command.message_id},
        )
        log.info(
            "incident_forwarded",
            incident=incident.number,
            chat=command.chat.id,
            recipients=len(targets.chats),
            skipped=len(targets.skipped),
        )

    def _names(self, slugs: tuple[str, ...]) -> list[str]:
        return [self.network.neighbourhoods[slug].name for slug in slugs]

    # --- /buren -------------------------------------------------------------------------------

    async def neighbours(self, command: Command) -> None:
        """`/buren`: the neighbourhoods adjacent to this chat's (elsewhere: `/buren <slug>`)."""
        kind = self.kind(command.chat)
        slug = self.directory.slug_for(command.chat.id) if kind is ChatKind.NEIGHBOURHOOD else None
        asked = command.args.strip().lower()
        async with self.db.transaction() as conn:
            if not await chats.claim(conn, command.key, self.clock()):
                return
            if slug is None and not asked:
                example = next(iter(self.network.neighbourhoods), "goor-oost")
                key, values = "buren_usage", {"example": example}
            elif slug is None and asked not in self.network.neighbourhoods:
                key, values = "buren_unknown", {"slug": asked}
            else:
                key, values = self._neighbours_line(slug or asked)
            await self.say(conn, command.chat.id, key, reply_to=command.message_id, **values)
        self.wake()

    def _neighbours_line(self, slug: str) -> tuple[str, dict[str, object]]:
        place = self.directory.place(slug, self.texts("regie"))
        adjacent = self.network.neighbours(slug)
        if not adjacent:
            return "buren_none", {"place": place}
        names = []
        for other in adjacent:
            where = self.directory.place(other, self.texts("regie"))
            if not self.directory.is_linked(other):
                where = html.unescape(self.texts("buren_unlinked", place=where))
            names.append(html.escape(where, quote=False))
        return "buren_line", {"place": place, "names": Raw(", ".join(names))}

    # --- /koppel ------------------------------------------------------------------------------

    async def request_link(self, command: Command) -> None:
        """`/koppel <slug>` by a co-admin of a group outside the network: a card with decision
        buttons for the regie chat (through the outbox, like everything the bot sends), or a
        refusal."""
        slug = command.args.strip().split()[0].lower() if command.args.strip() else ""
        kind = self.kind(command.chat)
        async with self.db.transaction() as conn:
            if not await chats.claim(conn, command.key, self.clock()):
                return
            refusal = check_link(
                self.directory, slug, command.chat.id, kind, command.actor.is_co_admin
            )
            if refusal is None and await chats.pending_link_request(conn, command.chat.id):
                refusal = Refusal("refuse_link_pending")
            if refusal is not None:
                await self.refuse(conn, command, refusal)
            else:
                request = await chats.add_link_request(
                    conn,
                    command.chat.id,
                    command.chat.title,
                    slug,
                    command.actor.name,
                    self.clock(),
                )
                name = self.network.neighbourhoods[slug].name
                await self.say(
                    conn, command.chat.id, "link_asked", reply_to=command.message_id, name=name
                )
                buttons = [
                    [self.texts("button_link_ok"), f"{LINK_APPROVE}:{request.id}"],
                    [self.texts("button_link_no"), f"{LINK_DECLINE}:{request.id}"],
                ]
                await outbox.enqueue(
                    conn,
                    chat_id=self.directory.regie_chat_id,
                    action="say",
                    now=self.clock(),
                    payload={
                        "html": self._card_html(request),
                        "buttons": buttons,
                        "link_request": request.id,
                    },
                )
                log.info("link_requested", chat=command.chat.id, request=request.id, slug=slug)
        self.wake()

    async def _completed(
        self, conn: aiosqlite.Connection, row: Row, message_id: int | None
    ) -> None:
        """A delivered card: remember its message, so the decision can edit it."""
        request = row.payload.get("link_request")
        if request is not None and message_id is not None:
            await chats.set_link_card(conn, int(str(request)), message_id)
        await super()._completed(conn, row, message_id)

    def _card_html(self, request: LinkRequest) -> str:
        return self.texts(
            "link_card",
            id=request.id,
            title=request.title,
            chat_id=request.chat_id,
            place=self.directory.place(request.slug, self.texts("regie")),
            by=request.asked_by,
        )

    async def decide_link(
        self, request_id: int, approve: bool, actor: Actor, card_message_id: int, key: str
    ) -> Answer:
        """A contact person pressed approve or decline on a card. The first press decides;
        the card then shows the decision and who took it."""
        linked = False
        async with self.db.transaction() as conn:
            if not await chats.claim(conn, key, self.clock()):
                return Answer("")
            request = await chats.link_request(conn, request_id)
            if request is None:
                return Answer("")
            if request.state != "pending":
                text = self.texts("link_answer_already", by=request.decided_by)
                return Answer(html.unescape(text), alert=True)
            message_id = request.card_message_id or card_message_id
            card = Raw(self._card_html(request))
            refusal = None
            if approve:
                kind = self.directory.kind(request.chat_id)
                refusal = check_link(self.directory, request.slug, request.chat_id, kind, True)
            now = self.clock()
            if refusal is not None:
                reason = self.texts(refusal.key, **refusal.values)
                await chats.decide_link_request(conn, request.id, "declined", actor.name, now)
                await self._edit_card(conn, message_id, "link_card_void", card, Raw(reason))
                await self.say(conn, request.chat_id, refusal.key, **refusal.values)
                answer = Answer(html.unescape(reason), alert=True)
            elif approve:
                await chats.decide_link_request(conn, request.id, "approved", actor.name, now)
                await chats.drop_stale_links(conn, request.slug, request.chat_id)
                await chats.link(
                    conn, request.slug, request.chat_id, request.title, actor.name, now
                )
                await self._edit_card(conn, message_id, "link_card_approved", card, actor.name)
                await self.say(
                    conn,
                    request.chat_id,
                    "link_welcome",
                    place=self.directory.place(request.slug, self.texts("regie")),
                    network=self.network.name,
                )
                answer = Answer(self.texts("link_answer_approved"))
                linked = True
            else:
                await chats.decide_link_request(conn, request.id, "declined", actor.name, now)
                await self._edit_card(conn, message_id, "link_card_declined", card, actor.name)
                name = self.network.neighbourhoods[request.slug].name
                await self.say(conn, request.chat_id, "link_declined", name=name)
                answer = Answer(self.texts("link_answer_declined"))
            log.info(
                "link_decided",
                request=request.id,
                chat=request.chat_id,
                slug=request.slug,
                approved=linked,
            )
        if linked:
            await self.load()
        self.wake()
        return answer

    async def _edit_card(
        self, conn: aiosqlite.Connection, message_id: int, key: str, card: Raw, by: object
    ) -> None:
        values = {"card": card, "reason" if key == "link_card_void" else "by": by}
        await outbox.enqueue(
            conn,
            chat_id=self.directory.regie_chat_id,
            action="edit",
            now=self.clock(),
            payload={"html": self.texts(key, **values), "message_id": message_id},
        )
