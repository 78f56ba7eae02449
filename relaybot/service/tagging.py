"""Tag up (/regie), follow-ups (/update) and edits of relayed messages."""

from __future__ import annotations

from collections.abc import Collection

import aiosqlite
import structlog

from relaybot.domain import rules
from relaybot.domain.chats import ChatKind
from relaybot.domain.intents import Alert, Followup
from relaybot.domain.model import Copy, Incident, Post, Role
from relaybot.domain.routing import radius_targets, tag_targets
from relaybot.domain.rules import Refusal
from relaybot.service.context import Command, Context
from relaybot.storage import counters, idempotency, incidents, outbox
from relaybot.storage.outbox import Priority

log = structlog.get_logger("relaybot.tagging")


class Tagging:
    """`/regie`, `/update` and edits of the messages the bot relayed."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def tag(self, command: Command) -> None:
        """`/regie`: relay the replied-to message, or add a follow-up to an incident."""
        kind = self.ctx.kind(command.chat)
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            replied = command.replied
            followed = await self._followed_incident(conn, command)
            existing = None
            if replied is not None:
                existing = await incidents.copy_at(conn, command.chat.id, replied.message_id)
            refusal = rules.check_tag(
                kind, command.actor, replied is not None, existing.incident if existing else None
            )
            local = await self._local_to_relay(conn, command, existing)
            if followed is not None:
                await self._follow_up(conn, command, kind, followed)
            elif local is not None and replied is not None:
                await incidents.mark_relayed(conn, local.number, command.args.strip())
                relayed = await incidents.get(conn, local.number)
                assert relayed is not None and local.source_slug is not None
                await self._relay_up(conn, command, relayed, local.source_slug, replied)
            elif refusal is not None or replied is None:
                await self.ctx.refuse(conn, command, refusal or Refusal("refuse_no_reply"))
            else:
                await self._create(conn, command, replied)
        self.ctx.wake()

    async def update(self, command: Command) -> None:
        """`/update`: a follow-up, by a co-admin or a contact person."""
        kind = self.ctx.kind(command.chat)
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            followed = await self._followed_incident(conn, command)
            if followed is None:
                await self.ctx.answer(conn, command, "need_reply_update")
            else:
                await self._follow_up(conn, command, kind, followed)
        self.ctx.wake()

    async def _local_to_relay(
        self, conn: aiosqlite.Connection, command: Command, existing: Copy | None
    ) -> Incident | None:
        """A co-admin's /regie on a message that is only a local incident (someone reported
        112 on it here): that incident goes up now, 112 state and all."""
        if existing is None or existing.role is not Role.ORIGINAL or not command.actor.is_co_admin:
            return None
        if self.ctx.kind(command.chat) is not ChatKind.NEIGHBOURHOOD:
            return None
        incident = await incidents.get(conn, existing.incident)
        if incident is None or incident.relayed or not incident.is_open:
            return None
        return incident

    async def _followed_incident(self, conn: aiosqlite.Connection, command: Command) -> int | None:
        """The incident whose copy the replied-to message answered, when it is not a copy
        itself: that message is a follow-up."""
        replied = command.replied
        if replied is None:
            return None
        if await incidents.copy_at(conn, command.chat.id, replied.message_id) is not None:
            return None
        linked = await incidents.reply_link(conn, command.chat.id, replied.message_id)
        if linked is None and command.replied_to is not None:
            copy = await incidents.copy_at(conn, command.chat.id, command.replied_to)
            linked = copy.incident if copy else None
        return linked

    async def _create(self, conn: aiosqlite.Connection, command: Command, replied: Post) -> None:
        slug = self.ctx.directory.slug_for(command.chat.id)
        assert slug is not None
        incident = await self.ctx.incident_from(
            conn, command.chat.id, replied, note=command.args.strip()
        )
        await self._relay_up(conn, command, incident, slug, replied)

    async def _relay_up(
        self,
        conn: aiosqlite.Connection,
        command: Command,
        incident: Incident,
        slug: str,
        replied: Post,
    ) -> None:
        """Send an incident to the regie chat and (by policy) the adjacent neighbourhoods,
        and confirm in the source chat where it went."""
        now = self.ctx.clock()
        radius = self.ctx.network.policy.alert_radius_m
        near = self.ctx.near_of(*replied.place, radius) if replied.place and radius else None
        targets = tag_targets(self.ctx.directory, slug, near)
        sent = [
            await outbox.enqueue(conn, Alert(chat_id, incident.number), now)
            for chat_id in targets.chats
        ]
        names = [self.ctx.texts("regie")] + [
            self.ctx.network.neighbourhoods[s].name for s in targets.slugs
        ]
        await self.ctx.say(
            conn,
            command.chat.id,
            "tag_done",
            reply_to=replied.message_id,
            incident=incident.number,
            settles=sent,
            number=incident.number,
            targets=self.ctx.texts.join(names),
        )
        hoods = self.ctx.network.neighbourhoods
        lines = (
            ("tag_radius", targets.by_radius, self.ctx.texts.join, {"metres": f"{radius:g}"}),
            ("tag_unlinked", targets.unlinked, ", ".join, {}),
        )
        for key, slugs, join, extra in lines:  # which the radius added; which had no chat
            if slugs:
                names = join([hoods[s].name for s in slugs])
                await self.ctx.say(
                    conn, command.chat.id, key, incident=incident.number, names=names, **extra
                )
        await counters.count(conn, slug, "raised", now)
        for target_slug in targets.slugs:
            await counters.count(conn, target_slug, "received", now)
        log.info(
            "incident_created",
            incident=incident.number,
            chat=command.chat.id,
            recipients=len(targets.chats),
        )

    async def _follow_up(
        self, conn: aiosqlite.Connection, command: Command, kind: ChatKind, number: int
    ) -> None:
        refusal = rules.check_followup(kind, command.actor)
        incident = await incidents.get(conn, number)
        assert incident is not None
        refusal = refusal or rules.closed_refusal(incident)
        if refusal is not None:
            await self.ctx.refuse(conn, command, refusal)
            return
        replied = command.replied
        assert replied is not None
        now = self.ctx.clock()
        followup = await incidents.add_followup(
            conn,
            incident=number,
            chat_id=command.chat.id,
            message_id=replied.message_id,
            text=replied.text,
            media=replied.media,
            place=self.ctx.place_of(command.chat.id),
            at=now,
        )
        holding = await self.ctx.holding(conn, number)
        others = [c for c in holding if c != command.chat.id]
        for chat_id in others:
            await outbox.enqueue(conn, Followup(chat_id, number, followup.id), now)
        if replied.place:
            await self._widen(conn, command, number, followup.id, replied.place, holding)
        await self.ctx.say(
            conn,
            command.chat.id,
            "followup_done",
            reply_to=replied.message_id,
            incident=number,
            number=number,
            groups=self.ctx.texts.count("count_groups", len(others)),
        )
        log.info("followup_added", incident=number, chat=command.chat.id, recipients=len(others))

    async def _widen(
        self,
        conn: aiosqlite.Connection,
        command: Command,
        number: int,
        followup: int,
        place: tuple[float, float],
        holding: Collection[int],
    ) -> None:
        """A follow-up that adds a place, with `alert_radius_m` set: the neighbourhoods within
        that distance that had not received the incident get the alert and this follow-up,
        and the co-admin is told which."""
        radius = self.ctx.network.policy.alert_radius_m
        if not radius:
            return
        targets = radius_targets(self.ctx.directory, self.ctx.near_of(*place, radius), holding)
        now = self.ctx.clock()
        for chat_id in targets.chats:
            await outbox.enqueue(conn, Alert(chat_id, number), now)
            await outbox.enqueue(conn, Followup(chat_id, number, followup), now)
        for slug in targets.slugs:
            await counters.count(conn, slug, "received", now)
        if targets.slugs:
            hoods = self.ctx.network.neighbourhoods
            names = self.ctx.texts.join([hoods[s].name for s in targets.slugs])
            await self.ctx.say(
                conn,
                command.chat.id,
                "tag_radius",
                incident=number,
                names=names,
                metres=f"{radius:g}",
            )
        log.info("followup_widened", incident=number, recipients=len(targets.chats))

    async def edited(self, chat_id: int, message_id: int, text: str, key: str) -> None:
        """The author edited a message: if it is an incident's original or a follow-up,
        every copy is edited to match."""
        async with self.ctx.db.transaction() as conn:
            copy = await incidents.copy_at(conn, chat_id, message_id)
            if copy is None or copy.role not in (Role.ORIGINAL, Role.FOLLOWUP_SOURCE):
                return
            if not await idempotency.claim(conn, key, self.ctx.clock()):
                return
            incident = await incidents.get(conn, copy.incident)
            assert incident is not None
            if copy.role is Role.ORIGINAL:
                await incidents.update_text(conn, incident.number, text)
                await self.ctx.refresh_copies(conn, incident, exclude=chat_id)
            elif copy.followup is not None:
                await incidents.update_followup_text(conn, copy.followup, text)
                await self.ctx.refresh_copies(
                    conn, incident, exclude=chat_id, priority=Priority.LOW, followup=copy.followup
                )
            log.info("copies_refreshed", incident=incident.number, chat=chat_id, reason="edit")
        self.ctx.wake()
