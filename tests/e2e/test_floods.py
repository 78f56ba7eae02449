"""A flood never delays an alert: answers are limited per chat and per person, repeated
intents are answered once, and unknown groups cost the regiegroep at most one line each."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.stage import Stage, open_stage
from tests.e2e.conftest import EXAMPLE, Clock, alerts, contents, tag

HELP_LINE = "<b>relaybot</b>"  # the first line of every /help answer


@pytest.fixture
async def limited(tmp_path: Path, clock: Clock) -> AsyncIterator[Stage]:
    """The example network with Telegram's limits enforced (20 a minute per group)."""
    stage = await open_stage(
        EXAMPLE, tmp_path / "db.sqlite3", clock=clock, emulator=Emulator(rate_limits=True)
    )
    try:
        yield stage
    finally:
        await stage.close()


async def until(condition, within: float = 30.0) -> None:
    """Wait (real time) until the condition holds."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.01)


def sent_to(stage: Stage, chat_id: int) -> list:
    return [
        c
        for c in stage.emu.calls
        if c.ok and c.method == "sendMessage" and str(c.params.get("chat_id")) == str(chat_id)
    ]


async def test_a_help_flood_never_delays_an_alert_into_that_chat(limited: Stage) -> None:
    """A resident sends /help 60 times in their chat; an alert tagged next door right after
    reaches that chat within 15 s (emulator time), the resident got at most 3 answers, and
    Telegram never answered 429."""
    stage = limited
    flooded = stage.chats["goor-centrum"]
    resident = stage.residents["goor-centrum"]
    for _ in range(60):
        stage.emu.post(flooded, resident, "/help")
    await until(lambda: len(sent_to(stage, flooded)) >= 1)
    start = time.time()
    source = stage.chats["goor-oost"]  # adjacent to goor-centrum
    original = stage.emu.post(source, stage.residents["goor-oost"], "Inbraak bij de bakker")
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=original.message_id)
    await until(lambda: bool(alerts(stage, flooded, 1)), within=40)
    arrived = next(c.at for c in sent_to(stage, flooded) if "Inbraak" in c.params["text"])
    assert arrived - start <= 15.0
    answers = [c for c in contents(stage, flooded) if HELP_LINE in c or "relaybot" in c[:20]]
    assert len(answers) <= 3
    assert stage.emu.counters.get("429", 0) == 0


async def test_forty_unknown_groups_never_delay_an_alert_to_the_regiegroep(
    limited: Stage,
) -> None:
    """The bot is added to 40 groups outside the network at once, and a command is sent in
    each; an alert tagged right after reaches the regiegroep within 15 s, the regiegroep got
    at most one line per unknown group (and no more than half its budget meanwhile)."""
    stage = limited
    someone = stage.emu.add_user("Onbekende", "Toevoeger")
    groups = [stage.emu.add_bot(f"Buurtfeest {i}", by=someone) for i in range(40)]
    for group in groups:
        stage.emu.post(group.id, someone, "/help")
    start = time.time()
    source = stage.chats["goor-oost"]
    original = stage.emu.post(source, stage.residents["goor-oost"], "Verdachte man bij de school")
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=original.message_id)
    await until(lambda: bool(alerts(stage, stage.regie, 1)), within=40)
    arrived = next(c.at for c in sent_to(stage, stage.regie) if "Verdachte man" in c.params["text"])
    assert arrived - start <= 15.0
    lines = [c for c in contents(stage, stage.regie) if "niet bij het netwerk hoort" in c]
    assert len(lines) <= 10
    for group in groups:
        assert sum(str(group.id) in line for line in lines) <= 1
    assert stage.emu.counters.get("429", 0) == 0


async def test_a_repeated_intent_is_answered_once_and_counted_once(stage: Stage) -> None:
    """After 112 is reported, one resident writing "ik bel 112" five times gets one "112 is
    al gebeld" reply and counts once as a duplicate prevented; a second person gets their
    own reply and counts too. The replies are not sent at the 112 priority."""
    await tag(stage, "goor-oost", "Man met breekijzer")
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.press(copy.chat_id, copy.message_id, stage.contacts[0], data="112:1")
    await stage.settle()
    chat = stage.chats["goor-noord"]
    for _ in range(5):
        stage.emu.post(chat, stage.residents["goor-noord"], "ik bel 112")
    await stage.settle()
    replies = [c for c in contents(stage, chat) if c.startswith("☎️ 112 is al gebeld")]
    assert len(replies) == 1
    stage.emu.post(chat, stage.co_admins["goor-noord"], "ik bel nu 112!")
    stage.emu.post(chat, stage.residents["goor-noord"], "112 gebeld")  # a repeat, as a report
    await stage.settle()
    replies = [c for c in contents(stage, chat) if c.startswith("☎️ 112 is al gebeld")]
    assert len(replies) == 2
    async with stage.runtime.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT COALESCE(SUM(n), 0) FROM counters WHERE metric = 'duplicates_prevented'"
        )
        priorities = await conn.execute_fetchall(
            "SELECT priority, payload FROM outbox WHERE chat_id = ? AND action = 'say'", (chat,)
        )
    assert rows[0][0] == 2
    assert all(p > 0 for p, payload in priorities if "al gebeld" in payload)


async def test_a_repeated_112_command_is_answered_once_and_counted_once(stage: Stage) -> None:
    """After 112 is reported, one person sending /112 on a copy four times gets one "112 is
    al gebeld" reply and counts once as a duplicate prevented."""
    await tag(stage, "goor-oost", "Man met breekijzer")
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:1")
    await stage.settle()
    other = alerts(stage, stage.chats["goor-noord"], 1)[0]
    for _ in range(4):
        stage.emu.post(
            other.chat_id, stage.residents["goor-noord"], "/112", reply_to=other.message_id
        )
    await stage.settle()
    replies = [c for c in contents(stage, other.chat_id) if c.startswith("☎️ 112 is al gebeld")]
    assert len(replies) == 1
    async with stage.runtime.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT COALESCE(SUM(n), 0) FROM counters WHERE metric = 'duplicates_prevented'"
        )
    assert rows[0][0] == 1


