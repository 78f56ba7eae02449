"""The moderation use case over the shared context, with a fake clock, real SQLite and a fake
port standing in for Telegram's getChatMember / banChatMember."""

from __future__ import annotations

import asyncio

import pytest

from relaybot.domain.intents import EditMessage, Say
from relaybot.domain.model import Actor
from relaybot.domain.moderation import Sender
from relaybot.domain.texts import Texts
from relaybot.service.context import Chat, Command, Target
from relaybot.service.moderation import Finding, Moderation, Seen
from relaybot.service.ports import Standing, TelegramRefused
from relaybot.storage.outbox import Priority
from tests.unit.test_folding import EVASIONS, INNOCENT
from tests.unit.world import ANNA, GOOR_OOST, REGIE, World

MEMBER = 77


class FakeMembers:
    """Telegram as removal sees it (the port's standing and kick): standings by user, and
    the kicks asked for."""

    def __init__(self) -> None:
        self.standing_of: dict[int, Standing] = {}
        self.kicks: list[tuple[int, int]] = []
        self.refuse: str | None = None
        self.basic = False  # a basic group: the ban cannot be lifted

    def set(self, **standing: Standing) -> FakeMembers:
        self.standing_of = {int(k.removeprefix("u")): v for k, v in standing.items()}
        return self

    async def standing(self, chat_id: int, user_id: int) -> Standing:
        return self.standing_of.get(user_id, Standing("left"))

    async def kick(self, chat_id: int, user_id: int) -> bool:
        if self.refuse:
            raise TelegramRefused(self.refuse)
        self.kicks.append((chat_id, user_id))
        return not self.basic


@pytest.fixture
def members() -> FakeMembers:
    return FakeMembers()


@pytest.fixture
def moderation(world: World, members: FakeMembers) -> Moderation:
    return Moderation(world.ctx, members)  # type: ignore[arg-type]


def seen(text: str = "", member: int = MEMBER, message_id: int = 500, **extra: object) -> Seen:
    return Seen(GOOR_OOST, message_id, Sender(GOOR_OOST, member), text, **extra)  # type: ignore[arg-type]


async def card_at_limit(world: World, moderation: Moderation) -> int:
    """Three blocked words from MEMBER: the removal card is queued and delivered."""
    for n in range(3):
        message = seen("klootzak", message_id=600 + n)
        finding = moderation.screen(message)
        assert finding is Finding.BLOCKED
        await moderation.act(message, finding, False, "Yvonne Testbewoner", f"m{n}")
    await world.deliver()
    return 1


async def test_an_ordinary_message_writes_nothing(world: World, moderation: Moderation) -> None:
    """An ordinary message is no finding: no outbox row, no warning, no reminder."""
    assert moderation.screen(seen("Er staat een verdachte bus bij de school")) is None
    assert moderation.screen(Seen(REGIE, 1, Sender(REGIE, MEMBER), "klootzak")) is None
    assert await world.rows() == []


async def test_moderation_answers_are_low_priority(world: World, moderation: Moderation) -> None:
    """Warnings and reminders go out below alerts, and cards below everything."""
    await card_at_limit(world, moderation)
    rows = await world.rows()
    assert rows and all(
        r.priority
        == (Priority.CARD if isinstance(r.intent, Say) and r.intent.card else Priority.LOW)
        for r in rows
    )


async def test_a_kick_telegram_refuses_is_shown_on_the_card(
    world: World, moderation: Moderation, members: FakeMembers
) -> None:
    """The bot lacking the right to remove: the card says so, the answer too, nobody is out."""
    card = await card_at_limit(world, moderation)
    members.set(u1=Standing("administrator", True), u77=Standing("member"))
    members.refuse = "removal_failed_rights"
    answer = await moderation.decide_removal(card, True, ANNA, (GOOR_OOST, 9), "cb1")
    assert answer.alert and "geen leden verwijderen" in answer.text
    edits = await world.rows(EditMessage)
    assert {r.chat_id for r in edits} == {GOOR_OOST, -1002}
    assert all("Niet verwijderd" in r.intent.html for r in edits)


