"""Sign-up under attack: a leaked link, a flood of strangers and of sign-ups, an impostor
with a neighbour's number, a forgotten sign-up's link, and forged presses on the card."""

from __future__ import annotations

import io
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import structlog

from relaybot.logs import configure
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.errors import EmulatorError
from relaybot.sandbox.emulator.records import Message, User
from relaybot.sandbox.stage import SHARE_CONTACT, Stage, open_stage
from tests.e2e.conftest import EXAMPLE, Clock, alerts, rows, stored
from tests.e2e.test_floods import sent_to, until
from tests.e2e.test_signup import STREET, cards, invite_link, sign_up

ROUND_TRIP = 0.05  # seconds each Bot API call takes, as from a server far away


@pytest.fixture
async def far(tmp_path: Path, clock: Clock) -> AsyncIterator[Stage]:
    """The example network with Telegram's limits on and a 50 ms round trip."""
    emulator = Emulator(rate_limits=True, round_trip=ROUND_TRIP)
    stage = await open_stage(EXAMPLE, tmp_path / "db.sqlite3", clock=clock, emulator=emulator)
    try:
        yield stage
    finally:
        await stage.close()


async def regie_alert_delay(stage: Stage, text: str = "Verdachte man bij de school") -> float:
    """A co-admin tags a resident's message with /regie now: seconds until the alert reached
    the regiegroep."""
    start = time.time()
    source = stage.chats["goor-oost"]
    original = stage.emu.post(source, stage.residents["goor-oost"], text)
    stage.emu.post(source, stage.co_admins["goor-oost"], "/regie", reply_to=original.message_id)
    await until(lambda: bool(alerts(stage, stage.regie, 1)), within=120)
    arrived = next(c.at for c in sent_to(stage, stage.regie) if text in c.params["text"])
    return arrived - start


async def press(stage: Stage, label: str, card_of: str = "") -> None:
    """A contact person presses a button on the (last, or the given) sign-up card."""
    shown: Message = next(m for m in reversed(cards(stage)) if card_of in (m.content or ""))
    stage.emu.press(stage.regie, shown.message_id, stage.contacts[1], button_text=label)
    await stage.settle()


async def admitted(stage: Stage, user: User) -> str:
    """The user signs up, a contact person admits: the invite link the user got."""
    await sign_up(stage, user)
    await press(stage, "Toelaten")
    return invite_link(stage, user)


# --- a leaked link --------------------------------------------------------------------------


async def test_three_hundred_strangers_on_a_leaked_link_never_delay_an_alert(far: Stage) -> None:
    """An admitted resident's link leaks: 300 strangers ask to join through it; a /regie
    right after reaches the regiegroep within 5 s, and every stranger is declined."""
    stage = far
    jorien = stage.newcomer("Jorien", "Brinkhuis", "+31612340001")
    link = await admitted(stage, jorien)
    group = stage.chats["goor-noord"]
    strangers = [stage.emu.add_user("Onbekende", f"Meelezer {n}") for n in range(300)]
    for stranger in strangers:
        stage.emu.request_join(group, stranger, link)
    assert await regie_alert_delay(stage) <= 5.0
    await stage.settle(within=120)
    assert not stage.emu.chat(group).join_requests
    assert not any(stage.emu.chat(group).is_member(s.id) for s in strangers)


# --- many sign-ups, an impostor -------------------------------------------------------------


@pytest.fixture
async def two_an_hour(tmp_path: Path, clock: Clock) -> AsyncIterator[Stage]:
    """The example network with `signups_per_hour = 2`."""
    network = tmp_path / "network.toml"
    network.write_text(EXAMPLE.read_text().replace("signups_per_hour = 20", "signups_per_hour = 2"))
    stage = await open_stage(network, tmp_path / "db.sqlite3", clock=clock)
    try:
        yield stage
    finally:
        await stage.close()


def resident(stage: Stage, n: int) -> User:
    return stage.newcomer("Bewoner", f"Nummer{n}", f"+3161234100{n}")


