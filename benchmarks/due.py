"""The worker's read of the outbox per dispatch, with 100,000 rows waiting.

Rows spread over 2,000 chats (the memory benchmark's network size), a third of them 112 rows,
one in ten postponed; each dispatch asks for the next row of up to 4 idle chats while 4 other
chats are busy, with the worker's query (`Delivery.heads` -> `outbox.heads`); read here
through aiosqlite's thread, the slower way (the worker reads inline, `Database.reading_inline`).
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from benchmarks.common import median
from relaybot.storage import outbox
from relaybot.storage.db import Database


async def bench(
    rows: int = 100_000, chats: int = 2_000, dispatches: int = 300
) -> dict[str, object]:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database(Path(tmp) / "due.sqlite3").open()
        try:
            async with db.transaction() as conn:
                await conn.executemany(
                    "INSERT INTO outbox (chat_id, priority, action, payload, created_at,"
                    " not_before) VALUES (?, ?, 'say', '{\"html\": \"x\"}', 0, ?)",
                    [
                        (
                            -1001000100000 - rng.randrange(chats),
                            rng.choice([0, 1, 1, 2]),
                            1e12 if rng.random() < 0.1 else 0.0,
                        )
                        for _ in range(rows)
                    ],
                )
            busy_pool = [-1001000100000 - i for i in range(chats)]
            timings: list[float] = []
            handed = 0
            for _ in range(dispatches):
                busy = set(rng.sample(busy_pool, 4))
                start = time.perf_counter()
                async with db.reading() as conn:
                    found = await outbox.heads(conn, time.time(), busy, 4)
                timings.append((time.perf_counter() - start) * 1000)
                handed += len(found.rows)
        finally:
            await db.close()
    timings.sort()
    return {
        "rows": rows,
        "chats": chats,
        "dispatches": dispatches,
        "median_ms": median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "rows_per_dispatch": handed / dispatches,
    }
