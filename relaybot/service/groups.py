"""Chat-level answers: help, a command in a group outside the network, the bot added."""

from __future__ import annotations

import structlog

from relaybot.domain.chats import ChatKind
from relaybot.service.context import Chat, Command, Context
from relaybot.storage import chats

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
        """One line for the command's chat, once per command message."""
        async with self.ctx.db.transaction() as conn:
            if await chats.claim(conn, command.key, self.ctx.clock()):
                await self.ctx.say(
                    conn, command.chat.id, key, reply_to=command.message_id, **values
                )
        self.ctx.wake()

    async def unknown_group(self, command: Command) -> None:
        """A command in a group that is not part of the network: one line, nothing relayed."""
        await self.answer_once(command, "unknown_group", network=self.ctx.network.name)

    async def bot_added(self, chat: Chat) -> None:
        """Tell the regiegroep once that the bot was added to a group outside the network."""
        if self.ctx.kind(chat) is not ChatKind.UNKNOWN:
            return
        async with self.ctx.db.transaction() as conn:
            if await chats.note_once(conn, chat.id, "announced_unknown", self.ctx.clock()):
                await self.ctx.say(
                    conn,
                    self.ctx.directory.regie_chat_id,
                    "regie_unknown_group",
                    title=chat.title,
                    chat_id=chat.id,
                )
                log.info("unknown_group_announced", chat=chat.id)
        self.ctx.wake()
