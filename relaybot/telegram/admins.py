"""Who is a co-admin of a chat: asked of Telegram, cached briefly."""

from __future__ import annotations

import time

from telegram import Bot, ChatMember, Message
from telegram.error import Forbidden

TTL = 300.0  # seconds
ADMIN_STATUSES = {ChatMember.OWNER, ChatMember.ADMINISTRATOR}


class AdminCache:
    def __init__(self, ttl: float = TTL) -> None:
        self.ttl = ttl
        self._known: dict[tuple[int, int], tuple[bool, float]] = {}

    def forget(self, chat_id: int, user_id: int | None = None) -> None:
        """A chat_member update: the next question goes to Telegram again."""
        if user_id is not None:
            self._known.pop((chat_id, user_id), None)
        else:
            for key in [k for k in self._known if k[0] == chat_id]:
                del self._known[key]

    async def is_co_admin(self, bot: Bot, message: Message, *, fresh: bool = False) -> bool:
        """The sender is creator or administrator of this chat, or posts as the chat itself
        (an anonymous admin). ``fresh``: ask Telegram now, not the cache (for what cannot be
        undone or silences the network: a rights change may not have reached us yet)."""
        if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
            return True
        if message.from_user is None:
            return False
        return await self.is_admin_of(bot, message.chat_id, message.from_user.id, fresh=fresh)

    async def is_admin_of(
        self, bot: Bot, chat_id: int, user_id: int, *, fresh: bool = False
    ) -> bool:
        """Whether the user is creator or administrator of the chat (a button's presser:
        pass ``fresh=True`` for a sensitive button, so a demoted co-admin is refused)."""
        key = (chat_id, user_id)
        known = self._known.get(key)
        now = time.monotonic()
        if not fresh and known is not None and known[1] > now:
            return known[0]
        try:
            member = await bot.get_chat_member(chat_id, user_id)
        except Forbidden:
            return False  # the bot may not look in this chat: nobody is a co-admin to it
        # any other error goes to the update's handling, which tries it again (a 5xx, a 429)
        # or sets the update aside (a 400), as telegram/faults.py says
        answer = member.status in ADMIN_STATUSES
        self._known[key] = (answer, now + self.ttl)
        return answer
