"""The network file: parsing, every validation rule, symmetric adjacency and kernen."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from relaybot.domain.network import Network, Policy
from relaybot.network_file import NetworkError, load_network, parse_network

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "config" / "network.example.toml"
SOURCE = "config/network.toml"

HEADER = """
[network]
name = "Hof van Twente"
timezone = "Europe/Amsterdam"

[regie]
chat_id = -1001000000001

[coordinators]
chat_id = -1001000000002
"""

GOOR = """
[[neighbourhood]]
slug = "goor-oost"
name = "Goor Oost"
kern = "Goor"
chat_id = -1001000000101
adjacent = ["goor-west", "goor-centrum"]
streets = ["Grotestraat", "Markt"]

[[neighbourhood]]
slug = "goor-west"
name = "Goor West"
kern = "Goor"
chat_id = -1001000000102

[[neighbourhood]]
slug = "goor-centrum"
name = "Goor Centrum"
kern = "Goor"

[[neighbourhood]]
slug = "markelo-zuid"
name = "Markelo Zuid"
kern = "Markelo"
chat_id = -1001000000103
adjacent = ["goor-oost"]

[[neighbourhood]]
slug = "ambt-delden"
name = "Ambt Delden"
kern = "Ambt Delden"
"""

VALID = HEADER + GOOR


def fails(text: str) -> str:
    """Parse ``text`` as config/network.toml and return the NetworkError message."""
    with pytest.raises(NetworkError) as caught:
        parse_network(text, SOURCE)
    message = str(caught.value)
    for line in message.splitlines():
        assert line.startswith(f"{SOURCE}: "), line
    return message


# --- a valid file -------------------------------------------------------------------------


def test_valid_file_is_parsed() -> None:
    """A valid file gives a Network with its name, time zone, chats, policy and neighbourhoods."""
    network = parse_network(VALID, SOURCE)
    assert network.name == "Hof van Twente"
    assert network.timezone == ZoneInfo("Europe/Amsterdam")
    assert network.regie_chat_id == -1001000000001
    assert network.coordinators_chat_id == -1001000000002
    assert list(network.neighbourhoods) == [
        "goor-oost",
        "goor-west",
        "goor-centrum",
        "markelo-zuid",
        "ambt-delden",
    ]
    oost = network.neighbourhoods["goor-oost"]
    assert oost.name == "Goor Oost"
    assert oost.kern == "Goor"
    assert oost.chat_id == -1001000000101
    assert oost.streets == ("Grotestraat", "Markt")
    assert network.neighbourhoods["goor-centrum"].chat_id is None
    assert network.source_path == Path(SOURCE)


def test_policy_defaults() -> None:
    """Without a [policy] table every policy value is the spec's default."""
    policy = parse_network(VALID).policy
    assert policy.auto_forward_adjacent is True
    assert policy.incident_ttl_hours == 12
    assert policy.flag_window_minutes == 60
    assert policy.max_warnings == 3
    assert policy.inactive_days == 60
    assert policy.show_author_names is False
    assert policy.incident_ttl == timedelta(hours=12)
    assert policy.flag_window == timedelta(minutes=60)
    assert policy.inactive_after == timedelta(days=60)


def test_the_file_and_the_domain_agree_on_every_default() -> None:
    """The loader's [policy] defaults and the domain's Policy defaults are written in two
    places: with no [policy] table, or an empty one, the policy equals Policy() key by key."""
    assert parse_network(VALID).policy == Policy()
    assert parse_network(VALID + "\n[policy]\n").policy == Policy()


def test_policy_values_are_read() -> None:
    """Values in [policy] override the defaults; a whole number is fine for a float key."""
    text = (
        VALID
        + """
[policy]
auto_forward_adjacent = false
incident_ttl_hours = 6.5
flag_window_minutes = 30
max_warnings = 5
inactive_days = 14
show_author_names = true
"""
    )
    policy = parse_network(text).policy
    assert policy.auto_forward_adjacent is False
    assert policy.incident_ttl_hours == 6.5
    assert policy.flag_window_minutes == 30
    assert policy.max_warnings == 5
    assert policy.inactive_days == 14
    assert policy.show_author_names is True


def test_coordinators_and_timezone_are_optional() -> None:
    """[coordinators] may be left out, and the time zone defaults to Europe/Amsterdam."""
    text = '[network]\nname = "Klein"\n[regie]\nchat_id = -1\n'
    network = parse_network(text)
    assert network.coordinators_chat_id is None
    assert network.timezone == ZoneInfo("Europe/Amsterdam")
    assert network.neighbourhoods == {}


