"""Recognising "112 gebeld" reports and "ik bel 112" intents in residents' messages."""

from __future__ import annotations

import re
import tomllib
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
    ("police are on their way", CALLED),
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
    # --- neither: the same questions typed without a question mark, a call called off
    ("heeft iemand al 112 gebeld", None),
    ("is de politie al gebeld", None),
    ("Bel maar niet, 112 bellen is niet nodig", None),
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


def _from_lists(called: list[str], intent: list[str], negative: list[str]) -> CallPatterns:
    """Patterns compiled as load_patterns compiles them (case-insensitive)."""

    def compiled(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)

    return CallPatterns(compiled(called), compiled(intent), compiled(negative))


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


def test_every_built_in_pattern_is_needed_by_the_table() -> None:
    """Each built-in pattern decides at least one message of the table: without it, some
    message would be classified differently. So no pattern goes untested, and the table
    (with all three outcomes) is large enough for the patterns it checks."""
    assert {expected for _, expected in TABLE} == {CALLED, INTENT, None}
    lists = {"called": DEFAULT_CALLED, "intent": DEFAULT_INTENT, "negative": DEFAULT_NEGATIVE}
    for key, patterns in lists.items():
        for index in range(len(patterns)):
            reduced = {k: list(v) for k, v in lists.items()}
            del reduced[key][index]
            without = _from_lists(**reduced)
            changed = [m for m, expected in TABLE if without.classify(m) != expected]
            assert changed, f"{key}[{index}] decides no message in the table"


def test_report_wins_over_intent(defaults: CallPatterns) -> None:
    """A message that both reports and urges a call is a report, not an intent."""
    message = "112 gebeld, bel jij ook de politie"
    assert defaults.classify(message) == CALLED
    assert not defaults.is_call_intent(message)


def test_normalise() -> None:
    """Normalising lowercases, straightens quotes, drops zero-width chars, collapses space."""
    assert normalise("  Ik’ll\u200b  BEL\t\n“112” ") == 'ik\'ll bel "112"'


def test_shipped_file_equals_defaults(defaults: CallPatterns) -> None:
    """The shipped patterns.toml holds the same pattern lists as the built-in defaults."""
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


# --- operator patterns the single joined regex cannot hold (issue 17) --------------------


def test_an_operator_pattern_with_a_back_reference_keeps_its_meaning(tmp_path: Path) -> None:
    """A back-reference counts groups within its own pattern: with another pattern that has
    a group before it, "\\1" still means this pattern's first group, so "ja ja gebeld"
    (a word typed twice) is a report and "ja nee gebeld" is not."""
    path = _write(
        tmp_path,
        "called = ['(alarm) geslagen', '\\b(\\w+) \\1 gebeld\\b']\nintent = []\nnegative = []\n",
    )
    patterns = load_patterns(path)
    assert patterns.classify("ja ja gebeld") == CALLED
    assert patterns.classify("ja nee gebeld") is None
    assert patterns.classify("alarm geslagen") == CALLED


def test_an_operator_pattern_with_a_named_back_reference_keeps_its_meaning(
    tmp_path: Path,
) -> None:
    """Two patterns may use the same group name with (?P=name): each is matched on its own."""
    path = _write(
        tmp_path,
        "called = ['(?P<w>\\w+) (?P=w) gebeld', '(?P<w>\\w+) (?P=w) onderweg']\n"
        "intent = []\nnegative = []\n",
    )
    patterns = load_patterns(path)
    assert patterns.classify("nu nu gebeld") == CALLED
    assert patterns.classify("al al onderweg") == CALLED
    assert patterns.classify("nu al onderweg") is None


def test_operator_patterns_with_inline_flags_are_applied(tmp_path: Path) -> None:
    """Patterns with their own inline flags ((?i), (?s), (?x)) work as written, for all
    three lists: a negative with a flag still vetoes, an intent with a flag still counts."""
    path = _write(
        tmp_path,
        "called = ['(?i)ALARM GESLAGEN', '(?s)politie.gebeld']\n"
        "intent = ['(?x) ga \\s+ bellen']\n"
        "negative = ['(?i)NIET']\n",
    )
    patterns = load_patterns(path)
    assert patterns.classify("Alarm geslagen") == CALLED
    assert patterns.classify("politie\ngebeld") == CALLED  # normalising made it one line
    assert patterns.classify("politie-gebeld") == CALLED
    assert patterns.classify("ik ga bellen") == INTENT
    assert patterns.classify("alarm geslagen? niet echt") is None
    assert patterns.is_called_report("politie-gebeld")
    assert patterns.is_call_intent("ik ga bellen")


def test_empty_pattern_lists_match_nothing(tmp_path: Path) -> None:
    """With all three lists empty nothing is ever a report or an intent."""
    patterns = load_patterns(_write(tmp_path, "called = []\nintent = []\nnegative = []\n"))
    for message, _ in TABLE:
        assert patterns.classify(message) is None, message


def test_an_empty_negative_list_vetoes_nothing(tmp_path: Path) -> None:
    """Without negatives, every report counts, questions included."""
    path = _write(tmp_path, "called = ['gebeld']\nintent = ['bellen']\nnegative = []\n")
    patterns = load_patterns(path)
    assert patterns.classify("heeft iemand 112 gebeld?") == CALLED
    assert patterns.classify("zal ik bellen?") == INTENT


