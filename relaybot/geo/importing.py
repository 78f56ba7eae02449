"""`relaybot map import`: a network file skeleton from a municipality's buurten.

One ``[[neighbourhood]]`` per buurt: a slug made from its name, the name, ``area`` its CBS code,
``kern`` its wijk (without CBS's "Wijk 01 " numbering; the municipality when the file has no
wijk) and ``adjacent`` every buurt it shares at least ``min_border`` metres of border with. The
chosen buurten are written beside the skeleton as the network's ``[map] file``.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relaybot.geo.borders import Border, shared_borders
from relaybot.geo.buurten import (
    Buurt,
    feature_municipality,
    municipality_code,
    parse_features,
    read_collection,
)
from relaybot.geo.errors import MapError
from relaybot.network_file import RESERVED_SLUGS
from relaybot.skeleton import network_table, toml_text


@dataclass(frozen=True)
class Imported:
    """What an import found: the buurten kept (file order), their borders and the file's
    own features for them (written out as the map)."""

    buurten: list[Buurt]
    borders: list[Border]
    features: list[Any] | None  # the kept features; None: all of the file's
    crs: Any  # the file's `crs` member, kept with its coordinates (None: WGS84)

    @property
    def kernen(self) -> list[str]:
        return list(dict.fromkeys(kern_of(b) for b in self.buurten))


def import_map(
    path: Path,
    municipality: str | None = None,
    min_border: float = 25.0,
    code_field: str | None = None,
    name_field: str | None = None,
) -> Imported:
    """Read the GeoJSON at ``path``, keep one municipality's buurten when asked, and find
    their shared borders. ``features`` holds the kept features only when some were left out
    (the whole file is copied as it is otherwise)."""
    collection = read_collection(path)
    features = collection.features
    kept: list[Any] | None = None
    if municipality is not None:
        kept = features = _one_municipality(features, municipality, path)
    buurten = parse_features(features, collection.rd, path, code_field, name_field)
    crs = collection.crs
    del collection, features  # the parsed JSON: most of the memory a national map takes
    if not buurten:
        raise MapError(f"{path}: holds no buurten")
    _unique_codes(buurten, path)
    borders = shared_borders([b.shape for b in buurten], min_border)
    return Imported(buurten, borders, kept, crs)


def _one_municipality(features: list[Any], wanted: str, path: Path) -> list[Any]:
    places = [feature_municipality(f) for f in features]
    code = municipality_code(wanted)
    if code is not None:
        kept = [f for f, (gm, _) in zip(features, places, strict=True) if gm == code]
    else:
        name = wanted.strip().casefold()
        kept = [f for f, (_, gm) in zip(features, places, strict=True) if gm.casefold() == name]
    if kept:
        return kept
    names = sorted({name for _, name in places if name})
    hint = difflib.get_close_matches(wanted, names, n=1)
    guess = f" (did you mean {hint[0]!r}?)" if hint else ""
    if not any(gm or name for gm, name in places):
        guess = " (the file names no municipality: leave out --municipality)"
    raise MapError(f"{path}: no buurten of municipality {wanted!r}{guess}")


def _unique_codes(buurten: Sequence[Buurt], path: Path) -> None:
    seen: set[str] = set()
    for buurt in buurten:
        if buurt.code in seen:
            raise MapError(f"{path}: buurt code {buurt.code!r} appears twice")
        seen.add(buurt.code)


_WIJK_NUMBER = re.compile(r"^wijk\s+\d+\s*[:\-–]?\s*", re.IGNORECASE)


def kern_of(buurt: Buurt) -> str:
    """'Wijk 01 Goor' -> 'Goor'; the municipality when the file names no wijk."""
    wijk = _WIJK_NUMBER.sub("", buurt.wijk).strip() or buurt.wijk
    return wijk or buurt.gemeente or "TODO"


def slugs_for(buurten: Sequence[Buurt]) -> list[str]:
    """A slug per buurt from its name, unique (a second 'Buitengebied' is '...-2')."""
    used: set[str] = set()
    slugs = []
    for buurt in buurten:
        plain = unicodedata.normalize("NFKD", buurt.name).encode("ascii", "ignore").decode()
        base = "-".join(w for w in re.split(r"[^a-z0-9]+", plain.lower()) if w) or "buurt"
        if base in RESERVED_SLUGS:
            base = f"{base}-buurt"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        slugs.append(slug)
    return slugs


def skeleton(found: Imported, map_name: str, min_border: float) -> str:
    """The network file text for the imported buurten; ``map_name`` the map file's name
    beside it."""
    slugs = slugs_for(found.buurten)
    adjacent: dict[int, list[tuple[int, float]]] = {i: [] for i in range(len(slugs))}
    for border in found.borders:
        adjacent[border.a].append((border.b, border.metres))
        adjacent[border.b].append((border.a, border.metres))
    name = next((b.gemeente for b in found.buurten if b.gemeente), "Mijn netwerk")
    lines = [
        "# relaybot network file, written by `relaybot map import`.",
        "#",
        "# Edit before use:",
        "#  - [regie] chat_id: the regiegroep (it receives every sign-up card, with names,",
        "#    addresses and phone numbers); `relaybot discover` lists your groups' chat ids;",
        "#  - per neighbourhood: chat_id when its group exists (or /koppel it later); merge",
        "#    buurten into one neighbourhood with areas = [...] and one slug;",
        f"#  - adjacent: buurten sharing at least {min_border:g} m of border (a corner is none).",
        "# Then run:  relaybot check",
        "",
        *network_table(name),
        "# TODO: the regiegroep's chat id (`relaybot check` refuses 0)",
        "chat_id = 0",
        "",
        "[map]",
        f"file = {toml_text(map_name)}",
    ]
    for index, (buurt, slug) in enumerate(zip(found.buurten, slugs, strict=True)):
        near = sorted(adjacent[index])
        lines += [
            "",
            "[[neighbourhood]]",
            f"slug = {toml_text(slug)}",
            f"name = {toml_text(buurt.name)}",
            f"kern = {toml_text(kern_of(buurt))}",
            f"area = {toml_text(buurt.code)}",
            f"adjacent = [{', '.join(toml_text(slugs[i]) for i, _ in near)}]",
        ]
        if near:
            lines.append("# borders: " + ", ".join(f"{slugs[i]} {m:.0f} m" for i, m in near))
    return "\n".join(lines) + "\n"


def map_text(found: Imported) -> str:
    """The kept features as a GeoJSON FeatureCollection, coordinates as the file had them."""
    assert found.features is not None, "nothing was left out: copy the file"
    data: dict[str, Any] = {"type": "FeatureCollection"}
    if found.crs is not None:
        data["crs"] = found.crs
    data["features"] = found.features
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