def test_network_is_frozen() -> None:
    """Neither the network nor its neighbourhoods can be changed after loading."""
    network = parse_network(VALID)
    with pytest.raises(dataclasses.FrozenInstanceError):
        network.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        network.neighbourhoods["x"] = network.neighbourhoods["goor-oost"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        network.neighbourhoods["goor-oost"].name = "x"  # type: ignore[misc]


# --- adjacency, kernen, lookups -------------------------------------------------------------


def test_adjacency_is_symmetric() -> None:
    """If A lists B as adjacent, B is adjacent to A too, in file order, without duplicates."""
    network = parse_network(VALID)
    assert network.neighbours("goor-oost") == ("goor-west", "goor-centrum", "markelo-zuid")
    assert network.neighbours("goor-west") == ("goor-oost",)
    assert network.neighbours("goor-centrum") == ("goor-oost",)
    assert network.neighbours("markelo-zuid") == ("goor-oost",)
    assert network.neighbours("ambt-delden") == ()


def test_adjacency_listed_from_both_sides_counts_once() -> None:
    """A pair listed in both directions, or twice, gives each neighbour once."""
    text = VALID.replace(
        'slug = "goor-west"\nname = "Goor West"',
        'slug = "goor-west"\nname = "Goor West"\nadjacent = ["goor-oost", "goor-oost"]',
    )
    network = parse_network(text)
    assert network.neighbours("goor-west") == ("goor-oost",)
    assert network.neighbours("goor-oost").count("goor-west") == 1


def test_neighbours_of_unknown_slug_is_a_key_error() -> None:
    """Asking for the neighbours of a slug that is not in the file raises KeyError."""
    with pytest.raises(KeyError, match="goor-noord"):
        parse_network(VALID).neighbours("goor-noord")


def test_kernen_in_file_order() -> None:
    """kernen() maps each kern to its neighbourhoods' slugs, both in file order."""
    assert parse_network(VALID).kernen() == {
        "Goor": ("goor-oost", "goor-west", "goor-centrum"),
        "Markelo": ("markelo-zuid",),
        "Ambt Delden": ("ambt-delden",),
    }


@pytest.mark.parametrize(
    ("asked", "found"),
    [
        ("Goor", "Goor"),
        ("goor", "Goor"),
        ("GOOR", "Goor"),
        ("ambt delden", "Ambt Delden"),
        ("Ambt-Delden", "Ambt Delden"),
        ("  ambt   delden ", "Ambt Delden"),
        ("Delden", None),
        ("goor-oost", None),
    ],
)
def test_find_kern_ignores_case(asked: str, found: str | None) -> None:
    """find_kern matches a kern's name ignoring case, '-' and spacing, and returns its spelling."""
    assert parse_network(VALID).find_kern(asked) == found


def test_by_chat_id_uses_file_chat_ids() -> None:
    """by_chat_id finds a neighbourhood by the chat_id in the file, and nothing else."""
    network = parse_network(VALID)
    found = network.by_chat_id(-1001000000102)
    assert found is not None
    assert found.slug == "goor-west"
    assert network.by_chat_id(-1001000000001) is None  # the regie chat is no neighbourhood
    assert network.by_chat_id(-42) is None


def test_names_and_list_entries_are_trimmed() -> None:
    """Spaces around names, kernen, adjacent slugs and streets are ignored."""
    text = VALID.replace('name = "Goor West"', 'name = "  Goor West "').replace(
        'adjacent = ["goor-oost"]', 'adjacent = [" goor-oost "]'
    )
    network = parse_network(text)
    assert network.neighbourhoods["goor-west"].name == "Goor West"
    assert network.neighbours("markelo-zuid") == ("goor-oost",)


# --- every rule: a NetworkError naming the file and the entry -------------------------------


def test_unknown_adjacent_slug() -> None:
    """An adjacent entry that names no neighbourhood is refused, with a suggestion."""
    message = fails(VALID.replace('["goor-west", "goor-centrum"]', '["goor-noord", "goor-wst"]'))
    assert message.splitlines() == [
        "config/network.toml: neighbourhood 'goor-oost': adjacent 'goor-noord' "
        "is not a neighbourhood in this file (did you mean 'goor-oost'?)",
        "config/network.toml: neighbourhood 'goor-oost': adjacent 'goor-wst' "
        "is not a neighbourhood in this file (did you mean 'goor-west'?)",
    ]


def test_duplicate_chat_id_between_neighbourhoods() -> None:
    """Two neighbourhoods with one chat id are refused, naming both."""
    message = fails(VALID.replace("-1001000000102", "-1001000000101"))
    assert message == (
        "config/network.toml: chat_id -1001000000101 is used by both "
        "neighbourhood 'goor-oost' and neighbourhood 'goor-west'"
    )


def test_duplicate_chat_id_between_regie_and_neighbourhood() -> None:
    """A neighbourhood may not use the regiegroep's chat id."""
    message = fails(VALID.replace("-1001000000102", "-1001000000001"))
    assert message == (
        "config/network.toml: chat_id -1001000000001 is used by both "
        "[regie] and neighbourhood 'goor-west'"
    )


def test_duplicate_chat_id_between_regie_and_coordinators() -> None:
    """The regiegroep and the coordinators' group must be different chats."""
    message = fails(VALID.replace("chat_id = -1001000000002", "chat_id = -1001000000001"))
    assert message == (
        "config/network.toml: chat_id -1001000000001 is used by both [regie] and [coordinators]"
    )


def test_duplicate_chat_id_across_three_owners() -> None:
    """A chat id used three times lists all three owners."""
    text = VALID.replace("-1001000000102", "-1001000000002").replace(
        "-1001000000103", "-1001000000002"
    )
    assert fails(text) == (
        "config/network.toml: chat_id -1001000000002 is used by [coordinators], "
        "neighbourhood 'goor-west' and neighbourhood 'markelo-zuid'"
    )


@pytest.mark.parametrize("slug", ["Goor Oost", "goor_oost", "goor--oost", "-goor", "goor-", ""])
def test_malformed_slug(slug: str) -> None:
    """A slug that is not lowercase letters and digits joined by '-' is refused."""
    message = fails(VALID.replace('slug = "goor-west"', f'slug = "{slug}"'))
    entry = f"neighbourhood '{slug}'" if slug else "neighbourhood #2"
    assert (
        message == f"config/network.toml: {entry}: slug must be lowercase letters, digits and '-'"
    )


@pytest.mark.parametrize("slug", ["alle", "buren"])
def test_reserved_slug(slug: str) -> None:
    """A slug that /doorsturen reads as a target word is refused."""
    message = fails(VALID.replace('slug = "ambt-delden"', f'slug = "{slug}"'))
    assert message == (
        f"config/network.toml: neighbourhood '{slug}': slug '{slug}' is reserved as a "
        "/doorsturen target"
    )


def test_duplicate_slug() -> None:
    """Two neighbourhoods with one slug are refused, naming the slug and both entries."""
    message = fails(VALID.replace('slug = "ambt-delden"', 'slug = "goor-west"'))
    assert message == (
        "config/network.toml: neighbourhood 'goor-west': slug is used by entries #2 and #5"
    )


def test_adjacent_to_itself() -> None:
    """A neighbourhood that lists itself as adjacent is refused."""
    message = fails(VALID.replace('adjacent = ["goor-oost"]', 'adjacent = ["markelo-zuid"]'))
    assert message == "config/network.toml: neighbourhood 'markelo-zuid': adjacent lists itself"


def test_missing_regie() -> None:
    """A file without [regie] is refused: the regiegroep is required."""
    message = fails(VALID.replace("[regie]\nchat_id = -1001000000001\n", ""))
    assert message == (
        "config/network.toml: [regie] is missing "
        "(the regiegroep is required: [regie] with chat_id = ...)"
    )


def test_regie_without_chat_id() -> None:
    """[regie] without a chat_id is refused, naming the key."""
    message = fails(VALID.replace("[regie]\nchat_id = -1001000000001\n", "[regie]\n"))
    assert message == "config/network.toml: [regie].chat_id: is missing"


def test_missing_network_name() -> None:
    """[network] needs a name."""
    message = fails(VALID.replace('name = "Hof van Twente"\n', ""))
    assert message == "config/network.toml: [network].name: is missing"


@pytest.mark.parametrize("zone", ["Europe/Goor", "Amsterdam", "../etc/passwd", ""])
def test_bad_timezone(zone: str) -> None:
    """An unknown time zone is refused, naming [network].timezone and the value."""
    message = fails(VALID.replace('"Europe/Amsterdam"', f'"{zone}"'))
    assert message == (
        f"config/network.toml: [network].timezone: {zone!r} is not a known time zone "
        "(use a name such as 'Europe/Amsterdam')"
    )


def test_unknown_key_in_neighbourhood() -> None:
    """A misspelt key in a neighbourhood is refused, with a suggestion."""
    message = fails(VALID.replace("chat_id = -1001000000102", "chatid = -1001000000102"))
    assert message == (
        "config/network.toml: neighbourhood 'goor-west': unknown key 'chatid' "
        "(did you mean 'chat_id'?)"
    )


def test_unknown_top_level_table() -> None:
    """A misspelt table name such as [[neighbourhoods]] is refused."""
    message = fails(VALID + '\n[[neighbourhoods]]\nslug = "x"\n')
    assert message == (
        "config/network.toml: unknown key 'neighbourhoods' (did you mean 'neighbourhood'?)"
    )


def test_unknown_policy_key() -> None:
    """An unknown key in [policy] is refused."""
    message = fails(VALID + "\n[policy]\nmax_warning = 2\n")
    assert message == (
        "config/network.toml: [policy]: unknown key 'max_warning' (did you mean 'max_warnings'?)"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("max_warnings = 0", "[policy].max_warnings: must be at least 1 (got 0)"),
        ("inactive_days = 0", "[policy].inactive_days: must be at least 1 (got 0)"),
        (
            "incident_ttl_hours = 0",
            "[policy].incident_ttl_hours: must be greater than 0.0 (got 0)",
        ),
        (
            "flag_window_minutes = -5",
            "[policy].flag_window_minutes: must be greater than 0.0 (got -5)",
        ),
        ('incident_ttl_hours = "12"', "[policy].incident_ttl_hours: must be a number (got '12')"),
        (
            "auto_forward_adjacent = 1",
            "[policy].auto_forward_adjacent: must be true or false (got 1)",
        ),
        ("max_warnings = 2.5", "[policy].max_warnings: must be a whole number (got 2.5)"),
        (
            "incident_ttl_hours = inf",
            "[policy].incident_ttl_hours: must be a finite number (got inf)",
        ),
        ("inactive_days = -1", "[policy].inactive_days: must be at least 1 (got -1)"),
        (
            'show_author_names = "ja"',
            "[policy].show_author_names: must be true or false (got 'ja')",
        ),
    ],
)
def test_bad_policy_values(line: str, expected: str) -> None:
    """Out-of-range or mistyped policy values are refused with one line naming the key,
    the rule and the value given."""
    assert fails(VALID + f"\n[policy]\n{line}\n") == f"config/network.toml: {expected}"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "chat_id = -1001000000102",
            'chat_id = "-1001000000102"',
            "neighbourhood 'goor-west': chat_id must be a whole number (got '-1001000000102')",
        ),
        (
            'adjacent = ["goor-oost"]',
            'adjacent = "goor-oost"',
            "neighbourhood 'markelo-zuid': adjacent must be a list (got 'goor-oost')",
        ),
        (
            'streets = ["Grotestraat", "Markt"]',
            'streets = ["Grotestraat", 7]',
            "neighbourhood 'goor-oost': streets[1] must be text in quotes (got 7)",
        ),
        ('name = "Goor West"', 'name = ""', "neighbourhood 'goor-west': name must not be empty"),
        (
            'slug = "goor-west"',
            "slug = 12",
            "neighbourhood #2: slug must be text in quotes (got 12)",
        ),
        ("[regie]\nchat_id = -1001000000001", "regie = 5", "[regie]: must be a table (got 5)"),
    ],
)
def test_bad_types(old: str, new: str, expected: str) -> None:
    """A value of the wrong type is refused with one line naming the entry, the key and
    the value given."""
    text = VALID.replace(old, new)
    assert text != VALID
    if new == "regie = 5":  # a bare key must come before the first table
        text = "regie = 5\n" + text.replace("regie = 5", "")
    assert fails(text) == f"config/network.toml: {expected}"


