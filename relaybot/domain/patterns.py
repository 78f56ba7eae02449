"""Recognise "112 is already called" reports and "I am about to call 112" in free text.

Residents do not press buttons; they type. This module decides, for one message, whether
it *reports* that 112 / the police has been called, announces an *intent* to call, or
neither. It knows nothing about incidents or chats: the caller decides what a match means
(SPEC section 7).

How a message is classified:

1. The text is normalised: lowercased, curly quotes and apostrophes made straight,
   zero-width characters dropped, runs of whitespace collapsed to one space.
2. If any ``negative`` pattern matches, the answer is *neither*. Negatives catch
   negations ("112 niet gebeld", "bel niet meteen 112") and questions about whether it was
   called ("heeft iemand 112 gebeld?", "is 112 al gebeld?"). Such a question is deliberately
   neither a report nor an intent: it asks, it does not tell.
3. Otherwise, if any ``called`` pattern matches, it is a report ("called").
4. Otherwise, if any ``intent`` pattern matches, it is an intent ("intent").

Patterns are regular expressions, case-insensitive, applied with :func:`re.search` to the
normalised text of the message's first :data:`SCAN_LIMIT` characters (a report of a call is
short and comes early; a long message cannot make the scan expensive). A pattern may not
repeat a broad span without a bound (``[^.!?]*``, ``.*``, ``\\S+``): searched from every start
position, its cost would grow with the square of the message's length. Write ``{0,80}``.

The built-in lists below are the defaults; ``relaybot/data/patterns.toml`` ships the same
lists so an operator can copy it beside the network file and extend them without touching code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from relaybot.domain.matching import Matcher, any_of

__all__ = [
    "DEFAULT_CALLED",
    "DEFAULT_INTENT",
    "DEFAULT_NEGATIVE",
    "DEFAULT_PATTERNS_FILE",
    "SCAN_LIMIT",
    "CallPatterns",
    "Classification",
    "PatternsError",
    "load_patterns",
    "normalise",
    "unbounded_span",
]

Classification = Literal["called", "intent"]

#: The shipped ``patterns.toml``, inside the package. Not read implicitly: pass it (or another
#: file) to :func:`load_patterns`; ``load_patterns()`` uses the built-in lists.
DEFAULT_PATTERNS_FILE = Path(__file__).resolve().parents[1] / "data" / "patterns.toml"

PATTERN_KEYS = ("called", "intent", "negative")
# tables in the same file that other modules read (relaybot/domain/moderation.py: [chatter])
OTHER_TABLES = frozenset({"chatter"})

#: Only this many characters of a message are classified.
SCAN_LIMIT = 500

# A broad span repeated without a bound: a negated class, ".", or \S, \W, \D with * or +.
# (\w+ is allowed: a word ends at the next space.)
_UNBOUNDED = re.compile(r"(?:\[\^(?:\\.|[^\]])*\]|(?<!\\)\.|\\[SWD])(?:[*+]|\{\d*,\})")

# Keep these three tuples identical to relaybot/data/patterns.toml (a unit test checks it).

DEFAULT_CALLED: tuple[str, ...] = (
    # "112 gebeld", "112 is al gebeld", "ik heb 112 gebeld", "wij hebben net 112 gebeld"
    r"\b(?:112|alarmnummer|meldkamer)\b(?: \w+){0,3} gebeld\b",
    # "politie is gebeld", "politie gebeld!", "ik heb de politie gebeld"
    r"\bpolitie\b(?: \w+){0,3} gebeld\b",
    # "politie is onderweg", "de politie komt eraan": someone has called them
    r"\b(?:politie|hulpdiensten|ambulance|brandweer)\b (?:is|zijn|komt|komen)"
    r"(?: al| nu| er)? (?:onderweg|eraan|ter plaatse)\b",
    # "I called 112", "we've called the police", "called emergency services"
    r"\bcalled (?:112|911|999|the police|police|the cops|emergency services)\b",
    # "112 has been called", "police have been called", "the police were called"
    r"\b(?:112|police|cops|emergency services)\b (?:has|have|had|is|are|was|were)"
    r"(?: already| just)?(?: been)? called\b",
    # "police are on their way", "police is on the way"
    r"\bpolice (?:is|are) (?:already )?(?:on (?:the|their) way|coming)\b",
)

DEFAULT_INTENT: tuple[str, ...] = (
    # "ik bel 112", "ik bel nu 112", "bel 112!", "bel even de politie", "belt iemand 112?"
    r"\bbelt? (?:(?:nu|even|snel|maar|direct|meteen|jij|jullie|iemand|u) )*"
    r"(?:112|de politie|politie|alarmnummer)\b",
    # "zal ik 112 bellen?", "moet iemand 112 bellen?", "ik ga de politie bellen"
    r"\b(?:112|politie|alarmnummer)(?: maar| nu| even| snel)? bellen\b",
    # "bellen we 112?", "bellen jullie de politie?"
    r"\bbellen (?:we|wij|jullie|jij|ze|zij)(?: \w+)? (?:112|de politie|politie)\b",
    # "should I call 112?", "I'll call the police", "call 112!", "I'm calling 112"
    r"\b(?:call|calling) (?:112|911|999|the police|police|the cops|emergency services)\b",
)

DEFAULT_NEGATIVE: tuple[str, ...] = (
    # negation before the verb: "112 niet gebeld", "nog niet gebeld", "niet bellen",
    # "je hoeft geen 112 te bellen"
    r"\b(?:niet|geen|nooit)\b(?: \w+){0,3} (?:gebeld|bellen)\b",
    # negation after an imperative: "bel niet meteen 112", "bel maar niet"
    r"\bbel(?:len)?(?: \w+)? (?:niet|geen|nooit)\b",
    # nobody did it: "niemand heeft 112 gebeld"
    r"\bniemand\b[^.!?]{0,80}\b(?:gebeld|bellen|belt)\b",
    # asking who or whether: "heeft iemand 112 gebeld?", "hebben jullie al gebeld?"
    r"\b(?:heeft|hebben) (?:iemand|er iemand|jullie|je|jij|u)\b[^.!?]{0,80}\bgebeld\b",
    # "wie heeft 112 gebeld?", "weet iemand of de politie is gebeld?"
    r"\b(?:wie|of)\b[^.!?]{0,80}\bgebeld\b",
    # inverted question: "is 112 al gebeld?", "is de politie gebeld?"
    r"\b(?:is|zijn) (?:112|de politie|politie|de meldkamer)\b(?: \w+){0,2} gebeld\b",
    # any short question ending on the participle: "112 al gebeld?", "politie onderweg?"
    r"\b(?:gebeld|called|onderweg)\s*\?",
    # English negation: "112 is not called yet", "nobody called", "don't call 112"
    r"""\b(?:not|never|nobody|no one|\w+n't)\b(?: \w+){0,3} (?:call|called|calling)\b""",
    # English question: "has anyone called 112?", "did you call the police?"
    r"\b(?:has|have|did) (?:anyone|anybody|someone|somebody|you|they)\b[^.!]{0,80}\bcall(?:ed)?\b",
    # 112 that is not the emergency number: "bus 112", "lijn 112", "huisnummer 112"
    r"\b(?:bus|buslijn|lijn|tram|huisnummer|nummer|nr|kamer|route)\.? ?112\b",
)

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)


