"""112 propagation under a flood: 1,000 chatter messages and 100 commands arrive meanwhile.

The network and measurement are those of `flag112` (seven chats hold each incident, limits
on), but around each press a flood arrives: 1,000 ordinary messages from `CHATTER` (some of
them "zal ik 112 bellen?" intents, which the bot answers once it is flagged) and 100 commands
(`/help`, `/meldingen`, `/buren`) from the residents and co-admins of all seven chats, posted
at a steady pace over `FLOOD_SECONDS` with the press half-way. The clock runs from queueing
the press until every alert copy shows "112 gebeld" and every chat has its notice.

The answers to that flood must not take the rate budget the 112 edits need: answers get at
most half of a group's 20 messages a minute, and 112 notices and edits go first.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from pathlib import Path

from benchmarks.common import CHATTER, median, percentile
from benchmarks.flag112 import NEIGHBOURS, NOTICE, _alerts, _flagged, _wait_for, network_toml
from relaybot.emulator import Emulator
from relaybot.stage import Stage, open_stage

PER_STAGE = 3  # incidents per fresh stage: each costs a group 3 messages, answers up to 10
CHATTER_MESSAGES = 1000
COMMANDS = 100
FLOOD_SECONDS = 2.0
COMMAND_TEXTS = ["/help", "/meldingen", "/buren"]
_TAGS = re.compile(r"<[^>]+>")


async def _flood(stage: Stage, slugs: list[str], seed: int) -> None:
    """Post the chatter and the commands, interleaved, at a steady pace."""
    total = CHATTER_MESSAGES + COMMANDS
    every = CHATTER_MESSAGES // COMMANDS + 1  # one command after every ten messages
    step = FLOOD_SECONDS / total
    start = time.monotonic()
    for i in range(total):
        slug = slugs[(i + seed) % len(slugs)]
        chat = stage.chats[slug]
        people = [stage.residents.get(slug), stage.co_admins.get(slug), *stage.contacts]
        person = next(p for p in people[(i // len(slugs)) % 2 :] if p is not None)
        if i % every == every - 1:
            text = COMMAND_TEXTS[(i // every) % len(COMMAND_TEXTS)]
        else:
            text = CHATTER[(i + seed) % len(CHATTER)]
        stage.emu.post(chat, person, text)
        delay = start + (i + 1) * step - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)


async def one_stage(incidents: int, first: int) -> tuple[list[float], int]:
    """Latencies (seconds) for `incidents` incidents on a fresh stage, and the 429s seen."""
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        network = Path(tmp) / "network.toml"
        network.write_text(network_toml(), encoding="utf-8")
        stage = await open_stage(
            network, Path(tmp) / "db.sqlite3", emulator=Emulator(rate_limits=True)
        )
        try:
            emu = stage.emu
            slugs = ["bron", *NEIGHBOURS]
            holders = [stage.chats[s] for s in slugs] + [stage.regie]
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
                await asyncio.sleep(window)
                presser_slug = NEIGHBOURS[(first + number) % len(NEIGHBOURS)]
                chat = stage.chats[presser_slug]
                copy = next(
                    m for m in emu.bot_messages(chat) if f"#{number} ·" in (m.content or "")
                )
                flood = asyncio.ensure_future(_flood(stage, [*slugs, "regie"], first + number))
                await asyncio.sleep(FLOOD_SECONDS / 2)
                before = len(emu.calls)
                start = time.time()
                emu.press(
                    chat, copy.message_id, stage.co_admins[presser_slug], data=f"112:{number}"
                )
                await _wait_for(lambda n=number: _flagged(stage, holders, n, n), within=120)
                flagged_at = _last_flag_call(emu.calls[before:], number)
                latencies.append(flagged_at - start)
                await flood
                await stage.settle(within=120)
            return latencies, emu.counters["429"]
        finally:
            await stage.close()


def _last_flag_call(calls: list, number: int) -> float:
    """The emulator time of the last call that made the flag visible: an edit of one of this
    incident's alert copies to "112 gebeld", or a 112 notice; not the flood's answers."""
    times = []
    for call in calls:
        text = _TAGS.sub("", str(call.params.get("text") or ""))  # as members see it
        method = call.method.lower()
        edit = method == "editmessagetext" and f"#{number} ·" in text and "112 gebeld om" in text
        if call.ok and (edit or (method == "sendmessage" and text.startswith(NOTICE))):
            times.append(call.at)
    return max(times)


async def bench(incidents: int) -> dict[str, object]:
    latencies: list[float] = []
    errors_429 = 0
    while len(latencies) < incidents:
        batch = min(PER_STAGE, incidents - len(latencies))
        found, seen = await one_stage(batch, len(latencies))
        latencies += found
        errors_429 += seen
    return {
        "incidents": len(latencies),
        "chatter": CHATTER_MESSAGES,
        "commands": COMMANDS,
        "ms": [x * 1000 for x in latencies],
        "median_ms": median(latencies) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "max_ms": max(latencies) * 1000,
        "429": errors_429,
    }
