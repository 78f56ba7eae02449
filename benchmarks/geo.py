"""`relaybot map import` over a national-sized map, and one point lookup.

    python -m benchmarks.geo            # 14,000 generated buurten, written into RESULTS.md
    python -m benchmarks.geo --quick    # 2,000, for a short look (RESULTS.md untouched)

The map is generated, not downloaded: Voronoi cells of random points over the Netherlands'
extent in RD New metres (as CBS publishes the wijk- en buurtkaart), their edges cut into
pieces of at most 60 m (so a buurt has about as many vertices as in CBS's generalised map),
one in twenty with an island in a hole of its nearest neighbour, grouped into 342
municipalities and their wijken by a grid.
The real command, `python -m relaybot map import FILE --output FILE`, runs as its own process
for the whole country and for one municipality: wall time around the process (start-up and
imports included) and its own peak memory (`wait4`). The point lookup is `AreaMap.locate`
on a map loaded in this process, for random points over the country.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

from benchmarks.common import machine, machine_line, section_head, write_section
from relaybot.geo.areamap import AreaMap

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
START = "<!-- geo:start -->"
END = "<!-- geo:end -->"
TIME_TARGET_S = 60.0
RSS_TARGET_MB = 1024.0
LOOKUP_TARGET_MS = 1.0
EXTENT = (13_000.0, 306_000.0, 278_000.0, 620_000.0)  # RD New, roughly the Netherlands
MUNICIPALITIES = (18, 19)  # a grid of 342 cells


def national_map(path: Path, count: int, seed: int = 26) -> dict[str, int]:
    """Write ``count`` generated buurten to ``path`` (GeoJSON, RD New); their vertex count."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = EXTENT
    points = np.column_stack([rng.uniform(x0, x1, count), rng.uniform(y0, y1, count)])
    frame = shapely.box(*EXTENT)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame, ordered=True)
    )
    cells = shapely.intersection(cells, frame)
    # one in twenty gets an island: a 150 m square taken out of its nearest neighbour's cell
    # (an enclave, as buurten have them), so the neighbour gets a hole
    nearest = shapely.STRtree(shapely.points(points)).query_nearest(
        shapely.points(points), exclusive=True, return_distance=False, all_matches=False
    )[1]
    parts: list[list[object]] = [[cell] for cell in cells]
    for index in range(0, count, 20):
        other = int(nearest[index])
        x, y = points[other]
        island = shapely.box(x - 75, y - 75, x + 75, y + 75)
        parts[other] = [shapely.difference(parts[other][0], island), *parts[other][1:]]
        parts[index].append(island)
    shapes = [
        p[0] if len(p) == 1 else shapely.MultiPolygon([*shapely.get_parts(p[0]), *p[1:]])
        for p in parts
    ]
    shapes = shapely.segmentize(np.array(shapes, dtype=object), 60.0)
    features = []
    vertices = 0
    for index, (shape, (x, y)) in enumerate(zip(shapes, points, strict=True)):
        gx = int((x - x0) / (x1 - x0) * MUNICIPALITIES[0])
        gy = int((y - y0) / (y1 - y0) * MUNICIPALITIES[1])
        gm = gy * MUNICIPALITIES[0] + gx + 1
        wijk = int((x - x0) // 4000) % 100
        vertices += shapely.get_num_coordinates(shape)
        geometry = json.loads(shapely.to_geojson(shapely.set_precision(shape, 0.001)))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "buurtcode": f"BU{gm:04d}{index:04d}",
                    "buurtnaam": f"Buurt {index}",
                    "wijkcode": f"WK{gm:04d}{wijk:02d}",
                    "wijknaam": f"Wijk {wijk:02d} Plaats {gm}",
                    "gemeentecode": f"GM{gm:04d}",
                    "gemeentenaam": f"Gemeente {gm}",
                },
                "geometry": geometry,
            }
        )
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    with path.open("w", encoding="utf-8") as handle:
        json.dump({"type": "FeatureCollection", "crs": crs, "features": features}, handle)
    return {"buurten": count, "vertices": vertices}


