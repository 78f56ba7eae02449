"""Delivery that never loses an alert: Telegram's limits, faults, refusals and restarts."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram.error import NetworkError

from relaybot.domain.intents import Say
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.samples import write_big_network
from relaybot.sandbox.stage import Stage, open_stage
from relaybot.storage import outbox
from tests.e2e.conftest import EXAMPLE, alerts, contents, tag


@pytest.fixture
async def big(tmp_path: Path) -> AsyncIterator[Stage]:
    """60 neighbourhoods plus a hub adjacent to all of them; Telegram's limits enforced."""
    network = write_big_network(tmp_path / "big.toml", 60, hub=True)
    stage = await open_stage(network, tmp_path / "db.sqlite3", emulator=Emulator(rate_limits=True))
    try:
        yield stage
    finally:
        await stage.close()


def holders(stage: Stage) -> list[int]:
    return [stage.regie] + [stage.chats[f"wijk-{i}"] for i in range(60)]


async def test_fan_out_to_sixty_chats_under_rate_limits_then_a_112_report(big: Stage) -> None:
    """An alert to 61 chats and the 112 report that follows all arrive and are edited, with
    Telegram's limits enforced and no 429 drawn (the bot keeps inside them itself)."""
    await tag(big, "hub", "Brand in de loods aan de Industrieweg")
    for chat in holders(big):
        assert len(alerts(big, chat, 1)) == 1, chat
    copy = alerts(big, big.regie, 1)[0]
    big.emu.press(big.regie, copy.message_id, big.contacts[0], data="112:1")
    await big.settle(within=30)
    for chat in holders(big):
        shown = alerts(big, chat, 1)[0]
        assert "112 gebeld om" in (shown.content or ""), chat
        assert sum(c.startswith("☎️ 112 is gebeld") for c in contents(big, chat)) == 1, chat
    assert big.emu.counters.get("429", 0) == 0


async def test_a_429_is_waited_out_and_the_alert_still_arrives(stage: Stage) -> None:
    """Telegram answers 429 for one chat: the bot waits retry_after and delivers, and the
    other chats are not held up."""
    target = stage.chats["goor-centrum"]
    stage.emu.set_fault(
        method="sendMessage", chat_id=target, error_code=429, parameters={"retry_after": 1}, times=1
    )
    await tag(stage, "goor-oost", "Verdachte bestelbus")
    assert len(alerts(stage, target, 1)) == 1
    assert len(alerts(stage, stage.regie, 1)) == 1
    refused = [c for c in stage.emu.calls_to("sendMessage") if c.error_code == 429]
    assert len(refused) == 1
    delivered = [
        c
        for c in stage.emu.calls_to("sendMessage")
        if c.ok and str(c.params.get("chat_id")) == str(target)
    ]
    regie = [
        c
        for c in stage.emu.calls_to("sendMessage")
        if c.ok and str(c.params.get("chat_id")) == str(stage.regie)
    ]
    assert delivered[0].at - refused[0].at >= 1.0
    assert regie[0].at < delivered[0].at


async def test_one_in_five_calls_failing_with_502_loses_and_doubles_nothing(
    tmp_path: Path,
) -> None:
    """With 20% of calls answered 502, every alert, edit and notice still arrives, once."""
    stage = await open_stage(
        EXAMPLE, tmp_path / "db.sqlite3", emulator=Emulator(fault_rate=0.2, seed=7)
    )
    try:
        await tag(stage, "goor-oost", "Inbraak bij de bakker")
        await tag(stage, "markelo-noord", "Fietsendief")
        copy = alerts(stage, stage.regie, 1)[0]
        stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:1")
        await stage.settle(within=60)
        for slug in ["regie", "goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"]:
            shown = alerts(stage, stage.chats[slug], 1)
            assert len(shown) == 1, slug
            assert "112 gebeld om" in (shown[0].content or ""), slug
            assert (
                sum(c.startswith("☎️ 112 is gebeld") for c in contents(stage, stage.chats[slug]))
                == 1
            ), slug
        for slug in ["regie", *stage.network.neighbours("markelo-noord")]:
            if stage.ctx.directory.is_linked(slug) or slug == "regie":
                assert len(alerts(stage, stage.chats[slug], 2)) == 1, slug
        assert stage.emu.counters.get("5xx", 0) > 0
    finally:
        await stage.close()


async def test_a_chat_refusing_the_bot_is_reported_once_and_others_still_receive(
    stage: Stage,
) -> None:
    """A 403 from one chat in the middle of a fan-out: every other chat gets the alert, and
    the regiegroep is told once, by name, even when a second alert fails there too."""
    gone = stage.chats["goor-noord"]
    stage.emu.set_fault(
        chat_id=gone,
        error_code=403,
        description="Forbidden: bot was kicked from the supergroup chat",
        times=10,
    )
    await tag(stage, "goor-oost", "Eerste")
    await tag(stage, "goor-centrum", "Tweede")
    for slug in ["goor-centrum", "goor-zuid", "markelo-zuid"]:
        assert len(alerts(stage, stage.chats[slug], 1)) == 1, slug
    reports = [c for c in contents(stage, stage.regie) if "kan niet meer posten" in c]
    assert len(reports) == 1 and "Goor Noord" in reports[0]
    assert alerts(stage, gone, 1) == [] and alerts(stage, gone, 2) == []


