"""A network file skeleton from the groups `relaybot discover` found.

Pure text: each group becomes a ``[[neighbourhood]]`` entry with its chat id; a group whose
title says it is the regiegroep or the coordinators' group is put there. The operator then
fills in the kernen and the adjacency (the comments say what to edit) and runs
`relaybot check`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

# words that name a kind of group rather than the neighbourhood
_NOISE = {"buurtpreventie", "buurtapp", "buurt", "whatsapp", "groep", "bp", "wabp", "preventie"}


@dataclass(frozen=True)
class Group:
    chat_id: int
    title: str


def slugify(title: str) -> str:
    """'Buurtpreventie Goor-Oost' -> 'goor-oost' (lowercase letters, digits and '-')."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z0-9]+", plain) if w]
    kept = [w for w in words if w not in _NOISE] or words
    return "-".join(kept) or "groep"


def _is_regie(title: str) -> bool:
    return "regie" in title.lower()


def _is_coordinators(title: str) -> bool:
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return "coordinat" in plain or "beheerders" in plain


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def skeleton(groups: list[Group], name: str = "Mijn netwerk") -> str:
    """The network file text for these groups (in the order they were found)."""
    regie = next((g for g in groups if _is_regie(g.title)), None)
    coordinators = next((g for g in groups if g is not regie and _is_coordinators(g.title)), None)
    hoods = [g for g in groups if g is not regie and g is not coordinators]
    lines = [
        "# relaybot network file, written by `relaybot discover`.",
        "#",
        "# Edit before use:",
        "#  - [network] name: the name of your network;",
        "#  - [regie] chat_id: the regiegroep (discover guessed it from the group titles);",
        "#  - per neighbourhood: slug (short name), name, kern (village or town) and adjacent",
        "#    (the slugs of neighbouring neighbourhoods; one direction is enough);",
        "#  - remove groups that are not part of the network.",
        "# Then run:  relaybot check   (config/network.example.toml shows every option)",
        "",
        "[network]",
        f"name = {_toml(name)}",
        'timezone = "Europe/Amsterdam"',
        "",
        "[regie]",
    ]
    if regie is not None:
        lines += [f"chat_id = {regie.chat_id}  # {regie.title}"]
    else:
        lines += [
            "# no group title says 'regie': put the regiegroep's chat id here",
            "chat_id = 0",
        ]
    if coordinators is not None:
        lines += ["", "[coordinators]", f"chat_id = {coordinators.chat_id}  # {coordinators.title}"]
    used: set[str] = set()
    for group in hoods:
        slug = base = slugify(group.title)
        n = 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        lines += [
            "",
            "[[neighbourhood]]",
            f"slug = {_toml(slug)}",
            f"name = {_toml(group.title)}",
            'kern = "TODO"                      # the village or town',
            f"chat_id = {group.chat_id}",
            "adjacent = []                      # slugs of neighbouring neighbourhoods",
        ]
    return "\n".join(lines) + "\n"
