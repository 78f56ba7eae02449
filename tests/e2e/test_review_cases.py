"""Cases found in a second review: forged button data, a slug renamed while its incident
is open, forwarding nothing, 'buren' on a new regie message, channels, odd arguments and a
network without neighbourhoods. Each checks what the people in the chats see."""

from __future__ import annotations

import time
from pathlib import Path

from relaybot.network import load_network
from relaybot.stage import Stage, open_stage
from tests.e2e.conftest import EXAMPLE, alerts, contents, tag


async def test_112_button_data_must_belong_to_the_pressed_message(stage: Stage) -> None:
    """Callback data comes from the client and can be forged. A press whose data names #1 on
    a Bentelo message that is no copy of #1 changes nothing: no Goor chat is told that 112
    was called."""
    await tag(stage, "goor-oost")
    await tag(stage, "bentelo-dorp", "Inbraak in schuur")
    chat = stage.chats["bentelo-dorp"]
    holder = stage.emu.bot_messages(chat)[-1]  # the confirmation line in Bentelo, a bot message
    resident = stage.residents["bentelo-dorp"]
    world = stage.emu.world
    world.callback_queries["forged"] = (chat, holder.message_id, resident.id)
    stage.emu.queue_raw_update(
        {
            "callback_query": {
                "id": "forged",
                "from": resident.to_dict(),
                "message": world.message_json(world.chats[chat].messages[holder.message_id]),
                "chat_instance": "1",
                "data": "112:1",
            }
        }
    )
    await stage.settle()
    goor = contents(stage, stage.chats["goor-oost"])
    assert not any("112 is gebeld" in line for line in goor), goor


async def _rename_source_and_restart(stage: Stage, tmp_path: Path) -> int:
    await tag(stage, "goor-oost")
    (alert,) = alerts(stage, stage.regie, 1)
    text = EXAMPLE.read_text().replace('"goor-oost"', '"goor-oost-nieuw"')
    path = tmp_path / "network.toml"
    path.write_text(text)
    stage.network = load_network(path)  # valid: `relaybot check` passes
    await stage.restart()
    return alert.message_id


async def test_forward_of_an_open_incident_after_its_slug_was_renamed(
    stage: Stage, tmp_path: Path
) -> None:
    """An operator renames (or removes) a neighbourhood's slug and restarts while an incident
    from it is open: `/doorsturen delden` still reaches Delden, at once."""
    copy = await _rename_source_and_restart(stage, tmp_path)
    stage.emu.post(stage.regie, stage.contacts[1], "/doorsturen delden", reply_to=copy)
    await stage.settle()
    assert len(alerts(stage, stage.chats["delden-centrum"], 1)) == 1


async def test_plain_forward_after_its_slug_was_renamed_gets_an_answer(
    stage: Stage, tmp_path: Path
) -> None:
    """`/doorsturen` alone on that incident gets its one line (the old slug has no
    neighbours any more)."""
    copy = await _rename_source_and_restart(stage, tmp_path)
    before = len(stage.emu.bot_messages(stage.regie))
    stage.emu.post(stage.regie, stage.contacts[1], "/doorsturen", reply_to=copy)
    await stage.settle()
    assert len(contents(stage, stage.regie)[before:]) == 1


async def test_forward_of_a_service_message_sends_no_empty_alert(stage: Stage) -> None:
    """`/doorsturen alle` replying to a regie message with nothing to relay (here: the
    'X joined' service message) is refused: no empty alert goes to any neighbourhood."""
    newcomer = stage.emu.add_user("Nina", "Nieuw")
    joined = stage.emu.join(stage.regie, newcomer)
    stage.emu.post(stage.regie, stage.contacts[1], "/doorsturen alle", reply_to=joined.message_id)
    await stage.settle()
    sent = alerts(stage, stage.chats["goor-west"], 1)
    assert sent == [], sent[0].content


