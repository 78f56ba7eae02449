"""Who is a co-admin: one list per chat from Telegram, cached and shared (issue 25), with a
fake Bot that counts what it is asked."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from relaybot.telegram.admins import AdminCache

CHAT = -100
OWNER, CO_ADMIN, RESIDENT = 1, 2, 3


class FakeBot:
    def __init__(self) -> None:
        self.statuses = {OWNER: "creator", CO_ADMIN: "administrator", RESIDENT: "member"}
        self.asked: list[str] = []

    def _member(self, user_id: int) -> SimpleNamespace:
        return SimpleNamespace(status=self.statuses[user_id], user=SimpleNamespace(id=user_id))

    async def get_chat_administrators(self, chat_id: int) -> list[SimpleNamespace]:
        self.asked.append("list")
        await asyncio.sleep(0.01)  # a round trip: others ask meanwhile
        admins = ("creator", "administrator")
        return [self._member(u) for u, status in self.statuses.items() if status in admins]

    async def get_chat_member(self, chat_id: int, user_id: int) -> SimpleNamespace:
        self.asked.append(f"member {user_id}")
        return self._member(user_id)


async def test_many_askers_cost_one_call_for_the_chat() -> None:
    """Everyone asking about a chat at once, and after, is answered by one list call."""
    bot, cache = FakeBot(), AdminCache()
    answers = await asyncio.gather(
        *(cache.is_admin_of(bot, CHAT, user) for user in [OWNER, CO_ADMIN, RESIDENT] * 10)  # type: ignore[arg-type]
    )
    assert answers == [True, True, False] * 10
    assert await cache.is_admin_of(bot, CHAT, RESIDENT) is False  # type: ignore[arg-type]
    assert bot.asked == ["list"]
    assert cache.known(CHAT, CO_ADMIN) is True and cache.known(CHAT + 1, CO_ADMIN) is None


async def test_a_rights_change_drops_the_list_and_a_join_keeps_it() -> None:
    """A resident joining or leaving keeps the cached list; a promotion (or a listed co-admin
    leaving) makes the next question go to Telegram again."""
    bot, cache = FakeBot(), AdminCache()
    await cache.is_admin_of(bot, CHAT, RESIDENT)  # type: ignore[arg-type]
    cache.forget(CHAT, RESIDENT, rights=False)
    assert cache.known(CHAT, RESIDENT) is False
    cache.forget(CHAT, CO_ADMIN, rights=False)  # on the list: whatever changed, ask again
    assert cache.known(CHAT, RESIDENT) is None
    await cache.is_admin_of(bot, CHAT, RESIDENT)  # type: ignore[arg-type]
    bot.statuses[RESIDENT] = "administrator"
    cache.forget(CHAT, RESIDENT, rights=True)
    assert await cache.is_admin_of(bot, CHAT, RESIDENT) is True  # type: ignore[arg-type]
    assert bot.asked == ["list", "list", "list"]


async def test_fresh_asks_about_the_one_member_and_corrects_the_list() -> None:
    """`fresh` asks getChatMember now; a demotion it finds drops the cached list."""
    bot, cache = FakeBot(), AdminCache()
    assert await cache.is_admin_of(bot, CHAT, CO_ADMIN) is True  # type: ignore[arg-type]
    bot.statuses[CO_ADMIN] = "member"
    assert await cache.is_admin_of(bot, CHAT, CO_ADMIN, fresh=True) is False  # type: ignore[arg-type]
    assert cache.known(CHAT, OWNER) is None
    assert bot.asked == ["list", f"member {CO_ADMIN}"]


async def test_fresh_refuses_members_off_the_list_without_asking() -> None:
    """A flood of /112 from members who are not co-admins (each a `fresh` question) costs
    one list call for the chat, not a getChatMember per member; a co-admin on the list is
    still asked about now, so a demotion counts at once."""
    bot, cache = FakeBot(), AdminCache()
    answers = await asyncio.gather(
        *(cache.is_admin_of(bot, CHAT, RESIDENT, fresh=True) for _ in range(100))  # type: ignore[arg-type]
    )
    assert answers == [False] * 100
    assert bot.asked == ["list"]
    assert await cache.is_admin_of(bot, CHAT, CO_ADMIN, fresh=True) is True  # type: ignore[arg-type]
    assert bot.asked == ["list", f"member {CO_ADMIN}"]
