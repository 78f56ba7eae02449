"""Surveillance rounds: /ronde in a neighbourhood group, walkers joining with a button, the
end, a planned round with its reminder, and the rounds in the report."""

from __future__ import annotations

from datetime import datetime

from relaybot.reports import make_report, render
from relaybot.sandbox.emulator.records import Message
from relaybot.sandbox.stage import Stage
from relaybot.storage.copy import sqlite_snapshot
from tests.e2e.conftest import Clock, contents, rows

MINUTE = 60.0


def cards(stage: Stage, chat_id: int) -> list[Message]:
    """The bot's round cards in a chat (planned, under way or walked)."""
    return [
        m
        for m in stage.emu.bot_messages(chat_id)
        if (m.content or "").startswith(("🚶 Ronde", "📅 Ronde", "✅ Ronde", "📅 De ronde"))
    ]


def labels(message: Message) -> list[str]:
    return [text for row in message.buttons for text, _data in row]


async def stored_rounds(stage: Stage) -> list[tuple[object, ...]]:
    sql = "SELECT walkers, starter_name, note, ended_at - started_at FROM rounds"
    return await rows(stage, sql)


async def stored_walkers(stage: Stage) -> int:
    return int((await rows(stage, "SELECT COUNT(*) FROM round_walkers"))[0][0])


async def test_a_round_with_two_walkers_from_start_to_end_is_in_the_report(
    stage: Stage, clock: Clock
) -> None:
    """/ronde starts a round (the card names the starter and the time, with "Ik loop mee");
    a neighbour joins with the button; only the starter's "Klaar" ends it; the card then
    shows the times and "2 lopers" without names, the database keeps no names, and the
    report counts the round for Goor Oost in this month."""
    clock.stop_at(clock())
    chat = stage.chats["goor-oost"]
    starter, neighbour = stage.co_admins["goor-oost"], stage.residents["goor-oost"]
    stage.emu.post(chat, starter, "/ronde Laaressingel en Markeloseweg")
    await stage.settle()
    card = cards(stage, chat)[-1]
    started = datetime.fromtimestamp(clock(), stage.network.timezone).strftime("%H:%M")
    assert f"Ronde gestart door {starter.full_name}, " in (card.content or "")
    assert "Laaressingel en Markeloseweg" in (card.content or "")
    assert labels(card) == ["🚶 Ik loop mee", "🏁 Klaar"]

    joined = stage.emu.press(chat, card.message_id, neighbour, data="ronde:mee:1")
    await stage.settle()
    assert stage.emu.callback_answers[joined]["text"] == "U loopt mee."
    card = cards(stage, chat)[-1]
    assert f"Lopen mee: {starter.full_name}, {neighbour.full_name}" in (card.content or "")

    refused = stage.emu.press(chat, card.message_id, neighbour, data="ronde:klaar:1")
    await stage.settle()
    assert starter.full_name in stage.emu.callback_answers[refused]["text"]
    assert cards(stage, chat)[-1].buttons  # still under way

    clock.advance(95 * MINUTE)
    stage.emu.press(chat, card.message_id, starter, data="ronde:klaar:1")
    await stage.settle()
    walked = cards(stage, chat)[-1].content or ""
    assert walked.startswith("✅ Ronde gelopen") and f"{started}–" in walked
    assert "2 lopers" in walked
    assert starter.full_name not in walked and neighbour.full_name not in walked
    assert cards(stage, chat)[-1].buttons == []
    assert await stored_rounds(stage) == [(2, "", "Laaressingel en Markeloseweg", 95 * MINUTE)]
    assert await stored_walkers(stage) == 0
    # nor do the bot's sent messages, kept for a while in its outbox (the card and its edits)
    sent = " ".join(str(r[0]) for r in await rows(stage, "SELECT payload FROM outbox"))
    assert starter.full_name not in sent and neighbour.full_name not in sent

    today = datetime.fromtimestamp(clock(), stage.network.timezone).date()
    async with sqlite_snapshot(stage.runtime.db) as path:  # PostgreSQL: a copy in a file
        report = make_report(stage.network, path, until=today, now=clock())
    oost = next(row for row in report.rows if row.slug == "goor-oost")
    assert oost.rounds == 1 and not oost.vests_idle
    month = datetime.fromtimestamp(clock(), stage.network.timezone).strftime("%Y-%m")
    text = render(report, "markdown")
    assert "## Rondes per buurt per maand" in text
    lines = text.splitlines()
    section = lines[lines.index("## Rondes per buurt per maand") + 2 :]
    header = section[0]
    row = next(line for line in section if line.startswith("| Goor Oost |"))
    months = [cell.strip() for cell in header.strip("|").split("|")][1:]
    counts = [cell.strip() for cell in row.strip("|").split("|")][1:]
    assert dict(zip(months, counts, strict=True))[month] == "1"
    # Goor Noord bought vests and walked no round: marked
    assert "Goor Noord (Goor): hesjes (€ 120), maar geen ronde in de laatste 60 dagen" in text
    assert "Goor Oost (Goor): hesjes" not in text
    page = render(report, "html")
    assert "Rondes per buurt per maand" in page and "maar geen ronde in de laatste 60" in page


