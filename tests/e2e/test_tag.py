"""Tag up: co-admins relay a sighting to the regiegroep and the adjacent neighbourhoods."""

from __future__ import annotations

import time
from pathlib import Path

from relaybot.sandbox.stage import Stage, open_stage
from tests.e2e.conftest import EXAMPLE, alerts, contents, last_raw_update, tag

NEIGHBOURS_OF_GOOR_OOST = {"goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"}


async def test_tag_reaches_regie_and_exactly_the_adjacent_neighbourhoods(stage: Stage) -> None:
    """/regie by a co-admin: one alert in the regie chat and in each adjacent chat, none
    elsewhere, and one confirmation in the source chat naming #1 and where it went."""
    assert set(stage.network.neighbours("goor-oost")) == NEIGHBOURS_OF_GOOR_OOST
    await tag(stage, "goor-oost", "Twee mannen bij de achterdeur van nummer 12")
    assert len(alerts(stage, stage.regie, 1)) == 1
    for slug in stage.network.neighbourhoods:
        chat = stage.chats[slug]
        expected = 1 if slug in NEIGHBOURS_OF_GOOR_OOST else 0
        assert len(alerts(stage, chat, 1)) == expected, slug
    alert = alerts(stage, stage.regie, 1)[0]
    assert alert.content is not None
    assert "#1 · Goor Oost (Goor)" in alert.content
    assert "Twee mannen bij de achterdeur van nummer 12" in alert.content
    assert "112: nog niet gebeld" in alert.content
    assert alert.buttons == [[("☎️ Ik heb 112 gebeld", "112:1")]]
    confirmation = contents(stage, stage.chats["goor-oost"])
    assert len(confirmation) == 1
    assert "#1" in confirmation[0] and "regiegroep" in confirmation[0]
    assert "Goor Centrum" in confirmation[0] and "Markelo Zuid" in confirmation[0]


async def test_note_is_shown_and_author_is_not(stage: Stage) -> None:
    """The co-admin's note travels with the alert; the resident's name stays in their chat."""
    await tag(
        stage, "delden-centrum", "Busje rijdt langzaam door de straat", note="kenteken 12-AB-3"
    )
    alert = alerts(stage, stage.regie, 1)[0].content or ""
    assert "kenteken 12-AB-3" in alert
    assert stage.residents["delden-centrum"].first_name not in alert


async def test_incident_numbers_count_up_across_the_network(stage: Stage) -> None:
    """Incidents are numbered #1, #2, ... across all neighbourhoods."""
    await tag(stage, "goor-oost", "eerste")
    await tag(stage, "bentelo-dorp", "tweede")
    assert len(alerts(stage, stage.regie, 1)) == 1
    assert len(alerts(stage, stage.regie, 2)) == 1
    assert "Bentelo Dorp (Bentelo)" in (alerts(stage, stage.regie, 2)[0].content or "")


async def test_refusals_answer_one_line_and_relay_nothing(stage: Stage) -> None:
    """Not a co-admin, no reply, already relayed, coordinators chat: one line each, no alert."""
    chat = stage.chats["goor-west"]
    resident = stage.residents["goor-west"]
    message = stage.emu.post(chat, resident, "Er loopt iemand door de tuinen")
    stage.emu.post(chat, resident, "/regie", reply_to=message.message_id)
    stage.emu.post(chat, stage.co_admins["goor-west"], "/regie")
    await stage.settle()
    answers = contents(stage, chat)
    assert len(answers) == 2
    assert "Alleen beheerders" in answers[0]
    assert "als antwoord" in answers[1]
    assert stage.emu.bot_messages(stage.regie) == []

    stage.emu.post(chat, stage.co_admins["goor-west"], "/regie", reply_to=message.message_id)
    await stage.settle()
    stage.emu.post(chat, stage.co_admins["goor-west"], "/relay", reply_to=message.message_id)
    await stage.settle()
    assert "hoort al bij melding #1" in contents(stage, chat)[-1]
    assert len(alerts(stage, stage.regie, 1)) == 1

    coordinators = stage.chats["coordinators"]
    note = stage.emu.post(coordinators, stage.contacts[0], "test")
    stage.emu.post(coordinators, stage.contacts[0], "/regie", reply_to=note.message_id)
    await stage.settle()
    assert "alleen in een buurtgroep" in contents(stage, coordinators)[-1]
    assert len(stage.emu.bot_messages(stage.regie)) == 1


async def test_unknown_group_gets_one_line_and_relays_nothing(stage: Stage) -> None:
    """A group outside the network: commands get one line; nothing is relayed to the regie
    chat, which only hears once that the bot is in that group (it missed being added, so
    the line says it does not know who added the bot)."""
    stranger = stage.emu.add_user("Onbekende", "Beheerder")
    group = stage.emu.add_group(
        "Feestcommissie", -1003000000001, members=[stranger], admins=[stranger]
    )
    message = stage.emu.post(group.id, stranger, "Verdacht!")
    stage.emu.post(group.id, stranger, "/regie", reply_to=message.message_id)
    stage.emu.post(group.id, stranger, "112 gebeld")
    await stage.settle()
    answers = contents(stage, group.id)
    assert len(answers) == 1
    assert "hoort niet bij het netwerk Hof van Twente" in answers[0]
    regie = contents(stage, stage.regie)
    assert len(regie) == 1 and "Feestcommissie" in regie[0] and "Verdacht" not in regie[0]
    assert "onbekend wie" in regie[0] and "Onbekende" not in regie[0]


