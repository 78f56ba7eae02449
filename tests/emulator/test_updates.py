"""Updates: long polling, offsets, filters, and what people's acts look like to the bot."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
import telegram
from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.standalone import serve_forever

from .conftest import World

# a long poll's timeout no test can reach (the test watchdog, test_timeout, ends it first):
# a poll with it that answers was answered by what the test did, not by its timeout
LONGER_THAN_ANY_TEST = 3600


async def test_long_poll_returns_as_soon_as_someone_posts(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """A getUpdates waiting with a long timeout answers when a user posts, with that post.
    Its timeout (an hour) is far beyond the test watchdog: only the post can end it."""
    poll = asyncio.create_task(bot.get_updates(timeout=LONGER_THAN_ANY_TEST))
    await emu.poll_waiting()
    assert not poll.done()
    emu.post(world.group.id, world.bert, "hallo")
    (update,) = await poll
    assert update.message.text == "hallo"
    assert update.message.from_user.id == world.bert.id
    assert not emu.world.updates.waiting()


async def test_empty_poll_waits_for_its_timeout(emu: Emulator, bot: telegram.Bot) -> None:
    """Without updates getUpdates does not answer at once: it waits, and after its timeout
    answers an empty list."""
    poll = asyncio.create_task(bot.get_updates(timeout=dt.timedelta(seconds=0.2)))
    await emu.poll_waiting()
    assert not poll.done()
    assert await poll == ()
    assert not emu.world.updates.waiting()


async def test_updates_arriving_during_a_poll_come_in_order(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """Posts made while a long poll waits are answered in the order they were made, the
    first by the waiting poll and any others by the next."""
    poll = asyncio.create_task(bot.get_updates(timeout=LONGER_THAN_ANY_TEST))
    await emu.poll_waiting()
    for text in ("een", "twee", "drie"):
        emu.post(world.group.id, world.bert, text)
    first = await poll
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in (*first, *rest)] == ["een", "twee", "drie"]


async def test_offset_confirms_updates(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """Fetched updates are redelivered until a later offset confirms them."""
    emu.post(world.group.id, world.bert, "een")
    emu.post(world.group.id, world.bert, "twee")
    assert emu.pending_updates() == 2
    first = await bot.get_updates(limit=1)
    assert [u.message.text for u in first] == ["een"]
    assert emu.pending_updates() == 1 and not emu.confirmed_all()
    again = await bot.get_updates()
    assert [u.message.text for u in again] == ["een", "twee"]
    assert emu.pending_updates() == 0 and not emu.confirmed_all()
    assert await bot.get_updates(offset=again[-1].update_id + 1) == ()
    assert emu.confirmed_all()


async def test_update_ids_increase_in_order(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """Posts, edits, joins and leaves arrive in order with increasing update_id."""
    post = emu.post(world.group.id, world.bert, "eerst")
    emu.edit(world.group.id, post.message_id, "eerst (bewerkt)")
    carla = emu.add_user("Carla")
    emu.join(world.group.id, carla)
    emu.leave(world.group.id, carla)
    updates = await bot.get_updates(allowed_updates=Update.ALL_TYPES)
    ids = [u.update_id for u in updates]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    kinds = [
        "edited_message" if u.edited_message else "chat_member" if u.chat_member else "message"
        for u in updates
    ]
    assert kinds == [
        "message",
        "edited_message",
        "message",
        "chat_member",
        "message",
        "chat_member",
    ]
    assert updates[1].edited_message.text == "eerst (bewerkt)"
    assert updates[1].edited_message.edit_date is not None
    assert updates[2].message.new_chat_members[0].id == carla.id
    assert updates[4].message.left_chat_member.id == carla.id
    assert emu.message(world.group.id, post.message_id).edited == 1


async def test_chat_member_updates_need_allowed_updates(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """Like Telegram, chat_member updates are only sent when allowed_updates asks for them."""
    emu.set_admin(world.group.id, world.bert)
    assert await bot.get_updates() == ()
    emu.set_admin(world.group.id, world.bert, admin=False)
    (update,) = await bot.get_updates(allowed_updates=[Update.CHAT_MEMBER])
    assert update.chat_member.old_chat_member.status == "administrator"
    assert update.chat_member.new_chat_member.status == "member"


async def test_the_bot_does_not_see_its_own_messages(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """Messages the bot sends queue no updates; ids are shared with users' messages."""
    first = emu.post(world.group.id, world.bert, "vraag")
    sent = await bot.send_message(world.group.id, "antwoord")
    second = emu.post(world.group.id, world.bert, "dank")
    assert (first.message_id, sent.message_id, second.message_id) == (1, 2, 3)
    updates = await bot.get_updates()
    assert [u.message.text for u in updates] == ["vraag", "dank"]


async def test_commands_and_anonymous_admins(
    emu: Emulator, bot: telegram.Bot, world: World
) -> None:
    """A /command gets a bot_command entity; an anonymous admin posts as the chat itself."""
    emu.post(world.group.id, world.bert, "/melding@relaybot_test_bot inbraak")
    emu.post(world.group.id, world.anna, "namens de groep", as_chat=True)
    command, anonymous = await bot.get_updates()
    assert command.message.entities[0].type == "bot_command"
    assert command.message.parse_entity(command.message.entities[0]) == "/melding@relaybot_test_bot"
    assert anonymous.message.sender_chat.id == world.group.id
    assert anonymous.message.from_user.id == 1087968824