async def test_replies_whose_target_is_gone_are_sent_without_the_reply(stage: Stage) -> None:
    """A 400 'message to be replied not found' never blocks delivery: the bot sends anyway."""
    await tag(stage, "goor-oost", "Iets verdachts")
    target = stage.chats["goor-zuid"]
    stage.emu.set_fault(
        method="sendMessage",
        chat_id=target,
        error_code=400,
        description="Bad Request: message to be replied not found",
        times=1,
    )
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:1")
    await stage.settle()
    assert sum(c.startswith("☎️ 112 is gebeld") for c in contents(stage, target)) == 1


async def test_a_fault_in_the_worker_loop_does_not_end_delivery(stage: Stage) -> None:
    """One 'database is locked' while the worker reads the outbox is logged and survived:
    the next alert still reaches the regiegroep."""
    delivery = stage.runtime.delivery
    original = delivery.heads
    failures = [1]

    async def flaky(*args: Any, **kwargs: Any) -> Any:
        if failures[0]:
            failures[0] -= 1
            raise sqlite3.OperationalError("database is locked")
        return await original(*args, **kwargs)

    delivery.heads = flaky  # type: ignore[method-assign]
    stage.runtime.worker.wake()
    for _ in range(500):
        if not failures[0]:
            break
        await asyncio.sleep(0.01)
    assert failures[0] == 0
    await tag(stage, "goor-oost", "Inbraak bezig")
    assert stage.runtime.worker.alive
    assert len(alerts(stage, stage.regie, 1)) == 1


async def test_network_errors_are_retried_however_long_the_outage(stage: Stage) -> None:
    """A row that has already failed 100 times on network errors is postponed again, never
    given up: nothing queued is lost to a long outage."""
    async with stage.runtime.db.transaction() as conn:
        row_id = await outbox.enqueue(conn, Say(stage.regie, "test"), 0.0)
        await conn.execute(
            "UPDATE outbox SET attempts = 100, not_before = 1e12 WHERE id = ?", (row_id,)
        )
    rows = [r for r in await stage.runtime.delivery.due(set(), 64) if r.id == row_id]
    assert rows == []  # not due: read it directly
    async with stage.runtime.db.reading() as conn:
        raw = await conn.execute_fetchall(
            "SELECT id, chat_id, priority, action, incident, followup, payload, attempts"
            " FROM outbox WHERE id = ?",
            (row_id,),
        )
    row = outbox._row(raw[0])
    worker = stage.runtime.worker

    async def down(_op: Any) -> int | None:
        raise NetworkError("Bad Gateway")

    worker.sender.run = down  # type: ignore[method-assign]
    await worker._deliver(row, await stage.runtime.delivery.plan(row))
    async with stage.runtime.db.reading() as conn:
        status = await conn.execute_fetchall(
            "SELECT status, attempts FROM outbox WHERE id = ?", (row_id,)
        )
    assert tuple(status[0]) == ("pending", 101)


async def test_the_regie_confirmation_says_who_received_the_alert_and_who_did_not(
    stage: Stage,
) -> None:
    """A neighbourhood has removed the bot (403): once the alert is delivered elsewhere, the
    source chat's confirmation is edited to count who received it and name who did not."""
    gone = stage.chats["goor-noord"]
    stage.emu.set_fault(
        chat_id=gone,
        error_code=403,
        description="Forbidden: bot was kicked from the supergroup chat",
        times=10,
    )
    await tag(stage, "goor-oost", "Inbraak bij de bakker")
    await stage.settle()
    received = len(alerts(stage, stage.regie, 1)) + sum(
        len(alerts(stage, stage.chats[s], 1)) for s in stage.network.neighbours("goor-oost")
    )
    source = contents(stage, stage.chats["goor-oost"])
    confirmation = next(c for c in source if c.startswith("✅ Melding #1"))
    assert confirmation.endswith(f"✓ {received} ontvangen · ✗ Goor Noord (Goor): bot verwijderd")


async def test_a_forward_confirmation_is_edited_once_every_alert_is_delivered(
    stage: Stage,
) -> None:
    """/doorsturen's line in the regiegroep ends, once delivery is settled, with how many
    chats received the alert."""
    await tag(stage, "goor-oost", "Inbraak bij de bakker")
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(
        stage.regie, stage.contacts[0], "/doorsturen markelo-noord", reply_to=copy.message_id
    )
    await stage.settle()
    line = next(c for c in contents(stage, stage.regie) if c.startswith("✅ Melding #1"))
    assert line.endswith("✓ 1 ontvangen")
