"""The weekly digest, quiet notices and removal notices in the coordinators' group, through
the emulator with the bot's injected clock."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from relaybot.domain.schedule import parse_weekly
from relaybot.sandbox.stage import Stage
from tests.e2e.conftest import EXAMPLE, ROOT, Clock, alerts, contents, relaybot, run_env, tag

DAY = 86400.0


def digests(stage: Stage) -> list[str]:
    return [c for c in contents(stage, stage.chats["coordinators"]) if c.startswith("📊")]


def quiet(stage: Stage) -> list[str]:
    """Quiet notices in the coordinators' group, one line per neighbourhood."""
    return [
        line
        for c in contents(stage, stage.chats["coordinators"])
        for line in c.splitlines()
        if line.startswith("🔕") and "al 60 dagen stil" in line
    ]


async def until(check, within: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until `check()` holds (the bot acts on its own timer)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not check():
        assert loop.time() < deadline, "the bot did not act in time"
        await asyncio.sleep(0.05)


async def test_digest_command_posts_to_the_coordinators_group(
    stage: Stage, clock: Clock, tmp_path: Path
) -> None:
    """`relaybot digest`, run beside the running bot, queues last week's numbers; the bot
    delivers them to the coordinators' group (and nowhere else)."""
    await tag(stage, "goor-oost", "Verdachte man bij de auto's")
    copy = alerts(stage, stage.chats["goor-noord"], 1)[0]
    stage.emu.press(copy.chat_id, copy.message_id, stage.co_admins["goor-noord"], data="112:1")
    await stage.settle()
    before = {chat: len(contents(stage, chat)) for chat in stage.chats.values()}
    env = run_env(stage.runtime.db.path, RELAYBOT_LANGUAGE="nl")
    process = await relaybot("digest", env=env, cwd=ROOT)
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert "Weekoverzicht klaargezet" in out.decode()
    await until(lambda: len(digests(stage)) == 1)
    await stage.settle()
    text = digests(stage)[0]
    assert text.startswith("📊 Weekoverzicht Hof van Twente")
    assert "Meldingen: 1 · 112-meldingen: 1 · dubbele oproepen voorkomen: 0" in text
    assert "Meeste meldingen doorgezet: Goor Oost (1)." in text
    changed = [c for c, n in before.items() if len(contents(stage, c)) != n]
    assert changed == [stage.chats["coordinators"]]


async def test_digest_command_without_coordinators_group(tmp_path: Path) -> None:
    """Without a [coordinators] group the command says so in one line and exits non-zero."""
    network = tmp_path / "network.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("[coordinators]")
    end = text.index("\n\n", start)
    network.write_text(text[:start] + text[end + 2 :], encoding="utf-8")
    assert "[coordinators]" not in network.read_text(encoding="utf-8")
    env = run_env(tmp_path / "db.sqlite3", network, RELAYBOT_LANGUAGE="en")
    process = await relaybot("digest", env=env, cwd=ROOT)
    _out, err = await process.communicate()
    assert process.returncode == 2
    assert err.decode() == (
        "relaybot: The network file has no [coordinators] group to post the digest to.\n"
    )


async def test_missed_digest_is_sent_once_at_start(stage: Stage, clock: Clock) -> None:
    """The bot was down over the digest's moment: at the next start it sends that digest,
    once; another restart sends nothing more."""
    assert digests(stage) == []
    clock.advance(8 * DAY)
    await stage.restart()
    assert len(digests(stage)) == 1
    await stage.restart()
    assert len(digests(stage)) == 1


async def test_digest_goes_out_at_its_time(stage: Stage, clock: Clock) -> None:
    """With the clock five seconds before Monday 09:00 (network time), the running bot
    posts the digest by itself when the moment comes, over the week up to 09:00."""
    weekly = parse_weekly("monday 09:00")
    assert weekly is not None
    zone = stage.network.timezone
    due = weekly.next(clock(), zone)
    clock.advance(due - clock() - 5)
    await stage.restart()  # nothing was due yet while this bot ran: no digest to catch up
    await until(lambda: len(digests(stage)) == 1)
    assert datetime.fromtimestamp(clock(), zone).strftime("%a %H:%M") == "Mon 09:00"
    week_end = datetime.fromtimestamp(due, zone).strftime("%d-%m 09:00")
    assert digests(stage)[0].splitlines()[0].endswith(f"– {week_end}")


async def test_quiet_notice_comes_once_per_quiet_period(stage: Stage, clock: Clock) -> None:
    """A group quiet for inactive_days is reported once; a restart does not repeat it; after
    new activity and another quiet spell it is reported again, the others are not."""
    linked = [slug for slug, hood in stage.network.neighbourhoods.items() if hood.chat_id]
    clock.advance(61 * DAY)
    await stage.restart()
    first = quiet(stage)
    assert len(first) == len(linked)
    assert any(line.startswith("🔕 Goor Oost (Goor) is al 60 dagen stil") for line in first)
    assert "de 4 attentieborden zouden worden weggehaald" in next(
        line for line in first if "Goor Oost" in line
    )
    await stage.restart()
    assert len(quiet(stage)) == len(linked)
    stage.emu.post(stage.chats["goor-oost"], stage.residents["goor-oost"], "Alles rustig hier")
    await stage.settle()
    clock.advance(61 * DAY)
    await stage.restart()
    again = quiet(stage)[len(first) :]
    assert len(again) == 1 and again[0].startswith("🔕 Goor Oost (Goor)")


async def test_quiet_notice_not_before_inactive_days(stage: Stage, clock: Clock) -> None:
    """Fifty-nine quiet days are not yet inactive: no notice."""
    clock.advance(59 * DAY)
    await stage.restart()
    assert quiet(stage) == []


async def test_removed_from_a_neighbourhood_chat_is_told(stage: Stage) -> None:
    """When the bot is removed from a neighbourhood chat, the coordinators' group hears it
    once, naming the neighbourhood."""
    stage.emu.remove_bot(stage.chats["delden-noord"])
    await stage.settle()
    lines = [c for c in contents(stage, stage.chats["coordinators"]) if c.startswith("⚠️")]
    assert len(lines) == 1
    assert "Delden Noord (Delden)" in lines[0]
