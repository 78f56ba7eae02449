"""One active bot per network on PostgreSQL: a lease row with a holder, a generation and an
expiry, all timed by the database's clock (two machines' clocks never need to agree).

- The active process renews the lease every ``ttl / 4`` seconds; the renewal names the
  generation it holds, so a process whose lease was taken over cannot renew it again.
- A standby tries every second to take the lease; it succeeds only once the lease has
  expired (or was released by a clean stop), and then holds the next generation.
- Between renewals the holder trusts its lease only until ``ttl - margin`` seconds after it
  *sent* the last successful renewal (its own monotonic clock, which also runs while the
  process is paused): the database's expiry is later than that, so the holder stops sending
  before a standby can start. See docs/design.md, "One active bot per network".

The table is PostgreSQL's alone (SQLite has one process per file, by an OS lock), made when
first needed; it is not part of the numbered schema that both engines share.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import asyncpg

TABLE = """CREATE TABLE IF NOT EXISTS relaybot_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    holder TEXT NOT NULL,
    generation BIGINT NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL,
    taken_at DOUBLE PRECISION NOT NULL,
    released BOOLEAN NOT NULL DEFAULT false
)"""
_NOW = "EXTRACT(EPOCH FROM clock_timestamp())"

# Take the lease when nobody holds it, or when it expired or was released. Returns the new
# generation and whether the one before ended without a clean release (a take-over).
_TAKE = f"""
WITH before AS (SELECT generation, released FROM relaybot_lease WHERE id = 1)
INSERT INTO relaybot_lease AS l (id, holder, generation, expires_at, taken_at)
VALUES (1, $1, 1, {_NOW} + $2, {_NOW})
ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, generation = l.generation + 1,
    expires_at = excluded.expires_at, taken_at = excluded.taken_at, released = false
WHERE l.expires_at < {_NOW} OR l.released
RETURNING generation, taken_at, COALESCE((SELECT NOT released FROM before), false)
"""
_RENEW = f"""
UPDATE relaybot_lease SET expires_at = {_NOW} + $2
WHERE id = 1 AND generation = $1 AND NOT released AND expires_at >= {_NOW}
RETURNING expires_at
"""
_RELEASE = "UPDATE relaybot_lease SET released = true WHERE id = 1 AND generation = $1"
_READ = f"SELECT holder, generation, expires_at - {_NOW}, released FROM relaybot_lease"


@dataclass(frozen=True)
class Taken:
    generation: int
    taken_at: float  # the database's clock, epoch seconds
    took_over: bool  # the previous holder did not release it (it died or was cut off)


class Lease:
    """The lease of one process, on a connection of its own (never the bot's busy one, so a
    long transaction there cannot delay a renewal)."""

    def __init__(self, conn: asyncpg.Connection, holder: str, ttl: float) -> None:
        self.conn = conn
        self.holder = holder
        self.ttl = ttl
        self.margin = min(1.0, ttl / 4)
        self.generation: int | None = None
        self._valid_until = 0.0  # time.monotonic()

    async def prepare(self) -> None:
        await self.conn.execute(TABLE)

    async def take(self) -> Taken | None:
        """The lease, when free; None while another process holds it."""
        sent = time.monotonic()
        row = await self.conn.fetchrow(_TAKE, self.holder, self.ttl)
        if row is None:
            return None
        self.generation = int(row[0])
        self._valid_until = sent + self.ttl - self.margin
        return Taken(self.generation, float(row[1]), bool(row[2]))

    async def renew(self) -> bool:
        """Extend the lease; False when it was lost (expired and taken, or released)."""
        if self.generation is None:
            return False
        sent = time.monotonic()
        if sent >= self._valid_until:
            return self._lose()
        row = await self.conn.fetchrow(_RENEW, self.generation, self.ttl)
        if row is None:
            return self._lose()
        self._valid_until = sent + self.ttl - self.margin
        return True

    def _lose(self) -> bool:
        self.generation = None
        self._valid_until = 0.0
        return False

    def held(self) -> bool:
        """Whether this process may still send: asked before every call to Telegram."""
        return self.generation is not None and time.monotonic() < self._valid_until

    async def release(self) -> None:
        """A clean stop: a standby may take over at once, and says nothing of it."""
        if self.generation is not None:
            await self.conn.execute(_RELEASE, self.generation)
            self._lose()


async def read(conn: asyncpg.Connection) -> tuple[str, int, float, bool] | None:
    """(holder, generation, seconds until expiry, released), None before any process ran."""
    try:
        row = await conn.fetchrow(_READ)
    except asyncpg.UndefinedTableError:
        return None
    return None if row is None else (str(row[0]), int(row[1]), float(row[2]), bool(row[3]))
