"""Routing: who receives a tagged alert and a `/doorsturen`, from an inline network file."""

from __future__ import annotations

import pytest

from relaybot.domain.chats import ChatKind, Directory
from relaybot.domain.network import Network
from relaybot.domain.routing import (
    Targets,
    UnknownTargets,
    forward_words,
    resolve_forward,
    tag_targets,
)
from relaybot.network_file import parse_network

REGIE = -1001
COORDINATORS = -1002
GOOR_OOST = -101
GOOR_WEST = -102
MARKELO_NOORD = -201
MARKELO_ZUID = -202
DELDEN = -301

# Adjacency is deliberately one-sided in the file: goor-west lists nobody, yet it is
# adjacent to goor-oost (listed by goor-oost) and markelo-noord (listed by markelo-noord).
# goor-centrum has no chat in the file.
NETWORK = """
[network]
name = "Hof van Twente"
timezone = "Europe/Amsterdam"

[regie]
chat_id = -1001

[coordinators]
chat_id = -1002

[policy]
auto_forward_adjacent = {auto}

[[neighbourhood]]
slug = "goor-oost"
name = "Goor Oost"
kern = "Goor"
chat_id = -101
adjacent = ["goor-west"]

[[neighbourhood]]
slug = "goor-west"
name = "Goor West"
kern = "Goor"
chat_id = -102

[[neighbourhood]]
slug = "goor-centrum"
name = "Goor Centrum"
kern = "Goor"
adjacent = ["goor-oost"]

[[neighbourhood]]
slug = "markelo-noord"
name = "Markelo Noord"
kern = "Markelo"
chat_id = -201
adjacent = ["goor-west"]

[[neighbourhood]]
slug = "markelo-zuid"
name = "Markelo Zuid"
kern = "Markelo"
chat_id = -202
adjacent = ["markelo-noord"]

[[neighbourhood]]
slug = "delden-stad"
name = "Delden Stad"
kern = "Ambt Delden"
chat_id = -301
"""


def network(auto: bool = True) -> Network:
    return parse_network(NETWORK.replace("{auto}", "true" if auto else "false"))


@pytest.fixture
def directory() -> Directory:
    return Directory(network())


# --- tag_targets ----------------------------------------------------------------------


def test_tag_goes_to_regie_and_the_adjacent_linked_chats(directory: Directory) -> None:
    """A tag in goor-oost reaches the regie chat and goor-west's chat, nothing else."""
    targets = tag_targets(directory, "goor-oost")
    assert targets.chats == (REGIE, GOOR_WEST)
    assert targets.slugs == ("goor-west",)


def test_tag_reports_adjacent_neighbourhoods_without_a_chat(directory: Directory) -> None:
    """goor-centrum lists goor-oost but has no chat: it is reported as unlinked, not skipped."""
    targets = tag_targets(directory, "goor-oost")
    assert targets.unlinked == ("goor-centrum",)
    assert targets.skipped == ()


def test_tag_uses_adjacency_listed_only_by_the_other_side(directory: Directory) -> None:
    """goor-west lists nobody, yet a tag there reaches goor-oost and markelo-noord."""
    targets = tag_targets(directory, "goor-west")
    assert targets.chats == (REGIE, GOOR_OOST, MARKELO_NOORD)
    assert targets.slugs == ("goor-oost", "markelo-noord")
    assert targets.unlinked == ()


def test_tag_from_a_neighbourhood_without_neighbours_goes_to_regie_only(
    directory: Directory,
) -> None:
    """A neighbourhood adjacent to nobody still reaches the regie chat."""
    assert tag_targets(directory, "delden-stad") == Targets(chats=(REGIE,), slugs=())


def test_tag_goes_to_regie_only_when_auto_forward_is_off() -> None:
    """With `auto_forward_adjacent = false` no neighbourhood chat receives a tagged alert."""
    targets = tag_targets(Directory(network(auto=False)), "goor-west")
    assert targets.chats == (REGIE,)
    assert targets.slugs == ()
    assert targets.unlinked == ()


def test_tag_reaches_a_neighbourhood_linked_at_run_time() -> None:
    """A /koppel link gives goor-centrum a chat, so a tag in goor-oost now reaches it."""
    directory = Directory(network(), links={"goor-centrum": -103})
    targets = tag_targets(directory, "goor-oost")
    assert targets.chats == (REGIE, GOOR_WEST, -103)
    assert targets.unlinked == ()


def test_file_chat_id_wins_over_a_run_time_link() -> None:
    """A link for a neighbourhood that has a chat_id in the file is ignored."""
    directory = Directory(network(), links={"goor-west": -999})
    assert directory.chat_for("goor-west") == GOOR_WEST
    assert tag_targets(directory, "goor-oost").chats == (REGIE, GOOR_WEST)
    assert directory.kind(-999) is ChatKind.UNKNOWN


