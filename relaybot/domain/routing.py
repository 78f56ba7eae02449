"""Who receives what. Pure functions of the network, the directory and the input."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from relaybot.domain.chats import Directory


@dataclass(frozen=True)
class Targets:
    """Where an alert goes: chat ids to deliver to, and neighbourhoods that could not get it."""

    chats: tuple[int, ...]
    slugs: tuple[str, ...]  # the neighbourhoods among the chats, in network order
    unlinked: tuple[str, ...] = ()  # chosen neighbourhoods that have no chat yet
    skipped: tuple[str, ...] = ()  # chosen neighbourhoods whose chat already holds the incident


@dataclass(frozen=True)
class UnknownTargets:
    names: tuple[str, ...]


def _split(directory: Directory, slugs: Iterable[str], holding: Collection[int]) -> Targets:
    chats: list[int] = []
    chosen: list[str] = []
    unlinked: list[str] = []
    skipped: list[str] = []
    for slug in slugs:
        chat_id = directory.chat_for(slug)
        if chat_id is None:
            unlinked.append(slug)
        elif chat_id in holding:
            skipped.append(slug)
        else:
            chats.append(chat_id)
            chosen.append(slug)
    return Targets(tuple(chats), tuple(chosen), tuple(unlinked), tuple(skipped))


def tag_targets(directory: Directory, source_slug: str) -> Targets:
    """A tagged alert goes to the regie chat and, by policy, to the adjacent neighbourhoods."""
    network = directory.network
    adjacent = network.neighbours(source_slug) if network.policy.auto_forward_adjacent else ()
    down = _split(directory, adjacent, holding=())
    return Targets(
        chats=(directory.regie_chat_id, *down.chats),
        slugs=down.slugs,
        unlinked=down.unlinked,
    )


def resolve_forward(
    directory: Directory,
    words: Sequence[str],
    source_slug: str | None,
    holding: Collection[int] = (),
) -> Targets | UnknownTargets:
    """Turn `/doorsturen` arguments into neighbourhoods.

    Nothing or `buren`: the source's adjacent neighbourhoods. `alle`: every neighbourhood.
    A kern's name (case-insensitive): all its neighbourhoods. Otherwise slugs. The source
    neighbourhood itself is never a target; chats already holding the incident are skipped.
    """
    network = directory.network
    chosen: list[str] = []
    unknown: list[str] = []
    for word in words or ("buren",):
        key = word.strip().lower().strip(",")
        if not key:
            continue
        if key in ("buren", "neighbours", "neighbors"):
            if source_slug is not None:
                chosen.extend(network.neighbours(source_slug))
        elif key in ("alle", "all"):
            chosen.extend(network.neighbourhoods)
        elif key in network.neighbourhoods:
            chosen.append(key)
        elif (kern := network.find_kern(key)) is not None:
            chosen.extend(network.kernen()[kern])
        else:
            unknown.append(word)
    if unknown:
        return UnknownTargets(tuple(unknown))
    wanted = set(chosen) - {source_slug}
    ordered = [slug for slug in network.neighbourhoods if slug in wanted]
    return _split(directory, ordered, holding)
