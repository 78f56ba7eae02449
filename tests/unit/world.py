"""A small world for unit tests of the use cases: a fake clock, a real SQLite file, the
shared context and delivery planning (to read what the bot would send), no Telegram.

A test of one use case builds that use case over `world.ctx` and nothing else; an incident a
test needs beforehand is made through storage by `raise_incident`, as `/regie` leaves it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from relaybot.domain.intents import Alert, Intent
from relaybot.domain.model import Actor, Post, Role
from relaybot.domain.outgoing import Send
from relaybot.network_file import parse_network
from relaybot.service import Chat, Command, Context
from relaybot.service.delivery import Delivery, Plan
from relaybot.storage import counters, incidents, outbox
from relaybot.storage.db import Database, fetch_one
from relaybot.storage.outbox import Row

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


@dataclass(frozen=True)
class Queued:
    """An outbox row as a test looks at it: its intent and how far it got."""

    id: int
    status: str
    row: Row

    @property
    def intent(self) -> Intent:
        return self.row.intent

    @property
    def chat_id(self) -> int:
        return self.row.chat_id

    @property
    def priority(self) -> int:
        return self.row.priority


@dataclass
class World:
    ctx: Context
    delivery: Delivery
    db: Database
    clock: Clock
    next_message_id: int = 1000

    async def rows(self, kind: type | None = None, **where: object) -> list[Queued]:
        """Outbox rows, oldest first, optionally of one kind of intent and filtered by column
        values (chat_id, status)."""
        sql = "SELECT id, status FROM outbox"
        if where:
            sql += " WHERE " + " AND ".join(f"{column} = ?" for column in where)
        async with self.db.reading() as conn:
            found = await conn.execute_fetchall(sql, tuple(where.values()))
        queued = [Queued(r[0], r[1], await self.row(r[0])) for r in found]
        return [q for q in queued if kind is None or isinstance(q.intent, kind)]

    async def row(self, row_id: int) -> Row:
        async with self.db.reading() as conn:
            (found,) = await outbox.rows_by_id(conn, [row_id])
        return found

    async def plan(self, kind: type, **where: object) -> Plan:
        """The plan for the single pending row of this kind matching `where`."""
        (found,) = await self.rows(kind, status="pending", **where)
        return await self.delivery.plan(found.row)

    async def deliver(self, rounds: int = 30) -> None:
        """Play the delivery worker: every due row is planned and completed (or postponed)."""
        for _ in range(rounds):
            due = await self.delivery.due(set())
            if not due:
                if await self.delivery.next_due_at() is None:
                    return
                self.clock.now += 1
                continue
            for row in due:
                plan = await self.delivery.plan(row)
                if plan.behind:
                    await self.delivery.put_behind(row)
                    continue
                if plan.wait:
                    await self.delivery.postpone(row, plan.wait, "waiting", count=False)
                    continue
                results: list[int | None] = []
                for op in plan.ops:
                    if isinstance(op, Send):
                        self.next_message_id += 1
                        results.append(self.next_message_id)
                    else:
                        results.append(None)
                await self.delivery.complete(row, plan, results)
            self.clock.now += 1

    async def alert_id(self, chat_id: int, number: int = 1) -> int:
        async with self.db.reading() as conn:
            (copy,) = await incidents.copies(conn, number, chat_id, [Role.ALERT])
        return copy.message_id

    async def incident(self, number: int = 1):
        async with self.db.reading() as conn:
            return await incidents.get(conn, number)

    async def incident_count(self) -> int:
        async with self.db.reading() as conn:
            row = await fetch_one(conn, "SELECT COUNT(*) FROM incidents")
        assert row is not None
        return int(row[0])

    async def counter(self, metric: str) -> int:
        async with self.db.reading() as conn:
            return await counters.counter_total(conn, metric)


async def make_world(db: Database) -> World:
    clock = Clock(START)
    ctx = Context(db, parse_network(NETWORK), clock=clock)
    await ctx.reload_directory()
    return World(ctx, Delivery(ctx), db, clock)


def tag_command(
    key: str = "tag-1",
    chat: int = GOOR_OOST,
    actor: Actor = ANNA,
    replied: Post | None = SIGHTING,
    args: str = "let op, rijdt in een grijze bus",
) -> Command:
    return Command(Chat(chat), actor, 11, key, args=args, replied=replied)


async def raise_incident(world: World, *, deliver: bool = True) -> None:
    """Incident #1 from goor-oost (SIGHTING), alerts queued for the regie chat and goor-west,
    as a co-admin's /regie leaves it; by default delivered everywhere."""
    async with world.db.transaction() as conn:
        incident = await world.ctx.incident_from(
            conn, GOOR_OOST, SIGHTING, note="let op, rijdt in een grijze bus"
        )
        assert incident.number == 1
        for chat_id in (REGIE, GOOR_WEST):
            await outbox.enqueue(conn, Alert(chat_id, 1), world.clock())
    if deliver:
        await world.deliver()