def test_neighbourhood_without_kern() -> None:
    """Every neighbourhood needs a kern."""
    message = fails(VALID.replace('kern = "Markelo"\n', ""))
    assert message == "config/network.toml: neighbourhood 'markelo-zuid': kern is missing"


@pytest.mark.parametrize("placeholder", ["TODO", "todo"])
def test_the_skeletons_kern_placeholder_is_refused(placeholder: str) -> None:
    """`kern = "TODO"`, as `relaybot discover` writes it, is no kern: `check` (and `run`)
    refuse it on one line naming the entry, instead of a network whose kern is "TODO"."""
    message = fails(VALID.replace('kern = "Markelo"', f'kern = "{placeholder}"'))
    assert message == (
        "config/network.toml: neighbourhood 'markelo-zuid': kern is still 'TODO': write the "
        "village or town the neighbourhood lies in"
    )


def test_kern_spelt_two_ways() -> None:
    """One kern written with different case is refused, so kern lookups stay unambiguous."""
    message = fails(
        VALID.replace('name = "Goor West"\nkern = "Goor"', 'name = "Goor West"\nkern = "goor"')
    )
    assert message == (
        "config/network.toml: neighbourhood 'goor-west': kern 'goor' is also written 'Goor'; "
        "use one spelling"
    )


