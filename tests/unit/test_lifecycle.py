"""The lifecycle use case (expire, resolve, retract, housekeeping) over the shared context."""

from __future__ import annotations

import pytest

from relaybot.domain.model import Post, State
from relaybot.domain.outgoing import Delete, Edit
from relaybot.service import Chat, Command
from relaybot.service.lifecycle import Lifecycle
from relaybot.storage.db import Database
from tests.unit.world import (
    ANNA,
    BRAM,
    CARLA,
    DIRK,
    GOOR_OOST,
    GOOR_WEST,
    REGIE,
    SIGHTING,
    START,
    World,
    raise_incident,
)


@pytest.fixture
def lifecycle(world: World) -> Lifecycle:
    """The use case under test, over the shared context and nothing else."""
    return Lifecycle(world.ctx)


async def test_expire_closes_old_incidents_and_refreshes_copies(
    world: World, lifecycle: Lifecycle
) -> None:
    """After incident_ttl_hours an open incident expires; every alert is refreshed and
    every holding chat gets one outcome notice."""
    await raise_incident(world)
    world.clock.now = START + 12 * 3600 - 1
    assert await lifecycle.expire() == 0
    world.clock.now = START + 12 * 3600
    before = len(await world.rows())
    assert await lifecycle.expire() == 1
    incident = await world.incident()
    assert incident is not None and incident.state is State.EXPIRED
    new = (await world.rows())[before:]
    for action in ("refresh", "outcome"):
        chats = sorted(r["chat_id"] for r in new if r["action"] == action)
        assert chats == sorted([REGIE, GOOR_OOST, GOOR_WEST]), action
    assert {r["action"] for r in new} == {"refresh", "outcome"}
    (edit,) = (await world.plan(action="refresh", chat_id=GOOR_WEST)).ops
    assert isinstance(edit, Edit)
    assert "Verlopen" in edit.html
    assert edit.button is None
    assert await lifecycle.expire() == 0


async def test_resolve_by_a_resident_is_refused(world: World, lifecycle: Lifecycle) -> None:
    """A member who is not a co-admin cannot resolve; the incident stays open."""
    await raise_incident(world)
    before = len(await world.rows())
    replied = Post(GOOR_WEST, await world.alert_id(GOOR_WEST), "")
    await lifecycle.resolve(Command(Chat(GOOR_WEST), CARLA, 80, "r-1", replied=replied))
    (refusal,) = (await world.rows())[before:]
    assert refusal["action"] == "say"
    assert "Alleen beheerders" in refusal["payload"]["html"]
    incident = await world.incident()
    assert incident is not None and incident.state is State.OPEN


async def test_resolve_by_a_contact_person_with_a_note(world: World, lifecycle: Lifecycle) -> None:
    """A contact person's /afgehandeld closes it and every alert shows the closing note."""
    await raise_incident(world)
    replied = Post(REGIE, await world.alert_id(REGIE), "")
    await lifecycle.resolve(
        Command(Chat(REGIE), BRAM, 80, "r-1", args="verdachte aangehouden", replied=replied)
    )
    incident = await world.incident()
    assert incident is not None and incident.state is State.RESOLVED
    assert incident.closing_note == "verdachte aangehouden"
    (edit,) = (await world.plan(action="refresh", chat_id=GOOR_WEST)).ops
    assert isinstance(edit, Edit)
    assert "Afgehandeld:</b> verdachte aangehouden" in edit.html
    assert edit.button is None
    (done,) = await world.rows(action="say", chat_id=REGIE, status="pending")
    assert "#1 is afgehandeld" in done["payload"]["html"]


async def test_resolve_by_a_co_admin_of_a_holding_chat(world: World, lifecycle: Lifecycle) -> None:
    """A co-admin of goor-west (which received the alert) may resolve."""
    await raise_incident(world)
    replied = Post(GOOR_WEST, await world.alert_id(GOOR_WEST), "")
    await lifecycle.resolve(Command(Chat(GOOR_WEST), DIRK, 80, "r-1", replied=replied))
    incident = await world.incident()
    assert incident is not None and incident.state is State.RESOLVED


