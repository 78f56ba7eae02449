"""A map of buurten held for lookups: which buurt holds a point, which lie within a distance.

Both are one query of an STRtree over the shapes (RD New metres); a WGS84 point, as Telegram
sends it, is projected first. A point on the border of two buurten is placed in the first of
them in file order, so the answer does not change from one run to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import numpy as np
import shapely

from relaybot.domain.network import Network
from relaybot.geo.buurten import Buurt, project_point, read_buurten


class AreaMap:
    """The buurten of a map file, by code, with a spatial index."""

    def __init__(self, buurten: Sequence[Buurt], source: Path | str = "<map>") -> None:
        self.source = Path(source)
        self.buurten: Mapping[str, Buurt] = MappingProxyType({b.code: b for b in buurten})
        self._codes = np.array([b.code for b in buurten], dtype=object)
        self._shapes = np.array([b.shape for b in buurten], dtype=object)
        self._tree = shapely.STRtree(self._shapes)

    @classmethod
    def read(cls, path: Path) -> AreaMap:
        return cls(read_buurten(path), path)

    def locate(self, lat: float, lon: float) -> Buurt | None:
        """The buurt that holds the WGS84 point (on a border: the first in file order)."""
        point = shapely.Point(project_point(lat, lon))
        hits = self._tree.query(point, predicate="intersects")
        if len(hits) == 0:
            return None
        return self.buurten[self._codes[int(hits.min())]]

    def within(self, lat: float, lon: float, metres: float) -> dict[str, float]:
        """Buurt code -> distance in metres from the WGS84 point (0 inside), for every buurt
        whose area lies within ``metres`` of it, nearest first."""
        point = shapely.Point(project_point(lat, lon))
        hits = self._tree.query(point, predicate="dwithin", distance=metres)
        distances = shapely.distance(self._shapes[hits], point)
        pairs = sorted(zip(distances.tolist(), self._codes[hits].tolist(), strict=True))
        return {code: distance for distance, code in pairs}


def slug_locator(area_map: AreaMap, network: Network) -> Callable[[float, float], str | None]:
    """A WGS84 point -> the slug of the neighbourhood whose area holds it (None: none). The
    point is used and forgotten: nothing of it is kept or logged."""
    owner = network.by_area()

    def area_of(lat: float, lon: float) -> str | None:
        buurt = area_map.locate(lat, lon)
        return owner.get(buurt.code) if buurt is not None else None

    return area_of


def neighbourhoods_near(
    area_map: AreaMap, network: Network, lat: float, lon: float, metres: float
) -> dict[str, float]:
    """Slug -> metres from the WGS84 point to the nearest of its areas, for every
    neighbourhood with an area within ``metres`` (what routing's ``near`` takes)."""
    owner = network.by_area()
    found: dict[str, float] = {}
    for code, distance in area_map.within(lat, lon, metres).items():
        slug = owner.get(code)
        if slug is not None and distance < found.get(slug, float("inf")):
            found[slug] = distance
    return found
