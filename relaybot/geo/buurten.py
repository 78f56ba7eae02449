"""Reading buurten from a GeoJSON FeatureCollection.

CBS publishes the *wijk- en buurtkaart* through PDOK in RD New metres (EPSG:28992), with the
property names ``buurtcode``, ``buurtnaam``, ``wijkcode``, ``wijknaam``, ``gemeentecode`` and
``gemeentenaam``; older files say ``statcode``/``statnaam`` (and the shapefiles' ``bu_code``,
``bu_naam``, ``wk_naam``, ``gm_code``, ``gm_naam``). RFC 7946 GeoJSON is WGS84 degrees. Both are
read; the coordinates become RD New metres through pyproj (the standard for coordinate
reference systems: EPSG's own definition of RD New, no home-made formula to get wrong).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from relaybot.geo.errors import MapError

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"

# property names, first match wins (compared ignoring case)
CODE_FIELDS = ("buurtcode", "statcode", "bu_code")
NAME_FIELDS = ("buurtnaam", "statnaam", "bu_naam")
WIJK_FIELDS = ("wijknaam", "wk_naam")
WIJK_CODE_FIELDS = ("wijkcode", "wk_code")
GEMEENTE_CODE_FIELDS = ("gemeentecode", "gm_code")
GEMEENTE_FIELDS = ("gemeentenaam", "gm_naam")


@dataclass(frozen=True)
class Buurt:
    """One buurt: its CBS code and name, its wijk and municipality, its shape in RD metres."""

    code: str
    name: str
    wijk: str  # the wijk's name ("" when the file has none)
    gemeente_code: str  # "GM0753" ("" when the file has none)
    gemeente: str
    shape: BaseGeometry


@cache
def to_rd() -> Transformer:
    """WGS84 (longitude, latitude) -> RD New (x, y) metres."""
    return Transformer.from_crs(WGS84, RD_NEW, always_xy=True)


def project_point(lat: float, lon: float) -> tuple[float, float]:
    """A WGS84 point (as Telegram sends it) in RD New metres."""
    x, y = to_rd().transform(lon, lat)
    return float(x), float(y)


@dataclass(frozen=True)
class Collection:
    """A GeoJSON FeatureCollection as read: its features, whether they are in RD New metres,
    and its ``crs`` member (None when it has none)."""

    features: list[Any]
    rd: bool
    crs: Any


def read_collection(path: Path) -> Collection:
    data = _load(path)
    features = data.get("features")
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise MapError(f"{path}: not a GeoJSON FeatureCollection")
    return Collection(features, _is_rd(data, features), data.get("crs"))


def read_buurten(
    path: Path, code_field: str | None = None, name_field: str | None = None
) -> list[Buurt]:
    """Every feature of the GeoJSON file at ``path`` as a :class:`Buurt` (file order)."""
    found = read_collection(path)
    return parse_features(found.features, found.rd, path, code_field, name_field)


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise MapError(f"{path}: no such file") from None
    except OSError as error:
        raise MapError(f"{path}: cannot be read ({error.strerror or error})") from None
    except (ValueError, RecursionError) as error:
        raise MapError(f"{path}: not GeoJSON ({error})") from None
    if not isinstance(data, dict):
        raise MapError(f"{path}: not a GeoJSON FeatureCollection")
    return data


def _is_rd(data: dict[str, Any], features: list[Any]) -> bool:
    """RD New when the file says so (the ``crs`` member PDOK writes) or when its coordinates
    are plainly metres rather than degrees."""
    crs = data.get("crs")
    name = str(crs.get("properties", {}).get("name", "")) if isinstance(crs, dict) else ""
    if name:
        return name.endswith("28992")
    for feature in features[:50]:
        first = _first_position(feature.get("geometry") if isinstance(feature, dict) else None)
        if first is not None:
            return abs(first[0]) > 180 or abs(first[1]) > 90
    return False


def _first_position(geometry: Any) -> Sequence[float] | None:
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    while isinstance(coords, list) and coords and isinstance(coords[0], list):
        coords = coords[0]
    numbers = isinstance(coords, list) and len(coords) >= 2
    if numbers and all(isinstance(c, int | float) for c in coords[:2]):
        return coords
    return None


def parse_features(
    features: list[Any],
    rd: bool,
    source: Path | str,
    code_field: str | None = None,
    name_field: str | None = None,
) -> list[Buurt]:
    """The features as buurten; a feature without a code, a name or an area is an error
    naming it (the operator chooses the fields with --code-field/--name-field)."""
    rows: list[tuple[str, str, str, str, str]] = []
    geometries: list[Any] = []
    for number, feature in enumerate(features, start=1):
        props = _properties(feature)
        code = _field(props, (code_field,) if code_field else CODE_FIELDS)
        name = _field(props, (name_field,) if name_field else NAME_FIELDS)
        if not code:
            wanted = code_field or "buurtcode (or statcode)"
            raise MapError(f"{source}: feature #{number} has no {wanted}; see --code-field")
        if not name:
            wanted = name_field or "buurtnaam (or statnaam)"
            raise MapError(
                f"{source}: feature #{number} ({code}) has no {wanted}; see --name-field"
            )
        wijk = _field(props, WIJK_FIELDS) or _field(props, WIJK_CODE_FIELDS)
        rows.append((code, name, wijk, *municipality_of(props)))
        geometries.append(_shape(feature.get("geometry"), f"{source}: feature #{number} ({code})"))
    shapes = np.array(geometries, dtype=object)
    if not rd and len(shapes):
        shapes = shapely.transform(shapes, _degrees_to_rd)
    shapes = _valid(shapes)
    return [
        Buurt(code, name, wijk, gm_code, gemeente, shape)
        for (code, name, wijk, gm_code, gemeente), shape in zip(rows, shapes, strict=True)
    ]


def _properties(feature: Any) -> dict[str, Any]:
    """A feature's properties, their names in lower case."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    return {str(k).casefold(): v for k, v in (props if isinstance(props, dict) else {}).items()}


