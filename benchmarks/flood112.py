"""112 propagation under a flood: 1,000 chatter messages and 100 commands arrive meanwhile.

The network and measurement are those of `flag112` (seven chats hold each incident, limits
on; here the bot runs in a process of its own, as in production, so the emulator and the
flood's poster do not share its CPU), but around each press a flood arrives: 1,000 ordinary
messages from `CHATTER` (some of them "zal ik 112 bellen?" intents, which the bot answers
once it is flagged) and 100 commands
(`/help`, `/meldingen`, `/buren`) from the residents and co-admins of all seven chats, posted
at a steady pace over `FLOOD_SECONDS` (110 a second) with the press half-way. The clock
runs from queueing the press until every alert copy shows "112 gebeld" and every chat has
its notice.

The answers to that flood must not take the rate budget the 112 edits need: answers get at
most half of a group's 20 messages a minute, and 112 notices and edits go first.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

from benchmarks import flag112
from benchmarks.child import BotProcess
from benchmarks.common import CHATTER, World, median, percentile, populate, progress
from benchmarks.flag112 import NEIGHBOURS, NOTICE, _wait_for, network_toml
from relaybot.network_file import load_network
from relaybot.sandbox.emulator import Emulator

PER_STAGE = 2  # incidents per fresh stage: each costs a group 3 messages, answers up to 10
CHATTER_MESSAGES = 1000
COMMANDS = 100
FLOOD_SECONDS = 10.0
COMMAND_TEXTS = ["/help", "/meldingen", "/buren"]
_TAGS = re.compile(r"<[^>]+>")


async def _flood(emu: Emulator, world: World, slugs: list[str], seed: int) -> None:
    """Post the chatter and the commands, interleaved, at a steady pace."""
    total = CHATTER_MESSAGES + COMMANDS
    every = CHATTER_MESSAGES // COMMANDS + 1  # one command after every ten messages
    step = FLOOD_SECONDS / total
    start = time.monotonic()
    for i in range(total):
        slug = slugs[(i + seed) % len(slugs)]
        chat = world.chats[slug]
        people = [world.residents.get(slug), world.co_admins.get(slug), *world.contacts]
        person = next(p for p in people[(i // len(slugs)) % 2 :] if p is not None)
        if i % every == every - 1:
            text = COMMAND_TEXTS[(i // every) % len(COMMAND_TEXTS)]
        else:
            text = CHATTER[(i + seed) % len(CHATTER)]
        emu.post(chat, person, text)
        delay = start + (i + 1) * step - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)


def _alerts_in(emu: Emulator, chat: int, number: int) -> list[str]:
    head = f"#{number} ·"
    texts = [m.content or "" for m in emu.bot_messages(chat)]
    return [t for t in texts if t.startswith("🚨") and head in t]


def _flagged_in(emu: Emulator, holders: list[int], number: int, notices: int) -> bool:
    for chat in holders:
        if not all("112 gebeld om" in text for text in _alerts_in(emu, chat, number)):
            return False
        texts = [m.content or "" for m in emu.bot_messages(chat)]
        if sum(text.startswith(NOTICE) for text in texts) < notices:
            return False
    return True


@contextlib.asynccontextmanager
async def fresh_bot(network_text: str) -> AsyncIterator[tuple[Emulator, World, BotProcess]]:
    """A fresh emulator (limits on) with the network's chats, and the bot in a process of its
    own beside it, as in production; both stopped at the end."""
    with tempfile.TemporaryDirectory() as tmp:
        network_file = Path(tmp) / "network.toml"
        network_file.write_text(network_text, encoding="utf-8")
        network = load_network(network_file)
        async with Emulator(rate_limits=True) as emu:
            world = populate(emu, network)
            bot = await BotProcess.start("relay", emu, network_file, Path(tmp) / "db.sqlite3")
            try:
                yield emu, world, bot
            finally:
                await bot.quit()


async def one_stage(incidents: int, first: int) -> tuple[list[float], int]:
    """Latencies (seconds) for `incidents` incidents on a fresh emulator and bot, and the
    429s seen."""
    latencies: list[float] = []
    async with fresh_bot(network_toml()) as (emu, world, bot):
        slugs = ["bron", *NEIGHBOURS]
        holders = [world.chats[s] for s in slugs] + [world.chats["regie"]]
        window = emu.limiter.overall_window * 1.1
        for number in range(1, incidents + 1):
            bron = world.chats["bron"]
            text = f"Verdachte persoon bij de schuren, melding {first + number}"
            original = emu.post(bron, world.residents["bron"], text)
            emu.post(bron, world.co_admins["bron"], "/regie", reply_to=original.message_id)
            await _wait_for(
                lambda n=number, b=bron: all(_alerts_in(emu, c, n) for c in holders if c != b)
            )
            await bot.ask(f"idle {emu.world.updates.next_id - 1}", "idle", within=120)
            await asyncio.sleep(window)
            presser_slug = NEIGHBOURS[(first + number) % len(NEIGHBOURS)]
            chat = world.chats[presser_slug]
            copy = next(m for m in emu.bot_messages(chat) if f"#{number} ·" in (m.content or ""))
            flood = asyncio.ensure_future(_flood(emu, world, [*slugs, "regie"], first + number))
            await asyncio.sleep(FLOOD_SECONDS / 2)
            before = len(emu.calls)
            start = time.time()
            emu.press(chat, copy.message_id, world.co_admins[presser_slug], data=f"112:{number}")
            await _wait_for(lambda n=number: _flagged_in(emu, holders, n, n), within=120, emu=emu)
            flagged_at = _last_flag_call(emu.calls[before:], number)
            latencies.append(flagged_at - start)
            if os.environ.get("FLOOD_DEBUG"):
                calls = emu.calls[before:]
                cb = next(c.at for c in calls if c.method == "answerCallbackQuery")
                edit = min(c.at for c in calls if c.method == "editMessageText")
                print(
                    f"callback {1000 * (cb - start):.0f} first edit "
                    f"{1000 * (edit - start):.0f} last {1000 * (flagged_at - start):.0f}"
                    f" queued {emu.world.updates.pending()}",
                    file=sys.stderr,
                )
                for c in calls:
                    text = _TAGS.sub("", str(c.params.get("text") or ""))[:30]
                    print(
                        f"   {1000 * (c.at - start):6.0f} {c.method} "
                        f"{c.params.get('chat_id')} ok={c.ok} {text!r}",
                        file=sys.stderr,
                    )
            await flood
            await bot.ask(f"idle {emu.world.updates.next_id - 1}", "idle", within=120)
        return latencies, emu.counters["429"]


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


async def bench(incidents: int, control: int = 6) -> dict[str, object]:
    """The flood measurement, and `flag112` without a flood run right before it as a control
    (the same machine at the same moment: a busy machine slows both)."""
    load = os.getloadavg()[0]
    baseline = await flag112.bench(control) if control else None
    latencies: list[float] = []
    errors_429 = 0
    while len(latencies) < incidents:
        batch = min(PER_STAGE, incidents - len(latencies))
        found, seen = await one_stage(batch, len(latencies))
        latencies += found
        errors_429 += seen
        progress(f"112 under a flood: {len(latencies)}/{incidents} incidents measured")
    return {
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "flood_seconds": FLOOD_SECONDS,
        "load_before": load,
        "control_median_ms": baseline["median_ms"] if baseline else None,
        "control_p95_ms": baseline["p95_ms"] if baseline else None,
        "incidents": len(latencies),
        "chatter": CHATTER_MESSAGES,
        "commands": COMMANDS,
        "ms": [x * 1000 for x in latencies],
        "median_ms": median(latencies) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "max_ms": max(latencies) * 1000,
        "429": errors_429,
    }
