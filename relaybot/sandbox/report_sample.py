"""An invented year of a network, written straight into a bot database: for the sample
report in docs/reports.md, the browser test and the benchmark. Only what the report reads is
written (incident times and places, copy ids, counters, warnings, activity); no texts, no names.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from relaybot.domain.network import Network
from relaybot.storage.db import Database

DAY = 86400.0


def migrate(path: Path) -> None:
    """An empty database with the bot's own schema."""

    async def _open() -> None:
        db = await Database(path).open()
        await db.close()

    asyncio.run(_open())


def fill_history(
    path: Path,
    network: Network,
    *,
    incidents: int,
    until: float,
    quiet: frozenset[str] = frozenset(),
    seed: int = 15,
    days: int = 365,
) -> None:
    """``incidents`` incidents over the ``days`` before ``until``; the ``quiet`` neighbourhoods
    raise nothing in the last 90 days and the bot saw nothing there since."""
    migrate(path)
    rng = random.Random(seed)
    hoods = [h for h in network.neighbourhoods.values() if h.chat_id is not None]
    active = [h for h in hoods if h.slug not in quiet] or hoods
    weights = list(itertools.accumulate(1 + (i * 7919) % 5 for i in range(len(active))))
    quiet_hoods = [h for h in hoods if h.slug in quiet]
    chat_of = {h.slug: h.chat_id for h in hoods}
    start = until - days * DAY
    conn = sqlite3.connect(path)
    try:
        number = conn.execute("SELECT COALESCE(MAX(number), 0) FROM incidents").fetchone()[0]
        incident_rows, copy_rows, counter = [], [], {}
        warnings, signups = [], {}
        message_id = 10_000
        for _ in range(incidents):
            number += 1
            if quiet_hoods and rng.random() < 0.04:  # quiet groups were active long ago
                hood = rng.choice(quiet_hoods)
                created = start + rng.random() * (days - 90) * DAY
            else:
                hood = rng.choices(active, cum_weights=weights)[0]
                created = start + rng.random() * days * DAY
            created = _evening(created, rng)
            if created > until:
                created -= DAY
            recent = created > until - 90 * DAY
            holders = [network.regie_chat_id] + [
                chat_of[s]
                for s in network.neighbours(hood.slug)
                if s in chat_of and not (recent and s in quiet)
            ]
            flag_at = flag_chat = None
            if rng.random() < 0.3:
                flag_at = created + rng.expovariate(1 / 360)
                flag_chat = rng.choice([hood.chat_id, *holders])
                day = datetime.fromtimestamp(flag_at, UTC).date().isoformat()
                place = hood.slug if flag_chat == hood.chat_id else _slug(network, flag_chat)
                for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
                    key = (day, place)
                    counter[key] = counter.get(key, 0) + 1
            state = "retracted" if rng.random() < 0.02 else "resolved"
            incident_rows.append(
                (
                    number,
                    hood.slug,
                    hood.chat_id,
                    message_id,
                    state,
                    created,
                    flag_at,
                    flag_chat,
                    created + 3 * 3600,
                )
            )
            copy_rows.append((hood.chat_id, message_id, number, "original"))
            for chat in holders:
                message_id += 1
                copy_rows.append((chat, message_id, number, "alert"))
            message_id += 1
            if rng.random() < 0.05:
                warnings.append((rng.choice(holders[1:] or [hood.chat_id]), created + 600))
            if rng.random() < 0.1:  # a sign-up, kept per day as the bot counts them
                day = datetime.fromtimestamp(created, UTC).date().isoformat()
                signups[(day, hood.slug, "signups")] = (
                    signups.get((day, hood.slug, "signups"), 0) + 1
                )
                if rng.random() < 0.8:
                    key = (day, hood.slug, "admitted")
                    signups[key] = signups.get(key, 0) + 1
        conn.executemany(
            "INSERT INTO incidents (number, source_slug, source_chat_id, origin_message_id,"
            " state, created_at, flag_at, flag_chat_id, closed_at, relayed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            incident_rows,
        )
        conn.executemany(
            "INSERT INTO copies (chat_id, message_id, incident, role) VALUES (?, ?, ?, ?)",
            copy_rows,
        )
        conn.executemany(
            "INSERT INTO counters (day, place, metric, n) VALUES (?, ?, 'duplicates_prevented', ?)"
            " ON CONFLICT (day, place, metric) DO UPDATE SET n = n + excluded.n",
            [(day, place, n) for (day, place), n in counter.items()],
        )
        _insert_warnings(conn, warnings)
        conn.executemany(
            "INSERT INTO counters (day, place, metric, n) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (day, place, metric) DO UPDATE SET n = n + excluded.n",
            [(day, slug, metric, n) for (day, slug, metric), n in signups.items()],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO activity (slug, watched_since, last_at) VALUES (?, ?, ?)",
            [
                (
                    h.slug,
                    start - 30 * DAY,
                    until - (100 + rng.random() * 60) * DAY
                    if h.slug in quiet
                    else until - rng.random() * 5 * DAY,
                )
                for h in hoods
            ],
        )
        conn.commit()
    finally:
        conn.close()


