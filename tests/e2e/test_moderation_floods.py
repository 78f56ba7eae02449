"""Moderation never holds up an alert (issue 25): with a 50 ms round trip and Telegram's
limits on, members flooding a chat with /regels or blocked words cost a few co-admin lookups,
run beside the updates, and an alert tagged right after reaches the regiegroep within 5 s."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.records import User
from relaybot.sandbox.stage import Stage, open_stage
from tests.e2e.conftest import EXAMPLE, Clock, alerts
from tests.e2e.test_floods import sent_to, until

LOOKUPS = ("getChatMember", "getChatAdministrators")
FLOODED = "goor-centrum"


@pytest.fixture
async def slow(tmp_path: Path, clock: Clock) -> AsyncIterator[Stage]:
    """The example network with a 50 ms round trip per call and Telegram's limits on."""
    emulator = Emulator(rate_limits=True, round_trip=0.05)
    stage = await open_stage(EXAMPLE, tmp_path / "db.sqlite3", clock=clock, emulator=emulator)
    try:
        yield stage
    finally:
        await stage.close()


def lookups(stage: Stage) -> int:
    """Co-admin lookups asked of Telegram so far."""
    return sum(len(stage.emu.calls_to(method)) for method in LOOKUPS)


async def hundred_members(stage: Stage) -> list[User]:
    members = [stage.emu.add_user(f"Lid{i}", "Testbewoner") for i in range(100)]
    stage.emu.join_many(stage.chats[FLOODED], members)
    await stage.settle(within=60)
    return members


async def alert_reaches_the_regiegroep_within(stage: Stage, seconds: float) -> None:
    """A co-admin next door tags a message now; its copy reaches the regiegroep in time."""
    start = time.time()
    source = stage.chats["goor-oost"]
    original = stage.emu.post(source, stage.residents["goor-oost"], "Inbraak bij de bakker")
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=original.message_id)
    await until(lambda: bool(alerts(stage, stage.regie, 1)), within=60)
    (copy,) = [c for c in sent_to(stage, stage.regie) if "Inbraak" in c.params["text"]]
    assert copy.at - start <= seconds


@pytest.mark.parametrize(
    "text",
    ["/regels", "Wat een klootzak is dat", "/niet112", "/intrekken"],
    ids=["rules", "blocked_words", "unflag", "retract"],
)
async def test_a_hundred_members_never_delay_an_alert(slow: Stage, text: str) -> None:
    """100 members each send /regels, or each post a blocked word, or each type a co-admin's
    command (/niet112, /intrekken, which ask Telegram about the sender now); a /regie next door
    right after reaches the regiegroep within 5 s, and the flood asked Telegram about
    co-admins a few times at most: /regels asks nothing, and a warning or a refused command
    asks for the chat's list of co-admins once, not about each member (on the old code: one
    lookup per member, and the alert 6.6 to 7 s late)."""
    stage = slow
    members = await hundred_members(stage)
    before = lookups(stage)
    for member in members:
        stage.emu.post(stage.chats[FLOODED], member, text)
    await alert_reaches_the_regiegroep_within(stage, 5.0)
    await stage.settle(within=180)
    assert lookups(stage) - before <= 5
    assert stage.emu.counters.get("429", 0) == 0


async def noted_unknown(stage: Stage, count: int) -> None:
    """Wait until the bot has noted this many groups outside the network."""
    for _ in range(3000):
        async with stage.runtime.db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT COUNT(*) FROM chat_notes WHERE note = 'unknown_since'"
            )
        if rows[0][0] >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the groups were not noted in time")


async def test_forty_unknown_groups_are_left_ten_a_round_beside_an_alert(
    slow: Stage, clock: Clock
) -> None:
    """The bot is added to 40 groups outside the network that never ask to be linked: a day
    later each expiry round leaves at most ten of them (the longest waiting first), all are
    left after four rounds, and an alert tagged while the bot is leaving reaches the
    regiegroep within 5 s."""
    stage = slow
    for job in stage.runtime.app.job_queue.get_jobs_by_name("expire"):
        job.enabled = False  # the rounds are run by the test, one at a time
    someone = stage.emu.add_user("Onbekende", "Toevoeger")
    groups = [stage.emu.add_bot(f"Straatfeest {i}", by=someone) for i in range(40)]
    await noted_unknown(stage, 40)  # their lines to the regiegroep are spread over minutes
    clock.advance(25 * 3600)
    leaving = asyncio.ensure_future(stage.runtime.cases.groups.leave_unknown())
    await alert_reaches_the_regiegroep_within(stage, 5.0)
    await leaving
    left = [str(c.params.get("chat_id")) for c in stage.emu.calls_to("leaveChat") if c.ok]
    assert left == [str(group.id) for group in groups[:10]]
    for _ in range(3):
        await stage.runtime.cases.groups.leave_unknown()
    left = [str(c.params.get("chat_id")) for c in stage.emu.calls_to("leaveChat") if c.ok]
    assert sorted(left) == sorted(str(group.id) for group in groups)
    assert all(stage.emu.world.bot.id not in stage.emu.chat(g.id).members for g in groups)