def test_link_to_a_chat_the_file_already_uses_is_ignored() -> None:
    """A run-time link may not steal the regie chat or another neighbourhood's chat."""
    directory = Directory(network(), links={"goor-centrum": GOOR_WEST})
    assert directory.chat_for("goor-centrum") is None
    assert directory.slug_for(GOOR_WEST) == "goor-west"
    directory = Directory(network(), links={"goor-centrum": REGIE})
    assert directory.chat_for("goor-centrum") is None
    assert directory.kind(REGIE) is ChatKind.REGIE


# --- Directory ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chat_id", "chat_type", "kind"),
    [
        (REGIE, "supergroup", ChatKind.REGIE),
        (COORDINATORS, "supergroup", ChatKind.COORDINATORS),
        (GOOR_OOST, "supergroup", ChatKind.NEIGHBOURHOOD),
        (DELDEN, "group", ChatKind.NEIGHBOURHOOD),
        (4242, "private", ChatKind.PRIVATE),
        (-5555, "supergroup", ChatKind.UNKNOWN),
    ],
)
def test_directory_kind(directory: Directory, chat_id: int, chat_type: str, kind: ChatKind) -> None:
    """Each chat is classified as regie, coordinators, neighbourhood, private or unknown."""
    assert directory.kind(chat_id, chat_type) is kind


def test_a_linked_chat_is_a_neighbourhood_chat() -> None:
    """A chat linked at run time is known as that neighbourhood's chat."""
    directory = Directory(network(), links={"goor-centrum": -103})
    assert directory.kind(-103) is ChatKind.NEIGHBOURHOOD
    assert directory.slug_for(-103) == "goor-centrum"
    assert directory.is_linked("goor-centrum")


def test_directory_follows_a_migrated_neighbourhood_chat() -> None:
    """After Telegram moves goor-west to a new id, the new id is goor-west's chat."""
    directory = Directory(network(), moves={GOOR_WEST: -1102})
    assert directory.kind(-1102) is ChatKind.NEIGHBOURHOOD
    assert directory.slug_for(-1102) == "goor-west"
    assert directory.chat_for("goor-west") == -1102
    assert tag_targets(directory, "goor-oost").chats == (REGIE, -1102)


def test_directory_follows_a_chain_of_migrations() -> None:
    """Two moves in a row lead to the latest id."""
    directory = Directory(network(), moves={GOOR_WEST: -1102, -1102: -2102})
    assert directory.chat_for("goor-west") == -2102
    assert directory.current(GOOR_WEST) == -2102


def test_directory_follows_a_migrated_regie_chat() -> None:
    """A moved regie chat is still the regie chat, and tagged alerts go to its new id."""
    directory = Directory(network(), moves={REGIE: -1009})
    assert directory.regie_chat_id == -1009
    assert directory.kind(-1009) is ChatKind.REGIE
    assert tag_targets(directory, "delden-stad").chats == (-1009,)


def test_directory_follows_a_migrated_linked_chat() -> None:
    """A chat linked at run time that later moved is found under its new id."""
    directory = Directory(network(), links={"goor-centrum": -103}, moves={-103: -1103})
    assert directory.chat_for("goor-centrum") == -1103
    assert directory.kind(-1103) is ChatKind.NEIGHBOURHOOD


def test_directory_place_names_neighbourhood_and_kern(directory: Directory) -> None:
    """A place reads 'Name (Kern)'; the regie chat reads as the regiegroep."""
    assert directory.place_of_chat(GOOR_WEST, "de regiegroep") == "Goor West (Goor)"
    assert directory.place_of_chat(REGIE, "de regiegroep") == "de regiegroep"


# --- resolve_forward --------------------------------------------------------------------


def test_forward_without_words_goes_to_the_source_neighbours(directory: Directory) -> None:
    """`/doorsturen` alone means `buren`: the source's adjacent neighbourhoods."""
    targets = resolve_forward(directory, [], "goor-oost")
    assert isinstance(targets, Targets)
    assert targets.chats == (GOOR_WEST,)
    assert targets.slugs == ("goor-west",)
    assert targets.unlinked == ("goor-centrum",)


def test_forward_buren_uses_symmetric_adjacency(directory: Directory) -> None:
    """`buren` for goor-west includes neighbours that only list goor-west themselves."""
    targets = resolve_forward(directory, ["buren"], "goor-west")
    assert isinstance(targets, Targets)
    assert targets.slugs == ("goor-oost", "markelo-noord")
    assert targets.chats == (GOOR_OOST, MARKELO_NOORD)


def test_forward_to_slugs_in_network_order(directory: Directory) -> None:
    """Named slugs are the targets, listed in the file's order, each once."""
    targets = resolve_forward(
        directory, ["markelo-zuid", "goor-west,", "markelo-zuid"], "goor-oost"
    )
    assert isinstance(targets, Targets)
    assert targets.slugs == ("goor-west", "markelo-zuid")
    assert targets.chats == (GOOR_WEST, MARKELO_ZUID)


