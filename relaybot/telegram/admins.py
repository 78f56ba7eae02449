"""Who is a co-admin of a chat: the chat's list of administrators, asked of Telegram once
(getChatAdministrators) and cached briefly. One call answers for every member, so a flood of
members asking or cursing costs one lookup per chat, not one per member; callers for a chat
whose list is being fetched wait for that one call (issue 25)."""

from __future__ import annotations

import asyncio
import time

from telegram import Bot, ChatMember
from telegram.error import Forbidden

TTL = 300.0  # seconds
ADMIN_STATUSES = {ChatMember.OWNER, ChatMember.ADMINISTRATOR}


class AdminCache:
    def __init__(self, ttl: float = TTL) -> None:
        self.ttl = ttl
        self._lists: dict[int, tuple[frozenset[int], float]] = {}  # chat -> (admins, until)
        self._asking: dict[int, asyncio.Future[frozenset[int]]] = {}

    def forget(self, chat_id: int, user_id: int | None = None, *, rights: bool = True) -> None:
        """A chat_member update: the next question about the chat goes to Telegram again,
        when the change may concern a co-admin (`rights`); an ordinary member joining or
        leaving keeps the list, unless they were on it."""
        known = self._lists.get(chat_id)
        if rights or known is None or user_id is None or user_id in known[0]:
            self._lists.pop(chat_id, None)

    def known(self, chat_id: int, user_id: int) -> bool | None:
        """The cached answer, without asking Telegram; None when it must be asked."""
        known = self._lists.get(chat_id)
        if known is None or known[1] <= time.monotonic():
            return None
        return user_id in known[0]

    async def is_admin_of(
        self, bot: Bot, chat_id: int, user_id: int, *, fresh: bool = False
    ) -> bool:
        """Whether the user is creator or administrator of the chat. ``fresh``: for what
        cannot be undone or silences the network (/niet112, /intrekken), where a co-admin
        demoted a moment ago must be refused: someone on the cached list is asked about now
        (getChatMember); someone not on it is refused without a call (only a promotion
        changes that, and its chat_member update drops the list), so 100 members typing
        /niet112 cost at most one list call, not 100 calls in the update path."""
        if fresh:
            known = self.known(chat_id, user_id)
            if known is None:  # the list, asked of Telegram just now
                return user_id in await self._admins(bot, chat_id)
            return known and await self._ask_one(bot, chat_id, user_id)
        known = self.known(chat_id, user_id)
        if known is not None:
            return known
        return user_id in await self._admins(bot, chat_id)

    async def _ask_one(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        try:
            member = await bot.get_chat_member(chat_id, user_id)
        except Forbidden:
            return False  # the bot may not look in this chat: nobody is a co-admin to it
        answer = member.status in ADMIN_STATUSES
        if self.known(chat_id, user_id) not in (None, answer):
            self._lists.pop(chat_id, None)  # the list is out of date: fetched anew next time
        return answer

    async def _admins(self, bot: Bot, chat_id: int) -> frozenset[int]:
        """The chat's co-admins: one call to Telegram at a time per chat, shared by all who
        ask meanwhile."""
        asking = self._asking.get(chat_id)
        if asking is None:
            asking = asyncio.ensure_future(self._fetch(bot, chat_id))
            self._asking[chat_id] = asking
            asking.add_done_callback(lambda _done: self._asking.pop(chat_id, None))
        return await asyncio.shield(asking)

    async def _fetch(self, bot: Bot, chat_id: int) -> frozenset[int]:
        try:
            members = await bot.get_chat_administrators(chat_id)
        except Forbidden:
            return frozenset()  # the bot may not look in this chat: nobody is a co-admin to it
        # any other error goes to the update's handling, which tries it again (a 5xx, a 429)
        # or sets the update aside (a 400), as telegram/faults.py says
        admins = frozenset(m.user.id for m in members if m.status in ADMIN_STATUSES)
        self._lists[chat_id] = (admins, time.monotonic() + self.ttl)
        return admins
