"""Resolve, retract, expire and list incidents; help; chats that come and go."""

from __future__ import annotations

import structlog

from relaybot.domain import rules
from relaybot.domain.chats import ChatKind
from relaybot.domain.model import Incident, Role, State
from relaybot.domain.render import TEXT_LIMIT, clock, cut, visible_len
from relaybot.service.base import Chat, Command
from relaybot.service.flagging import Flagging
from relaybot.storage import chats, incidents, outbox
from relaybot.storage.outbox import Priority

log = structlog.get_logger("relaybot.lifecycle")
LIST_RESERVE = 100  # room kept for the "and N more" line of /meldingen
HANDLED_KEEP = 7 * 24 * 3600.0
OUTBOX_KEEP = 30 * 24 * 3600.0


class Lifecycle(Flagging):
    async def _incident_of_reply(self, conn, command: Command, name: str) -> Incident | None:
        copy = None
        if command.replied is not None:
            copy = await incidents.copy_at(conn, command.chat.id, command.replied.message_id)
        if copy is None:
            await self.say(
                conn,
                command.chat.id,
                "need_reply_to_copy",
                reply_to=command.message_id,
                command=name,
            )
            return None
        return await incidents.get(conn, copy.incident)

    async def resolve(self, command: Command) -> None:
        """`/afgehandeld [note]`: every copy shows it is resolved; the button goes."""
        async with self.db.transaction() as conn:
            if not await chats.claim(conn, command.key, self.clock()):
                return
            incident = await self._incident_of_reply(conn, command, "/afgehandeld")
            if incident is None:
                pass
            elif (refusal := rules.closed_refusal(incident)) is not None:
                await self.refuse(conn, command, refusal)
            else:
                holding = await self.holding(conn, incident.number)
                allowed = rules.may_resolve(
                    self.kind(command.chat), command.actor, command.chat.id in holding
                )
                if not allowed:
                    await self.say(
                        conn, command.chat.id, "refuse_resolve", reply_to=command.message_id
                    )
                else:
                    await incidents.close(
                        conn,
                        incident.number,
                        State.RESOLVED,
                        self.clock(),
                        command.actor.name,
                        command.args.strip(),
                    )
                    await self._refresh_all(conn, incident)
                    await self.say(
                        conn,
                        command.chat.id,
                        "resolve_done",
                        reply_to=command.message_id,
                        number=incident.number,
                    )
                    log.info("incident_resolved", incident=incident.number, chat=command.chat.id)
        self.wake()

    async def retract(self, command: Command) -> None:
        """`/intrekken`: a false alarm. Every copy the bot made is deleted."""
        async with self.db.transaction() as conn:
            if not await chats.claim(conn, command.key, self.clock()):
                return
            incident = await self._incident_of_reply(conn, command, "/intrekken")
            if incident is None:
                pass
            elif (refusal := rules.closed_refusal(incident)) is not None:
                await self.refuse(conn, command, refusal)
            elif not rules.may_retract(
                self.kind(command.chat),
                command.actor,
                command.chat.id == self.directory.current(incident.source_chat_id),
            ):
                await self.say(conn, command.chat.id, "refuse_retract", reply_to=command.message_id)
            else:
                await incidents.close(
                    conn, incident.number, State.RETRACTED, self.clock(), command.actor.name
                )
                made = rules.retractable(
                    await incidents.copies(conn, incident.number), incident.source_chat_id
                )
                # also chats whose alert may be on its way: the delete waits behind it in that
                # chat's lane (an alert not yet sent is not sent at all: the incident is closed)
                targets = {c.chat_id for c in made} | set(await self.holding(conn, incident.number))
                for chat_id in sorted(targets):
                    await outbox.enqueue(
                        conn,
                        chat_id=chat_id,
                        action="delete",
                        now=self.clock(),
                        incident=incident.number,
                        priority=Priority.FLAG,
                    )
                source = self.directory.current(incident.source_chat_id) or incident.source_chat_id
                await self.say(
                    conn,
                    source,
                    "retract_done",
                    # the original's id means nothing in a group Telegram has since moved
                    reply_to=incident.origin_message_id
                    if source == incident.source_chat_id
                    else None,
                    number=incident.number,
                    count=len(made),
                )
                log.info(
                    "incident_retracted",
                    incident=incident.number,
                    chat=command.chat.id,
                    deleted=len(made),
                )
        self.wake()

    async def expire(self) -> int:
        """Close every open incident older than the policy allows. Returns how many."""
        ttl = self.network.policy.incident_ttl_hours
        now = self.clock()
        async with self.db.transaction() as conn:
            stale = [
                i for i in await incidents.open_incidents(conn) if rules.is_expired(i, now, ttl)
            ]
            for incident in stale:
                if await incidents.close(conn, incident.number, State.EXPIRED, now):
                    await self._refresh_all(conn, incident, priority=Priority.LOW)
                    log.info("incident_expired", incident=incident.number)
        if stale:
            self.wake()
        return len(stale)

    async def housekeeping(self) -> tuple[int, int]:
        """Forget what the job no longer needs: redelivery keys after a week (Telegram keeps
        undelivered updates for 24 hours) and finished outbox rows after a month."""
        now = self.clock()
        async with self.db.transaction() as conn:
            keys = await chats.forget_handled(conn, now - HANDLED_KEEP)
            rows = await outbox.forget_finished(conn, now - OUTBOX_KEEP)
        if keys or rows:
            log.info("housekeeping", keys=keys, outbox_rows=rows)
        return keys, rows

    async def list_open(self, command: Command) -> None:
        """`/meldingen`: the open incidents this chat holds (in the regie chat: all)."""
        kind = self.kind(command.chat)
        async with self.db.transaction() as conn:
            if not await chats.claim(conn, command.key, self.clock()):
                return
            if kind is ChatKind.REGIE:  # everything relayed; a local incident stays local
                found = [i for i in await incidents.open_incidents(conn) if i.relayed]
            else:
                found = await incidents.open_incidents(conn, self.directory.former(command.chat.id))
            if not found:
                await self.say(conn, command.chat.id, "incidents_none", reply_to=command.message_id)
            else:
                lines = [self.texts("incidents_header")]
                room = TEXT_LIMIT - LIST_RESERVE - visible_len(lines[0])
                for shown, incident in enumerate(found):
                    flag = "incidents_flag_yes" if incident.flag else "incidents_flag_no"
                    line = self.texts(
                        "incidents_line",
                        number=incident.number,
                        place=self.place_of(
                            self.directory.current(incident.source_chat_id)
                            or incident.source_chat_id
                        ),
                        time=clock(incident.created_at, self.network.timezone),
                        flag=self.texts(flag),
                        text=cut(incident.text, 80),
                    )
                    room -= visible_len(line) + 1
                    if room < 0:  # one message holds the list: say how many more there are
                        lines.append(self.texts("incidents_more", count=len(found) - shown))
                        break
                    lines.append(line)
                await outbox.enqueue(
                    conn,
                    chat_id=command.chat.id,
                    action="say",
                    now=self.clock(),
                    payload={"html": "\n".join(lines), "reply_to": command.message_id},
                )
        self.wake()

    async def help(self, command: Command) -> None:
        kind = self.kind(command.chat)
        key = {
            ChatKind.NEIGHBOURHOOD: "help_neighbourhood",
            ChatKind.REGIE: "help_regie",
            ChatKind.PRIVATE: "help_private",
        }.get(kind, "help_other")
        await self.answer_once(
            command, key, network=self.network.name, place=self.place_of(command.chat.id)
        )

    async def answer_once(self, command: Command, key: str, **values: object) -> None:
        """One line for the command's chat, once per command message."""
        async with self.db.transaction() as conn:
            if await chats.claim(conn, command.key, self.clock()):
                await self.say(conn, command.chat.id, key, reply_to=command.message_id, **values)
        self.wake()

    async def unknown_group(self, command: Command) -> None:
        """A command in a group that is not part of the network: one line, nothing relayed."""
        await self.answer_once(command, "unknown_group", network=self.network.name)

    async def bot_added(self, chat: Chat) -> None:
        """Tell the regiegroep once that the bot was added to a group outside the network."""
        if self.kind(chat) is not ChatKind.UNKNOWN:
            return
        async with self.db.transaction() as conn:
            if await chats.note_once(conn, chat.id, "announced_unknown", self.clock()):
                await self.say(
                    conn,
                    self.directory.regie_chat_id,
                    "regie_unknown_group",
                    title=chat.title,
                    chat_id=chat.id,
                )
                log.info("unknown_group_announced", chat=chat.id)
        self.wake()


__all__ = ["Lifecycle", "Role"]