def _insert_warnings(conn: sqlite3.Connection, warnings: list[tuple[int, float]]) -> None:
    """Warnings in whatever shape the moderation feature gave its table: the chat and the
    time where the report reads them, a neutral value in any other required column."""
    columns = conn.execute("PRAGMA table_info(warnings)").fetchall()
    names, values = [], []
    for _cid, name, kind, notnull, default, pk in columns:
        if name == "chat_id":
            names.append(name)
            values.append("chat")
        elif name in ("at", "created_at"):
            names.append(name)
            values.append("at")
        elif notnull and default is None and not pk:
            names.append(name)
            values.append("" if "TEXT" in (kind or "").upper() else 0)
    rows = [
        tuple(chat if v == "chat" else at if v == "at" else v for v in values)
        for chat, at in warnings
    ]
    marks = ", ".join("?" for _ in names)
    conn.executemany(f"INSERT INTO warnings ({', '.join(names)}) VALUES ({marks})", rows)


def _evening(at: float, rng: random.Random) -> float:
    """Most sightings come in the evening and at night: move the time of day there."""
    day = at - at % DAY
    return day + (17 + rng.random() * 9) * 3600 % (24 * 3600)


def _slug(network: Network, chat_id: int) -> str:
    if chat_id == network.regie_chat_id:
        return "regie"
    hood = network.by_chat_id(chat_id)
    return hood.slug if hood else str(chat_id)


def write_sample(folder: Path, language: str = "en") -> None:
    """The sample in docs/reports.md: a year of the example network as Markdown, HTML and a
    screenshot of the HTML (headless Chromium). ``python -m relaybot.sandbox.report_sample docs``"""
    import shutil
    import subprocess
    import tempfile

    from relaybot.network_file import load_network
    from relaybot.reports import make_report, render

    example = Path(__file__).resolve().parents[1] / "data" / "network.example.toml"
    network = load_network(example)
    until = datetime(2026, 11, 20, 12, 0, tzinfo=network.timezone).timestamp()
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "relaybot.sqlite3"
        fill_history(
            database,
            network,
            incidents=900,
            until=until,
            quiet=frozenset({"bentelo-buiten", "stokkum"}),
        )
        made = make_report(  # the default period: the 12 whole months before November
            network,
            database,
            now=until,
            language=language,  # type: ignore[arg-type]
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report-sample.md").write_text(render(made, "markdown", language, until))  # type: ignore[arg-type]
    page = folder / "report-sample.html"
    page.write_text(render(made, "html", language, until))  # type: ignore[arg-type]
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    f"--user-data-dir={profile}",
                    "--window-size=1280,2300",
                    f"--screenshot={folder / 'report-sample.png'}",
                    page.resolve().as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )


if __name__ == "__main__":
    import sys

    write_sample(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
