"""The tagging use case (/regie) over the shared context, with a fake clock and real SQLite."""

from __future__ import annotations

import pytest

from relaybot.domain.intents import Alert, Say
from relaybot.domain.model import Post, Role
from relaybot.domain.outgoing import Send
from relaybot.service import Command
from relaybot.service.tagging import Tagging
from tests.unit.world import (
    CARLA,
    GOOR_OOST,
    GOOR_WEST,
    MARKELO,
    REGIE,
    SIGHTING,
    World,
    tag_command,
)


@pytest.fixture
def tagging(world: World) -> Tagging:
    """The use case under test, over the shared context and nothing else."""
    return Tagging(world.ctx)


async def test_tag_creates_incident_with_alerts_and_confirmation(
    world: World, tagging: Tagging
) -> None:
    """A co-admin's /regie creates #1, queues alerts for regie + goor-west and confirms."""
    await tagging.tag(tag_command())
    incident = await world.incident(1)
    assert incident is not None
    assert incident.source_slug == "goor-oost"
    assert incident.text == SIGHTING.text
    assert incident.note == "let op, rijdt in een grijze bus"
    alerts = await world.rows(Alert)
    assert sorted(r.chat_id for r in alerts) == sorted([REGIE, GOOR_WEST])
    assert all(r.intent.incident == 1 for r in alerts)
    says = await world.rows(Say, chat_id=GOOR_OOST)
    confirmation = says[0].intent
    assert "#1" in confirmation.html
    assert "de regiegroep en Goor West" in confirmation.html
    assert confirmation.reply_to == SIGHTING.message_id
    assert "Goor Centrum" in says[1].intent.html  # adjacent, no chat yet
    assert len(says) == 2
    assert await world.rows(chat_id=MARKELO) == []


async def test_alert_plan_is_the_self_contained_message(world: World, tagging: Tagging) -> None:
    """The alert for goor-west carries number, place, text, note, 112 state and button."""
    await tagging.tag(tag_command())
    plan = await world.plan(Alert, chat_id=GOOR_WEST)
    (op,) = plan.ops
    assert isinstance(op, Send)
    assert op.chat_id == GOOR_WEST
    assert "#1" in op.html
    assert "Goor Oost (Goor)" in op.html
    assert SIGHTING.text in op.html
    assert "grijze bus" in op.html
    assert "112: nog niet gebeld" in op.html
    assert "Piet" not in op.html  # the author is not shown by default
    assert op.button == 1
    assert op.record is Role.ALERT


async def test_same_command_twice_has_no_second_effect(world: World, tagging: Tagging) -> None:
    """A redelivered /regie (same update key) creates nothing new."""
    await tagging.tag(tag_command())
    before = await world.rows()
    await tagging.tag(tag_command())
    assert await world.incident_count() == 1
    assert await world.rows() == before


async def test_tag_on_a_relayed_message_names_its_number(world: World, tagging: Tagging) -> None:
    """A second /regie on the same message is refused with the incident's number."""
    await tagging.tag(tag_command())
    before = len(await world.rows())
    await tagging.tag(tag_command(key="tag-2"))
    assert await world.incident_count() == 1
    new = (await world.rows())[before:]
    assert len(new) == 1
    assert isinstance(new[0].intent, Say)
    assert "hoort al bij melding #1" in new[0].intent.html


@pytest.mark.parametrize(
    ("command", "fragment"),
    [
        (tag_command(actor=CARLA), "Alleen beheerders"),
        (tag_command(replied=None), "als antwoord op het bericht"),
        (tag_command(chat=REGIE, replied=Post(REGIE, 10, "x")), "alleen in een buurtgroep"),
        (tag_command(chat=-999, replied=Post(-999, 10, "x")), "alleen in een buurtgroep"),
    ],
    ids=["not-co-admin", "no-reply", "regie-chat", "unknown-chat"],
)
async def test_refused_tag_answers_one_line_and_relays_nothing(
    world: World, tagging: Tagging, command: Command, fragment: str
) -> None:
    """A refused /regie queues exactly one line in that chat and creates no incident."""
    await tagging.tag(command)
    rows = await world.rows()
    assert len(rows) == 1
    assert isinstance(rows[0].intent, Say)
    assert rows[0].chat_id == command.chat.id
    assert rows[0].intent.reply_to == command.message_id
    assert fragment in rows[0].intent.html
    assert await world.incident_count() == 0
