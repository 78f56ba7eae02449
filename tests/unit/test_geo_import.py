"""`relaybot map import`: reading CBS buurten in WGS84 or RD New, one municipality, the
skeleton it writes, and the answer to a file it cannot use."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import box, mapping

from relaybot.geo.buurten import read_buurten
from relaybot.geo.errors import MapError
from relaybot.geo.importing import import_map, kern_of, map_text, skeleton, slugs_for
from relaybot.network_file import load_network

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "relaybot" / "data" / "proefdorp-buurten.geojson"
RD_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def feature(props: dict[str, Any], x: float, y: float, size: float = 1000) -> dict[str, Any]:
    geometry = mapping(box(x, y, x + size, y + size))
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write(path: Path, features: list[dict[str, Any]], crs: Any = RD_CRS) -> Path:
    data: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        data["crs"] = crs
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def cbs(code: str, name: str, wijk: str, gm: str, gemeente: str) -> dict[str, str]:
    return {
        "buurtcode": code,
        "buurtnaam": name,
        "wijkcode": "WK" + code[2:8],
        "wijknaam": wijk,
        "gemeentecode": gm,
        "gemeentenaam": gemeente,
    }


@pytest.fixture
def two_towns(tmp_path: Path) -> Path:
    """Three buurten of an invented town and one of another, in RD New metres as PDOK
    publishes them."""
    return write(
        tmp_path / "buurten.json",
        [
            feature(cbs("BU09990001", "Oude Kern", "Wijk 00 Ommedorp", "GM0999", "Ommedorp"),
                    230_000, 470_000),
            feature(cbs("BU09990002", "Nieuwe Es", "Wijk 00 Ommedorp", "GM0999", "Ommedorp"),
                    231_000, 470_000),
            feature(cbs("BU09990101", "Buitenland", "Wijk 01 Veldzicht", "GM0999", "Ommedorp"),
                    232_000, 470_000),
            feature(cbs("BU08880001", "Elders", "Wijk 00 Elders", "GM0888", "Andersdorp"),
                    233_000, 470_000),
        ],
    )  # fmt: skip


def test_the_shipped_sample_in_wgs84_gives_borders_in_metres() -> None:
    """The invented Proefdorp (WGS84, as RFC 7946 says): 12 buurten; 1 km squares share
    1000 m, the island of De Plassen 400 m with Molenbrink, the park 800 m with the centre
    around it; corners, and the 10 m between Kerkebrink and Veldhoek, are no border."""
    found = import_map(SAMPLE)
    names = [b.name for b in found.buurten]
    pairs = {frozenset((names[b.a], names[b.b])): round(b.metres) for b in found.borders}
    assert len(names) == 12 and len(pairs) == 15
    assert pairs[frozenset(("Centrum", "Heivelden"))] == 1000
    assert pairs[frozenset(("De Plassen", "Molenbrink"))] == 400
    assert pairs[frozenset(("Centrum", "Kasteelpark"))] == 800
    assert frozenset(("Centrum", "Zuideres")) not in pairs  # a corner
    assert frozenset(("Kerkebrink", "Veldhoek")) not in pairs  # 10 m
    assert frozenset(("De Plassen", "Hoge Wei")) not in pairs  # a corner
    assert found.kernen == ["Proefdorp", "Beekveld", "Buitengebied"]


def test_rd_new_is_read_from_the_crs_member_and_from_the_size_of_the_numbers(
    two_towns: Path, tmp_path: Path
) -> None:
    """The same file with PDOK's crs member and without one gives the same borders."""
    with_crs = import_map(two_towns)
    data = json.loads(two_towns.read_text())
    bare = write(tmp_path / "bare.json", data["features"], crs=None)
    without = import_map(bare)
    assert [(b.a, b.b, round(b.metres)) for b in with_crs.borders] == [
        (0, 1, 1000), (1, 2, 1000), (2, 3, 1000)
    ]  # fmt: skip
    assert with_crs.borders == without.borders


@pytest.mark.parametrize("wanted", ["0999", "GM0999", "999", "ommedorp", "Ommedorp"])
def test_one_municipality_by_code_or_name(two_towns: Path, wanted: str) -> None:
    """--municipality takes 0999, GM0999 or the name (any case) and keeps only its buurten."""
    found = import_map(two_towns, municipality=wanted)
    assert [b.code for b in found.buurten] == ["BU09990001", "BU09990002", "BU09990101"]


