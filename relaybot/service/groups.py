"""Chat-level answers and the bot's own membership of chats: help, a command in a group
outside the network, the bot added to or removed from a chat, a group that moved, and leaving
the groups outside the network that never asked to be linked."""

from __future__ import annotations

from typing import Protocol

import structlog

from relaybot.domain.chats import ChatKind
from relaybot.domain.intents import Say
from relaybot.service.context import Chat, Command, Context
from relaybot.service.ports import Telegram, TelegramRefused
from relaybot.storage import chats, idempotency, outbox
from relaybot.storage.outbox import Priority

log = structlog.get_logger("relaybot.groups")
UNKNOWN_SINCE = "unknown_since"  # chat note: when the bot first saw a group outside the network
# groups left per round (the expiry round, once a minute): a flood of groups added at once is
# left over some minutes, and the round, beside the updates, never spends long on Telegram
LEAVES_PER_ROUND = 10


class ChatOutcomes(Protocol):
    """What delivery records when a chat changes for the bot: where the outbox may still
    send, and to which id (relaybot/service/delivery.py `Delivery`)."""

    async def chat_moved(self, old: int, new: int) -> None: ...

    async def chat_refused(self, chat_id: int, reason: str) -> None: ...

    async def chat_welcomed_back(self, chat_id: int) -> None: ...