def test_all_problems_are_listed() -> None:
    """Several problems of one kind are reported together, one per line."""
    text = VALID.replace('slug = "goor-west"', 'slug = "Goor West"').replace(
        'kern = "Markelo"\n', ""
    )
    lines = fails(text).splitlines()
    assert lines == [
        "config/network.toml: neighbourhood 'Goor West': slug must be lowercase letters, "
        "digits and '-'",
        "config/network.toml: neighbourhood 'markelo-zuid': kern is missing",
    ]


def test_toml_syntax_error_names_the_line() -> None:
    """A TOML syntax error is refused with the parser's line and column."""
    text = VALID + "\nslug = goor-oost\n"
    message = fails(text)
    line = len(text.splitlines())
    assert message == (
        f"config/network.toml: is not valid TOML: Invalid value (at line {line}, column 8)"
    )


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is refused, naming the path and how to make one."""
    path = tmp_path / "network.toml"
    with pytest.raises(NetworkError) as caught:
        load_network(path)
    assert str(caught.value) == (
        f"{path}: file not found (copy config/network.example.toml there, or point "
        "RELAYBOT_NETWORK_FILE at your network file)"
    )


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    """A file in another encoding is refused rather than misread."""
    path = tmp_path / "network.toml"
    path.write_bytes(VALID.replace("Goor Oost", "G\xf6\xf6r").encode("latin-1"))
    with pytest.raises(NetworkError) as caught:
        load_network(path)
    offset = VALID.index("Goor Oost")  # the first byte that is not UTF-8 (all before is ASCII)
    assert str(caught.value) == f"{path}: is not UTF-8 text (byte {offset + 1})"


def test_load_network_reads_a_file(tmp_path: Path) -> None:
    """load_network reads the file and records its path; errors name that path."""
    path = tmp_path / "network.toml"
    path.write_text(VALID, encoding="utf-8")
    assert load_network(path).source_path == path
    path.write_text(VALID.replace('"Europe/Amsterdam"', '"Mars/Olympus"'), encoding="utf-8")
    with pytest.raises(NetworkError, match=f"^{path}: \\[network\\].timezone"):
        load_network(path)


# --- the shipped example ----------------------------------------------------------------------


def test_shipped_example_loads() -> None:
    """The example network of Hof van Twente is valid and has ≥18 neighbourhoods, ≥6 kernen."""
    network = load_network(EXAMPLE)
    assert network.name == "Hof van Twente"
    assert len(network.neighbourhoods) >= 18
    kernen = network.kernen()
    assert len(kernen) >= 6
    for kern in ("Goor", "Markelo", "Delden", "Diepenheim", "Hengevelde", "Bentelo"):
        assert kern in kernen
    assert network.regie_chat_id == -1001000000001
    assert network.coordinators_chat_id == -1001000000002
    unlinked = [h.slug for h in network.neighbourhoods.values() if h.chat_id is None]
    assert len(unlinked) == 2
    assert all(hood.streets for hood in network.neighbourhoods.values())
    assert all(network.neighbours(slug) for slug in network.neighbourhoods)


def test_shipped_example_policy_is_the_default() -> None:
    """The example's [policy] spells out exactly the defaults."""
    assert load_network(EXAMPLE).policy == Policy()


