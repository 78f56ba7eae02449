"""Crash-safe delivery: each fault placed at the worst moment, Telegram answering after a
round trip (the call carried out on arrival, answered later), the bot run as an operator runs
it (`relaybot run`) where the fault is a process's end."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from relaybot.domain.intents import Say
from relaybot.domain.network import Network
from relaybot.network_file import load_network
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.records import User
from relaybot.sandbox.samples import write_big_network
from relaybot.sandbox.stage import Stage, open_stage
from relaybot.storage import outbox
from tests.e2e.conftest import EXAMPLE, ROOT, alerts, run_env, start_run

HOODS = 30  # an alert from the hub goes to these and the regiegroep


async def until(condition: Callable[[], bool], within: float, what: str) -> None:
    """Wait for a condition (a bound on a hang, not a measurement)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.002)


class Town:
    """An emulator with Telegram's limits and a round trip, a network whose hub is adjacent
    to 30 neighbourhoods, and `relaybot run` processes on one database."""

    def __init__(self, tmp_path: Path, round_trip: float) -> None:
        self.database = tmp_path / "db.sqlite3"
        path = write_big_network(tmp_path / "town.toml", HOODS, hub=True)
        self.network: Network = load_network(path)
        self.emu = Emulator(rate_limits=True, round_trip=round_trip)
        self.path = path
        self.people: dict[str, User] = {}
        self.processes: list[asyncio.subprocess.Process] = []

    async def open(self) -> Town:
        await self.emu.start()
        net = self.network
        self.people = {slug: self.emu.add_user("Beheerder", slug) for slug in net.neighbourhoods}
        self.emu.add_group("Regiegroep", net.regie_chat_id, members=[self.people["hub"]])
        for slug, hood in net.neighbourhoods.items():
            person = self.people[slug]
            self.emu.add_group(hood.name, hood.chat_id, members=[person], admins=[person])
        return self

    @property
    def hub(self) -> int:
        chat = self.network.neighbourhoods["hub"].chat_id
        assert chat is not None
        return chat

    @property
    def targets(self) -> list[int]:
        return [self.network.regie_chat_id] + [
            h.chat_id for s, h in self.network.neighbourhoods.items() if s != "hub" and h.chat_id
        ]

    def env(self) -> dict[str, str]:
        return run_env(
            self.database,
            self.path,
            RELAYBOT_TOKEN=self.emu.token,
            RELAYBOT_API_BASE_URL=self.emu.base_url,
            RELAYBOT_LOG_LEVEL="WARNING",
        )

    async def start(self) -> asyncio.subprocess.Process:
        """`relaybot run`, returned once it has started (it set its commands)."""
        before = len(self.emu.calls_to("setMyCommands"))
        log = self.database.with_name(f"run-{len(self.processes)}.log").open("wb")
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "relaybot",
            "run",
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=log,
        )
        log.close()
        self.processes.append(process)
        await until(lambda: len(self.emu.calls_to("setMyCommands")) > before, 30, "start-up")
        return process

    def tag(self, text: str = "Grote brand, rook boven het dorp") -> None:
        sighting = self.emu.post(self.hub, self.people["hub"], text)
        self.emu.post(self.hub, self.people["hub"], "/regie", reply_to=sighting.message_id)

    def copies(self, chat: int) -> int:
        return sum((m.content or "").startswith("🚨") for m in self.emu.bot_messages(chat))

    def sent(self) -> int:
        """Alerts Telegram has carried out (whether or not the bot has its answer yet)."""
        return sum(self.copies(chat) for chat in self.targets)

    def reached(self) -> bool:
        return all(self.copies(chat) >= 1 for chat in self.targets)

    def settled(self) -> bool:
        """Every alert row finished, as the database says."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE action = 'alert'"
                " AND status IN ('pending', 'sending')"
            ).fetchone()
        return int(row[0]) == 0

    async def all_delivered(self, within: float = 60) -> None:
        await until(self.reached, within, "an alert in every chat")
        await until(self.settled, within, "every alert row recorded")

    def warnings(self) -> int:
        """Warnings the bot gave in the hub."""
        return sum(
            (m.content or "").startswith("⚠️ Waarschuwing") for m in self.emu.bot_messages(self.hub)
        )

    def inbox(self) -> int:
        """Updates stored and not yet handled, as the database says."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM inbox").fetchone()[0])

    def duplicates(self) -> tuple[int, int]:
        """(duplicates in all, most copies in one chat)."""
        counts = [self.copies(chat) for chat in self.targets]
        return sum(counts) - len(counts), max(counts)

    async def close(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await self.emu.stop()


@pytest.fixture
async def town(tmp_path: Path) -> AsyncIterator[Town]:
    opened = await Town(tmp_path, round_trip=0.2).open()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.mark.sqlite_only  # the town's process on its SQLite file; on PostgreSQL: test_failover.py
@pytest.mark.parametrize("after", [5, 18])
async def test_sigkill_mid_fan_out_doubles_at_most_what_was_in_flight(
    town: Town, after: int
) -> None:
    """SIGKILL the moment Telegram has carried out `after` of 31 alerts (more are on their way,
    their answers not yet back): after a restart every chat has the alert, with at most 4
    duplicates in all (RELAYBOT_MAX_IN_FLIGHT) and never more than one extra in a chat."""
    process = await town.start()
    town.tag()
    await until(lambda: town.sent() >= after, 30, f"{after} alerts sent")
    process.send_signal(signal.SIGKILL)
    await process.wait()
    assert town.sent() < len(town.targets), "the kill must land mid fan-out"
    await town.start()
    await town.all_delivered()
    duplicates, most = town.duplicates()
    assert duplicates <= 4 and most <= 2, (duplicates, most)


@pytest.mark.sqlite_only  # the town's process on its SQLite file; on PostgreSQL: test_failover.py
async def test_sigterm_mid_fan_out_sends_nothing_twice(town: Town) -> None:
    """SIGTERM while 4 alerts are in flight: the bot lets them be answered and recorded, exits
    cleanly, and after a restart every chat has exactly one alert."""
    process = await town.start()
    town.tag()
    await until(lambda: town.sent() >= 5, 30, "5 alerts sent")
    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), 30) == 0
    assert town.sent() < len(town.targets), "the stop must land mid fan-out"
    await town.start()
    await town.all_delivered()
    assert town.duplicates() == (0, 1)


