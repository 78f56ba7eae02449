"""What the benchmarks share: quiet logging, the machine, statistics, a populated world."""

from __future__ import annotations

import logging
import math
import os
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from relaybot.domain.network import Network
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.records import User

ROOT = Path(__file__).resolve().parents[1]


def write_section(results: Path, text: str, start: str, end: str) -> None:
    """Replace one benchmark's section of RESULTS.md, between its ``start`` and ``end``
    markers (or append it); leave the rest alone."""
    current = results.read_text(encoding="utf-8") if results.exists() else ""
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
        updated = before + text + after
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    results.write_text(updated, encoding="utf-8")


def section_head(start: str, title: str, command: str) -> list[str]:
    """The first lines of a benchmark's own section of RESULTS.md: marker, title, date."""
    from datetime import UTC, datetime

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [start, f"## {title}", "", f"- date: {when}; command: `{command}`"]


def machine_line(host: dict[str, str]) -> str:
    """'- machine: CPU, N cores, Python X' for a section of RESULTS.md."""
    cores, python = host.get("cores", "?"), host.get("python", "?")
    return f"- machine: {host.get('cpu', '?')}, {cores} cores, Python {python}"


def quiet_logs() -> None:
    """Warnings and worse only, so that logging does not skew the timings."""
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.getLogger().setLevel(logging.WARNING)
    for name in ("httpx", "telegram", "tornado", "asyncio", "aiosqlite"):
        logging.getLogger(name).setLevel(logging.WARNING)


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cores": str(os.cpu_count()),
        "ram": ram,
        "cpu": cpu,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def cpu_share(seconds: float = 0.5) -> float:
    """The share of a CPU this process gets while it spins for `seconds` (1.0 on a quiet
    machine; less when the host's other tenants take part of it, which slows every figure)."""
    start, cpu = time.monotonic(), time.process_time()
    while time.monotonic() - start < seconds:
        pass
    return (time.process_time() - cpu) / (time.monotonic() - start)


def loop_ms(n: int = 2_000_000) -> float:
    """Milliseconds a fixed pure-Python loop takes: the host's speed of the moment (a shared
    host's may change by 2x within minutes; compare runs by it)."""
    start = time.perf_counter()
    total = 0
    for i in range(n):
        total += i
    return (time.perf_counter() - start) * 1000


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


FIRST = ["Anna", "Bram", "Carla", "Daan", "Eva", "Femke", "Gijs", "Hanneke", "Ilse", "Joost"]
LAST = ["Hendriks", "Nijhuis", "Bosch", "Kamphuis", "Wessels", "Brinkman", "Leferink"]


@dataclass
class World:
    """Groups for every chat of a network, a co-admin and a resident in each (as the stage)."""

    chats: dict[str, int] = field(default_factory=dict)
    co_admins: dict[str, User] = field(default_factory=dict)
    residents: dict[str, User] = field(default_factory=dict)
    contacts: list[User] = field(default_factory=list)
    # the members who chat in each neighbourhood group: its resident, and `crowd - 1` more
    crowds: dict[str, list[User]] = field(default_factory=dict)


def populate(emu: Emulator, network: Network, crowd: int = 1) -> World:
    """Build the town in an emulator without starting a bot (for bots in another process).
    `crowd`: how many residents chat in each neighbourhood group (the first is `residents`)."""
    people = 0

    def person() -> User:
        nonlocal people
        people += 1
        return emu.add_user(FIRST[people % len(FIRST)], LAST[(people // 10) % len(LAST)])

    world = World()
    world.contacts = [person() for _ in range(3)]
    world.chats["regie"] = emu.add_group(
        "Regiegroep", network.regie_chat_id, members=world.contacts, admins=world.contacts[:1]
    ).id
    if network.coordinators_chat_id is not None:
        world.chats["coordinators"] = emu.add_group(
            "Coördinatoren", network.coordinators_chat_id, members=world.contacts[:1]
        ).id
    for slug, hood in network.neighbourhoods.items():
        if hood.chat_id is None:
            continue  # not linked: no group to talk in
        co_admin, resident = person(), person()
        world.co_admins[slug], world.residents[slug] = co_admin, resident
        world.crowds[slug] = [resident, *(person() for _ in range(crowd - 1))]
        chat = emu.add_group(
            f"Buurtpreventie {hood.name}",
            hood.chat_id,
            members=[co_admin, *world.crowds[slug]],
            admins=[co_admin],
        )
        world.chats[slug] = chat.id
    return world


# Resident chatter: what a neighbourhood group says on an ordinary evening. A few mention 112
# in a question (the pattern matcher sees them; "zal ik 112 bellen?" is an intent, which makes
# the bot look for a recent incident in that chat).
CHATTER = [
    "Goedenavond allemaal, iemand een grijze kat gezien bij de speeltuin?",
    "De lantaarnpaal op de hoek van de Kerkstraat doet het weer niet.",
    "Vanavond om 20:00 overleg in het buurthuis, koffie staat klaar.",
    "Er staat al twee dagen een bestelbus zonder kenteken bij de sporthal.",
    "Dank voor het terugbrengen van mijn pakketje!",
    "Wie heeft er nog een ladder te leen? Dakgoot zit vol bladeren.",
    "Let op: de gemeente veegt morgen de straat, auto's graag verplaatsen.",
    "Zal ik 112 bellen als ik weer iemand bij de schuren zie rondlopen?",
    "Heeft iemand 112 gebeld gisteren bij dat ongeluk op de rotonde?",
    "Vraagje: wanneer bel je 112 en wanneer 0900-8844?",
    "Mooi initiatief van de school, de verkeersborden staan er weer.",
    "Mijn fiets is gisteren bij het station gestolen, zwarte Gazelle met rode tassen.",
    "Hond loslopend gezien bij de vijver, bruin met witte poten.",
    "Top dat jullie zo alert zijn, fijne buurt!",
    "Is de oud papier container al geleegd?",
    "Buren op nummer 12 zijn op vakantie, een extra blik op het huis is welkom.",
    "Er belde net iemand aan die zich voorstelde als energieadviseur, wees voorzichtig.",
    "Moet je 112 bellen bij een verdachte auto of eerst de wijkagent appen?",
    "Heeft iemand een dashcam die vanavond de Molenstraat opnam?",
    "👍",
    "Ok, dank je!",
    "Ik zag het ook, volgens mij was het de postbode.",
]


def progress(line: str) -> None:
    """One line of progress on stderr (the table goes to stdout), at once."""
    import sys

    print(f"  … {line}", file=sys.stderr, flush=True)
