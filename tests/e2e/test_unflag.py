"""/niet112 (/unflag): a false "112 gebeld" is withdrawn, and the next report wins."""

from __future__ import annotations

from relaybot.sandbox.stage import Stage
from tests.e2e.conftest import alerts, contents, tag

HOLDERS = ["goor-oost", "regie", "goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"]


async def flagged(stage: Stage) -> None:
    """Incident #1 from goor-oost, falsely reported as called by a resident of goor-noord."""
    await tag(stage, "goor-oost", "Verdachte man bij de garages")
    copy = alerts(stage, stage.chats["goor-noord"], 1)[0]
    stage.emu.press(copy.chat_id, copy.message_id, stage.residents["goor-noord"], data="112:1")
    await stage.settle()


def withdrawal_notices(stage: Stage, chat_id: int) -> list[str]:
    return [c for c in contents(stage, chat_id) if c.startswith("↩️ 112 is nog niet gebeld")]


async def test_a_co_admin_withdraws_a_false_report_and_the_next_report_wins(
    stage: Stage,
) -> None:
    """A co-admin of a holding chat answers a copy with /niet112: every copy in every chat
    shows "112: nog niet gebeld" again with who withdrew it, the button is back, each
    holding chat gets one notice under its copy, and a later press wins as if first. The
    withdrawn report stays in the incident's history."""
    await flagged(stage)
    chat = stage.chats["goor-centrum"]
    copy = alerts(stage, chat, 1)[0]
    co_admin = stage.co_admins["goor-centrum"]
    stage.emu.post(chat, co_admin, "/niet112", reply_to=copy.message_id)
    await stage.settle()
    for slug in HOLDERS:
        held = stage.chats[slug]
        for shown in alerts(stage, held, 1):
            text = shown.content or ""
            assert "112: nog niet gebeld" in text and "112 gebeld om" not in text, slug
            assert "ingetrokken om" in text and co_admin.full_name in text, slug
            assert shown.buttons, slug
        notices = [
            m
            for m in stage.emu.bot_messages(held)
            if (m.content or "").startswith("↩️ 112 is nog niet gebeld")
        ]
        assert len(notices) == 1, slug
        anchor = alerts(stage, held, 1) or [stage.emu.messages(held)[0]]
        assert notices[0].reply_to == anchor[0].message_id, slug
    # the next report wins as if it were the first
    regie_copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.press(stage.regie, regie_copy.message_id, stage.contacts[1], data="112:1")
    await stage.settle()
    for slug in HOLDERS:
        for shown in alerts(stage, stage.chats[slug], 1):
            text = shown.content or ""
            assert f"door {stage.contacts[1].full_name}" in text, slug
            assert "ingetrokken" not in text and not shown.buttons, slug
    async with stage.runtime.db.reading() as conn:
        history = await conn.execute_fetchall(
            "SELECT reported_by, withdrawn_by FROM flag_withdrawals WHERE incident = 1"
        )
    assert [tuple(row) for row in history] == [
        (stage.residents["goor-noord"].full_name, co_admin.full_name)
    ]


async def test_a_contact_person_may_withdraw_with_the_english_alias(stage: Stage) -> None:
    """In the regiegroep any contact person may withdraw, also with /unflag."""
    await flagged(stage)
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(stage.regie, stage.contacts[2], "/unflag", reply_to=copy.message_id)
    await stage.settle()
    assert "112: nog niet gebeld" in (alerts(stage, stage.regie, 1)[0].content or "")
    assert len(withdrawal_notices(stage, stage.chats["goor-noord"])) == 1


async def test_a_resident_cannot_withdraw_and_nothing_changes(stage: Stage) -> None:
    """A resident (no co-admin) gets one line saying who may; every copy keeps the report."""
    await flagged(stage)
    chat = stage.chats["goor-noord"]
    copy = alerts(stage, chat, 1)[0]
    stage.emu.post(chat, stage.residents["goor-noord"], "/niet112", reply_to=copy.message_id)
    await stage.settle()
    assert any("Alleen een beheerder" in c for c in contents(stage, chat))
    for slug in HOLDERS:
        for shown in alerts(stage, stage.chats[slug], 1):
            assert "112 gebeld om" in (shown.content or ""), slug
        assert not withdrawal_notices(stage, stage.chats[slug]), slug


async def test_withdrawing_without_a_report_or_a_reply_is_one_line(stage: Stage) -> None:
    """/niet112 on an incident nobody reported as called, or not as a reply to a copy, is
    answered with one line and changes nothing."""
    await tag(stage, "goor-oost", "Verdachte man bij de garages")
    chat = stage.chats["goor-centrum"]
    copy = alerts(stage, chat, 1)[0]
    stage.emu.post(chat, stage.co_admins["goor-centrum"], "/niet112", reply_to=copy.message_id)
    stage.emu.post(chat, stage.co_admins["goor-centrum"], "/niet112")
    await stage.settle()
    said = contents(stage, chat)
    assert any("niets in te trekken" in c for c in said)
    assert any("/niet112" in c for c in said[-2:])
    assert not any(withdrawal_notices(stage, stage.chats[s]) for s in HOLDERS)


async def test_a_demoted_co_admin_is_refused_at_once(stage: Stage) -> None:
    """A co-admin whose rights were taken away a moment ago (Telegram's chat_member news not
    yet arrived, the bot's 300 s cache still saying "admin") cannot withdraw a 112 report or
    retract an alert: for these the bot asks Telegram at that moment."""
    await flagged(stage)  # the goor-oost co-admin's /regie put "admin" in the cache
    chat = stage.chats["goor-oost"]
    co_admin = stage.co_admins["goor-oost"]
    stage.emu.world.chat(chat).members[co_admin.id] = "member"  # demoted, no update sent
    original = stage.emu.messages(chat)[0]
    stage.emu.post(chat, co_admin, "/niet112", reply_to=original.message_id)
    stage.emu.post(chat, co_admin, "/intrekken", reply_to=original.message_id)
    await stage.settle()
    for slug in HOLDERS:
        for shown in alerts(stage, stage.chats[slug], 1):
            assert "112 gebeld om" in (shown.content or ""), slug
            assert not stage.emu.message(shown.chat_id, shown.message_id).deleted, slug
    said = contents(stage, chat)
    assert any("Alleen een beheerder" in c for c in said)
