"""Fixtures: a running emulator with a small world, and a real python-telegram-bot Bot on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import telegram

from relaybot.sandbox.emulator import Chat, Emulator, User


@dataclass
class World:
    anna: User
    bert: User
    group: Chat


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    emulator = Emulator(token="123456:TEST", bot_username="relaybot_test_bot")
    await emulator.start(host="127.0.0.1", port=0)
    yield emulator
    await emulator.stop()


@pytest.fixture
def world(emu: Emulator) -> World:
    anna = emu.add_user("Anna", username="anna")
    bert = emu.add_user("Bert", last_name="Smit")
    group = emu.add_group("Goor Oost", members=[bert], admins=[anna], creator=anna)
    return World(anna, bert, group)


@pytest.fixture
async def bot(emu: Emulator) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(emu.token, base_url=emu.base_url) as bot:
        yield bot
