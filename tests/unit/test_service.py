"""The use cases, driven through `Relay` with a fake clock, a real SQLite file and no Telegram.

What the bot would do is read from the outbox table and from `relay.plan(row)`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from relaybot.domain.model import Actor, Post, Role, State
from relaybot.domain.outgoing import Delete, Edit, Send
from relaybot.network import parse_network
from relaybot.service import Chat, Command, Plan, Relay
from relaybot.storage import chats, incidents
from relaybot.storage.db import Database
from relaybot.storage.outbox import Priority, Row

REGIE = -1001
GOOR_OOST = -101  # the source neighbourhood in these tests
GOOR_WEST = -102  # adjacent to goor-oost
MARKELO = -201  # not adjacent
START = datetime(2024, 6, 1, 18, 30, tzinfo=UTC).timestamp()  # 20:30 in Amsterdam (CEST)

NETWORK = """
[network]
name = "Hof van Twente"
timezone = "Europe/Amsterdam"

[regie]
chat_id = -1001

[coordinators]
chat_id = -1002

[policy]
incident_ttl_hours = 12
flag_window_minutes = 60

[[neighbourhood]]
slug = "goor-oost"
name = "Goor Oost"
kern = "Goor"
chat_id = -101
adjacent = ["goor-west"]

[[neighbourhood]]
slug = "goor-west"
name = "Goor West"
kern = "Goor"
chat_id = -102

[[neighbourhood]]
slug = "goor-centrum"
name = "Goor Centrum"
kern = "Goor"
adjacent = ["goor-oost"]

[[neighbourhood]]
slug = "markelo"
name = "Markelo"
kern = "Markelo"
chat_id = -201
"""

ANNA = Actor(1, "Anna", is_co_admin=True)  # co-admin of goor-oost
BRAM = Actor(2, "Bram")  # contact person in the regie chat
CARLA = Actor(3, "Carla")  # resident of goor-west
DIRK = Actor(4, "Dirk", is_co_admin=True)  # co-admin of goor-west
SIGHTING = Post(GOOR_OOST, 10, "Verdachte man bij de Markt", author="Piet")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class World:
    relay: Relay
    db: Database
    clock: Clock
    next_message_id: int = 1000

    async def rows(self, **where: object) -> list[dict[str, Any]]:
        """Outbox rows, oldest first, optionally filtered by column values."""
        sql = "SELECT id, chat_id, priority, action, incident, payload, status FROM outbox"
        if where:
            sql += " WHERE " + " AND ".join(f"{column} = ?" for column in where)
        async with self.db.reading() as conn, conn.execute(sql, tuple(where.values())) as c:
            found = await c.fetchall()
        return [
            {
                "id": r[0],
                "chat_id": r[1],
                "priority": r[2],
                "action": r[3],
                "incident": r[4],
                "payload": json.loads(r[5]),
                "status": r[6],
            }
            for r in found
        ]

    async def row(self, row_id: int) -> Row:
        async with (
            self.db.reading() as conn,
            conn.execute(
                "SELECT id, chat_id, priority, action, incident, followup, payload, attempts"
                " FROM outbox WHERE id = ?",
                (row_id,),
            ) as c,
        ):
            r = await c.fetchone()
        assert r is not None
        return Row(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7])

    async def plan(self, **where: object) -> Plan:
        """The plan for the single pending row matching `where`."""
        (found,) = await self.rows(status="pending", **where)
        return await self.relay.plan(await self.row(found["id"]))

    async def deliver(self, rounds: int = 30) -> None:
        """Play the delivery worker: every due row is planned and completed (or postponed)."""
        for _ in range(rounds):
            due = await self.relay.due(set())
            if not due:
                if await self.relay.next_due_at() is None:
                    return
                self.clock.now += 1
                continue
            for row in due:
                plan = await self.relay.plan(row)
                if plan.behind:
                    await self.relay.put_behind(row)
                    continue
                results: list[int | None] = []
                for op in plan.ops:
                    if isinstance(op, Send):
                        self.next_message_id += 1
                        results.append(self.next_message_id)
                    else:
                        results.append(None)
                await self.relay.complete(row, plan, results)
            self.clock.now += 1

    async def alert_id(self, chat_id: int, number: int = 1) -> int:
        async with self.db.reading() as conn:
            (copy,) = await incidents.copies(conn, number, chat_id, [Role.ALERT])
        return copy.message_id

    async def incident(self, number: int = 1):
        async with self.db.reading() as conn:
            return await incidents.get(conn, number)

    async def incident_count(self) -> int:
        async with self.db.reading() as conn, conn.execute("SELECT COUNT(*) FROM incidents") as c:
            row = await c.fetchone()
        assert row is not None
        return int(row[0])

    async def counter(self, metric: str) -> int:
        async with self.db.reading() as conn:
            return await chats.counter_total(conn, metric)


@pytest.fixture
async def world(db: Database) -> AsyncIterator[World]:
    clock = Clock(START)
    relay = Relay(db, parse_network(NETWORK), clock=clock)
    await relay.load()
    yield World(relay, db, clock)


def tag_command(
    key: str = "tag-1",
    chat: int = GOOR_OOST,
    actor: Actor = ANNA,
    replied: Post | None = SIGHTING,
    args: str = "let op, rijdt in een grijze bus",
) -> Command:
    return Command(Chat(chat), actor, 11, key, args=args, replied=replied)


async def tagged(world: World) -> None:
    """Incident #1 from goor-oost, delivered everywhere."""
    await world.relay.tag(tag_command())
    await world.deliver()


