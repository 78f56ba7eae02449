"""Resolve, retract, expire and list incidents; /help; the bot's command menu."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from relaybot.domain.outgoing import Op
from relaybot.sandbox.stage import Stage, open_stage
from tests.e2e.conftest import EXAMPLE, Clock, alerts, contents, tag


async def test_resolve_edits_every_copy_and_removes_the_button(stage: Stage) -> None:
    """/afgehandeld with a note, by a co-admin of a holding chat: every copy says resolved,
    with the note, and has no 112 button."""
    await tag(stage, "goor-oost", "Verdachte man bij de school")
    copy = alerts(stage, stage.chats["goor-noord"], 1)[0]
    stage.emu.post(
        copy.chat_id,
        stage.co_admins["goor-noord"],
        "/afgehandeld verdachte aangehouden",
        reply_to=copy.message_id,
    )
    await stage.settle()
    for slug in ["regie", "goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"]:
        shown = alerts(stage, stage.chats[slug], 1)[0]
        assert "Afgehandeld: verdachte aangehouden" in (shown.content or ""), slug
        assert shown.buttons == [], slug
    assert "#1 is afgehandeld" in contents(stage, copy.chat_id)[-1]


async def test_resolve_refused_for_a_resident_and_for_a_non_holding_co_admin(stage: Stage) -> None:
    """Residents, and co-admins of chats that do not hold the incident, cannot resolve it."""
    await tag(stage, "goor-oost", "Inbraakpoging")
    copy = alerts(stage, stage.chats["goor-noord"], 1)[0]
    stage.emu.post(
        copy.chat_id, stage.residents["goor-noord"], "/opgelost", reply_to=copy.message_id
    )
    await stage.settle()
    assert "Alleen beheerders" in contents(stage, copy.chat_id)[-1]
    assert "nog niet gebeld" in (alerts(stage, stage.regie, 1)[0].content or "")
    assert alerts(stage, stage.regie, 1)[0].buttons


async def test_contact_person_resolves_from_the_regie_chat(stage: Stage) -> None:
    """Any contact person may resolve, without a note."""
    await tag(stage, "goor-oost", "Hond loopt los")
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(stage.regie, stage.contacts[2], "/resolved", reply_to=copy.message_id)
    await stage.settle()
    assert "Afgehandeld" in (alerts(stage, stage.chats["goor-zuid"], 1)[0].content or "")
    stage.emu.post(stage.regie, stage.contacts[2], "/resolved", reply_to=copy.message_id)
    await stage.settle()
    assert "al afgehandeld" in contents(stage, stage.regie)[-1]


async def test_resolve_without_reply_explains_usage(stage: Stage) -> None:
    """/afgehandeld that does not reply to a copy: one usage line, nothing changes."""
    await tag(stage, "goor-oost", "Iets")
    stage.emu.post(stage.regie, stage.contacts[0], "/afgehandeld")
    await stage.settle()
    assert "als antwoord op een bericht van een melding" in contents(stage, stage.regie)[-1]


async def test_retract_deletes_every_copy_the_bot_made(stage: Stage) -> None:
    """/intrekken by the source co-admin: alerts, notices and follow-ups disappear from every
    chat (what stays is the one line saying it was retracted, see test_outcomes); the
    resident's own message stays; the source chat is told how many were deleted."""
    original = await tag(stage, "goor-oost", "Loos alarm: het was de buurman")
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:1")
    await stage.settle()
    chat = stage.chats["goor-oost"]
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/intrekken", reply_to=original.message_id)
    await stage.settle()
    for slug in ["regie", "goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"]:
        left = contents(stage, stage.chats[slug])
        assert left == ["🗑️ #1 ingetrokken: loos alarm, de melding is verwijderd."], slug
    assert not stage.emu.message(chat, original.message_id).deleted
    assert "#1 is ingetrokken" in contents(stage, chat)[-1]
    assert "11 berichten" in contents(stage, chat)[-1]  # 5 alerts, 6 notices


async def test_retract_after_48_hours_blanks_what_can_no_longer_be_deleted(stage: Stage) -> None:
    """Telegram lets a bot delete a message for 48 hours only: a retract after that edits each
    copy to the retracted line instead (a bot may edit its own messages at any age), so no
    alert text stays visible, and the source chat hears how many were only blanked."""
    original = await tag(stage, "goor-oost", "Loos alarm: het was de buurman")
    stage.emu.clock = lambda: time.time() + 49 * 3600  # the copies are two days old now
    chat = stage.chats["goor-oost"]
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/intrekken", reply_to=original.message_id)
    await stage.settle()
    for slug in ["regie", "goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"]:
        shown = contents(stage, stage.chats[slug])
        assert not any("buurman" in text for text in shown), slug
        assert "Melding #1 is ingetrokken: loos alarm." in shown[0], slug
    told = contents(stage, chat)[-1]
    assert "0 berichten verwijderd; 5 berichten waren ouder dan 48 uur" in told


