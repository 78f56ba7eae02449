"""A plain-text summary of a network, printed by ``relaybot check``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

from relaybot.domain.network import Neighbourhood, Network

__all__ = ["describe_network"]


def describe_network(network: Network, linked: Mapping[str, int] | None = None) -> str:
    """Describe ``network`` for an operator: chats, policy, kernen, adjacency and counts.

    ``linked`` maps slugs to chat ids linked at run time with ``/koppel`` (from the
    database); a ``chat_id`` in the network file wins over such a link.
    """
    linked = dict(linked or {})
    lines = [
        f"Network: {network.name} (time zone {network.timezone.key})",
        f"File: {network.source_path}",
        f"Regiegroep chat: {network.regie_chat_id}",
        f"Coordinators chat: {_or_none(network.coordinators_chat_id)}",
        "",
        "Policy:",
    ]
    lines += [f"  {key} = {_value(value)}" for key, value in asdict(network.policy).items()]

    kernen = network.kernen()
    with_chat = 0
    for kern, slugs in kernen.items():
        lines += ["", f"{kern} ({_count(len(slugs), 'neighbourhood')})"]
        for slug in slugs:
            hood = network.neighbourhoods[slug]
            chat = _chat_line(hood, linked.get(slug))
            with_chat += hood.chat_id is not None or slug in linked
            neighbours = ", ".join(network.neighbours(slug)) or "none"
            lines += [
                f"  {slug}: {hood.name}",
                f"    chat: {chat}",
                f"    neighbours: {neighbours}",
            ]

    strays = {slug: chat for slug, chat in linked.items() if slug not in network.neighbourhoods}
    if strays:
        lines += ["", "Linked at run time but not in the network file (ignored):"]
        lines += [f"  {slug}: {chat_id}" for slug, chat_id in strays.items()]

    total = len(network.neighbourhoods)
    lines += [
        "",
        f"Totals: {_count(len(kernen), 'kern', 'kernen')}, "
        f"{_count(total, 'neighbourhood')}, {with_chat} linked, {total - with_chat} unlinked",
    ]
    return "\n".join(lines)


def _chat_line(hood: Neighbourhood, linked_id: int | None) -> str:
    if hood.chat_id is not None:
        return str(hood.chat_id)
    if linked_id is not None:
        return f"linked at run time: {linked_id}"
    return f"no chat yet — link it with /koppel {hood.slug}"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _or_none(chat_id: int | None) -> str:
    return "none" if chat_id is None else str(chat_id)


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