@pytest.mark.parametrize("word", ["Markelo", "MARKELO", "markelo"])
def test_forward_to_a_kern_ignores_case(directory: Directory, word: str) -> None:
    """A kern's name in any case means all its neighbourhoods."""
    targets = resolve_forward(directory, [word], "goor-oost")
    assert isinstance(targets, Targets)
    assert targets.slugs == ("markelo-noord", "markelo-zuid")


def test_forward_to_a_two_word_kern_given_as_one_argument(directory: Directory) -> None:
    """A kern whose name has a space ("Ambt Delden") is found when passed as one word."""
    targets = resolve_forward(directory, ["ambt delden"], None)
    assert isinstance(targets, Targets)
    assert targets.slugs == ("delden-stad",)


def test_forward_to_a_two_word_kern_typed_as_two_arguments(directory: Directory) -> None:
    """`/doorsturen Ambt Delden` (two arguments) reaches the kern Ambt Delden."""
    targets = resolve_forward(directory, ["Ambt", "Delden"], None)
    assert isinstance(targets, Targets)
    assert targets.slugs == ("delden-stad",)


def test_forward_to_alle_reaches_every_other_neighbourhood(directory: Directory) -> None:
    """`alle` is every neighbourhood but the source; ones without a chat are unlinked."""
    targets = resolve_forward(directory, ["alle"], "goor-oost")
    assert isinstance(targets, Targets)
    assert targets.slugs == ("goor-west", "markelo-noord", "markelo-zuid", "delden-stad")
    assert targets.chats == (GOOR_WEST, MARKELO_NOORD, MARKELO_ZUID, DELDEN)
    assert targets.unlinked == ("goor-centrum",)


def test_forward_with_an_unknown_word_names_it(directory: Directory) -> None:
    """An unknown target refuses the whole forward and names the word as typed."""
    result = resolve_forward(directory, ["goor-west", "Nergenshuizen"], "goor-oost")
    assert result == UnknownTargets(("Nergenshuizen",))


def test_forward_never_includes_the_source(directory: Directory) -> None:
    """Naming the source, its kern or `alle` never sends the incident back to its source."""
    for words in (["goor-oost"], ["goor"], ["alle"], ["goor-oost", "buren"]):
        targets = resolve_forward(directory, words, "goor-oost")
        assert isinstance(targets, Targets)
        assert "goor-oost" not in targets.slugs
        assert GOOR_OOST not in targets.chats


def test_forward_skips_chats_that_already_hold_the_incident(directory: Directory) -> None:
    """Chats holding the incident are skipped and reported, the others receive it."""
    targets = resolve_forward(
        directory, ["markelo"], "goor-oost", holding={REGIE, GOOR_OOST, MARKELO_NOORD}
    )
    assert isinstance(targets, Targets)
    assert targets.chats == (MARKELO_ZUID,)
    assert targets.slugs == ("markelo-zuid",)
    assert targets.skipped == ("markelo-noord",)


def test_forward_of_a_regie_incident_to_named_targets(directory: Directory) -> None:
    """With the regiegroep as source, named targets and `alle` reach every linked chat."""
    targets = resolve_forward(directory, ["goor-oost", "delden-stad"], None)
    assert isinstance(targets, Targets)
    assert targets.chats == (GOOR_OOST, DELDEN)
    everyone = resolve_forward(directory, ["alle"], None)
    assert isinstance(everyone, Targets)
    assert everyone.chats == (GOOR_OOST, GOOR_WEST, MARKELO_NOORD, MARKELO_ZUID, DELDEN)


def test_forward_of_a_regie_incident_without_targets_reaches_nobody(
    directory: Directory,
) -> None:
    """A regie-originated incident has no neighbours: no words means no targets."""
    targets = resolve_forward(directory, [], None)
    assert targets == Targets(chats=(), slugs=())


def test_forward_to_a_run_time_linked_neighbourhood() -> None:
    """A neighbourhood linked by /koppel receives forwards at its linked chat."""
    directory = Directory(network(), links={"goor-centrum": -103})
    targets = resolve_forward(directory, ["goor-centrum"], None)
    assert isinstance(targets, Targets)
    assert targets.chats == (-103,)
    assert targets.unlinked == ()


# --- what the mutation run showed nobody pinned (issue 17) -------------------------------


@pytest.mark.parametrize("word", ["neighbours", "neighbors", "Neighbours", "BUREN"])
def test_forward_english_neighbours_means_buren(directory: Directory, word: str) -> None:
    """`/forward neighbours` (British or American spelling, any case) is `buren`: the
    source's adjacent neighbourhoods, never an unknown target."""
    targets = resolve_forward(directory, [word], "goor-west")
    assert targets == Targets(
        chats=(GOOR_OOST, MARKELO_NOORD), slugs=("goor-oost", "markelo-noord")
    )