def test_shipped_example_lists_every_policy_key_with_its_default() -> None:
    """The example's [policy] block names every policy key (spec section 4, warning_days and
    flood_per_minute included) with its default, in both shipped copies of the example."""
    for example in (EXAMPLE, REPO / "relaybot" / "data" / "network.example.toml"):
        written = tomllib.loads(example.read_text(encoding="utf-8"))["policy"]
        defaults = {field.name: field.default for field in dataclasses.fields(Policy)}
        assert written == defaults, example


def test_no_network_file_ships_under_the_default_name() -> None:
    """Only the example ships: a config/network.toml with made-up chat ids would let
    `relaybot check && relaybot run` "work" on a network that does not exist. Git ignores the
    real one, so an operator's file is never committed by accident
    (tests/unit/test_operator_files.py checks that for every operator file)."""
    assert not (REPO / "config" / "network.toml").exists() or _ignored("config/network.toml")


def _ignored(path: str) -> bool:
    import subprocess

    done = subprocess.run(
        ["git", "-C", str(REPO), "check-ignore", "-q", path], check=False, capture_output=True
    )
    return done.returncode == 0


# --- error messages pinned in full (issue 17): one line, the entry, the hint -------------


def test_a_single_bracket_neighbourhood_is_refused_as_not_a_list() -> None:
    """`[neighbourhood]` (one bracket, a table) instead of `[[neighbourhood]]` (a list of
    tables) is refused on one line that names the entry and shows what was given."""
    text = HEADER + '\n[neighbourhood]\nslug = "goor"\nname = "Goor"\nkern = "Goor"\n'
    assert fails(text) == (
        "config/network.toml: [[neighbourhood]]: must be a list "
        "(got {'slug': 'goor', 'name': 'Goor', 'kern': 'Goor'})"
    )


def test_a_neighbourhood_list_of_words_is_refused_per_entry() -> None:
    """`neighbourhood = ["goor"]` is refused: entry #1 must be a table, showing the value."""
    text = 'neighbourhood = ["goor"]\n' + HEADER
    assert fails(text) == "config/network.toml: neighbourhood #1: must be a table (got 'goor')"


def test_an_unknown_top_level_key_with_no_close_match_has_no_hint() -> None:
    """An unknown key that resembles nothing is named without a 'did you mean'."""
    assert fails("zzzqqq = 1\n" + VALID) == "config/network.toml: unknown key 'zzzqqq'"


def test_an_unknown_top_level_key_close_to_a_table_gets_a_hint() -> None:
    """`netwerk = ...` is refused with 'did you mean 'network'?'."""
    assert fails("netwerk = 1\n" + VALID) == (
        "config/network.toml: unknown key 'netwerk' (did you mean 'network'?)"
    )


def test_an_adjacent_entry_far_from_any_slug_has_no_hint() -> None:
    """An adjacent slug that resembles no neighbourhood is named without a guess."""
    message = fails(VALID.replace('["goor-west", "goor-centrum"]', '["xyzzy"]'))
    assert message == (
        "config/network.toml: neighbourhood 'goor-oost': adjacent 'xyzzy' is not a "
        "neighbourhood in this file"
    )


