"""PostgreSQL's connections lost and found again: a statement that ran on a connection the
server ended fails with an error the callers already retry; the next use connects again;
tries to connect are spaced while the server does not answer, and said once, without the
password."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from typing import Any

import asyncpg
import pytest
from structlog.testing import capture_logs

from relaybot.storage import counters, engine
from relaybot.storage.engine import Store
from relaybot.storage.lease import Lease
from relaybot.storage.postgres import PostgresDatabase, connect
from relaybot.storage.reconnect import DatabaseUnreachable, Reach
from relaybot.telegram import standby
from tests import postgres

NOW = 1_760_000_000.0


async def end_connections(url: str, doing: str | None = None) -> int:
    """End the other connections to the database (those running `doing`, when given), as
    `pg_terminate_backend` from an operator's session does; how many were ended."""
    admin = await asyncpg.connect(url)
    try:
        ended = await admin.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND ($1::text IS NULL OR query LIKE '%' || $1 || '%')",
            doing,
        )
        return len(ended)
    finally:
        await admin.close()


async def total(db: Store) -> int:
    async with db.reading() as conn:
        return await counters.counter_total(conn, "test")  # type: ignore[arg-type]


async def fails_passing_when_ended(db: Store, work: Coroutine[Any, Any, None]) -> None:
    """Run `work` (it sleeps 30 s in the database), end its connection meanwhile, and check
    that it fails with a passing error."""
    task = asyncio.create_task(work)
    for _ in range(100):
        if await end_connections(str(db.path), "pg_sleep(30)"):
            break
        await asyncio.sleep(0.05)
    with pytest.raises(engine.PASSING):
        await asyncio.wait_for(task, 10)


@pytest.mark.postgresql_only
async def test_connections_ended_while_idle_are_made_again_at_the_next_use(db: Store) -> None:
    """The server ends every connection of the bot while it waits for work: the next write
    and the next read simply work (nothing fails, nothing to retry)."""
    async with db.transaction() as conn:
        await counters.count(conn, "regie", "test", NOW)  # type: ignore[arg-type]
    assert await total(db) == 1
    assert await end_connections(str(db.path)) >= 2  # the writing one and a reading one
    await asyncio.sleep(0.2)  # the client has seen them go
    async with db.transaction() as conn:
        await counters.count(conn, "regie", "test", NOW)  # type: ignore[arg-type]
    assert await total(db) == 2


@pytest.mark.postgresql_only
async def test_a_transaction_whose_connection_is_ended_fails_passing_and_keeps_nothing(
    db: Store,
) -> None:
    """The server ends the connection in the middle of a transaction: the use case gets a
    passing error (the ones callers retry), none of the transaction's writes is kept, and the
    retry on a new connection goes through."""

    async def slow_write() -> None:
        async with db.transaction() as conn:
            await counters.count(conn, "regie", "test", NOW)  # type: ignore[arg-type]
            await conn.execute("SELECT pg_sleep(30)")

    await fails_passing_when_ended(db, slow_write())
    assert await total(db) == 0
    async with db.transaction() as conn:
        await counters.count(conn, "regie", "test", NOW)  # type: ignore[arg-type]
    assert await total(db) == 1


@pytest.mark.postgresql_only
async def test_a_read_whose_connection_is_ended_fails_passing(db: Store) -> None:
    """The same for a read: a passing error, then the next read works."""

    async def slow_read() -> None:
        async with db.reading() as conn:
            await conn.execute_fetchall("SELECT pg_sleep(30)")

    await fails_passing_when_ended(db, slow_read())
    assert await total(db) == 0


@pytest.mark.postgresql_only
async def test_a_server_restart_fails_writes_passing_meanwhile_and_they_go_through_after(
    postgres_server: postgres.Lazy,
) -> None:
    """The server stops (an operator restarts it): a write meanwhile fails with a passing
    error, another at once too (the bot does not hammer a server that is away), and once the
    server is back the next write goes through and nothing written before is lost."""
    server = postgres.Server().start()
    db = None
    try:
        db = await PostgresDatabase(server.url()).open()
        async with db.transaction() as conn:
            await counters.count(conn, "regie", "test", NOW)  # type: ignore[arg-type]
        await asyncio.to_thread(server.halt)
        for _ in range(2):
            with pytest.raises(engine.PASSING):
                async with db.transaction() as conn:
                    await counters.count(conn, "regie", "test", NOW)  # type: ignore[arg-type]
        await asyncio.to_thread(server.resume)
        for _ in range(100):  # the pause after a failed try to connect (at most 0.2 s here)
            try:
                async with db.transaction() as conn:
                    await counters.count(conn, "regie", "test", NOW)  # type: ignore[arg-type]
                break
            except engine.PASSING:
                await asyncio.sleep(0.05)
        assert await total(db) == 2
    finally:
        if db is not None:
            await db.close()
        server.stop()


@pytest.mark.postgresql_only
async def test_a_lease_whose_connection_is_ended_is_renewed_on_a_new_one(
    database_target: str,
) -> None:
    """The server ends the lease's connection: the next renewal connects again and renews,
    so the active process keeps its lease (and goes on sending)."""
    lease = Lease(await connect(database_target), "host1:1", 2.0)
    await lease.prepare()
    assert await lease.take() is not None
    await end_connections(database_target)
    await asyncio.sleep(0.2)
    try:
        assert await standby._renewed(lease, database_target, 1.0)
        assert lease.held() and not lease.conn.is_closed()
    finally:
        await lease.conn.close()


def test_tries_to_connect_are_spaced_and_an_outage_is_logged_once_without_password() -> None:
    """While connecting fails, the next try waits (and a use meanwhile fails at once, as a
    passing error); the outage is logged once, its end once, and never with the password."""
    reach = Reach("postgresql://relaybot:geheim-wachtwoord@db.example/relaybot")
    with capture_logs() as logs:
        reach.check()  # nothing failed yet: go ahead
        error = reach.failed(OSError("connection refused"))
        assert isinstance(error, engine.PASSING)
        with pytest.raises(DatabaseUnreachable):
            reach.check()
        time.sleep(0.15)
        reach.check()  # the first wait (0.1 s) is over: try again
        reach.failed(OSError("connection refused"))
        with pytest.raises(DatabaseUnreachable):
            reach.check()
        reach.answered()
        reach.check()
    events = [entry["event"] for entry in logs]
    assert events == ["database_connection_lost", "database_reconnected"]
    assert "geheim" not in repr(logs) and "geheim" not in str(error)