async def test_past_the_hourly_limit_residents_are_asked_to_try_later(
    two_an_hour: Stage, clock: Clock
) -> None:
    """With two cards an hour: a third resident is told politely to try again in an hour and
    nothing of theirs is kept; one who finishes meanwhile keeps their answers and sends the
    card with "Akkoord" once the hour has passed. /vergeet gives no card back."""
    stage = two_an_hour
    late = resident(stage, 9)
    await stage.tell(late, "/aanmelden", "Ja", late.full_name, STREET, SHARE_CONTACT)
    for n in range(2):
        await sign_up(stage, resident(stage, n))
    assert len(cards(stage)) == 2
    third = resident(stage, 3)
    await stage.tell(third, "/aanmelden")
    assert "over een uur opnieuw" in stage.private(third)[-1]
    assert "18 jaar" not in " ".join(stage.private(third))
    await stage.tell(late, "Akkoord")
    assert "nog niet verstuurd" in stage.private(late)[-1]
    assert len(cards(stage)) == 2
    await stage.tell(resident(stage, 0), "/vergeet")
    await stage.tell(third, "/aanmelden")
    assert "over een uur opnieuw" in stage.private(third)[-1]
    for minutes, answer in ((25, "nog niet verstuurd"), (25, "nog niet"), (11, "ligt nu bij")):
        clock.advance(minutes * 60)  # each "Akkoord" keeps the answers another 30 minutes
        await stage.tell(late, "Akkoord")
        assert answer in stage.private(late)[-1], minutes
    assert sum(late.full_name in (m.content or "") for m in cards(stage)) == 1


async def test_the_card_says_whether_the_number_was_shared_or_typed(stage: Stage) -> None:
    """A number shared as the resident's own Telegram contact shows "✅ nummer via
    Telegram" on the card; a typed one "getypt, niet gecontroleerd"."""
    shared, typed = resident(stage, 1), resident(stage, 2)
    await sign_up(stage, shared)
    await stage.tell(typed, "/aanmelden", "Ja", typed.full_name, "Kievitstraat 20", "0612341002")
    await stage.tell(typed, "Akkoord")
    first, second = cards(stage)
    assert "✅ nummer via Telegram" in (first.content or "")
    assert "niet gecontroleerd" not in (first.content or "")
    assert "getypt, niet gecontroleerd" in (second.content or "")
    assert "nummer via Telegram" not in (second.content or "")


async def test_an_impostor_with_a_neighbours_phone_and_address_is_flagged(stage: Stage) -> None:
    """Someone types a neighbour's name, address and number: their card warns that sign-up
    #1 has the same phone number and the same address (spelt differently); a sign-up with
    other details warns of nothing."""
    genuine = resident(stage, 1)
    await sign_up(stage, genuine)
    impostor = stage.newcomer("Iemand", "Anders", "+31699999999")
    await stage.tell(impostor, "/aanmelden", "Ja", genuine.full_name, "kievitstr. 12")
    await stage.tell(impostor, "06 12341001", "Akkoord")
    honest = resident(stage, 2)
    await stage.tell(honest, "/aanmelden", "Ja", honest.full_name, "Kievitstraat 14")
    await stage.tell(honest, SHARE_CONTACT, "Akkoord")
    first, second, third = (m.content or "" for m in cards(stage))
    assert "Zelfde telefoonnummer als aanmelding #1" in second
    assert "Zelfde adres als aanmelding #1" in second
    assert "Zelfde" not in first and "Zelfde" not in third
    await press(stage, "Afwijzen", card_of=second)
    assert "Zelfde telefoonnummer als aanmelding #1" in (cards(stage)[1].content or "")


async def test_a_thousand_private_messages_get_a_few_answers(stage: Stage) -> None:
    """Someone sends the bot 1,000 messages privately: a few are answered and one line says
    to slow down; the outbox holds no more rows for them than that."""
    flooder = stage.newcomer("Druk", "Typer", "+31612349999")
    for n in range(1000):
        stage.emu.post(flooder.id, flooder, f"bericht {n}")
    await stage.settle(within=120)
    said = stage.private(flooder)
    assert 1 <= len(said) <= 15
    assert sum("veel berichten" in line for line in said) == 1
    async with stage.runtime.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = ?", (flooder.id,)
        )
    assert rows[0][0] <= 15


# --- links die with the sign-up -------------------------------------------------------------


async def test_a_link_after_vergeet_admits_nobody(stage: Stage) -> None:
    """An admitted resident sends /vergeet before using the link: the link is revoked, and
    neither the resident nor anyone else gets in through it."""
    jorien = resident(stage, 1)
    link = await admitted(stage, jorien)
    await stage.tell(jorien, "/vergeet")
    revoked = [c for c in stage.emu.calls_to("revokeChatInviteLink") if c.ok]
    assert [c.params["invite_link"] for c in revoked] == [link]
    group = stage.chats["goor-noord"]
    for anyone in (jorien, stage.emu.add_user("Onbekende", "Meelezer")):
        with pytest.raises(EmulatorError):
            stage.emu.request_join(group, anyone, link)
        assert not stage.emu.chat(group).is_member(anyone.id)


