"""Chat-level answers: help, a command in a group outside the network, the bot added."""

from __future__ import annotations

import structlog

from relaybot.domain.chats import ChatKind
from relaybot.service.context import Chat, Command, Context
from relaybot.storage import chats, outbox
from relaybot.storage.outbox import Priority

log = structlog.get_logger("relaybot.groups")


class Groups:
    """What the bot says about itself and about chats, not about an incident."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

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
            if await chats.claim(conn, command.key, self.ctx.clock()):
                await self.ctx.answer(conn, command, key, **values)
        self.ctx.wake()

    async def unknown_group(self, command: Command) -> None:
        """A command in a group that is not part of the network: one line an hour at most,
        nothing relayed. The regiegroep hears of the group if it had not yet."""
        await self.bot_added(command.chat)
        if not self.ctx.unknown_answers.allow(command.chat.id, None, self.ctx.clock()):
            log.info("answer_dropped", chat=command.chat.id, reason="unknown_group")
            return
        await self.answer_once(command, "unknown_group", network=self.ctx.network.name)

    async def bot_added(self, chat: Chat) -> None:
        """Tell the regiegroep once that the bot was added to a group outside the network."""
        if self.ctx.kind(chat) is not ChatKind.UNKNOWN:
            return
        async with self.ctx.db.transaction() as conn:
            now = self.ctx.clock()
            if await chats.note_once(conn, chat.id, "announced_unknown", now):
                row = await outbox.enqueue(
                    conn,
                    chat_id=self.ctx.directory.regie_chat_id,
                    action="say",
                    now=now,
                    priority=Priority.LOW,
                    payload={
                        "html": self.ctx.texts(
                            "regie_unknown_group", title=chat.title, chat_id=chat.id
                        ),
                        "reply_to": None,
                    },
                )
                # many groups at once: spread over minutes, so alerts keep their room
                at = self.ctx.regie_notes.slot(now)
                if at > now:
                    await outbox.postpone(conn, row, at, "spread", count=False)
                log.info("unknown_group_announced", chat=chat.id)
        self.ctx.wake()
