"""Memory and database size.

Peak RSS: the bot runs alone in a child process (`benchmarks.botproc`) against an emulator in
this process, with a 2,000-neighbourhood network and a database pre-filled with 10,000 closed
incidents of 10 copies each (100,000 copies, with their delivered outbox rows), and handles a
few tags. Database size: that pre-filled database after a WAL checkpoint (database file plus
WAL), per 1,000 incidents.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.child import BotProcess
from benchmarks.common import populate
from relaybot.network_file import load_network
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.samples import write_big_network
from relaybot.storage.db import Database

HOODS = 2000
INCIDENTS = 10_000
COPIES = 10  # the original and nine relayed alerts (regie included)
TAGS = 5


async def prefill(db_path: Path, chat_ids: list[int], regie: int) -> int:
    """Migrate with the bot's own code, then insert closed incidents with copies and outbox."""
    await (await Database(db_path).open()).close()
    rng = random.Random(1)
    now = time.time() - 40 * 86400
    next_message: dict[int, int] = {}

    def message_id(chat: int) -> int:
        next_message[chat] = next_message.get(chat, 1000) + 1
        return next_message[chat]

    conn = sqlite3.connect(db_path)
    with conn:
        for number in range(1, INCIDENTS + 1):
            created = now + number * 300
            source = rng.choice(chat_ids)
            origin = message_id(source)
            flagged = rng.random() < 0.3
            conn.execute(
                "INSERT INTO incidents (number, source_slug, source_chat_id, origin_message_id,"
                " text, note, author, state, created_at, flag_at, flag_by, flag_place,"
                " flag_chat_id, closed_by, closed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    number,
                    f"wijk-{chat_ids.index(source)}",
                    source,
                    origin,
                    "Verdachte persoon loopt langs de achterdeuren in de Kerkstraat, "
                    "donkere jas, fiets aan de hand",
                    "",
                    "Anna Hendriks",
                    rng.choice(["resolved", "expired"]),
                    created,
                    created + 60 if flagged else None,
                    "Bram Nijhuis" if flagged else None,
                    "Wijk 3" if flagged else None,
                    source if flagged else None,
                    "Carla Bosch",
                    created + 3600,
                ),
            )
            conn.execute(
                "INSERT INTO copies (chat_id, message_id, incident, role) VALUES (?,?,?,?)",
                (source, origin, number, "original"),
            )
            others = [regie, *rng.sample([c for c in chat_ids if c != source], COPIES - 2)]
            for chat in others:
                mid = message_id(chat)
                conn.execute(
                    "INSERT INTO copies (chat_id, message_id, incident, role) VALUES (?,?,?,?)",
                    (chat, mid, number, "alert"),
                )
                conn.execute(
                    "INSERT INTO outbox (chat_id, priority, action, incident, payload, status,"
                    " created_at, done_at, message_id) VALUES (?,?,?,?,?,?,?,?,?)",
                    (chat, 1, "alert", number, json.dumps({}), "done", created, created + 1, mid),
                )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copies = conn.execute("SELECT COUNT(*) FROM copies").fetchone()[0]
    conn.close()
    return int(copies)


async def peak_rss() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        network_file = write_big_network(Path(tmp) / "network.toml", HOODS)
        network = load_network(network_file)
        db = Path(tmp) / "relaybot.sqlite3"
        async with Emulator() as emu:
            world = populate(emu, network)
            chat_ids = [world.chats[f"wijk-{i}"] for i in range(HOODS)]
            copies = await prefill(db, chat_ids, world.chats["regie"])
            prefilled = _size(db)
            bot = await BotProcess.start("relay", emu, network_file, db, within=120)
            try:
                last = emu.world.updates.next_id - 1
                await bot.ask(f"idle {last}", "idle", within=120)
                (started,) = await bot.ask("rss", "rss")
                before = len(emu.calls)
                for index in range(TAGS):
                    slug = f"wijk-{index * 397}"
                    chat = world.chats[slug]
                    original = emu.post(chat, world.residents[slug], "Inbraak bezig, achterom")
                    emu.post(chat, world.co_admins[slug], "/regie", reply_to=original.message_id)
                    await asyncio.sleep(0.2)
                last = emu.world.updates.next_id - 1
                await bot.ask(f"idle {last}", "idle", within=120)
                sent = sum(1 for c in emu.calls[before:] if c.ok and c.method == "sendMessage")
                (peak,) = await bot.ask("rss", "rss")
            finally:
                await bot.quit()
    return {
        "hoods": HOODS,
        "copies": copies,
        "tags": TAGS,
        "messages_sent": sent,
        "rss_started_mb": int(started) / 1024,
        "rss_peak_mb": int(peak) / 1024,
        "db_bytes": prefilled,
        "db_bytes_per_1000": prefilled / INCIDENTS * 1000,
    }


def _size(db: Path) -> int:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
