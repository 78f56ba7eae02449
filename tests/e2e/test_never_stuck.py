"""Never stuck: an update whose handling Telegram refuses, or that keeps failing, is set aside
and the updates behind it are handled; `relaybot health` says so (spec section 12)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from relaybot.sandbox.stage import Stage, open_stage
from relaybot.settings import load_settings
from relaybot.storage import engine
from relaybot.storage.heartbeat import OK, heartbeat_path, read_health
from relaybot.telegram.app import build
from tests.e2e.conftest import EXAMPLE, Clock, alerts, contents, last_raw_update, rows, tag

RETRY_S = 3  # RELAYBOT_UPDATE_RETRY_S in these tests
FOREVER = 10**6  # a fault that does not go away


@pytest.fixture
async def stage(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Stage]:
    monkeypatch.setenv("RELAYBOT_UPDATE_RETRY_S", str(RETRY_S))
    opened = await open_stage(EXAMPLE, tmp_path / "relaybot.sqlite3", clock=clock)
    opened.runtime.heartbeat = heartbeat_path(tmp_path / "relaybot.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()


def flagged(stage: Stage, slug: str) -> bool:
    return any(c.startswith("☎️ 112 is gebeld") for c in contents(stage, stage.chats[slug]))


def relayed(stage: Stage) -> list[str]:
    """The sightings relayed to the regiegroep, oldest first."""
    return [
        text
        for m in stage.emu.bot_messages(stage.regie)
        for text in ("Inbreker op het dak", "Rookontwikkeling bij de kerk")
        if (m.content or "").startswith("🚨") and text in (m.content or "")
    ]


async def test_refused_button_answer_holds_nothing_up(stage: Stage) -> None:
    """Telegram refuses the answer to a 112 press (too late): the press still counts, and a
    /regie right after it is relayed."""
    await tag(stage, "goor-oost", "Inbreker op het dak")
    copy = alerts(stage, stage.chats["goor-noord"], 1)[0]
    stage.emu.callback_answer_s = 0.0  # every answer comes too late
    stage.emu.press(copy.chat_id, copy.message_id, stage.co_admins["goor-noord"], data="112:1")
    await tag(stage, "markelo-zuid", "Rookontwikkeling bij de kerk")
    assert flagged(stage, "goor-noord")
    assert alerts(stage, stage.regie, 2)


async def test_replayed_press_after_a_restart_holds_nothing_up(stage: Stage) -> None:
    """A press stored but not handled before a crash is replayed after the start; its answer
    is too late by then, the press still counts and the next /regie is relayed."""
    await tag(stage, "goor-oost", "Inbreker op het dak")
    copy = alerts(stage, stage.chats["goor-noord"], 1)[0]
    old = stage.runtime
    await old.stop()
    stage.emu.press(copy.chat_id, copy.message_id, stage.co_admins["goor-noord"], data="112:1")
    press = last_raw_update(stage)
    db = await engine.database(old.db.path).open()  # what a crash after storing it leaves
    async with db.statements() as conn:
        await conn.execute(
            "INSERT INTO inbox (update_id, body, received_at) VALUES (?, ?, 0)",
            (press["update_id"], json.dumps(press)),
        )
    await db.close()
    stage.emu.callback_answer_s = 0.0
    settings = load_settings(
        token=stage.emu.token,
        api_base_url=stage.emu.base_url,
        database=stage.database,
        network_file=stage.network.source_path,
    )
    stage.adopt(await build(settings, stage.network, clock=old.ctx.clock))
    await stage.runtime.start(poll_timeout=2.0)
    await tag(stage, "markelo-zuid", "Rookontwikkeling bij de kerk")
    assert flagged(stage, "goor-noord")
    assert alerts(stage, stage.regie, 2)


async def test_update_failing_too_long_is_set_aside(stage: Stage) -> None:
    """Telegram keeps failing (502) on what one /regie needs: after RELAYBOT_UPDATE_RETRY_S
    it is set aside, the /regie behind it is relayed, and `relaybot health` says so."""
    oost = stage.chats["goor-oost"]
    stage.emu.set_fault("getChatAdministrators", oost, 502, times=FOREVER)
    await tag(stage, "goor-oost", "Inbreker op het dak")  # waits while it is retried
    await tag(stage, "markelo-zuid", "Rookontwikkeling bij de kerk")
    assert relayed(stage) == ["Rookontwikkeling bij de kerk"]
    health = read_health(stage.runtime.heartbeat)
    assert health.code != OK
    assert "set aside" in health.line and "message" in health.line


async def test_permanent_error_sets_aside_at_once(stage: Stage) -> None:
    """Telegram answers 400 to what one /regie needs: it is set aside at once (not after
    RELAYBOT_UPDATE_RETRY_S), kept in the database, and the /regie behind it is relayed."""
    stage.runtime.app.update_retry_s = 300.0  # longer than settle() waits
    oost = stage.chats["goor-oost"]
    stage.emu.set_fault("getChatAdministrators", oost, 400, "Bad Request: chat not found", FOREVER)
    await tag(stage, "goor-oost", "Inbreker op het dak")
    await tag(stage, "markelo-zuid", "Rookontwikkeling bij de kerk")
    assert relayed(stage) == ["Rookontwikkeling bij de kerk"]
    assert await rows(stage, "SELECT COUNT(*) FROM inbox_set_aside") == [(1,)]
    health = read_health(stage.runtime.heartbeat)
    assert health.code != OK and "set aside" in health.line
