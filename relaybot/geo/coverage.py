"""The coverage map: every buurt of the map in its state, as an inline SVG and a table.

A buurt's state is its neighbourhood's: a linked group that was active within
``inactive_days`` ("active"), a linked group that has been quiet longer ("quiet"), or no group
("none": no neighbourhood covers the buurt, or its neighbourhood has no chat yet). The SVG is
drawn from the shapes in RD New metres (north up), simplified to about a pixel; each buurt is a
``<path>`` with its name and state in a ``<title>`` (shown on hover). No script: the page and
the report keep their Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

from relaybot.domain.network import Network
from relaybot.geo.areamap import AreaMap

WIDTH = 640.0  # the SVG's width in its own units; it scales with the page
STATES = ("active", "quiet", "none")


@dataclass(frozen=True)
class Place:
    """One buurt on the page."""

    code: str
    name: str
    hood: str  # the neighbourhood's name ("" when none covers it)
    state: str  # one of STATES
    incidents: int | None = None  # raised there in the period (None: not asked, or public)
    chat_id: int | None = None  # None on a public page


def places(
    area_map: AreaMap,
    network: Network,
    chats: Mapping[str, int],
    inactive: Mapping[str, bool],
    incidents: Mapping[str, int] | None = None,
    public: bool = False,
) -> list[Place]:
    """The buurten in map order with their state. ``chats``: slug -> chat id (from the file
    or linked with /koppel); ``inactive``: slug -> quiet longer than inactive_days;
    ``incidents``: slug -> incidents raised (ignored when ``public``)."""
    owner = network.by_area()
    found = []
    for code, buurt in area_map.buurten.items():
        slug = owner.get(code)
        chat = chats.get(slug) if slug is not None else None
        state = "none" if chat is None else "quiet" if inactive.get(slug, False) else "active"
        hood = network.neighbourhoods[slug].name if slug is not None else ""
        count = None if public or incidents is None or slug is None else incidents.get(slug, 0)
        found.append(Place(code, buurt.name, hood, state, count, None if public else chat))
    return found


def svg(area_map: AreaMap, shown: list[Place], titles: Mapping[str, str]) -> str:
    """The buurten as one ``<svg>``; ``titles``: state -> its words for the hover text."""
    shapes = [area_map.buurten[p.code].shape for p in shown]
    if not shapes:
        return ""
    x0, y0, x1, y1 = shapely.total_bounds(shapes).tolist()
    scale = WIDTH / max(x1 - x0, y1 - y0, 1.0)
    height = (y1 - y0) * scale
    paths = []
    for place, shape in zip(shown, shapes, strict=True):
        outline = _path(shapely.simplify(shape, 0.8 / scale), x0, y1, scale)
        named = f"{place.name} · {place.hood}" if place.hood not in ("", place.name) else place.name
        title = _escape(f"{named}: {titles[place.state]}")
        paths.append(
            f'<path class="buurt {place.state}" data-code="{_escape(place.code)}" '
            f'd="{outline}"><title>{title}</title></path>'
        )
    return (
        f'<svg class="map" viewBox="0 0 {WIDTH:.0f} {height:.0f}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">' + "".join(paths) + "</svg>"
    )


def _path(shape: BaseGeometry, x0: float, top: float, scale: float) -> str:
    rings = []
    for polygon in shapely.get_parts(shape):
        if polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = [
                f"{(x - x0) * scale:.1f} {(top - y) * scale:.1f}" for x, y in ring.coords[:-1]
            ]
            rings.append("M" + " L".join(points) + "Z")
    return "".join(rings)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