async def test_a_request_through_a_forgotten_signups_link_is_declined(stage: Stage) -> None:
    """When Telegram could not revoke the link of a forgotten sign-up, a request through it
    is still declined: the bot made the link and it belongs to no sign-up any more."""
    jorien = resident(stage, 1)
    link = await admitted(stage, jorien)
    stage.emu.set_fault("revokeChatInviteLink", error_code=400, description="Bad Request: x")
    await stage.tell(jorien, "/vergeet")
    group = stage.chats["goor-noord"]
    stage.emu.request_join(group, jorien, link)
    await stage.settle()
    assert not stage.emu.chat(group).is_member(jorien.id)
    assert jorien.id not in stage.emu.chat(group).join_requests
    assert [c.ok for c in stage.emu.calls_to("declineChatJoinRequest")] == [True]


async def test_a_lapsed_admissions_link_is_revoked(stage: Stage, clock: Clock) -> None:
    """An admission whose 72 hours pass unused lapses by the clock, and its link is revoked
    (it admits nobody, even where Telegram's own expiry has not struck yet)."""
    jorien = resident(stage, 1)
    link = await admitted(stage, jorien)
    clock.advance(72 * 3600 + 60)
    await stage.runtime.cases.signup.expire()
    await stage.settle()
    assert [c.params["invite_link"] for c in stage.emu.calls_to("revokeChatInviteLink")] == [link]
    with pytest.raises(EmulatorError):
        stage.emu.request_join(stage.chats["goor-noord"], jorien, link)


async def test_an_erased_signups_link_is_revoked(stage: Stage, clock: Clock) -> None:
    """A sign-up erased 90 days after its decision revokes its link too."""
    jorien = resident(stage, 1)
    link = await admitted(stage, jorien)
    stage.emu.request_join(stage.chats["goor-noord"], jorien, link)
    await stage.settle()
    clock.advance(91 * 24 * 3600)
    assert await stage.runtime.cases.signup.housekeeping() == 1
    await stage.settle()
    assert [c.params["invite_link"] for c in stage.emu.calls_to("revokeChatInviteLink")] == [link]


# --- presses on the regie cards, and the logs -----------------------------------------------


def forged_press(stage: Stage, message: Message, user: User, data: str) -> str:
    """A callback query with data of the presser's own making, on a message of the bot's
    (a modified client sends any data it likes)."""
    world = stage.emu.world
    query_id = f"forged-{len(world.callback_queries)}"
    world.callback_queries[query_id] = (message.chat_id, message.message_id, user.id)
    world.callback_pressed[query_id] = world.clock()
    world.updates.put(
        "callback_query",
        {
            "id": query_id,
            "from": user.to_dict(),
            "message": world.message_json(message),
            "chat_instance": "1",
            "data": data,
        },
    )
    return query_id


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure("json", "DEBUG", stream=stream)
    yield stream
    structlog.reset_defaults()


def events(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]


async def test_forged_ids_of_any_size_get_one_line(stage: Stage, log_stream: io.StringIO) -> None:
    """Presses naming a 40-digit sign-up or link request (and numbers that do not exist)
    are answered with one line each, and no traceback is logged."""
    await sign_up(stage, resident(stage, 1))
    shown = cards(stage)[0]
    big = "9" * 40
    forged = [
        f"aanmelding:ok:{big}",
        f"aanmelding:no:{big}",
        f"aanmelding:to:{big}:goor-noord",
        "aanmelding:no:77",
        f"koppel:ok:{big}",
        "koppel:no:77",
    ]
    queries = [forged_press(stage, shown, stage.contacts[1], data) for data in forged]
    await stage.settle()
    for query, data in zip(queries, forged, strict=True):
        answer = stage.emu.callback_answers[query]
        assert answer["text"] and "\n" not in answer["text"], data
    logged = events(log_stream)
    assert not [e for e in logged if "exception" in e or e.get("level") == "error"]
    assert "Toelaten" in str(cards(stage)[0].buttons)


async def test_only_members_of_the_regiegroep_decide(stage: Stage) -> None:
    """Someone outside the regiegroep (a public regiegroep shows its cards to anyone) presses
    "Toelaten" on a sign-up card and "Koppelen" on a link card: both are refused with one
    line and nothing is decided; a member then decides as usual."""
    await sign_up(stage, resident(stage, 1))
    outsider = stage.emu.add_user("Buiten", "Staander")
    shown = cards(stage)[0]
    query = stage.emu.press(stage.regie, shown.message_id, outsider, button_text="Toelaten")
    await stage.settle()
    assert "Alleen leden van de regiegroep" in stage.emu.callback_answers[query]["text"]
    assert stage.emu.calls_to("createChatInviteLink") == []
    assert "Toegelaten" not in (cards(stage)[0].content or "")
    stokkum = stage.chats["stokkum"]  # a group not linked yet
    stage.emu.post(stokkum, stage.co_admins["stokkum"], "/koppel stokkum")
    await stage.settle()
    link_card = stage.emu.bot_messages(stage.regie)[-1]
    assert "Koppelverzoek" in (link_card.content or "")
    query = stage.emu.press(stage.regie, link_card.message_id, outsider, data="koppel:ok:1")
    await stage.settle()
    assert "Alleen leden van de regiegroep" in stage.emu.callback_answers[query]["text"]
    assert stage.ctx.directory.chat_for("stokkum") is None
    await press(stage, "Toelaten")
    assert "Toegelaten" in (cards(stage)[0].content or "")


