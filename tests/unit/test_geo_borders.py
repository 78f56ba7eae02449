"""The border rule: two buurten are adjacent when their boundaries share a line of at least
the minimum length; a corner is no border; islands and holes are boundary too."""

from __future__ import annotations

import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from relaybot.geo.borders import shared_borders


def metres(shapes: list, min_border: float = 25) -> dict[tuple[int, int], int]:
    return {(b.a, b.b): round(b.metres) for b in shared_borders(shapes, min_border)}


def test_two_buurten_side_by_side_share_the_length_of_their_common_edge() -> None:
    """Squares of 100 m side by side share 100 m; a buurt further on shares nothing."""
    assert metres([box(0, 0, 100, 100), box(100, 0, 200, 100), box(300, 0, 400, 100)]) == {
        (0, 1): 100
    }


def test_a_corner_touch_is_no_border_even_with_no_minimum() -> None:
    """Diagonal neighbours meet in one point: not adjacent, whatever --min-border says."""
    assert metres([box(0, 0, 100, 100), box(100, 100, 200, 200)], min_border=0) == {}


def test_a_border_shorter_than_the_minimum_does_not_count() -> None:
    """10 m of shared border is below the default 25 m, and counts with a lower minimum."""
    shapes = [box(0, 0, 100, 100), box(100, 90, 200, 190)]
    assert metres(shapes) == {}
    assert metres(shapes, min_border=5) == {(0, 1): 10}


def test_an_edge_split_differently_on_each_side_is_still_one_border() -> None:
    """One side has a vertex halfway along the shared edge, the other none, and a vertex is
    a hair (2 cm) off the line, as rounding leaves it: still 100 m of border."""
    left = Polygon([(0, 0), (100, 0), (100.02, 50), (100, 100), (0, 100)])
    assert metres([left, box(100, 0, 200, 100)]) == {(0, 1): 100}


def test_an_island_of_a_multipolygon_borders_what_it_touches() -> None:
    """A buurt whose second part lies far off shares a border with its neighbour there, and
    none with what only its main part is near."""
    main_part, island = box(0, 0, 100, 100), box(500, 0, 560, 60)
    shapes = [MultiPolygon([main_part, island]), box(560, 0, 700, 100), box(150, 0, 250, 100)]
    assert metres(shapes) == {(0, 1): 60}


def test_a_buurt_in_a_hole_borders_the_buurt_around_it_all_round() -> None:
    """A park filling a hole in the centre shares the hole's whole rim (4 x 200 m); a buurt
    beside the centre borders it and not the park."""
    hole = [(400, 400), (600, 400), (600, 600), (400, 600)]
    centre = Polygon([(0, 0), (1000, 0), (1000, 1000), (0, 1000)], [hole])
    shapes = [centre, box(400, 400, 600, 600), box(1000, 0, 2000, 1000)]
    assert metres(shapes) == {(0, 1): 800, (0, 2): 1000}


def test_a_hole_left_empty_borders_nothing() -> None:
    """An empty hole is no neighbour: a buurt beyond it, not touching, shares nothing."""
    hole = [(400, 400), (600, 400), (600, 600), (400, 600)]
    centre = Polygon([(0, 0), (1000, 0), (1000, 1000), (0, 1000)], [hole])
    assert metres([centre, box(2000, 0, 3000, 1000)]) == {}
    assert shapely.area(centre) == 1_000_000 - 40_000
