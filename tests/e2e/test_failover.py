"""One active bot per network on PostgreSQL, a standby ready: two `relaybot run` processes
on one database, as on two machines (each its own heartbeat folder), the active one killed or
paused at the busiest moment, in the middle of a fan-out to 31 chats."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from relaybot.storage.heartbeat import OK, heartbeat_path, read_health
from tests.e2e.test_delivery_faults import Town, until

pytestmark = pytest.mark.postgresql_only

FAILOVER_S = 15.0  # the default
MAX_IN_FLIGHT = 4  # the default


class Pair(Town):
    """The town's emulator and network; bot processes that share one PostgreSQL database."""

    def __init__(self, tmp_path: Path, url: str) -> None:
        super().__init__(tmp_path, round_trip=0.2)
        self.url = url
        self.folder = tmp_path

    def machine(self, name: str) -> dict[str, str]:
        """The environment of `relaybot run` on one machine (its own heartbeat)."""
        env = self.env()
        env.update(
            RELAYBOT_DATABASE=str(self.folder / name / "relaybot.sqlite3"),
            RELAYBOT_DATABASE_URL=self.url,
            RELAYBOT_LOG_LEVEL="INFO",
        )
        return env

    def health(self, name: str) -> str:
        found = read_health(heartbeat_path(self.folder / name / "relaybot.sqlite3"))
        return found.line if found.code == OK else ""

    async def launch(self, name: str) -> asyncio.subprocess.Process:
        log = (self.folder / f"{name}.log").open("ab")
        process = await asyncio.create_subprocess_exec(
            *self.command(), env=self.machine(name), stdout=log, stderr=log
        )
        log.close()
        self.processes.append(process)
        return process

    def command(self) -> list[str]:
        import sys

        return [sys.executable, "-m", "relaybot", "run"]

    async def unfinished_alerts(self) -> int:
        conn = await asyncpg.connect(self.url)
        try:
            return int(
                await conn.fetchval(
                    "SELECT COUNT(*) FROM outbox WHERE action = 'alert'"
                    " AND status IN ('pending', 'sending')"
                )
            )
        finally:
            await conn.close()

    def sends(self) -> list[str]:
        """Calls that change what people see (a send, an edit, a delete)."""
        changes = ("send", "edit", "delete", "copy", "forward")
        return [call.method for call in self.emu.api.calls if call.method.startswith(changes)]

    def told(self) -> list[str]:
        return [
            m.content or ""
            for m in self.emu.bot_messages(self.network.regie_chat_id)
            if "overgenomen door" in (m.content or "")
        ]


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[Pair]:
    import os

    url = os.environ["RELAYBOT_DATABASE_URL"]  # the test's own database (tests/e2e/conftest)
    opened = await Pair(tmp_path, url).open()
    try:
        yield opened
    finally:
        await opened.close()


async def active_and_standby(pair: Pair) -> asyncio.subprocess.Process:
    """Machine a active (it set its commands), machine b standby; returns a's process."""
    first = await pair.launch("a")
    await until(lambda: len(pair.emu.calls_to("setMyCommands")) == 1, 60, "a active")
    await pair.launch("b")
    await until(lambda: pair.health("b").startswith("ok: standby"), 60, "b standby")
    assert pair.health("a").startswith("ok: running, active")
    return first


async def every_alert_once_or_twice(pair: Pair) -> None:
    """Every chat got the alert and every alert row is recorded; at most the sends in flight
    went out twice, and no chat got more than two copies."""
    await until(pair.reached, 60, "an alert in every chat")
    for _ in range(600):
        if await pair.unfinished_alerts() == 0:
            break
        await asyncio.sleep(0.1)
    assert await pair.unfinished_alerts() == 0
    extra, most = pair.duplicates()
    assert extra <= MAX_IN_FLIGHT and most <= 2, (extra, most)


async def test_sigkill_of_the_active_bot_mid_fan_out_the_standby_takes_over(pair: Pair) -> None:
    """SIGKILL the active process when 8 of 31 alerts are out (its connection to PostgreSQL
    never closes cleanly): the standby is active within failover_s, every chat gets the
    alert, at most max_in_flight duplicates in all and one per chat, and the regiegroep is
    told once who took over."""
    first = await active_and_standby(pair)
    pair.tag()
    await until(lambda: pair.sent() >= 8, 60, "8 alerts sent")
    first.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    await first.wait()
    await until(lambda: len(pair.emu.calls_to("setMyCommands")) == 2, 60, "b active")
    took = time.monotonic() - killed
    assert took < FAILOVER_S, f"standby active after {took:.1f} s"
    await every_alert_once_or_twice(pair)
    await until(lambda: bool(pair.told()), 30, "the regiegroep told")
    await asyncio.sleep(2)
    told = pair.told()
    assert len(told) == 1 and "ingehaald" in told[0], told
    assert pair.health("b").startswith("ok: running, active")


async def test_a_paused_active_bot_that_wakes_after_its_lease_sends_nothing_more(
    pair: Pair,
) -> None:
    """SIGSTOP the active process in the middle of a fan-out, longer than its lease: the
    standby takes over and finishes it; woken, the paused process sends nothing more (it
    exits, status 75) and no chat gets more than the one extra copy that was in flight."""
    first = await active_and_standby(pair)
    pair.tag()
    await until(lambda: pair.sent() >= 8, 60, "8 alerts sent")
    first.send_signal(signal.SIGSTOP)
    try:
        await until(lambda: len(pair.emu.calls_to("setMyCommands")) == 2, 60, "b active")
        await until(pair.reached, 60, "an alert in every chat")
        await until(lambda: bool(pair.told()), 30, "the regiegroep told")
        await asyncio.sleep(2)  # b has nothing left to send
        before = pair.sends()
    finally:
        first.send_signal(signal.SIGCONT)
    assert await asyncio.wait_for(first.wait(), 30) == 75
    await asyncio.sleep(2)
    assert pair.sends() == before  # the woken process sent nothing
    extra, most = pair.duplicates()
    assert extra <= MAX_IN_FLIGHT and most <= 2, (extra, most)
    assert "lease_lost" in (pair.folder / "a.log").read_text()


async def terminate_connections(url: str) -> int:
    """End every other connection to the database, as an operator's `pg_terminate_backend`
    (or a server restart) does; how many were ended."""
    conn = await asyncpg.connect(url)
    try:
        ended = await conn.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return len(ended)
    finally:
        await conn.close()


async def test_the_active_bot_carries_on_after_its_database_connections_are_ended(
    pair: Pair,
) -> None:
    """PostgreSQL ends every connection of the active bot in the middle of a fan-out (its
    lease's too): the bot connects again and carries on as the active one. Every chat gets
    the alert, at most the copies in flight twice, every alert row is recorded, and an alert
    tagged afterwards reaches every chat as well."""
    first = await pair.launch("a")
    await until(lambda: len(pair.emu.calls_to("setMyCommands")) == 1, 60, "a active")
    pair.tag()
    await until(lambda: pair.sent() >= 8, 60, "8 alerts sent")
    assert await terminate_connections(pair.url) >= 2  # the bot's and its lease's
    await every_alert_once_or_twice(pair)
    pair.tag("Tweede melding: verdachte auto bij de school")
    await until(
        lambda: all(pair.copies(chat) >= 2 for chat in pair.targets), 60, "the second alert"
    )
    assert first.returncode is None, "the bot stopped"
    assert pair.health("a").startswith("ok: running, active")
