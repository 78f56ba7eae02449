"""Sign-up by location, end to end: at the address step the bot offers a 📍 button
(request_location); the shared point is placed in a buurt and so a neighbourhood, and is
neither stored nor logged; outside every area the street is asked as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pyproj import Transformer
from structlog.testing import capture_logs

from relaybot.geo.areamap import AreaMap
from relaybot.network_file import load_network
from relaybot.sandbox.emulator.records import User
from relaybot.sandbox.stage import SHARE_CONTACT, Stage, open_stage
from tests.unit.test_coverage_map import SAMPLE, proefdorp

from .conftest import Clock, contents, stored
from .test_signup import card

BUTTON = "📍 Deel mijn locatie"
SAMPLE_MAP = AreaMap.read(SAMPLE)
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


async def test_residents_located_in_a_buurt_without_a_group_wait_together_per_buurt(
    tmp_path: Path, clock: Clock
) -> None:
    """With a map, the waiting list is per buurt: Kasteelpark is in the map but no
    neighbourhood covers it. Two residents share a point there (and type streets no list
    holds, each a different one): they wait on one list, Kasteelpark's; at start_group_at (2
    here) the regiegroep gets one card naming the buurt and no street or name. Once the
    network file gives Kasteelpark a group, one card offers to admit both."""
    network_file = proefdorp(tmp_path)
    text = network_file.read_text(encoding="utf-8")
    uncovered = text.replace('area = "BU99990102"\n', "", 1)
    network_file.write_text(uncovered.replace("[map]\n", "[policy]\nstart_group_at = 2\n\n[map]\n"))
    inside = SAMPLE_MAP.buurten["BU99990102"].shape.representative_point()
    lon, lat = TO_WGS84.transform(inside.x, inside.y)
    stage = await open_stage(network_file, tmp_path / "relaybot.sqlite3", clock=clock)
    try:
        for n, street in enumerate(("Slotlaan", "Gracht"), start=1):
            resident = stage.newcomer(f"Bewoner{n}", "Slot", f"+3161234{n:04d}")
            await stage.tell(resident, "/aanmelden", "Ja", resident.full_name)
            stage.emu.tap(resident, BUTTON, location=(lat, lon))
            await stage.settle()
            await stage.tell(resident, f"{street} {n}", "Verder zonder buurt", SHARE_CONTACT)
            await stage.tell(resident, "Akkoord")
            assert "Kasteelpark" in stage.private(resident)[-1]  # the list they wait on
        await stage.runtime.cases.waiting.tick()
        await stage.settle()
        said = [line for line in contents(stage, stage.regie) if "🏘️" in line]
        assert len(said) == 1 and "2 bewoners van de Kasteelpark" in said[0]
        assert "Slotlaan" not in said[0] and "Bewoner" not in said[0]

        group = -1009010
        linked = text.replace('area = "BU99990102"\n', f'area = "BU99990102"\nchat_id = {group}\n')
        network_file.write_text(
            linked.replace("[map]\n", "[policy]\nstart_group_at = 2\n\n[map]\n")
        )
        co_admin = stage.newcomer("Gerda", "Slot", "+31612349999")
        stage.emu.add_group(
            "Buurtpreventie Kasteelpark", group, members=[co_admin], admins=[co_admin]
        )
        stage.network = load_network(network_file)
        await stage.restart()
        await stage.runtime.cases.waiting.tick()
        await stage.settle()
        said = [line for line in contents(stage, stage.regie) if "🏘️" in line]
        assert len(said) == 2 and "2 wachtende bewoners van de Kasteelpark" in said[1]
    finally:
        await stage.close()
