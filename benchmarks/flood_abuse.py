"""112 propagation under the floods of issue 25: sign-up cards, private `/start`s, strangers'
join requests through a leaked sign-up link, and `/regels` from a crowd of members.

The variant of `flood112` (section 3b) with the floods a hostile resident or a curious outsider
can make: 40 residents completing a sign-up at once (40 cards for the regiegroep, which holds
every incident), 600 accounts sending `/start` privately (600 answers to 600 chats), 300
strangers asking to join through one admitted resident's leaked invite link (300 declines),
and 100 members of the source group each sending `/regels`. The network and measurement are
those of `flag112` (seven chats hold the incident, limits on, the bot in a process of its own),
with one street added so that the sign-ups are matched. Each stage: a fresh emulator and bot;
100 members join the source group; one resident signs up and is admitted (the link that
leaks); the incident is tagged and delivered; the 40 sign-ups are answered up to their last
step; then the 40 last answers ("Akkoord"), the 600 `/start`s, the 300 join requests and the
100 `/regels` are posted, interleaved, at a steady pace over `FLOOD_SECONDS`, and half-way a
co-admin presses "Ik heb 112 gebeld". The clock runs from queueing the press until every alert
copy shows "112 gebeld" and every chat has its notice.

    python -m benchmarks.flood_abuse            # 9 incidents, written to RESULTS.md
    python -m benchmarks.flood_abuse --quick    # 3 incidents, printed only
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from benchmarks import flag112
from benchmarks.child import BotProcess
from benchmarks.common import (
    World,
    median,
    percentile,
    progress,
    quiet_logs,
    write_section,
)
from benchmarks.flag112 import NEIGHBOURS, _wait_for, network_toml
from benchmarks.flood112 import _alerts_in, _flagged_in, _last_flag_call, fresh_bot
from benchmarks.run import RESULTS
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.records import User
from relaybot.sandbox.stage import SHARE_CONTACT, answer_privately

SIGNUPS = 40
STARTS = 600
STRANGERS = 300  # join requests through the leaked link
RULES_ASKERS = 100  # members of the source group who each send /regels
FLOOD_SECONDS = 6.0  # 1,040 updates, about 173 a second
STREET = "Kievitstraat"
STEPS = ("/aanmelden", "Ja", None, f"{STREET} 12", SHARE_CONTACT)  # then "Akkoord"
TARGET_MS = 250.0
START = "<!-- flood-abuse:start -->"
END = "<!-- flood-abuse:end -->"


def _network_text() -> str:
    return network_toml().replace('slug = "bron"', f'slug = "bron"\nstreets = ["{STREET}"]')


@dataclass(frozen=True)
class Flood:
    """Who floods: the sign-ups to finish, the curious accounts, the strangers with the leaked
    link, the members asking for the rules of the source group."""

    signing: list[User]
    curious: list[User]
    strangers: list[User]
    askers: list[User]
    link: str
    source: int


def _interleaved(*kinds: list[Callable[[], object]]) -> list[Callable[[], object]]:
    """Each kind's posts spread evenly over the whole flood, merged in that order."""
    placed = [
        ((index + 0.5) / len(posts), order, post)
        for order, posts in enumerate(kinds)
        for index, post in enumerate(posts)
    ]
    return [post for _at, _order, post in sorted(placed, key=lambda p: (p[0], p[1]))]


async def _flood(emu: Emulator, flood: Flood) -> None:
    """The last answer of every sign-up, a /start of every curious account, a join request
    of every stranger and a /regels of every asker, interleaved, at a steady pace."""
    posts = _interleaved(
        [partial(answer_privately, emu, person, "/start") for person in flood.curious],
        [partial(answer_privately, emu, person, "Akkoord") for person in flood.signing],
        [partial(emu.request_join, flood.source, s, flood.link) for s in flood.strangers],
        [partial(emu.post, flood.source, asker, "/regels") for asker in flood.askers],
    )
    step = FLOOD_SECONDS / len(posts)
    start = time.monotonic()
    for index, post in enumerate(posts):
        post()
        delay = start + (index + 1) * step - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)


async def _idle(bot: BotProcess, emu: Emulator) -> None:
    await bot.ask(f"idle {emu.world.updates.next_id - 1}", "idle", within=180)