async def test_user_text_and_names_arrive_as_written(tmp_path: Path) -> None:
    """HTML- and Markdown-special characters in text, note and (opted-in) author names are
    escaped, so Telegram accepts the alert and readers see exactly what was written."""
    network = tmp_path / "network.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "show_author_names = false" in text
    network.write_text(
        text.replace("show_author_names = false", "show_author_names = true"), encoding="utf-8"
    )
    stage = await open_stage(network, tmp_path / "db.sqlite3")
    try:
        slug = "goor-oost"
        odd = stage.emu.add_user("<b>Jan & Piet</b>")
        stage.emu.world.chats[stage.chats[slug]].members[odd.id] = (
            "member" if hasattr(stage.emu.world.chats[stage.chats[slug]], "members") else None
        )
        body = "Let op: *_[]()~ en 1 < 2 > 0 & <i>niet cursief</i>"
        original = stage.emu.post(stage.chats[slug], odd, body)
        stage.emu.post(
            stage.chats[slug],
            stage.co_admins[slug],
            "/regie <u>note</u> & co",
            reply_to=original.message_id,
        )
        await stage.settle()
        alert = alerts(stage, stage.regie, 1)[0].content or ""
        assert body in alert
        assert "<u>note</u> & co" in alert
        assert "<b>Jan & Piet</b>" in alert
    finally:
        await stage.close()


async def test_long_text_and_long_caption_are_cut_not_rejected(stage: Stage) -> None:
    """A 4,000-character message and a 1,000-character photo caption still relay, cut to
    Telegram's limits with an ellipsis."""
    four_thousand = "Lange beschrijving. " * 200
    await tag(stage, "goor-oost", four_thousand)
    alert = alerts(stage, stage.regie, 1)[0].content or ""
    assert four_thousand.strip() in alert and "112: nog niet gebeld" in alert
    await tag(stage, "goor-west", "Nog langer verhaal. " * 250)  # 5,000 characters
    alert = alerts(stage, stage.regie, 2)[0].content or ""
    assert len(alert.encode("utf-16-le")) // 2 <= 4096
    assert "…" in alert and "112: nog niet gebeld" in alert

    chat = stage.chats["markelo-noord"]
    photo = stage.emu.post_photo(chat, stage.residents["markelo-noord"], caption="Foto. " * 170)
    stage.emu.post(chat, stage.co_admins["markelo-noord"], "/regie", reply_to=photo.message_id)
    await stage.settle()
    relayed = alerts(stage, stage.regie, 3)[0]
    assert relayed.media == "photo"
    assert relayed.caption is not None and len(relayed.caption) <= 1024
    assert "…" in relayed.caption and "112: nog niet gebeld" in relayed.caption


async def test_photo_is_copied_with_the_alert_as_caption(stage: Stage) -> None:
    """A photo sighting arrives as the photo itself, captioned with the alert and its button."""
    chat = stage.chats["diepenheim-centrum"]
    photo = stage.emu.post_photo(
        chat, stage.residents["diepenheim-centrum"], caption="Deze fiets stond ineens hier"
    )
    stage.emu.post(chat, stage.co_admins["diepenheim-centrum"], "/regie", reply_to=photo.message_id)
    await stage.settle()
    relayed = alerts(stage, stage.regie, 1)[0]
    assert relayed.media == "photo"
    assert "Deze fiets stond ineens hier" in (relayed.caption or "")
    assert relayed.buttons


async def test_anonymous_admin_counts_as_co_admin(stage: Stage) -> None:
    """A /regie sent on behalf of the group itself (an anonymous admin) is a co-admin's."""
    chat = stage.chats["hengevelde-dorp"]
    message = stage.emu.post(chat, stage.residents["hengevelde-dorp"], "Inbraak gezien")
    stage.emu.post(
        chat,
        stage.co_admins["hengevelde-dorp"],
        "/regie",
        reply_to=message.message_id,
        as_chat=True,
    )
    await stage.settle()
    assert len(alerts(stage, stage.regie, 1)) == 1


async def test_follow_up_is_threaded_under_every_copy(stage: Stage) -> None:
    """A co-admin's /regie on a reply to a copy relays it to every chat holding the incident,
    as a reply to the copy there."""
    original = await tag(stage, "goor-oost", "Donkere auto zonder licht")
    chat = stage.chats["goor-oost"]
    news = stage.emu.post(
        chat,
        stage.residents["goor-oost"],
        "Hij rijdt nu richting Markelo",
        reply_to=original.message_id,
    )
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/regie", reply_to=news.message_id)
    await stage.settle()
    for slug in ["regie", *NEIGHBOURS_OF_GOOR_OOST]:
        holder = stage.chats[slug]
        copy = alerts(stage, holder, 1)[0]
        follow = [
            m
            for m in stage.emu.bot_messages(holder)
            if "Hij rijdt nu richting Markelo" in (m.content or "")
        ]
        assert len(follow) == 1, slug
        assert follow[0].reply_to == copy.message_id
        assert "Aanvulling op #1" in (follow[0].content or "")
    assert "Aanvulling op #1" in contents(stage, chat)[-1]


