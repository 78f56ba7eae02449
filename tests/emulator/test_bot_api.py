"""The Bot API as python-telegram-bot sees it: results, and errors answered like Telegram."""

from __future__ import annotations

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, EndPointNotFound, Forbidden, InvalidToken

from relaybot.sandbox.emulator import Emulator

from .conftest import World

pytestmark = pytest.mark.usefixtures("world")


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


async def test_get_me_and_wrong_token(emu: Emulator, bot: telegram.Bot) -> None:
    """getMe answers the bot user; another token answers 401 Unauthorized (InvalidToken)."""
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (emu.bot_user.id, "relaybot_test_bot", True)
    with pytest.raises(InvalidToken):
        async with telegram.Bot("999:WRONG", base_url=emu.base_url):
            pass


async def test_unknown_method_is_not_found(bot: telegram.Bot) -> None:
    """An unknown method answers 404 Not Found."""
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})


async def test_json_and_form_bodies_are_both_understood(emu: Emulator, world: World) -> None:
    """A JSON body and a form body with a JSON-encoded reply_markup both work."""
    url = f"{emu.base_url}{emu.token}/sendMessage"
    markup = '{"inline_keyboard": [[{"text": "ok", "callback_data": "x"}]]}'
    async with httpx.AsyncClient() as client:
        as_json = await client.post(url, json={"chat_id": world.group.id, "text": "json"})
        as_form = await client.post(
            url, data={"chat_id": str(world.group.id), "text": "form", "reply_markup": markup}
        )
    assert as_json.json()["result"]["text"] == "json"
    assert as_form.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "ok"
    assert emu.calls_to("sendMessage")[1].params["reply_markup"]["inline_keyboard"]


