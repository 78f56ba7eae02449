"""Who receives what. Pure functions of the network, the directory and the input."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from relaybot.domain.chats import ChatKind, Directory
from relaybot.domain.network import Network
from relaybot.domain.rules import Refusal


@dataclass(frozen=True)
class Targets:
    """Where an alert goes: chat ids to deliver to, and neighbourhoods that could not get it."""

    chats: tuple[int, ...]
    slugs: tuple[str, ...]  # the neighbourhoods among the chats, in network order
    unlinked: tuple[str, ...] = ()  # chosen neighbourhoods that have no chat yet
    skipped: tuple[str, ...] = ()  # chosen neighbourhoods whose chat already holds the incident
    by_radius: tuple[str, ...] = ()  # among slugs: reached only because the point lay near


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


def tag_targets(
    directory: Directory, source_slug: str, near: Mapping[str, float] | None = None
) -> Targets:
    """A tagged alert goes to the regie chat and, by policy, to the adjacent neighbourhoods.

    A located alert (``near``: slug -> metres between the alert's point and the
    neighbourhood's area, as the map measured them) also reaches, with the policy's
    ``alert_radius_m`` set, every neighbourhood within that distance; ``by_radius`` names
    those the adjacency alone would not have reached."""
    network = directory.network
    adjacent = network.neighbours(source_slug) if network.policy.auto_forward_adjacent else ()
    radius = network.policy.alert_radius_m
    close = {
        slug
        for slug, metres in (near or {}).items()
        if radius > 0 and metres <= radius and slug in network.neighbourhoods
    }
    added = close - set(adjacent) - {source_slug}
    chosen = [slug for slug in network.neighbourhoods if slug in added or slug in adjacent]
    down = _split(directory, chosen, holding=())
    return Targets(
        chats=(directory.regie_chat_id, *down.chats),
        slugs=down.slugs,
        unlinked=down.unlinked,
        by_radius=tuple(slug for slug in down.slugs if slug in added),
    )


def radius_targets(
    directory: Directory, near: Mapping[str, float], holding: Collection[int]
) -> Targets:
    """A follow-up that adds a place to an incident: every neighbourhood within the policy's
    ``alert_radius_m`` of it (``near`` as in :func:`tag_targets`) whose chat does not hold
    the incident yet. Nothing when the radius is off."""
    network = directory.network
    radius = network.policy.alert_radius_m
    close = [
        slug
        for slug in network.neighbourhoods
        if radius > 0 and near.get(slug, radius + 1) <= radius
    ]
    found = _split(directory, close, holding)
    return Targets(found.chats, found.slugs, found.unlinked, found.skipped, by_radius=found.slugs)


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
    keys = [w.strip().strip(",") for w in (words or ("buren",))]
    keys = [k for k in keys if k]
    at = 0
    while at < len(keys):
        word = keys[at]
        key = word.lower()
        at += 1
        if key in ("buren", "neighbours", "neighbors"):
            if source_slug in network.neighbourhoods:  # a removed slug has no neighbours
                chosen.extend(network.neighbours(source_slug))
        elif key in ("alle", "all"):
            chosen.extend(network.neighbourhoods)
        elif (found := _kern_at(network, keys, at - 1)) is not None:
            # a kern before a slug spelled the same ("markelo"): the kern includes it, and
            # reaching more groups is the safe side of a misunderstanding
            kern, used = found
            chosen.extend(network.kernen()[kern])
            at += used - 1
        elif key in network.neighbourhoods:
            chosen.append(key)
        else:
            unknown.append(word)
    if unknown:
        return UnknownTargets(tuple(unknown))
    wanted = set(chosen) - {source_slug}
    ordered = [slug for slug in network.neighbourhoods if slug in wanted]
    return _split(directory, ordered, holding)


MAX_KERN_WORDS = 4


def _kern_at(network: Network, words: Sequence[str], start: int) -> tuple[str, int] | None:
    """The longest kern name that starts at words[start] ("Ambt Delden" typed as two
    arguments), with the number of words it takes."""
    for size in range(min(MAX_KERN_WORDS, len(words) - start), 0, -1):
        kern = network.find_kern(" ".join(words[start : start + size]))
        if kern is not None:
            return kern, size
    return None


def forward_words(args: str) -> list[str]:
    """`/doorsturen` arguments as words: spaces and commas both separate targets."""
    return [word for word in args.replace(",", " ").split() if word]


def check_forward(kind: ChatKind, has_reply: bool) -> Refusal | None:
    """`/doorsturen` works in the regie chat, as a reply."""
    if kind is not ChatKind.REGIE:
        return Refusal("refuse_forward_not_regie")
    if not has_reply:
        return Refusal("forward_usage")
    return None


def check_link(
    directory: Directory, slug: str, chat_id: int, kind: ChatKind, is_co_admin: bool
) -> Refusal | None:
    """`/koppel <slug>`: a co-admin of a group outside the network asks to become the chat
    of a neighbourhood that has none yet. A chat_id in the network file always wins."""
    network = directory.network
    if kind is ChatKind.PRIVATE:
        return Refusal("refuse_link_private")
    if kind is not ChatKind.UNKNOWN:
        return Refusal("refuse_link_member")
    if not is_co_admin:
        return Refusal("refuse_link_not_co_admin")
    if not slug:
        return Refusal("link_usage")
    hood = network.neighbourhoods.get(slug)
    if hood is None:
        return Refusal("refuse_link_unknown", {"slug": slug})
    if hood.chat_id is not None:
        return Refusal("refuse_link_in_file", {"name": hood.name})
    linked = directory.chat_for(slug)
    if linked is not None and linked != chat_id:
        return Refusal("refuse_link_taken", {"name": hood.name})
    return None