@pytest.mark.sqlite_only  # the town's process on its SQLite file; on PostgreSQL: test_failover.py
async def test_the_database_locked_for_12_s_while_a_regie_arrives(town: Town) -> None:
    """Another program holds the database's write lock for 12 s; a /regie sent meanwhile is
    not lost: it is relayed once, when the lock is gone, to every chat."""
    await town.start()
    locker = sqlite3.connect(town.database, isolation_level=None)
    try:
        locker.execute("BEGIN IMMEDIATE")
        town.tag()
        await asyncio.sleep(12)
        assert town.sent() == 0
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    await town.all_delivered()
    assert town.duplicates() == (0, 1)


@pytest.mark.sqlite_only  # the town's process on its SQLite file; on PostgreSQL: test_failover.py
async def test_sigkill_while_a_handler_waits_on_telegram_the_regie_is_relayed_after_restart(
    town: Town,
) -> None:
    """The bot dies while handling a /regie (its co-admin check is waiting on Telegram): the
    update was fetched but never handled, and after a restart it is relayed."""
    process = await town.start()
    checks = len(town.emu.calls_to("getChatAdministrators"))
    town.emu.round_trip = 2.0
    town.tag()
    await until(lambda: len(town.emu.calls_to("getChatAdministrators")) > checks, 30, "admin check")
    process.send_signal(signal.SIGKILL)
    await process.wait()
    town.emu.round_trip = 0.2
    await town.start()
    await town.all_delivered()
    assert town.duplicates() == (0, 1)


@pytest.mark.sqlite_only  # the town's process on its SQLite file; on PostgreSQL: test_failover.py
async def test_sigkill_while_a_finding_is_judged_the_warning_is_given_once_after_restart(
    town: Town,
) -> None:
    """A member posts a blocked word; the bot dies while the finding is judged beside the
    updates (the co-admin lookup waits on Telegram) and after the handled updates would have
    left the inbox. After a restart the member gets the warning, exactly once (on the old
    code the finding lived only in memory: no warning at all)."""
    process = await town.start()
    member = town.emu.add_user("Yvonne", "Testbewoner")
    town.emu.join(town.hub, member)
    await until(lambda: bool(town.emu.bot_messages(town.hub)), 30, "the welcome")
    lookups = len(town.emu.calls_to("getChatAdministrators"))
    town.emu.round_trip = 3.0
    town.emu.post(town.hub, member, "Wat een klootzak is dat")
    await until(lambda: len(town.emu.calls_to("getChatAdministrators")) > lookups, 30, "lookup")
    await asyncio.sleep(1.0)  # the inbox forgets handled updates after 0.3 s of quiet
    process.send_signal(signal.SIGKILL)
    await process.wait()
    assert town.warnings() == 0, "the kill must land before the judgement"
    town.emu.round_trip = 0.2
    await town.start()
    await until(lambda: town.warnings() >= 1, 30, "the warning")
    await until(lambda: town.inbox() == 0, 30, "every update handled")
    assert town.warnings() == 1