def test_an_unknown_municipality_is_one_line_with_a_guess(two_towns: Path) -> None:
    """A misspelt name gets the nearest name the file holds."""
    with pytest.raises(MapError, match=r"no buurten of municipality 'Omedorp' \(did you mean "
                       r"'Ommedorp'\?\)"):  # fmt: skip
        import_map(two_towns, municipality="Omedorp")


def test_older_statcode_files_and_chosen_fields(tmp_path: Path) -> None:
    """statcode/statnaam are read; the kern is the municipality when there is no wijk; other
    property names are taken with --code-field/--name-field."""
    old = write(
        tmp_path / "old.json",
        [feature({"statcode": "BU00010001", "statnaam": "Dorp", "gemeentenaam": "Oud"}, 0, 0)],
        crs=None,
    )
    buurt = read_buurten(old)[0]
    assert (buurt.code, buurt.name, kern_of(buurt)) == ("BU00010001", "Dorp", "Oud")
    own = write(tmp_path / "own.json", [feature({"ID": "X1", "Label": "Hier"}, 0, 0)], crs=None)
    with pytest.raises(MapError, match=r"feature #1 has no buurtcode .*--code-field"):
        read_buurten(own)
    buurt = read_buurten(own, code_field="id", name_field="label")[0]
    assert (buurt.code, buurt.name) == ("X1", "Hier")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("not json", "not GeoJSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "holds no buurten"),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            '{"buurtcode": "BU1", "buurtnaam": "A"}, "geometry": {"type": "Point", '
            '"coordinates": [5, 52]}}]}',
            "feature #1 \\(BU1\\): a buurt must be a Polygon or MultiPolygon, not Point",
        ),
    ],
)
def test_a_file_that_is_no_map_of_buurten_is_one_line(tmp_path: Path, text: str, said: str) -> None:
    """Bad input is named, with the file, and nothing is written."""
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MapError, match=said) as caught:
        import_map(path)
    assert str(path) in str(caught.value)


def test_the_skeleton_is_a_network_file_once_the_regiegroep_is_filled_in(
    two_towns: Path, tmp_path: Path
) -> None:
    """The skeleton loads once [regie] has a chat id: a neighbourhood per buurt, its area,
    its kern from the wijk, adjacency from the borders, the map beside it with only the
    municipality's buurten."""
    found = import_map(two_towns, municipality="GM0999")
    text = skeleton(found, "buurten.geojson", 25)
    assert tomllib.loads(text)["regie"]["chat_id"] == 0  # a TODO that check refuses
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "buurten.geojson").write_text(map_text(found), encoding="utf-8")
    (folder / "network.toml").write_text(text.replace("chat_id = 0", "chat_id = -1001"))
    network = load_network(folder / "network.toml")
    assert network.map_file == folder / "buurten.geojson"
    assert [b.code for b in read_buurten(network.map_file)] == [
        "BU09990001", "BU09990002", "BU09990101"
    ]  # fmt: skip
    hoods = network.neighbourhoods
    assert list(hoods) == ["oude-kern", "nieuwe-es", "buitenland"]
    assert hoods["oude-kern"].areas == ("BU09990001",)
    assert [h.kern for h in hoods.values()] == ["Ommedorp", "Ommedorp", "Veldzicht"]
    assert network.neighbours("nieuwe-es") == ("oude-kern", "buitenland")
    assert network.name == "Ommedorp"


def test_slugs_are_unique_and_never_a_reserved_word(tmp_path: Path) -> None:
    """Two buurten called 'Buitengebied' get -2; a buurt called 'Alle' is not `alle`."""
    path = write(
        tmp_path / "b.json",
        [
            feature({"buurtcode": "B1", "buurtnaam": "Buitengebied"}, 0, 0),
            feature({"buurtcode": "B2", "buurtnaam": "Buitengebied"}, 2000, 0),
            feature({"buurtcode": "B3", "buurtnaam": "Alle"}, 4000, 0),
            feature({"buurtcode": "B4", "buurtnaam": "'t Hôfke"}, 6000, 0),
        ],
    )
    assert slugs_for(read_buurten(path)) == [
        "buitengebied",
        "buitengebied-2",
        "alle-buurt",
        "t-hofke",
    ]
