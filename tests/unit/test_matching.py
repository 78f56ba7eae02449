"""`any_of`: one search for a list of patterns, with each pattern's meaning kept."""

from __future__ import annotations

import random
import re

from relaybot.domain.matching import any_of, first_look, joined_source


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


def look(*sources: str) -> re.Pattern[str] | None:
    return first_look(tuple(re.compile(s, re.IGNORECASE) for s in sources))


def finds(quick: re.Pattern[str] | None, text: str) -> bool:
    assert quick is not None
    return quick.search(text) is not None


def test_the_quick_look_searches_for_the_words_every_match_begins_with() -> None:
    quick = look(r"\bbelt? (?:nu )?112\b", r"\b(?:112|politie)\b gebeld")
    assert finds(quick, "ze belden")  # "bel": the optional "t" is left out
    assert finds(quick, "de politie gebeld?")
    assert not finds(quick, "de politie komt")  # "politie gebeld" as a whole
    assert not finds(quick, "goedemorgen allemaal")
    assert finds(look(r"^(?:goede(?:morgen|middag))\b"), "goedemiddag")
    assert not finds(look(r"^(?:goede(?:morgen|middag))\b"), "goede avond")
    assert finds(look(r"\bhaha+\b"), "hahaha")
    assert not finds(look(r"\bhaha+\b"), "ha ha")
    # where alternatives part ways the look stops ("te "): more words would make it slower
    assert finds(look(r"\b(?:te koop|te huur)\b"), "te laat")


def test_no_quick_look_when_a_match_can_begin_with_anything() -> None:
    assert look(r"\b\w+n't\b") is None
    assert look(r"\b(?:politie|\w+ie)\b") is None
    assert look(r"(?:x)?politie") is None  # optional first part
    assert look(r"\bpolitie", r"[^.!?]{0,80}gebeld") is None  # one pattern is enough
    assert look(r"(?i:Politie)") is None  # flags of its own: not read


def test_the_quick_look_never_changes_an_answer() -> None:
    """Over the shipped lists and a set of texts made to sit near their words, the joined
    search with its quick look answers exactly as each pattern searched alone."""
    from relaybot.domain.moderation import load_chatter
    from relaybot.domain.patterns import DEFAULT_PATTERNS_FILE as file
    from relaybot.domain.patterns import load_patterns, normalise

    calls = load_patterns(file)
    chatter = load_chatter(file)
    lists = [calls.called, calls.intent, calls.negative, calls.called + calls.intent]
    lists += [chatter.patterns, chatter.unless]
    words = [
        "112",
        "politie",
        "bel",
        "belt",
        "bellen",
        "gebeld",
        "niet",
        "call",
        "called",
        "police",
        "te koop",
        "haha",
        "fijne dag",
        "goedemorgen",
        "is",
        "onderweg",
        "de",
        "verbeld",
        "ambulance",
        "komt",
        "eraan",
        "?",
        "!",
        "hulpdiensten",
        "ı",
        "wie",
    ]
    rng = random.Random(5)
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 7))) for _ in range(3000)]
    texts = [normalise(t) for t in texts]
    for patterns in lists:
        joined = any_of(patterns)
        for text in texts:
            assert joined(text) == any(p.search(text) for p in patterns), (text, patterns)
