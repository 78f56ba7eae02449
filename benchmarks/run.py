"""Run every benchmark, print a table and write benchmarks/RESULTS.md.

python -m benchmarks            # the full run (about 3 minutes on 2 cores)
python -m benchmarks --quick    # fewer runs, for a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import fanout, flag112, flood112, ingest, memory
from benchmarks.common import machine, quiet_logs
from benchmarks.report import render, table

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
RAW = Path(__file__).resolve().parent / "results.json"  # the figures RESULTS.md was made from


async def run_all(quick: bool) -> dict[str, object]:
    plan = {
        "ingest_runs": 2 if quick else 5,
        "ingest_updates": 2000,
        "fanout_runs": 2 if quick else 5,
        "flag_incidents": 12 if quick else 30,
        "flood_incidents": 3 if quick else 9,
        "memory_runs": 1 if quick else 2,
    }
    results: dict[str, object] = {"plan": plan}
    timings: dict[str, float] = {}
    start = time.monotonic()
    results["ingest"] = await ingest.bench(plan["ingest_updates"], plan["ingest_runs"])
    results["ingest_breakdown"] = await ingest.breakdown()
    timings["ingest"] = time.monotonic() - start
    start = time.monotonic()
    results["fanout"] = await fanout.bench(plan["fanout_runs"])
    timings["fanout"] = time.monotonic() - start
    start = time.monotonic()
    results["flag"] = await flag112.bench(plan["flag_incidents"])
    timings["flag"] = time.monotonic() - start
    start = time.monotonic()
    results["flood"] = await flood112.bench(plan["flood_incidents"])
    timings["flood"] = time.monotonic() - start
    start = time.monotonic()
    results["memory"] = [await memory.peak_rss() for _ in range(plan["memory_runs"])]
    timings["memory"] = time.monotonic() - start
    results["timings"] = timings
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer runs (a quick look)")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument(
        "--render", action="store_true", help="rewrite RESULTS.md from results.json, no runs"
    )
    args = parser.parse_args(argv)
    quiet_logs()
    if args.render:
        saved = json.loads(RAW.read_text(encoding="utf-8"))
        results, began = saved["results"], datetime.datetime.fromisoformat(saved["began"])
        command = saved["command"]
    else:
        began = datetime.datetime.now().astimezone()
        results = asyncio.run(run_all(args.quick))
        command = "python -m benchmarks" + (" --quick" if args.quick else "")
        if not args.no_write:
            raw = {"began": began.isoformat(), "command": command, "results": results}
            RAW.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    print(table(results))
    if not args.no_write:
        RESULTS.write_text(render(results, machine(), began, command), encoding="utf-8")
        print(f"\nwritten: {RESULTS}")


if __name__ == "__main__":
    main()
