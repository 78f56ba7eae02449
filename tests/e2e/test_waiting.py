"""The waiting list: residents of a street without a group wait together; the regiegroep
hears of the street once (no names), and once a group is there for it, one card admits them
all by join request, as an ordinary sign-up."""

from __future__ import annotations

from pathlib import Path

from relaybot.network_file import load_network
from relaybot.sandbox.emulator.records import User
from relaybot.sandbox.stage import SHARE_CONTACT, Stage

from .conftest import EXAMPLE, contents

STREET = "Kerkakker"  # in no neighbourhood's street list
NEW_GROUP = -1002000000777
KERKAKKER = f"""
[[neighbourhood]]
slug = "kerkakker"
name = "Kerkakker"
kern = "Goor"
{{chat}}streets = ["{STREET}"]
"""


async def give_the_street_a_neighbourhood(
    stage: Stage, folder: Path, *, chat_id: int | None
) -> User:
    """The operator puts the Kerkakker in the network file (with the group's chat id, or
    without: to be linked with /koppel) and restarts the bot; the group exists, with its
    co-admin and the bot. Returns the co-admin."""
    network_file = folder / "network.toml"
    chat = f"chat_id = {chat_id}\n" if chat_id is not None else ""
    network_file.write_text(
        EXAMPLE.read_text(encoding="utf-8") + KERKAKKER.format(chat=chat), encoding="utf-8"
    )
    co_admin = stage.newcomer("Gerda", "Kerkhof", "+31612349999")
    stage.emu.add_group(
        "Buurtpreventie Kerkakker", NEW_GROUP, members=[co_admin], admins=[co_admin]
    )
    stage.network = load_network(network_file)
    await stage.restart()
    return co_admin


async def wait_for_a_group(stage: Stage, n: int) -> User:
    """A resident of the Kerkakker signs up; no list holds the street: they go on without."""
    resident = stage.newcomer(f"Bewoner{n}", "Akkerman", f"+3161234{n:04d}")
    await stage.tell(resident, "/aanmelden", "Ja", resident.full_name, f"{STREET} {n}")
    assert "niet in de straatlijsten" in stage.private(resident)[-1]
    assert stage.emu.keyboard(resident) == ["Verder zonder buurt"]
    await stage.tell(resident, "Verder zonder buurt", SHARE_CONTACT, "Akkoord")
    return resident


def waiting_cards(stage: Stage) -> list[str]:
    return [line for line in contents(stage, stage.regie) if "🏘️" in line]


async def tick(stage: Stage) -> None:
    await stage.runtime.cases.waiting.tick()
    await stage.settle()


async def test_five_of_one_street_make_one_card_and_a_group_for_it_invites_each(
    stage: Stage, tmp_path: Path
) -> None:
    """Five residents of the Kerkakker sign up: each is told they wait and can leave with
    /vergeet; no sign-up card reaches the regiegroep, but at the fifth one card "5 bewoners
    van de Kerkakker willen een buurtgroep" without names (once). One leaves with /vergeet.
    The network file then gives the Kerkakker a group: one card offers to admit the four;
    approving sends each an invite link to that group, a join request through it is
    approved; a second press changes nothing."""
    residents = [await wait_for_a_group(stage, n) for n in range(1, 5)]
    for resident in residents:
        assert "U staat nu op de wachtlijst" in stage.private(resident)[-1]
        assert "/vergeet" in stage.private(resident)[-1]
    await tick(stage)
    assert waiting_cards(stage) == []  # four wait: not yet
    residents.append(await wait_for_a_group(stage, 5))
    await tick(stage)
    await tick(stage)
    said = contents(stage, stage.regie)
    assert (
        waiting_cards(stage) == [waiting_cards(stage)[0]]
        and "5 bewoners van de Kerkakker willen een buurtgroep" in waiting_cards(stage)[0]
    )
    assert not any("Aanmelding #" in line for line in said)
    for resident in residents:
        assert not any(resident.first_name in line for line in said)

    leaver = residents.pop(0)
    await stage.tell(leaver, "/vergeet")
    assert "Gewist: aanmelding #1" in stage.private(leaver)[-1]

    await give_the_street_a_neighbourhood(stage, tmp_path, chat_id=NEW_GROUP)
    await tick(stage)
    cards = waiting_cards(stage)
    assert len(cards) == 2 and "4 wachtende bewoners van de Kerkakker" in cards[1]
    assert "Kerkakker (Goor)" in cards[1]
    card = [m for m in stage.emu.bot_messages(stage.regie) if "🏘️" in (m.content or "")][-1]
    assert [label for row in card.buttons for label, _data in row] == [
        "✅ Allemaal toelaten",
        "✋ Nog niet",
    ]
    approver = stage.contacts[1]
    stage.emu.press(stage.regie, card.message_id, approver, button_text="✅ Allemaal toelaten")
    # a second contact person's press that crossed the first changes nothing
    again = stage.emu.press(
        stage.regie, card.message_id, stage.contacts[2], button_text="✋ Nog niet"
    )
    await stage.settle()
    made = stage.emu.calls_to("createChatInviteLink")
    assert len(made) == 4 and {int(c.params["chat_id"]) for c in made} == {NEW_GROUP}
    links = {c.result_or_error["invite_link"] for c in made}
    for resident in residents:
        assert any(link in stage.private(resident)[-1] for link in links)
    assert not any(link in line for link in links for line in stage.private(leaver))
    decided = next(
        m for m in stage.emu.bot_messages(stage.regie) if m.message_id == card.message_id
    )
    assert f"4 uitgenodigd voor Kerkakker (Goor) door {approver.full_name}" in (
        decided.content or ""
    )
    assert decided.buttons == []

    first = residents[0]
    link = next(link for link in links if link in stage.private(first)[-1])
    stage.emu.request_join(NEW_GROUP, first, link)
    await stage.settle()
    assert stage.emu.chat(NEW_GROUP).is_member(first.id)

    assert approver.full_name in (stage.emu.callback_answers[again]["text"] or "")
    assert len(stage.emu.calls_to("createChatInviteLink")) == 4