# --- tag up -----------------------------------------------------------------------------


async def test_tag_creates_incident_with_alerts_and_confirmation(world: World) -> None:
    """A co-admin's /regie creates #1, queues alerts for regie + goor-west and confirms."""
    await world.relay.tag(tag_command())
    incident = await world.incident(1)
    assert incident is not None
    assert incident.source_slug == "goor-oost"
    assert incident.text == SIGHTING.text
    assert incident.note == "let op, rijdt in een grijze bus"
    alerts = await world.rows(action="alert")
    assert sorted(r["chat_id"] for r in alerts) == sorted([REGIE, GOOR_WEST])
    assert all(r["incident"] == 1 for r in alerts)
    says = await world.rows(action="say", chat_id=GOOR_OOST)
    confirmation = says[0]["payload"]
    assert "#1" in confirmation["html"]
    assert "de regiegroep en Goor West" in confirmation["html"]
    assert confirmation["reply_to"] == SIGHTING.message_id
    assert "Goor Centrum" in says[1]["payload"]["html"]  # adjacent, no chat yet
    assert len(says) == 2
    assert await world.rows(chat_id=MARKELO) == []


async def test_alert_plan_is_the_self_contained_message(world: World) -> None:
    """The alert for goor-west carries number, place, text, note, 112 state and button."""
    await world.relay.tag(tag_command())
    plan = await world.plan(action="alert", chat_id=GOOR_WEST)
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


async def test_same_command_twice_has_no_second_effect(world: World) -> None:
    """A redelivered /regie (same update key) creates nothing new."""
    await world.relay.tag(tag_command())
    before = await world.rows()
    await world.relay.tag(tag_command())
    assert await world.incident_count() == 1
    assert await world.rows() == before


async def test_tag_on_a_relayed_message_names_its_number(world: World) -> None:
    """A second /regie on the same message is refused with the incident's number."""
    await world.relay.tag(tag_command())
    before = len(await world.rows())
    await world.relay.tag(tag_command(key="tag-2"))
    assert await world.incident_count() == 1
    new = (await world.rows())[before:]
    assert len(new) == 1
    assert new[0]["action"] == "say"
    assert "hoort al bij melding #1" in new[0]["payload"]["html"]


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
    world: World, command: Command, fragment: str
) -> None:
    """A refused /regie queues exactly one line in that chat and creates no incident."""
    await world.relay.tag(command)
    rows = await world.rows()
    assert len(rows) == 1
    assert rows[0]["action"] == "say"
    assert rows[0]["chat_id"] == command.chat.id
    assert rows[0]["payload"]["reply_to"] == command.message_id
    assert fragment in rows[0]["payload"]["html"]
    assert await world.incident_count() == 0


# --- the 112 flag -----------------------------------------------------------------------


