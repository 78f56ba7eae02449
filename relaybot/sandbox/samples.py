"""Synthetic networks of any size, for fault tests and benchmarks (invented places)."""

from __future__ import annotations

from pathlib import Path

REGIE_CHAT = -1001000000001
COORDINATORS_CHAT = -1001000000002
FIRST_HOOD_CHAT = -1001000100000


def big_network_toml(
    neighbourhoods: int, per_kern: int = 6, name: str = "Proefgemeente", hub: bool = False
) -> str:
    """A network of `neighbourhoods` in kernen of `per_kern`, each adjacent to its neighbours
    in a ring within the kern and to the same position in the next kern. With `hub`, one more
    neighbourhood, `hub`, is adjacent to all of them (a tag there reaches every chat)."""
    lines = [
        "[network]",
        f'name = "{name}"',
        'timezone = "Europe/Amsterdam"',
        "",
        "[regie]",
        f"chat_id = {REGIE_CHAT}",
        "",
        "[coordinators]",
        f"chat_id = {COORDINATORS_CHAT}",
        "",
    ]
    kernen = (neighbourhoods + per_kern - 1) // per_kern
    for index in range(neighbourhoods):
        kern, position = divmod(index, per_kern)
        adjacent = set()
        in_kern = min(per_kern, neighbourhoods - kern * per_kern)
        if in_kern > 1:
            adjacent.add(kern * per_kern + (position + 1) % in_kern)
        if kern + 1 < kernen and (kern + 1) * per_kern + position < neighbourhoods:
            adjacent.add((kern + 1) * per_kern + position)
        adjacent.discard(index)
        listed = ", ".join(f'"wijk-{other}"' for other in sorted(adjacent))
        lines += [
            "[[neighbourhood]]",
            f'slug = "wijk-{index}"',
            f'name = "Wijk {index}"',
            f'kern = "Dorp {kern}"',
            f"chat_id = {FIRST_HOOD_CHAT - index}",
            f"adjacent = [{listed}]",
            "",
        ]
    if hub:
        everyone = ", ".join(f'"wijk-{index}"' for index in range(neighbourhoods))
        lines += [
            "[[neighbourhood]]",
            'slug = "hub"',
            'name = "Centrum"',
            'kern = "Hoofddorp"',
            f"chat_id = {FIRST_HOOD_CHAT + 1}",
            f"adjacent = [{everyone}]",
            "",
        ]
    return "\n".join(lines)


def write_big_network(path: Path, neighbourhoods: int, **options: object) -> Path:
    path.write_text(big_network_toml(neighbourhoods, **options), encoding="utf-8")  # type: ignore[arg-type]
    return path
