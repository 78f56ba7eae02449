"""Delivery edge cases found in review: a worker loop fault, a list too long for one
message, notes too long for a caption, and outages that outlast any retry budget."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from telegram.error import NetworkError

from relaybot.stage import Stage
from relaybot.storage import outbox
from tests.e2e.conftest import alerts, contents, tag


async def test_a_fault_in_the_worker_loop_does_not_end_delivery(stage: Stage) -> None:
    """One 'database is locked' while the worker reads the outbox is logged and survived:
    the next alert still reaches the regiegroep."""
    delivery = stage.runtime.delivery
    original = delivery.due
    failures = [1]

    async def flaky(*args: Any, **kwargs: Any) -> Any:
        if failures[0]:
            failures[0] -= 1
            raise sqlite3.OperationalError("database is locked")
        return await original(*args, **kwargs)

    delivery.due = flaky  # type: ignore[method-assign]
    stage.runtime.worker.wake()
    for _ in range(500):
        if not failures[0]:
            break
        await asyncio.sleep(0.01)
    assert failures[0] == 0
    await tag(stage, "goor-oost", "Inbraak bezig")
    assert stage.runtime.worker.alive
    assert len(alerts(stage, stage.regie, 1)) == 1


async def test_incidents_list_fits_one_message_and_says_how_many_more(stage: Stage) -> None:
    """/meldingen with 30 long open incidents is answered in one message within Telegram's
    limit, ending with how many more there are."""
    limiter = stage.runtime.app.bot.rate_limiter
    limiter.group_limit = (10_000, 60.0)  # set-up only: 30 tags in a few seconds
    limiter.groups.clear()
    slugs = ["goor-oost", "goor-centrum", "goor-noord", "goor-west", "markelo-zuid"]
    for n in range(30):
        await tag(stage, slugs[n % 5], f"Melding {n}: " + "verdachte persoon bij de schuren " * 4)
    before = len(contents(stage, stage.regie))
    stage.emu.post(stage.regie, stage.contacts[2], "/meldingen")
    await stage.settle()
    answer = contents(stage, stage.regie)
    assert len(answer) == before + 1
    assert answer[-1].startswith("Open meldingen") and "open melding(en)" in answer[-1]
    assert "#30" in answer[-1] and len(answer[-1]) <= 4096


async def test_a_photo_alert_with_long_notes_still_shows_it_was_resolved(stage: Stage) -> None:
    """A photo alert with a long co-admin note, resolved with a long closing note: every
    caption is edited (cut to fit 1024) to show the resolve, and the button goes."""
    chat = stage.chats["goor-oost"]
    photo = stage.emu.post_photo(chat, stage.residents["goor-oost"], "Man bij de schuur")
    stage.emu.post(
        chat,
        stage.co_admins["goor-oost"],
        "/regie " + "lijkt op vorige week. " * 25,
        reply_to=photo.message_id,
    )
    await stage.settle()
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.post(
        stage.regie,
        stage.contacts[1],
        "/afgehandeld " + "politie heeft twee personen aangehouden. " * 14,
        reply_to=copy.message_id,
    )
    await stage.settle()
    for slug in ["regie", "goor-centrum", "markelo-zuid"]:
        shown = alerts(stage, stage.chats[slug], 1)[0]
        assert "Afgehandeld" in (shown.caption or ""), slug
        assert len(shown.caption or "") <= 1024 and not shown.buttons, slug


async def test_network_errors_are_retried_however_long_the_outage(stage: Stage) -> None:
    """A row that has already failed 100 times on network errors is postponed again, never
    given up: nothing queued is lost to a long outage."""
    async with stage.runtime.db.transaction() as conn:
        row_id = await outbox.enqueue(
            conn, chat_id=stage.regie, action="say", now=0.0, payload={"html": "test"}
        )
        await conn.execute(
            "UPDATE outbox SET attempts = 100, not_before = 1e12 WHERE id = ?", (row_id,)
        )
    rows = [r for r in await stage.runtime.delivery.due(set(), 64) if r.id == row_id]
    assert rows == []  # not due: read it directly
    async with stage.runtime.db.reading() as conn:
        raw = await conn.execute_fetchall(
            "SELECT id, chat_id, priority, action, incident, followup, payload, attempts"
            " FROM outbox WHERE id = ?",
            (row_id,),
        )
    row = outbox._row(raw[0])
    worker = stage.runtime.worker

    async def down(_op: Any) -> int | None:
        raise NetworkError("Bad Gateway")

    worker.sender.run = down  # type: ignore[method-assign]
    await worker._deliver(row)
    async with stage.runtime.db.reading() as conn:
        status = await conn.execute_fetchall(
            "SELECT status, attempts FROM outbox WHERE id = ?", (row_id,)
        )
    assert tuple(status[0]) == ("pending", 101)
