"""`relaybot check` with a map: the network's areas against the buurten and their borders.

An area code the map does not hold is a problem (the file is wrong). A border is a warning
either way: two neighbourhoods whose buurten share at least ``min_border`` metres but are not
adjacent (an alert would not reach the street next door), or two adjacent neighbourhoods that
share none (perhaps on purpose: a road between them that residents cross).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from relaybot.domain.network import Network
from relaybot.geo.areamap import AreaMap
from relaybot.geo.borders import DEFAULT_MIN_BORDER_M, shared_borders


@dataclass
class MapCheck:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: str = ""


def check_map(
    network: Network, area_map: AreaMap, min_border: float = DEFAULT_MIN_BORDER_M
) -> MapCheck:
    result = MapCheck()
    owner = network.by_area()
    for hood in network.neighbourhoods.values():
        for code in hood.areas:
            if code not in area_map.buurten:
                result.problems.append(
                    f"neighbourhood {hood.slug!r}: area {code!r} is not in the map "
                    f"{area_map.source}"
                )
    covered = [b for code, b in area_map.buurten.items() if code in owner]
    shared: dict[tuple[str, str], float] = {}
    for border in shared_borders([b.shape for b in covered]):
        one, other = owner[covered[border.a].code], owner[covered[border.b].code]
        if one != other:
            pair = (one, other) if one < other else (other, one)
            shared[pair] = shared.get(pair, 0.0) + border.metres
    for (one, other), metres in sorted(shared.items()):
        if metres >= min_border and other not in network.neighbours(one):
            result.warnings.append(
                f"{one} and {other} share {metres:.0f} m of border but are not adjacent"
            )
    with_areas = [slug for slug, hood in network.neighbourhoods.items() if hood.areas]
    for one in with_areas:
        for other in network.neighbours(one):
            pair = (one, other)
            if one < other and network.neighbourhoods[other].areas:
                metres = shared.get(pair, 0.0)
                if metres < min_border:
                    length = f" (only {metres:.0f} m)" if metres else ""
                    result.warnings.append(
                        f"{one} and {other} are adjacent but share no border{length}"
                    )
    loose = len(area_map.buurten) - len(covered)
    result.summary = (
        f"Map: {area_map.source}, {len(area_map.buurten)} buurten, {len(covered)} in "
        f"neighbourhoods, {loose} in none; {len(with_areas)} of "
        f"{len(network.neighbourhoods)} neighbourhoods have areas"
    )
    return result