async def test_two_presses_at_once_give_exactly_one_first_report(world: World) -> None:
    """Two 112 presses from two chats: one wins, every holding chat is told once, at priority 0."""
    await tagged(world)
    before = len(await world.rows())
    answers = await asyncio.gather(
        world.relay.press_112(Chat(REGIE), BRAM, await world.alert_id(REGIE), 1, "cb-1"),
        world.relay.press_112(Chat(GOOR_WEST), CARLA, await world.alert_id(GOOR_WEST), 1, "cb-2"),
    )
    new = (await world.rows())[before:]
    refreshes = sorted(r["chat_id"] for r in new if r["action"] == "refresh")
    notices = sorted(r["chat_id"] for r in new if r["action"] == "notice")
    holding = sorted([REGIE, GOOR_OOST, GOOR_WEST])
    assert refreshes == holding
    assert notices == holding
    assert all(r["priority"] == Priority.FLAG for r in new)
    winners = [a for a in answers if not a.alert]
    losers = [a for a in answers if a.alert]
    assert len(winners) == 1 and len(losers) == 1
    assert "Dank je" in winners[0].text
    incident = await world.incident()
    assert incident is not None and incident.flag is not None
    assert f"112 is al gebeld om 20:30 door {incident.flag.by}" in losers[0].text
    assert await world.counter("flag_reports") == 1
    assert await world.counter("duplicates_prevented") == 1


async def test_flag_refresh_and_notice_show_who_called_in_local_time(world: World) -> None:
    """After the first press every alert is edited to show the flag and a notice is threaded."""
    await tagged(world)
    alert_id = await world.alert_id(GOOR_WEST)
    await world.relay.press_112(Chat(REGIE), BRAM, await world.alert_id(REGIE), 1, "cb-1")
    refresh = await world.plan(action="refresh", chat_id=GOOR_WEST)
    (edit,) = refresh.ops
    assert isinstance(edit, Edit)
    assert edit.message_id == alert_id
    assert "112 gebeld om 20:30 door Bram (regiegroep)" in edit.html
    assert edit.button is None
    notice = await world.plan(action="notice", chat_id=GOOR_WEST)
    (send,) = notice.ops
    assert isinstance(send, Send)
    assert send.reply_to == alert_id
    assert "112 is gebeld" in send.html


async def test_same_press_twice_has_no_second_effect(world: World) -> None:
    """A redelivered button press is answered with nothing and queues nothing."""
    await tagged(world)
    regie_alert = await world.alert_id(REGIE)
    await world.relay.press_112(Chat(REGIE), BRAM, regie_alert, 1, "cb-1")
    before = await world.rows()
    answer = await world.relay.press_112(Chat(REGIE), BRAM, regie_alert, 1, "cb-1")
    assert answer.text == ""
    assert await world.rows() == before
    assert await world.counter("duplicates_prevented") == 0


async def test_called_message_replying_to_a_copy_flags_the_incident(world: World) -> None:
    """A resident's '112 gebeld' as a reply to the alert in goor-west flags the incident."""
    await tagged(world)
    before = len(await world.rows())
    post = Post(GOOR_WEST, 50, "112 gebeld!")
    await world.relay.chatter(Chat(GOOR_WEST), CARLA, post, await world.alert_id(GOOR_WEST), "m-1")
    incident = await world.incident()
    assert incident is not None and incident.flag is not None
    assert incident.flag.by == "Carla"
    assert incident.flag.place == "Goor West"
    new = (await world.rows())[before:]
    assert sorted(r["action"] for r in new) == ["notice"] * 3 + ["refresh"] * 3


async def test_ordinary_chatter_changes_nothing(world: World) -> None:
    """A message that neither reports nor announces a call is ignored."""
    await tagged(world)
    before = await world.rows()
    post = Post(GOOR_WEST, 50, "Ik zag hem ook, richting station")
    await world.relay.chatter(Chat(GOOR_WEST), CARLA, post, await world.alert_id(GOOR_WEST), "m-1")
    assert await world.rows() == before
    incident = await world.incident()
    assert incident is not None and incident.flag is None


async def test_intent_to_call_after_the_flag_is_answered_and_counted(world: World) -> None:
    """'ik bel 112' in a chat whose recent incident is flagged gets 'al gebeld' and is counted."""
    await tagged(world)
    await world.relay.press_112(Chat(GOOR_WEST), CARLA, await world.alert_id(GOOR_WEST), 1, "cb")
    await world.deliver()
    world.clock.now += 5 * 60
    before = len(await world.rows())
    post = Post(GOOR_OOST, 60, "ik bel 112")
    await world.relay.chatter(Chat(GOOR_OOST), ANNA, post, None, "m-2")
    (reply,) = (await world.rows())[before:]
    assert reply["chat_id"] == GOOR_OOST
    assert reply["action"] == "say"
    assert reply["priority"] == Priority.FLAG
    assert reply["payload"]["reply_to"] == 60
    assert "112 is al gebeld om 20:30 door Carla" in reply["payload"]["html"]
    assert await world.counter("duplicates_prevented") == 1


