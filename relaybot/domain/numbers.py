"""Numbers written the way the reader's language writes them.

Dutch writes a decimal comma and groups thousands with a point (``1.234,5``); English the
other way round (``1,234.5``). Every number a person reads (a text of the bot, the report,
the digest) goes through :func:`number`; a CSV cell for a spreadsheet through
:func:`cell_number`, which leaves out the grouping (see :func:`cell_number` for why).
"""

from __future__ import annotations

__all__ = ["cell_number", "number", "plural"]

# (decimal sign, thousands separator) per language
_SIGNS = {"nl": (",", "."), "en": (".", ",")}


def _parts(value: float, decimals: int) -> tuple[str, str, str]:
    """Sign, whole digits and decimals (none when the rounded value is whole)."""
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    text = f"{abs(rounded):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if fraction.strip("0") == "":
        fraction = ""
    return ("-" if rounded < 0 else ""), whole, fraction


def number(value: float | None, language: str = "nl", decimals: int = 1) -> str:
    """``value`` for a reader: at most ``decimals`` decimals (none for a whole number),
    thousands grouped. nl: 1234.5 -> '1.234,5', 3.75 -> '3,8', 12 -> '12';
    en: '1,234.5', '3.8', '12'. None -> ''."""
    if value is None:
        return ""
    point, group = _SIGNS.get(language, _SIGNS["en"])
    sign, whole, fraction = _parts(value, decimals)
    head = len(whole) % 3 or 3
    grouped = group.join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))])
    return sign + grouped + (point + fraction if fraction else "")


def cell_number(value: float | None, language: str = "nl", decimals: int = 1) -> str:
    """``value`` for a spreadsheet cell: the language's decimal sign, no grouping. A
    spreadsheet groups digits itself, and a grouping point would be read as a decimal point
    by one set to another language. nl: 1234.5 -> '1234,5'; en: '1234.5'. None -> ''."""
    if value is None:
        return ""
    point, _ = _SIGNS.get(language, _SIGNS["en"])
    sign, whole, fraction = _parts(value, decimals)
    return sign + whole + (point + fraction if fraction else "")


def plural(forms: str, count: float) -> str:
    """The singular or the plural of ``forms`` ('one|many'): the singular for exactly 1,
    the plural for anything else (0 borden, 2 borden, 1,5 uur)."""
    one, _, many = forms.partition("|")
    return one if count == 1 or not many else many
