"""The "112 already called" flag: first report wins, everyone sees it, nobody calls again."""

from __future__ import annotations

from relaybot.sandbox.stage import Stage
from relaybot.storage import counters
from tests.e2e.conftest import Clock, alerts, contents, tag

HOLDERS = ["goor-oost", "regie", "goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"]


def notices(stage: Stage, chat_id: int) -> list[str]:
    return [c for c in contents(stage, chat_id) if c.startswith("☎️ 112 is gebeld")]


def assert_flagged_everywhere(stage: Stage, name: str, place: str) -> None:
    """Every copy shows who called and where, has no button, and each holding chat got
    exactly one notice threaded under its copy."""
    for slug in HOLDERS:
        chat = stage.chats[slug]
        for copy in alerts(stage, chat, 1):
            assert "112 gebeld om" in (copy.content or ""), slug
            assert f"door {name} ({place})" in (copy.content or ""), slug
            assert copy.buttons == [], slug
        found = [
            m
            for m in stage.emu.bot_messages(chat)
            if (m.content or "").startswith("☎️ 112 is gebeld")
        ]
        assert len(found) == 1, slug
        anchor = alerts(stage, chat, 1) or [stage.emu.messages(chat)[0]]
        assert found[0].reply_to == anchor[0].message_id, slug


async def test_button_press_flags_every_copy_in_every_chat(stage: Stage) -> None:
    """Pressing "Ik heb 112 gebeld" on one copy edits every copy and notifies every chat."""
    await tag(stage, "goor-oost", "Inbreker op het dak")
    copy = alerts(stage, stage.chats["goor-noord"], 1)[0]
    presser = stage.co_admins["goor-noord"]
    callback = stage.emu.press(copy.chat_id, copy.message_id, presser, data="112:1")
    await stage.settle()
    assert_flagged_everywhere(stage, presser.full_name, "Goor Noord")
    assert "Dank u wel" in stage.emu.callback_answers[callback]["text"]


async def test_flag_time_is_shown_in_the_network_time_zone(stage: Stage, clock: Clock) -> None:
    """The HH:MM on the copies is local time in Europe/Amsterdam, not UTC (the bot's clock
    stands at a known moment, so no minute boundary can fall inside the test)."""
    from datetime import UTC, datetime

    clock.stop_at(datetime(2026, 7, 1, 12, 32, 0, tzinfo=UTC).timestamp())  # 14:32 CEST
    await tag(stage, "goor-oost", "Rook uit schuur")
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:1")
    await stage.settle()
    flagged = alerts(stage, stage.regie, 1)[0].content or ""
    assert "112 gebeld om 14:32" in flagged and "12:32" not in flagged


async def test_later_reports_change_nothing_and_are_answered(stage: Stage) -> None:
    """After the flag, a /112 and a '112 gebeld' message each get one reply naming the first
    caller; no copy is edited again, no new notice is posted; both count as prevented."""
    await tag(stage, "goor-oost", "Verdacht persoon")
    first = stage.co_admins["goor-zuid"]
    copy = alerts(stage, stage.chats["goor-zuid"], 1)[0]
    stage.emu.press(copy.chat_id, copy.message_id, first, data="112:1")
    await stage.settle()
    calls_before = len(stage.emu.calls_to("editMessageText"))
    regie_copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(stage.regie, stage.contacts[1], "/112", reply_to=regie_copy.message_id)
    centrum = alerts(stage, stage.chats["goor-centrum"], 1)[0]
    stage.emu.post(
        centrum.chat_id, stage.residents["goor-centrum"], "112 gebeld", reply_to=centrum.message_id
    )
    await stage.settle()
    for chat in (stage.regie, centrum.chat_id):
        answer = contents(stage, chat)[-1]
        assert "112 is al gebeld om" in answer and first.full_name in answer
    assert len(stage.emu.calls_to("editMessageText")) == calls_before
    for slug in HOLDERS:
        assert len(notices(stage, stage.chats[slug])) == 1, slug
    async with stage.runtime.db.reading() as conn:
        assert await counters.counter_total(conn, "duplicates_prevented") == 2


async def test_two_reports_at_the_same_moment_have_one_winner(stage: Stage) -> None:
    """Two presses in two chats, queued together: exactly one is recorded as the caller."""
    await tag(stage, "goor-oost", "Man met bivakmuts")
    a = alerts(stage, stage.chats["goor-centrum"], 1)[0]
    b = alerts(stage, stage.chats["markelo-zuid"], 1)[0]
    one = stage.emu.press(a.chat_id, a.message_id, stage.co_admins["goor-centrum"], data="112:1")
    two = stage.emu.press(b.chat_id, b.message_id, stage.co_admins["markelo-zuid"], data="112:1")
    await stage.settle()
    answers = [stage.emu.callback_answers[one], stage.emu.callback_answers[two]]
    assert sum("Dank u wel" in a["text"] for a in answers) == 1
    later = [a for a in answers if "al gebeld" in a["text"]]
    assert len(later) == 1 and later[0]["show_alert"] is True
    for slug in HOLDERS:
        assert len(notices(stage, stage.chats[slug])) == 1, slug


async def test_112_command_as_reply_to_a_copy(stage: Stage) -> None:
    """/112 as a reply to a copy in any chat flags the incident."""
    await tag(stage, "goor-oost", "Brandlucht")
    copy = alerts(stage, stage.chats["goor-centrum"], 1)[0]
    resident = stage.residents["goor-centrum"]
    stage.emu.post(copy.chat_id, resident, "/112", reply_to=copy.message_id)
    await stage.settle()
    assert_flagged_everywhere(stage, resident.full_name, "Goor Centrum")