async def test_media_posts_carry_file_ids(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """Photos, videos and documents from users have file ids the bot can send again."""
    emu.post_photo(world.group.id, world.bert, caption="auto")
    emu.post_video(world.group.id, world.bert)
    emu.post_document(world.group.id, world.bert, file_name="kaart.pdf")
    photo, video, document = (u.message for u in await bot.get_updates())
    assert photo.caption == "auto" and len(photo.photo) == 3
    assert video.video.file_id and document.document.file_name == "kaart.pdf"
    resent = await bot.send_photo(world.group.id, photo.photo[-1].file_id)
    assert resent.photo[-1].file_id == photo.photo[-1].file_id
    with pytest.raises(telegram.error.BadRequest, match=r"^Wrong file identifier"):
        await bot.send_photo(world.group.id, "no-such-file")


async def test_bot_added_to_a_new_group(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """add_bot sends my_chat_member and a new_chat_members message; the bot may then post."""
    group = emu.add_bot("Nieuwe buurt", by=world.anna)
    member_update, service = await bot.get_updates()
    assert member_update.my_chat_member.new_chat_member.status == "member"
    assert service.message.new_chat_members[0].id == emu.bot_user.id
    await bot.send_message(group.id, "hallo buurt")


async def test_raw_updates_pass_through(emu: Emulator, bot: telegram.Bot, world: World) -> None:
    """queue_raw_update delivers any update as given, numbering it when needed."""
    raw = {"message_id": 77, "date": 0, "chat": world.group.to_dict(), "text": "rauw"}
    update_id = emu.queue_raw_update({"message": raw})
    (update,) = await bot.get_updates()
    assert (update.update_id, update.message.text) == (update_id, "rauw")


async def test_a_real_application_answers_a_command(emu: Emulator, world: World) -> None:
    """An unmodified python-telegram-bot Application polls, handles /start and replies."""
    replied = asyncio.Event()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_html(f"Hoi <b>{update.effective_user.first_name}</b>")
        replied.set()

    app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        emu.private_chat(world.bert)
        post = emu.post(world.bert.id, world.bert, "/start")
        await asyncio.wait_for(replied.wait(), 3)
        await app.updater.stop()
        await app.stop()
    (answer,) = emu.bot_messages(world.bert.id)
    assert answer.text == "Hoi Bert" and answer.html == "Hoi <b>Bert</b>"
    assert emu.message(world.bert.id, post.message_id).text == "/start"
    assert emu.confirmed_all()


async def test_a_second_poller_terminates_the_first(emu: Emulator, bot: telegram.Bot) -> None:
    """Two bots polling at once: the earlier getUpdates answers 409 Conflict, as on Telegram."""
    first = asyncio.create_task(bot.get_updates(timeout=LONGER_THAN_ANY_TEST))
    await emu.poll_waiting()
    async with telegram.Bot(emu.token, base_url=emu.base_url) as other:
        second = asyncio.create_task(other.get_updates(timeout=dt.timedelta(seconds=0.05)))
        with pytest.raises(telegram.error.Conflict, match="terminated by other getUpdates"):
            await first
        assert await second == ()


async def test_stop_releases_a_waiting_poll(emu: Emulator, bot: telegram.Bot) -> None:
    """Stopping the emulator answers a waiting long poll at once."""
    poll = asyncio.create_task(bot.get_updates(timeout=LONGER_THAN_ANY_TEST))
    await emu.poll_waiting()
    await emu.stop()
    assert await poll == ()


async def test_privacy_mode_shows_only_commands_and_replies(world: World) -> None:
    """With privacy mode on and no admin rights the bot sees commands and replies to itself."""
    emu = Emulator(privacy_mode=True)
    await emu.start()
    try:
        anna = emu.add_user("Anna")
        group = emu.add_group("Stil", members=[anna], bot_is_admin=False)
        async with telegram.Bot(emu.token, base_url=emu.base_url) as bot:
            assert not (await bot.get_me()).can_read_all_group_messages
            sent = await bot.send_message(group.id, "vraag")
            emu.post(group.id, anna, "gewoon gepraat")
            emu.post(group.id, anna, "/melding nu")
            emu.post(group.id, anna, "/start@other_bot")
            emu.post(group.id, anna, "antwoord", reply_to=sent.message_id)
            updates = await bot.get_updates()
        assert [u.message.text for u in updates] == ["/melding nu", "antwoord"]
    finally:
        await emu.stop()


async def test_serve_forever_runs_until_cancelled(capsys: pytest.CaptureFixture[str]) -> None:
    """serve_forever prints its base_url and token, answers getMe, and stops when cancelled."""
    server = asyncio.create_task(serve_forever(port=0))
    printed = ""
    while "token=" not in printed and not server.done():
        await asyncio.sleep(0.01)
        printed += capsys.readouterr().out
    base_url, token = (part.split("=", 1)[1] for part in printed.split())
    async with telegram.Bot(token, base_url=base_url) as bot:
        assert (await bot.get_me()).username == "relaybot_test_bot"
    server.cancel()
    with pytest.raises(asyncio.CancelledError):
        await server
