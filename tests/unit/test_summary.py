"""The network summary printed by `relaybot check`."""

from __future__ import annotations

from pathlib import Path

from relaybot.network_file import load_network, parse_network
from relaybot.summary import describe_network

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "network.example.toml"

NETWORK = """
[network]
name = "Hof van Twente"
timezone = "Europe/Amsterdam"

[regie]
chat_id = -1001000000001

[policy]
incident_ttl_hours = 8
show_author_names = true

[[neighbourhood]]
slug = "goor-oost"
name = "Goor Oost"
kern = "Goor"
chat_id = -1001000000101
adjacent = ["goor-west"]

[[neighbourhood]]
slug = "goor-west"
name = "Goor West"
kern = "Goor"

[[neighbourhood]]
slug = "bentelo-dorp"
name = "Bentelo Dorp"
kern = "Bentelo"
"""


def summary(linked: dict[str, int] | None = None) -> str:
    return describe_network(parse_network(NETWORK, "config/network.toml"), linked)


def test_header_names_network_timezone_and_chats() -> None:
    """The summary starts with the network, its time zone, file and regie/coordinators chats."""
    lines = summary().splitlines()
    assert lines[:4] == [
        "Network: Hof van Twente (time zone Europe/Amsterdam)",
        "File: config/network.toml",
        "Regiegroep chat: -1001000000001",
        "Coordinators chat: none",
    ]


def test_policy_values_are_listed() -> None:
    """Every policy value is shown in TOML notation, whole numbers without '.0'."""
    text = summary()
    assert "  auto_forward_adjacent = true" in text
    assert "  incident_ttl_hours = 8" in text
    assert "  flag_window_minutes = 60" in text
    assert "  max_warnings = 3" in text
    assert "  inactive_days = 60" in text
    assert "  show_author_names = true" in text


def test_neighbourhoods_grouped_by_kern_with_symmetric_neighbours() -> None:
    """Each kern lists its neighbourhoods with name, chat and neighbours in both directions."""
    text = summary()
    assert "Goor (2 neighbourhoods)\n  goor-oost: Goor Oost\n    chat: -1001000000101\n" in text
    assert "    neighbours: goor-west" in text
    assert "  goor-west: Goor West\n" in text
    west = text.split("  goor-west: Goor West\n")[1].split("\n\n")[0]
    assert "neighbours: goor-oost" in west
    assert "Bentelo (1 neighbourhood)\n  bentelo-dorp: Bentelo Dorp" in text
    bentelo = text.split("  bentelo-dorp: Bentelo Dorp\n")[1]
    assert "neighbours: none" in bentelo
    assert text.index("Goor (") < text.index("Bentelo (")


def test_unlinked_neighbourhoods_say_how_to_link() -> None:
    """A neighbourhood without a chat says to link it with /koppel <slug>."""
    text = summary()
    assert "chat: no chat yet — link it with /koppel goor-west" in text
    assert "chat: no chat yet — link it with /koppel bentelo-dorp" in text
    assert text.endswith("Totals: 2 kernen, 3 neighbourhoods, 1 linked, 2 unlinked")


def test_run_time_links_are_shown_and_counted() -> None:
    """Chats linked at run time are shown as such and count as linked; the file's id wins."""
    text = summary({"goor-west": -100777, "goor-oost": -100888})
    assert "chat: linked at run time: -100777" in text
    assert "chat: -1001000000101" in text
    assert "-100888" not in text
    assert text.endswith("Totals: 2 kernen, 3 neighbourhoods, 2 linked, 1 unlinked")


def test_links_for_unknown_slugs_are_reported() -> None:
    """A stored link for a neighbourhood that left the file is listed as ignored."""
    text = summary({"goor-noord": -100999})
    assert (
        "Linked at run time but not in the network file (ignored):\n  goor-noord: -100999" in text
    )


def test_example_summary() -> None:
    """The shipped example summarises to 9 kernen and 20 neighbourhoods, 2 without a chat."""
    text = describe_network(load_network(EXAMPLE))
    assert "Coordinators chat: -1001000000002" in text
    assert text.endswith("Totals: 9 kernen, 20 neighbourhoods, 18 linked, 2 unlinked")
    assert "\x1b[" not in text  # plain text, no colours