@pytest.mark.parametrize("word", ["all", "ALL", "Alle"])
def test_forward_english_all_means_alle(directory: Directory, word: str) -> None:
    """`/forward all` is `alle`: every neighbourhood but the source, in file order."""
    targets = resolve_forward(directory, [word], "goor-oost")
    assert targets == Targets(
        chats=(GOOR_WEST, MARKELO_NOORD, MARKELO_ZUID, DELDEN),
        slugs=("goor-west", "markelo-noord", "markelo-zuid", "delden-stad"),
        unlinked=("goor-centrum",),
    )


def test_forward_words_split_on_spaces_and_commas() -> None:
    """`/doorsturen goor-west,markelo , delden` gives three words, no empty ones."""
    assert forward_words("goor-west,markelo , delden") == ["goor-west", "markelo", "delden"]
    assert forward_words(" , ,") == []


def test_forward_ignores_empty_and_comma_only_words(directory: Directory) -> None:
    """Words that are only commas or spaces are dropped; the rest still route, and a list
    of nothing but commas means `buren`."""
    targets = resolve_forward(directory, [",", " goor-west, ", ""], "goor-oost")
    assert targets == Targets(chats=(GOOR_WEST,), slugs=("goor-west",))
    only_commas = resolve_forward(directory, [",", " "], "goor-west")
    assert only_commas == Targets(chats=(), slugs=())


def test_forward_buren_from_a_removed_neighbourhood_reaches_nobody(
    directory: Directory,
) -> None:
    """An incident whose source neighbourhood was removed from the file has no neighbours:
    `buren` gives no targets (and no error), named slugs still work."""
    assert resolve_forward(directory, ["buren"], "goor-noord") == Targets(chats=(), slugs=())
    named = resolve_forward(directory, ["buren", "delden-stad"], "goor-noord")
    assert named == Targets(chats=(DELDEN,), slugs=("delden-stad",))


def test_forward_names_every_unknown_word_as_typed(directory: Directory) -> None:
    """All unknown words are named, in the order typed, with their original case and
    without a trailing comma."""
    result = resolve_forward(directory, ["Nergens", "goor-west", "Xanten,"], "goor-oost")
    assert result == UnknownTargets(("Nergens", "Xanten"))


def test_forward_reads_a_kern_then_more_words(directory: Directory) -> None:
    """After a two-word kern typed as two arguments the next word is read as its own
    target, not swallowed by the kern."""
    targets = resolve_forward(directory, ["Ambt", "Delden", "goor-west"], None)
    assert targets == Targets(chats=(GOOR_WEST, DELDEN), slugs=("goor-west", "delden-stad"))
    wrong = resolve_forward(directory, ["Ambt", "Delden", "nergens"], None)
    assert wrong == UnknownTargets(("nergens",))


def test_forward_finds_a_kern_of_four_words_but_not_five() -> None:
    """A kern name typed as up to four separate arguments is found; MAX_KERN_WORDS is 4."""
    text = NETWORK.replace('kern = "Ambt Delden"', 'kern = "Ambt Delden Oost Twente"')
    directory = Directory(parse_network(text.replace("{auto}", "true")))
    targets = resolve_forward(directory, ["Ambt", "Delden", "Oost", "Twente"], None)
    assert targets == Targets(chats=(DELDEN,), slugs=("delden-stad",))
    five = text.replace('"Ambt Delden Oost Twente"', '"Ambt Delden Oost Twente Zuid"')
    directory = Directory(parse_network(five.replace("{auto}", "true")))
    result = resolve_forward(directory, ["Ambt", "Delden", "Oost", "Twente", "Zuid"], None)
    assert isinstance(result, UnknownTargets)


def test_tag_targets_report_exactly_regie_neighbours_and_unlinked(
    directory: Directory,
) -> None:
    """A tag from goor-oost: the regie chat first, then goor-west; goor-centrum (no chat)
    is reported unlinked; nothing is skipped."""
    assert tag_targets(directory, "goor-oost") == Targets(
        chats=(REGIE, GOOR_WEST), slugs=("goor-west",), unlinked=("goor-centrum",)
    )


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


def test_kern_name_reaches_all_its_neighbourhoods_or_file_is_refused() -> None:
    """Spec 6: a kern's name after /doorsturen means all its neighbourhoods, also when one
    neighbourhood's slug is spelled like the kern."""
    network = parse_network(TWO_MARKELOS)
    targets = resolve_forward(Directory(network), ["Markelo"], None)
    assert isinstance(targets, Targets)
    assert set(targets.slugs) == {"markelo", "markelo-noord"}