async def test_after_vergeet_the_logs_tie_no_signup_number_to_the_user(
    stage: Stage, log_stream: io.StringIO
) -> None:
    """Sign-up, admission, joining and /vergeet: no log event names the sign-up's number in
    the resident's private chat (or in an update that names that chat), so once the sign-up
    is erased nothing in the logs says whose number #1 was."""
    jorien = resident(stage, 1)
    link = await admitted(stage, jorien)
    stage.emu.request_join(stage.chats["goor-noord"], jorien, link)
    await stage.settle()
    await stage.tell(jorien, "/vergeet")
    logged = events(log_stream)
    assert any(e.get("signup") == 1 for e in logged)  # the regie side still names it
    private_updates = {e.get("update_id") for e in logged if e.get("chat") == jorien.id}
    private_updates.discard(None)
    for event in logged:
        if event.get("signup") == 1:
            assert event.get("chat") != jorien.id, event
            assert event.get("update_id") not in private_updates, event
        assert str(jorien.id) not in json.dumps({k: v for k, v in event.items() if k != "chat"})


async def test_vergeet_erases_the_persons_set_aside_updates(
    stage: Stage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resident's private answer (their address) whose handling failed is set aside; their
    /vergeet erases it from the database file, and someone else's set-aside update stays."""
    jorien, other = resident(stage, 1), resident(stage, 2)
    use_case = stage.runtime.cases.signup
    answer = use_case.answer

    async def failing(user_id: int, event: object, key: str) -> None:
        if "Kievitstraat" in str(event):
            raise RuntimeError("a bug in handling this answer")
        await answer(user_id, event, key)

    monkeypatch.setattr(use_case, "answer", failing)
    for person in (jorien, other):
        await stage.tell(person, "/aanmelden", "Ja", person.full_name, "Kievitstraat 12")
    monkeypatch.setattr(use_case, "answer", answer)
    await stage.runtime.db.checkpoint()
    assert await set_aside(stage) == 2
    await stage.tell(jorien, "/vergeet")
    assert await set_aside(stage) == 1
    on_disk = await stored(stage)
    assert jorien.full_name.encode() not in on_disk
    assert b"Kievitstraat" in on_disk  # the other person's, still set aside


async def set_aside(stage: Stage) -> int:
    return (await rows(stage, "SELECT COUNT(*) FROM inbox_set_aside"))[0][0]


# --- /vergeet with a reader open ------------------------------------------------------------


@pytest.mark.sqlite_only  # a reader holding the file's snapshot
async def test_vergeet_with_a_reader_open_says_so_and_erases_when_it_can(stage: Stage) -> None:
    """A report (or a backup) holds a read snapshot while the resident sends /vergeet: the
    answer does not claim "Gewist" but says honestly that the file is still being read; once
    the reader is done the bot erases the bytes from the file and then confirms."""
    jorien = resident(stage, 1)
    await sign_up(stage, jorien)
    await stage.runtime.db.checkpoint()
    reader = sqlite3.connect(f"file:{stage.runtime.db.path}?mode=ro", uri=True)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM signups").fetchall()  # a report's snapshot
    try:
        await stage.tell(jorien, "/vergeet")
        said = stage.private(jorien)[-1]
        assert "Gewist" not in said and "nog gelezen" in said and "aanmelding #1" in said
        await stage.runtime.cases.signup.expire()  # the minute's retry: still being read
        await stage.settle()
        assert stage.private(jorien)[-1] == said
    finally:
        reader.rollback()
        reader.close()
    await stage.runtime.cases.signup.expire()
    await stage.settle()
    assert "Gewist" in stage.private(jorien)[-1]
    assert "databasebestand" in stage.private(jorien)[-1]
    on_disk = await stored(stage)
    for secret in ("+31612341001", jorien.full_name, "Kievitstraat"):
        assert secret.encode() not in on_disk, secret
    await stage.runtime.cases.signup.expire()
    await stage.settle()
    assert sum("Gewist" in line for line in stage.private(jorien)) == 1