async def test_retract_after_48_hours_counts_no_copy_it_could_not_reach(stage: Stage) -> None:
    """A copy in a chat the bot was removed from is neither deleted nor blanked: the
    confirmation counts only the copies it blanked, and says how many it could not reach."""
    original = await tag(stage, "goor-oost", "Loos alarm: het was de buurman")
    stage.emu.remove_bot(stage.chats["markelo-zuid"])
    await stage.settle()
    stage.emu.clock = lambda: time.time() + 49 * 3600  # the copies are two days old now
    chat = stage.chats["goor-oost"]
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/intrekken", reply_to=original.message_id)
    await stage.settle()
    told = contents(stage, chat)[-1]
    assert "0 berichten verwijderd; 4 berichten waren ouder dan 48 uur" in told
    assert "1 bericht kon de bot niet bereiken" in told


async def test_retract_refused_for_a_neighbour_co_admin(stage: Stage) -> None:
    """Only the source chat's co-admins and contact persons may retract."""
    await tag(stage, "goor-oost", "Iets raars")
    copy = alerts(stage, stage.chats["goor-zuid"], 1)[0]
    stage.emu.post(copy.chat_id, stage.co_admins["goor-zuid"], "/retract", reply_to=copy.message_id)
    await stage.settle()
    assert (
        "Alleen beheerders van de groep waar de melding begon" in contents(stage, copy.chat_id)[-1]
    )
    assert len(alerts(stage, stage.regie, 1)) == 1


async def test_incident_expires_after_its_ttl_even_across_a_restart(tmp_path: Path) -> None:
    """An open incident older than incident_ttl_hours is closed by the scheduled job, also
    when the bot was restarted in between: every copy says it expired, no button."""
    clock = Clock()
    database = tmp_path / "db.sqlite3"
    stage = await open_stage(EXAMPLE, database, clock=clock)
    await tag(stage, "goor-oost", "Onbekend busje")
    await stage.runtime.stop()
    clock.advance(12 * 3600 + 60)
    from relaybot.settings import load_settings
    from relaybot.telegram.app import build

    settings = load_settings(
        token=stage.emu.token,
        api_base_url=stage.emu.base_url,
        database=database,
        network_file=EXAMPLE,
    )
    stage.adopt(await build(settings, stage.network, clock=clock))
    await stage.runtime.start(poll_timeout=2)
    try:
        for _ in range(400):  # the job runs a second after start; wait for its effect
            await stage.settle()
            if "Verlopen" in (alerts(stage, stage.regie, 1)[0].content or ""):
                break
            import asyncio

            await asyncio.sleep(0.01)
        for slug in ["regie", "goor-centrum", "markelo-zuid"]:
            shown = alerts(stage, stage.chats[slug], 1)[0]
            assert "Verlopen" in (shown.content or ""), slug
            assert shown.buttons == []
    finally:
        await stage.close()


async def test_incidents_lists_open_incidents_with_their_112_state(stage: Stage) -> None:
    """/meldingen in a neighbourhood lists what that chat holds; in the regie chat, all."""
    await tag(stage, "goor-oost", "Eerste melding")
    await tag(stage, "bentelo-dorp", "Tweede melding")
    copy = alerts(stage, stage.regie, 2)[0]
    stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:2")
    await stage.settle()
    stage.emu.post(stage.regie, stage.contacts[0], "/meldingen")
    stage.emu.post(stage.chats["goor-centrum"], stage.residents["goor-centrum"], "/incidents")
    stage.emu.post(stage.chats["delden-zuid"], stage.residents["delden-zuid"], "/meldingen")
    await stage.settle()
    regie = contents(stage, stage.regie)[-1]
    assert regie.index("#2") < regie.index("#1")
    assert "#2 · Bentelo Dorp (Bentelo)" in regie and "112 gebeld" in regie
    assert "#1 · Goor Oost (Goor)" in regie and "112 nog niet gebeld" in regie
    centrum = contents(stage, stage.chats["goor-centrum"])[-1]
    assert "#1" in centrum and "#2" not in centrum
    assert "geen open meldingen" in contents(stage, stage.chats["delden-zuid"])[-1]


async def test_help_lists_the_commands_this_chat_offers(stage: Stage) -> None:
    """/help in a neighbourhood lists /regie; in the regie chat it does not."""
    stage.emu.post(stage.chats["goor-oost"], stage.residents["goor-oost"], "/help")
    stage.emu.post(stage.regie, stage.contacts[0], "/help")
    await stage.settle()
    hood = contents(stage, stage.chats["goor-oost"])[-1]
    assert "Goor Oost" in hood and "/regie" in hood and "/112" in hood
    regie = contents(stage, stage.regie)[-1]
    assert "/regie " not in regie and "/meldingen" in regie