async def test_removal_in_a_basic_group_says_the_ban_stays(
    world: World, moderation: Moderation, members: FakeMembers
) -> None:
    """In a basic group Telegram cannot lift a ban: the member is out, and the card and the
    answer say that only a co-admin can add them again (no buttons left to press)."""
    card = await card_at_limit(world, moderation)
    members.set(u1=Standing("creator"), u77=Standing("member"))
    members.basic = True
    answer = await moderation.decide_removal(card, True, ANNA, (GOOR_OOST, 9), "cb1")
    assert members.kicks == [(GOOR_OOST, MEMBER)] and not answer.alert
    assert "alleen een beheerder het lid weer toevoegen" in answer.text
    edits = await world.rows(EditMessage)
    assert {r.chat_id for r in edits} == {GOOR_OOST, -1002}
    for row in edits:
        assert "basisgroep" in row.intent.html and not row.intent.buttons


async def test_a_member_who_became_co_admin_is_not_removed(
    world: World, moderation: Moderation, members: FakeMembers
) -> None:
    """The member is an administrator by the time of the press: no kick."""
    card = await card_at_limit(world, moderation)
    members.set(u1=Standing("creator"), u77=Standing("administrator", False))
    answer = await moderation.decide_removal(card, True, ANNA, (GOOR_OOST, 9), "cb1")
    assert members.kicks == [] and "beheerder" in answer.text


async def test_the_press_is_judged_on_the_rights_of_that_moment(
    world: World, moderation: Moderation, members: FakeMembers
) -> None:
    """A co-admin whose right to remove was taken away decides nothing; with it, the kick
    names the member's chat and id."""
    card = await card_at_limit(world, moderation)
    members.set(u1=Standing("administrator", False), u77=Standing("member"))
    denied = await moderation.decide_removal(card, True, ANNA, (GOOR_OOST, 9), "cb1")
    assert members.kicks == [] and "Alleen een beheerder" in denied.text
    members.set(u1=Standing("administrator", True), u77=Standing("member"))
    done = await moderation.decide_removal(card, True, ANNA, (GOOR_OOST, 9), "cb2")
    assert members.kicks == [(GOOR_OOST, MEMBER)] and done.text == "Verwijderd."


async def test_the_same_press_twice_has_no_second_effect(
    world: World, moderation: Moderation, members: FakeMembers
) -> None:
    """A redelivered callback (same id) is answered with nothing and kicks no one again."""
    card = await card_at_limit(world, moderation)
    members.set(u1=Standing("creator"), u77=Standing("member"))
    await moderation.decide_removal(card, True, ANNA, (GOOR_OOST, 9), "cb1")
    again = await moderation.decide_removal(card, True, ANNA, (GOOR_OOST, 9), "cb1")
    assert again.text == "" and members.kicks == [(GOOR_OOST, MEMBER)]


async def test_warn_in_private_is_refused(world: World, moderation: Moderation) -> None:
    """/waarschuw in a private chat: one line, no warning."""
    target = Target(Sender(5, MEMBER), 3, "Yvonne", False)
    command = Command(
        Chat(5, "private"), Actor(5, "Yvonne"), 4, "k1", name="waarschuw", target=target
    )
    await moderation.warn(command)
    (row,) = await world.rows()
    assert "buurtgroep" in row.intent.html


@pytest.mark.parametrize(
    ("command", "english", "dutch"),
    [("waarschuw", "/warn", "/waarschuw"), ("vergeef", "/unwarn", "/vergeef")],
)
async def test_a_moderation_usage_line_in_english_names_the_english_command(
    world: World, moderation: Moderation, command: str, english: str, dutch: str
) -> None:
    """A co-admin's /waarschuw (/warn) or /vergeef (/unwarn) that answers nobody gets a line
    naming the command in the bot's language: in English the English command."""
    world.ctx.texts = Texts("en")
    typed = Command(Chat(GOOR_OOST), ANNA, 4, "k1", name=command)
    await getattr(moderation, {"waarschuw": "warn", "vergeef": "unwarn"}[command])(typed)
    (row,) = await world.rows()
    assert f"{english} " in row.intent.html and dutch not in row.intent.html