async def test_an_unknown_group_is_answered_once_an_hour(stage: Stage, clock: Clock) -> None:
    """Commands in a group outside the network get one line an hour, however many come."""
    someone = stage.emu.add_user("Onbekende", "Toevoeger")
    group = stage.emu.add_bot("Straatfeest", by=someone)
    for _ in range(5):
        stage.emu.post(group.id, someone, "/help")
    await stage.settle()
    assert sum("hoort niet bij" in c for c in contents(stage, group.id)) == 1
    clock.advance(3601)
    stage.emu.post(group.id, someone, "/meldingen")
    await stage.settle()
    assert sum("hoort niet bij" in c for c in contents(stage, group.id)) == 2


async def test_an_unknown_group_that_never_asks_to_be_linked_is_left(
    stage: Stage, clock: Clock
) -> None:
    """A group outside the network that does not ask to be linked (/koppel) within
    unknown_group_hours (24) is left by the bot; one that asked stays. The regiegroep heard
    of each group once, and of the leaving not at all."""
    someone = stage.emu.add_user("Onbekende", "Toevoeger")
    quiet = stage.emu.add_bot("Straatfeest Kerkstraat", by=someone)
    asking = stage.emu.add_bot("Buurtpreventie Nieuwbouw", by=someone)
    stage.emu.post(asking.id, someone, "/koppel stokkum")  # stokkum has no chat yet
    await stage.settle()
    clock.advance(23 * 3600)
    await stage.runtime.cases.groups.leave_unknown()
    assert not stage.emu.calls_to("leaveChat")
    clock.advance(2 * 3600)
    await stage.runtime.cases.groups.leave_unknown()
    await stage.settle()
    left = [str(c.params.get("chat_id")) for c in stage.emu.calls_to("leaveChat") if c.ok]
    assert left == [str(quiet.id)]
    assert stage.emu.world.bot.id not in stage.emu.chat(quiet.id).members
    assert stage.emu.world.bot.id in stage.emu.chat(asking.id).members
    told = [c for c in contents(stage, stage.regie) if "niet bij het netwerk hoort" in c]
    assert sum(str(quiet.id) in c for c in told) == 1


