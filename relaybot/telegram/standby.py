"""`relaybot run` on PostgreSQL: wait as standby until this process holds the network's lease,
keep it renewed while active, and stop the moment it is lost (see storage/lease.py).

A process that lost its lease sends nothing more: every request to Telegram first asks
whether the lease is still held (`Fence`), and a process that finds it lost, or cannot renew
it in time, exits at once (status 75) without another call or write; systemd starts it
again, as a standby.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import structlog
from telegram.request import HTTPXRequest

from relaybot.storage import engine
from relaybot.storage.heartbeat import mark_standby
from relaybot.storage.lease import Lease, Taken, read
from relaybot.storage.postgres import connect
from relaybot.storage.reconnect import CONNECT_TIMEOUT

log = structlog.get_logger("relaybot.standby")

LEASE_LOST = 75  # EX_TEMPFAIL: restarted by systemd, as a standby


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_ttl(failover_s: float) -> float:
    """The lease lasts half the fail-over time: a standby that looks every `poll(...)` seconds
    takes over well within `failover_s` of the active's last renewal, start-up included."""
    return failover_s / 2


def poll(failover_s: float) -> float:
    return min(1.0, failover_s / 10)


async def wait_for_lease(
    url: str, failover_s: float, heartbeat: Path, stopping: asyncio.Event
) -> tuple[Lease, Taken] | None:
    """Standby until the lease is this process's; None when asked to stop meanwhile."""
    lease = Lease(await connect(url), holder(), lease_ttl(failover_s))
    await lease.prepare()
    said = False
    while not stopping.is_set():
        try:
            taken = await lease.take()
            current = None if taken else await read(lease.conn)
        except (*engine.ERRORS, OSError) as error:  # the database away a moment: look again
            log.warning("lease_check_failed", error=type(error).__name__)
            await _reconnect(lease, url)
            await asyncio.sleep(poll(failover_s))
            continue
        if taken is not None:
            log.info("role", role="active", generation=taken.generation,
                     took_over=taken.took_over)  # fmt: skip
            return lease, taken
        active = current[0] if current else "?"
        if not said:
            log.info("role", role="standby", active=active)
            said = True
        mark_standby(heartbeat, active)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), poll(failover_s))
    await lease.conn.close()
    return None


async def _reconnect(lease: Lease, url: str, within: float = CONNECT_TIMEOUT) -> None:
    """A lease connection that broke is replaced (the next look or renewal uses the new one);
    a try that fails or takes longer than `within` seconds leaves it for the next time."""
    if not lease.conn.is_closed():
        return
    with contextlib.suppress(*engine.ERRORS, OSError, TimeoutError):
        lease.conn = await asyncio.wait_for(connect(url), within)


def lost(lease: Lease) -> None:
    """The lease is gone: not one more call or write from this process."""
    log.error("lease_lost", generation=lease.generation, role="stopped")
    os._exit(LEASE_LOST)


class FencedRequest(HTTPXRequest):
    """python-telegram-bot's HTTP request object (its public `BaseRequest` interface) that
    asks `fence` before every request: on PostgreSQL, whether the lease is still held."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fence: Callable[[], None] | None = None

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if self.fence is not None:
            self.fence()
        return await super().do_request(*args, **kwargs)


def fence(lease: Lease) -> Callable[[], None]:
    """What every request to Telegram asks first."""

    def check() -> None:
        if not lease.held():
            lost(lease)

    return check


async def keep(lease: Lease, url: str) -> None:
    """Renew the lease until cancelled; exit the process once it is lost."""
    every = lease.ttl / 4
    while True:
        await asyncio.sleep(every)
        if not await _renewed(lease, url, every):
            lost(lease)


async def _renewed(lease: Lease, url: str, within: float) -> bool:
    """One renewal. When it fails (the database away a moment, the connection lost: a server
    restart, a terminated backend), the connection is made anew and the renewal tried once
    more; failing still, the lease counts as held only while its time runs (`Lease.held`),
    so a process that cannot reach the database stops sending before a standby may start."""
    for attempt in range(2):
        try:
            return await asyncio.wait_for(lease.renew(), within)
        except (TimeoutError, *engine.ERRORS, OSError) as error:
            log.warning("lease_renewal_failed", error=type(error).__name__)
            if attempt == 0:
                await _reconnect(lease, url, within)
    return lease.held()


async def release(lease: Lease) -> None:
    """A clean stop: the lease is free for a standby at once."""
    with contextlib.suppress(*engine.ERRORS, OSError, TimeoutError):
        await asyncio.wait_for(lease.release(), 5)
    with contextlib.suppress(*engine.ERRORS, OSError, TimeoutError):
        await lease.conn.close(timeout=5)
