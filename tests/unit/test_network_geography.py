"""The network file's geography: [map] file, a neighbourhood's area or areas."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaybot.network_file import NetworkError, load_network, parse_network

HEAD = """
[network]
name = "Proefdorp"
[regie]
chat_id = -1001
"""


def hood(slug: str, extra: str = "") -> str:
    return f'\n[[neighbourhood]]\nslug = "{slug}"\nname = "{slug}"\nkern = "Dorp"\n{extra}\n'


def test_area_and_areas_become_the_neighbourhoods_buurt_codes() -> None:
    """`area` is one code, `areas` a list; both read as the neighbourhood's areas, and the
    network says which neighbourhood covers a buurt."""
    network = parse_network(
        HEAD + hood("a", 'area = "BU1"') + hood("b", 'areas = ["BU2", "BU3"]') + hood("c")
    )
    assert network.neighbourhoods["a"].areas == ("BU1",)
    assert network.neighbourhoods["c"].areas == ()
    assert network.by_area() == {"BU1": "a", "BU2": "b", "BU3": "b"}
    assert network.map_file is None


@pytest.mark.parametrize(
    ("entries", "said"),
    [
        (hood("a", 'area = "BU1"\nareas = ["BU2"]'), r"give either area \(one buurt\) or areas"),
        (hood("a", 'area = "BU1"') + hood("b", 'areas = ["BU1"]'), "area 'BU1' is also 'a''s"),
        (hood("a", 'areas = [""]'), "must not be empty"),
    ],
)
def test_areas_given_twice_or_empty_are_refused(entries: str, said: str) -> None:
    """A buurt belongs to one neighbourhood, given one way; the error names the entry."""
    with pytest.raises(NetworkError, match=said) as caught:
        parse_network(HEAD + entries)
    assert "neighbourhood" in str(caught.value)


def test_the_map_file_is_found_beside_the_network_file(tmp_path: Path) -> None:
    """[map] file is relative to the network file; a map that is not there is one line."""
    network_file = tmp_path / "network.toml"
    network_file.write_text(HEAD + '[map]\nfile = "buurten.geojson"\n' + hood("a"))
    with pytest.raises(NetworkError, match=r"\[map\]\.file: no map at .*buurten\.geojson"):
        load_network(network_file)
    (tmp_path / "buurten.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    assert load_network(network_file).map_file == tmp_path / "buurten.geojson"


def test_an_unknown_key_in_map_is_named() -> None:
    """A typo in [map] gets the key it probably meant."""
    with pytest.raises(NetworkError, match=r"\[map\]: unknown key 'fiel' \(did you mean 'file'"):
        parse_network(HEAD + '[map]\nfiel = "x"\n')
