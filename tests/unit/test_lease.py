"""The network's lease on PostgreSQL: one holder at a time, taken over only once it expired
or was released, and a holder that lost it can never renew it again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from relaybot.storage.lease import Lease, read
from relaybot.storage.postgres import connect

pytestmark = pytest.mark.postgresql_only


@pytest.fixture
async def leases(database_target: str) -> AsyncIterator[list[Lease]]:
    """Two processes' leases on one database, a short lease (0.4 s) each."""
    made = [Lease(await connect(database_target), f"host{n}:1", 0.4) for n in (1, 2)]
    for lease in made:
        await lease.prepare()
    yield made
    for lease in made:
        await lease.conn.close()


async def test_one_holder_at_a_time_and_a_clean_release_is_no_take_over(
    leases: list[Lease],
) -> None:
    """The first takes generation 1; the second cannot take it while it is renewed; after a
    clean release the second takes generation 2, and it is no take-over."""
    first, second = leases
    taken = await first.take()
    assert taken is not None and taken.generation == 1 and not taken.took_over
    assert await second.take() is None
    assert await first.renew() and first.held()
    assert (await read(first.conn))[:2] == ("host1:1", 1)  # type: ignore[index]
    await first.release()
    assert not first.held()
    again = await second.take()
    assert again is not None and again.generation == 2 and not again.took_over


async def test_an_expired_lease_is_taken_over_and_the_old_holder_is_fenced(
    leases: list[Lease],
) -> None:
    """A holder that stops renewing (paused, cut off) trusts its lease no longer than it
    lasts; the other takes it over (a take-over: it was never released), and the old holder's
    renewal is refused from then on."""
    first, second = leases
    assert await first.take() is not None
    await asyncio.sleep(0.5)
    assert not first.held()  # its own clock says so, before anyone took it
    taken = await second.take()
    assert taken is not None and taken.generation == 2 and taken.took_over
    assert not await first.renew()
    assert not first.held()
    assert await second.renew() and second.held()
