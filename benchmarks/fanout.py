"""Fan-out: one alert tagged in the hub of a 60-neighbourhood network, Telegram's limits on.

A fresh stage (emulator + real bot) per run, so the emulator's and the bot's sliding windows
start empty. The clock runs from queueing the co-admin's /regie until the emulator holds the
last alert (the time the emulator recorded the successful sendMessage).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks.common import median, progress
from relaybot.emulator import Emulator
from relaybot.emulator.limits import is_counted
from relaybot.samples import write_big_network
from relaybot.stage import open_stage

HOODS = 60


def _is_alert(call) -> bool:
    text = str(call.params.get("text") or call.params.get("caption") or "")
    return call.ok and call.method.lower() in ("sendmessage", "sendphoto") and text.startswith("🚨")


async def one_run(hoods: int = HOODS) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        network = write_big_network(Path(tmp) / "network.toml", hoods, hub=True)
        stage = await open_stage(
            network, Path(tmp) / "db.sqlite3", emulator=Emulator(rate_limits=True)
        )
        try:
            emu = stage.emu
            targets = {stage.regie} | {stage.chats[f"wijk-{i}"] for i in range(hoods)}
            await asyncio.sleep(emu.limiter.overall_window * 1.1)  # let start-up calls age out
            hub = stage.chats["hub"]
            original = emu.post(hub, stage.residents["hub"], "Inbraak bezig aan de Dorpsstraat")
            before = len(emu.calls)
            emu.post(hub, stage.co_admins["hub"], "/regie", reply_to=original.message_id)
            start = time.time()
            deadline = time.monotonic() + 60
            reached: dict[int, float] = {}
            seen = before
            while len(reached) < len(targets) and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
                for call in emu.calls[seen:]:
                    chat = int(call.params.get("chat_id", 0))
                    if _is_alert(call) and chat in targets:
                        reached.setdefault(chat, call.at)
                seen = len(emu.calls)
            await stage.settle(within=30)
            calls = emu.calls[before:]
            last = max(reached.values())
            counted = [c for c in calls if c.ok and is_counted(c.method) and c.at <= last]
            window = emu.limiter.overall_window / emu.limiter.overall_limit
            bound = len(counted) * window
            return {
                "seconds": last - start,
                "alerts": len(reached),
                "targets": len(targets),
                "messages": len(counted),
                "bound": bound,
                "ratio": (last - start) / bound,
                "429": emu.counters["429"],
            }
        finally:
            await stage.close()


async def bench(runs: int) -> dict[str, object]:
    results = []
    for index in range(runs):
        results.append(await one_run())
        progress(
            f"fan-out run {index + 1}/{runs}: {results[-1]['seconds']:.1f} s, "
            f"{results[-1]['ratio']:.3f}x the bound"
        )
    return {
        "runs": results,
        "seconds_median": median([r["seconds"] for r in results]),
        "bound_median": median([r["bound"] for r in results]),
        "ratio_median": median([r["ratio"] for r in results]),
        "ratio_max": max(r["ratio"] for r in results),
        "429_total": sum(r["429"] for r in results),
        "complete": all(r["alerts"] == r["targets"] for r in results),
    }
