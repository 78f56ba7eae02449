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
from relaybot.network_file import load_network
from relaybot.sandbox.emulator import Emulator

NETWORK = ROOT / "config" / "network.example.toml"
DB_KINDS = ("reply", "112-intent")  # chatter that makes relaybot open a database transaction
# residents who chat in each group: each posts a few of the messages, as in a real group, and
# none crosses the flood limit (10 a minute), which would be a flood and not ordinary chatter
CROWD = 100
ROUNDS = 6  # turns of each bot per session


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


async def bench(n: int, sessions: int, rounds: int = ROUNDS) -> dict[str, object]:
    """Both bots side by side, taking turns. In each session relaybot and the bare application
    each run in a child process with an emulator of their own, started and warmed up together;
    then `rounds` times, one after the other (which goes first alternates), each is handed a
    burst of n messages and timed. Only one bot works at a time, and the two turns of a round
    are a second or two apart, so a machine that is slower for a while (this one is shared,
    and its speed varies by up to 2x over seconds) slows both figures of a round alike."""
    results: list[tuple[IngestRun, IngestRun]] = []
    for session in range(sessions):
        async with _Contestant("relay", session) as relay, _Contestant("bare", session) as bare:
            for index in range(rounds):
                order = (relay, bare) if index % 2 == 0 else (bare, relay)
                seed = session * 1000 + index
                done = {c.kind: await c.burst(n, seed) for c in order}
                results.append((done["relay"], done["bare"]))
                progress(
                    f"ingest session {session + 1}/{sessions}, round {index + 1}/{rounds}: "
                    f"relaybot {done['relay'].per_second:.0f}, bare "
                    f"{done['bare'].per_second:.0f} updates/s"
                )
    relay = [r.per_second for r, _ in results]
    bare = [b.per_second for _, b in results]
    ratios = [r / b for r, b in zip(relay, bare, strict=True)]
    return {
        "updates": n,
        "sessions": sessions,
        "rounds": rounds,
        "crowd": CROWD,
        "relay_per_s": relay,
        "bare_per_s": bare,
        "ratios": ratios,
        "relay_median": median(relay),
        "bare_median": median(bare),
        # the turns are paired (a round's two turns run back to back), so the figure is the
        # median of the per-round ratios, not the ratio of medians
        "ratio_median": median(ratios),
        "relay_busy": median([r.busy for r, _ in results]),
        "bare_busy": median([b.busy for _, b in results]),
    }


class _Contestant:
    """One bot in its child process with its own emulator and town, ready for bursts."""

    def __init__(self, kind: str, session: int) -> None:
        self.kind = kind
        self.session = session
        self.emu = Emulator()
        self._tmp = tempfile.TemporaryDirectory()

    async def __aenter__(self) -> _Contestant:
        await self.emu.__aenter__()
        self.world = populate(self.emu, load_network(NETWORK), CROWD)
        self.slugs = sorted(self.world.residents)
        db = Path(self._tmp.name) / "relaybot.sqlite3"
        self.bot = await BotProcess.start(self.kind, self.emu, NETWORK, db)
        await self.burst(50, self.session + 10_000)  # warm up: the whole path once
        return self

    async def burst(self, n: int, seed: int) -> IngestRun:
        _, _, cpu_before = await self.bot.ask("cpu", "cpu")
        last = queue_chatter(self.emu, self.world, self.slugs, n, random.Random(seed))
        start = time.monotonic()
        finished, _, cpu_after = await self.bot.ask(f"until {last}", "done", within=120)
        return IngestRun(
            self.kind, n, float(finished) - start, float(cpu_after) - float(cpu_before)
        )

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self.bot.quit()
        finally:
            await self.emu.__aexit__(None, None, None)
            self._tmp.cleanup()


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
