"""Edge cases found in review: a retract racing an alert, moved and deleted sources, local
incidents that go up after all, and what the regiegroep may see of local incidents."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from relaybot.domain.outgoing import Op
from relaybot.stage import Stage
from tests.e2e.conftest import alerts, contents, tag
from tests.e2e.test_network_changes import make_basic_group


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
    await wait_for(lambda: any("ingetrokken" in t for t in contents(stage, source)))
    gate.set()
    await stage.settle()
    assert alerts(stage, stage.regie, 1) == []
    assert alerts(stage, slow, 1) == []


async def test_photo_from_a_group_that_moved_goes_as_text_never_as_another_message(
    stage: Stage,
) -> None:
    """After Goor Oost moved to a new id, forwarding its photo incident sends the alert's
    text: the old message id would name a different (private) message in the new group."""
    source = stage.chats["goor-oost"]
    resident = stage.residents["goor-oost"]
    for n in range(3):
        stage.emu.post(source, resident, f"gewoon gepraat {n}")
    photo = stage.emu.post_photo(source, resident, caption="Verdachte man bij de schuur")
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=photo.message_id)
    await stage.settle()
    make_basic_group(stage, "goor-oost")
    moved = stage.emu.migrate(source)
    await stage.settle()
    for n in range(8):
        stage.emu.post(moved, resident, f"PRIVE: mijn telefoon is 06-1234567{n}")
    await stage.settle()
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(
        stage.regie, stage.contacts[0], "/doorsturen delden-centrum", reply_to=copy.message_id
    )
    await stage.settle()
    got = stage.emu.bot_messages(stage.chats["delden-centrum"])
    assert len(got) == 1
    assert "Verdachte man bij de schuur" in (got[0].content or "")
    assert "PRIVE" not in (got[0].content or "")


async def test_photo_deleted_by_its_author_still_relays_as_text(stage: Stage) -> None:
    """The resident deleted the photo before a forward: the alert still arrives, as text."""
    source = stage.chats["goor-oost"]
    photo = stage.emu.post_photo(
        source, stage.residents["goor-oost"], caption="Fiets zonder eigenaar"
    )
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=photo.message_id)
    await stage.settle()
    stage.emu.message(source, photo.message_id).deleted = True
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(
        stage.regie, stage.contacts[0], "/doorsturen delden-centrum", reply_to=copy.message_id
    )
    await stage.settle()
    got = alerts(stage, stage.chats["delden-centrum"], 1)
    assert len(got) == 1 and "Fiets zonder eigenaar" in (got[0].content or "")
    stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:1")
    await stage.settle()
    assert "112 gebeld om" in (alerts(stage, stage.chats["delden-centrum"], 1)[0].content or "")


async def test_a_moved_group_still_reports_112_and_lists_its_incidents(stage: Stage) -> None:
    """In Goor Centrum after its move, '112 gebeld' (no reply) flags the incident it held and
    /meldingen lists it."""
    await tag(stage, "goor-oost", "Busje met draaiende motor")
    moved = stage.emu.migrate(make_basic_group(stage, "goor-centrum"))
    await stage.settle()
    stage.emu.post(moved, stage.co_admins["goor-centrum"], "/meldingen")
    await stage.settle()
    assert "#1" in contents(stage, moved)[-1]
    stage.emu.post(moved, stage.residents["goor-centrum"], "ik heb 112 gebeld")
    await stage.settle()
    assert "112 gebeld om" in (alerts(stage, stage.regie, 1)[0].content or "")


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