async def _leaked_link(emu: Emulator, world: World, bot: BotProcess) -> str:
    """A resident of the source group's street signs up and is admitted: their invite link,
    the one that leaks."""
    resident = emu.add_user("Bewoner", "Toegelaten", phone_number="+31612399999")
    for step in (*STEPS, "Akkoord"):
        answer_privately(emu, resident, step or resident.full_name)
        await _idle(bot, emu)
    regie = world.chats["regie"]
    card = next(m for m in emu.bot_messages(regie) if "Aanmelding #" in (m.content or ""))
    emu.press(regie, card.message_id, world.contacts[1], button_text="Toelaten")
    await _wait_for(lambda: bool(emu.calls_to("createChatInviteLink")), within=60)
    await _idle(bot, emu)
    return str(emu.calls_to("createChatInviteLink")[-1].result_or_error["invite_link"])


async def one_stage(seed: int) -> tuple[float, float, int, int, int]:
    """(seconds from the press to the flag shown everywhere, to the press answered (the
    update path's share), 429s seen, cards of the flood's sign-ups sent to the regiegroep
    and strangers declined by the end of the flood) on a fresh emulator and bot."""
    async with fresh_bot(_network_text()) as (emu, world, bot):
        bron = world.chats["bron"]
        askers = [emu.add_user("Lid", f"Bron {i}") for i in range(RULES_ASKERS)]
        emu.join_many(bron, askers)
        flood = Flood(
            signing=[
                emu.add_user("Bewoner", f"Nummer {i}", phone_number=f"+3161230{i:04d}")
                for i in range(SIGNUPS)
            ],
            curious=[emu.add_user("Nieuwsgierig", f"Account {i}") for i in range(STARTS)],
            strangers=[emu.add_user("Onbekende", f"Meelezer {i}") for i in range(STRANGERS)],
            askers=askers,
            link=await _leaked_link(emu, world, bot),
            source=bron,
        )
        slugs = ["bron", *NEIGHBOURS]
        holders = [world.chats[s] for s in slugs] + [world.chats["regie"]]
        text = "Verdachte persoon bij de schuren"
        original = emu.post(bron, world.residents["bron"], text)
        emu.post(bron, world.co_admins["bron"], "/regie", reply_to=original.message_id)
        await _wait_for(lambda: all(_alerts_in(emu, c, 1) for c in holders if c != bron))
        await _idle(bot, emu)
        for step in STEPS:
            for person in flood.signing:
                answer_privately(emu, person, step or person.full_name)
            await _idle(bot, emu)
        await asyncio.sleep(emu.limiter.overall_window * 1.1)
        presser = NEIGHBOURS[seed % len(NEIGHBOURS)]
        chat = world.chats[presser]
        copy = next(m for m in emu.bot_messages(chat) if "#1 ·" in (m.content or ""))
        flooding = asyncio.ensure_future(_flood(emu, flood))
        await asyncio.sleep(FLOOD_SECONDS / 2)
        before = len(emu.calls)
        start = time.time()
        emu.press(chat, copy.message_id, world.co_admins[presser], data="112:1")
        await _wait_for(lambda: _flagged_in(emu, holders, 1, 1), within=120, emu=emu)
        calls = emu.calls[before:]
        latency = _last_flag_call(calls, 1) - start
        answered = next(c.at for c in calls if c.method == "answerCallbackQuery") - start
        await flooding
        cards = sum(
            "Aanmelding #" in (m.content or "") for m in emu.bot_messages(world.chats["regie"])
        )
        declined = sum(c.ok for c in emu.calls_to("declineChatJoinRequest"))
        return latency, answered, emu.counters["429"], cards - 1, declined  # -1: the admitted


