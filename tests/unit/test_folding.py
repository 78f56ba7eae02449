"""Disguised words are found and innocent Dutch is left alone (issue 25, item 5): the
blocklist and the chatter check fold text the same way (`relaybot.domain.folding`)."""

from __future__ import annotations

import pytest

from relaybot.domain import moderation as m
from relaybot.domain.folding import fold, readings, squeeze

EVASIONS = [
    "k\u200but",  # zero-width space
    "k\u200dut",  # zero-width joiner
    "k\u00adut",  # soft hyphen
    "k\u2060ut",  # word joiner
    "wat een k\u0443t buurt",  # Cyrillic у
    "\u03baut",  # Greek κ
    "\u043a\u0443\u0442",  # all three letters Cyrillic
    "ｋｕｔ",  # fullwidth
    "𝐤𝐮𝐭",  # mathematical bold
    "k u t",
    "k.u.t",
    "k-u-t",
    "t y f u s",
    "kuuut",
    "kloooootzaaak",
    "t3ring",
    "g0dverdomme",
    "kl00tzak",
    "k*t",
    "t\u0443fus",  # the Cyrillic у read as a y
    "KÚT!",
]

INNOCENT = [
    "Mijn kleren hangen nog buiten",
    "Niet negeren: er loopt iemand rond",
    "Wat lullig dat je fiets weg is",
    "De buurman heeft kanker, wees lief",
    "Verdachte auto bij de school",
    "Om 21:05 bij nummer 13, a.u.b. even bellen",
    "t.a.v. de bewoners van nr. 7",
    "Ik zie u zo, tot straks",
    "Hallo!!! Wie heeft er een ladder?",
    "Haaaallo allemaal, wat een weeeer",
    "5* service van de bakker",
    "**Belangrijk**: deur op slot",
    "Het is de 3e keer deze week",
    "Zaterdag 14-12 om 10u30 bij de kerk",
    "Een kat, een k a t, een kater",
    "Kerkakker 12a, 5688 AB",
    "\u041f\u0440\u0438\u0432\u0435\u0442, \u03ba\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1",
    "Ter info: de koolmees is terug",
    "Kloosterstraat, Tyfoon-alarm was een test",
    # a stretched word elsewhere in the message squeezes nothing but itself
    "De makaken in Artis zijn los, zie www.artis.nl",
    "Superrr, de makaken in Artis",
    "Neeee, Mongol rally gaat door",
]


@pytest.fixture(scope="module")
def shipped() -> m.Blocklist:
    return m.load_blocklist()


@pytest.mark.parametrize("text", EVASIONS)
def test_a_disguised_blocked_word_is_found(shipped: m.Blocklist, text: str) -> None:
    assert shipped.hits(text), text


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_text_stays_innocent(shipped: m.Blocklist, text: str) -> None:
    assert not shipped.hits(text), text


def test_fold_reads_plain_ascii_as_lowercase_only() -> None:
    """Most messages: nothing but lowercase (the quick path), and one reading."""
    assert fold("Verdachte Auto") == "verdachte auto"
    assert readings("verdachte auto") == ["verdachte auto"]


def test_the_plain_reading_is_always_tried_first() -> None:
    """A reading is tried beside the text as it is, never instead: 'kut!' stays 'kut!' though
    '!' may stand for an i between letters."""
    assert readings(fold("KUT!"))[0] == "kut!"
    assert "kut" in readings(fold("k*t")) and "k*t" in readings(fold("k*t"))


def test_squeeze_shortens_every_run() -> None:
    assert squeeze("klootzaaak") == "klotzak"


@pytest.mark.parametrize(
    "hidden",
    ["\u200b", "\u200d", "\u00ad", "\u2060"],
    ids=["zero-width space", "zero-width joiner", "soft hyphen", "word joiner"],
)
def test_chatter_check_and_blocklist_drop_the_same_invisible_characters(
    shipped: m.Blocklist, hidden: str
) -> None:
    """Each invisible character the blocklist drops, the chatter check drops too."""
    assert shipped.hits(f"k{hidden}ut")
    assert m.load_chatter().is_chatter(f"hal{hidden}lo allemaal, fijne avond")


def test_chatter_check_folds_like_the_blocklist() -> None:
    """The chatter check reads invisible characters and look-alikes the same way."""
    chatter = m.load_chatter()
    assert chatter.is_chatter("hallo\u200b allemaal, fijne avond")
    assert chatter.is_chatter("h\u0430llo allemaal")  # Cyrillic а
    assert chatter.is_chatter("ook een fijne \u03b1vond")  # Greek α
    assert chatter.is_chatter("ｈａｌｌｏ allemaal")  # fullwidth
    assert not chatter.is_chatter("hallo allemaal, verdachte man bij de school")


def test_chatter_patterns_with_accents_meet_folded_text() -> None:
    """A pattern an operator writes with accents still matches: the text is folded, and so
    is the pattern."""
    chatter = m.chatter_from({"patterns": [r"\béén keer per jaar\b"], "unless": []}, "t.toml")
    assert chatter.is_chatter("Dit doen we één keer per jaar")
    assert chatter.is_chatter("Dit doen we een keer per jaar")