async def test_112_command_without_reply_uses_the_one_recent_incident(stage: Stage) -> None:
    """/112 alone in a chat with exactly one recent open incident flags that one."""
    await tag(stage, "goor-oost", "Auto-inbraak")
    resident = stage.residents["goor-oost"]
    stage.emu.post(stage.chats["goor-oost"], resident, "/112")
    await stage.settle()
    assert_flagged_everywhere(stage, resident.full_name, "Goor Oost")


async def test_112_command_without_reply_lists_candidates_when_ambiguous(stage: Stage) -> None:
    """With two recent incidents, /112 alone is answered with a usage line naming both."""
    await tag(stage, "goor-oost", "eerste")
    await tag(stage, "goor-oost", "tweede")
    chat = stage.chats["goor-oost"]
    stage.emu.post(chat, stage.residents["goor-oost"], "/112")
    await stage.settle()
    answer = contents(stage, chat)[-1]
    assert "als antwoord" in answer and "#2" in answer and "#1" in answer
    assert not notices(stage, stage.regie)


async def test_112_command_with_nothing_recent_says_so(stage: Stage, clock) -> None:
    """/112 alone when the only incident is older than the flag window: a usage line."""
    await tag(stage, "goor-oost", "oud nieuws")
    clock.advance(61 * 60)
    chat = stage.chats["goor-oost"]
    stage.emu.post(chat, stage.residents["goor-oost"], "/112")
    await stage.settle()
    assert "geen recente open melding" in contents(stage, chat)[-1]


async def test_resident_message_saying_112_was_called_flags(stage: Stage) -> None:
    """'ik heb 112 gebeld' as a reply to a copy, or alone in a chat with one recent incident."""
    await tag(stage, "goor-oost", "Vechtpartij bij de snackbar")
    copy = alerts(stage, stage.chats["goor-noord"], 1)[0]
    resident = stage.residents["goor-noord"]
    stage.emu.post(copy.chat_id, resident, "Ik heb 112 gebeld!", reply_to=copy.message_id)
    await stage.settle()
    assert_flagged_everywhere(stage, resident.full_name, "Goor Noord")

    await tag(stage, "bentelo-dorp", "Kapotte ruit bij de kerk")
    resident = stage.residents["bentelo-buiten"]
    stage.emu.post(stage.chats["bentelo-buiten"], resident, "politie is gebeld")
    await stage.settle()
    flagged = alerts(stage, stage.regie, 2)[0].content or ""
    assert f"door {resident.full_name} (Bentelo Buitengebied)" in flagged


async def test_questions_and_chatter_do_not_flag(stage: Stage) -> None:
    """'heeft iemand 112 gebeld?' and ordinary chatter leave the incident unflagged."""
    await tag(stage, "goor-oost", "Geluid van glas")
    chat = stage.chats["goor-oost"]
    stage.emu.post(chat, stage.residents["goor-oost"], "Heeft iemand 112 gebeld?")
    stage.emu.post(chat, stage.residents["goor-oost"], "Ik kijk even uit het raam")
    await stage.settle()
    assert "112: nog niet gebeld" in (alerts(stage, stage.regie, 1)[0].content or "")
    assert not notices(stage, chat)


async def test_intent_to_call_after_the_flag_gets_the_reply(stage: Stage) -> None:
    """'ik bel 112' in a chat whose recent incident is flagged: told it was already called."""
    await tag(stage, "goor-oost", "Verdachte situatie")
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:1")
    await stage.settle()
    chat = stage.chats["goor-centrum"]
    said = stage.emu.post(chat, stage.residents["goor-centrum"], "Zal ik 112 bellen?")
    await stage.settle()
    reply = stage.emu.bot_messages(chat)[-1]
    assert "112 is al gebeld om" in (reply.content or "")
    assert stage.contacts[0].first_name in (reply.content or "")
    assert reply.reply_to == said.message_id


async def test_intent_before_any_flag_gets_no_reply(stage: Stage) -> None:
    """'ik bel 112' when nobody has called yet is left alone (calling is right then)."""
    await tag(stage, "goor-oost", "Verdachte situatie")
    chat = stage.chats["goor-centrum"]
    before = len(stage.emu.bot_messages(chat))
    stage.emu.post(chat, stage.residents["goor-centrum"], "ik bel 112")
    await stage.settle()
    assert len(stage.emu.bot_messages(chat)) == before


async def test_112_on_a_resident_message_creates_a_local_flagged_incident(stage: Stage) -> None:
    """/112 as a reply to a message that is no incident yet: a local incident, flagged, not
    relayed to the regiegroep or the neighbours."""
    chat = stage.chats["delden-noord"]
    sighting = stage.emu.post(chat, stage.residents["delden-noord"], "Er brandt een auto")
    stage.emu.post(chat, stage.co_admins["delden-noord"], "/112", reply_to=sighting.message_id)
    await stage.settle()
    notice = [
        m for m in stage.emu.bot_messages(chat) if (m.content or "").startswith("☎️ 112 is gebeld")
    ]
    assert len(notice) == 1 and notice[0].reply_to == sighting.message_id
    assert stage.emu.bot_messages(stage.regie) == []
    stage.emu.post(chat, stage.residents["delden-noord"], "ik bel 112")
    await stage.settle()
    assert "112 is al gebeld" in contents(stage, chat)[-1]


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
