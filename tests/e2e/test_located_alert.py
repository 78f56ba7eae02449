"""A located alert, end to end: a resident shares a location in a group, a co-admin relays it
with /regie; every chat's alert shows where, and with alert_radius_m the neighbourhoods whose
area lies within that distance receive it beyond adjacency, and no farther; the confirmation
says which the radius added."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from relaybot.sandbox.stage import Stage, open_stage
from tests.unit.test_coverage_map import proefdorp
from tests.unit.test_geo_areamap import at

from .conftest import Clock, contents


@pytest.fixture
async def stage(tmp_path: Path, clock: Clock) -> AsyncIterator[Stage]:
    """Proefdorp from its map, every neighbourhood with a group, a radius of 300 m."""
    network = proefdorp(tmp_path)
    text = network.read_text(encoding="utf-8")
    slugs = re.findall(r'^slug = "([a-z0-9-]+)"$', text, re.M)
    for number, slug in enumerate(slugs, start=101):
        if slug not in ("centrum", "heivelden"):  # those two have one already
            text = text.replace(f'slug = "{slug}"\n', f'slug = "{slug}"\nchat_id = -1009{number}\n')
    text = text.replace("[map]\n", "[policy]\nalert_radius_m = 300\n\n[map]\n")
    network.write_text(text, encoding="utf-8")
    opened = await open_stage(network, tmp_path / "relaybot.sqlite3", clock=clock)
    try:
        yield opened
    finally:
        await opened.close()


def reached(stage: Stage) -> set[str]:
    return {
        slug
        for slug, chat in stage.chats.items()
        if slug not in ("centrum", "regie")
        and any("Melding #1" in line for line in contents(stage, chat))
    }


async def test_a_located_alert_reaches_the_neighbourhoods_within_the_radius_and_no_farther(
    stage: Stage,
) -> None:
    """A pin 100 m inside Centrum's south-east corner: the adjacent five get it, Molenbrink
    (141 m off, only a corner touches Centrum) too; Zuideres and De Plassen (906 m) do not.
    Every alert shows the place; the confirmation names Molenbrink as the radius's."""
    chat = stage.chats["centrum"]
    pin = stage.emu.share_location(chat, stage.residents["centrum"], *at(1900, 1100))
    stage.emu.post(chat, stage.co_admins["centrum"], "/regie", reply_to=pin.message_id)
    await stage.settle()
    adjacent = {"kasteelpark", "heivelden", "kerkebrink", "noordveld", "beekdal"}
    assert reached(stage) == adjacent | {"molenbrink"}
    for slug in ("regie", "molenbrink", "beekdal"):
        alert = next(line for line in contents(stage, stage.chats[slug]) if "Melding #1" in line)
        assert "📍" in alert and "openstreetmap.org" in alert
    said = contents(stage, chat)
    assert any("Binnen 300 m van de plek, dus ook bereikt: Molenbrink." in s for s in said)


async def test_an_alert_without_a_place_keeps_to_adjacency(stage: Stage) -> None:
    """A text alert with the same radius set goes to the adjacent neighbourhoods only."""
    chat = stage.chats["centrum"]
    text = stage.emu.post(chat, stage.residents["centrum"], "Verdachte auto bij de kerk")
    stage.emu.post(chat, stage.co_admins["centrum"], "/regie", reply_to=text.message_id)
    await stage.settle()
    assert reached(stage) == {"kasteelpark", "heivelden", "kerkebrink", "noordveld", "beekdal"}


async def test_a_follow_up_that_adds_a_place_widens_the_alert_to_the_radius(stage: Stage) -> None:
    """A text alert from Centrum reaches its adjacent five; a resident then answers it with a
    pin near Molenbrink, and the co-admin relays that follow-up: Molenbrink (within 300 m of
    the pin, not adjacent) now gets the alert and the follow-up with the place, the chats
    that held it get the follow-up once, and the co-admin is told the radius added
    Molenbrink. Zuideres, farther away, still gets nothing."""
    chat = stage.chats["centrum"]
    text = stage.emu.post(chat, stage.residents["centrum"], "Verdachte auto bij de kerk")
    stage.emu.post(chat, stage.co_admins["centrum"], "/regie", reply_to=text.message_id)
    await stage.settle()
    adjacent = {"kasteelpark", "heivelden", "kerkebrink", "noordveld", "beekdal"}
    assert reached(stage) == adjacent
    copy = next(m for m in stage.emu.bot_messages(chat) if "Melding #1" in (m.content or ""))
    pin = stage.emu.share_location(
        chat, stage.residents["centrum"], *at(1900, 1100), reply_to=copy.message_id
    )
    stage.emu.post(chat, stage.co_admins["centrum"], "/regie", reply_to=pin.message_id)
    await stage.settle()
    assert reached(stage) == adjacent | {"molenbrink"}
    for slug in ("molenbrink", "beekdal", "regie"):
        follow = [line for line in contents(stage, stage.chats[slug]) if "Aanvulling op #1" in line]
        assert len(follow) == 1, slug
        assert "openstreetmap.org" in follow[0] or "📍" in follow[0], slug
    said = contents(stage, chat)
    assert any("Binnen 300 m van de plek, dus ook bereikt: Molenbrink." in s for s in said)
