"""What sign-up needs from the emulator: private chats with reply keyboards and shared
contacts, invite links that ask to join, and join requests the bot approves or declines."""

from __future__ import annotations

import time

import pytest
import telegram
from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram.error import BadRequest

from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.errors import EmulatorError

from .conftest import World

pytestmark = pytest.mark.usefixtures("world")


def updates(emu: Emulator, kind: str) -> list[dict]:
    return [item.payload for item in emu.world.updates.items if item.kind == kind]


async def test_reply_keyboard_buttons_send_their_text(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """A reply keyboard the bot shows in a private chat can be tapped: the user's message
    is the button's text; a label the keyboard lacks is a test error."""
    emu.post(world.bert.id, world.bert, "/start")
    markup = ReplyKeyboardMarkup([["Ja", "Nee"]], one_time_keyboard=True)
    await bot.send_message(world.bert.id, "18+?", reply_markup=markup)
    assert emu.keyboard(world.bert) == ["Ja", "Nee"]
    with pytest.raises(EmulatorError):
        emu.tap(world.bert, "Misschien")
    sent = emu.tap(world.bert, "Ja")
    assert sent.text == "Ja" and updates(emu, "message")[-1]["text"] == "Ja"
    assert emu.keyboard(world.bert) == []  # one-time keyboards hide after use


async def test_keyboard_removed(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """ReplyKeyboardRemove takes the keyboard away."""
    emu.post(world.bert.id, world.bert, "/start")
    await bot.send_message(world.bert.id, "?", reply_markup=ReplyKeyboardMarkup([["Akkoord"]]))
    await bot.send_message(world.bert.id, "ok", reply_markup=ReplyKeyboardRemove())
    assert emu.keyboard(world.bert) == []


async def test_share_contact_button_sends_own_contact(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """A request_contact button shares the user's own number with their user_id; a contact
    card sent by hand carries whatever the user chose (here someone else's)."""
    carla = emu.add_user("Carla", "Veld", phone_number="+31600000001")
    emu.post(carla.id, carla, "/start")
    button = KeyboardButton("📱 Deel mijn nummer", request_contact=True)
    await bot.send_message(carla.id, "Nummer?", reply_markup=ReplyKeyboardMarkup([[button]]))
    emu.tap(carla, "📱 Deel mijn nummer")
    contact = updates(emu, "message")[-1]["contact"]
    assert contact == {
        "phone_number": "31600000001",
        "first_name": "Carla",
        "last_name": "Veld",
        "user_id": carla.id,
    }
    emu.share_contact(carla, "+31600000002", "Daan", contact_user_id=world.bert.id)
    other = updates(emu, "message")[-1]
    assert other["contact"]["user_id"] == world.bert.id and other["from"]["id"] == carla.id
    parsed = telegram.Update.de_json({"update_id": 1, "message": other}, bot)
    assert parsed.message is not None and parsed.message.contact is not None


async def test_a_shared_location_arrives_as_telegram_sends_it(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """A member drops a pin in the group: the bot gets a message with a location (as
    python-telegram-bot parses it); someone outside the group cannot."""
    emu.share_location(world.group.id, world.bert, 52.2338, 6.5869)
    sent = updates(emu, "message")[-1]
    assert sent["location"] == {"latitude": 52.2338, "longitude": 6.5869}
    parsed = telegram.Update.de_json({"update_id": 1, "message": sent}, bot)
    assert parsed.message is not None and parsed.message.location is not None
    assert parsed.message.location.latitude == 52.2338
    stranger = emu.add_user("Femke")
    with pytest.raises(EmulatorError, match="not a member"):
        emu.share_location(world.group.id, stranger, 52.0, 6.0)


async def test_join_request_approved(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """createChatInviteLink with creates_join_request, a name and an expiry; opening it
    queues chat_join_request with that link; approving makes the user a member."""
    expiry = int(time.time()) + 72 * 3600
    link = await bot.create_chat_invite_link(
        world.group.id, expire_date=expiry, name="Aanmelding #1", creates_join_request=True
    )
    assert link.creates_join_request and link.name == "Aanmelding #1"
    carla = emu.add_user("Carla")
    emu.request_join(world.group.id, carla, link.invite_link)
    request = updates(emu, "chat_join_request")[-1]
    assert request["invite_link"]["invite_link"] == link.invite_link
    assert request["invite_link"]["name"] == "Aanmelding #1"
    assert request["from"]["id"] == carla.id and request["user_chat_id"] == carla.id
    assert await bot.approve_chat_join_request(world.group.id, carla.id)
    assert emu.chat(world.group.id).is_member(carla.id)
    with pytest.raises(BadRequest, match=r"(?i)hide_requester_missing"):
        await bot.approve_chat_join_request(world.group.id, carla.id)


async def test_join_request_declined(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """Declining a join request leaves the user outside; a revoked or expired link cannot
    be used to ask."""
    link = await bot.create_chat_invite_link(world.group.id, creates_join_request=True)
    daan = emu.add_user("Daan")
    emu.request_join(world.group.id, daan, link.invite_link)
    assert await bot.decline_chat_join_request(world.group.id, daan.id)
    assert not emu.chat(world.group.id).is_member(daan.id)
    old = await bot.create_chat_invite_link(
        world.group.id, expire_date=int(time.time()) + 60, creates_join_request=True
    )
    emu.clock = lambda: time.time() + 61
    with pytest.raises(EmulatorError, match="expired"):
        emu.request_join(world.group.id, daan, old.invite_link)
    await bot.revoke_chat_invite_link(world.group.id, link.invite_link)
    with pytest.raises(EmulatorError, match="not valid"):
        emu.request_join(world.group.id, daan, link.invite_link)
