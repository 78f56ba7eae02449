"""Sign-up, end to end: a resident talks to the real bot privately through the emulator,
the regiegroep decides on the card, and the resident joins by join request."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from relaybot.sandbox.emulator.errors import EmulatorError
from relaybot.sandbox.emulator.records import Message, User
from relaybot.sandbox.stage import SHARE_CONTACT, Stage, open_stage

from .conftest import EXAMPLE, Clock, contents, rows, stored
from .test_floods import handled_all, until

NAME = ("Jorien", "Brinkhuis")
PHONE = "+31612340001"
STREET = "Kievitstraat 12"  # goor-noord only
DEEP_LINK = "https://t.me/relaybot_test_bot?start=aanmelden"


def use_case(stage: Stage):
    """The sign-up use case of the running bot (what the housekeeping job calls)."""
    return stage.runtime.cases.signup


def cards(stage: Stage) -> list[Message]:
    return [
        m
        for m in stage.emu.bot_messages(stage.regie)
        if any(head in (m.content or "") for head in ("Aanmelding #", "Sign-up #"))
    ]


def card(stage: Stage) -> Message:
    found = cards(stage)
    assert len(found) == 1, [m.content for m in found]
    return found[0]


def labels(message: Message) -> list[str]:
    return [label for row in message.buttons for label, _data in row]


async def press(stage: Stage, label: str, by: User | None = None) -> None:
    """A contact person presses a button on the sign-up card."""
    shown = card(stage)
    stage.emu.press(stage.regie, shown.message_id, by or stage.contacts[1], button_text=label)
    await stage.settle()


async def sign_up(
    stage: Stage, user: User, street: str = STREET, *, start: str = "/aanmelden"
) -> None:
    """The whole conversation, answered as a resident would: buttons and the contact."""
    await stage.tell(user, start, "Ja", user.full_name, street, SHARE_CONTACT, "Akkoord")


def invite_link(stage: Stage, user: User) -> str:
    calls = stage.emu.calls_to("createChatInviteLink")
    assert calls, "no invite link was made"
    link = calls[-1].result_or_error["invite_link"]
    assert link in stage.private(user)[-1]
    return link


async def signup_rows(stage: Stage) -> list[tuple]:
    return await rows(stage, "SELECT id, status, step FROM signups ORDER BY id")


async def counters(stage: Stage) -> dict[tuple[str, str], int]:
    found = await rows(
        stage,
        "SELECT place, metric, SUM(n) FROM counters WHERE metric IN ('signups', 'admitted')"
        " GROUP BY place, metric",
    )
    return {(place, metric): n for place, metric, n in found}


@pytest.fixture
def jorien(stage: Stage) -> User:
    return stage.newcomer(*NAME, PHONE)


# --- the whole path --------------------------------------------------------------------------


async def test_admitted_and_joined_through_a_join_request(stage: Stage, jorien: User) -> None:
    """Ja, name, street, the share-contact button, Akkoord: a card in the regie chat; a
    contact person admits; the resident gets a 72-hour join-request link privately, asks
    to join, and the bot approves. Personal data never reaches a neighbourhood chat."""
    await stage.tell(jorien, "/aanmelden")
    assert "18 jaar of ouder" in stage.private(jorien)[-1]
    assert stage.emu.keyboard(jorien) == ["Ja", "Nee"]
    await stage.tell(jorien, "Ja", "Jorien Brinkhuis", STREET)
    assert stage.emu.keyboard(jorien) == ["📱 Deel mijn nummer"]
    await stage.tell(jorien, SHARE_CONTACT)
    assert "SAAR" in stage.private(jorien)[-1]
    assert stage.emu.keyboard(jorien) == ["Akkoord"]
    await stage.tell(jorien, "Akkoord")
    assert "ligt nu bij de regiegroep" in stage.private(jorien)[-1]
    assert stage.emu.keyboard(jorien) == []

    shown = card(stage)
    text = shown.content or ""
    for fact in ("Jorien Brinkhuis", STREET, PHONE, "Goor Noord (Goor)"):
        assert fact in text
    assert labels(shown) == ["Toelaten", "Andere buurt", "Afwijzen"]

    decider = stage.contacts[2]
    await press(stage, "Toelaten", decider)
    shown = card(stage)
    assert f"Toegelaten tot Goor Noord (Goor) door {decider.full_name}" in (shown.content or "")
    assert shown.buttons == []

    made = stage.emu.calls_to("createChatInviteLink")[-1]
    assert made.params["chat_id"] in (stage.chats["goor-noord"], str(stage.chats["goor-noord"]))
    assert str(made.params["creates_join_request"]).lower() == "true"
    assert made.params["name"] == "Aanmelding #1"
    assert abs(int(made.params["expire_date"]) - (time.time() + 72 * 3600)) < 120
    link = invite_link(stage, jorien)

    group = stage.chats["goor-noord"]
    stage.emu.request_join(group, jorien, link)
    await stage.settle()
    assert stage.emu.chat(group).is_member(jorien.id)
    assert "Welkom in Goor Noord" in stage.private(jorien)[-1]
    assert "lid geworden" in (card(stage).content or "")
    assert await counters(stage) == {("goor-noord", "signups"): 1, ("goor-noord", "admitted"): 1}

    for slug, chat_id in stage.chats.items():
        if slug in ("regie", "coordinators"):
            continue
        for said in contents(stage, chat_id):
            assert "Brinkhuis" not in said and PHONE not in said and "Kievitstraat" not in said


async def test_someone_else_with_the_same_link_is_declined(stage: Stage, jorien: User) -> None:
    """Whoever else uses the admitted resident's link is declined, and the regie chat is
    told once however many try; the resident still gets in."""
    await sign_up(stage, jorien)
    await press(stage, "Toelaten")
    link = invite_link(stage, jorien)
    group = stage.chats["goor-noord"]
    for n in range(2):
        stranger = stage.emu.add_user("Onbekende", f"Meelezer {n}")
        stage.emu.request_join(group, stranger, link)
        await stage.settle()
        assert not stage.emu.chat(group).is_member(stranger.id)
        assert stranger.id not in stage.emu.chat(group).join_requests
    warnings = [c for c in contents(stage, stage.regie) if "iemand anders" in c]
    assert len(warnings) == 1 and "Aanmelding #1" in warnings[0]
    assert "Onbekende" not in warnings[0]
    stage.emu.request_join(group, jorien, link)
    await stage.settle()
    assert stage.emu.chat(group).is_member(jorien.id)


async def test_an_approval_that_meets_a_passing_fault_is_retried(
    stage: Stage, jorien: User
) -> None:
    """Telegram answers the approval of the resident's join request with a passing fault
    (502): the approval is retried like any message, and the resident gets in."""
    await sign_up(stage, jorien)
    await press(stage, "Toelaten")
    link = invite_link(stage, jorien)
    group = stage.chats["goor-noord"]
    stage.emu.set_fault("approveChatJoinRequest", error_code=502, times=2)
    stage.emu.request_join(group, jorien, link)
    await stage.settle()
    assert len(stage.emu.calls_to("approveChatJoinRequest")) == 3
    assert stage.emu.chat(group).is_member(jorien.id)
    assert "Welkom in Goor Noord" in stage.private(jorien)[-1]


async def test_a_resident_who_blocks_the_bot_is_no_broken_group(stage: Stage, jorien: User) -> None:
    """A resident who blocks the bot halfway through signing up: the regiegroep is not told
    that the bot "can no longer post" in a chat named by a user id, and the sign-up simply
    ends (nothing of it kept; after unblocking, /aanmelden starts afresh)."""
    await stage.tell(jorien, "/aanmelden", "Ja")
    stage.emu.post(jorien.id, jorien, "Jorien Brinkhuis")
    stage.emu.block_bot(jorien)  # before the bot's next question reaches them: 403
    await stage.settle()
    refused = [
        call
        for call in stage.emu.calls_to("sendMessage")
        if str(call.params["chat_id"]) == str(jorien.id) and not call.ok
    ]
    assert refused and refused[-1].result_or_error["error_code"] == 403
    assert not any("kan niet meer posten" in said for said in contents(stage, stage.regie))
    assert await signup_rows(stage) == []
    assert b"Jorien Brinkhuis" not in await stored(stage)
    stage.emu.block_bot(jorien, blocked=False)
    await stage.tell(jorien, "/aanmelden")
    assert "18 jaar of ouder" in stage.private(jorien)[-1]


async def test_other_neighbourhood_chosen_by_kern_then_buurt(stage: Stage, jorien: User) -> None:
    """ "Andere buurt" on a card shows the kernen (the network is large), then that kern's
    neighbourhoods; picking one admits there. (A street no list holds goes to the waiting
    list instead: tests/e2e/test_waiting.py.)"""
    await sign_up(stage, jorien)
    assert labels(card(stage)) == ["Toelaten", "Andere buurt", "Afwijzen"]

    await press(stage, "Andere buurt")
    kernen = labels(card(stage))
    assert "Markelo" in kernen and "Goor" in kernen and "↩️ Terug" in kernen
    await press(stage, "↩️ Terug")
    assert labels(card(stage)) == ["Toelaten", "Andere buurt", "Afwijzen"]
    await press(stage, "Andere buurt")
    await press(stage, "Markelo")
    assert labels(card(stage)) == ["Markelo Centrum", "Markelo Noord", "Markelo Zuid", "↩️ Terug"]
    await press(stage, "Markelo Noord")
    assert "Toegelaten tot Markelo Noord (Markelo)" in (card(stage).content or "")
    made = stage.emu.calls_to("createChatInviteLink")[-1]
    assert int(made.params["chat_id"]) == stage.chats["markelo-noord"]
    link = invite_link(stage, jorien)
    stage.emu.request_join(stage.chats["markelo-noord"], jorien, link)
    await stage.settle()
    assert stage.emu.chat(stage.chats["markelo-noord"]).is_member(jorien.id)


async def test_matched_card_can_still_go_to_another_neighbourhood(
    stage: Stage, jorien: User
) -> None:
    """A matched sign-up can be placed elsewhere: "Andere buurt", a kern, a neighbourhood."""
    await sign_up(stage, jorien)
    await press(stage, "Andere buurt")
    await press(stage, "Goor")
    await press(stage, "Goor Oost")
    assert "Toegelaten tot Goor Oost (Goor)" in (card(stage).content or "")
    assert (await counters(stage))[("goor-oost", "admitted")] == 1


async def test_ambiguous_street_offers_the_neighbourhoods(stage: Stage, jorien: User) -> None:
    """Kerkstraat lies in three neighbourhoods: buttons with their names; the pick goes on
    the card."""
    await stage.tell(jorien, "/signup", "Ja", "Jorien Brinkhuis", "kerkstraat 5")
    assert "meer dan één buurt" in stage.private(jorien)[-1]
    assert stage.emu.keyboard(jorien) == ["Goor Centrum", "Markelo Centrum", "Delden Centrum"]
    await stage.tell(jorien, "Ergens")
    assert "Kies uw buurt" in stage.private(jorien)[-1]
    await stage.tell(jorien, "Delden Centrum", SHARE_CONTACT, "Akkoord")
    assert "Buurt: Delden Centrum (Delden)" in (card(stage).content or "")


async def test_nee_ends_politely_and_keeps_nothing(stage: Stage, jorien: User) -> None:
    """ "Nee" ends the conversation with a polite line; nothing is stored; no card."""
    await stage.tell(jorien, "/aanmelden", "Nee")
    assert "Dank u voor uw belangstelling" in stage.private(jorien)[-1]
    assert stage.emu.keyboard(jorien) == []
    assert await signup_rows(stage) == []
    assert cards(stage) == []


async def test_someone_elses_contact_is_refused(stage: Stage, jorien: User) -> None:
    """A contact card of another person is refused; a typed number is then accepted."""
    await stage.tell(jorien, "/aanmelden", "Ja", "Jorien Brinkhuis", STREET)
    buurman = stage.residents["goor-noord"]
    stage.emu.share_contact(jorien, "31687650000", buurman.first_name, buurman.id)
    await stage.settle()
    assert "niet uw eigen nummer" in stage.private(jorien)[-1]
    stage.emu.share_contact(jorien, "31687650001", "Iemand")  # not on Telegram: no user_id
    await stage.settle()
    assert "niet uw eigen nummer" in stage.private(jorien)[-1]
    await stage.tell(jorien, "06-1234 0001", "Akkoord")
    assert PHONE in (card(stage).content or "")
    assert "31687650000" not in (card(stage).content or "")


async def test_every_wrong_answer_says_what_is_expected(stage: Stage, jorien: User) -> None:
    """Each step answers a wrong answer with one line saying what it expects, and the
    conversation goes on from there."""
    steps = [
        ("misschien", "Antwoord met Ja of Nee"),
        ("Ja", "Wat is uw naam"),
        ("J", "2 tot 64 tekens"),
        ("Jorien Brinkhuis", "straat en huisnummer"),
        ("bij de kerk", "eerst de straat en dan het huisnummer"),
        (STREET, "mobiele nummer"),
        ("bel me maar", "geen geldig telefoonnummer"),
        ("+31 6 1234 0001", "huisregels"),
        ("prima", "Druk op Akkoord"),
        ("Akkoord", "ligt nu bij de regiegroep"),
    ]
    await stage.tell(jorien, "/aanmelden")
    for answer, expected in steps:
        before = len(stage.private(jorien))
        await stage.tell(jorien, answer)
        said = stage.private(jorien)[before:]
        assert said and expected in said[0], (answer, said)
    assert PHONE in (card(stage).content or "")


async def test_a_photo_or_sticker_is_answered_with_the_question(stage: Stage, jorien: User) -> None:
    """Something that is no text (a photo) during the sign-up loses nothing: the step says
    what it expects and the conversation goes on."""
    await stage.tell(jorien, "/aanmelden", "Ja")
    stage.emu.post_photo(jorien.id, jorien, caption="mijn huis")
    await stage.settle()
    assert "Schrijf uw naam" in stage.private(jorien)[-1]
    await stage.tell(jorien, "Jorien Brinkhuis", STREET, SHARE_CONTACT, "Akkoord")
    assert "Jorien Brinkhuis" in (card(stage).content or "")


async def test_restart_in_the_middle_continues(stage: Stage, jorien: User) -> None:
    """The conversation lives in the database: after a restart it goes on at the same step."""
    await stage.tell(jorien, "/aanmelden", "Ja", "Jorien Brinkhuis", STREET)
    await stage.restart()
    await stage.tell(jorien, "0612340001", "Akkoord")
    assert "ligt nu bij de regiegroep" in stage.private(jorien)[-1]
    assert "Jorien Brinkhuis" in (card(stage).content or "")


async def test_start_again_repeats_the_question(stage: Stage, jorien: User) -> None:
    """/start during a conversation asks the current question again, with its buttons."""
    await stage.tell(jorien, "/aanmelden", "Ja", "Jorien Brinkhuis", "kerkstraat 5")
    await stage.tell(jorien, "/start")
    assert "al bezig" in stage.private(jorien)[-2]
    assert "meer dan één buurt" in stage.private(jorien)[-1]
    assert stage.emu.keyboard(jorien) == ["Goor Centrum", "Markelo Centrum", "Delden Centrum"]


async def test_expiry_after_thirty_minutes_survives_a_restart(
    stage: Stage, jorien: User, clock: Clock
) -> None:
    """30 minutes without an answer end the conversation, also across a restart: the resident
    hears it expired (from the periodic check right after the start, or as the answer to their
    next message, whichever comes first), and nothing of it is kept."""
    await stage.tell(jorien, "/aanmelden", "Ja", "Jorien Brinkhuis")
    clock.advance(29 * 60)
    await stage.tell(jorien, STREET)  # an answer in time resets the 30 minutes
    clock.advance(29 * 60)
    await stage.restart()
    await stage.tell(jorien, "06 1234 0001")
    assert "huisregels" in stage.private(jorien)[-1]
    clock.advance(31 * 60)
    before = len(stage.private(jorien))
    await stage.restart()
    await stage.tell(jorien, "Akkoord")
    told = stage.private(jorien)[before:]
    assert sum("30 minuten geen antwoord" in text for text in told) == 1, told
    assert await signup_rows(stage) == []
    assert cards(stage) == []


async def test_expired_conversations_are_ended_by_the_clock(
    stage: Stage, jorien: User, clock: Clock
) -> None:
    """The periodic check ends a conversation left for 30 minutes, tells the resident and
    erases what they had given; a new /aanmelden starts afresh."""
    await stage.tell(jorien, "/aanmelden", "Ja", "Jorien Brinkhuis", STREET)
    assert await use_case(stage).expire() == 0
    clock.advance(30 * 60 + 1)
    assert await use_case(stage).expire() == 1
    await stage.settle()
    assert "30 minuten geen antwoord" in stage.private(jorien)[-1]
    assert await signup_rows(stage) == []
    assert b"Jorien Brinkhuis" not in await stored(stage)
    await stage.tell(jorien, "/aanmelden")
    assert "18 jaar of ouder" in stage.private(jorien)[-1]


async def test_stop_ends_at_any_step(stage: Stage, jorien: User) -> None:
    """/stop ends the conversation and erases it; /stop with nothing running says so."""
    await stage.tell(jorien, "/aanmelden", "Ja", "Jorien Brinkhuis", "/stop")
    assert "gestopt" in stage.private(jorien)[-1]
    assert stage.emu.keyboard(jorien) == []
    assert await signup_rows(stage) == []
    assert b"Jorien Brinkhuis" not in await stored(stage)
    await stage.tell(jorien, "/stop")
    assert "Er loopt geen aanmelding" in stage.private(jorien)[-1]
    await stage.tell(jorien, "hallo")
    assert "/aanmelden" in stage.private(jorien)[-1]


async def test_second_signup_while_pending_is_refused(stage: Stage, jorien: User) -> None:
    """While the card waits, a new /aanmelden is refused with the sign-up's state; after
    admission it names the neighbourhood."""
    await sign_up(stage, jorien)
    await stage.tell(jorien, "/aanmelden")
    assert "al een aanmelding: #1, in behandeling bij de regiegroep" in stage.private(jorien)[-1]
    assert len(await signup_rows(stage)) == 1
    await stage.tell(jorien, "nog iets")
    assert "#1 is in behandeling" in stage.private(jorien)[-1]
    await press(stage, "Toelaten")
    await stage.tell(jorien, "/start")
    assert "toegelaten tot Goor Noord (Goor)" in stage.private(jorien)[-1]
    assert len(cards(stage)) == 1


async def test_an_unused_invite_lets_a_new_signup_start_after_72_hours(
    stage: Stage, jorien: User, clock: Clock
) -> None:
    """An admission whose link expired unused stops blocking: after 72 hours a new
    /aanmelden starts afresh (before, it is refused with the state)."""
    await sign_up(stage, jorien)
    await press(stage, "Toelaten")
    clock.advance(71 * 3600)
    await stage.tell(jorien, "/aanmelden")
    assert "al een aanmelding" in stage.private(jorien)[-1]
    clock.advance(2 * 3600)
    await stage.tell(jorien, "/aanmelden")
    assert "18 jaar of ouder" in stage.private(jorien)[-1]
    assert [row[1] for row in await signup_rows(stage)] == ["lapsed", "asking"]


async def test_no_invite_link_keeps_the_signup_waiting(stage: Stage, jorien: User) -> None:
    """Telegram refuses the invite link (the bot lacks the right): the presser hears why,
    the card keeps its buttons, nothing reaches the resident; a later press admits."""
    await sign_up(stage, jorien)
    stage.emu.set_fault(
        "createChatInviteLink", error_code=400, description="Bad Request: not enough rights"
    )
    shown = card(stage)
    query = stage.emu.press(stage.regie, shown.message_id, stage.contacts[1], "Toelaten")
    await stage.settle()
    answer = stage.emu.callback_answers[query]
    assert "kon geen uitnodiging maken" in (answer["text"] or "") and answer["show_alert"]
    assert labels(card(stage)) == ["Toelaten", "Andere buurt", "Afwijzen"]
    assert "toegelaten" not in stage.private(jorien)[-1]
    assert ("goor-noord", "admitted") not in await counters(stage)
    await press(stage, "Toelaten")
    assert "Toegelaten tot Goor Noord" in (card(stage).content or "")
    assert (await counters(stage))[("goor-noord", "admitted")] == 1


async def test_neighbourhood_without_a_group_cannot_be_admitted_to(
    stage: Stage, jorien: User
) -> None:
    """A street of a neighbourhood that has no group yet: "Toelaten" answers that it has
    none and changes nothing; another neighbourhood can still be chosen."""
    await sign_up(stage, jorien, "Stokkumerweg 8")
    assert "Buurt: Stokkum (Stokkum)" in (card(stage).content or "")
    query = stage.emu.press(stage.regie, card(stage).message_id, stage.contacts[0], "Toelaten")
    await stage.settle()
    assert "heeft nog geen groep" in (stage.emu.callback_answers[query]["text"] or "")
    assert (await signup_rows(stage))[0][1] == "pending"
    await press(stage, "Andere buurt")
    await press(stage, "Markelo")
    await press(stage, "Markelo Zuid")
    assert "Toegelaten tot Markelo Zuid" in (card(stage).content or "")


async def test_a_press_after_vergeet_finds_nothing(stage: Stage, jorien: User) -> None:
    """The resident's /vergeet is handled before a contact person presses "Toelaten": the
    data is gone, nobody is admitted, the presser hears the sign-up no longer exists."""
    await sign_up(stage, jorien)
    shown = card(stage)
    # the card's edit is held up (a 429), so the presser still sees its buttons
    stage.emu.set_fault("editMessageText", stage.regie, 429, parameters={"retry_after": 2})
    stage.emu.post(jorien.id, jorien, "/vergeet")
    await handled_all(stage)
    query = stage.emu.press(stage.regie, shown.message_id, stage.contacts[1], "Toelaten")
    await stage.settle()
    assert "bestaat niet meer" in (stage.emu.callback_answers[query]["text"] or "")
    assert stage.emu.calls_to("createChatInviteLink") == []
    assert "gegevens laten wissen" in (card(stage).content or "")
    assert PHONE.encode() not in await stored(stage)


@pytest.mark.parametrize("admitted_first", [True, False], ids=["admitted_first", "together"])
async def test_vergeet_arriving_with_a_press_still_admits_nobody(
    stage: Stage, jorien: User, admitted_first: bool
) -> None:
    """/vergeet and a contact person's "Toelaten" arrive together. The press is checked with
    Telegram beside the update path (is the presser in the regiegroep?), so the /vergeet may
    be handled before the press decides or after: the resident is admitted and then
    forgotten (the link made for them is revoked), or the presser hears the sign-up is
    gone. Either way the data is gone, the card says so, and nobody gets in. Pinned both
    ways: the press decided just before the /vergeet arrives, and the two together."""
    await sign_up(stage, jorien)
    query = stage.emu.press(stage.regie, card(stage).message_id, stage.contacts[1], "Toelaten")
    if admitted_first:
        await until(lambda: bool(stage.emu.calls_to("createChatInviteLink")))
    stage.emu.post(jorien.id, jorien, "/vergeet")
    await stage.settle()
    answer = stage.emu.callback_answers[query]["text"]
    made = [c.result_or_error["invite_link"] for c in stage.emu.calls_to("createChatInviteLink")]
    if admitted_first:
        assert answer == "Toegelaten." and len(made) == 1
    else:
        assert answer in ("Toegelaten.", "Deze aanmelding bestaat niet meer."), answer
    revoked = [c.params["invite_link"] for c in stage.emu.calls_to("revokeChatInviteLink")]
    assert revoked == made
    assert "Gewist" in stage.private(jorien)[-1]
    assert "gegevens laten wissen" in (card(stage).content or "")
    assert PHONE.encode() not in await stored(stage)
    group = stage.chats["goor-noord"]
    for link in made:
        with pytest.raises(EmulatorError):
            stage.emu.request_join(group, jorien, link)
    assert not stage.emu.chat(group).is_member(jorien.id)


async def test_decline_tells_the_resident_politely_with_the_contact_line(
    stage: Stage, jorien: User
) -> None:
    """ "Afwijzen": the card shows who declined; the resident hears it politely, with the
    municipality's contact line from the network file; nothing is admitted."""
    await sign_up(stage, jorien)
    decider = stage.contacts[0]
    await press(stage, "Afwijzen", decider)
    assert f"Afgewezen door {decider.full_name}" in (card(stage).content or "")
    said = stage.private(jorien)
    assert "helaas niet plaatsen" in said[-2]
    assert stage.network.contact and stage.network.contact in said[-1]
    assert stage.emu.calls_to("createChatInviteLink") == []