def test_a_missing_network_table_says_what_it_needs() -> None:
    """Without [network] the one line says it is missing and that it needs a name."""
    text = VALID.replace('[network]\nname = "Hof van Twente"\ntimezone = "Europe/Amsterdam"\n', "")
    assert (
        fails(text) == 'config/network.toml: [network] is missing (it needs at least: name = "...")'
    )


def test_an_empty_file_names_both_required_tables_one_per_line() -> None:
    """An empty network file gives two lines: [network] and [regie] missing, with hints."""
    assert fails("").splitlines() == [
        'config/network.toml: [network] is missing (it needs at least: name = "...")',
        "config/network.toml: [regie] is missing "
        "(the regiegroep is required: [regie] with chat_id = ...)",
    ]


def test_an_unknown_key_in_regie_gets_a_hint() -> None:
    """A misspelt key in [regie] is refused naming the table, the key and the right one."""
    text = VALID.replace(
        "[regie]\nchat_id = -1001000000001\n", "[regie]\nchat_id = -1001000000001\nchatid = 5\n"
    )
    assert (
        fails(text)
        == "config/network.toml: [regie]: unknown key 'chatid' (did you mean 'chat_id'?)"
    )


def test_a_neighbourhood_entry_without_a_slug_is_named_by_its_position() -> None:
    """An entry without a slug is named by its number in the file."""
    text = VALID + '\n[[neighbourhood]]\nname = "Bentelo"\nkern = "Bentelo"\n'
    assert fails(text) == "config/network.toml: neighbourhood #6: slug is missing"


def test_a_blank_slug_is_named_by_its_position() -> None:
    """A slug of spaces cannot name the entry, so the position does."""
    message = fails(VALID.replace('slug = "goor-west"', 'slug = "  "'))
    assert message == (
        "config/network.toml: neighbourhood #2: slug must be lowercase letters, digits and '-'"
    )


def test_a_wrong_type_inside_a_list_names_the_item() -> None:
    """`adjacent = [5]` names the item's index and the value; an empty street name is
    refused as empty."""
    message = fails(VALID.replace('adjacent = ["goor-oost"]', "adjacent = [5]"))
    assert message == (
        "config/network.toml: neighbourhood 'markelo-zuid': adjacent[0] must be text in "
        "quotes (got 5)"
    )
    message = fails(VALID.replace('streets = ["Grotestraat", "Markt"]', 'streets = ["Markt", " "]'))
    assert message == "config/network.toml: neighbourhood 'goor-oost': streets[1] must not be empty"


def test_wrong_types_in_the_sections_name_the_key_and_value() -> None:
    """A time zone that is a number, a chat id that is a fraction and a chat id that is
    true/false are each refused on one line naming section, key and value."""
    assert fails(VALID.replace('"Europe/Amsterdam"', "5")) == (
        "config/network.toml: [network].timezone: must be text in quotes (got 5)"
    )
    assert fails(VALID.replace("chat_id = -1001000000001", "chat_id = -1.5")) == (
        "config/network.toml: [regie].chat_id: must be a whole number (got -1.5)"
    )
    assert fails(VALID.replace("chat_id = -1001000000102", "chat_id = true")) == (
        "config/network.toml: neighbourhood 'goor-west': chat_id must be a whole number (got True)"
    )
    assert fails("network = 5\n" + VALID.replace("[network]\n", "[netwerk]\n")).splitlines()[0] == (
        "config/network.toml: [network]: must be a table (got 5)"
    )


def test_a_positive_chat_id_is_refused_naming_the_entry() -> None:
    """A group chat id without its minus sign is refused on one line naming the entry and
    the value (pydantic's own wording, first letter lowered)."""
    assert fails(VALID.replace("chat_id = -1001000000102", "chat_id = 5")) == (
        "config/network.toml: neighbourhood 'goor-west': chat_id input should be less than 0 "
        "(got 5)"
    )


def test_a_slug_used_three_times_lists_every_entry() -> None:
    """A slug used by three entries names all three positions."""
    text = VALID.replace('slug = "ambt-delden"', 'slug = "goor-west"').replace(
        'slug = "markelo-zuid"', 'slug = "goor-west"'
    )
    assert fails(text) == (
        "config/network.toml: neighbourhood 'goor-west': slug is used by entries #2, #4 and #5"
    )


def test_a_kern_spelt_with_a_dash_is_the_same_kern() -> None:
    """'ambt-delden' and 'Ambt Delden' are one kern spelt two ways: refused, naming the
    spelling met first."""
    text = VALID.replace(
        'name = "Goor Centrum"\nkern = "Goor"', 'name = "Goor Centrum"\nkern = "ambt-delden"'
    )
    assert fails(text) == (
        "config/network.toml: neighbourhood 'ambt-delden': kern 'Ambt Delden' is also "
        "written 'ambt-delden'; use one spelling"
    )