async def test_a_group_the_bot_missed_being_added_to_is_reported_once(stage: Stage) -> None:
    """The bot finds itself in a group outside the network without having heard it was added
    (it was down at the time): the first message seen there tells the regiegroep, once."""
    someone = stage.emu.add_user("Stille", "Toevoeger")
    group = stage.emu.add_group("Gemiste groep", -1002000000777, members=[someone])
    stage.emu.post(group.id, someone, "Hallo allemaal")
    stage.emu.post(group.id, someone, "Nog een bericht")
    await stage.settle()
    told = [c for c in contents(stage, stage.regie) if "Gemiste groep" in c]
    assert len(told) == 1 and str(group.id) in told[0]


async def test_thirty_edits_become_at_most_ten_edit_calls_per_copy(limited: Stage) -> None:
    """The author edits a relayed message 30 times in a row: every copy ends on the last
    text, with at most 10 edit calls per copy (pending edits of one copy are merged), and a
    new alert into those chats is not held up behind them."""
    stage = limited
    original = await tag(stage, "goor-oost", "Verdachte auto, versie 0")
    chat = stage.chats["goor-oost"]
    for version in range(1, 31):
        stage.emu.edit(chat, original.message_id, f"Verdachte auto, versie {version}")
    await stage.settle(within=120)
    for slug in ["regie", "goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"]:
        held = stage.chats[slug]
        copy = alerts(stage, held, 1)[0]
        assert "versie 30" in (copy.content or ""), slug
        edits = [
            c
            for c in stage.emu.calls_to("editMessageText")
            if str(c.params.get("chat_id")) == str(held)
            and str(c.params.get("message_id")) == str(copy.message_id)
        ]
        assert len(edits) <= 10, (slug, len(edits))
    assert stage.emu.counters.get("429", 0) == 0


def answers_in(stage: Stage, chat_id: int, after: int) -> list[str]:
    """The bot's lines in a chat after message `after`."""
    return [m.content or "" for m in stage.emu.bot_messages(chat_id) if m.message_id > after]


async def test_co_admins_and_contact_persons_are_not_throttled_per_person(stage: Stage) -> None:
    """A co-admin moderating (six commands in a minute) and a contact person asking the
    regiegroep's questions get every answer; a resident asking as often gets three a minute
    (the per-person limit); the chat's and the bot's budgets hold for everyone."""
    hood = stage.chats["goor-oost"]
    post = stage.emu.post(hood, stage.residents["goor-oost"], "Kom maar op dan")
    co_admin = stage.co_admins["goor-oost"]
    moderating = ("/waarschuw schelden", "/waarschuw", "/vergeef", "/waarschuwingen")
    for command in (*moderating, "/vergeef", "/waarschuwingen"):
        stage.emu.post(hood, co_admin, command, reply_to=post.message_id)
    regie_start = stage.emu.post(stage.regie, stage.contacts[1], "/help")
    for command in ("/meldingen", "/regels", "/help", "/meldingen"):
        stage.emu.post(stage.regie, stage.contacts[1], command)
    elsewhere = stage.chats["goor-centrum"]
    asked = stage.emu.post(elsewhere, stage.residents["goor-centrum"], "/help")
    for command in ("/regels", "/meldingen", "/help", "/regels"):
        stage.emu.post(elsewhere, stage.residents["goor-centrum"], command)
    await stage.settle()
    assert len(answers_in(stage, hood, post.message_id)) == 6
    assert len(answers_in(stage, stage.regie, regie_start.message_id - 1)) == 5
    assert len(answers_in(stage, elsewhere, asked.message_id - 1)) == 3