async def test_retract_by_a_co_admin_of_another_chat_is_refused(
    world: World, lifecycle: Lifecycle
) -> None:
    """Only the source chat's co-admins (or the regie) may retract."""
    await raise_incident(world)
    replied = Post(GOOR_WEST, await world.alert_id(GOOR_WEST), "")
    await lifecycle.retract(Command(Chat(GOOR_WEST), DIRK, 90, "x-1", replied=replied))
    incident = await world.incident()
    assert incident is not None and incident.state is State.OPEN
    assert await world.rows(action="delete") == []


async def test_retract_queues_deletes_of_every_relayed_copy(
    world: World, lifecycle: Lifecycle
) -> None:
    """A source co-admin's /intrekken deletes the bot's alerts in every other chat."""
    await raise_incident(world)
    alerts = {chat: await world.alert_id(chat) for chat in (REGIE, GOOR_WEST)}
    await lifecycle.retract(Command(Chat(GOOR_OOST), ANNA, 90, "x-1", replied=SIGHTING))
    incident = await world.incident()
    assert incident is not None and incident.state is State.RETRACTED
    for chat_id, message_id in alerts.items():
        plan = await world.plan(action="delete", chat_id=chat_id)
        assert Delete(chat_id, message_id) in plan.ops
    (confirmation,) = await world.rows(action="say", chat_id=GOOR_OOST, status="pending")
    assert "ingetrokken" in confirmation["payload"]["html"]
    assert confirmation["payload"]["reply_to"] == SIGHTING.message_id


async def test_retract_confirmation_counts_the_deleted_messages(
    world: World, lifecycle: Lifecycle
) -> None:
    """'De bot heeft N bericht(en) verwijderd' names as many messages as are deleted."""
    await raise_incident(world)
    await lifecycle.retract(Command(Chat(GOOR_OOST), ANNA, 90, "x-1", replied=SIGHTING))
    deletes = 0
    for row in await world.rows(action="delete", status="pending"):
        plan = await world.delivery.plan(await world.row(row["id"]))
        deletes += sum(isinstance(op, Delete) for op in plan.ops)
    (confirmation,) = await world.rows(action="say", chat_id=GOOR_OOST, status="pending")
    assert deletes == 2
    assert f"{deletes} bericht(en) verwijderd" in confirmation["payload"]["html"]


async def test_housekeeping_forgets_old_keys_and_finished_rows_only(db: Database) -> None:
    """Redelivery keys older than a week and outbox rows finished over a month ago are
    dropped; recent keys, pending rows and recent finished rows stay."""
    from relaybot.domain.patterns import load_patterns
    from relaybot.network_file import parse_network
    from relaybot.service import Context
    from relaybot.storage import idempotency, outbox

    now = [10_000_000.0]
    network = parse_network(
        '[network]\nname = "T"\n[regie]\nchat_id = -1\n[[neighbourhood]]\n'
        'slug = "a"\nname = "A"\nkern = "K"\nchat_id = -2\n'
    )
    lifecycle = Lifecycle(Context(db, network, patterns=load_patterns(), clock=lambda: now[0]))
    async with db.transaction() as conn:
        await idempotency.claim(conn, "old", now[0] - 8 * 86400)
        await idempotency.claim(conn, "new", now[0] - 86400)
        old_row = await outbox.enqueue(conn, chat_id=-1, action="say", now=now[0] - 40 * 86400)
        await outbox.done(conn, old_row, now[0] - 40 * 86400)
        recent = await outbox.enqueue(conn, chat_id=-1, action="say", now=now[0] - 86400)
        await outbox.done(conn, recent, now[0] - 86400)
        await outbox.enqueue(conn, chat_id=-1, action="say", now=now[0] - 40 * 86400)
    assert await lifecycle.housekeeping() == (1, 1)
    async with db.reading() as conn:
        assert not await idempotency.claim(conn, "new", now[0])
        assert await outbox.pending(conn) == 1
