"""Run every benchmark, print a table and write benchmarks/RESULTS.md.

python -m benchmarks            # the full run (about 3 minutes on 2 cores)
python -m benchmarks --quick    # fewer runs, for a quick look (written to a scratch folder)
python -m benchmarks --quick --write   # ... and written over the committed RESULTS.md
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import re
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import due, fanout, flag112, flood112, ingest, memory
from benchmarks.common import cpu_share, loop_ms, machine, progress, quiet_logs
from benchmarks.report import render, table

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
RAW = Path(__file__).resolve().parent / "results.json"  # the figures RESULTS.md was made from
SCRATCH = Path(tempfile.gettempdir()) / "relaybot-benchmarks"  # where a --quick look goes


async def run_all(quick: bool) -> dict[str, object]:
    plan = {
        # sessions of ingest.ROUNDS turns each: whole sessions run fast or slow together on
        # this shared host (where the bot and its emulator land), so the median needs many
        "ingest_runs": 1 if quick else 8,
        "ingest_updates": 1000,
        "fanout_runs": 2 if quick else 5,
        "in_flight_runs": 1 if quick else 2,
        "flag_incidents": 12 if quick else 30,
        "flood_incidents": 3 if quick else 9,
        "memory_runs": 1 if quick else 2,
    }
    results: dict[str, object] = {
        "plan": plan,
        "cpu_share_before": cpu_share(),
        "loop_ms_before": loop_ms(),
    }
    timings: dict[str, float] = {}
    progress(
        f"ingest: {plan['ingest_runs']} sessions of {ingest.ROUNDS} rounds, relaybot and a bare "
        f"application taking turns with {plan['ingest_updates']} updates each"
    )
    start = time.monotonic()
    results["ingest"] = await ingest.bench(plan["ingest_updates"], plan["ingest_runs"])
    results["ingest_breakdown"] = await ingest.breakdown()
    timings["ingest"] = time.monotonic() - start
    progress(f"fan-out: {plan['fanout_runs']} runs of one alert to 61 chats")
    start = time.monotonic()
    results["fanout"] = await fanout.bench(plan["fanout_runs"])
    results["fanout_in_flight"] = await fanout.by_in_flight(plan["in_flight_runs"])
    timings["fanout"] = time.monotonic() - start
    progress(f"112 flag: {plan['flag_incidents']} incidents, report to last copy edited")
    start = time.monotonic()
    results["due"] = await due.bench()
    timings["due"] = time.monotonic() - start
    start = time.monotonic()
    results["flag"] = await flag112.bench(plan["flag_incidents"])
    timings["flag"] = time.monotonic() - start
    start = time.monotonic()
    progress(f"112 under a flood: {plan['flood_incidents']} incidents")
    results["flood"] = await flood112.bench(plan["flood_incidents"])
    timings["flood"] = time.monotonic() - start
    start = time.monotonic()
    results["memory"] = []
    for index in range(plan["memory_runs"]):
        results["memory"].append(await memory.peak_rss())
        progress(f"memory run {index + 1}/{plan['memory_runs']} done")
    timings["memory"] = time.monotonic() - start
    results["timings"] = timings
    results["cpu_share_after"] = cpu_share()
    results["loop_ms_after"] = loop_ms()
    return results


def keep_own_sections(text: str) -> str:
    """Sections other benchmarks write into RESULTS.md (between `<!-- NAME:start -->` and
    `<!-- NAME:end -->`, e.g. the national-size report) survive a rewrite."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    kept = re.findall(r"<!-- [\w-]+:start -->.*?<!-- [\w-]+:end -->", old, re.S)
    return text.rstrip("\n") + "".join(f"\n\n{block}" for block in kept) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer runs (a quick look, written to a scratch folder)",
    )
    parser.add_argument(
        "--write", action="store_true", help="write the committed RESULTS.md, also with --quick"
    )
    parser.add_argument("--no-write", action="store_true", help="write no file at all")
    parser.add_argument(
        "--render", action="store_true", help="rewrite RESULTS.md from results.json, no runs"
    )
    args = parser.parse_args(argv)
    quiet_logs()
    results_md, raw_json = destinations(args.quick, args.write)
    if args.render:
        saved = json.loads(RAW.read_text(encoding="utf-8"))
        results, began = saved["results"], datetime.datetime.fromisoformat(saved["began"])
        command = saved["command"]
        results_md = RESULTS
    else:
        began = datetime.datetime.now().astimezone()
        results = asyncio.run(run_all(args.quick))
        command = "python -m benchmarks" + (" --quick" if args.quick else "")
        if not args.no_write:
            raw = {"began": began.isoformat(), "command": command, "results": results}
            raw_json.parent.mkdir(parents=True, exist_ok=True)
            raw_json.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    print(table(results))
    if not args.no_write:
        text = render(results, machine(), began, command)
        if results_md == RESULTS:
            text = keep_own_sections(text)
        results_md.write_text(text, encoding="utf-8")
        print(f"\nwritten: {results_md}")


def destinations(quick: bool, write: bool) -> tuple[Path, Path]:
    """Where RESULTS.md and results.json go: the committed files for a full run or with
    --write; a scratch folder for a --quick look, so it never overwrites the real figures."""
    if quick and not write:
        return SCRATCH / "RESULTS.md", SCRATCH / "results.json"
    return RESULTS, RAW


if __name__ == "__main__":
    main()
