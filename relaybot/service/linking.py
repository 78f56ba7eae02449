"""Linking a group to a neighbourhood at run time: `/koppel` asks, a card in the regie chat
decides."""

from __future__ import annotations

import html

import aiosqlite
import structlog

from relaybot.domain.intents import Card, CardKind, EditMessage, Say
from relaybot.domain.model import Actor
from relaybot.domain.routing import check_link
from relaybot.domain.rules import Refusal
from relaybot.domain.texts import Raw
from relaybot.service.context import NO_TURN, Answer, Command, Context, Turn
from relaybot.service.ports import Telegram, not_in_regie
from relaybot.storage import chats, idempotency, outbox
from relaybot.storage.chats import LinkRequest
from relaybot.storage.signups import MAX_ID

log = structlog.get_logger("relaybot.regie")

LINK_APPROVE = "koppel:ok"
LINK_DECLINE = "koppel:no"


class Linking:
    """`/koppel` and the decision buttons on its card."""

    def __init__(self, ctx: Context, telegram: Telegram) -> None:
        self.ctx = ctx
        self.telegram = telegram  # whether a presser is in the regiegroep

    async def request_link(self, command: Command) -> None:
        """`/koppel <slug>` by a co-admin of a group outside the network: a card with decision
        buttons for the regie chat (through the outbox, like everything the bot sends), or a
        refusal."""
        slug = command.args.strip().split()[0].lower() if command.args.strip() else ""
        kind = self.ctx.kind(command.chat)
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            refusal = check_link(
                self.ctx.directory, slug, command.chat.id, kind, command.actor.is_co_admin
            )
            if refusal is None and await chats.pending_link_request(conn, command.chat.id):
                refusal = Refusal("refuse_link_pending")
            if refusal is not None:
                await self.ctx.refuse(conn, command, refusal)
            else:
                request = await chats.add_link_request(
                    conn,
                    command.chat.id,
                    command.chat.title,
                    slug,
                    command.actor.name,
                    self.ctx.clock(),
                )
                name = self.ctx.network.neighbourhoods[slug].name
                await self.ctx.say(
                    conn, command.chat.id, "link_asked", reply_to=command.message_id, name=name
                )
                buttons = (
                    (self.ctx.texts("button_link_ok"), f"{LINK_APPROVE}:{request.id}"),
                    (self.ctx.texts("button_link_no"), f"{LINK_DECLINE}:{request.id}"),
                )
                card = Say(
                    self.ctx.directory.regie_chat_id,
                    self._card_html(request),
                    buttons=buttons,
                    card=Card(CardKind.LINK_REQUEST, request.id),
                )
                await outbox.enqueue(conn, card, self.ctx.clock())
                log.info("link_requested", chat=command.chat.id, request=request.id, slug=slug)
        self.ctx.wake()

    def _card_html(self, request: LinkRequest) -> str:
        return self.ctx.texts(
            "link_card",
            id=request.id,
            title=request.title,
            chat_id=request.chat_id,
            place=self.ctx.directory.place(request.slug, self.ctx.texts("regie")),
            by=request.asked_by,
        )

    async def decide_link(
        self,
        request_id: int,
        approve: bool,
        actor: Actor,
        card_message_id: int,
        key: str,
        turn: Turn = NO_TURN,
    ) -> Answer:
        """A contact person pressed approve or decline on a card. The first press decides
        (a press waits its `turn` behind earlier ones on the card); the card then shows the
        decision and who took it. Only a member of the regiegroep decides, asked of Telegram
        at the press; a number no request can have (a forged button) is answered as gone."""
        if await not_in_regie(self.telegram, self.ctx.directory.regie_chat_id, actor.user_id):
            return Answer(html.unescape(self.ctx.texts("regie_answer_not_member")), alert=True)
        if not 0 < request_id <= MAX_ID:
            return Answer(self.ctx.texts("link_answer_gone"), alert=True)
        async with turn:
            return await self._decide(request_id, approve, actor, card_message_id, key)

    async def _decide(
        self, request_id: int, approve: bool, actor: Actor, card_message_id: int, key: str
    ) -> Answer:
        linked = False
        gone = Answer(self.ctx.texts("link_answer_gone"), alert=True)
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, self.ctx.clock()):
                return Answer("")
            request = await chats.link_request(conn, request_id)
            if request is None:
                return gone
            if request.state != "pending":
                text = self.ctx.texts("link_answer_already", by=request.decided_by)
                return Answer(html.unescape(text), alert=True)
            message_id = request.card_message_id or card_message_id
            card = Raw(self._card_html(request))
            refusal = None
            if approve:
                kind = self.ctx.directory.kind(request.chat_id)
                refusal = check_link(self.ctx.directory, request.slug, request.chat_id, kind, True)
            now = self.ctx.clock()
            if refusal is not None:
                reason = self.ctx.texts(refusal.key, **refusal.values)
                await chats.decide_link_request(conn, request.id, "declined", actor.name, now)
                await self._edit_card(conn, message_id, "link_card_void", card, Raw(reason))
                await self.ctx.say(conn, request.chat_id, refusal.key, **refusal.values)
                answer = Answer(html.unescape(reason), alert=True)
            elif approve:
                await chats.decide_link_request(conn, request.id, "approved", actor.name, now)
                await chats.drop_stale_links(conn, request.slug, request.chat_id)
                await chats.link(
                    conn, request.slug, request.chat_id, request.title, actor.name, now
                )
                await self._edit_card(conn, message_id, "link_card_approved", card, actor.name)
                await self.ctx.say(
                    conn,
                    request.chat_id,
                    "link_welcome",
                    place=self.ctx.directory.place(request.slug, self.ctx.texts("regie")),
                    network=self.ctx.network.name,
                )
                answer = Answer(self.ctx.texts("link_answer_approved"))
                linked = True
            else:
                await chats.decide_link_request(conn, request.id, "declined", actor.name, now)
                await self._edit_card(conn, message_id, "link_card_declined", card, actor.name)
                name = self.ctx.network.neighbourhoods[request.slug].name
                await self.ctx.say(conn, request.chat_id, "link_declined", name=name)
                answer = Answer(self.ctx.texts("link_answer_declined"))
            log.info(
                "link_decided",
                request=request.id,
                chat=request.chat_id,
                slug=request.slug,
                approved=linked,
            )
        if linked:
            await self.ctx.reload_directory()
        self.ctx.wake()
        return answer

    async def _edit_card(
        self, conn: aiosqlite.Connection, message_id: int, key: str, card: Raw, by: object
    ) -> None:
        values = {"card": card, "reason" if key == "link_card_void" else "by": by}
        text = self.ctx.texts(key, **values)
        edit = EditMessage(self.ctx.directory.regie_chat_id, message_id, text)
        await outbox.enqueue(conn, edit, self.ctx.clock())
