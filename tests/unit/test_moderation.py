"""House rules and moderation as pure decisions (relaybot/domain/moderation.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from relaybot.domain import moderation as m
from relaybot.domain.folding import readings, squeeze, squeeze_stretched, stretched
from relaybot.domain.moderation import (
    Blocklist,
    Exempt,
    FloodCounter,
    ModerationFileError,
    Sender,
    Warning,
    WarningKind,
)
from relaybot.domain.patterns import DEFAULT_PATTERNS_FILE, load_patterns

CHAT = -1001000000101
SHIPPED = load_patterns  # keep the import used when the file is read below


@pytest.fixture(scope="module")
def shipped() -> Blocklist:
    return m.load_blocklist(m.DEFAULTS_DIR / "blocklist.txt")


# --- blocklist --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wat een klootzak, die vent",
        "KLOOTZAK",
        "dat is gewoon kút",  # accents do not hide a word
        "kut-weer vandaag",  # a hyphen ends a word
        "ach, godverdomme!",
        "die neger weer",
    ],
)
def test_blocked_whole_words_are_found(shipped: Blocklist, text: str) -> None:
    """A listed word counts in any case, with or without accents, between punctuation."""
    assert shipped.hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mijn kleren hangen nog buiten",  # klere inside kleren
        "Niet negeren: er loopt iemand rond",  # neger inside negeren
        "Wat lullig dat je fiets weg is",  # lul inside lullig
        "De buurman heeft kanker, wees lief",  # kanker alone is not listed
        "Verdachte auto bij de school",
        "",
    ],
)
def test_blocked_word_inside_a_longer_innocent_word_is_not_found(
    shipped: Blocklist, text: str
) -> None:
    """Whole words only: a listed word inside a longer word, or an unlisted word, earns nothing."""
    assert not shipped.hits(text)


def test_the_quick_look_changes_no_blocklist_answer(shipped: Blocklist) -> None:
    """Texts made of listed words, their beginnings and ends, longer words that hold them and
    punctuation: each is found exactly when one listed word stands in it as a whole word."""
    import random
    import re

    def whole(word: str) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, word.split())) + r"(?!\w)")

    plain = [whole(m.fold(w)) for w in shipped.words]
    squeezed = [whole(squeeze(m.fold(w))) for w in shipped.words]

    def found(text: str) -> bool:  # every word searched alone, in every reading of the text
        forms = readings(m.fold(text))
        return any(p.search(f) for p in plain for f in forms) or any(
            a < d and c < b
            for f in forms
            if stretched(f)
            for text, spans in [squeeze_stretched(f)]
            for p in squeezed
            for found in p.finditer(text)
            for a, b in [found.span()]
            for c, d in spans
        )

    pieces = [*shipped.words, "kleren", "lullig", "ge", "ver", "kan", "ker", "-", "!", "é", ","]
    pieces += [w[:3] for w in shipped.words] + [w[2:] for w in shipped.words]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "  "]) for _ in range(4))
        assert shipped.hits(text) == found(text), text


def test_blocklist_file_format(tmp_path: Path) -> None:
    """One entry a line, `#` comments (also after an entry), blank lines skipped, phrases
    matched across any whitespace, accents in the list folded too."""
    listed = Blocklist.parse("# kop\n\nrotzak  # na een woord\nvuile  rat\néén\n")
    assert listed.hits("ROTZAK!")
    assert listed.hits("jij vuile\n rat")
    assert not listed.hits("vuile was")
    assert listed.hits("een")


def test_blocklist_entry_without_letters_is_refused(tmp_path: Path) -> None:
    """An entry that cannot be a word is refused with the file and line named."""
    path = tmp_path / "blocklist.txt"
    path.write_text("kut\n!!!\n", encoding="utf-8")
    with pytest.raises(ModerationFileError) as caught:
        m.load_blocklist(path)
    assert "line 2" in str(caught.value) and str(path) in str(caught.value)


def test_missing_blocklist_falls_back_to_the_shipped_one(tmp_path: Path) -> None:
    """No file of the operator's: the shipped list; an empty file of theirs: nothing blocked."""
    assert m.load_blocklist(tmp_path / "absent.txt").hits("klootzak")
    empty = tmp_path / "blocklist.txt"
    empty.write_text("# nothing here\n", encoding="utf-8")
    assert not m.load_blocklist(empty).hits("klootzak")


