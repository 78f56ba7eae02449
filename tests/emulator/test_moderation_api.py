"""What moderation needs of the emulator: member rights, kicks, join bursts, channel posts."""

from __future__ import annotations

import pytest
import telegram
from telegram.error import BadRequest

from relaybot.sandbox.emulator import Emulator

from .conftest import World


async def test_admin_without_the_right_to_remove(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """getChatMember shows an administrator's can_restrict_members as it was granted."""
    emu.set_admin(world.group.id, world.bert, can_restrict_members=False)
    member = await bot.get_chat_member(world.group.id, world.bert.id)
    assert member.status == "administrator" and member.can_restrict_members is False
    emu.set_admin(world.group.id, world.bert)
    member = await bot.get_chat_member(world.group.id, world.bert.id)
    assert member.can_restrict_members is True


async def test_kick_is_ban_then_unban(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """banChatMember removes a member; unbanChatMember lets them join again later."""
    await bot.ban_chat_member(world.group.id, world.bert.id)
    assert emu.chat(world.group.id).status(world.bert.id) == "kicked"
    await bot.unban_chat_member(world.group.id, world.bert.id, only_if_banned=True)
    assert emu.chat(world.group.id).status(world.bert.id) == "left"
    emu.join(world.group.id, world.bert)
    assert emu.chat(world.group.id).is_member(world.bert.id)


async def test_a_basic_group_has_no_unban(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """In a basic group banChatMember removes the member, and unbanChatMember answers
    Telegram's 400: the method exists for supergroups and channels only."""
    basic = emu.add_group("Delden Noord", kind="group", members=[world.bert])
    await bot.ban_chat_member(basic.id, world.bert.id)
    assert emu.chat(basic.id).status(world.bert.id) == "kicked"
    with pytest.raises(BadRequest, match=r"^Method is available for supergroup and channel"):
        await bot.unban_chat_member(basic.id, world.bert.id, only_if_banned=True)
    assert emu.chat(basic.id).status(world.bert.id) == "kicked"


async def test_join_burst_is_one_service_message(emu: Emulator, world: World) -> None:
    """People added at once arrive in one new_chat_members message, plus one chat_member
    update each."""
    people = [emu.add_user(f"Nieuw{i}") for i in range(4)]
    before = len(emu.world.updates.items)
    message = emu.join_many(world.group.id, people, by=world.anna)
    assert [u["id"] for u in message.service["new_chat_members"]] == [p.id for p in people]
    kinds = [u.to_dict() for u in emu.world.updates.items[before:]]
    assert sum("message" in k for k in kinds) == 1
    assert sum("chat_member" in k for k in kinds) == 4


async def test_post_as_channel(emu: Emulator, world: World) -> None:
    """A message sent as a channel names the channel as sender_chat and Channel_Bot as from."""
    emu.post_as_channel(world.group.id, "Nieuws uit Goor", "Lees ons kanaal")
    update = emu.world.updates.items[-1].to_dict()["message"]
    assert update["sender_chat"]["type"] == "channel"
    assert update["sender_chat"]["title"] == "Nieuws uit Goor"
    assert update["from"]["id"] == 136817688