def municipality_of(props: dict[str, Any]) -> tuple[str, str]:
    """The municipality's code ('GM0753', or '') and name in a feature's properties."""
    return _gemeente_code(_field(props, GEMEENTE_CODE_FIELDS)), _field(props, GEMEENTE_FIELDS)


def feature_municipality(feature: Any) -> tuple[str, str]:
    return municipality_of(_properties(feature))


def _field(props: dict[str, Any], names: Iterable[str]) -> str:
    for name in names:
        value = props.get(name.casefold())
        if value is not None and str(value).strip():
            return " ".join(str(value).split())
    return ""


def _gemeente_code(value: str) -> str:
    """'753', '0753' and 'GM0753' are all 'GM0753'."""
    return municipality_code(value) or value


def municipality_code(value: str) -> str | None:
    """A municipality code as CBS writes it ('GM0753'), or None when ``value`` is no code."""
    match = re.fullmatch(r"(?:gm)?\s*(\d{1,4})", value.strip(), re.IGNORECASE)
    return f"GM{int(match.group(1)):04d}" if match else None


def _shape(geometry: Any, where: str) -> BaseGeometry:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else "no geometry"
        raise MapError(f"{where}: a buurt must be a Polygon or MultiPolygon, not {kind}")
    try:
        return shapely.geometry.shape(geometry)
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException):
        raise MapError(f"{where}: its coordinates are not a polygon") from None


def _degrees_to_rd(coords: np.ndarray) -> np.ndarray:
    x, y = to_rd().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _valid(shapes: np.ndarray) -> np.ndarray:
    """Shapes GEOS can measure: a self-touching ring (common in generalised maps) is
    repaired, as GIS tools do, rather than refused."""
    bad = ~shapely.is_valid(shapes)
    if bad.any():
        shapes = shapes.copy()
        shapes[bad] = shapely.make_valid(shapes[bad])
    return shapes
