"""The filter every group message passes (the chatter handler, the house-rules screen).

PTB's filters combined with `&` and `~` make a chain of calls per message; this one checks the
same things in one: a new message (no edit, no channel post) in a group, not a command, and,
as asked, one with (or without) text, a caption or a reply to look at.
"""

from __future__ import annotations

from telegram import Chat, MessageEntity, Update
from telegram.ext import filters

GROUP_TYPES = frozenset({Chat.GROUP, Chat.SUPERGROUP})


class NewGroupMessage(filters.UpdateFilter):
    """`filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & ~filters.COMMAND`, and with
    `content=True` also `& (filters.TEXT | filters.CAPTION | filters.REPLY)`, with
    `content=False` `& ~(...)` instead; `content=None`: either."""

    __slots__ = ("content",)

    def __init__(self, *, content: bool | None = None) -> None:
        super().__init__(name=f"NewGroupMessage(content={content})")
        self.content = content

    def filter(self, update: Update) -> bool:
        message = update.message
        if message is None or message.chat.type not in GROUP_TYPES:
            return False
        if self.content is not None and self.content != bool(
            message.text or message.caption or message.reply_to_message
        ):
            return False
        entities = message.entities
        return not (
            entities and entities[0].type == MessageEntity.BOT_COMMAND and entities[0].offset == 0
        )