async def test_doorsturen_buren_on_a_new_regie_message_is_refused_like_plain_doorsturen(
    stage: Stage,
) -> None:
    """Spec 6: targets 'nothing or buren' mean the same, so `/doorsturen buren` on a regie
    message that is not yet a copy gets the usage line, and no incident is created."""
    news = stage.emu.post(stage.regie, stage.contacts[0], "Let op: inbraakgolf in de regio")
    stage.emu.post(stage.regie, stage.contacts[1], "/doorsturen buren", reply_to=news.message_id)
    await stage.settle()
    line = contents(stage, stage.regie)[-1]
    assert "nog geen melding" in line, line


def _channel_post(stage: Stage, chat_id: int, text: str, message_id: int = 7) -> None:
    chat = {"id": chat_id, "type": "channel", "title": "Nieuwskanaal Stokkum"}
    stage.emu.queue_raw_update(
        {
            "channel_post": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "sender_chat": chat,
                "text": text,
                "entities": [
                    {"type": "bot_command", "offset": 0, "length": text.split()[0].__len__()}
                ],
            }
        }
    )


async def test_koppel_in_a_channel_is_refused_not_carded(stage: Stage) -> None:
    """Spec 5: /koppel is for a co-admin in a group. A channel post (no from_user, the
    channel as sender) is no co-admin's and puts no link card in the regie chat."""
    _channel_post(stage, -1009999999999, "/koppel stokkum")
    await stage.settle()
    cards = [m for m in stage.emu.bot_messages(stage.regie) if "Koppelverzoek" in (m.content or "")]
    assert cards == [], cards[0].content


async def test_edited_channel_post_does_not_crash_the_edit_handler(stage: Stage) -> None:
    errors = []
    stage.runtime.app.add_error_handler(lambda u, c: errors.append(c.error) or _noop())
    chat = {"id": -1009999999999, "type": "channel", "title": "Kanaal"}
    stage.emu.queue_raw_update(
        {
            "edited_channel_post": {
                "message_id": 3,
                "date": int(time.time()),
                "edit_date": int(time.time()),
                "chat": chat,
                "sender_chat": chat,
                "text": "bewerkt",
            }
        }
    )
    await stage.settle()
    assert errors == []


async def _noop():
    return None


async def test_forward_with_many_unknown_words_still_gets_its_one_line(stage: Stage) -> None:
    """Refusals are answered with one line, also when echoing 2,000 unknown target words
    would make it longer than Telegram's 4096 characters (the echo is cut)."""
    await tag(stage, "goor-oost")
    (alert,) = alerts(stage, stage.regie, 1)
    before = len(stage.emu.bot_messages(stage.regie))
    text = "/doorsturen " + " ".join(["x"] * 2000)
    assert len(text) <= 4096
    stage.emu.post(stage.regie, stage.contacts[1], text, reply_to=alert.message_id)
    await stage.settle()
    lines = [m.content or "" for m in stage.emu.bot_messages(stage.regie)][before:]
    assert len(lines) == 1 and "Onbekend doel" in lines[0]


async def test_buren_with_a_long_word_still_gets_its_one_line(stage: Stage) -> None:
    text = "/buren " + "x" * 4080
    stage.emu.post(stage.regie, stage.contacts[1], text)
    await stage.settle()
    lines = [m.content or "" for m in stage.emu.bot_messages(stage.regie)]
    assert len(lines) == 1 and "geen buurt" in lines[0]


async def test_buren_in_the_regie_chat_of_a_network_without_neighbourhoods(tmp_path: Path) -> None:
    """A network file with only [network] and [regie] is valid; /buren in its regie chat
    still gets its one line."""
    path = tmp_path / "network.toml"
    path.write_text('[network]\nname = "Nieuw"\n[regie]\nchat_id = -1001000000001\n')
    stage = await open_stage(path, tmp_path / "db.sqlite3")
    try:
        stage.emu.post(stage.regie, stage.contacts[0], "/buren")
        await stage.settle()
        assert len(stage.emu.bot_messages(stage.regie)) == 1
    finally:
        await stage.close()
