"""One search for a whole list of regular expressions (the 112 patterns, the chatter patterns).

Every group message is searched, so this sits on the bot's busiest path. A list is joined into
one alternation where that keeps each pattern's meaning (numbered backreferences and inline
flags would change meaning inside it). Two things make the joined search fast:

- the text searched is lowercase already, so a plain-ASCII text searched with a list without
  capital letters needs no IGNORECASE (which halves the time of a long alternation);
- the patterns that start with a word boundary share one: ``\\b(?:a|b)`` checks the boundary
  once at each position of the text where ``(?:\\ba)|(?:\\bb)`` checks it for every pattern
  (twice as fast on the chatter patterns). A pattern with an alternation of its own at the top
  level (``\\bfoo|bar``) keeps its boundary, where sharing it would change its meaning.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Callable, Iterable

Matcher = Callable[[str], bool]

_UNJOINABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?[aiLmsux-]+[:)]")
_BOUNDARY = "\\b"


def any_of(patterns: tuple[re.Pattern[str], ...]) -> Matcher:
    """A matcher that is true when any pattern of the list is found in a (lowercase) text."""
    if not patterns:
        return lambda _text: False
    if not any(_UNJOINABLE.search(p.pattern) for p in patterns):
        source = joined_source([p.pattern for p in patterns])
        try:
            folding = re.compile(source, re.IGNORECASE)
        except re.error:
            pass
        else:
            if not source.isascii() or any(c.isupper() for c in source):
                return lambda text: folding.search(text) is not None
            # IGNORECASE also lets "i" match a dotless "ı" and "s" a long "ſ": only a text
            # of plain ASCII (nearly every message) is searched without it
            plain = re.compile(source)
            first = first_look(patterns)
            if first is None:
                return lambda text: (plain if text.isascii() else folding).search(text) is not None
            look = first.search

            def matches(text: str) -> bool:
                if text.isascii():
                    return look(text) is not None and plain.search(text) is not None
                return folding.search(text) is not None

            return matches
    return lambda text: any(p.search(text) for p in patterns)


def first_look(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str] | None:
    """A quick search that finds something wherever one of the patterns could match, or None
    when that cannot be told: the literal texts their matches must begin with ("politie",
    "bel", "te koop"), searched case-sensitively as the patterns' own letters are written.
    A search for plain words skips most of a text at C speed, where the patterns themselves
    are tried at every position (a leading word boundary keeps Python's engine from skipping
    ahead): a message without any of the words is done with in a third of the time."""
    starts: set[str] = set()
    for pattern in patterns:
        try:
            found = _starts(sre_parse.parse(pattern.pattern, pattern.flags).data)
        except Exception:  # a parser from another Python: no quick look
            return None
        if found is None or "" in found[0]:
            return None
        starts |= found[0]
    # "bel" finds everything "bellen" would: the longer start adds nothing
    kept = [s for s in starts if not any(s != o and s.startswith(o) for o in starts)]
    return re.compile(_as_tree(kept))


def _as_tree(words: list[str]) -> str:
    """`words` (none the start of another) as one alternation that shares their common
    beginnings ("g(?:e(?:f|l)|oede)"): at each position of a text Python's engine then tries
    one branch per distinct letter, not one per word."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})

    def source(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + source(child) for char, child in sorted(node.items())]
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" if branches else ""

    return source(tree)


_SKIPPED = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)  # zero width: leaving them out only widens
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


def _starts(items: list[tuple[object, object]]) -> tuple[set[str], bool] | None:
    """The literal texts a match of the parsed `items` begins with, and whether they are all
    it can be (`True` only when `items` are literals, alternatives of literals and zero-width
    checks). None when a match can begin with anything."""
    found = {""}
    for op, av in items:
        if op in _SKIPPED:
            continue
        inner: tuple[set[str], bool] | None = None
        if op is sre.LITERAL:
            inner = ({chr(av)}, True)  # type: ignore[arg-type]
        elif op is sre.SUBPATTERN and not av[1] and not av[2]:  # type: ignore[index]
            inner = _starts(av[3])  # type: ignore[index]
        elif op is sre.BRANCH:
            each = [_starts(branch) for branch in av[1]]  # type: ignore[index]
            if all(e is not None for e in each):
                inner = (set().union(*(e[0] for e in each)), all(e[1] for e in each))  # type: ignore[index]
        elif op is sre.ATOMIC_GROUP:
            inner = _starts(av)  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:  # type: ignore[index]
            once = _starts(av[2])  # type: ignore[index]
            if once is not None:
                inner = (once[0], once[1] and av[0] == av[1] == 1)  # type: ignore[index]
        if inner is None or (found != {""} and len(inner[0]) > 1):
            # more alternatives would make the quick search slower, not surer
            return (found, False) if found != {""} else None
        found = {f + i for f in found for i in inner[0]}
        if not inner[1]:
            return found, False
    return found, True


def joined_source(sources: list[str]) -> str:
    """One alternation of the sources; those that start with a word boundary share it."""
    shared = [s[len(_BOUNDARY) :] for s in sources if _shares_boundary(s)]
    alone = [s for s in sources if not _shares_boundary(s)]
    parts = [f"(?:{s})" for s in alone]
    if shared:
        parts.append(_BOUNDARY + "(?:" + "|".join(f"(?:{s})" for s in shared) + ")")
    return "|".join(parts)


def _shares_boundary(source: str) -> bool:
    return source.startswith(_BOUNDARY) and not _top_level_bar(source)


def _top_level_bar(source: str) -> bool:
    """Whether the pattern has a `|` outside any group (escapes and classes skipped)."""
    depth = 0
    opened = -1  # where the character class being read began (-1: none)
    escaped = False
    for index, char in enumerate(source):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif opened >= 0:
            # a "]" first in the class ("[]a]", "[^]a]") is one of its characters
            first = opened + 2 if source[opened + 1 : opened + 2] == "^" else opened + 1
            if char == "]" and index != first:
                opened = -1
        elif char == "[":
            opened = index
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False
