"""A flood never delays an alert: answers are limited per chat and per person, repeated
intents are answered once, and unknown groups cost the regiegroep at most one line each."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.stage import SHARE_CONTACT, Stage, answer_privately, open_stage
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


# --- floods on the new paths, with a round trip and Telegram's limits (issue 25) -------------

ROUND_TRIP = 0.05  # seconds each call to Telegram takes to be answered
SIGNUPS = 40
STARTS = 600


@pytest.fixture
async def far(tmp_path: Path, clock: Clock) -> AsyncIterator[Stage]:
    """The example network with Telegram's limits enforced and a 50 ms round trip."""
    stage = await open_stage(
        EXAMPLE,
        tmp_path / "db.sqlite3",
        clock=clock,
        emulator=Emulator(rate_limits=True, round_trip=ROUND_TRIP),
    )
    try:
        yield stage
    finally:
        await stage.close()


async def handled_all(stage: Stage, within: float = 60.0) -> None:
    """Wait (real time) until the bot has handled every update queued so far (what it
    answers may still wait in its outbox)."""
    queue = stage.emu.world.updates
    last = queue.next_id - 1
    await until(lambda: stage.runtime.app.last_update_id >= last, within=within)


def signup_cards(stage: Stage) -> list[str]:
    return [c for c in contents(stage, stage.regie) if c.startswith("📝") or "Aanmelding #" in c]


async def alert_delay(stage: Stage, text: str) -> float:
    """Tag a post in goor-oost; seconds from the /regie to its alert in the regiegroep
    (emulator times)."""
    source = stage.chats["goor-oost"]
    original = stage.emu.post(source, stage.residents["goor-oost"], text)
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=original.message_id)
    start = stage.emu.world.clock()
    await until(lambda: any(text in c for c in contents(stage, stage.regie)), within=150)
    arrived = next(c.at for c in sent_to(stage, stage.regie) if text in c.params["text"])
    return arrived - start


async def queued_cards(stage: Stage) -> tuple[int, int]:
    """(cards queued for the regiegroep in all, of those still waiting)."""
    async with stage.runtime.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT status FROM outbox WHERE chat_id = ? AND payload LIKE '%signup_card%'",
            (stage.regie,),
        )
    return len(rows), sum(1 for (status,) in rows if status == "pending")


async def test_forty_signup_cards_never_delay_an_alert_to_the_regiegroep(
    far: Stage, clock: Clock
) -> None:
    """40 residents complete a sign-up at once: 40 cards wait for the regiegroep. An alert
    tagged right after reaches the regiegroep within 5 s of the /regie; the cards go at most
    cards_per_minute (6) a minute, and the rest wait, none dropped: a minute later (the bot's
    clock) the next ones go. Telegram never answered 429."""
    stage = far
    people = [stage.newcomer("Bewoner", f"Nummer {i}", f"+3161230{i:04d}") for i in range(SIGNUPS)]
    steps = ("/aanmelden", "Ja", None, "Kievitstraat 12", SHARE_CONTACT, "Akkoord")
    for step in steps:  # each step by all 40 at once, as they answer the bot
        if step != steps[0]:
            await stage.settle(within=120)
        for person in people:
            answer_privately(stage.emu, person, step or person.full_name)
    await handled_all(stage)
    queued, _waiting = await queued_cards(stage)
    assert queued >= 20  # however many the network admits in an hour
    assert await alert_delay(stage, "Inbraak in de schuur achter de kerk") <= 5.0
    shown = len(signup_cards(stage))
    queued, waiting = await queued_cards(stage)
    per_minute = stage.network.policy.cards_per_minute
    assert shown <= per_minute
    assert waiting == queued - shown  # the rest wait
    for minute in (1, 2):  # each minute of the bot's clock lets the next few go
        await until(lambda m=minute: len(signup_cards(stage)) >= m * per_minute)
        await asyncio.sleep(1.0)
        assert len(signup_cards(stage)) == minute * per_minute
        clock.advance(61)
    assert stage.emu.counters.get("429", 0) == 0


async def test_six_hundred_starts_never_hide_an_alert_from_the_worker(far: Stage) -> None:
    """600 accounts each send /start privately: 600 answers wait for 600 chats. An alert
    tagged right after reaches the regiegroep within 5 s of the /regie, and every account
    still gets its answer. Telegram never answered 429."""
    stage = far
    people = [stage.emu.add_user("Nieuwsgierig", f"Account {i}") for i in range(STARTS)]
    for person in people:
        stage.emu.post(person.id, person, "/start")
    await handled_all(stage, within=120)
    assert await alert_delay(stage, "Verdachte bestelbus zonder kenteken") <= 5.0
    await stage.settle(within=120)
    assert all(stage.private(person) for person in people)
    assert stage.emu.counters.get("429", 0) == 0
