"""Looking a point up in the map: the buurt that holds it, and the buurten within a radius."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyproj import Transformer

from relaybot.geo.areamap import AreaMap

SAMPLE = Path(__file__).resolve().parents[2] / "relaybot" / "data" / "proefdorp-buurten.geojson"
TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def at(x: float, y: float) -> tuple[float, float]:
    """(latitude, longitude) of a point given in metres from the sample's south-west corner."""
    lon, lat = TO_WGS84.transform(231_000 + x, 471_000 + y)
    return lat, lon


@pytest.fixture(scope="module")
def proefdorp() -> AreaMap:
    return AreaMap.read(SAMPLE)


@pytest.mark.parametrize(
    ("x", "y", "name"),
    [
        (500, 1500, "Heivelden"),
        (1500, 1500, "Kasteelpark"),  # in the hole of Centrum
        (1100, 1100, "Centrum"),
        (3200, 400, "De Plassen"),  # on its island
        (2500, 2500, "De Plassen"),
    ],
)
def test_a_point_is_placed_in_the_buurt_that_holds_it(
    proefdorp: AreaMap, x: float, y: float, name: str
) -> None:
    """Telegram's WGS84 point lands in the buurt around it, holes and islands included."""
    found = proefdorp.locate(*at(x, y))
    assert found is not None and found.name == name


def test_a_point_outside_every_buurt_is_placed_nowhere(proefdorp: AreaMap) -> None:
    """Beyond the map, and in the gap between Veldhoek and Hoge Wei: no buurt."""
    assert proefdorp.locate(*at(-500, -500)) is None
    assert proefdorp.locate(*at(3500, 2995)) is None
    assert proefdorp.locate(52.37, 4.89) is None  # far away


def test_the_buurten_within_a_radius_nearest_first(proefdorp: AreaMap) -> None:
    """From the middle of Heivelden, 600 m reaches its three neighbours at 500 m (the corner
    buurten are 707 m off) and Heivelden itself at 0."""
    near = proefdorp.within(*at(500, 1500), 600)
    assert {code: round(m) for code, m in near.items()} == {
        "BU99990103": 0, "BU99990101": 500, "BU99990201": 500, "BU99990301": 500
    }  # fmt: skip
    assert next(iter(near)) == "BU99990103"
    assert "BU99990202" in proefdorp.within(*at(500, 1500), 710)
