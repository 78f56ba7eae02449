"""SQLite and PostgreSQL side by side: ingest, fan-out, the outbox read and 112 propagation
(the same benchmarks as `python -m benchmarks`, each run on both engines, turn about), and
the fail-over time of a standby (10 kills of the active process).

    python -m benchmarks.postgres            # about 15 minutes on 2 cores
    python -m benchmarks.postgres --quick    # fewer runs, printed only

PostgreSQL is a server of its own started here (Debian's binaries, as the tests start it:
tests/postgres.py), on a Unix socket, with fsync on (as an operator runs it). Each
measurement gets a fresh database. Writes the section "PostgreSQL beside SQLite" of
RESULTS.md (and `postgres` in results.json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import due, fanout, flag112, ingest
from benchmarks.common import machine, progress, quiet_logs
from relaybot.storage.postgres import PostgresDatabase
from tests.postgres import Lazy

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
RAW = Path(__file__).resolve().parent / "results.json"
HEADING = "## PostgreSQL beside SQLite"
KILLS = 10


class Engine:
    """Which engine the benchmarks' bots use: a fresh PostgreSQL database for each bot or
    stage they open (through RELAYBOT_DATABASE_URL, read by the settings), or SQLite."""

    def __init__(self, server: Lazy) -> None:
        self.server = server
        self.postgres = False

    async def fresh(self) -> None:
        if self.postgres:
            os.environ["RELAYBOT_DATABASE_URL"] = await self.server.fresh()
        else:
            os.environ.pop("RELAYBOT_DATABASE_URL", None)

    @contextmanager
    def patched(self) -> Iterator[None]:
        """Every stage, bot process and database the benchmarks open gets a fresh one."""
        saved = (
            fanout.open_stage,
            flag112.open_stage,
            vars(ingest.BotProcess)["start"],
            due.Database,
        )

        def before(opener: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
            async def opened(*args: Any, **kwargs: Any) -> Any:
                await self.fresh()
                return await opener(*args, **kwargs)

            return opened

        fanout.open_stage = before(fanout.open_stage)  # type: ignore[assignment]
        flag112.open_stage = before(flag112.open_stage)  # type: ignore[assignment]
        ingest.BotProcess.start = before(ingest.BotProcess.start)  # type: ignore[method-assign,assignment]
        due.Database = self.database  # type: ignore[assignment,misc]
        try:
            yield
        finally:
            fanout.open_stage, flag112.open_stage = saved[0], saved[1]
            ingest.BotProcess.start = saved[2]  # type: ignore[method-assign]
            due.Database = saved[3]  # type: ignore[misc]
            os.environ.pop("RELAYBOT_DATABASE_URL", None)

    def database(self, path: Path) -> Any:
        if not self.postgres:
            return saved_database(path)
        return _Later()


def saved_database(path: Path) -> Any:
    from relaybot.storage.db import Database

    return Database(path)


class _Later:
    """`Database(path).open()` for due.py, on a fresh PostgreSQL database."""

    async def open(self) -> PostgresDatabase:
        return await PostgresDatabase(os.environ["RELAYBOT_DATABASE_URL"]).open()


async def one_engine(engine: Engine, postgres: bool, quick: bool) -> dict[str, float]:
    engine.postgres = postgres
    name = "PostgreSQL" if postgres else "SQLite"
    found: dict[str, float] = {}
    with engine.patched():
        progress(f"{name}: ingest")
        ingested = await ingest.bench(1000, 1, rounds=4 if quick else 6)
        found["ingest_per_s"] = float(ingested["relay_median"])  # type: ignore[arg-type]
        found["ingest_ratio"] = float(ingested["ratio_median"])  # type: ignore[arg-type]
        progress(f"{name}: fan-out")
        spread = await fanout.bench(1 if quick else 2)
        found["fanout_s"] = float(spread["seconds_median"])  # type: ignore[arg-type]
        progress(f"{name}: outbox read")
        await engine.fresh()
        read = await due.bench(rows=20_000 if quick else 100_000)
        found["due_median_ms"] = float(read["median_ms"])  # type: ignore[arg-type]
        found["due_p95_ms"] = float(read["p95_ms"])  # type: ignore[arg-type]
        progress(f"{name}: 112 propagation")
        flagged = await flag112.bench(6 if quick else 12)
        found["flag_median_ms"] = float(flagged["median_ms"])  # type: ignore[arg-type]
        found["flag_p95_ms"] = float(flagged["p95_ms"])  # type: ignore[arg-type]
    return found


async def failover(server: Lazy, kills: int) -> list[float]:
    """Seconds from SIGKILL of the active process to the standby's first call as active
    (it sets the bot's commands at start), `kills` times; the killed one comes back as the
    next standby."""
    from tests.e2e.test_failover import Pair

    with tempfile.TemporaryDirectory() as tmp:
        pair = await Pair(Path(tmp), await server.fresh()).open()
        try:
            active = await pair.launch("m0")
            await _until(lambda: len(pair.emu.calls_to("setMyCommands")) == 1, 60)
            standby = await pair.launch("m1")
            await _until(lambda: pair.health("m1").startswith("ok: standby"), 60)
            times: list[float] = []
            for kill in range(kills):
                started = len(pair.emu.calls_to("setMyCommands"))
                active.send_signal(signal.SIGKILL)
                killed = time.monotonic()
                await active.wait()
                await _until(lambda n=started: len(pair.emu.calls_to("setMyCommands")) > n, 60)
                times.append(time.monotonic() - killed)
                progress(f"fail-over {kill + 1}/{kills}: {times[-1]:.1f} s")
                machine_name = f"m{kill % 2}"
                active, standby = standby, await pair.launch(machine_name)
                await _until(lambda m=machine_name: pair.health(m).startswith("ok: standby"), 60)
            return times
        finally:
            await pair.close()


async def _until(condition: Callable[[], bool], within: float) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"not within {within} s")
        await asyncio.sleep(0.01)


async def run(quick: bool) -> dict[str, Any]:
    quiet_logs()
    server = Lazy(durable=True)
    try:
        engine = Engine(server)
        figures = {
            "sqlite": await one_engine(engine, False, quick),
            "postgresql": await one_engine(engine, True, quick),
        }
        times = await failover(server, 3 if quick else KILLS)
    finally:
        server.stop()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        **figures,
        "failover_s": times,
        "failover_median_s": statistics.median(times),
        "failover_worst_s": max(times),
    }


ROWS = (
    ("ingest (updates/s, relaybot)", "ingest_per_s", "{:.0f}", True),
    ("ingest: relaybot / bare PTB", "ingest_ratio", "{:.2f}", True),
    ("fan-out: 1 alert to 61 chats (s)", "fanout_s", "{:.2f}", False),
    ("outbox read per dispatch, median (ms)", "due_median_ms", "{:.2f}", False),
    ("outbox read per dispatch, p95 (ms)", "due_p95_ms", "{:.2f}", False),
    ("112 propagation, median (ms)", "flag_median_ms", "{:.0f}", False),
    ("112 propagation, p95 (ms)", "flag_p95_ms", "{:.0f}", False),
)


def render(result: dict[str, Any]) -> str:
    lite, pg = result["sqlite"], result["postgresql"]
    lines = [
        HEADING,
        "",
        f"- date: {result['date']}; command: `python -m benchmarks.postgres`; machine:"
        f" {result['machine'].get('cpu', '?')}, shared with other work (figures swing by up"
        " to 2x between stretches)",
        "- the same benchmarks as above, each run on SQLite and then on PostgreSQL 15 (a local"
        " server on a Unix socket, fsync on), a fresh database per bot; fewer runs than above",
        "- relative: PostgreSQL's speed as a share of SQLite's (1.00 = as fast; goal ≥ 0.8)",
        "",
        "| measurement | SQLite | PostgreSQL | relative | goal ≥ 0.8 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, key, fmt, higher_is_better in ROWS:
        share = pg[key] / lite[key] if higher_is_better else lite[key] / pg[key]
        status = "met" if share >= 0.8 else "**missed**"
        lines.append(
            f"| {label} | {fmt.format(lite[key])} | {fmt.format(pg[key])} | {share:.2f} |"
            f" {status} |"
        )
    times = ", ".join(f"{t:.1f}" for t in result["failover_s"])
    lines += [
        "",
        f"**Fail-over** (two `relaybot run` processes on one PostgreSQL, the active one killed"
        f" with SIGKILL {len(result['failover_s'])} times, `RELAYBOT_FAILOVER_S=15`: seconds"
        f" until the standby's first call as the active bot): median"
        f" {result['failover_median_s']:.1f} s, worst {result['failover_worst_s']:.1f} s"
        f" (goal < 15 s). All: {times}.",
        "",
        "Where PostgreSQL loses: every statement is a round trip to another process (SQLite"
        " answers in the bot's own, the short reads on the send path even on the event loop's"
        " thread), and every commit waits until its log is on disk (fsync on, PostgreSQL's"
        " default; SQLite's WAL with `synchronous = NORMAL` does not wait at a commit), so the"
        " worker's two commits per send (the claim before the call, the record after) pay"
        " most; on a busy host each round trip also waits for a CPU. The engine keeps the"
        " trips few: reads on connections of their own (they never wait behind a write), the"
        " outbox read in one trip, the claim one statement per dispatch (docs/design.md, 'The"
        " PostgreSQL engine's connections').",
        "",
    ]
    return "\n".join(lines)


def write(result: dict[str, Any]) -> None:
    text = RESULTS.read_text(encoding="utf-8")
    section = render(result)
    if HEADING in text:
        before, _, after = text.partition(HEADING)
        end = re.search(r"\n(## |<!-- )", after)  # the next section, or another's marker
        text = before + section + ("\n" + after[end.start() + 1 :] if end else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")
    raw = json.loads(RAW.read_text(encoding="utf-8")) if RAW.exists() else {}
    raw["postgres"] = result
    RAW.write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, printed only")
    parser.add_argument("--render", action="store_true", help="rewrite from results.json")
    args = parser.parse_args()
    if args.render:
        write(json.loads(RAW.read_text(encoding="utf-8"))["postgres"])
        return
    result = asyncio.run(run(args.quick))
    if args.quick:
        print(render(result))
    else:
        write(result)
        print(render(result))


if __name__ == "__main__":
    main()