async def test_a_waiting_resident_who_signs_up_again_hears_they_wait(stage: Stage) -> None:
    """/aanmelden while on the waiting list starts no second sign-up: the bot says which
    street they wait for."""
    resident = await wait_for_a_group(stage, 7)
    await stage.tell(resident, "/aanmelden")
    assert "op de wachtlijst voor de Kerkakker" in stage.private(resident)[-1]


async def test_a_group_linked_with_koppel_for_the_street_admits_its_waiting_residents(
    stage: Stage, tmp_path: Path
) -> None:
    """The street is in the network file, its group not yet linked: no card to admit; once
    /koppel kerkakker is approved, one card offers to admit the two who wait."""
    waiting = [await wait_for_a_group(stage, n) for n in (1, 2)]
    co_admin = await give_the_street_a_neighbourhood(stage, tmp_path, chat_id=None)
    await tick(stage)
    assert waiting_cards(stage) == []  # two wait (fewer than 5), and no group is linked
    stage.emu.post(NEW_GROUP, co_admin, "/koppel kerkakker")
    await stage.settle()
    request = next(
        m for m in stage.emu.bot_messages(stage.regie) if "Koppelverzoek" in (m.content or "")
    )
    stage.emu.press(stage.regie, request.message_id, stage.contacts[0], button_text="✅ Koppelen")
    await stage.settle()
    await tick(stage)
    assert len(waiting_cards(stage)) == 1
    assert "2 wachtende bewoners van de Kerkakker" in waiting_cards(stage)[0]
    card = [m for m in stage.emu.bot_messages(stage.regie) if "🏘️" in (m.content or "")][-1]
    stage.emu.press(
        stage.regie, card.message_id, stage.contacts[0], button_text="✅ Allemaal toelaten"
    )
    await stage.settle()
    made = stage.emu.calls_to("createChatInviteLink")
    assert len(made) == 2 and {int(c.params["chat_id"]) for c in made} == {NEW_GROUP}
    links = [c.result_or_error["invite_link"] for c in made]
    for resident in waiting:
        assert any(link in stage.private(resident)[-1] for link in links)


async def test_only_members_of_the_regiegroep_admit_a_waiting_street(
    stage: Stage, tmp_path: Path
) -> None:
    """Someone outside the regiegroep (a public regiegroep shows its cards to anyone) presses
    "Allemaal toelaten": Telegram is asked at the press, the presser is told only members
    decide, and no invite link is made; a contact person's press then admits."""
    resident = await wait_for_a_group(stage, 1)
    await give_the_street_a_neighbourhood(stage, tmp_path, chat_id=NEW_GROUP)
    await tick(stage)
    card = [m for m in stage.emu.bot_messages(stage.regie) if "🏘️" in (m.content or "")][-1]
    stranger = stage.emu.add_user("Onbekende", "Meelezer")
    refused = stage.emu.press(
        stage.regie, card.message_id, stranger, button_text="✅ Allemaal toelaten"
    )
    await stage.settle()
    answer = stage.emu.callback_answers[refused]
    assert "Alleen leden van de regiegroep" in (answer["text"] or "") and answer["show_alert"]
    assert stage.emu.calls_to("createChatInviteLink") == []
    stage.emu.press(
        stage.regie, card.message_id, stage.contacts[0], button_text="✅ Allemaal toelaten"
    )
    await stage.settle()
    made = stage.emu.calls_to("createChatInviteLink")
    assert len(made) == 1
    assert made[0].result_or_error["invite_link"] in stage.private(resident)[-1]