def test_a_directory_given_as_the_network_file_is_refused(tmp_path: Path) -> None:
    """A path that is a directory cannot be read: one line naming the path and why."""
    with pytest.raises(NetworkError) as caught:
        load_network(tmp_path)
    assert str(caught.value) == f"{tmp_path}: cannot be read: Is a directory"
    assert caught.value.source == str(tmp_path)
    assert caught.value.problems == ("cannot be read: Is a directory",)


def test_an_error_lists_its_problems_and_its_source() -> None:
    """NetworkError keeps the source and one problem per line, without the source prefix."""
    with pytest.raises(NetworkError) as caught:
        parse_network("", "elsewhere.toml")
    assert caught.value.source == "elsewhere.toml"
    assert caught.value.problems == (
        '[network] is missing (it needs at least: name = "...")',
        "[regie] is missing (the regiegroep is required: [regie] with chat_id = ...)",
    )


def test_find_kern_reads_an_underscore_as_a_space() -> None:
    """`/doorsturen ambt_delden` finds the kern "Ambt Delden": '_' counts as a space, like
    '-', and neither counts as a letter."""
    network = parse_network(VALID)
    assert network.find_kern("ambt_delden") == "Ambt Delden"
    assert network.find_kern("AMBT_-_DELDEN") == "Ambt Delden"
    assert network.find_kern("ambtdelden") is None


def test_an_unknown_key_in_network_or_coordinators_gets_a_hint() -> None:
    """A misspelt key in [network] or [coordinators] is refused naming the table and the
    key it resembles."""
    text = VALID.replace('timezone = "Europe/Amsterdam"', 'tijdzone = "Europe/Amsterdam"')
    assert fails(text) == (
        "config/network.toml: [network]: unknown key 'tijdzone' (did you mean 'timezone'?)"
    )
    text = VALID.replace(
        "[coordinators]\nchat_id = -1001000000002", "[coordinators]\nchat = -1001000000002"
    )
    assert fails(text).splitlines() == [
        "config/network.toml: [coordinators].chat_id: is missing",
        "config/network.toml: [coordinators]: unknown key 'chat' (did you mean 'chat_id'?)",
    ]


def test_parse_network_names_inline_text_when_given_no_source() -> None:
    """Text parsed without a source name is called '<inline>' in its errors."""
    with pytest.raises(NetworkError) as caught:
        parse_network(VALID.replace('"Europe/Amsterdam"', '"Mars/Olympus"'))
    assert str(caught.value) == (
        "<inline>: [network].timezone: 'Mars/Olympus' is not a known time zone "
        "(use a name such as 'Europe/Amsterdam')"
    )


def test_a_network_built_in_code_ignores_adjacency_to_itself_or_to_strangers() -> None:
    """A Network made directly (as tests and benchmarks do, without the file's checks)
    still never lists a neighbourhood as its own neighbour, nor a slug it does not have."""
    valid = parse_network(VALID)
    hood = dataclasses.replace(
        valid.neighbourhoods["goor-west"], adjacent=("goor-west", "nergens", "goor-oost")
    )
    network = Network(
        name=valid.name,
        timezone=valid.timezone,
        regie_chat_id=valid.regie_chat_id,
        coordinators_chat_id=None,
        policy=valid.policy,
        neighbourhoods={**valid.neighbourhoods, "goor-west": hood},
        source_path=Path("built-in-code"),
    )
    assert network.neighbours("goor-west") == ("goor-oost",)
    assert network.neighbours("goor-oost") == ("goor-west", "goor-centrum", "markelo-zuid")


# --- signs, vest budget and the digest time (issue 15) ---------------------------------


def _with_hood_keys(keys: str) -> str:
    old = 'streets = ["Grotestraat", "Markt"]'
    return HEADER + GOOR.replace(old, f"{old}\n{keys}", 1)


def test_signs_and_vests_are_read() -> None:
    """A neighbourhood's `signs` and `vests_eur` are read; left out, both are 0."""
    network = parse_network(_with_hood_keys("signs = 5\nvests_eur = 249.5"))
    assert network.neighbourhoods["goor-oost"].signs == 5
    assert network.neighbourhoods["goor-oost"].vests_eur == 249.5
    assert network.neighbourhoods["goor-west"].signs == 0
    assert network.neighbourhoods["goor-west"].vests_eur == 0


@pytest.mark.parametrize(
    ("keys", "line"),
    [
        ("signs = 6", "neighbourhood 'goor-oost': signs must be at most 5 (got 6)"),
        ("signs = -1", "neighbourhood 'goor-oost': signs must be at least 0 (got -1)"),
        ("signs = 2.5", "neighbourhood 'goor-oost': signs must be a whole number (got 2.5)"),
        ("vests_eur = 251", "neighbourhood 'goor-oost': vests_eur must be at most 250 (got 251)"),
        ("vests_eur = -5", "neighbourhood 'goor-oost': vests_eur must be at least 0 (got -5)"),
        ('vests_eur = "180"', "neighbourhood 'goor-oost': vests_eur must be a number (got '180')"),
    ],
)
def test_signs_and_vests_out_of_range_name_the_entry(keys: str, line: str) -> None:
    """`signs` outside 0-5 or `vests_eur` outside 0-250 is one line naming file and entry."""
    with pytest.raises(NetworkError) as caught:
        parse_network(_with_hood_keys(keys), SOURCE)
    assert caught.value.problems == (line,)
    assert str(caught.value) == f"{SOURCE}: {line}"