def run_import(source: Path, output: Path, *extra: str) -> tuple[float, float, float, str]:
    """One `relaybot map import` process: (wall seconds, peak RSS MB, CPU seconds, summary)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAYBOT_")}
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "relaybot", "map", "import", str(source), "--output", str(output),
         "--force", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    assert process.stdout is not None and process.stderr is not None
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"map import failed: {process.stderr.read().decode()}")
    summary = process.stdout.read().decode().splitlines()[0]
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, summary


def lookups(source: Path, count: int) -> dict[str, float]:
    """Milliseconds per `AreaMap.locate` (random WGS84 points over the country)."""
    area_map = AreaMap.read(source)
    rng = np.random.default_rng(7)
    to_wgs84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    x0, y0, x1, y1 = EXTENT
    lon, lat = to_wgs84.transform(rng.uniform(x0, x1, count), rng.uniform(y0, y1, count))
    times = []
    cpu = []
    found = 0
    for la, lo in zip(lat.tolist(), lon.tolist(), strict=True):
        began, began_cpu = time.perf_counter(), time.thread_time()
        hit = area_map.locate(la, lo)
        cpu.append((time.thread_time() - began_cpu) * 1000)
        times.append((time.perf_counter() - began) * 1000)
        found += hit is not None
    times.sort()
    cpu.sort()
    began = time.perf_counter()
    for la, lo in zip(lat[:200].tolist(), lon[:200].tolist(), strict=True):
        area_map.within(la, lo, 1000)
    radius = (time.perf_counter() - began) / 200 * 1000
    return {
        "median_ms": statistics.median(times),
        "p99_ms": times[int(len(times) * 0.99)],
        "cpu_median_ms": statistics.median(cpu),
        "cpu_p99_ms": cpu[int(len(cpu) * 0.99)],
        "found": found / count,
        "radius_ms": radius,
    }


def measure(count: int, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="relaybot-geo-") as folder:
        root = Path(folder)
        source = root / "buurten.geojson"
        began = time.perf_counter()
        shape = national_map(source, count)
        print(f"map: {count:,} buurten, {shape['vertices']:,} vertices, "
              f"{source.stat().st_size / 2**20:.0f} MiB in {time.perf_counter() - began:.0f} s",
              file=sys.stderr, flush=True)  # fmt: skip
        results: dict[str, object] = {
            **shape,
            "mib": source.stat().st_size / 2**20,
            "load": os.getloadavg()[0],
        }
        for label, extra in (("country", ()), ("one municipality", ("--municipality", "GM0100"))):
            done = [run_import(source, root / "out" / "network.toml", *extra) for _ in range(runs)]
            results[label] = {
                "seconds": [d[0] for d in done],
                "rss_mb": [d[1] for d in done],
                "cpu": [d[2] for d in done],
                "summary": done[0][3],
            }
            print(f"{label}: {[round(d[0], 1) for d in done]} s, {max(d[1] for d in done):.0f} MB"
                  f" -- {done[0][3]}", file=sys.stderr, flush=True)  # fmt: skip
        results["lookup"] = lookups(source, 10_000)
        print(f"lookup: {results['lookup']}", file=sys.stderr, flush=True)
        return results


def section(results: dict[str, object], host: dict[str, str]) -> str:
    rows = []
    ok = True
    for label in ("country", "one municipality"):
        r: dict[str, object] = results[label]  # type: ignore[assignment]
        seconds: list[float] = r["seconds"]  # type: ignore[assignment]
        rss: list[float] = r["rss_mb"]  # type: ignore[assignment]
        cpu: list[float] = r["cpu"]  # type: ignore[assignment]
        met = max(seconds) < TIME_TARGET_S and max(rss) < RSS_TARGET_MB
        ok = ok and met
        rows.append(
            f"| import, {label} | {statistics.median(seconds):.1f} s "
            f"({', '.join(f'{s:.1f}' for s in seconds)}); CPU {statistics.median(cpu):.1f} s "
            f"(on a core {statistics.median(cpu) / statistics.median(seconds):.0%} of the time); "
            f"peak RSS {max(rss):.0f} MB | < {TIME_TARGET_S:.0f} s, < {RSS_TARGET_MB:.0f} MB "
            f"| {'met' if met else '**missed**'} |"
        )
    look: dict[str, float] = results["lookup"]  # type: ignore[assignment]
    met = look["median_ms"] < LOOKUP_TARGET_MS and look["cpu_p99_ms"] < LOOKUP_TARGET_MS
    ok = ok and met
    rows.append(
        f"| point lookup (`AreaMap.locate`, 10,000 points) | wall median {look['median_ms']:.3f}"
        f" ms, p99 {look['p99_ms']:.3f} ms; CPU median {look['cpu_median_ms']:.3f} ms, p99 "
        f"{look['cpu_p99_ms']:.3f} ms ({look['found']:.0%} in a buurt) | < 1 ms "
        f"| {'met' if met else '**missed**'} |"
    )
    rows.append(
        f"| buurten within 1 km (`AreaMap.within`) | {look['radius_ms']:.3f} ms | — | (reported) |"
    )
    country: dict[str, object] = results["country"]  # type: ignore[assignment]
    return "\n".join(
        [
            *section_head(
                START,
                "Geography: importing a national map, looking a point up",
                "python -m benchmarks.geo",
            ),
            f"{machine_line(host)}; load average at the start {results['load']:.1f}",
            f"- map: {results['buurten']:,} generated buurten (Voronoi cells over the "
            f"Netherlands' extent in RD New, edges cut at 60 m, one in twenty with an island "
            "in its neighbour's hole), "
            f"{results['vertices']:,} vertices, {results['mib']:.0f} MiB of GeoJSON",
            f"- the country's import said: {country['summary']}",
            f"- targets: **{'met' if ok else 'missed'}**",
            "",
            "`python -m relaybot map import FILE --output FILE --force` as its own process "
            "(start-up and imports included; wall time and the process's own peak RSS), for "
            "the whole map and with `--municipality`; the lookup on a map loaded once, as the "
            "bot holds it. On this shared host the wall times depend on the other tenants (see "
            "the load average): the CPU seconds say what the work itself costs; a lookup's wall "
            "p99 is a time slice lost to another process, so its target is judged on the wall "
            "median and the CPU p99.",
            "",
            "| measurement | result | target | status |",
            "| --- | --- | --- | --- |",
            *rows,
            END,
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 buurten, RESULTS.md untouched")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    results = measure(2_000 if args.quick else 14_000, 1 if args.quick else args.runs)
    text = section(results, machine())
    if args.quick:
        print(text)
        return
    write_section(RESULTS, text, START, END)
    print(f"written: {RESULTS}")


if __name__ == "__main__":
    main()