async def test_two_contact_persons_at_once_one_decision(stage: Stage, jorien: User) -> None:
    """Two contact persons press at the same moment ("Afwijzen" and "Toelaten"): the first
    decides, the second changes nothing and hears by whom it was decided."""
    await sign_up(stage, jorien)
    first, late = stage.contacts[1], stage.contacts[2]
    shown = card(stage)
    stage.emu.press(stage.regie, shown.message_id, first, button_text="Afwijzen")
    query = stage.emu.press(stage.regie, shown.message_id, late, button_text="Toelaten")
    await stage.settle()
    assert f"Afgewezen door {first.full_name}" in (card(stage).content or "")
    answer = stage.emu.callback_answers[query]
    assert first.full_name in (answer["text"] or "") and answer["show_alert"]
    assert stage.emu.calls_to("createChatInviteLink") == []
    assert not any("toegelaten" in said for said in stage.private(jorien))


# --- privacy ---------------------------------------------------------------------------------


async def test_forget_leaves_neither_phone_nor_name_in_the_database_file(
    stage: Stage, jorien: User
) -> None:
    """/vergeet erases the sign-up, its outbox copies and the bytes in the database file
    (and its log); the card says the data was erased; the answer says what went; the
    counts for the reports stay."""
    await sign_up(stage, jorien)
    await stage.runtime.db.checkpoint()
    assert PHONE.encode() in await stored(stage)
    await stage.tell(jorien, "/vergeet")
    said = stage.private(jorien)[-1]
    assert "Gewist" in said and "aanmelding #1" in said
    on_disk = await stored(stage)
    for secret in (PHONE, PHONE[3:], "Jorien Brinkhuis", "Brinkhuis", "Kievitstraat"):
        assert secret.encode() not in on_disk, secret
    shown = card(stage)
    assert "gegevens laten wissen" in (shown.content or "")
    assert "Brinkhuis" not in (shown.content or "") and shown.buttons == []
    assert await counters(stage) == {("goor-noord", "signups"): 1}
    await stage.tell(jorien, "/forget")
    assert "niets van u bewaard" in stage.private(jorien)[-1]


