"""Ingest: resident chatter handled per second, relaybot against a bare PTB Application.

The emulator runs in this process; each bot runs alone in a child process (as Telegram and
a bot would), polling the emulator over HTTP with the same long-polling set-up. N plain group
messages are queued at once (so getUpdates hands them out in batches of 100); the clock runs
from the moment they are all queued until the bot has processed the last one.
"""

from __future__ import annotations

import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.child import BotProcess
from benchmarks.common import CHATTER, ROOT, median, populate, progress
from relaybot.emulator import Emulator
from relaybot.network import load_network

NETWORK = ROOT / "config" / "network.example.toml"
DB_KINDS = ("reply", "112-intent")  # chatter that makes relaybot open a database transaction
# residents who chat in each group: each posts a few of the messages, as in a real group, and
# none crosses the flood limit (10 a minute), which would be a flood and not ordinary chatter
CROWD = 40


@dataclass
class IngestRun:
    kind: str
    updates: int
    seconds: float
    cpu: float  # CPU seconds the bot process spent in that time

    @property
    def busy(self) -> float:
        """Share of the wall time the bot process was on a CPU (near 1: the bot is the limit)."""
        return self.cpu / self.seconds

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds


def queue_chatter(emu: Emulator, world, slugs: list[str], n: int, rng: random.Random) -> int:
    """Queue n ordinary messages (about one in eight a reply to an earlier one); returns
    the last update id."""
    recent: dict[str, list[int]] = {}
    for _ in range(n):
        slug = rng.choice(slugs)
        earlier = recent.setdefault(slug, [])
        reply_to = rng.choice(earlier) if earlier and rng.random() < 0.125 else None
        author = rng.choice(world.crowds[slug])
        message = emu.post(world.chats[slug], author, rng.choice(CHATTER), reply_to=reply_to)
        earlier.append(message.message_id)
    return emu.world.updates.next_id - 1


async def one_run(
    kind: str, n: int, seed: int, profile: Path | None = None, crowd: int = CROWD
) -> IngestRun:
    network = load_network(NETWORK)
    async with Emulator() as emu:
        world = populate(emu, network, crowd)
        slugs = sorted(world.residents)
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "relaybot.sqlite3"
            bot = await BotProcess.start(kind, emu, NETWORK, db, profile=profile)
            try:
                # warm up: a few updates through the whole path, then measure a fresh batch
                warm = queue_chatter(emu, world, slugs, 50, random.Random(seed + 1000))
                _, _, cpu_before = await bot.ask(f"until {warm}", "done")
                last = queue_chatter(emu, world, slugs, n, random.Random(seed))
                start = time.monotonic()
                finished, _, cpu_after = await bot.ask(f"until {last}", "done", within=120)
                return IngestRun(
                    kind, n, float(finished) - start, float(cpu_after) - float(cpu_before)
                )
            finally:
                await bot.quit()


async def bench(n: int, runs: int) -> dict[str, object]:
    results: list[IngestRun] = []
    for index in range(runs):
        # alternate the order so that neither app always runs on a warmer machine
        order = ("relay", "bare") if index % 2 == 0 else ("bare", "relay")
        for kind in order:
            results.append(await one_run(kind, n, seed=index))
            progress(
                f"ingest run {index + 1}/{runs}, {kind}: {results[-1].per_second:.0f} updates/s"
            )
    relay = [r.per_second for r in results if r.kind == "relay"]
    bare = [r.per_second for r in results if r.kind == "bare"]
    ratios = [r / b for r, b in zip(relay, bare, strict=True)]
    return {
        "updates": n,
        "relay_per_s": relay,
        "bare_per_s": bare,
        "ratios": ratios,
        "relay_median": median(relay),
        "bare_median": median(bare),
        # the runs are paired (the two apps alternate), so the figure is the median of the
        # per-run ratios, not the ratio of medians (which pairs figures from different runs)
        "ratio_median": median(ratios),
        "relay_busy": median([r.busy for r in results if r.kind == "relay"]),
        "bare_busy": median([r.busy for r in results if r.kind == "bare"]),
    }


async def breakdown(samples: int = 2000) -> dict[str, float]:
    """Where relaybot's time per chatter update goes, in microseconds, measured in-process on
    the application `build()` makes (no polling): decoding the update (which the bare app pays
    too), matching it against every registered handler, and running the handlers that match."""
    from telegram import Update
    from telegram.ext import CallbackContext

    from relaybot.settings import load_settings
    from relaybot.telegram.app import build

    network = load_network(NETWORK)
    async with Emulator() as emu:
        world = populate(emu, network, CROWD)
        slugs = sorted(world.residents)
        rng = random.Random(7)
        queue_chatter(emu, world, slugs, samples, rng)
        raw = [item.to_dict() for item in emu.world.updates.items]
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings(
                token=emu.token,
                api_base_url=emu.base_url,
                database=Path(tmp) / "db.sqlite3",
                network_file=NETWORK,
            )
            runtime = await build(settings, network)
            app = runtime.app
            await app.initialize()
            try:
                start = time.perf_counter()
                updates = [Update.de_json(data, app.bot) for data in raw]
                decode = time.perf_counter() - start
                groups = [app.handlers[g] for g in sorted(app.handlers)]
                start = time.perf_counter()
                matched = []
                for update in updates:
                    for handlers in groups:
                        for handler in handlers:
                            check = handler.check_update(update)
                            if check is not None and check is not False:
                                matched.append((handler, update, check))
                                break
                match = time.perf_counter() - start
                kinds: dict[str, list[float]] = {}
                patterns = runtime.ctx.patterns
                run = 0.0
                for handler, update, check in matched:
                    start = time.perf_counter()
                    context = CallbackContext.from_update(update, app)
                    await handler.handle_update(update, app, check, context)
                    spent = time.perf_counter() - start
                    run += spent
                    message = update.message
                    kind = "plain"
                    if type(handler).__name__ == "TypeHandler":
                        kind = "bind_context"
                    elif message is not None and message.reply_to_message is not None:
                        kind = "reply"
                    elif message is not None and patterns.classify(message.text or ""):
                        kind = "112-intent"
                    kinds.setdefault(kind, []).append(spent)
            finally:
                await runtime.cases.moderation.drain()  # reminders judged beside the handlers
                await app.shutdown()
                await runtime.db.close()
    return {
        "decode_us": decode / samples * 1e6,
        "match_us": match / samples * 1e6,
        "handle_us": run / samples * 1e6,
        **{f"handle_{kind}_us": median(spent) * 1e6 for kind, spent in sorted(kinds.items())},
        **{f"share_{kind}": len(spent) / samples for kind, spent in sorted(kinds.items())},
        "mean_db_us": sum(
            median(kinds.get(kind, [0.0])) * len(kinds.get(kind, [])) for kind in DB_KINDS
        )
        / samples
        * 1e6,
        "classify_us": _classify_us(patterns),
    }


def _classify_us(patterns) -> float:
    start = time.perf_counter()
    for _ in range(100):
        for text in CHATTER:
            patterns.classify(text)
    return (time.perf_counter() - start) / (100 * len(CHATTER)) * 1e6
