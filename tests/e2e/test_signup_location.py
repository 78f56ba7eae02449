"""Sign-up by location, end to end: at the address step the bot offers a 📍 button
(request_location); the shared point is placed in a buurt and so a neighbourhood, and is
neither stored nor logged; outside every area the street is asked as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pyproj import Transformer
from structlog.testing import capture_logs

from relaybot.sandbox.emulator.records import User
from relaybot.sandbox.stage import SHARE_CONTACT, Stage, open_stage
from tests.unit.test_coverage_map import proefdorp

from .conftest import Clock, stored
from .test_signup import card

BUTTON = "📍 Deel mijn locatie"
TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def at(x: float, y: float) -> tuple[float, float]:
    """(latitude, longitude) of a point in metres from Proefdorp's south-west corner."""
    lon, lat = TO_WGS84.transform(231_000 + x, 471_000 + y)
    return round(lat, 6), round(lon, 6)


@pytest.fixture
async def stage(tmp_path: Path, clock: Clock) -> AsyncIterator[Stage]:
    """The invented Proefdorp from its map: centrum and heivelden have a group."""
    network = proefdorp(tmp_path)
    opened = await open_stage(network, tmp_path / "relaybot.sqlite3", clock=clock)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def anouk(stage: Stage) -> User:
    return stage.newcomer("Anouk", "Veldkamp", "+31612349876")


async def test_a_shared_location_finds_the_neighbourhood_and_is_kept_nowhere(
    stage: Stage, anouk: User
) -> None:
    """The address question has the 📍 button; a point in Heivelden goes on to the phone
    question and the card names Heivelden; the point is in neither database nor log."""
    await stage.tell(anouk, "/aanmelden", "Ja", anouk.full_name)
    assert stage.emu.keyboard(anouk) == [BUTTON]
    lat, lon = at(500, 1500)
    with capture_logs() as logs:
        stage.emu.tap(anouk, BUTTON, location=(lat, lon))
        await stage.settle()
    assert "nummer" in stage.private(anouk)[-1]  # the phone question
    await stage.tell(anouk, SHARE_CONTACT, "Akkoord")
    assert "Heivelden" in (card(stage).content or "")
    on_disk = await stored(stage)
    for value in (lat, lon):
        assert str(value).encode() not in on_disk
        assert str(value) not in repr(logs)


async def test_a_location_outside_every_buurt_asks_for_the_street(
    stage: Stage, anouk: User
) -> None:
    """A point beyond the map is answered with one line, and the street is asked as before."""
    await stage.tell(anouk, "/aanmelden", "Ja", anouk.full_name)
    stage.emu.tap(anouk, BUTTON, location=(52.37, 4.89))
    await stage.settle()
    assert "ligt in geen van de buurten" in stage.private(anouk)[-1]
    await stage.tell(anouk, "Molenweg 3")
    assert "Molenweg 3" in stage.private(anouk)[-1]  # no street list: unmatched, as before


async def test_a_location_at_another_step_is_not_taken(stage: Stage, anouk: User) -> None:
    """At the age question a location is answered with one line; the step stays."""
    await stage.tell(anouk, "/aanmelden")
    stage.emu.share_location(anouk.id, anouk, *at(500, 1500))
    await stage.settle()
    assert "Een locatie is nu niet nodig" in stage.private(anouk)[-1]