async def test_contact_person_follow_up_from_the_regie_chat(stage: Stage) -> None:
    """A contact person's /update on a reply to the regie copy reaches the other chats."""
    await tag(stage, "goor-oost", "Man met koevoet")
    copy = alerts(stage, stage.regie, 1)[0]
    news = stage.emu.post(
        stage.regie,
        stage.contacts[1],
        "De man is richting de Markt gelopen",
        reply_to=copy.message_id,
    )
    stage.emu.post(stage.regie, stage.contacts[1], "/update", reply_to=news.message_id)
    await stage.settle()
    source = stage.emu.bot_messages(stage.chats["goor-oost"])
    assert any("De man is richting de Markt gelopen" in (m.content or "") for m in source)
    goor_centrum = stage.emu.bot_messages(stage.chats["goor-centrum"])
    assert any("De man is richting de Markt gelopen" in (m.content or "") for m in goor_centrum)


async def test_edit_of_the_original_reaches_every_copy(stage: Stage) -> None:
    """When the resident corrects their message, every relayed copy shows the new text."""
    original = await tag(stage, "goor-oost", "Blauwe bestelbus")
    stage.emu.edit(stage.chats["goor-oost"], original.message_id, "Groene bestelbus")
    await stage.settle()
    for slug in ["regie", *NEIGHBOURS_OF_GOOR_OOST]:
        copy = alerts(stage, stage.chats[slug], 1)[0]
        assert "Groene bestelbus" in (copy.content or ""), slug
        assert "Blauwe" not in (copy.content or "")


async def test_redelivered_update_relays_nothing_twice(stage: Stage) -> None:
    """The same /regie update delivered again (a restart, a retried webhook) has no effect."""
    chat = stage.chats["goor-oost"]
    original = stage.emu.post(chat, stage.residents["goor-oost"], "Glasgerinkel gehoord")
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/regie", reply_to=original.message_id)
    raw = last_raw_update(stage)
    await stage.settle()
    before = len(stage.emu.calls)
    raw.pop("update_id")
    stage.emu.queue_raw_update(raw)
    await stage.settle()
    assert len(alerts(stage, stage.regie, 1)) == 1
    assert len(contents(stage, chat)) == 1
    sends = [c for c in stage.emu.calls[before:] if c.method in ("sendMessage", "copyMessage")]
    assert sends == []


async def test_edit_of_a_follow_up_reaches_every_relayed_follow_up(stage: Stage) -> None:
    """When the resident corrects a message that was relayed as a follow-up, every relayed
    copy of that follow-up shows the new text; the alerts stay as they were."""
    original = await tag(stage, "goor-oost", "Scooter zonder licht")
    chat = stage.chats["goor-oost"]
    news = stage.emu.post(
        chat,
        stage.residents["goor-oost"],
        "Hij reed richting het station",
        reply_to=original.message_id,
    )
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/update", reply_to=news.message_id)
    await stage.settle()
    stage.emu.edit(chat, news.message_id, "Hij reed richting de Markt")
    await stage.settle()
    for slug in ["regie", *NEIGHBOURS_OF_GOOR_OOST]:
        shown = [m.content or "" for m in stage.emu.bot_messages(stage.chats[slug])]
        assert any("Aanvulling op #1" in t and "richting de Markt" in t for t in shown), slug
        assert not any("richting het station" in t for t in shown), slug
        assert "Scooter zonder licht" in (alerts(stage, stage.chats[slug], 1)[0].content or "")


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


async def test_regie_on_a_locally_flagged_message_relays_it_with_its_flag(stage: Stage) -> None:
    """Someone answered a sighting with /112 (a local incident); the co-admin's /regie on it
    then sends it up after all, showing that 112 was already called."""
    source = stage.chats["goor-oost"]
    sighting = stage.emu.post(source, stage.residents["goor-oost"], "Inbraak bezig bij nr 5")
    stage.emu.post(source, stage.residents["goor-oost"], "/112", reply_to=sighting.message_id)
    await stage.settle()
    assert stage.emu.bot_messages(stage.regie) == []
    stage.emu.post(
        source, stage.co_admins["goor-oost"], "/regie achterom", reply_to=sighting.message_id
    )
    await stage.settle()
    alert = alerts(stage, stage.regie, 1)
    assert len(alert) == 1
    assert "112 gebeld om" in (alert[0].content or "") and "achterom" in (alert[0].content or "")
    assert alert[0].buttons == []
    assert len(alerts(stage, stage.chats["goor-centrum"], 1)) == 1
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=sighting.message_id)
    await stage.settle()
    assert "hoort al bij melding #1" in contents(stage, source)[-1]
