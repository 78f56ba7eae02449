"""`relaybot report` over a national-sized database: time and peak memory per format.

    python -m benchmarks.national_report            # 10,000 neighbourhoods, 500,000 incidents
    python -m benchmarks.national_report --quick    # 1,000 and 50,000, for a short look

A network of 10,000 invented neighbourhoods (`relaybot.sandbox.samples`) and a year of 500,000
incidents with their copies, 112 reports, counters, warnings, sign-ups and activity
(`relaybot.sandbox.report_sample`) are written to a fresh database; then the real command,
`python -m relaybot report --format F --output FILE`, runs as its own process, several times
per format. Wall time is measured around the whole process (start-up and imports included);
peak memory is the process's own maximum resident set size (`wait4`). The figures go into
their own section of benchmarks/RESULTS.md; the other sections are left as they are.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, machine_line, section_head, write_section
from relaybot.network_file import load_network
from relaybot.sandbox.report_sample import fill_history
from relaybot.sandbox.samples import write_big_network

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
START = "<!-- national-report:start -->"
END = "<!-- national-report:end -->"
TIME_TARGET_S = 10.0
RSS_TARGET_MB = 300.0
FORMATS = ("markdown", "csv", "html")


def run_report(database: Path, network: Path, fmt: str, output: Path) -> tuple[float, float, float]:
    """One `relaybot report` process: (wall seconds, peak RSS in MB, CPU seconds)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAYBOT_")}
    env.update(RELAYBOT_DATABASE=str(database), RELAYBOT_NETWORK_FILE=str(network))
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "relaybot", "report", "--format", fmt, "--output", str(output)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(
            f"report failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def measure(hoods: int, incidents: int, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="relaybot-national-") as folder:
        root = Path(folder)
        network_file = write_big_network(root / "network.toml", hoods)
        database = root / "relaybot.sqlite3"
        began = time.perf_counter()
        # in a process of its own: a report process forked from a parent that had filled the
        # database would inherit that parent's peak memory in its own figure
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.national_report",
                "--fill",
                str(database),
                str(network_file),
                str(incidents),
            ],
            check=True,
        )
        fill_seconds = time.perf_counter() - began
        size_mb = database.stat().st_size / 2**20
        results: dict[str, object] = {
            "hoods": hoods,
            "incidents": incidents,
            "fill_seconds": fill_seconds,
            "db_mb": size_mb,
            "formats": {},
        }
        for fmt in FORMATS:
            runs_done = [
                run_report(database, network_file, fmt, root / f"r.{fmt}") for _ in range(runs)
            ]
            seconds = [s for s, _, _ in runs_done]
            rss = [m for _, m, _ in runs_done]
            cpu = [c for _, _, c in runs_done]
            results["formats"][fmt] = {  # type: ignore[index]
                "seconds": seconds,
                "rss_mb": rss,
                "cpu": cpu,
                "load": os.getloadavg()[0],
                "output_kb": (root / f"r.{fmt}").stat().st_size / 1024,
            }
            size_kib = (root / f"r.{fmt}").stat().st_size / 1024
            print(
                f"{fmt:8} median {statistics.median(seconds):.2f} s (max {max(seconds):.2f}),"
                f" peak RSS max {max(rss):.0f} MB, output {size_kib:.0f} KiB",
                flush=True,
            )
        return results


def section(results: dict[str, object], host: dict[str, str]) -> str:
    formats: dict[str, dict[str, object]] = results["formats"]  # type: ignore[assignment]
    rows = []
    ok = True
    for fmt, r in formats.items():
        seconds: list[float] = r["seconds"]  # type: ignore[assignment]
        rss: list[float] = r["rss_mb"]  # type: ignore[assignment]
        cpu: list[float] = r["cpu"]  # type: ignore[assignment]
        met = max(seconds) < TIME_TARGET_S and max(rss) < RSS_TARGET_MB
        ok = ok and met
        each = ", ".join(f"{s:.2f}" for s in seconds)
        rows.append(
            f"| {fmt} | {statistics.median(seconds):.2f} ({each}) "
            f"| {statistics.median(cpu):.2f} | {r['load']:.1f} "
            f"| {max(rss):.0f} | {r['output_kb']:,.0f} | {'met' if met else '**missed**'} |"
        )
    return "\n".join(
        [
            *section_head(
                START,
                "Report over a national-sized database",
                "python -m benchmarks.national_report",
            ),
            machine_line(host),
            f"- database: {results['hoods']:,} neighbourhoods, {results['incidents']:,} incidents "
            f"(each with its original and 3-5 alert copies), {results['db_mb']:.0f} MiB; "
            f"written in {results['fill_seconds']:.0f} s",
            f"- target: under {TIME_TARGET_S:.0f} s and under {RSS_TARGET_MB:.0f} MB per run: "
            f"**{'met' if ok else 'missed'}**",
            "",
            "The real command, `python -m relaybot report --format F --output FILE`, as its own "
            "process (start-up and imports included), over the default period (the last 12 "
            "months, every incident); peak memory is the process's own maximum RSS. CPU seconds"
            " (user + system) and the machine's 1-minute load average show how much of the wall"
            " time was waiting for a core on a shared machine.",
            "",
            "| format | seconds, median (runs) | CPU seconds, median | load average | peak RSS (MB)"
            " | output (KiB) | target |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            END,
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="1,000 neighbourhoods, 50,000 incidents"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--fill", nargs=3, metavar=("DB", "NETWORK", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fill:
        database, network_file, count = args.fill
        network = load_network(network_file)
        hoods = len(network.neighbourhoods)
        fill_history(
            Path(database),
            network,
            incidents=int(count),
            until=time.time(),
            quiet=frozenset(f"wijk-{i}" for i in range(0, hoods, 50)),
        )
        return
    hoods, incidents = (1_000, 50_000) if args.quick else (10_000, 500_000)
    results = measure(hoods, incidents, args.runs)
    if not args.no_write:
        write_section(RESULTS, section(results, machine()), START, END)
        print(f"written: {RESULTS}")


if __name__ == "__main__":
    main()
