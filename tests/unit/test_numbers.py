"""Numbers and counted words as the reader's language writes them (issue 28)."""

from __future__ import annotations

import pytest

from relaybot.domain.numbers import cell_number, number
from relaybot.domain.texts import Texts


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (0, "0", "0"),
        (12, "12", "12"),
        (3.7, "3,7", "3.7"),
        (3.75, "3,8", "3.8"),
        (12.0, "12", "12"),
        (999.96, "1.000", "1,000"),
        (1234.5, "1.234,5", "1,234.5"),
        (2990, "2.990", "2,990"),
        (1234567, "1.234.567", "1,234,567"),
        (-1234.5, "-1.234,5", "-1,234.5"),
        (-0.01, "0", "0"),
        (None, "", ""),
    ],
)
def test_number_in_dutch_and_english(value: float | None, nl: str, en: str) -> None:
    """Dutch: decimal comma, thousands point; English the other way round; one decimal at
    most, none for a whole number; nothing for no value."""
    assert number(value, "nl") == nl
    assert number(value, "en") == en


def test_cell_number_has_the_decimal_sign_and_no_grouping() -> None:
    """A spreadsheet cell keeps the language's decimal sign but no thousands separator."""
    assert cell_number(1234.5, "nl") == "1234,5"
    assert cell_number(1234.5, "en") == "1234.5"
    assert cell_number(1234567, "nl") == "1234567"
    assert cell_number(None, "nl") == ""


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("nl", 0, "0 dagen"),
        ("nl", 1, "1 dag"),
        ("nl", 2, "2 dagen"),
        ("nl", 1.5, "1,5 dagen"),
        ("nl", 1234, "1.234 dagen"),
        ("en", 1, "1 day"),
        ("en", 3, "3 days"),
        ("en", 1234, "1,234 days"),
    ],
)
def test_counted_words_in_singular_and_plural(language: str, count: float, expected: str) -> None:
    """A counted phrase is singular for exactly one and plural otherwise, its number written
    as the language writes numbers."""
    assert Texts(language).count("count_days", count) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_counted_phrase_has_both_forms(language: str) -> None:
    """Every 'count_' text has a singular and a plural form, and neither is written with
    '(en)' or '(s)'."""
    texts = Texts(language)  # type: ignore[arg-type]
    counted = [key for key in sorted(texts.keys()) if key.startswith("count_")]
    assert counted
    for key in counted:
        one, many = texts.count(key, 1), texts.count(key, 2)
        assert one != many, key
        assert "|" not in one + many, key
        assert "(en)" not in one + many and "(s)" not in one + many, key


def test_no_text_counts_with_en_or_s_in_brackets() -> None:
    """No text writes 'bericht(en)' or 'message(s)': every counted word has its singular and
    plural written out (a 'count_' text)."""
    from relaybot.domain.texts import en, nl

    assert [key for key, text in nl.TEXTS.items() if "(en)" in text] == []
    assert [key for key, text in en.TEXTS.items() if "(s)" in text] == []
