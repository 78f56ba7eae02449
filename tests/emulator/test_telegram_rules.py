"""What Telegram tells a bot only with administrator rights, and the terms it holds invite
links and webhooks to (checked against tdlib/telegram-bot-api's Client.cpp and TDLib)."""

from __future__ import annotations

import time

import pytest
import telegram
from telegram import Update
from telegram.error import BadRequest

from relaybot.sandbox.emulator import Emulator

from .conftest import World

MEMBERS = [Update.MESSAGE, Update.CHAT_MEMBER, Update.CHAT_JOIN_REQUEST]


async def test_chat_member_updates_reach_only_an_administrator(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """A bot that is a plain member hears nothing of others' membership changes, even when
    allowed_updates asks for them; made administrator, it does."""
    owner = emu.add_user("Olga")
    plain = emu.add_group("Goor West", creator=owner, members=[world.bert], bot_is_admin=False)
    emu.set_admin(plain.id, world.bert)
    emu.leave(plain.id, world.bert)
    kinds = [u.chat_member is not None for u in await bot.get_updates(allowed_updates=MEMBERS)]
    assert kinds == [False]  # only the left_chat_member message
    emu.set_admin(plain.id, emu.bot_user)
    emu.join(plain.id, world.bert)
    updates = await bot.get_updates(offset=-1, allowed_updates=MEMBERS)
    assert updates[-1].chat_member is not None
    assert updates[-1].chat_member.new_chat_member.user.id == world.bert.id


async def test_join_requests_need_the_right_to_invite(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """A bot without can_invite_users is sent no chat_join_request, and approving or
    declining one is refused with Telegram's text."""
    link = await bot.create_chat_invite_link(world.group.id, creates_join_request=True)
    emu.set_bot_rights(world.group.id, can_invite_users=False)
    carla = emu.add_user("Carla")
    emu.request_join(world.group.id, carla, link.invite_link)
    assert await bot.get_updates(allowed_updates=MEMBERS) == ()
    refused = r"(?i)not enough rights to manage chat join requests"
    with pytest.raises(BadRequest, match=refused):
        await bot.approve_chat_join_request(world.group.id, carla.id)
    with pytest.raises(BadRequest, match=refused):
        await bot.decline_chat_join_request(world.group.id, carla.id)
    assert not emu.chat(world.group.id).is_member(carla.id)


async def test_invite_link_names_are_cut_at_32_characters(bot: telegram.Bot, world: World) -> None:
    """Telegram keeps 32 characters of a link's name, trimmed, with runs of spaces joined
    (TDLib's clean_name; no error): a creation and an edit show what it kept."""
    long_name = "Aanmelding voor Proefdorp Noord en Zuid #12345"
    link = await bot.create_chat_invite_link(world.group.id, name=long_name)
    assert link.name == "Aanmelding voor Proefdorp Noord"  # 32 characters, then trimmed
    edited = await bot.edit_chat_invite_link(
        world.group.id, link.invite_link, name="  Aanmelding   #7 " + "ë" * 40
    )
    assert edited.name == "Aanmelding #7 " + "ë" * 16


async def test_invite_link_limits(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """A member limit of 0 means none; over 99999 is refused, as is an expiry already past
    and a member limit on a link that asks for approval."""
    unlimited = await bot.create_chat_invite_link(world.group.id, member_limit=0)
    assert unlimited.member_limit is None
    with pytest.raises(BadRequest, match=r"(?i)USAGE_LIMIT_INVALID"):
        await bot.create_chat_invite_link(world.group.id, member_limit=100_000)
    with pytest.raises(BadRequest, match=r"(?i)EXPIRE_DATE_INVALID"):
        await bot.create_chat_invite_link(world.group.id, expire_date=int(time.time()) - 10)
    with pytest.raises(BadRequest, match=r"(?i)member limit can't be specified"):
        await bot.create_chat_invite_link(world.group.id, member_limit=5, creates_join_request=True)
    with pytest.raises(BadRequest, match=r"(?i)USAGE_LIMIT_INVALID"):
        await bot.edit_chat_invite_link(world.group.id, unlimited.invite_link, member_limit=100_000)


async def test_webhook_secret_tokens(emu: Emulator, bot: telegram.Bot) -> None:
    """setWebhook takes a secret token of 1 to 256 letters, digits, '_' and '-'; others are
    refused with Telegram's texts and no webhook is set."""
    url = "https://bot.example.invalid/hook"
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await bot.set_webhook(url, secret_token="geheim wachtwoord!")
    with pytest.raises(BadRequest, match=r"(?i)secret token is too long"):
        await bot.set_webhook(url, secret_token="a" * 257)
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.set_webhook(url, secret_token="Ab9_-" * 51 + "z")
    assert (await bot.get_webhook_info()).url == url