async def test_chatter_reminder_survives_a_restart(world: World, moderation: Moderation) -> None:
    """The once-a-day bookkeeping is in the database: a new Moderation (a restart) does not
    remind the same member again that day."""
    first = seen("Gefeliciteerd buurman!")
    await moderation.act(first, Finding.CHATTER, False, "", "c1")
    fresh = Moderation(world.ctx, FakeMembers())  # type: ignore[arg-type]
    second = seen("Fijne feestdagen!", message_id=501)
    assert fresh.screen(second) is Finding.CHATTER  # the memo is empty after a restart
    await fresh.act(second, Finding.CHATTER, False, "", "c2")
    assert len(await world.rows(Say)) == 1


# --- screening that holds (issue 25, item 5): the evasion list, in a message and an edit ------


async def warned(world: World, moderation: Moderation, text: str, *, edited: bool) -> bool:
    """Whether MEMBER's message (or an edit of it) with this text earns a warning."""
    message = seen(text)
    finding = moderation.screen(message, edited=edited)
    if finding is not None:
        await moderation.act(message, finding, False, "Yvonne Testbewoner", "m1")
    return any("Waarschuwing" in r.intent.html for r in await world.rows(Say))


@pytest.mark.parametrize("edited", [False, True], ids=["message", "edit"])
@pytest.mark.parametrize("text", EVASIONS)
async def test_each_disguised_word_earns_a_warning(
    world: World, moderation: Moderation, text: str, edited: bool
) -> None:
    """Every evasion in the test list (invisible characters, Cyrillic and Greek look-alikes,
    spaced, dotted and stretched letters, digits and symbols for letters) earns a warning, in
    a new message and in an edit alike."""
    assert await warned(world, moderation, text, edited=edited), text


@pytest.mark.parametrize("edited", [False, True], ids=["message", "edit"])
@pytest.mark.parametrize("text", INNOCENT)
async def test_innocent_dutch_earns_no_warning(
    world: World, moderation: Moderation, text: str, edited: bool
) -> None:
    """Innocent Dutch ('kleren', 'negeren', 'kanker' alone, ordinary sentences) earns no
    warning, in a new message or an edit."""
    assert not await warned(world, moderation, text, edited=edited), text


async def test_an_edit_is_no_new_message_for_the_flood_or_the_photo_rule(
    world: World, moderation: Moderation
) -> None:
    """Editing one message thirty times is no flood, and an edited photo is no new photo:
    neither finds anything; a blocked word in the edit is found all the same."""
    for n in range(30):
        assert moderation.screen(seen(f"Versie {n}"), edited=True) is None
    assert moderation.screen(seen("Deze man liep rond", photo=True), edited=True) is None
    assert moderation.screen(seen("Wat een klootzak"), edited=True) is Finding.BLOCKED


async def test_a_message_earns_its_warning_once_however_often_it_is_edited(
    world: World, moderation: Moderation
) -> None:
    """A curse, then edits of the same message that keep it: one warning for the message."""
    for text, edited in (("klootzak", False), ("klootzak!", True), ("KLOOTZAK", True)):
        message = seen(text)
        finding = moderation.screen(message, edited=edited)
        assert finding is Finding.BLOCKED
        await moderation.act(message, finding, False, "Yvonne Testbewoner", "msg:1:500")
    assert sum("Waarschuwing" in r.intent.html for r in await world.rows(Say)) == 1


async def test_findings_judged_beside_the_updates_keep_their_order_and_limit(
    moderation: Moderation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings handed to be judged beside the updates are judged one at a time in the order
    they came; beyond the limit a finding is dropped (and logged), never queued without end."""
    monkeypatch.setattr("relaybot.service.moderation.WAITING_LIMIT", 5)
    judged: list[int] = []

    def judge(n: int):  # type: ignore[no-untyped-def]
        async def run() -> None:
            await asyncio.sleep(0.001 * (5 - n))  # the first takes longest
            judged.append(n)

        return run

    for n in range(8):
        moderation.later(judge(n))
    assert moderation.busy
    await moderation.drain()
    assert judged == [0, 1, 2, 3, 4] and not moderation.busy
