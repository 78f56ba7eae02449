"""One search for a whole list of regular expressions (the 112 patterns, the chatter patterns).

Every group message is searched, so this sits on the bot's busiest path. A list is joined into
one alternation where that keeps each pattern's meaning (numbered backreferences and inline
flags would change meaning inside it). The text searched is normalised to lowercase first, so a
list without capital letters needs no IGNORECASE, which halves the time of a long alternation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Matcher = Callable[[str], bool]

_UNJOINABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?[aiLmsux-]+[:)]")


def any_of(patterns: tuple[re.Pattern[str], ...]) -> Matcher:
    """A matcher that is true when any pattern of the list is found in a (lowercase) text."""
    if not patterns:
        return lambda _text: False
    if not any(_UNJOINABLE.search(p.pattern) for p in patterns):
        source = "|".join(f"(?:{p.pattern})" for p in patterns)
        flags = re.IGNORECASE if any(c.isupper() for c in source) else 0
        try:
            joined = re.compile(source, flags)
        except re.error:
            pass
        else:
            return lambda text: joined.search(text) is not None
    return lambda text: any(p.search(text) for p in patterns)
