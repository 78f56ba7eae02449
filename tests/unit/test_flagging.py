"""The flagging use case (the 112 button, /112, '112 gebeld' in chatter) over the shared context."""

from __future__ import annotations

import asyncio

import pytest

from relaybot.domain.intents import Alert, FlagNotice, RefreshAlert, Say
from relaybot.domain.model import Post, State
from relaybot.domain.outgoing import Edit, Send
from relaybot.service import Chat, Command
from relaybot.service.flagging import Flagging
from relaybot.storage import incidents
from relaybot.storage.outbox import Priority
from tests.unit.world import (
    ANNA,
    BRAM,
    CARLA,
    GOOR_OOST,
    GOOR_WEST,
    REGIE,
    SIGHTING,
    START,
    World,
    raise_incident,
)


@pytest.fixture
def flagging(world: World) -> Flagging:
    """The use case under test, over the shared context and nothing else."""
    return Flagging(world.ctx)


async def test_two_presses_at_once_give_exactly_one_first_report(
    world: World, flagging: Flagging
) -> None:
    """Two 112 presses from two chats: one wins, every holding chat is told once, at priority 0."""
    await raise_incident(world)
    before = len(await world.rows())
    answers = await asyncio.gather(
        flagging.press_112(Chat(REGIE), BRAM, await world.alert_id(REGIE), 1, "cb-1"),
        flagging.press_112(Chat(GOOR_WEST), CARLA, await world.alert_id(GOOR_WEST), 1, "cb-2"),
    )
    new = (await world.rows())[before:]
    refreshes = sorted(r.chat_id for r in new if isinstance(r.intent, RefreshAlert))
    notices = sorted(r.chat_id for r in new if isinstance(r.intent, FlagNotice))
    holding = sorted([REGIE, GOOR_OOST, GOOR_WEST])
    assert refreshes == holding
    assert notices == holding
    assert all(r.priority == Priority.FLAG for r in new)
    winners = [a for a in answers if not a.alert]
    losers = [a for a in answers if a.alert]
    assert len(winners) == 1 and len(losers) == 1
    assert "Dank u wel" in winners[0].text
    incident = await world.incident()
    assert incident is not None and incident.flag is not None
    assert f"112 is al gebeld om 20:30 door {incident.flag.by}" in losers[0].text
    assert await world.counter("flag_reports") == 1
    assert await world.counter("duplicates_prevented") == 1


async def test_flag_refresh_and_notice_show_who_called_in_local_time(
    world: World, flagging: Flagging
) -> None:
    """After the first press every alert is edited to show the flag and a notice is threaded."""
    await raise_incident(world)
    alert_id = await world.alert_id(GOOR_WEST)
    await flagging.press_112(Chat(REGIE), BRAM, await world.alert_id(REGIE), 1, "cb-1")
    refresh = await world.plan(RefreshAlert, chat_id=GOOR_WEST)
    (edit,) = refresh.ops
    assert isinstance(edit, Edit)
    assert edit.message_id == alert_id
    assert "112 gebeld om 20:30 door Bram (regiegroep)" in edit.html
    assert edit.button is None
    notice = await world.plan(FlagNotice, chat_id=GOOR_WEST)
    (send,) = notice.ops
    assert isinstance(send, Send)
    assert send.reply_to == alert_id
    assert "112 is gebeld" in send.html


async def test_same_press_twice_has_no_second_effect(world: World, flagging: Flagging) -> None:
    """A redelivered button press is answered with nothing and queues nothing."""
    await raise_incident(world)
    regie_alert = await world.alert_id(REGIE)
    await flagging.press_112(Chat(REGIE), BRAM, regie_alert, 1, "cb-1")
    before = await world.rows()
    answer = await flagging.press_112(Chat(REGIE), BRAM, regie_alert, 1, "cb-1")
    assert answer.text == ""
    assert await world.rows() == before
    assert await world.counter("duplicates_prevented") == 0


async def test_called_message_replying_to_a_copy_flags_the_incident(
    world: World, flagging: Flagging
) -> None:
    """A resident's '112 gebeld' as a reply to the alert in goor-west flags the incident."""
    await raise_incident(world)
    before = len(await world.rows())
    post = Post(GOOR_WEST, 50, "112 gebeld!")
    await flagging.chatter(Chat(GOOR_WEST), CARLA, post, await world.alert_id(GOOR_WEST), "m-1")
    incident = await world.incident()
    assert incident is not None and incident.flag is not None
    assert incident.flag.by == "Carla"
    assert incident.flag.place == "Goor West"
    new = (await world.rows())[before:]
    kinds = sorted(type(r.intent).__name__ for r in new)
    assert kinds == ["FlagNotice"] * 3 + ["RefreshAlert"] * 3