async def test_decided_signups_are_erased_after_ninety_days(
    stage: Stage, jorien: User, clock: Clock
) -> None:
    """Housekeeping erases a sign-up 90 days after the decision, not before; counts stay."""
    await sign_up(stage, jorien)
    await press(stage, "Toelaten")
    clock.advance(89 * 24 * 3600)
    assert await use_case(stage).housekeeping() == 0
    clock.advance(2 * 24 * 3600)
    assert await use_case(stage).housekeeping() == 1
    assert await signup_rows(stage) == []
    assert PHONE.encode() not in await stored(stage)
    assert await counters(stage) == {("goor-noord", "signups"): 1, ("goor-noord", "admitted"): 1}


async def test_personal_data_never_in_logs(stage: Stage, jorien: User) -> None:
    """Nothing a resident tells the bot (name, street, phone) appears in any log event."""
    with capture_logs() as logs:
        await sign_up(stage, jorien)
        await press(stage, "Toelaten")
        stage.emu.request_join(stage.chats["goor-noord"], jorien, invite_link(stage, jorien))
        await stage.settle()
        await stage.tell(jorien, "/vergeet")
    assert any(event.get("event") == "signup_submitted" for event in logs)
    written = repr(logs)
    for secret in ("Jorien", "Brinkhuis", "Kievitstraat", PHONE, PHONE[1:], "612340001"):
        assert secret not in written, secret