def test_normalise_straightens_every_quote_and_drops_every_zero_width_character() -> None:
    """Each curly quote becomes a straight one and each zero-width character disappears,
    so "I’ve", "I‘ve", "I`ve" and "I´ve" read alike."""
    assert normalise("\u2018\u2019\u201a\u201b\u2032\u00b4`") == "'''''''"
    assert normalise("\u201c\u201d\u201e\u201f\u00ab\u00bb") == '""""""'
    assert normalise("1\u200b1\u200c2\u200d \u2060g\ufeffebeld") == "112 gebeld"


# --- error messages pinned in full (issue 17) -------------------------------------------


def test_a_bad_regex_error_is_one_exact_line(tmp_path: Path) -> None:
    """The file, the key with its index, the pattern and the regex engine's reason."""
    path = _write(tmp_path, "called = []\nintent = ['ok', '112 (gebeld']\nnegative = []\n")
    with pytest.raises(PatternsError) as info:
        load_patterns(path)
    try:
        re.compile("112 (gebeld")
    except re.error as exc:
        reason = str(exc)
    assert str(info.value) == f"{path}: intent[1] is not a valid regex: '112 (gebeld' ({reason})"
    assert info.value.path == str(path)
    assert info.value.problem == f"intent[1] is not a valid regex: '112 (gebeld' ({reason})"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            "called = '112 gebeld'\nintent = []\nnegative = []\n",
            "key 'called' must be a list of regex strings",
        ),
        (
            "called = []\nintent = []\nnegative = {a = 1}\n",
            "key 'negative' must be a list of regex strings",
        ),
        (
            "called = ['a', 112]\nintent = []\nnegative = []\n",
            "called[1] must be a string, got 112",
        ),
        (
            "called = []\nintent = []\nnegative = []\nnegatives = []\nextra = 1\n",
            "unknown key(s) extra, negatives; expected ('called', 'intent', 'negative')",
        ),
        ("intent = []\nnegative = []\n", "missing key 'called'"),
        ("called = []\nnegative = []\n", "missing key 'intent'"),
    ],
)
def test_a_malformed_patterns_file_gives_one_exact_line(
    tmp_path: Path, body: str, problem: str
) -> None:
    """Each way a patterns file can be wrong gives exactly '<file>: <problem>'."""
    path = _write(tmp_path, body)
    with pytest.raises(PatternsError) as info:
        load_patterns(path)
    assert str(info.value) == f"{path}: {problem}"


def test_broken_toml_names_the_parser_reason(tmp_path: Path) -> None:
    """A file that is not TOML gives '<file>: not valid TOML (<the parser's reason>)'."""
    path = _write(tmp_path, "called = [\n")
    with pytest.raises(tomllib.TOMLDecodeError) as parser:
        tomllib.loads("called = [\n")
    with pytest.raises(PatternsError) as info:
        load_patterns(path)
    assert str(info.value) == f"{path}: not valid TOML ({parser.value})"


def test_an_unreadable_patterns_file_names_why(tmp_path: Path) -> None:
    """A missing file and a directory each give one line with the system's reason."""
    with pytest.raises(PatternsError) as missing:
        load_patterns(tmp_path / "nope.toml")
    assert (
        str(missing.value)
        == f"{tmp_path / 'nope.toml'}: cannot read file (No such file or directory)"
    )
    with pytest.raises(PatternsError) as folder:
        load_patterns(tmp_path)
    assert str(folder.value) == f"{tmp_path}: cannot read file (Is a directory)"


def test_the_built_in_patterns_name_their_source_when_compiled() -> None:
    """load_patterns() without a file uses exactly the built-in lists."""
    built_in = load_patterns()
    assert [p.pattern for p in built_in.called] == list(DEFAULT_CALLED)
    assert [p.pattern for p in built_in.intent] == list(DEFAULT_INTENT)
    assert [p.pattern for p in built_in.negative] == list(DEFAULT_NEGATIVE)
    assert all(p.flags & re.IGNORECASE for p in built_in.called + built_in.intent)


# --- the fast paths of the busiest code (every group message) -----------------------------


def test_normalise_reads_plain_ascii_and_other_text_alike() -> None:
    """Plain ASCII takes a shorter way; it gives what the whole treatment gives: the backtick
    straightened, every kind of whitespace (tabs, form feeds, the separators \\x1c-\\x1f, a
    no-break space) collapsed to one space, the ends trimmed."""
    for text in (
        "  Ik`ll\tBEL \x0b\x0c 112\x1c\x1dnu \r\n",
        "Ik`ll\u00a0BEL\u2003112\u2028nu",
        "",
        " \t ",
    ):
        expected = re.sub(r"\s+", " ", text.replace("`", "'").lower()).strip()
        assert normalise(text) == expected, repr(text)


def test_normalise_takes_its_shortest_way_only_where_it_changes_nothing() -> None:
    """Texts of single spaces skip the split and join; any other spacing, at the ends too,
    or a control character still gets the whole treatment."""
    import random

    rng = random.Random(3)
    alphabet = ["a", "B", " ", "  ", "\t", "\n", "\x1c", "\x7f", "`", "1", "?", "\u00a0"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        expected = re.sub(r"\s+", " ", text.replace("`", "'").lower()).strip()
        assert normalise(text) == expected, repr(text)


def test_a_pattern_with_capitals_still_matches_whatever_the_case(tmp_path: Path) -> None:
    """Lists are joined without IGNORECASE when no pattern has a capital letter (the text is
    lowercase by then); a pattern written with capitals keeps matching."""
    path = _write(tmp_path, "called = ['Politie Gebeld']\nintent = ['\\bBEL\\b']\nnegative = []\n")
    patterns = load_patterns(path)
    assert patterns.classify("POLITIE gebeld!") == CALLED
    assert patterns.classify("ik bel even") == INTENT
