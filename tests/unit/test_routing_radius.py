"""A located alert: with alert_radius_m set, every neighbourhood whose area lies within that
distance of the point also receives it, beyond adjacency, and no farther (pure routing, from
inline TOML and the distances the map measured)."""

from __future__ import annotations

from pathlib import Path

from relaybot.domain.chats import Directory
from relaybot.domain.routing import radius_targets, tag_targets
from relaybot.geo.areamap import AreaMap, neighbourhoods_near
from relaybot.network_file import load_network, parse_network
from tests.unit.test_coverage_map import SAMPLE, proefdorp
from tests.unit.test_geo_areamap import at
from tests.unit.test_routing import (
    DELDEN,
    GOOR_OOST,
    GOOR_WEST,
    MARKELO_NOORD,
    MARKELO_ZUID,
    NETWORK,
    REGIE,
)


def directory(radius: float, auto: bool = True) -> Directory:
    text = NETWORK.replace("{auto}", "true" if auto else "false")
    text = text.replace("[policy]\n", f"[policy]\nalert_radius_m = {radius}\n")
    return Directory(parse_network(text))


# distances from a point in goor-oost to the neighbourhoods' areas, as the map would give them
NEAR = {"goor-oost": 0.0, "goor-west": 300.0, "markelo-zuid": 900.0, "delden-stad": 2500.0}


def test_the_radius_adds_the_neighbourhoods_within_it_and_says_which() -> None:
    """1 km: markelo-zuid (900 m) is added beside the adjacent goor-west; delden-stad at
    2.5 km is not; the source itself never is; by_radius names only markelo-zuid."""
    targets = tag_targets(directory(1000), "goor-oost", NEAR)
    assert targets.chats == (REGIE, GOOR_WEST, MARKELO_ZUID)
    assert targets.by_radius == ("markelo-zuid",)


def test_no_radius_or_no_point_is_adjacency_as_before() -> None:
    """alert_radius_m = 0 (the default), or an alert without a point: adjacency only."""
    assert tag_targets(directory(0), "goor-oost", NEAR).chats == (REGIE, GOOR_WEST)
    assert tag_targets(directory(5000), "goor-oost").chats == (REGIE, GOOR_WEST)
    assert tag_targets(directory(5000), "goor-oost", NEAR).chats == (
        REGIE, GOOR_WEST, MARKELO_ZUID, DELDEN
    )  # fmt: skip


def test_the_radius_reaches_even_with_auto_forward_off() -> None:
    """With adjacency switched off, the radius alone decides who is near enough."""
    targets = tag_targets(directory(1000, auto=False), "goor-oost", NEAR)
    assert targets.chats == (REGIE, GOOR_WEST, MARKELO_ZUID)
    assert targets.by_radius == ("goor-west", "markelo-zuid")
    assert MARKELO_NOORD not in targets.chats


def test_a_follow_up_with_a_place_adds_only_the_chats_within_the_radius_not_holding_it() -> None:
    """A follow-up's point: 1 km reaches goor-west (300 m) and markelo-zuid (900 m); the
    chats that hold the incident already (the source, goor-west) are not sent it again, and
    the radius off adds nobody."""
    holding = (REGIE, GOOR_WEST, GOOR_OOST)
    targets = radius_targets(directory(1000), NEAR, holding)
    assert targets.chats == (MARKELO_ZUID,)
    assert targets.by_radius == ("markelo-zuid",)
    assert radius_targets(directory(0), NEAR, holding).chats == ()


def test_distances_from_the_map_per_neighbourhood(tmp_path: Path) -> None:
    """From the middle of Heivelden, 600 m reaches Heivelden (0 m), Centrum, Zuideres and
    Esdoorn (500 m each); the corner buurten at 707 m are outside."""
    network = load_network(proefdorp(tmp_path))
    near = neighbourhoods_near(AreaMap.read(SAMPLE), network, *at(500, 1500), 600)
    assert {slug: round(m) for slug, m in near.items()} == {
        "heivelden": 0, "centrum": 500, "zuideres": 500, "esdoorn": 500
    }  # fmt: skip