# --- where the sign-up starts ----------------------------------------------------------------


async def test_deep_link_start_opens_the_signup(stage: Stage, jorien: User) -> None:
    """The deep link sends "/start aanmelden": the sign-up starts."""
    await sign_up(stage, jorien, start="/start aanmelden")
    assert "Jorien Brinkhuis" in (card(stage).content or "")


async def test_help_still_works_and_groups_get_help_on_start(stage: Stage, jorien: User) -> None:
    """/help in a private chat lists the sign-up commands; /start in a group still shows
    the group's help; /aanmelden in a group points to the private chat."""
    await stage.tell(jorien, "/help")
    assert "/aanmelden" in stage.private(jorien)[-1] and "/vergeet" in stage.private(jorien)[-1]
    chat = stage.chats["goor-oost"]
    stage.emu.post(chat, stage.residents["goor-oost"], "/start")
    await stage.settle()
    assert "/regie" in contents(stage, chat)[-1]
    stage.emu.post(chat, stage.residents["goor-oost"], "/aanmelden")
    await stage.settle()
    assert DEEP_LINK in contents(stage, chat)[-1]
    assert await signup_rows(stage) == []


async def test_welcome_line_carries_the_deep_link(stage: Stage) -> None:
    """A group linked with /koppel is welcomed with the deep link that opens the sign-up."""
    chat = stage.chats["stokkum"]
    stage.emu.post(chat, stage.co_admins["stokkum"], "/koppel stokkum")
    await stage.settle()
    request = [
        m for m in stage.emu.bot_messages(stage.regie) if "Koppelverzoek" in (m.content or "")
    ]
    stage.emu.press(stage.regie, request[0].message_id, stage.contacts[0], data="koppel:ok:1")
    await stage.settle()
    assert DEEP_LINK in contents(stage, chat)[-1]


