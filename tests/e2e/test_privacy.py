"""Privacy against the running bot: erased means gone from the database file, the file is
the owner's alone, and outsiders learn nothing of the network's layout."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from relaybot.sandbox.stage import Stage, open_stage
from tests.e2e.conftest import EXAMPLE, Clock, alerts, contents, stored, tag

DAY = 86400.0
SIGHTING = "Blauwe-Opel-Astra-kenteken-ZX-990-Q"  # invented
NOTE = "Notitie-beheerder-Hoogstraat-Testwaarde"


def modes(path: Path) -> dict[str, int]:
    """The database folder's mode and those of the files in it."""
    found = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()}
    found["folder"] = stat.S_IMODE(path.parent.stat().st_mode)
    return found


async def test_a_resolved_incident_is_erased_from_the_file_after_retention_days(
    stage: Stage, clock: Clock
) -> None:
    """An incident's text, note, author and the 112 reporter's name are in the database file
    while it matters; retention_days (90) after it was resolved the housekeeping erases them
    from the file (and its WAL), while the incident's number, state and 112 time remain for
    the reports."""
    await tag(stage, "goor-oost", SIGHTING, note=NOTE)
    copy = alerts(stage, stage.regie, 1)[0]
    stage.emu.press(stage.regie, copy.message_id, stage.contacts[0], data="112:1")
    stage.emu.post(
        stage.regie,
        stage.contacts[0],
        "/afgehandeld Vastgezet-door-politie",
        reply_to=copy.message_id,
    )
    await stage.settle()
    await stage.runtime.db.checkpoint()
    assert SIGHTING.encode() in await stored(stage)
    clock.advance(89 * DAY)
    await stage.runtime.cases.lifecycle.housekeeping()
    assert SIGHTING.encode() in await stored(stage)  # not yet
    clock.advance(2 * DAY)
    await stage.runtime.cases.lifecycle.housekeeping()
    data = await stored(stage)
    for private in (SIGHTING, NOTE, "Vastgezet-door-politie", stage.contacts[0].full_name):
        assert private.encode() not in data, private
    async with stage.runtime.db.reading() as conn:
        row = (
            await conn.execute_fetchall(
                "SELECT state, flag_at IS NOT NULL, text FROM incidents WHERE number = 1"
            )
        )[0]
    assert tuple(row) == ("resolved", 1, "")


async def test_a_retracted_false_alarm_is_erased_at_once(stage: Stage) -> None:
    """/intrekken deletes every copy and erases the incident's text and note from the file at
    once, not after retention_days."""
    await tag(stage, "goor-oost", SIGHTING, note=NOTE)
    await stage.runtime.db.checkpoint()
    assert SIGHTING.encode() in await stored(stage)
    chat = stage.chats["goor-oost"]
    original = stage.emu.messages(chat)[0]
    stage.emu.post(chat, stage.co_admins["goor-oost"], "/intrekken", reply_to=original.message_id)
    await stage.settle()
    assert (
        not alerts(stage, stage.regie, 1)
        or stage.emu.message(stage.regie, alerts(stage, stage.regie, 1)[0].message_id).deleted
    )
    data = await stored(stage)
    assert SIGHTING.encode() not in data and NOTE.encode() not in data


@pytest.mark.sqlite_only  # the file's mode
async def test_the_database_is_readable_by_its_owner_alone(tmp_path: Path) -> None:
    """The running bot creates its database folder 0700 and the file (and its WAL) 0600."""
    stage = await open_stage(EXAMPLE, tmp_path / "data" / "relaybot.sqlite3")
    try:
        await tag(stage, "goor-oost", SIGHTING)
        found = modes(Path(stage.runtime.db.path))
    finally:
        await stage.close()
    assert found.pop("folder") == 0o700 and found.pop("relaybot.sqlite3") == 0o600
    assert all(mode & 0o077 == 0 for mode in found.values()), found


async def test_neighbours_are_not_told_in_a_private_chat(stage: Stage) -> None:
    """/buren <slug> in a private chat answers one line saying it works in the network's
    groups only, and names no neighbourhood and no unlinked chat."""
    stranger = stage.emu.add_user("Nieuws", "Gierig")
    stage.emu.post(stranger.id, stranger, "/buren goor-oost")
    stage.emu.post(stranger.id, stranger, "/buren")
    await stage.settle()
    said = contents(stage, stranger.id)
    assert len(said) == 2
    for line in said:
        assert "alleen in de groepen" in line
        assert "Goor" not in line and "Markelo" not in line
