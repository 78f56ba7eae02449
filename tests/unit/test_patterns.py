"""Recognising "112 gebeld" reports and "ik bel 112" intents in residents' messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaybot.domain.patterns import (
    DEFAULT_CALLED,
    DEFAULT_INTENT,
    DEFAULT_NEGATIVE,
    DEFAULT_PATTERNS_FILE,
    SCAN_LIMIT,
    CallPatterns,
    PatternsError,
    load_patterns,
    normalise,
    unbounded_span,
)

CALLED = "called"
INTENT = "intent"

# (message, expected classification)
TABLE: list[tuple[str, str | None]] = [
    # --- reports: 112 / the police has been called (Dutch)
    ("112 gebeld", CALLED),
    ("ik heb 112 gebeld", CALLED),
    ("112 is al gebeld", CALLED),
    ("heb net 112 gebeld", CALLED),
    ("politie is gebeld", CALLED),
    ("politie gebeld!", CALLED),
    ("ik heb de politie gebeld", CALLED),
    ("112 al gebeld", CALLED),
    ("wij hebben 112 gebeld", CALLED),
    ("112 is gebeld, ze komen eraan", CALLED),
    ("politie is onderweg", CALLED),
    ("Verdachte man bij nr 4. 112 GEBELD", CALLED),
    ("Ik  heb\nzojuist 112 gebeld", CALLED),
    ("de politie komt eraan", CALLED),
    ("meldkamer gebeld, signalement doorgegeven", CALLED),
    ("112 gebeld. Wie kan er gaan kijken?", CALLED),
    # --- reports (English)
    ("I called 112", CALLED),
    ("112 has been called", CALLED),
    ("police have been called", CALLED),
    ("called the police", CALLED),
    ("We’ve called the police, they’re coming", CALLED),
    # --- intent: about to call, asking whether to call, urging (Dutch)
    ("ik bel 112", INTENT),
    ("ik bel nu 112", INTENT),
    ("zal ik 112 bellen?", INTENT),
    ("bel 112!", INTENT),
    ("moet iemand 112 bellen?", INTENT),
    ("iemand 112 bellen?", INTENT),
    ("ik ga de politie bellen", INTENT),
    ("bellen we 112?", INTENT),
    ("Bel even de politie", INTENT),
    ("belt iemand 112?", INTENT),
    # --- intent (English)
    ("should I call 112?", INTENT),
    ("I’ll call the police", INTENT),
    ("call 112!", INTENT),
    ("I'm calling the police now", INTENT),
    # --- neither: negations and questions whether it was called
    ("heeft iemand 112 gebeld?", None),
    ("is 112 al gebeld?", None),
    ("112 niet gebeld", None),
    ("112 nog niet gebeld", None),
    ("bel niet meteen 112", None),
    ("niet bellen", None),
    ("niemand heeft 112 gebeld", None),
    ("wie heeft 112 gebeld?", None),
    ("112 al gebeld?", None),
    ("weet iemand of de politie is gebeld", None),
    ("hebben jullie de politie al gebeld?", None),
    ("je hoeft geen 112 te bellen", None),
    ("has anyone called 112?", None),
    ("112 is not called yet", None),
    ("nobody called the police", None),
    ("don’t call 112", None),
    ("did you call the police?", None),
    # --- neither: ordinary chatter and 112 that is not the emergency number
    ("mooi weer vandaag", None),
    ("mijn huisnummer is 112", None),
    ("bus 112 is te laat", None),
    ("ik heb de vervoerder van bus 112 gebeld", None),
    ("postcode 1120 gebeld", None),
    ("ik heb de gemeente gebeld over de lantaarnpaal", None),
    ("belletje gedaan met de buren", None),
    ("", None),
]


@pytest.fixture(scope="module")
def defaults() -> CallPatterns:
    """The built-in patterns, compiled once."""
    return load_patterns()


@pytest.mark.parametrize(("message", "expected"), TABLE)
def test_classify(defaults: CallPatterns, message: str, expected: str | None) -> None:
    """Each realistic message gets its expected classification from the defaults."""
    assert defaults.classify(message) == expected


@pytest.mark.parametrize(("message", "expected"), TABLE)
def test_predicates_agree_with_classify(
    defaults: CallPatterns, message: str, expected: str | None
) -> None:
    """is_called_report and is_call_intent follow classify and are never both true."""
    assert defaults.is_called_report(message) is (expected == CALLED)
    assert defaults.is_call_intent(message) is (expected == INTENT)


def test_table_is_large_enough() -> None:
    """The table covers at least 40 messages with all three outcomes."""
    assert len(TABLE) >= 40
    assert {expected for _, expected in TABLE} == {CALLED, INTENT, None}


def test_report_wins_over_intent(defaults: CallPatterns) -> None:
    """A message that both reports and urges a call is a report, not an intent."""
    message = "112 gebeld, bel jij ook de politie"
    assert defaults.classify(message) == CALLED
    assert not defaults.is_call_intent(message)


def test_normalise() -> None:
    """Normalising lowercases, straightens quotes, drops zero-width chars, collapses space."""
    assert normalise("  Ik’ll\u200b  BEL\t\n“112” ") == 'ik\'ll bel "112"'


def test_shipped_file_equals_defaults(defaults: CallPatterns) -> None:
    """config/patterns.toml holds the same pattern lists as the built-in defaults."""
    from_file = load_patterns(DEFAULT_PATTERNS_FILE)
    assert [p.pattern for p in from_file.called] == list(DEFAULT_CALLED)
    assert [p.pattern for p in from_file.intent] == list(DEFAULT_INTENT)
    assert [p.pattern for p in from_file.negative] == list(DEFAULT_NEGATIVE)
    for message, _ in TABLE:
        assert from_file.classify(message) == defaults.classify(message), message


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "patterns.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_file_patterns_are_used(tmp_path: Path) -> None:
    """Patterns from a file replace the defaults and match case-insensitively."""
    path = _write(
        tmp_path,
        "called = ['\\bALARM GESLAGEN\\b']\nintent = ['\\bga bellen\\b']\nnegative = []\n",
    )
    patterns = load_patterns(path)
    assert patterns.classify("Alarm geslagen!") == CALLED
    assert patterns.classify("ik ga bellen") == INTENT
    assert patterns.classify("112 gebeld") is None


def test_bad_regex_names_file_and_pattern(tmp_path: Path) -> None:
    """A pattern that is not a valid regex raises PatternsError naming file, key and pattern."""
    path = _write(tmp_path, "called = ['112 (gebeld']\nintent = []\nnegative = []\n")
    with pytest.raises(PatternsError) as info:
        load_patterns(path)
    message = str(info.value)
    assert str(path) in message
    assert "called[0]" in message
    assert "112 (gebeld" in message


@pytest.mark.parametrize("missing", ["called", "intent", "negative"])
def test_missing_key_names_file_and_key(tmp_path: Path, missing: str) -> None:
    """A file without one of the three keys raises PatternsError naming file and key."""
    body = "".join(f"{key} = []\n" for key in ("called", "intent", "negative") if key != missing)
    path = _write(tmp_path, body)
    with pytest.raises(PatternsError, match=f"missing key '{missing}'") as info:
        load_patterns(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("called = '112 gebeld'\nintent = []\nnegative = []\n", "key 'called' must be a list"),
        ("called = [112]\nintent = []\nnegative = []\n", "called[0] must be a string"),
        ("called = []\nintent = []\nnegative = []\nnegatives = []\n", "unknown key(s) negatives"),
        ("called = [\n", "not valid TOML"),
    ],
)
def test_malformed_file_is_refused(tmp_path: Path, body: str, fragment: str) -> None:
    """A non-list value, a non-string entry, an unknown key or broken TOML is refused."""
    path = _write(tmp_path, body)
    with pytest.raises(PatternsError) as info:
        load_patterns(path)
    assert fragment in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    """A path that does not exist raises PatternsError naming it."""
    path = tmp_path / "nope.toml"
    with pytest.raises(PatternsError, match="cannot read file") as info:
        load_patterns(path)
    assert str(path) in str(info.value)


def test_only_the_first_500_characters_are_classified(defaults: CallPatterns) -> None:
    """A report within the first SCAN_LIMIT characters counts; one after them is not read, so
    a long message costs no more to check than a short one."""
    filler = "Verdachte man loopt langs de achterdeuren " * 12  # about 500 characters
    assert defaults.classify("112 gebeld. " + filler) == CALLED
    assert defaults.classify(filler + " 112 gebeld") is None
    assert SCAN_LIMIT == 500


def test_no_default_pattern_repeats_a_broad_span_without_a_bound() -> None:
    """No built-in pattern has an unbounded span such as [^.!?]* between two words: searched
    from every position such a span makes the cost grow with the square of the length."""
    for pattern in (*DEFAULT_CALLED, *DEFAULT_INTENT, *DEFAULT_NEGATIVE):
        assert unbounded_span(pattern) is None, pattern


@pytest.mark.parametrize("pattern", ["\\bwie\\b[^.!?]*\\bgebeld\\b", "112.*gebeld", "\\S+ gebeld"])
def test_a_file_pattern_with_an_unbounded_span_is_refused(tmp_path: Path, pattern: str) -> None:
    """An operator's pattern with an unbounded broad span is refused with one line naming the
    file, the list and the pattern, and suggesting a bound."""
    body = f"called = ['112 gebeld']\nintent = []\nnegative = ['{pattern}']\n"
    with pytest.raises(PatternsError) as caught:
        load_patterns(_write(tmp_path, body))
    message = str(caught.value)
    assert str(tmp_path) in message and "negative[0]" in message and "{0,80}" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "message",
    [
        "112 gebeld " + "niemand " * 510,
        "112 gebeld " + "wie of " * 585,
        "called the police " + "has anyone " * 372,
    ],
)
def test_crafted_long_messages_keep_their_meaning(defaults: CallPatterns, message: str) -> None:
    """Messages crafted to make unbounded spans backtrack (4,096 characters, a negative's
    first word repeated with no verb after it) are still reports: their opening words count
    and the negative's words, with nothing to negate, do not veto."""
    assert len(message) > 4000
    assert defaults.classify(message) == CALLED
