"""The regiegroep's rules as pure functions: who may forward, how targets are read, and
which /koppel requests are refused with which reason."""

from __future__ import annotations

import pytest

from relaybot.domain.chats import ChatKind, Directory
from relaybot.domain.routing import (
    Targets,
    UnknownTargets,
    check_forward,
    check_link,
    forward_words,
    resolve_forward,
)
from relaybot.domain.rules import Refusal
from relaybot.network_file import parse_network

NETWORK = parse_network(
    """
[network]
name = "Hof van Twente"
timezone = "Europe/Amsterdam"

[regie]
chat_id = -1001

[coordinators]
chat_id = -1002

[[neighbourhood]]
slug = "goor-oost"
name = "Goor Oost"
kern = "Goor"
chat_id = -101

[[neighbourhood]]
slug = "stokkum"
name = "Stokkum"
kern = "Stokkum"
adjacent = ["goor-oost"]

[[neighbourhood]]
slug = "markvelde"
name = "Markvelde"
kern = "Markvelde"

[[neighbourhood]]
slug = "delden-stad"
name = "Delden Stad"
kern = "Delden"
chat_id = -301

[[neighbourhood]]
slug = "ambt-delden"
name = "Ambt Delden"
kern = "Ambt Delden"
chat_id = -302
"""
)
NEW_GROUP = -555


@pytest.fixture
def directory() -> Directory:
    return Directory(NETWORK, links={"markvelde": -777})


# --- /doorsturen ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", [ChatKind.NEIGHBOURHOOD, ChatKind.COORDINATORS, ChatKind.PRIVATE, ChatKind.UNKNOWN]
)
def test_forward_is_refused_outside_the_regie_chat(kind: ChatKind) -> None:
    """Only the regie chat forwards down; elsewhere the answer says so."""
    assert check_forward(kind, has_reply=True) == Refusal("refuse_forward_not_regie")


def test_forward_without_a_reply_gets_the_usage_line() -> None:
    """In the regie chat, /doorsturen must reply to something."""
    assert check_forward(ChatKind.REGIE, has_reply=False) == Refusal("forward_usage")
    assert check_forward(ChatKind.REGIE, has_reply=True) is None


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ("", []),
        ("alle", ["alle"]),
        ("goor-oost,delden-stad", ["goor-oost", "delden-stad"]),
        ("  goor-oost ,  Delden  ", ["goor-oost", "Delden"]),
    ],
)
def test_forward_words_split_on_spaces_and_commas(args: str, words: list[str]) -> None:
    """Targets may be separated by spaces, commas or both."""
    assert forward_words(args) == words


def test_two_word_kern_wins_over_its_last_word(directory: Directory) -> None:
    """`Ambt Delden` is the kern Ambt Delden, not Ambt (unknown) plus the kern Delden."""
    targets = resolve_forward(directory, ["Ambt", "Delden"], None)
    assert isinstance(targets, Targets)
    assert targets.slugs == ("ambt-delden",)


def test_a_one_word_kern_next_to_another_target(directory: Directory) -> None:
    """`Delden goor-oost` is two targets: the kern Delden and a slug."""
    targets = resolve_forward(directory, ["Delden", "goor-oost"], None)
    assert isinstance(targets, Targets)
    assert targets.slugs == ("goor-oost", "delden-stad")


def test_an_unknown_word_after_a_kern_is_still_named(directory: Directory) -> None:
    """A kern followed by an unknown word: the unknown word alone is reported."""
    assert resolve_forward(directory, ["Delden", "Enschede"], None) == UnknownTargets(("Enschede",))


# --- /koppel ----------------------------------------------------------------------------


def test_a_co_admin_may_link_an_unknown_group_to_a_free_neighbourhood(
    directory: Directory,
) -> None:
    """Stokkum has no chat in the file and no link: the request goes to the regiegroep."""
    assert check_link(directory, "stokkum", NEW_GROUP, ChatKind.UNKNOWN, True) is None


@pytest.mark.parametrize(
    ("slug", "kind", "co_admin", "refusal"),
    [
        ("stokkum", ChatKind.PRIVATE, True, Refusal("refuse_link_private")),
        ("stokkum", ChatKind.NEIGHBOURHOOD, True, Refusal("refuse_link_member")),
        ("stokkum", ChatKind.REGIE, True, Refusal("refuse_link_member")),
        ("stokkum", ChatKind.UNKNOWN, False, Refusal("refuse_link_not_co_admin")),
        ("", ChatKind.UNKNOWN, True, Refusal("link_usage")),
        ("nergens", ChatKind.UNKNOWN, True, Refusal("refuse_link_unknown", {"slug": "nergens"})),
        (
            "goor-oost",
            ChatKind.UNKNOWN,
            True,
            Refusal("refuse_link_in_file", {"name": "Goor Oost"}),
        ),
        (
            "markvelde",
            ChatKind.UNKNOWN,
            True,
            Refusal("refuse_link_taken", {"name": "Markvelde"}),
        ),
    ],
)
def test_link_refusals_carry_their_reason(
    directory: Directory, slug: str, kind: ChatKind, co_admin: bool, refusal: Refusal
) -> None:
    """Private chat, a group already in the network, a non-co-admin, no slug, an unknown
    slug, a neighbourhood whose chat is in the file, one already linked elsewhere."""
    assert check_link(directory, slug, NEW_GROUP, kind, co_admin) == refusal


def test_a_link_ignored_because_the_file_took_the_chat_leaves_the_slug_free() -> None:
    """A stored link whose chat the file now uses is not honoured, so the neighbourhood may
    be linked again."""
    directory = Directory(NETWORK, links={"stokkum": -301})
    assert directory.chat_for("stokkum") is None
    assert check_link(directory, "stokkum", NEW_GROUP, ChatKind.UNKNOWN, True) is None
