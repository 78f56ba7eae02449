"""Flood limits and injected faults, answered the way Telegram answers them."""

from __future__ import annotations

import pytest
import telegram
from telegram.error import BadRequest, NetworkError, RetryAfter

from relaybot.sandbox.emulator import Emulator

from .conftest import World

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(emu: Emulator) -> Clock:
    clock = Clock()
    emu.clock = clock
    emu.rate_limits = True
    return clock


async def test_twenty_messages_per_minute_in_a_group(
    emu: Emulator, bot: telegram.Bot, world: World, clock: Clock
) -> None:
    """The 21st message within a minute in one group answers 429 with the seconds to wait."""
    for n in range(20):
        await bot.send_message(world.group.id, f"bericht {n}")
        clock.now += 1
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(world.group.id, "te veel")
    assert caught.value.retry_after == 40
    assert emu.counters["429"] == 1
    assert len(emu.bot_messages(world.group.id)) == 20
    emu.private_chat(world.bert)
    await bot.send_message(world.bert.id, "privé mag nog")
    clock.now += 40
    await bot.send_message(world.group.id, "weer ruimte")


async def test_edits_count_towards_the_group_limit(
    emu: Emulator, bot: telegram.Bot, world: World, clock: Clock
) -> None:
    """Edits count like sends; getMe and getUpdates are never limited."""
    sent = await bot.send_message(world.group.id, "0")
    for n in range(1, 20):
        await bot.edit_message_text(str(n), world.group.id, sent.message_id)
    with pytest.raises(RetryAfter):
        await bot.edit_message_text("20", world.group.id, sent.message_id)
    await bot.get_me()
    await bot.get_updates()


async def test_thirty_messages_per_second_overall(
    emu: Emulator, bot: telegram.Bot, clock: Clock
) -> None:
    """More than 30 messages in one second across chats answers 429 retry after 1."""
    users = [emu.add_user(f"Buur {n}") for n in range(31)]
    for user in users[:30]:
        emu.private_chat(user)
        await bot.send_message(user.id, "hoi")
    emu.private_chat(users[30])
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(users[30].id, "hoi")
    assert caught.value.retry_after == 1
    clock.now += 1
    await bot.send_message(users[30].id, "hoi")


async def test_injected_fault_has_no_effect(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """set_fault answers the next matching calls with the given error and sends nothing."""
    emu.set_fault(method="sendMessage", chat_id=world.group.id, error_code=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(world.group.id, "x")
    assert emu.bot_messages(world.group.id) == []
    assert emu.counters["5xx"] == 2
    await bot.send_message(world.group.id, "nu wel")
    emu.set_fault(error_code=400, description="Bad Request: CHAT_WRITE_FORBIDDEN")
    with pytest.raises(BadRequest, match=r"^Chat_write_forbidden$"):
        await bot.send_message(world.group.id, "x")
    emu.set_fault(method="sendMessage", error_code=429, parameters={"retry_after": 7})
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(world.group.id, "x")
    assert caught.value.retry_after == 7
    failed = [call for call in emu.calls_to("sendMessage") if not call.ok]
    assert [call.error_code for call in failed] == [502, 502, 400, 429]


async def test_random_faults_spare_startup_methods(emu: Emulator, world: World) -> None:
    """With fault_rate 1 every call fails with 502, except getMe, getUpdates and the like."""
    emu.fault_rate = 1.0
    async with telegram.Bot(emu.token, base_url=emu.base_url) as bot:
        await bot.delete_webhook()
        await bot.set_my_commands([("start", "Begin")])
        await bot.get_updates()
        with pytest.raises(NetworkError):
            await bot.send_message(world.group.id, "x")
        emu.fault_rate = 0.0
        await bot.send_message(world.group.id, "x")
    assert emu.counters["5xx"] == 1


async def test_random_faults_follow_the_seed(world: World) -> None:
    """The same seed gives the same faults at the same fault_rate."""

    async def failures(seed: int) -> list[bool]:
        emu = Emulator(fault_rate=0.5, seed=seed)
        await emu.start()
        group = emu.add_group("g")
        results = []
        async with telegram.Bot(emu.token, base_url=emu.base_url) as bot:
            for _ in range(12):
                try:
                    await bot.send_message(group.id, "x")
                    results.append(True)
                except NetworkError:
                    results.append(False)
        await emu.stop()
        return results

    first = await failures(3)
    assert first == await failures(3)
    assert True in first and False in first