async def test_signup_command_in_an_unknown_group_gets_the_unknown_line(stage: Stage) -> None:
    """/aanmelden in a group outside the network gets the one line every command gets
    there, and starts nothing."""
    someone = stage.emu.add_user("Wessel", "Vrijdag")
    group = stage.emu.add_bot("Vriendenclub", someone)
    stage.emu.post(group.id, someone, "/aanmelden")
    await stage.settle()
    assert "hoort niet bij het netwerk" in contents(stage, group.id)[-1]
    assert await signup_rows(stage) == []


async def test_the_whole_path_in_english(tmp_path: Path, clock: Clock) -> None:
    """With RELAYBOT_LANGUAGE=en the answers are "Yes"/"No", "I agree", and the card's
    buttons "Admit"/"Other neighbourhood"/"Decline"; /forget erases."""
    english = await open_stage(EXAMPLE, tmp_path / "en.sqlite3", language="en", clock=clock)
    try:
        maria = english.newcomer("Maria", "Stapelbroek", "+32470123456")
        await english.tell(maria, "/signup")
        assert english.emu.keyboard(maria) == ["Yes", "No"]
        await english.tell(maria, "Yes", "Maria Stapelbroek", "Markt 3")
        assert english.emu.keyboard(maria) == ["📱 Share my number"]
        await english.tell(maria, SHARE_CONTACT)
        assert english.emu.keyboard(maria) == ["I agree"]
        await english.tell(maria, "I agree")
        assert "now with the steering group" in english.private(maria)[-1]
        shown = card(english)
        assert "Sign-up #1" in (shown.content or "") and "+32470123456" in (shown.content or "")
        assert labels(shown) == ["Admit", "Other neighbourhood", "Decline"]
        await press(english, "Admit")
        assert "Admitted to Goor Centrum (Goor)" in (card(english).content or "")
        await english.tell(maria, "/forget")
        assert "Erased: sign-up #1" in english.private(maria)[-1]
    finally:
        await english.close()