async def test_intent_to_call_before_the_flag_is_left_alone(world: World) -> None:
    """'ik bel 112' before anyone reported a call gets no answer and is not counted."""
    await tagged(world)
    before = await world.rows()
    post = Post(GOOR_OOST, 60, "ik bel 112")
    await world.relay.chatter(Chat(GOOR_OOST), ANNA, post, None, "m-2")
    assert await world.rows() == before
    assert await world.counter("duplicates_prevented") == 0


async def test_command_112_after_flag_replies_with_what_is_known(world: World) -> None:
    """A later `/112` reply to a copy is answered with 'al gebeld', nothing is re-flagged."""
    await tagged(world)
    await world.relay.press_112(Chat(REGIE), BRAM, await world.alert_id(REGIE), 1, "cb")
    before = len(await world.rows())
    replied = Post(GOOR_WEST, await world.alert_id(GOOR_WEST), "")
    await world.relay.command_112(Command(Chat(GOOR_WEST), CARLA, 70, "c-1", replied=replied))
    (reply,) = (await world.rows())[before:]
    assert reply["action"] == "say"
    assert reply["payload"]["reply_to"] == 70
    assert "al gebeld om 20:30 door Bram" in reply["payload"]["html"]


async def test_flag_before_alerts_are_delivered_still_delivers_them(world: World) -> None:
    """A 112 press before the alerts went out: every alert is still delivered, then the notice."""
    await world.relay.tag(tag_command())
    await world.relay.command_112(Command(Chat(GOOR_OOST), ANNA, 12, "c-1", replied=SIGHTING))
    await world.deliver(rounds=60)
    assert await world.rows(action="alert", status="pending") == []
    for chat_id in (REGIE, GOOR_WEST):
        assert await world.alert_id(chat_id)


# --- expiry, resolve, retract -------------------------------------------------------------


async def test_expire_closes_old_incidents_and_refreshes_copies(world: World) -> None:
    """After incident_ttl_hours an open incident expires and every alert is refreshed."""
    await tagged(world)
    world.clock.now = START + 12 * 3600 - 1
    assert await world.relay.expire() == 0
    world.clock.now = START + 12 * 3600
    before = len(await world.rows())
    assert await world.relay.expire() == 1
    incident = await world.incident()
    assert incident is not None and incident.state is State.EXPIRED
    new = (await world.rows())[before:]
    assert sorted(r["chat_id"] for r in new) == sorted([REGIE, GOOR_OOST, GOOR_WEST])
    assert {r["action"] for r in new} == {"refresh"}
    (edit,) = (await world.plan(action="refresh", chat_id=GOOR_WEST)).ops
    assert isinstance(edit, Edit)
    assert "Verlopen" in edit.html
    assert edit.button is None
    assert await world.relay.expire() == 0


async def test_press_after_expiry_says_the_incident_is_closed(world: World) -> None:
    """A 112 press on an expired incident records nothing and says it has expired."""
    await tagged(world)
    world.clock.now = START + 13 * 3600
    await world.relay.expire()
    answer = await world.relay.press_112(
        Chat(GOOR_WEST), CARLA, await world.alert_id(GOOR_WEST), 1, "cb"
    )
    assert answer.alert
    assert "verlopen" in answer.text
    incident = await world.incident()
    assert incident is not None and incident.flag is None


async def test_resolve_by_a_resident_is_refused(world: World) -> None:
    """A member who is not a co-admin cannot resolve; the incident stays open."""
    await tagged(world)
    before = len(await world.rows())
    replied = Post(GOOR_WEST, await world.alert_id(GOOR_WEST), "")
    await world.relay.resolve(Command(Chat(GOOR_WEST), CARLA, 80, "r-1", replied=replied))
    (refusal,) = (await world.rows())[before:]
    assert refusal["action"] == "say"
    assert "Alleen beheerders" in refusal["payload"]["html"]
    incident = await world.incident()
    assert incident is not None and incident.state is State.OPEN