def normalise(text: str) -> str:
    """Lowercase, straighten quotes, drop zero-width characters, collapse whitespace. Most
    messages are plain ASCII, where only the backtick is a quote to straighten, and most of
    those have single spaces only: no tab, line break or other control character (which
    `isprintable` rules out), no two spaces in a row, none at either end. Such a text needs
    no splitting into words and joining again (the larger part of the time)."""
    if text.isascii():
        straight = text.replace("`", "'") if "`" in text else text
        if (
            straight.isprintable()
            and "  " not in straight
            and not straight.startswith(" ")
            and not straight.endswith(" ")
        ):
            return straight.lower()
    else:
        straight = text.translate(_QUOTES)
    return " ".join(straight.lower().split())


class PatternsError(Exception):
    """A patterns file cannot be used; the message names the file and the key or pattern."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


@dataclass(frozen=True)
class CallPatterns:
    """Compiled pattern lists; see the module docstring for how they combine."""

    called: tuple[re.Pattern[str], ...]
    intent: tuple[re.Pattern[str], ...]
    negative: tuple[re.Pattern[str], ...]
    # each list joined into one regex: one search per list instead of one per pattern (every
    # group message is classified, so this is on the bot's busiest path)
    _joined: tuple[Matcher, Matcher, Matcher] = field(init=False, repr=False, compare=False)

    _anything: Matcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        joined = (any_of(self.negative), any_of(self.called), any_of(self.intent))
        object.__setattr__(self, "_joined", joined)
        # only a "called" or "intent" match can make a message count; negatives merely veto
        object.__setattr__(self, "_anything", any_of(self.called + self.intent))

    def is_called_report(self, text: str) -> bool:
        """True if the message says 112 / the police has been called."""
        return self.classify(text) == "called"

    def is_call_intent(self, text: str) -> bool:
        """True if the message announces or urges a call (and does not report one)."""
        return self.classify(text) == "intent"

    def classify(self, text: str) -> Classification | None:
        """Return "called", "intent" or None for one message."""
        norm = normalise(text[:SCAN_LIMIT])
        if not self._anything(norm):  # most messages could count as neither: one scan decides
            return None
        negative, called, intent = self._joined
        if negative(norm):
            return None
        if called(norm):
            return "called"
        if intent(norm):
            return "intent"
        return None


def unbounded_span(pattern: str) -> str | None:
    """The first broad span that ``pattern`` repeats without a bound, or None."""
    found = _UNBOUNDED.search(pattern)
    return found.group(0) if found else None


def _compile(source: Path | str, key: str, raw: object) -> tuple[re.Pattern[str], ...]:
    if not isinstance(raw, list):
        raise PatternsError(source, f"key {key!r} must be a list of regex strings")
    compiled = []
    for index, pattern in enumerate(raw):
        if not isinstance(pattern, str):
            raise PatternsError(source, f"{key}[{index}] must be a string, got {pattern!r}")
        span = unbounded_span(pattern)
        if span is not None:
            raise PatternsError(
                source,
                f"{key}[{index}] repeats {span!r} without a bound, which makes long messages "
                f"slow to check; give it one, such as {{0,80}}: {pattern!r}",
            )
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise PatternsError(
                source, f"{key}[{index}] is not a valid regex: {pattern!r} ({exc})"
            ) from exc
    return tuple(compiled)


def _from_mapping(source: Path | str, data: dict[str, object]) -> CallPatterns:
    unknown = sorted(set(data) - set(PATTERN_KEYS) - OTHER_TABLES)
    if unknown:
        raise PatternsError(source, f"unknown key(s) {', '.join(unknown)}; expected {PATTERN_KEYS}")
    for key in PATTERN_KEYS:
        if key not in data:
            raise PatternsError(source, f"missing key {key!r}")
    return CallPatterns(
        called=_compile(source, "called", data["called"]),
        intent=_compile(source, "intent", data["intent"]),
        negative=_compile(source, "negative", data["negative"]),
    )


def load_patterns(path: Path | None = None) -> CallPatterns:
    """Build the patterns: the built-in defaults, or those in the TOML file at ``path``.

    The file has three keys, ``called``, ``intent`` and ``negative``, each a list of regex
    strings. Unknown keys, a missing key, a non-list value or a bad regex raise
    :class:`PatternsError` naming the file and the offending key or pattern.
    """
    if path is None:
        return _from_mapping(
            "<built-in patterns>",
            {
                "called": list(DEFAULT_CALLED),
                "intent": list(DEFAULT_INTENT),
                "negative": list(DEFAULT_NEGATIVE),
            },
        )
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise PatternsError(path, f"cannot read file ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PatternsError(path, f"not valid TOML ({exc})") from exc
    return _from_mapping(path, data)