def test_digest_time_is_read_and_checked() -> None:
    """`digest` defaults to monday 09:00, may be '' (off), and a bad value names the key."""
    assert parse_network(VALID).policy.digest == "monday 09:00"
    assert parse_network(VALID + '[policy]\ndigest = ""\n').policy.digest == ""
    assert parse_network(VALID + '[policy]\ndigest = "vrijdag 17:30"\n').policy.digest == (
        "vrijdag 17:30"
    )
    with pytest.raises(NetworkError) as caught:
        parse_network(VALID + '[policy]\ndigest = "someday 25:00"\n', SOURCE)
    assert caught.value.problems[0].startswith("[policy].digest: must be a weekday and a time")


def test_shipped_example_has_plausible_signs_and_vests() -> None:
    """The example gives most neighbourhoods some signs and a vest budget, within the limits."""
    hoods = load_network(EXAMPLE).neighbourhoods.values()
    assert sum(1 for hood in hoods if hood.signs > 0) >= len(hoods) // 2
    assert sum(1 for hood in hoods if hood.vests_eur > 0) >= len(hoods) // 2
    assert all(0 <= hood.signs <= 5 and 0 <= hood.vests_eur <= 250 for hood in hoods)


TWO_MARKELOS = """
[network]
name = "Test"
[regie]
chat_id = -100
[[neighbourhood]]
slug = "markelo"
name = "Markelo Dorp"
kern = "Markelo"
chat_id = -101
[[neighbourhood]]
slug = "markelo-noord"
name = "Markelo Noord"
kern = "Markelo"
chat_id = -102
"""


def test_a_group_chat_id_without_its_minus_sign_is_refused() -> None:
    """Telegram group ids are negative: `chat_id = 1001000000001` (minus forgotten) is
    refused by the network check instead of leaving the regiegroep unrecognised."""
    text = TWO_MARKELOS.replace("chat_id = -100\n", "chat_id = 1001000000001\n")
    with pytest.raises(NetworkError):
        parse_network(text)


# --- this wave's checks (branch trust), pinned in full (issue 17) ------------------------

TOO_DEEP = (
    "config/network.toml: is nested too deeply (lists or tables inside each other); a "
    "network file needs at most a list of names inside a [[neighbourhood]] entry"
)


@pytest.mark.parametrize(
    "nesting",
    [
        "extra = " + "[" * 3000 + "]" * 3000,
        "extra = " + "{a = " * 3000 + "1" + "}" * 3000,
        "[policy]\nmax_warnings = " + "[" * 900 + "]" * 900,
    ],
    ids=["arrays", "inline-tables", "in-policy"],
)
def test_deep_nesting_is_refused_with_exactly_one_line(nesting: str) -> None:
    """However the nesting is too deep (while reading the TOML, checking it, or describing
    what is wrong), the answer is the same one line naming the file."""
    assert fails(VALID + "\n" + nesting + "\n") == TOO_DEEP


def test_a_long_wrong_value_is_echoed_cut_to_80_characters() -> None:
    """The '(got …)' part shows at most 80 characters of what was given: a value whose
    form is 80 long is shown whole, one of 81 ends in '…' after 79."""
    fits = "x" * 78  # repr adds the two quotes: 80
    message = fails(VALID + f'\n[policy]\nincident_ttl_hours = "{fits}"\n')
    assert (
        message
        == f"config/network.toml: [policy].incident_ttl_hours: must be a number (got '{fits}')"
    )
    longer = "x" * 79  # repr: 81
    message = fails(VALID + f'\n[policy]\nincident_ttl_hours = "{longer}"\n')
    shown = ("'" + longer)[:79] + "…"
    assert (
        message
        == f"config/network.toml: [policy].incident_ttl_hours: must be a number (got {shown})"
    )


def test_a_nested_wrong_value_is_echoed_cut_too() -> None:
    """A list of lists where a number belongs (not deep enough to be refused as nesting) is
    named with the first 79 characters of what was given."""
    message = fails(VALID + "\n[policy]\nmax_warnings = " + "[" * 300 + "]" * 300 + "\n")
    assert message == (
        "config/network.toml: [policy].max_warnings: must be a whole number (got " + "[" * 79 + "…)"
    )


def test_a_control_character_in_a_long_name_shows_its_first_40_characters() -> None:
    """A name with a control character is refused naming the field, the first 40
    characters of the name and the character's code point."""
    name = "Goor West " + "x" * 40
    message = fails(VALID.replace('name = "Goor West"', f'name = "{name}\\u0007"'))
    assert message == (
        f"config/network.toml: neighbourhood 'goor-west': name {name[:40]!r} contains the "
        "control character U+0007; names may not hold control characters"
    )
