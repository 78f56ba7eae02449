"""Fan-out: one alert tagged in the hub of a 60-neighbourhood network, Telegram's limits on.

A fresh stage (emulator + real bot) per run, so the emulator's and the bot's sliding windows
start empty. Telegram answers each call after a round trip. The fan-out runs from the first
alert the emulator carried out to the last; `end_to_end` from queueing the co-admin's /regie
(which adds the round trips of fetching the update and of the co-admin check).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks.common import median, progress
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.limits import is_counted
from relaybot.sandbox.samples import write_big_network
from relaybot.sandbox.stage import open_stage

HOODS = 60


def _is_alert(call) -> bool:
    text = str(call.params.get("text") or call.params.get("caption") or "")
    return call.ok and call.method.lower() in ("sendmessage", "sendphoto") and text.startswith("🚨")


ROUND_TRIP = 0.1  # seconds between a call's effect and its answer, as over a real network
IN_FLIGHT = (1, 2, 4, 8)  # RELAYBOT_MAX_IN_FLIGHT settings compared


async def one_run(
    hoods: int = HOODS, in_flight: int = 4, round_trip: float = ROUND_TRIP
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        network = write_big_network(Path(tmp) / "network.toml", hoods, hub=True)
        stage = await open_stage(
            network,
            Path(tmp) / "db.sqlite3",
            emulator=Emulator(rate_limits=True, round_trip=round_trip),
        )
        try:
            stage.runtime.worker.max_in_flight = in_flight
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
            first = min(reached.values())
            counted = [c for c in calls if c.ok and is_counted(c.method) and first <= c.at <= last]
            window = emu.limiter.overall_window / emu.limiter.overall_limit
            # the fan-out proper: from the first alert Telegram carried out to the last; n
            # messages need at least (n - 1) / 30 s between the first and the last
            bound = (len(counted) - 1) * window
            return {
                "seconds": last - first,
                "end_to_end": last - start,
                "alerts": len(reached),
                "targets": len(targets),
                "messages": len(counted),
                "bound": bound,
                "ratio": (last - first) / bound,
                "429": emu.counters["429"],
                "in_flight": in_flight,
            }
        finally:
            await stage.close()


async def by_in_flight(runs: int) -> list[dict[str, float]]:
    """The same fan-out with 1, 2, 4 and 8 sends in flight: time against the worst case a
    crash allows (as many duplicates as sends in flight, at most one per chat)."""
    table = []
    for n in IN_FLIGHT:
        results = [await one_run(in_flight=n) for _ in range(runs)]
        table.append(
            {
                "in_flight": n,
                "seconds_median": median([r["seconds"] for r in results]),
                "ratio_median": median([r["ratio"] for r in results]),
                "429_total": sum(r["429"] for r in results),
                "worst_duplicates": n,
            }
        )
    return table


async def bench(runs: int) -> dict[str, object]:
    results = []
    for index in range(runs):
        results.append(await one_run())
        progress(
            f"fan-out run {index + 1}/{runs}: {results[-1]['seconds']:.1f} s, "
            f"{results[-1]['ratio']:.3f}x the bound"
        )
    return {
        "round_trip": ROUND_TRIP,
        "runs": results,
        "seconds_median": median([r["seconds"] for r in results]),
        "bound_median": median([r["bound"] for r in results]),
        "ratio_median": median([r["ratio"] for r in results]),
        "ratio_max": max(r["ratio"] for r in results),
        "429_total": sum(r["429"] for r in results),
        "complete": all(r["alerts"] == r["targets"] for r in results),
    }