class Groups:
    """What the bot says about itself and about chats, not about an incident."""

    def __init__(self, ctx: Context, telegram: Telegram, outcomes: ChatOutcomes) -> None:
        self.ctx = ctx
        self.telegram = telegram  # to leave a group
        self.outcomes = outcomes
        self._seen_unknown: set[int] = set()  # unknown groups noted in this run

    async def help(self, command: Command) -> None:
        kind = self.ctx.kind(command.chat)
        key = {
            ChatKind.NEIGHBOURHOOD: "help_neighbourhood",
            ChatKind.REGIE: "help_regie",
            ChatKind.PRIVATE: "help_private",
        }.get(kind, "help_other")
        await self.answer_once(
            command, key, network=self.ctx.network.name, place=self.ctx.place_of(command.chat.id)
        )

    async def answer_once(self, command: Command, key: str, **values: object) -> None:
        """One line for the command's chat, once per command message (within the answer
        limits of the chat and the person)."""
        async with self.ctx.db.transaction() as conn:
            if await idempotency.claim(conn, command.key, self.ctx.clock()):
                await self.ctx.answer(conn, command, key, **values)
        self.ctx.wake()

    # --- the bot's membership of chats ---------------------------------------------------------

    async def membership_changed(
        self, chat: Chat, *, was_in: bool, now_in: bool, status: str, added_by: str, key: str
    ) -> None:
        """The bot's own status in a chat changed (`status`: Telegram's new one; `key`: the
        update). Added: the chat may be sent to again, and a group outside the network is
        announced. Removed from a network chat: nothing more is sent there, and the
        regiegroep and the coordinators hear of it; from a group outside the network: that
        group is forgotten."""
        if now_in and not was_in:
            await self.outcomes.chat_welcomed_back(chat.id)
            await self.bot_added(chat, added_by=added_by)
        elif was_in and not now_in and self.ctx.directory.in_network(chat.id):
            await self.outcomes.chat_refused(chat.id, f"bot {status}")
            await self.bot_removed(chat.id, key)
        elif was_in and not now_in:
            await self.left_unknown(chat.id)

    async def moved(self, old: int, new: int) -> None:
        """Telegram moved a group to a new id (a basic group became a supergroup)."""
        await self.outcomes.chat_moved(old, new)

    async def bot_removed(self, chat_id: int, key: str) -> None:
        """The bot was removed from a neighbourhood chat: tell the coordinators' group (once
        per such update)."""
        ctx = self.ctx
        coordinators = ctx.directory.current(ctx.network.coordinators_chat_id)
        if coordinators is None or ctx.directory.slug_for(chat_id) is None:
            return
        async with ctx.db.transaction() as conn:
            if await idempotency.claim(conn, key, ctx.clock()):
                await ctx.say(
                    conn,
                    coordinators,
                    "removed_notice",
                    place=ctx.place_of(chat_id),
                    chat_id=chat_id,
                )
        log.warning("bot_removed_noticed", chat=chat_id)
        ctx.wake()

    async def unknown_group(self, command: Command) -> None:
        """A command in a group that is not part of the network: one line an hour at most,
        nothing relayed. The regiegroep hears of the group if it had not yet."""
        await self.bot_added(command.chat)
        if not self.ctx.unknown_answers.allow(command.chat.id, None, self.ctx.clock()):
            log.info("answer_dropped", chat=command.chat.id, reason="unknown_group")
            return
        await self.answer_once(command, "unknown_group", network=self.ctx.network.name)

    async def bot_added(self, chat: Chat, added_by: str = "") -> None:
        """Tell the regiegroep once that the bot was added to a group outside the network:
        its title, chat id and who added the bot (`added_by`, a display name; empty when the
        bot missed being added and first sees the group now)."""
        if self.ctx.kind(chat) is not ChatKind.UNKNOWN:
            return
        if chat.id in self._seen_unknown:  # known already: no write for every command
            return
        async with self.ctx.db.transaction() as conn:
            now = self.ctx.clock()
            # the clock for leaving a group that never asks to be linked starts now
            await chats.note_once(conn, chat.id, UNKNOWN_SINCE, now)
            if await chats.note_once(conn, chat.id, "announced_unknown", now):
                line = Say(
                    self.ctx.directory.regie_chat_id,
                    self._unknown_line(chat, added_by),
                    priority=Priority.LOW,
                )
                row = await outbox.enqueue(conn, line, now)
                # many groups at once: spread over minutes, so alerts keep their room
                at = self.ctx.regie_notes.slot(now)
                if at > now:
                    await outbox.postpone(conn, row, at, "spread", count=False)
                log.info("unknown_group_announced", chat=chat.id)
        self._seen_unknown.add(chat.id)
        self.ctx.wake()

    def _unknown_line(self, chat: Chat, added_by: str) -> str:
        if added_by:
            return self.ctx.texts(
                "regie_unknown_group", title=chat.title, chat_id=chat.id, added_by=added_by
            )
        return self.ctx.texts(
            "regie_unknown_group_adder_unknown", title=chat.title, chat_id=chat.id
        )

    async def leave_unknown(self) -> None:
        """Leave the groups outside the network that did not ask to be linked within
        `unknown_group_hours`, the longest waiting first and at most LEAVES_PER_ROUND a
        round (the rest, and a passing fault, at the next round)."""
        for chat_id in (await self.unknown_to_leave())[:LEAVES_PER_ROUND]:
            try:
                await self.telegram.leave(chat_id)
            except TelegramRefused as error:
                log.warning("leave_failed", chat=chat_id, error=error.reason)
                continue
            await self.left_unknown(chat_id)

    async def unknown_to_leave(self) -> list[int]:
        """Groups outside the network that have not asked to be linked (/koppel) within
        `unknown_group_hours` of the bot first seeing them: the bot leaves them."""
        hours = self.ctx.network.policy.unknown_group_hours
        async with self.ctx.db.reading() as conn:
            due = await chats.noted_before(conn, UNKNOWN_SINCE, self.ctx.clock() - hours * 3600)
            return [
                chat_id
                for chat_id in due
                if self.ctx.kind(Chat(chat_id)) is ChatKind.UNKNOWN
                and not await chats.ever_asked_link(conn, chat_id)
            ]

    async def left_unknown(self, chat_id: int) -> None:
        """The bot left (or was removed from) a group outside the network: if it is added
        again, the clock starts afresh (the regiegroep is not told a second time)."""
        self._seen_unknown.discard(chat_id)
        async with self.ctx.db.transaction() as conn:
            await chats.forget_note(conn, chat_id, UNKNOWN_SINCE)
        log.info("unknown_group_left", chat=chat_id)
