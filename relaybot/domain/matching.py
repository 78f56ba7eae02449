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
from collections.abc import Callable

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
            return lambda text: (plain if text.isascii() else folding).search(text) is not None
    return lambda text: any(p.search(text) for p in patterns)


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