async def test_html_round_trip(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """`<b>Jan &amp; Piet</b>` shows as bold "Jan & Piet"; `&lt;b&gt;` shows as "<b>"."""
    sent = await bot.send_message(world.group.id, "<b>Jan &amp; Piet</b> &lt;b&gt;", "HTML")
    assert sent.text == "Jan & Piet <b>"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 10
    stored = emu.message(world.group.id, sent.message_id)
    assert stored.text == "Jan & Piet <b>"
    assert stored.html == "<b>Jan &amp; Piet</b> &lt;b&gt;"
    assert stored.from_bot and stored.from_id == emu.bot_user.id


@pytest.mark.parametrize(
    ("text", "parse_mode"),
    [("a < b", "HTML"), ("<b>open", "HTML"), ("<blink>x</blink>", "HTML"), ("1.5", "MarkdownV2")],
)
async def test_bad_markup_cannot_be_parsed(
    bot: telegram.Bot, world: World, text: str, parse_mode: str
) -> None:
    """Markup Telegram cannot parse answers 400 "can't parse entities"."""
    with pytest.raises(BadRequest, match=r"^Can't parse entities: "):
        await bot.send_message(world.group.id, text, parse_mode=parse_mode)


async def test_lengths_are_utf16_on_the_parsed_text(bot: telegram.Bot, world: World) -> None:
    """Text may hold 4096 UTF-16 units after parsing (an emoji counts 2); captions 1024."""
    await bot.send_message(world.group.id, "🚨" * 2048)
    await bot.send_message(world.group.id, f"<b>{'a' * 4096}</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(world.group.id, "🚨" * 2048 + "a")
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(world.group.id, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_photo(world.group.id, b"\x89PNG fake", caption="é" * 1025)


async def test_reply_to_a_deleted_message(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """Replying to a deleted message fails, unless allow_sending_without_reply is set."""
    post = emu.post(world.group.id, world.bert, "help")
    answer = await bot.send_message(
        world.group.id, "komt eraan", reply_to_message_id=post.message_id
    )
    assert answer.reply_to_message.message_id == post.message_id
    assert emu.message(world.group.id, answer.message_id).reply_to == post.message_id
    await bot.delete_message(world.group.id, post.message_id)
    with pytest.raises(BadRequest, match=r"^Message to be replied not found$"):
        await bot.send_message(world.group.id, "x", reply_to_message_id=post.message_id)
    lenient = ReplyParameters(post.message_id, allow_sending_without_reply=True)
    sent = await bot.send_message(world.group.id, "x", reply_parameters=lenient)
    assert sent.reply_to_message is None
    assert [m.text for m in emu.messages(world.group.id)] == ["komt eraan", "x"]


async def test_copy_message_with_caption(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """copyMessage copies a photo under a new HTML caption and a keyboard, answering its id."""
    other = emu.add_group("Goor West", members=[world.bert])
    photo = emu.post_photo(world.group.id, world.bert, caption="verdacht")
    copied = await bot.copy_message(
        other.id,
        world.group.id,
        photo.message_id,
        caption="<i>Melding</i> uit Oost",
        parse_mode="HTML",
        reply_markup=keyboard(("Ik ga", "go:1")),
    )
    copy = emu.message(other.id, copied.message_id)
    assert (copy.media, copy.caption, copy.buttons) == (
        "photo",
        "Melding uit Oost",
        [[("Ik ga", "go:1")]],
    )
    assert copy.media_json == photo.media_json
    text = emu.post(world.group.id, world.bert, "tekst")
    copied_text = await bot.copy_message(other.id, world.group.id, text.message_id)
    assert emu.message(other.id, copied_text.message_id).text == "tekst"
    with pytest.raises(BadRequest, match=r"^Message to copy not found$"):
        await bot.copy_message(other.id, world.group.id, 999)


async def test_forward_message_keeps_origin(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """forwardMessage shows the original sender in forward_origin."""
    post = emu.post(world.group.id, world.bert, "kijk uit")
    forwarded = await bot.forward_message(world.group.id, world.group.id, post.message_id)
    assert forwarded.forward_origin.sender_user.id == world.bert.id
    assert forwarded.text == "kijk uit"


async def test_callback_data_limit_and_button_press(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """callback_data over 64 bytes answers BUTTON_DATA_INVALID; a press is answered once."""
    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await bot.send_message(world.group.id, "x", reply_markup=keyboard(("a", "é" * 33)))
    sent = await bot.send_message(
        world.group.id, "Wie gaat?", reply_markup=keyboard(("Ik", "d" * 64))
    )
    query_id = emu.press(world.group.id, sent.message_id, world.bert, button_text="Ik")
    (update,) = await bot.get_updates()
    assert update.callback_query.id == query_id and update.callback_query.data == "d" * 64
    assert await update.callback_query.answer("Dank", show_alert=True)
    assert emu.callback_answers[query_id] == {
        "text": "Dank",
        "show_alert": True,
        "url": None,
        "cache_time": None,
    }
    with pytest.raises(BadRequest, match=r"^Query is too old"):
        await update.callback_query.answer("nog eens")


async def test_callback_answer_late_or_long(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """Telegram takes a button's answer only within callback_answer_s (15 s) of the press and
    only up to 200 characters; otherwise it answers with its own 400 texts."""
    sent = await bot.send_message(world.group.id, "Wie gaat?", reply_markup=keyboard(("Ik", "i")))
    late = emu.press(world.group.id, sent.message_id, world.bert, button_text="Ik")
    long = emu.press(world.group.id, sent.message_id, world.bert, button_text="Ik")
    first, second = await bot.get_updates()
    assert (first.callback_query.id, second.callback_query.id) == (late, long)
    with pytest.raises(BadRequest, match=r"^Message_too_long$"):
        await second.callback_query.answer("é" * 201)
    assert await second.callback_query.answer("é" * 200)
    now = emu.clock()
    emu.clock = lambda: now + emu.callback_answer_s + 1
    with pytest.raises(BadRequest, match=r"^Query is too old and response timeout expired"):
        await first.callback_query.answer("Dank")
    assert late not in emu.callback_answers


async def test_edit_not_modified_and_edit_rules(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """Identical edits answer "message is not modified"; others' or missing messages can't."""
    sent = await bot.send_message(
        world.group.id, "<b>a</b>", "HTML", reply_markup=keyboard(("k", "k"))
    )
    with pytest.raises(BadRequest, match=r"^Message is not modified: specified new message"):
        await bot.edit_message_text(
            "<b>a</b>",
            world.group.id,
            sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard(("k", "k")),
        )
    edited = await bot.edit_message_text(
        "<b>a</b>", world.group.id, sent.message_id, parse_mode="HTML"
    )
    assert edited.reply_markup is None and edited.edit_date is not None
    assert emu.message(world.group.id, sent.message_id).edited == 1
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await bot.edit_message_reply_markup(world.group.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("b", world.group.id, 999)
    post = emu.post(world.group.id, world.bert, "van Bert")
    with pytest.raises(BadRequest, match=r"^Message can't be edited$"):
        await bot.edit_message_text("b", world.group.id, post.message_id)
    with pytest.raises(BadRequest, match=r"^There is no caption in the message to edit$"):
        await bot.edit_message_caption(world.group.id, sent.message_id, caption="c")


async def test_delete_rules(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """Deleting twice answers "message to delete not found"; deleted messages drop out."""
    sent = await bot.send_message(world.group.id, "weg")
    assert await bot.delete_message(world.group.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"^Message to delete not found$"):
        await bot.delete_message(world.group.id, sent.message_id)
    assert emu.messages(world.group.id) == []
    assert emu.message(world.group.id, sent.message_id).deleted


async def test_a_message_older_than_48_hours_cannot_be_deleted_but_can_be_edited(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """Telegram lets a bot delete a message for 48 hours; after that deleteMessage answers
    400 "message can't be deleted", while the bot may still edit its own message."""
    sent = await bot.send_message(world.group.id, "oud")
    emu.clock = lambda: sent.date.timestamp() + 48 * 3600
    with pytest.raises(BadRequest, match=r"^Message can't be deleted$"):
        await bot.delete_message(world.group.id, sent.message_id)
    await bot.edit_message_text("leeg", world.group.id, sent.message_id)
    assert emu.message(world.group.id, sent.message_id).text == "leeg"
    assert not emu.message(world.group.id, sent.message_id).deleted


async def test_chat_errors(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """Unknown chats answer 400; a user who never opened a chat or blocked the bot, 403."""
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(-100123, "x")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(world.bert.id, "x")
    emu.private_chat(world.bert)
    await bot.send_message(world.bert.id, "hoi")
    emu.block_bot(world.bert)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(world.bert.id, "x")


async def test_kicked_bot_is_forbidden(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """After remove_bot a my_chat_member "kicked" update arrives and calls answer 403."""
    emu.remove_bot(world.group.id)
    (update,) = await bot.get_updates()
    assert update.my_chat_member.new_chat_member.status == "kicked"
    assert update.my_chat_member.from_user.id == world.anna.id
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was kicked from the supergroup chat$"):
        await bot.send_message(world.group.id, "x")


async def test_migrated_group_answers_chat_migrated(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """After migrate, calls on the old id raise ChatMigrated with the new supergroup id."""
    basic = emu.add_group("Klein", kind="group", members=[world.bert], creator=world.anna)
    assert basic.id > -1000000000000
    new_id = emu.migrate(basic.id)
    assert str(new_id).startswith("-100")
    with pytest.raises(telegram.error.ChatMigrated) as caught:
        await bot.send_message(basic.id, "x")
    assert caught.value.new_chat_id == new_id
    updates = await bot.get_updates()
    assert [u.message.migrate_to_chat_id for u in updates] == [new_id, None]
    assert updates[1].message.migrate_from_chat_id == basic.id
    await bot.send_message(new_id, "verder hier")
    assert [m.text for m in emu.bot_messages(new_id)] == ["verder hier"]


async def test_members_admins_and_invite_links(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """getChatMember, getChatAdministrators, counts, invite links with a member limit, bans."""
    member = await bot.get_chat_member(world.group.id, world.bert.id)
    assert member.status == "member"
    admins = await bot.get_chat_administrators(world.group.id)
    assert {a.user.id for a in admins} == {world.anna.id, emu.bot_user.id}
    assert await bot.get_chat_member_count(world.group.id) == 3
    link = await bot.create_chat_invite_link(world.group.id, member_limit=1)
    assert link.invite_link.startswith("https://t.me/+") and link.member_limit == 1
    carla = emu.add_user("Carla")
    emu.join(world.group.id, carla, invite_link=link.invite_link)
    with pytest.raises(Exception, match="member limit"):
        emu.join(world.group.id, emu.add_user("Dirk"), invite_link=link.invite_link)
    await bot.ban_chat_member(world.group.id, carla.id)
    assert (await bot.get_chat_member(world.group.id, carla.id)).status == "kicked"
    with pytest.raises(BadRequest, match=r"^User is an administrator of the chat$|^Can't remove"):
        await bot.ban_chat_member(world.group.id, world.anna.id)
    chat = await bot.get_chat(world.group.id)
    assert chat.title == "Goor Oost" and chat.type == "supergroup"


async def test_pin_needs_rights(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """Pinning works as admin; without admin rights it answers "not enough rights"."""
    sent = await bot.send_message(world.group.id, "vast")
    assert await bot.pin_chat_message(world.group.id, sent.message_id)
    assert (await bot.get_chat(world.group.id)).pinned_message.message_id == sent.message_id
    plain = emu.add_group("Zonder rechten", members=[world.bert], bot_is_admin=False)
    other = await bot.send_message(plain.id, "x")
    with pytest.raises(BadRequest, match=r"^Not enough rights"):
        await bot.pin_chat_message(plain.id, other.message_id)


async def test_commands_are_stored_per_scope(emu: Emulator, bot: telegram.Bot) -> None:
    """setMyCommands stores per scope and language; getMyCommands reads them back."""
    await bot.set_my_commands([("melding", "Meld iets")])
    await bot.set_my_commands([("help", "Hulp")], language_code="en")
    assert [c.command for c in await bot.get_my_commands()] == ["melding"]
    assert [c.command for c in await bot.get_my_commands(language_code="en")] == ["help"]
    with pytest.raises(BadRequest, match=r"^Bot_command_invalid$"):
        await bot.set_my_commands([("Melding!", "x")])
