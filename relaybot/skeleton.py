"""A network file skeleton from the groups `relaybot discover` found.

Pure text: each group becomes a ``[[neighbourhood]]`` entry with its chat id, its name the
title without a leading "Buurtpreventie " (or a like word for the kind of group); a group whose
title says it is the coordinators' group is put there. The regiegroep receives every sign-up
card (names, addresses, phone numbers), so it is never guessed: the caller says which group
it is (`relaybot discover` takes the one group whose title says "regie", or asks), else the
file holds a TODO that `relaybot check` refuses. Titles are anyone's to choose: control
characters and line breaks are taken out before they reach the file or the terminal. The
operator then fills in the kernen and the adjacency (the comments say what to edit) and runs
`relaybot check`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from relaybot.network_file import is_control

# words that name a kind of group rather than the neighbourhood
_NOISE = {"buurtpreventie", "buurtapp", "buurt", "whatsapp", "groep", "bp", "wabp", "preventie"}
# of those, the ones a name starts with that say only what kind of group it is
_KIND = re.compile(
    r"^(?:(?:buurtpreventie|buurtapp|whatsapp|wabp|bp|preventie)\b[\s:|·\-–—]*)+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Group:
    chat_id: int
    title: str


def clean_title(title: str) -> str:
    """A group title on one line, as a name in the network file may be: control characters,
    line breaks and direction overrides become spaces, runs of spaces one."""
    return " ".join("".join(" " if is_control(c) else c for c in title).split())


def hood_name(title: str) -> str:
    """'Buurtpreventie Proefdorp Noord' -> 'Proefdorp Noord': without the leading words that
    only say what kind of group it is (never down to nothing)."""
    return _KIND.sub("", title).strip() or title


def regie_candidates(groups: list[Group]) -> list[Group]:
    """The groups whose title says they are the regiegroep."""
    return [g for g in groups if _is_regie(g.title)]


def choose_regie(
    groups: list[Group], ask: Callable[[str], str] | None, say: Callable[[str], None]
) -> Group | None:
    """The regiegroep: the one group whose title says "regie"; when several do, or none,
    the operator's choice by number (``ask`` shows a prompt and returns the answer; None
    when nobody can answer). None: decide later, in the file."""
    candidates = regie_candidates(groups)
    if len(candidates) == 1:
        say(f"regiegroep: {candidates[0].title} ({candidates[0].chat_id}), by its title")
        return candidates[0]
    if ask is None or not groups:
        return None
    say(
        "Which group is the regiegroep? It receives every sign-up card, with names, addresses "
        "and phone numbers."
    )
    for number, group in enumerate(groups, start=1):
        say(f"  {number}  {group.chat_id}  {group.title}")
    while True:
        try:
            answer = ask(f"number (1-{len(groups)}; Enter: decide later, in the file): ").strip()
        except (EOFError, KeyboardInterrupt):
            return None
        if not answer:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(groups):
            return groups[int(answer) - 1]
        say(f"{answer[:20]!r} is none of the numbers 1 to {len(groups)}")


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


def toml_text(value: str) -> str:
    """``value`` as a TOML string (a JSON string is a valid TOML basic string)."""
    return json.dumps(value, ensure_ascii=False)


_toml = toml_text


def network_table(name: str) -> list[str]:
    """The lines of the ``[network]`` table, then the ``[regie]`` header."""
    return [
        "[network]",
        f"name = {toml_text(name)}",
        'timezone = "Europe/Amsterdam"',
        "",
        "[regie]",
    ]


def skeleton(groups: list[Group], name: str = "Mijn netwerk", regie: Group | None = None) -> str:
    """The network file text for these groups (in the order they were found); ``regie`` the
    group chosen as the regiegroep, if any."""
    groups = [Group(g.chat_id, clean_title(g.title)) for g in groups]
    regie = Group(regie.chat_id, clean_title(regie.title)) if regie is not None else None
    coordinators = next((g for g in groups if g != regie and _is_coordinators(g.title)), None)
    hoods = [g for g in groups if g not in (regie, coordinators)]
    lines = [
        "# relaybot network file, written by `relaybot discover`.",
        "#",
        "# Edit before use:",
        "#  - [network] name: the name of your network;",
        "#  - [regie] chat_id: the regiegroep (it receives every sign-up card, with names,",
        "#    addresses and phone numbers: make sure it is your own coordinators' group);",
        "#  - per neighbourhood: slug (short name), name, kern (village or town) and adjacent",
        "#    (the slugs of neighbouring neighbourhoods; one direction is enough);",
        "#  - remove groups that are not part of the network.",
        "# Then run:  relaybot check   (config/network.example.toml shows every option)",
        "",
        *network_table(name),
    ]
    if regie is not None:
        lines += [f"chat_id = {regie.chat_id}  # {regie.title}"]
    else:
        lines += [*_regie_todo(groups), "chat_id = 0"]
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
            f"name = {_toml(hood_name(group.title))}",
            'kern = "TODO"                      # the village or town',
            f"chat_id = {group.chat_id}",
            "adjacent = []                      # slugs of neighbouring neighbourhoods",
        ]
    return "\n".join(lines) + "\n"


def _regie_todo(groups: list[Group]) -> list[str]:
    """The comment above `chat_id = 0` (which `relaybot check` refuses) when nobody chose."""
    candidates = regie_candidates(groups)
    if len(candidates) > 1:
        why = "several group titles say 'regie' and discover does not guess which one is yours:"
        listed = [f"#   {g.chat_id}  {g.title}" for g in candidates]
    else:
        why = "no group title says 'regie':"
        listed = []
    return [
        f"# TODO: {why}",
        *listed,
        "# put the regiegroep's chat id here (`relaybot discover` lists every group's id);",
        "# move that group out of the neighbourhoods below. `relaybot check` refuses 0.",
    ]