async def bench(incidents: int, control: int = 6) -> dict[str, object]:
    """The measurement, and `flag112` without a flood run right before it as a control (the
    same machine at the same moment: a busy machine slows both)."""
    load = os.getloadavg()[0]
    baseline = await flag112.bench(control) if control else None
    latencies: list[float] = []
    answered: list[float] = []
    errors_429 = 0
    cards: list[int] = []
    declined: list[int] = []
    for seed in range(incidents):
        latency, press, seen, shown, refused = await one_stage(seed)
        latencies.append(latency)
        answered.append(press)
        errors_429 += seen
        cards.append(shown)
        declined.append(refused)
        progress(
            f"112 under the issue 25 floods: {seed + 1}/{incidents} "
            f"({latency * 1000:.0f} ms, press answered at {press * 1000:.0f} ms)"
        )
    return {
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_before": load,
        "control_median_ms": baseline["median_ms"] if baseline else None,
        "control_p95_ms": baseline["p95_ms"] if baseline else None,
        "incidents": len(latencies),
        "ms": [x * 1000 for x in latencies],
        "answered_ms": [x * 1000 for x in answered],
        "answered_median_ms": median(answered) * 1000,
        "median_ms": median(latencies) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "max_ms": max(latencies) * 1000,
        "429": errors_429,
        "cards_shown": cards,
        "declined": declined,
    }


def section(r: dict[str, object]) -> str:
    ms = r["ms"]
    assert isinstance(ms, list)
    met = "met" if float(r["p95_ms"]) < TARGET_MS and r["429"] == 0 else "NOT met"  # type: ignore[arg-type]
    return "\n".join(
        [
            START,
            "## 3c. 112 propagation under sign-up, /start, join-request and /regels floods",
            "",
            f"As section 3b, but the flood is {SIGNUPS} residents completing a sign-up at once "
            f"(a card each for the regiegroep, which holds the incident), {STARTS} accounts "
            f"sending `/start` privately, {STRANGERS} strangers asking to join the source "
            "group through an admitted resident's leaked invite link, and "
            f"{RULES_ASKERS} members of the source group (which holds the incident) each "
            f"sending `/regels`: {SIGNUPS + STARTS + STRANGERS + RULES_ASKERS} updates "
            f"interleaved over {FLOOD_SECONDS:g} s with the press half-way; one incident per "
            "fresh emulator and bot (`python -m benchmarks.flood_abuse`). Alerts and 112 rows "
            "are read before any other row, "
            "cards go at most `cards_per_minute` (6) a chat, and rows that are neither alert "
            "nor 112 take at most half of the bot's 30 messages a second. Updates from "
            "groups are handled before private chats and join requests, which wait while an "
            "alert or a 112 report is being delivered (at most 0.5 s each).",
            "",
            f"Measured {r['measured']} (load average {float(r['load_before']):.1f} on 2 cores "  # type: ignore[arg-type]
            f"when it started): median {float(r['median_ms']):.1f} ms, p95 "  # type: ignore[arg-type]
            f"{float(r['p95_ms']):.1f} ms, max {float(r['max_ms']):.1f} ms over "  # type: ignore[arg-type]
            f"{r['incidents']} incidents; 429s: {r['429']}; target p95 < {TARGET_MS:.0f} ms: "
            f"{met}. The press was answered (the update path's share) after "
            f"{float(r['answered_median_ms']):.0f} ms (median); from "  # type: ignore[arg-type]
            "then to the flag shown everywhere (the delivery's share): "
            + ", ".join(f"{x - a:.0f}" for x, a in zip(ms, r["answered_ms"], strict=True))  # type: ignore[call-overload]
            + " ms. "
            f"Control, measured right before: section 3 without a flood gave median "
            f"{float(r['control_median_ms'] or 0):.0f} ms, p95 "  # type: ignore[arg-type]
            f"{float(r['control_p95_ms'] or 0):.0f} ms. "  # type: ignore[arg-type]
            "Cards shown in the regiegroep by the end of each flood: "
            + ", ".join(str(n) for n in r["cards_shown"])  # type: ignore[attr-defined]
            + "; strangers declined by then: "
            + ", ".join(str(n) for n in r["declined"])  # type: ignore[attr-defined]
            + f" of {STRANGERS}. All (ms): "
            + ", ".join(f"{x:.0f}" for x in ms),
            END,
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 incidents, printed only")
    parser.add_argument("--incidents", type=int, default=9)
    args = parser.parse_args(argv)
    quiet_logs()
    results = asyncio.run(bench(3 if args.quick else args.incidents, 3 if args.quick else 6))
    text = section(results)
    print(text)
    if not args.quick:
        write_section(RESULTS, text, START, END)


if __name__ == "__main__":
    main()