async def test_ordinary_chatter_changes_nothing(world: World, flagging: Flagging) -> None:
    """A message that neither reports nor announces a call is ignored."""
    await raise_incident(world)
    before = await world.rows()
    post = Post(GOOR_WEST, 50, "Ik zag hem ook, richting station")
    await flagging.chatter(Chat(GOOR_WEST), CARLA, post, await world.alert_id(GOOR_WEST), "m-1")
    assert await world.rows() == before
    incident = await world.incident()
    assert incident is not None and incident.flag is None


async def test_intent_to_call_after_the_flag_is_answered_and_counted(
    world: World, flagging: Flagging
) -> None:
    """'ik bel 112' in a chat whose recent incident is flagged gets 'al gebeld' (an answer at
    the ordinary priority: only 112 notices and edits ride the top one) and is counted; the
    same person repeating it gets no second answer and counts once."""
    await raise_incident(world)
    await flagging.press_112(Chat(GOOR_WEST), CARLA, await world.alert_id(GOOR_WEST), 1, "cb")
    await world.deliver()
    world.clock.now += 5 * 60
    before = len(await world.rows())
    post = Post(GOOR_OOST, 60, "ik bel 112")
    await flagging.chatter(Chat(GOOR_OOST), ANNA, post, None, "m-2")
    (reply,) = (await world.rows())[before:]
    assert reply.chat_id == GOOR_OOST
    assert isinstance(reply.intent, Say)
    assert reply.priority == Priority.NORMAL
    assert reply.intent.reply_to == 60
    assert "112 is al gebeld om 20:30 door Carla" in reply.intent.html
    assert await world.counter("duplicates_prevented") == 1
    again = Post(GOOR_OOST, 61, "ik bel nu echt 112")
    await flagging.chatter(Chat(GOOR_OOST), ANNA, again, None, "m-3")
    assert len(await world.rows()) == before + 1
    assert await world.counter("duplicates_prevented") == 1


async def test_intent_to_call_before_the_flag_is_left_alone(
    world: World, flagging: Flagging
) -> None:
    """'ik bel 112' before anyone reported a call gets no answer and is not counted."""
    await raise_incident(world)
    before = await world.rows()
    post = Post(GOOR_OOST, 60, "ik bel 112")
    await flagging.chatter(Chat(GOOR_OOST), ANNA, post, None, "m-2")
    assert await world.rows() == before
    assert await world.counter("duplicates_prevented") == 0


async def test_command_112_after_flag_replies_with_what_is_known(
    world: World, flagging: Flagging
) -> None:
    """A later `/112` reply to a copy is answered with 'al gebeld', nothing is re-flagged."""
    await raise_incident(world)
    await flagging.press_112(Chat(REGIE), BRAM, await world.alert_id(REGIE), 1, "cb")
    before = len(await world.rows())
    replied = Post(GOOR_WEST, await world.alert_id(GOOR_WEST), "")
    await flagging.command_112(Command(Chat(GOOR_WEST), CARLA, 70, "c-1", replied=replied))
    (reply,) = (await world.rows())[before:]
    assert isinstance(reply.intent, Say)
    assert reply.intent.reply_to == 70
    assert "al gebeld om 20:30 door Bram" in reply.intent.html


async def test_flag_before_alerts_are_delivered_still_delivers_them(
    world: World, flagging: Flagging
) -> None:
    """A 112 press before the alerts went out: every alert is still delivered, then the notice."""
    await raise_incident(world, deliver=False)
    await flagging.command_112(Command(Chat(GOOR_OOST), ANNA, 12, "c-1", replied=SIGHTING))
    await world.deliver(rounds=60)
    assert await world.rows(Alert, status="pending") == []
    for chat_id in (REGIE, GOOR_WEST):
        assert await world.alert_id(chat_id)


async def test_press_after_expiry_says_the_incident_is_closed(
    world: World, flagging: Flagging
) -> None:
    """A 112 press on an expired incident records nothing and says it has expired."""
    await raise_incident(world)
    world.clock.now = START + 13 * 3600
    async with world.db.transaction() as conn:  # as lifecycle's expiry leaves it
        await incidents.close(conn, 1, State.EXPIRED, world.clock())
    answer = await flagging.press_112(
        Chat(GOOR_WEST), CARLA, await world.alert_id(GOOR_WEST), 1, "cb"
    )
    assert answer.alert
    assert "verlopen" in answer.text
    incident = await world.incident()
    assert incident is not None and incident.flag is None