@pytest.mark.sqlite_only  # the town's process on its SQLite file; on PostgreSQL: test_failover.py
async def test_a_second_process_on_the_database_refuses_and_a_crash_leaves_no_stale_lock(
    town: Town,
) -> None:
    """A second `relaybot run` on the same database exits non-zero with one line saying
    another bot runs on it; after the first is killed (SIGKILL) a new one starts at once."""
    first = await town.start()
    second = await start_run(town.env())
    town.processes.append(second)
    out, err = await asyncio.wait_for(second.communicate(), 30)
    lines = [line for line in (out + err).decode().splitlines() if line.strip()]
    assert second.returncode != 0
    assert len(lines) == 1 and "another relaybot is running" in lines[0], lines
    first.send_signal(signal.SIGKILL)
    await first.wait()
    await town.start()
    town.tag()
    await town.all_delivered()


@pytest.fixture
async def slow_stage(tmp_path: Path) -> AsyncIterator[Stage]:
    """The example network, Telegram answering after 0.3 s."""
    stage = await open_stage(EXAMPLE, tmp_path / "db.sqlite3", emulator=Emulator(round_trip=0.3))
    try:
        yield stage
    finally:
        await stage.close()


def _targets(stage: Stage) -> list[int]:
    return [stage.regie] + [
        stage.chats[s]
        for s in stage.network.neighbours("goor-oost")
        if stage.ctx.directory.is_linked(s)
    ]


async def test_a_write_failing_after_the_send_never_sends_it_again(
    slow_stage: Stage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up (every COMMIT fails) while the alerts' calls are under way: their
    answers cannot be recorded for 3 s. Nothing is sent twice, and all is recorded after."""
    stage = slow_stage
    conn = stage.runtime.db.conn
    execute = conn.execute
    full = [False]

    def commit_fails(sql: str, *args: Any, **kwargs: Any) -> Any:
        if full[0] and sql == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return execute(sql, *args, **kwargs)

    monkeypatch.setattr(conn, "execute", commit_fails)
    targets = _targets(stage)
    chat = stage.chats["goor-oost"]
    sighting = stage.emu.post(chat, stage.residents["goor-oost"], "Inbraak bij de bakker")
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/regie", reply_to=sighting.message_id)
    await until(lambda: any(alerts(stage, c, 1) for c in targets), 30, "the first alert sent")
    full[0] = True
    await asyncio.sleep(3)
    full[0] = False
    await stage.settle(within=30)
    for target in targets:
        assert len(alerts(stage, target, 1)) == 1, target


async def test_after_a_40_s_outage_the_alert_arrives_within_10_s(stage: Stage) -> None:
    """Telegram fails every send for 40 s (502) while an alert waits; once it answers again
    the alert reaches every chat within 10 s."""
    for method in ("sendMessage", "copyMessage"):
        stage.emu.set_fault(method=method, error_code=502, times=1_000_000)
    targets = _targets(stage)
    chat = stage.chats["goor-oost"]
    sighting = stage.emu.post(chat, stage.residents["goor-oost"], "Inbraak bij de bakker")
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/regie", reply_to=sighting.message_id)
    await asyncio.sleep(40)
    assert not any(alerts(stage, c, 1) for c in targets)
    stage.emu.api.faults.planned.clear()
    await stage.settle(within=10)
    for target in targets:
        assert len(alerts(stage, target, 1)) == 1, target


async def test_chats_waiting_for_their_rate_window_hold_no_slot_and_an_alert_goes_at_once(
    tmp_path: Path,
) -> None:
    """34 groups have each used up their messages for the minute and still have rows waiting
    (more than the old 32 lanes): a new alert is not stuck behind them, it reaches every chat
    within 15 s, long before any of their windows frees."""
    stage = await open_stage(EXAMPLE, tmp_path / "db.sqlite3", emulator=Emulator(rate_limits=True))
    try:
        # a group's budget of 5 a minute instead of 20 (both sides), so that filling 34
        # windows takes seconds, not most of a minute
        full = 5
        stage.emu.limiter.group_limit = full
        stage.runtime.app.bot.rate_limiter.group_limit = (full, 60.0 * 1.02)
        crowd = [stage.emu.add_group(f"Groep {n}", -1002000100000 - n).id for n in range(34)]
        async with stage.runtime.db.transaction() as conn:
            for chat in crowd:
                for n in range(full + 3):
                    await outbox.enqueue(conn, Say(chat, f"r{n}"), 0.0)
        stage.runtime.worker.wake()
        await until(
            lambda: all(len(stage.emu.bot_messages(c)) >= full for c in crowd), 50, "windows full"
        )
        targets = _targets(stage)
        chat = stage.chats["goor-oost"]
        sighting = stage.emu.post(chat, stage.residents["goor-oost"], "Inbraak bij de bakker")
        stage.emu.post(chat, stage.co_admins["goor-oost"], "/regie", reply_to=sighting.message_id)
        await until(lambda: all(alerts(stage, c, 1) for c in targets), 15, "the alert everywhere")
        assert [len(stage.emu.bot_messages(c)) for c in crowd] == [full] * len(crowd)
    finally:
        await stage.close()