# --- chatter ----------------------------------------------------------------------------------

CHATTER = [
    "Goedemorgen allemaal!",
    "Fijne feestdagen iedereen",
    "Welterusten buren",
    "Gefeliciteerd Marloes!",
    "Te koop: kinderfiets, 20 euro",
    "Wie heeft er een ladder die ik mag lenen?",
    "Hahaha wat een weer",
]
NOT_CHATTER = [
    "Verdachte man met een ladder bij nummer 12",
    "Er belt een man aan die zegt dat hij iets te koop heeft",
    "Goedemorgen, vannacht is er ingebroken in de Grotestraat",
    "Fietsen gestolen bij de school",
    "112 gebeld",
    "Donkere auto rijdt al drie keer langzaam door de straat",
    "",
]


@pytest.mark.parametrize("text", CHATTER)
def test_chatter_is_recognised(text: str) -> None:
    """Greetings, wishes, things for sale or to borrow, small talk: chatter."""
    assert m.load_chatter().is_chatter(text)


@pytest.mark.parametrize("text", NOT_CHATTER)
def test_safety_messages_are_never_chatter(text: str) -> None:
    """A message about safety is never chatter, even with a chatter phrase in it."""
    assert not m.load_chatter().is_chatter(text)


def test_shipped_chatter_table_equals_defaults() -> None:
    """The [chatter] table of the shipped patterns.toml holds the built-in lists, and the 112
    patterns still load from the same file."""
    data = tomllib.loads(DEFAULT_PATTERNS_FILE.read_text(encoding="utf-8"))
    assert data["chatter"]["patterns"] == list(m.DEFAULT_CHATTER)
    assert data["chatter"]["unless"] == list(m.DEFAULT_UNLESS)
    assert SHIPPED(DEFAULT_PATTERNS_FILE).classify("112 gebeld") == "called"
    from_file = m.load_chatter(DEFAULT_PATTERNS_FILE)
    for text in CHATTER:
        assert from_file.is_chatter(text), text


def test_bad_chatter_table_is_refused(tmp_path: Path) -> None:
    """A bad regex or an unknown key in [chatter] is refused, naming the file and the key."""
    path = tmp_path / "patterns.toml"
    path.write_text("[chatter]\npatterns = ['(']\n", encoding="utf-8")
    with pytest.raises(ModerationFileError, match=r"patterns\[0\]"):
        m.load_chatter(path)
    path.write_text("[chatter]\npatern = []\n", encoding="utf-8")
    with pytest.raises(ModerationFileError, match="patern"):
        m.load_chatter(path)


# --- flooding ---------------------------------------------------------------------------------


def test_thirty_messages_in_a_minute_are_one_finding() -> None:
    """Over the limit counts once per crossing, not once per message."""
    counter = FloodCounter(limit=10)
    found = [counter.hit(CHAT, 7, 1000.0 + i) for i in range(30)]
    assert found.count(True) == 1
    assert found.index(True) == 10  # the eleventh message is the first over ten a minute


def test_messages_spread_over_minutes_are_no_flood() -> None:
    """Ten a minute, steadily, never crosses a limit of ten."""
    counter = FloodCounter(limit=10)
    assert not any(counter.hit(CHAT, 7, 1000.0 + i * 6.5) for i in range(100))


def test_flood_is_counted_per_member_and_chat() -> None:
    """Two members sharing a minute are counted apart."""
    counter = FloodCounter(limit=3)
    hits = [counter.hit(CHAT, member, 5.0) for _ in range(3) for member in (1, 2)]
    assert not any(hits)
    assert counter.hit(CHAT, 1, 6.0)


def test_flood_counter_forgets_quiet_members() -> None:
    """Memory stays flat: members quiet for a window are swept away."""
    counter = FloodCounter(limit=10)
    for member in range(5000):
        counter.hit(CHAT, member, 0.0)
    for i in range(4096):  # the sweep runs now and then, not on every message
        counter.hit(CHAT, 1, 1000.0 + i)
    assert len(counter) == 1


