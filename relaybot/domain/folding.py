"""Text as the house rules compare it: the cheap tricks that hide a word from a plain search,
undone (issue 25). Pure; used by the blocklist and the chatter check alike.

:func:`fold` gives the one form every message is compared in: Unicode NFKC (fullwidth and
mathematical letters become plain ones), lowercase, invisible characters dropped (zero-width
spaces and joiners, word joiner, soft hyphen), accents dropped, and Cyrillic and Greek letters
that look like Latin ones read as those (``kуt`` with a Cyrillic у, ``κut`` with a Greek κ).

:func:`readings` adds the forms a disguised word may hide behind, only when the text holds
such a disguise: letters spaced or dotted apart joined (``k u t``, ``k.u.t``), digits and
symbols inside a word read as the letters they stand for (``t3ring``, ``k*t``), and an
ambiguous look-alike read both ways. Stretched letters (``kuuut``) are left to the caller:
:func:`squeeze_stretched` shortens every run of one letter in the stretched words only, and
the caller compares that text with squeezed words, counting only a match on a stretched word
(:func:`stretched` says when that is needed), so ``klooootzaaak`` meets ``klootzak`` while
``neeee, mongol rally`` never meets ``mongool``.

Each extra reading is tried *beside* the plain one, never instead of it, so nothing that was
found before is missed now (``kut!`` is still ``kut``, though ``!`` can stand for an ``i``).
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
        "\u2060\u2061\u2062\u2063\u2064\ufeff"),
    None,
)  # fmt: skip

# Cyrillic and Greek letters (lowercase, accents already gone) read as the Latin letter they
# are mistaken for. The Cyrillic у is read as u here and as y in a second reading.
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t",
        "у": "u", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b", "ш": "w",
        "α": "a", "β": "b", "γ": "y", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k",
        "μ": "u", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        "ς": "c", "σ": "o",
    }
)  # fmt: skip
_SECOND_LOOK = (("у", "y"),)  # a look-alike with a second likely reading

# Digits and symbols written for letters. A symbol counts only between letters (``k*t``, not
# a sentence's ``!``); more than one letter each is tried as a reading of its own.
_STANDS_FOR = {
    "0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g",
    "@": "a", "$": "s", "€": "e", "!": "i", "|": "l", "*": "aeiou",
}  # fmt: skip
_SUBSTITUTE = re.compile(r"(?<=[^\W\d_])[013457@$€!|*9]+(?=[^\W\d_])")
_SPACED = re.compile(r"(?<![^\W_])[^\W_](?:[ ._\-][^\W_]){2,}(?![^\W_])")
_STRETCH = re.compile(r"([^\W\d_])\1\1")
_RUNS = re.compile(r"([^\W\d_])\1+")
# anything that may call for a reading beyond the plain one (one search on every message)
_TRICKS = re.compile(
    _SUBSTITUTE.pattern + "|" + _SPACED.pattern + "|" + "[" + "".join(s for s, _ in _SECOND_LOOK)
    + "]"
)  # fmt: skip


def fold(text: str) -> str:
    """The plain form: NFKC, lowercase, invisible characters, accents and look-alikes gone.
    Plain ASCII (most messages) is only lowercased."""
    lowered = text.casefold()
    if lowered.isascii():
        return lowered
    lowered = unicodedata.normalize("NFKC", text).casefold().translate(_INVISIBLE)
    decomposed = unicodedata.normalize("NFKD", lowered)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    keep = "".join(s for s, _ in _SECOND_LOOK if s in bare)
    # the second-look letters survive this step so that `readings` can read them both ways
    table = _LOOKALIKES if not keep else {**_LOOKALIKES, **{ord(c): c for c in keep}}
    return bare.translate(table)


# Plain ASCII (nearly every message) is first asked one cheap question: could it hold any
# disguise at all (a digit or symbol beside a letter, a lone letter between separators, a
# letter three times in a row)? Most messages cannot, and skip every other search.
_ASCII_SUSPECT = re.compile(
    r"[a-z][013457@$!|*9]|[013457@$!|*9][a-z]|[ ._\-][a-z0-9][ ._\-]|([a-z])\1\1"
)


def plain(folded: str) -> bool:
    """True when the folded text cannot hide a word: its only reading is itself, and no
    letter in it is stretched."""
    return folded.isascii() and _ASCII_SUSPECT.search(folded) is None


def readings(folded: str) -> list[str]:
    """The folded text and the other forms it may be hiding a word in (usually just one)."""
    if _TRICKS.search(folded) is None:
        return [folded]
    joined = _SPACED.sub(lambda m: re.sub(r"[ ._\-]", "", m.group()), folded)
    forms = [folded] if joined == folded else [folded, joined]
    for source, reading in _SECOND_LOOK:
        if source in folded:
            forms = [f.replace(source, _LOOKALIKES[ord(source)]) for f in forms] + [
                f.replace(source, reading) for f in forms
            ]
    spelled = []
    for form in forms:
        if _SUBSTITUTE.search(form) is None:
            continue
        for choice in range(5):  # '*' may be any of five vowels; '1' an i or an l
            spelled.append(_SUBSTITUTE.sub(lambda m, c=choice: _spell(m.group(), c), form))
    return list(dict.fromkeys(forms + spelled))


def _spell(symbols: str, choice: int) -> str:
    return "".join(_STANDS_FOR[s][min(choice, len(_STANDS_FOR[s]) - 1)] for s in symbols)


def stretched(folded: str) -> bool:
    """True when a letter stands three or more times in a row (``kuuut``)."""
    return _STRETCH.search(folded) is not None


def squeeze(text: str) -> str:
    """Every run of one letter shortened to one: ``klootzak`` -> ``klotzak``."""
    return _RUNS.sub(r"\1", text)


_WORD = re.compile(r"\w+")


def squeeze_stretched(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with only its stretched words squeezed (``neeee mongol`` -> ``ne mongol``),
    and where those squeezed words now stand. A match that counts must overlap one of them:
    squeezing an unstretched word would make ``makaken`` a ``makakken``."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    kept = length = 0
    for word in _WORD.finditer(text):
        if _STRETCH.search(word.group()) is None:
            continue
        pieces.append(text[kept : word.start()])
        length += word.start() - kept
        short = squeeze(word.group())
        pieces.append(short)
        spans.append((length, length + len(short)))
        length += len(short)
        kept = word.end()
    pieces.append(text[kept:])
    return "".join(pieces), spans
