"""Instructions per chatter update, relaybot against the bare application, counted by valgrind.

`python -m benchmarks.instructions [--updates N]` (needs valgrind; about three minutes).

The ingest benchmark measures time, which this shared host changes by up to 2x from one
stretch to the next. An instruction count does not change with the host: it is the way to see
whether a change to the bot's busiest path made it cheaper, before the time figures can tell.
Each bot runs in its own process under callgrind exactly as in the ingest benchmark (same
emulator, network and residents), twice: once warmed up with 200 updates and stopped, once
warmed up and then handed N more. The difference, divided by N, is what one update costs:
its decoding, python-telegram-bot's dispatch, relaybot's handlers and the inbox, on the main
thread and on any other (relaybot's database thread). Not a target; a tool.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.child import BotProcess
from benchmarks.common import populate, quiet_logs
from benchmarks.ingest import CROWD, NETWORK, queue_chatter
from relaybot.network_file import load_network
from relaybot.sandbox.emulator import Emulator

WARM = 200  # updates before the counted ones: start-up paths and first writes, in both runs
SLOW = 1800.0  # seconds a bot under valgrind may take for anything (it runs ~50x slower)


async def counted(kind: str, updates: int, folder: Path) -> list[int]:
    """Instructions per thread (main thread first) of one bot process's whole life."""
    counts = folder / f"{kind}-{updates}"  # callgrind's files: one per thread
    counts.mkdir()
    wrapper = [
        "valgrind",
        "--tool=callgrind",
        "--separate-threads=yes",
        f"--callgrind-out-file={counts / 'cg'}",
        f"--log-file={counts / 'log'}",
    ]
    async with Emulator() as emu:
        world = populate(emu, load_network(NETWORK), CROWD)
        slugs = sorted(world.residents)
        db = folder / f"{kind}-{updates}.sqlite3"
        poll = ["--poll", "0.25"]  # the bot's looks at its progress: next to nothing counted
        bot = await BotProcess.start(kind, emu, NETWORK, db, SLOW, wrapper, poll)
        for n, seed in ((WARM, 1), (updates, 2)):
            if n:
                last = queue_chatter(emu, world, slugs, n, random.Random(seed))
                await bot.ask(f"until {last}", "done", within=SLOW)
        await bot.quit(within=SLOW)  # under callgrind a clean stop takes far longer
    return _summaries(counts)


def _summaries(counts: Path) -> list[int]:
    """The total of each thread's file (cg-01 the main thread, cg-02 ...), in that order."""
    totals = []
    for path in sorted(counts.glob("cg-*")):
        line = next(x for x in path.read_text().splitlines() if x.startswith("summary:"))
        totals.append(int(line.split()[1]))
    if not totals:
        raise RuntimeError(f"no callgrind output in {counts}: see {counts / 'log'}")
    return totals


async def measure(updates: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = [(kind, n) for kind in ("relay", "bare") for n in (0, updates)]
        counts = await asyncio.gather(*(counted(kind, n, folder) for kind, n in runs))
    by = dict(zip(runs, counts, strict=True))
    result = {}
    for kind in ("relay", "bare"):
        before, after = by[(kind, 0)], by[(kind, updates)]
        main = (after[0] - before[0]) / updates
        total = (sum(after) - sum(before)) / updates
        result[kind] = {"main": main, "other": total - main, "total": total}
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions")
    parser.add_argument("--updates", type=int, default=1000)
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        sys.exit("benchmarks.instructions needs valgrind (apt-get install valgrind)")
    quiet_logs()
    result = asyncio.run(measure(args.updates))
    relay, bare = result["relay"], result["bare"]
    print(f"instructions per chatter update ({args.updates} updates, after {WARM} to warm up)")
    print(f"{'':8}{'main thread':>14}{'other threads':>16}{'all':>14}")
    for kind, row in result.items():
        print(f"{kind:8}{row['main']:>14,.0f}{row['other']:>16,.0f}{row['total']:>14,.0f}")
    print(
        f"bare / relaybot: main thread {bare['main'] / relay['main']:.3f}, "
        f"all threads {bare['total'] / relay['total']:.3f}"
    )


if __name__ == "__main__":
    main()
