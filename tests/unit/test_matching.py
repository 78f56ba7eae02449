"""`any_of`: one search for a list of patterns, with each pattern's meaning kept."""

from __future__ import annotations

import re

from relaybot.domain.matching import any_of, joined_source


def matcher(*sources: str):
    return any_of(tuple(re.compile(s, re.IGNORECASE) for s in sources))


def test_patterns_that_start_with_a_word_boundary_share_it() -> None:
    """The shared boundary still applies to each of them: inside a word, nothing is found."""
    found = matcher(r"\bkoop\b", r"\bhuur\b", r"^goedemorgen")
    assert joined_source([r"\bkoop", r"\bhuur"]) == r"\b(?:(?:koop)|(?:huur))"
    assert found("te koop: fiets")
    assert found("goedemorgen allemaal")
    assert not found("verkoop")
    assert not found("nogmaals goedemorgen")


def test_a_pattern_with_its_own_top_level_alternation_keeps_its_boundary() -> None:
    """`\\bfoo|bar` means "foo at a word start, or bar anywhere": sharing the boundary would
    make it "foo or bar at a word start"."""
    found = matcher(r"\bfoo|bar", r"\bbaz")
    assert found("xbar")
    assert not found("xfoo")
    assert found("baz")


def test_a_bar_inside_a_class_or_a_group_is_not_top_level() -> None:
    for source in (r"\b(?:a|b)c", r"\b[|]x", r"\b[]|]x", r"\b[^]|]x", r"\b\|x"):
        assert joined_source([source]).startswith(r"\b(?:"), source
    for source in (r"\ba|b", r"\b[]]a|b", r"\b(?:a)|b"):
        assert not joined_source([source]).startswith(r"\b(?:"), source


def test_a_list_with_capitals_matches_any_case() -> None:
    found = matcher(r"\bPolitie\b")
    assert found("politie")
    assert found("POLITIE")


def test_a_text_that_is_not_plain_ascii_is_searched_ignoring_case_as_each_pattern_is() -> None:
    """Without IGNORECASE "i" would not match a dotless "ı": a message typed on a Turkish
    keyboard is classified as each pattern alone classifies it."""
    found = matcher(r"\bpolitie gebeld\b")
    assert found("polıtıe gebeld")
    assert re.compile(r"\bpolitie gebeld\b", re.IGNORECASE).search("polıtıe gebeld")


def test_an_escaped_bracket_inside_a_class_does_not_end_the_class_early() -> None:
    for source in (r"\b[^\[]x|foo", r"\b[a[]|foo"):
        assert not joined_source([source]).startswith(r"\b(?:"), source
        assert matcher(source)("xfoo")
