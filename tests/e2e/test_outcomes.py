"""Outcome notices: every chat that held an incident learns how it ended, in one short line
threaded under its copy (an edit notifies nobody)."""

from __future__ import annotations

import asyncio

from relaybot.sandbox.emulator.records import Message
from relaybot.sandbox.stage import Stage
from tests.e2e.conftest import Clock, alerts, contents, tag

NEIGHBOURS = ["goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"]


def notices(stage: Stage, chat_id: int, number: int) -> list[Message]:
    """The bot's outcome notices about incident #number in a chat."""
    return [
        m
        for m in stage.emu.bot_messages(chat_id)
        if (m.content or "").split(" ", 2)[1:2] == [f"#{number}"]
    ]


async def test_resolve_posts_one_notice_threaded_under_each_copy(stage: Stage) -> None:
    """/afgehandeld with a note from the regiegroep: every other chat holding the incident
    (the source under the resident's own message, each neighbour under its alert) gets one
    notice "#1 afgehandeld: <note>"; the regiegroep has its confirmation instead."""
    original = await tag(stage, "goor-oost", "Verdachte man bij de school")
    regie_copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(
        stage.regie,
        stage.contacts[1],
        "/afgehandeld verdachte aangehouden",
        reply_to=regie_copy.message_id,
    )
    await stage.settle()
    for slug in NEIGHBOURS:
        chat = stage.chats[slug]
        told = notices(stage, chat, 1)
        assert [m.content for m in told] == ["✅ #1 afgehandeld: verdachte aangehouden"], slug
        assert told[0].reply_to == alerts(stage, chat, 1)[0].message_id, slug
    source = notices(stage, stage.chats["goor-oost"], 1)
    assert len(source) == 1 and source[0].reply_to == original.message_id
    assert notices(stage, stage.regie, 1) == []
    assert "#1 is afgehandeld" in contents(stage, stage.regie)[-1]


async def test_expiry_posts_one_notice_in_every_holding_chat(stage: Stage, clock: Clock) -> None:
    """An incident past incident_ttl_hours expires: besides the edit, each holding chat,
    the regiegroep included, gets "#1 verlopen" under its copy."""
    await tag(stage, "goor-oost", "Onbekend busje")
    clock.advance(12 * 3600 + 60)
    assert await stage.runtime.cases.lifecycle.expire() == 1  # what the scheduled job runs
    await stage.settle()
    for slug in ["regie", "goor-oost", *NEIGHBOURS]:
        told = notices(stage, stage.chats[slug], 1)
        assert len(told) == 1 and "#1 verlopen" in (told[0].content or ""), slug
        assert told[0].reply_to is not None, slug


async def test_retract_tells_every_chat_that_saw_the_alert_why_it_vanished(
    stage: Stage,
) -> None:
    """/intrekken by the source co-admin deletes every copy; each chat that had an alert
    keeps one line saying #1 was retracted (a false alarm); the source chat gets its
    confirmation only."""
    original = await tag(stage, "goor-oost", "Loos alarm: het was de buurman")
    chat = stage.chats["goor-oost"]
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/intrekken", reply_to=original.message_id)
    await stage.settle()
    for slug in ["regie", *NEIGHBOURS]:
        assert contents(stage, stage.chats[slug]) == [
            "🗑️ #1 ingetrokken: loos alarm, de melding is verwijderd."
        ], slug
    assert notices(stage, chat, 1) == []
    assert "#1 is ingetrokken" in contents(stage, chat)[-1]


async def test_a_resolve_while_an_alert_is_still_on_its_way_waits_for_it(stage: Stage) -> None:
    """The worst moment: the resolve comes while the alert to one neighbour is still failing
    (Telegram answers 502). That chat gets the alert first, then the notice threaded under
    it: never a notice about an alert it has not seen, never the notice lost."""
    late = stage.chats["goor-zuid"]
    stage.emu.set_fault(chat_id=late, error_code=502, times=3)
    chat = stage.chats["goor-oost"]
    original = stage.emu.post(chat, stage.residents["goor-oost"], "Rook bij de sporthal")
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/regie", reply_to=original.message_id)
    for _ in range(2000):  # until the regiegroep has its copy; goor-zuid's is being retried
        if alerts(stage, stage.regie, 1):
            break
        await asyncio.sleep(0.005)
    assert alerts(stage, late, 1) == []
    regie_copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(stage.regie, stage.contacts[0], "/afgehandeld", reply_to=regie_copy.message_id)
    await stage.settle(within=60)
    alert = alerts(stage, late, 1)
    told = notices(stage, late, 1)
    assert len(alert) == 1 and len(told) == 1
    assert told[0].reply_to == alert[0].message_id
    assert told[0].message_id > alert[0].message_id
