"""The lifecycle use case (expire, resolve, retract, housekeeping) over the shared context."""

from __future__ import annotations

import pytest

from relaybot.domain.intents import Outcome, RefreshAlert, Retract, Retracted, Say
from relaybot.domain.model import Post, State
from relaybot.domain.outgoing import Delete, Edit, Send
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
    for kind in (RefreshAlert, Outcome):
        chats = sorted(r.chat_id for r in new if isinstance(r.intent, kind))
        assert chats == sorted([REGIE, GOOR_OOST, GOOR_WEST]), kind
    assert {type(r.intent) for r in new} == {RefreshAlert, Outcome}
    (edit,) = (await world.plan(RefreshAlert, chat_id=GOOR_WEST)).ops
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
    assert isinstance(refusal.intent, Say)
    assert "Alleen beheerders" in refusal.intent.html
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
    (edit,) = (await world.plan(RefreshAlert, chat_id=GOOR_WEST)).ops
    assert isinstance(edit, Edit)
    assert "Afgehandeld:</b> verdachte aangehouden" in edit.html
    assert edit.button is None
    (done,) = await world.rows(Say, chat_id=REGIE, status="pending")
    assert "#1 is afgehandeld" in done.intent.html


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
    assert await world.rows(Retract) == []


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
        plan = await world.plan(Retract, chat_id=chat_id)
        deletes = [(op.chat_id, op.message_id) for op in plan.ops if isinstance(op, Delete)]
        assert (chat_id, message_id) in deletes
    (confirmation,) = await world.rows(Retracted, chat_id=GOOR_OOST, status="pending")
    assert confirmation.intent.reply_to == SIGHTING.message_id


async def _retract_and_delete(world: World, lifecycle: Lifecycle, *, blanked: int) -> Send:
    """Retract #1 and carry out its deletes, the first `blanked` of which Telegram refuses
    (older than 48 hours: the copy is edited instead); the confirmation that follows."""
    await raise_incident(world)
    await lifecycle.retract(Command(Chat(GOOR_OOST), ANNA, 90, "x-1", replied=SIGHTING))
    (waiting,) = await world.rows(Retracted, status="pending")
    assert (await world.delivery.plan(waiting.row)).wait > 0  # the deletes go first
    for queued in await world.rows(Retract, status="pending"):
        plan = await world.delivery.plan(queued.row)
        results: list[int | None] = []
        for op in plan.ops:
            assert isinstance(op, Delete) and "ingetrokken" in op.blank
            results.append(op.message_id if blanked > 0 else None)
            blanked -= 1
        await world.delivery.complete(queued.row, plan, results)
    (op,) = (await world.plan(Retracted, chat_id=GOOR_OOST)).ops
    assert isinstance(op, Send) and op.reply_to == SIGHTING.message_id
    return op


async def test_retract_confirmation_counts_the_deleted_messages(
    world: World, lifecycle: Lifecycle
) -> None:
    """'De bot heeft 2 berichten verwijderd' names as many messages as are deleted (singular
    and plural written out), said once the deletes are done."""
    confirmation = await _retract_and_delete(world, lifecycle, blanked=0)
    assert "De bot heeft 2 berichten verwijderd." in confirmation.html
    assert "leeggemaakt" not in confirmation.html


async def test_retract_confirmation_counts_the_blanked_messages_apart(
    world: World, lifecycle: Lifecycle
) -> None:
    """A copy Telegram no longer lets the bot delete (older than 48 hours) is blanked, and the
    confirmation says so instead of counting it as deleted."""
    confirmation = await _retract_and_delete(world, lifecycle, blanked=1)
    assert (
        "1 bericht verwijderd; 1 bericht was ouder dan 48 uur en is leeggemaakt"
        in confirmation.html
    )


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
        old_row = await outbox.enqueue(conn, Say(-1, "x"), now[0] - 40 * 86400)
        await outbox.done(conn, old_row, now[0] - 40 * 86400)
        recent = await outbox.enqueue(conn, Say(-1, "x"), now[0] - 86400)
        await outbox.done(conn, recent, now[0] - 86400)
        await outbox.enqueue(conn, Say(-1, "x"), now[0] - 40 * 86400)
    assert await lifecycle.housekeeping() == (1, 1)
    async with db.reading() as conn:
        assert not await idempotency.claim(conn, "new", now[0])
        assert await outbox.pending(conn) == 1
