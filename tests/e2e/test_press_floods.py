"""Presses on the cards never hold up an alert (issue 25 item 2): who pressed a removal,
sign-up or link card is asked of Telegram at the press, beside the update path, so a flood of
presses by people who may not press costs the alerts behind it nothing; the right people's
presses still decide, the first press first."""

from __future__ import annotations

from relaybot.sandbox.emulator.records import Message, User
from relaybot.sandbox.stage import Stage
from tests.e2e.test_moderation_floods import alert_reaches_the_regiegroep_within, slow
from tests.e2e.test_signup import STREET, cards, sign_up

__all__ = ["slow"]  # the fixture: a 50 ms round trip per call, Telegram's limits on

PRESSERS = 40  # of each card: 120 presses by people who may not press it
REMOVAL_HOOD = "goor-noord"


async def removal_card(stage: Stage) -> tuple[Message, User]:
    """A member of goor-noord warned to max_warnings: the card asking to remove them, shown
    in their group."""
    chat = stage.chats[REMOVAL_HOOD]
    member = stage.emu.add_user("Yvonne", "Testbewoner")
    stage.emu.join(chat, member)
    for word in ("klootzak", "godverdomme", "KUT"):
        stage.emu.post(chat, member, f"Wat een {word} is dat")
        await stage.settle(within=60)
    card = next(
        m for m in stage.emu.bot_messages(chat) if (m.content or "").startswith("🚪 Verwijderen")
    )
    return card, member


async def link_card(stage: Stage) -> Message:
    stage.emu.post(stage.chats["stokkum"], stage.co_admins["stokkum"], "/koppel stokkum")
    await stage.settle(within=60)
    return next(
        m for m in stage.emu.bot_messages(stage.regie) if "Koppelverzoek" in (m.content or "")
    )


async def test_a_flood_of_presses_by_outsiders_never_delays_an_alert(slow: Stage) -> None:
    """40 people outside the regiegroep press "Toelaten" on a sign-up card, 40 press
    "Koppelen" on a link card and 40 residents who are no co-admin press "Verwijderen" on a
    removal card; then the right people press. A /regie right after reaches the regiegroep
    within 5 s; every outsider is refused, and the right presses admit, link and remove (on
    the old code the presses were checked one by one in the update path: the alert waited
    for some 120 lookups and answers, 50 ms each)."""
    stage = slow
    resident = stage.newcomer("Jorien", "Brinkhuis", "+31612340001")
    await sign_up(stage, resident, STREET)
    signup_card = cards(stage)[0]
    link = await link_card(stage)
    removal, member = await removal_card(stage)
    outsiders = [stage.emu.add_user("Buiten", f"Staander {n}") for n in range(PRESSERS * 3)]
    refused: list[str] = []
    for n in range(PRESSERS):
        refused.append(
            stage.emu.press(stage.regie, signup_card.message_id, outsiders[n], "Toelaten")
        )
        refused.append(
            stage.emu.press(
                stage.regie, link.message_id, outsiders[PRESSERS + n], data="koppel:ok:1"
            )
        )
        refused.append(
            stage.emu.press(
                removal.chat_id, removal.message_id, outsiders[2 * PRESSERS + n], "🚪 Verwijderen"
            )
        )
    contact = stage.contacts[1]
    stage.emu.press(stage.regie, signup_card.message_id, contact, "Toelaten")
    stage.emu.press(stage.regie, link.message_id, contact, data="koppel:ok:1")
    co_admin = stage.co_admins[REMOVAL_HOOD]
    stage.emu.press(removal.chat_id, removal.message_id, co_admin, "🚪 Verwijderen")
    await alert_reaches_the_regiegroep_within(stage, 5.0)
    await stage.settle(within=120)
    answers = [stage.emu.callback_answers[query]["text"] for query in refused]
    assert all("Alleen" in answer for answer in answers), set(answers)
    assert "Toegelaten" in (cards(stage)[0].content or "")
    assert stage.ctx.directory.chat_for("stokkum") == stage.chats["stokkum"]
    assert not stage.emu.chat(removal.chat_id).is_member(member.id)
    assert [c.ok for c in stage.emu.calls_to("banChatMember")] == [True]