async def test_bot_sets_its_command_menu_on_start(stage: Stage) -> None:
    """On start the bot registers its commands, so Telegram shows them in the menu."""
    names = [c.params.get("commands") for c in stage.emu.calls_to("setMyCommands")]
    assert names and "regie" in str(names[0]) and "afgehandeld" in str(names[0])


async def wait_for(condition: Callable[[], bool], within: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met in time")


async def test_retract_deletes_an_alert_that_was_still_on_its_way(stage: Stage) -> None:
    """The alert to Markelo Zuid is under way (a slow request) when the regiegroep retracts
    the false alarm: once it lands, it is deleted like every other copy."""
    slow = stage.chats["markelo-zuid"]
    gate = asyncio.Event()
    sender = stage.runtime.worker.sender
    real_run = sender.run

    async def held_run(op: Op) -> int | None:
        if op.chat_id == slow and not gate.is_set():
            await gate.wait()
        return await real_run(op)

    sender.run = held_run  # type: ignore[method-assign]
    source = stage.chats["goor-oost"]
    original = stage.emu.post(source, stage.residents["goor-oost"], "Verdachte auto")
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=original.message_id)
    await wait_for(lambda: bool(alerts(stage, stage.regie, 1)))
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(stage.regie, stage.contacts[0], "/intrekken", reply_to=copy.message_id)
    # retracted: the regiegroep's copy is gone (the source's confirmation, which counts the
    # deletes, waits for the one behind the slow alert)
    await wait_for(lambda: alerts(stage, stage.regie, 1) == [])
    gate.set()
    await stage.settle()
    assert alerts(stage, slow, 1) == []
    assert "#1 is ingetrokken" in contents(stage, source)[-1]


async def test_regie_list_leaves_out_local_incidents(stage: Stage) -> None:
    """A local incident (/112 on a resident's message) stays in its own group: /meldingen in
    the regiegroep does not show its text."""
    chat = stage.chats["goor-oost"]
    message = stage.emu.post(chat, stage.residents["goor-oost"], "Ruzie bij de buren op nr 12")
    stage.emu.post(chat, stage.residents["goor-oost"], "/112", reply_to=message.message_id)
    await stage.settle()
    stage.emu.post(stage.regie, stage.contacts[0], "/meldingen")
    stage.emu.post(chat, stage.residents["goor-oost"], "/meldingen")
    await stage.settle()
    assert "Ruzie" not in contents(stage, stage.regie)[-1]
    assert "Ruzie" in contents(stage, chat)[-1]


async def test_incidents_list_fits_one_message_and_says_how_many_more(stage: Stage) -> None:
    """/meldingen with 30 long open incidents is answered in one message within Telegram's
    limit, ending with how many more there are."""
    limiter = stage.runtime.app.bot.rate_limiter
    limiter.group_limit = (10_000, 60.0)  # set-up only: 30 tags in a few seconds
    limiter.groups.clear()
    slugs = ["goor-oost", "goor-centrum", "goor-noord", "goor-west", "markelo-zuid"]
    for n in range(30):
        await tag(stage, slugs[n % 5], f"Melding {n}: " + "verdachte persoon bij de schuren " * 4)
    before = len(contents(stage, stage.regie))
    stage.emu.post(stage.regie, stage.contacts[2], "/meldingen")
    await stage.settle()
    answer = contents(stage, stage.regie)
    assert len(answer) == before + 1
    assert answer[-1].startswith("Open meldingen") and "open meldingen." in answer[-1]
    assert "#30" in answer[-1] and len(answer[-1]) <= 4096


async def test_a_photo_alert_with_long_notes_still_shows_it_was_resolved(stage: Stage) -> None:
    """A photo alert with a long co-admin note, resolved with a long closing note: every
    caption is edited (cut to fit 1024) to show the resolve, and the button goes."""
    chat = stage.chats["goor-oost"]
    photo = stage.emu.post_photo(chat, stage.residents["goor-oost"], "Man bij de schuur")
    stage.emu.post(
        chat,
        stage.co_admins["goor-oost"],
        "/regie " + "lijkt op vorige week. " * 25,
        reply_to=photo.message_id,
    )
    await stage.settle()
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(
        stage.regie,
        stage.contacts[1],
        "/afgehandeld " + "politie heeft twee personen aangehouden. " * 14,
        reply_to=copy.message_id,
    )
    await stage.settle()
    for slug in ["regie", "goor-centrum", "markelo-zuid"]:
        shown = alerts(stage, stage.chats[slug], 1)[0]
        assert "Afgehandeld" in (shown.caption or ""), slug
        assert len(shown.caption or "") <= 1024 and not shown.buttons, slug
