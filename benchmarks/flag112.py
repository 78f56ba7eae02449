"""112 propagation: from the button press to the last copy edited, for an incident held by
seven chats (the source, five adjacent neighbourhoods, the regiegroep), limits on.

Each incident is tagged, delivered, and then someone in an adjacent neighbourhood presses
"Ik heb 112 gebeld". The clock runs from queueing the press until every alert copy shows
"112 gebeld" and every holding chat has its notice (the emulator's time of the last of those
calls). Telegram allows 20 messages a minute per group and each incident costs a group three
(alert, edit, notice), so a stage carries six incidents and the run moves on to a fresh stage
(fresh windows) for the next six; between presses the run waits out the 1 s overall window,
as consecutive unrelated incidents in production would be (the next tag's six alerts then go
out first and have left the window again by the next press).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks.common import median, percentile, progress
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.stage import Stage, open_stage

PER_STAGE = 6
NEIGHBOURS = [f"buur-{i}" for i in range(1, 6)]
NOTICE = "☎️ 112 is gebeld"


def network_toml() -> str:
    lines = [
        "[network]",
        'name = "Proefdorp"',
        'timezone = "Europe/Amsterdam"',
        "[regie]",
        "chat_id = -1001000000001",
    ]
    slugs = ["bron", *NEIGHBOURS]
    for index, slug in enumerate(slugs):
        adjacent = ", ".join(f'"{n}"' for n in NEIGHBOURS) if slug == "bron" else ""
        lines += [
            "[[neighbourhood]]",
            f'slug = "{slug}"',
            f'name = "{slug.capitalize()}"',
            'kern = "Proefdorp"',
            f"chat_id = {-1001000000100 - index}",
            f"adjacent = [{adjacent}]",
        ]
    return "\n".join(lines) + "\n"


def _alerts(stage: Stage, chat: int, number: int) -> list[str]:
    head = f"#{number} ·"
    texts = [m.content or "" for m in stage.emu.bot_messages(chat)]
    return [t for t in texts if t.startswith("🚨") and head in t]


def _flagged(stage: Stage, holders: list[int], number: int, notices: int) -> bool:
    for chat in holders:
        if not all("112 gebeld om" in text for text in _alerts(stage, chat, number)):
            return False
        texts = [m.content or "" for m in stage.emu.bot_messages(chat)]
        if sum(text.startswith(NOTICE) for text in texts) < notices:
            return False
    return True


async def _wait_for(condition, within: float = 20.0, step: float = 0.02, emu=None) -> None:
    """Wait until `condition()` holds. The figures are the emulator's own times of the calls,
    so how often this looks does not change them; but each look reads every chat's messages
    in the process that also serves the bot (and, in `flag112`, runs it). So it looks every
    `step` seconds, and (given `emu`) only once the bot has sent or edited a message since the
    last look (its getUpdates calls, many a second under a flood, change nothing here)."""
    deadline = time.monotonic() + within
    seen = 0
    fresh = True
    while True:
        if emu is not None:
            calls = emu.calls
            fresh = fresh or any(c.method in _VISIBLE for c in calls[seen:])
            seen = len(calls)
        if fresh:
            if condition():
                return
            fresh = emu is None
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not finish in time")
        await asyncio.sleep(step)


_VISIBLE = frozenset({"sendMessage", "editMessageText", "copyMessage", "forwardMessage"})


ROW_TABLES = ("incidents", "copies", "outbox", "handled", "replies", "followups", "counters")


async def one_stage(incidents: int, first: int, rows: dict[str, int]) -> list[float]:
    """Times in seconds for `incidents` incidents on a fresh stage."""
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        network = Path(tmp) / "network.toml"
        network.write_text(network_toml(), encoding="utf-8")
        stage = await open_stage(
            network, Path(tmp) / "db.sqlite3", emulator=Emulator(rate_limits=True)
        )
        try:
            emu = stage.emu
            holders = [stage.chats[s] for s in ["bron", *NEIGHBOURS]] + [stage.regie]
            window = emu.limiter.overall_window * 1.1
            for number in range(1, incidents + 1):
                bron = stage.chats["bron"]
                text = f"Verdachte persoon bij de schuren, melding {first + number}"
                original = emu.post(bron, stage.residents["bron"], text)
                emu.post(bron, stage.co_admins["bron"], "/regie", reply_to=original.message_id)
                await _wait_for(
                    lambda n=number, b=bron: all(_alerts(stage, c, n) for c in holders if c != b)
                )
                await stage.settle()
                await asyncio.sleep(window)  # the overall window is empty again
                presser_slug = NEIGHBOURS[(first + number) % len(NEIGHBOURS)]
                chat = stage.chats[presser_slug]
                copy = next(
                    m for m in emu.bot_messages(chat) if f"#{number} ·" in (m.content or "")
                )
                before = len(emu.calls)
                start = time.time()
                emu.press(
                    chat, copy.message_id, stage.co_admins[presser_slug], data=f"112:{number}"
                )
                await _wait_for(lambda n=number: _flagged(stage, holders, n, n), emu=emu)
                done = [
                    c.at
                    for c in emu.calls[before:]
                    if c.ok and c.method.lower() in ("editmessagetext", "sendmessage")
                ]
                latencies.append(max(done) - start)
                await stage.settle()
            async with stage.runtime.db.reading() as conn:
                for table in ROW_TABLES:
                    async with conn.execute(f"SELECT COUNT(*) FROM {table}") as cursor:
                        row = await cursor.fetchone()
                    rows[table] = rows.get(table, 0) + (row[0] if row else 0)
            if emu.counters["429"]:
                raise AssertionError(f"{emu.counters['429']} answers 429 during the 112 runs")
        finally:
            await stage.close()
    return latencies


async def bench(incidents: int) -> dict[str, object]:
    latencies: list[float] = []
    rows: dict[str, int] = {}
    while len(latencies) < incidents:
        batch = min(PER_STAGE, incidents - len(latencies))
        latencies += await one_stage(batch, len(latencies), rows)
        progress(f"112 flag: {len(latencies)}/{incidents} incidents measured")
    return {
        "incidents": len(latencies),
        "ms": [x * 1000 for x in latencies],
        "median_ms": median(latencies) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "max_ms": max(latencies) * 1000,
        "rows_per_incident": {table: n / len(latencies) for table, n in rows.items()},
    }