async def test_bad_round_commands_get_a_clear_answer(stage: Stage) -> None:
    """/ronde in the regiegroep or a private chat, a second start, klaar without a round, and
    a plan with an unknown day or time, or none, each get an answer that says what to do;
    none of them makes a round."""
    chat = stage.chats["goor-zuid"]
    co_admin, resident = stage.co_admins["goor-zuid"], stage.residents["goor-zuid"]
    stage.emu.post(chat, resident, "/ronde klaar")
    stage.emu.post(chat, co_admin, "/ronde plan blursday 21:00")
    stage.emu.post(chat, co_admin, "/ronde plan zaterdag 25:00")
    stage.emu.post(chat, co_admin, "/ronde plan")
    stage.emu.post(stage.regie, stage.contacts[0], "/ronde")
    stage.emu.post(resident.id, resident, "/ronde")
    await stage.settle()
    said = contents(stage, chat)
    assert any("Er loopt nu geen ronde" in line for line in said)
    assert any("‘blursday’ is geen dag" in line for line in said)
    assert any("‘25:00’ is geen tijd" in line for line in said)
    assert any("/ronde plan &lt;dag&gt;" in line or "/ronde plan <dag>" in line for line in said)
    for elsewhere in (stage.regie, resident.id):
        assert "Een ronde start u in de groep van uw buurt" in contents(stage, elsewhere)[-1]
    assert cards(stage, chat) == [] and cards(stage, stage.regie) == []

    stage.emu.post(chat, co_admin, "/ronde")
    await stage.settle()
    stage.emu.post(chat, resident, "/round")
    await stage.settle()
    assert f"Er loopt al een ronde, gestart door {co_admin.full_name}" in contents(stage, chat)[-1]
    assert len(cards(stage, chat)) == 1


async def test_a_planned_round_reminds_an_hour_before_and_ends_by_itself(
    stage: Stage, clock: Clock
) -> None:
    """/ronde plan maandag 21:00 bij de kerk posts a planned round; an hour before, the group
    is reminded (under the card) who walks and that fewer than two signed up; at 21:00 the
    round begins, and left open it ends itself after round_max_hours (4)."""
    zone = stage.network.timezone
    clock.stop_at(datetime(2026, 12, 7, 12, 0, tzinfo=zone).timestamp())  # a Monday, 12:00
    chat = stage.chats["goor-noord"]
    planner, walker = stage.co_admins["goor-noord"], stage.residents["goor-noord"]
    stage.emu.post(chat, planner, "/ronde plan maandag 21:00 bij de kerk")
    await stage.settle()
    card = cards(stage, chat)[-1]
    assert "Ronde gepland: maandag 07-12 om 21:00" in (card.content or "")
    assert "Verzamelen: bij de kerk" in (card.content or "")
    assert labels(card) == ["🚶 Ik loop mee"]
    stage.emu.press(chat, card.message_id, walker, data="ronde:mee:1")
    await stage.settle()

    clock.advance(8 * 3600 + 5 * MINUTE)  # 20:05
    await stage.runtime.cases.rounds.tick()
    await stage.settle()
    reminder = stage.emu.bot_messages(chat)[-1]
    assert "Over een uur begint de ronde van 21:00" in (reminder.content or "")
    assert f"Lopen mee: {walker.full_name}" in (reminder.content or "")
    assert "pas 1 loper aangemeld" in (reminder.content or "")
    assert reminder.reply_to == card.message_id
    await stage.runtime.cases.rounds.tick()  # once only
    await stage.settle()
    assert stage.emu.bot_messages(chat)[-1].message_id == reminder.message_id

    clock.advance(60 * MINUTE)  # 21:05
    await stage.runtime.cases.rounds.tick()
    await stage.settle()
    assert f"Ronde gestart door {planner.full_name}, 21:00" in (
        cards(stage, chat)[-1].content or ""
    )

    clock.advance(4 * 3600)  # 01:05: past 21:00 + 4 hours
    await stage.runtime.cases.rounds.tick()
    await stage.settle()
    ended = cards(stage, chat)[-1].content or ""
    assert "21:00–01:00 · 1 loper (vanzelf beëindigd)" in ended
    assert await stored_rounds(stage) == [(1, "", "", 4 * 3600.0)]
    sent = " ".join(str(r[0]) for r in await rows(stage, "SELECT payload FROM outbox"))
    assert walker.full_name not in sent and planner.full_name not in sent  # reminder included


async def test_a_planned_round_nobody_joins_does_not_take_place(stage: Stage, clock: Clock) -> None:
    """Nobody pressed "Ik loop mee": the reminder says so, and at its time the card says the
    round is off; nothing of it is counted."""
    zone = stage.network.timezone
    clock.stop_at(datetime(2026, 12, 7, 12, 0, tzinfo=zone).timestamp())
    chat = stage.chats["goor-west"]
    stage.emu.post(chat, stage.co_admins["goor-west"], "/ronde plan vandaag 20:30")
    await stage.settle()
    clock.advance(7 * 3600 + 35 * MINUTE)  # 19:35
    await stage.runtime.cases.rounds.tick()
    await stage.settle()
    clock.advance(60 * MINUTE)  # 20:35
    await stage.runtime.cases.rounds.tick()
    await stage.settle()
    said = contents(stage, chat)
    assert any("pas 0 lopers aangemeld" in line for line in said)
    assert "gaat niet door: niemand meldde zich aan" in (cards(stage, chat)[-1].content or "")
    assert await stored_rounds(stage) == []