# --- who is never warned ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sender", "co_admin", "reason"),
    [
        (Sender(CHAT, 42), True, Exempt.CO_ADMIN),
        (Sender(CHAT, 99, is_bot=True), False, Exempt.BOT),
        (Sender(CHAT, 1087968824, sender_chat_id=CHAT), False, Exempt.ANONYMOUS_ADMIN),
        (Sender(CHAT, 136817688, sender_chat_id=-1009), False, Exempt.CHANNEL),
        (Sender(CHAT, 1087968824), False, Exempt.UNKNOWN),
        (Sender(CHAT, 0), False, Exempt.UNKNOWN),
        (Sender(CHAT, 42), False, None),
    ],
)
def test_who_is_never_warned(sender: Sender, co_admin: bool, reason: Exempt | None) -> None:
    """Co-admins, bots, the group itself and channels are never warned; a resident may be."""
    assert m.never_warned(sender, co_admin) == reason


# --- warnings ---------------------------------------------------------------------------------


def _warning(n: int, at: float) -> Warning:
    return Warning(n, CHAT, 7, at, WarningKind.MANUAL)


def test_warnings_older_than_warning_days_do_not_count() -> None:
    """Only warnings younger than `warning_days` count, oldest first."""
    now = 100 * m.DAY
    given = [_warning(1, now - 91 * m.DAY), _warning(3, now - 1), _warning(2, now - 89 * m.DAY)]
    assert [w.id for w in m.counting(given, now, 90)] == [2, 3]
    assert m.counting(given, now, 0.5) == [given[1]]


def test_removal_question_at_max_warnings_once() -> None:
    """At max_warnings the co-admins are asked, and not again while that question is open."""
    assert not m.needs_card(2, 3, False)
    assert m.needs_card(3, 3, False)
    assert not m.needs_card(3, 3, True)
    assert m.needs_card(4, 3, False)  # kept after a question, warned again: asked again


def test_reason_is_one_short_line() -> None:
    """A co-admin's reason is kept on one line and cut to size."""
    assert m.clean_reason("  schelden\n in de groep ") == "schelden in de groep"
    assert len(m.clean_reason("x" * 500)) == m.REASON_LIMIT


def test_reminders_once_a_period() -> None:
    """A reminder is due the first time and again only after its period."""
    assert m.reminder_due(None, 10.0, m.REMINDER_PERIOD)
    assert not m.reminder_due(10.0, 10.0 + m.DAY - 1, m.REMINDER_PERIOD)
    assert m.reminder_due(10.0, 10.0 + m.DAY, m.REMINDER_PERIOD)
    assert not m.reminder_due(0.0, 29 * m.DAY, m.PHOTO_PERIOD)
    assert m.reminder_due(0.0, 30 * m.DAY, m.PHOTO_PERIOD)


def test_one_welcome_per_burst() -> None:
    """Joins soon after a welcome share it; the bot joining is nobody to welcome."""
    assert m.welcome_due(None, 0.0)
    assert not m.welcome_due(0.0, 60.0)
    assert m.welcome_due(0.0, m.WELCOME_BURST)
    assert m.newcomers([5, 1, 6], bot_id=1) == [5, 6]


# --- the rules ----------------------------------------------------------------------------------


def test_shipped_rules_render_in_both_languages() -> None:
    """The shipped rules.md and rules.en.md render as short Telegram HTML with SAAR and the
    house rules from the seeds (18+, live or work here, photos, no private chatter)."""
    nl = m.rules_html(m.load_rules(m.DEFAULTS_DIR / "rules.md"))
    en = m.rules_html(m.load_rules(m.DEFAULTS_DIR / "rules.en.md"))
    for rendered in (nl, en):
        assert rendered.startswith("<b>") and len(rendered) < 4000
        assert "112" in rendered and "18" in rendered
    assert "<b>S</b>ignaleer" in nl and "onderlinge gesprekken" in nl
    assert "<b>S</b>pot" in en and "private conversations" in en


def test_rules_markdown_is_escaped() -> None:
    """An operator's `<` or `&` appears as written; headings and items become bold and bullets."""
    assert (
        m.rules_html("# A & B\n- **x** < y\ntekst") == "<b>A &amp; B</b>\n• <b>x</b> &lt; y\ntekst"
    )


def test_missing_rules_file_falls_back_to_the_shipped_one(tmp_path: Path) -> None:
    """An operator without their own rules.md gets the shipped rules."""
    assert "SAAR" in m.load_rules(tmp_path / "rules.md")