async def test_resolve_by_a_contact_person_with_a_note(world: World) -> None:
    """A contact person's /afgehandeld closes it and every alert shows the closing note."""
    await tagged(world)
    replied = Post(REGIE, await world.alert_id(REGIE), "")
    await world.relay.resolve(
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


async def test_resolve_by_a_co_admin_of_a_holding_chat(world: World) -> None:
    """A co-admin of goor-west (which received the alert) may resolve."""
    await tagged(world)
    replied = Post(GOOR_WEST, await world.alert_id(GOOR_WEST), "")
    await world.relay.resolve(Command(Chat(GOOR_WEST), DIRK, 80, "r-1", replied=replied))
    incident = await world.incident()
    assert incident is not None and incident.state is State.RESOLVED


async def test_retract_by_a_co_admin_of_another_chat_is_refused(world: World) -> None:
    """Only the source chat's co-admins (or the regie) may retract."""
    await tagged(world)
    replied = Post(GOOR_WEST, await world.alert_id(GOOR_WEST), "")
    await world.relay.retract(Command(Chat(GOOR_WEST), DIRK, 90, "x-1", replied=replied))
    incident = await world.incident()
    assert incident is not None and incident.state is State.OPEN
    assert await world.rows(action="delete") == []


async def test_retract_queues_deletes_of_every_relayed_copy(world: World) -> None:
    """A source co-admin's /intrekken deletes the bot's alerts in every other chat."""
    await tagged(world)
    alerts = {chat: await world.alert_id(chat) for chat in (REGIE, GOOR_WEST)}
    await world.relay.retract(Command(Chat(GOOR_OOST), ANNA, 90, "x-1", replied=SIGHTING))
    incident = await world.incident()
    assert incident is not None and incident.state is State.RETRACTED
    for chat_id, message_id in alerts.items():
        plan = await world.plan(action="delete", chat_id=chat_id)
        assert Delete(chat_id, message_id) in plan.ops
    (confirmation,) = await world.rows(action="say", chat_id=GOOR_OOST, status="pending")
    assert "ingetrokken" in confirmation["payload"]["html"]
    assert confirmation["payload"]["reply_to"] == SIGHTING.message_id


async def test_retract_confirmation_counts_the_deleted_messages(world: World) -> None:
    """'De bot heeft N bericht(en) verwijderd' names as many messages as are deleted."""
    await tagged(world)
    await world.relay.retract(Command(Chat(GOOR_OOST), ANNA, 90, "x-1", replied=SIGHTING))
    deletes = 0
    for row in await world.rows(action="delete", status="pending"):
        plan = await world.relay.plan(await world.row(row["id"]))
        deletes += sum(isinstance(op, Delete) for op in plan.ops)
    (confirmation,) = await world.rows(action="say", chat_id=GOOR_OOST, status="pending")
    assert deletes == 2
    assert f"{deletes} bericht(en) verwijderd" in confirmation["payload"]["html"]


async def test_housekeeping_forgets_old_keys_and_finished_rows_only(db: Database) -> None:
    """Redelivery keys older than a week and outbox rows finished over a month ago are
    dropped; recent keys, pending rows and recent finished rows stay."""
    from relaybot.domain.patterns import load_patterns
    from relaybot.network import parse_network
    from relaybot.service import Relay
    from relaybot.storage import chats, outbox

    now = [10_000_000.0]
    network = parse_network(
        '[network]\nname = "T"\n[regie]\nchat_id = -1\n[[neighbourhood]]\n'
        'slug = "a"\nname = "A"\nkern = "K"\nchat_id = -2\n'
    )
    relay = Relay(db, network, patterns=load_patterns(), clock=lambda: now[0])
    async with db.transaction() as conn:
        await chats.claim(conn, "old", now[0] - 8 * 86400)
        await chats.claim(conn, "new", now[0] - 86400)
        old_row = await outbox.enqueue(conn, chat_id=-1, action="say", now=now[0] - 40 * 86400)
        await outbox.done(conn, old_row, now[0] - 40 * 86400)
        recent = await outbox.enqueue(conn, chat_id=-1, action="say", now=now[0] - 86400)
        await outbox.done(conn, recent, now[0] - 86400)
        await outbox.enqueue(conn, chat_id=-1, action="say", now=now[0] - 40 * 86400)
    assert await relay.housekeeping() == (1, 1)
    async with db.reading() as conn:
        assert not await chats.claim(conn, "new", now[0])
        assert await outbox.pending(conn) == 1
