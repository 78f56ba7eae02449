"""Shared borders: which buurten are neighbours, and over how many metres.

Two buurten share a border where their boundaries run together; its length in metres is what
counts: the length of one boundary that lies within ``TOLERANCE_M`` of the other. The tolerance
absorbs what rounding does to a map (coordinates in degrees cut to 7 decimals, a vertex of one
buurt a hair off its neighbour's edge), which would otherwise break a shared edge into points.
A corner touch is then a few decimetres at most, and never a border: nothing shorter than
``CORNER_M`` counts. A multipolygon's islands and a polygon's holes are part of its boundary (a
buurt inside another's hole borders it all round). Candidate pairs come from an STRtree, so a
national map is not compared pair by pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

DEFAULT_MIN_BORDER_M = 25.0
TOLERANCE_M = 0.1
CORNER_M = 1.0  # no border is shorter: two edges leaving a shared corner, within the tolerance


@dataclass(frozen=True)
class Border:
    """A border between the shapes at positions ``a`` < ``b``: ``metres`` long."""

    a: int
    b: int
    metres: float


def shared_borders(shapes: Sequence[BaseGeometry], min_border: float = 0.0) -> list[Border]:
    """Every pair of shapes whose boundaries run together for at least ``min_border`` metres
    (and at least ``CORNER_M``), ordered by ``a`` then ``b``."""
    geoms = np.asarray(shapes, dtype=object)
    if len(geoms) < 2:
        return []
    # candidates: bounding boxes (grown by the tolerance) that meet; a predicate on the shapes
    # themselves would cost more than measuring the few pairs whose boxes meet but not they
    bounds = shapely.bounds(geoms) + np.array(
        [-TOLERANCE_M, -TOLERANCE_M, TOLERANCE_M, TOLERANCE_M]
    )
    left, right = shapely.STRtree(geoms).query(shapely.box(*bounds.T))
    keep = left < right
    left, right = left[keep], right[keep]
    rims = shapely.boundary(geoms)
    bands = shapely.buffer(rims, TOLERANCE_M, quad_segs=1)
    lengths = shapely.length(shapely.intersection(rims[left], bands[right]))
    found = lengths >= max(min_border, CORNER_M)
    order = np.lexsort((right[found], left[found]))
    return [
        Border(int(a), int(b), float(m))
        for a, b, m in zip(
            left[found][order], right[found][order], lengths[found][order], strict=True
        )
    ]
