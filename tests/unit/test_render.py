"""What copies look like: content, 112 state in the network's time zone, escaping, limits."""

from __future__ import annotations

import html
import re
import string
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from relaybot.domain.model import Flag, FollowUp, Incident, State, Withdrawn
from relaybot.domain.render import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    already_called,
    cut,
    notice,
    render_alert,
    render_followup,
    state_line,
    utf16_len,
    withdrawn_notice,
)
from relaybot.domain.texts import Texts, en, nl

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NL = Texts("nl")
EN = Texts("en")
PLACE = "Goor Oost (Goor)"
WINTER = datetime(2024, 1, 15, 12, 5, tzinfo=UTC).timestamp()  # 13:05 CET
SUMMER = datetime(2024, 7, 15, 12, 5, tzinfo=UTC).timestamp()  # 14:05 CEST
NASTY = "<b>Jan & Piet</b>"


def incident(**changes: object) -> Incident:
    base = Incident(
        number=12,
        source_slug="goor-oost",
        source_chat_id=-101,
        origin_message_id=10,
        text="Verdachte man loopt langs de auto's",
        media=None,
        note="",
        author="",
        state=State.OPEN,
        created_at=WINTER,
    )
    return replace(base, **changes)


def alert(inc: Incident, texts: Texts = NL, **kwargs: object):
    options: dict[str, object] = {
        "texts": texts,
        "place": PLACE,
        "tz": AMSTERDAM,
        "ttl_hours": 12,
    }
    options.update(kwargs)
    return render_alert(inc, **options)  # type: ignore[arg-type]


def visible(markup: str) -> str:
    """What a reader sees: tags stripped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# --- content ----------------------------------------------------------------------------


def test_open_alert_is_self_contained_and_has_the_button() -> None:
    """An open alert shows number, place, text, note and '112: nog niet gebeld', with button."""
    rendered = alert(incident(note="Camera aan de Markt"))
    seen = visible(rendered.html)
    assert "#12" in seen
    assert PLACE in seen
    assert "Verdachte man loopt langs de auto's" in seen
    assert "Camera aan de Markt" in seen
    assert "112: nog niet gebeld" in seen
    assert rendered.button is True


def test_alert_without_note_has_no_note_line() -> None:
    """Without a co-admin note, the 'Beheerder:' line is absent."""
    assert "Beheerder" not in alert(incident()).html


def test_alert_hides_the_author_unless_the_network_opts_in() -> None:
    """The original author's name appears only with show_author."""
    inc = incident(author="Karel Appel")
    assert "Karel Appel" not in alert(inc).html
    assert "Karel Appel" in alert(inc, show_author=True).html


def test_media_alert_without_text_still_shows_header_and_state() -> None:
    """A photo without caption gives a caption with number and 112 state, no empty line."""
    rendered = alert(incident(text="", media="photo"), caption=True)
    seen = visible(rendered.html)
    assert "#12" in seen
    assert "112: nog niet gebeld" in seen
    assert "\n\n" not in seen


@pytest.mark.parametrize(
    ("at", "shown"),
    [
        (WINTER, "13:05"),  # CET, UTC+1
        (SUMMER, "14:05"),  # CEST, UTC+2
        (datetime(2024, 3, 31, 1, 30, tzinfo=UTC).timestamp(), "03:30"),  # just after the switch
    ],
)
def test_flagged_alert_shows_who_called_in_local_time(at: float, shown: str) -> None:
    """A flagged alert shows '112 gebeld om HH:MM door NAME (PLACE)' in Amsterdam time."""
    flag = Flag(at, "Bram", "Goor West (Goor)", -102)
    rendered = alert(incident(flag=flag))
    assert f"112 gebeld om {shown} door Bram (Goor West (Goor))" in visible(rendered.html)
    assert "nog niet gebeld" not in rendered.html
    assert rendered.button is False


def test_flag_time_follows_the_network_time_zone() -> None:
    """The same moment reads differently in another network time zone."""
    flag = Flag(WINTER, "Bram", "Goor West (Goor)", -102)
    rendered = alert(incident(flag=flag), tz=ZoneInfo("America/New_York"))
    assert "om 07:05 door" in visible(rendered.html)


def test_resolved_alert_without_note() -> None:
    """A resolved alert says 'Afgehandeld' and loses the button."""
    rendered = alert(incident(state=State.RESOLVED))
    assert "Afgehandeld" in visible(rendered.html)
    assert rendered.button is False


def test_resolved_alert_with_closing_note() -> None:
    """A closing note appears after 'Afgehandeld:'."""
    rendered = alert(incident(state=State.RESOLVED, closing_note="verdachte aangehouden"))
    assert "Afgehandeld: verdachte aangehouden" in visible(rendered.html)
    assert rendered.button is False


def test_resolved_flagged_alert_keeps_the_flag_line() -> None:
    """Resolving a flagged incident keeps showing who called 112."""
    flag = Flag(SUMMER, "Bram", "Goor West (Goor)", -102)
    seen = visible(alert(incident(state=State.RESOLVED, flag=flag)).html)
    assert "112 gebeld om 14:05 door Bram" in seen
    assert "Afgehandeld" in seen


def test_expired_alert_says_after_how_many_hours() -> None:
    """An expired alert says it expired after the TTL and loses the button."""
    rendered = alert(incident(state=State.EXPIRED), ttl_hours=12)
    assert "Verlopen (geen nieuws na 12 uur)" in visible(rendered.html)
    assert rendered.button is False


def test_english_alert() -> None:
    """With Texts('en') the alert is in English."""
    rendered = alert(incident(), texts=EN)
    seen = visible(rendered.html)
    assert "Alert #12" in seen
    assert "112: not called yet" in seen
    assert "Melding" not in seen


def test_english_flag_notice_and_already_called() -> None:
    """The English notice and 'already called' answer carry local time and name."""
    flag = Flag(SUMMER, "Bram", "Goor West (Goor)", -102)
    assert "112 was called</b> at 14:05 by Bram (Goor West (Goor))" in notice(EN, flag, AMSTERDAM)
    assert "already called at 14:05 by Bram" in already_called(EN, flag, AMSTERDAM)


def test_dutch_notice_and_already_called_use_local_time() -> None:
    """'112 is al gebeld om HH:MM door NAME' is in the network's time zone."""
    flag = Flag(WINTER, "Bram", "Goor West (Goor)", -102)
    assert "112 is al gebeld om 13:05 door Bram" in already_called(NL, flag, AMSTERDAM)
    assert "om 13:05 door Bram (Goor West (Goor))" in notice(NL, flag, AMSTERDAM)


def test_followup_shows_number_place_and_text() -> None:
    """A relayed follow-up names the incident and where it came from."""
    followup = FollowUp(1, 12, -102, 55, "Hij rijdt weg in een rode auto", None, "Goor West")
    seen = visible(render_followup(followup, incident(), texts=NL))
    assert "#12" in seen
    assert "Goor West" in seen
    assert "rode auto" in seen


# --- escaping ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [NASTY, "1 < 2 > 0", "Tom & Jerry's <i>"])
def test_user_text_name_and_notes_are_escaped(value: str) -> None:
    """Text, note, flag name, flag place and closing note are all escaped and each reads
    back exactly as written."""
    flag = Flag(WINTER, value, value, -102)
    inc = incident(text=value, note=value, flag=flag, state=State.RESOLVED, closing_note=value)
    out = alert(inc).html
    assert "<b>Jan" not in out
    assert "<i>" not in out
    # every one of the five fields escaped, not just one of them
    assert out.count(html.escape(value, quote=False)) == 5
    assert visible(out).count(value) == 5


def test_escaped_text_unescapes_to_the_original() -> None:
    """Stripping the bot's tags and unescaping gives back the original text."""
    out = alert(incident(text=NASTY)).html
    assert NASTY in visible(out).splitlines()


def test_followup_text_is_escaped() -> None:
    """A follow-up's text is escaped too."""
    followup = FollowUp(1, 12, -102, 55, NASTY, None, "Goor & West")
    out = render_followup(followup, incident(), texts=NL)
    assert "&lt;b&gt;Jan &amp; Piet&lt;/b&gt;" in out
    assert "Goor &amp; West" in out


def test_notice_escapes_the_reporter_name() -> None:
    """A reporter's name with markup does not become markup in the notice."""
    flag = Flag(WINTER, NASTY, "Goor West (Goor)", -102)
    out = notice(NL, flag, AMSTERDAM)
    assert "&lt;b&gt;Jan &amp; Piet&lt;/b&gt;" in out
    assert NASTY in visible(out)


# --- limits -----------------------------------------------------------------------------


def test_long_text_is_cut_to_the_message_limit_with_an_ellipsis() -> None:
    """A 5000-character text fits 4096 visible units and its text ends with '…'."""
    rendered = alert(incident(text="x" * 5000, note="let op"))
    seen = visible(rendered.html)
    assert utf16_len(seen) <= TEXT_LIMIT
    assert utf16_len(seen) >= TEXT_LIMIT - 1  # cut, not truncated far more than needed
    text_line = next(line for line in seen.splitlines() if line.startswith("xxx"))
    assert text_line.endswith("…")
    assert "let op" in seen
    assert "112: nog niet gebeld" in seen


def test_long_caption_is_cut_to_the_caption_limit() -> None:
    """A 1500-character caption fits 1024 visible units and ends its text with '…'."""
    rendered = alert(incident(text="y" * 1500, media="photo"), caption=True)
    seen = visible(rendered.html)
    assert CAPTION_LIMIT - 1 <= utf16_len(seen) <= CAPTION_LIMIT
    assert "y…" in seen
    assert "112: nog niet gebeld" in seen


def test_cut_counts_escaped_characters_as_they_are_seen() -> None:
    """Text full of '&' and '<' is cut by what the reader sees, not by its escaped length."""
    rendered = alert(incident(text="&<" * 3000))
    seen = visible(rendered.html)
    assert utf16_len(seen) <= TEXT_LIMIT
    assert utf16_len(seen) >= TEXT_LIMIT - 1


def test_emoji_count_as_two_units_when_cutting() -> None:
    """Emoji outside the BMP count 2 units each, so 3000 of them are cut to fit 4096."""
    rendered = alert(incident(text="😀" * 3000))
    seen = visible(rendered.html)
    assert utf16_len(seen) <= TEXT_LIMIT
    assert len(seen) < TEXT_LIMIT  # fewer characters than units: surrogate pairs counted
    assert "😀…" in seen


def test_text_at_the_limit_is_not_cut() -> None:
    """A text that fits exactly is shown whole, without an ellipsis."""
    room = TEXT_LIMIT - utf16_len(visible(alert(incident(text="")).html)) - 1  # the newline
    rendered = alert(incident(text="z" * room))
    seen = visible(rendered.html)
    assert "z" * room in seen
    assert "…" not in seen
    assert utf16_len(seen) == TEXT_LIMIT


def test_followup_is_cut_to_the_limit() -> None:
    """A long follow-up fits the message limit too."""
    followup = FollowUp(1, 12, -102, 55, "w" * 6000, None, "Goor West")
    seen = visible(render_followup(followup, incident(), texts=NL))
    assert utf16_len(seen) <= TEXT_LIMIT
    assert seen.endswith("…")


def test_utf16_len() -> None:
    """Length in UTF-16 code units: BMP characters 1, astral characters 2."""
    assert utf16_len("") == 0
    assert utf16_len("abc") == 3
    assert utf16_len("é€") == 2
    assert utf16_len("😀") == 2
    assert utf16_len("a😀b") == 4


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("abc", 3, "abc"),
        ("abcd", 3, "ab…"),
        ("ab   cdef", 6, "ab…"),  # no space before the ellipsis
        ("😀😀😀", 4, "😀…"),  # never half an emoji
        ("a😀b", 2, "a…"),
        ("", 5, ""),
    ],
)
def test_cut(text: str, limit: int, expected: str) -> None:
    """cut() keeps text that fits and otherwise ends with '…' within the limit."""
    result = cut(text, limit)
    assert result == expected
    assert utf16_len(result) <= limit


# --- the text tables --------------------------------------------------------------------


def test_dutch_and_english_have_the_same_keys() -> None:
    """Every key present in nl exists in en and vice versa."""
    assert set(nl.TEXTS) == set(en.TEXTS)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(en.TEXTS))
def test_translations_use_the_same_placeholders(key: str) -> None:
    """A translation uses exactly the placeholders of the English text."""
    assert _fields(nl.TEXTS[key]) == _fields(en.TEXTS[key])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_template_formats_with_its_placeholders(language: str) -> None:
    """Every template formats without KeyError or stray braces given its placeholders."""
    texts = Texts(language)  # type: ignore[arg-type]
    table = nl.TEXTS if language == "nl" else en.TEXTS
    for key, template in table.items():
        values = {name: f"<{name}>" for name in _fields(template)}
        out = texts(key, **values)
        for name in values:
            assert f"&lt;{name}&gt;" in out, key
        assert "{" not in out and "}" not in out, key


def test_dutch_is_the_default_language() -> None:
    """Texts() speaks Dutch."""
    assert Texts()("flag_none") == "☎️ 112: nog niet gebeld"


# --- what the mutation run showed nobody pinned (issue 17) -------------------------------

FLAG = Flag(WINTER, "Bram", "Goor West (Goor)", -102)


def test_a_flagged_resolved_photo_alert_with_long_notes_fits_a_caption() -> None:
    """A photo alert whose co-admin note and closing note are long still fits Telegram's
    1,024-unit caption: each note is cut to its caption share (200), the 112 line and the
    closing line stay whole, and the resident's text is what gives way."""
    inc = incident(
        text="t" * 900,
        media="photo",
        note="n" * 900,
        flag=FLAG,
        state=State.RESOLVED,
        closing_note="c" * 900,
    )
    seen = visible(alert(inc, caption=True).html).splitlines()
    assert seen[0] == f"🚨 Melding #12 · {PLACE}"
    assert seen[1].startswith("t") and seen[1].endswith("t…")
    assert seen[2:] == [
        "📝 Beheerder: " + "n" * 199 + "…",
        "☎️ 112 gebeld om 13:05 door Bram (Goor West (Goor))",
        "✅ Afgehandeld: " + "c" * 199 + "…",
    ]
    assert utf16_len("\n".join(seen)) == CAPTION_LIMIT


def test_a_text_alert_keeps_notes_up_to_500_and_cuts_longer_ones() -> None:
    """In a text alert (not a caption) a 450-character note and closing note are shown
    whole; a 600-character one is cut to 500 with an ellipsis."""
    whole = visible(
        alert(incident(note="n" * 450, state=State.RESOLVED, closing_note="c" * 450)).html
    ).splitlines()
    assert "📝 Beheerder: " + "n" * 450 in whole
    assert "✅ Afgehandeld: " + "c" * 450 in whole
    cut_lines = visible(
        alert(incident(note="n" * 600, state=State.RESOLVED, closing_note="c" * 600)).html
    ).splitlines()
    assert "📝 Beheerder: " + "n" * 499 + "…" in cut_lines
    assert "✅ Afgehandeld: " + "c" * 499 + "…" in cut_lines


def test_a_photo_alert_cuts_its_author_to_100() -> None:
    """With author names shown, a long name is cut to 100 units in the alert."""
    seen = visible(
        alert(incident(author="a" * 150), show_author=True, caption=True).html
    ).splitlines()
    assert seen[1] == "👤 " + "a" * 99 + "…"


def test_a_text_followup_is_cut_at_the_message_limit_not_the_caption_limit() -> None:
    """A 3,000-character follow-up as text is shown whole (4,096 is the limit); as a caption
    it is cut to 1,024 units."""
    followup = FollowUp(1, 12, -102, 55, "w" * 3000, None, "Goor West")
    header = "↪️ Aanvulling op #12 · Goor West"
    assert visible(render_followup(followup, incident(), texts=NL)) == f"{header}\n" + "w" * 3000
    caption = visible(render_followup(followup, incident(), texts=NL, caption=True))
    assert utf16_len(caption) == CAPTION_LIMIT
    assert caption == f"{header}\n" + "w" * (CAPTION_LIMIT - utf16_len(header) - 2) + "…"


def test_a_followup_photo_without_caption_keeps_its_header() -> None:
    """A follow-up photo without a caption still gets '#12 · aanvulling' as its caption,
    and nothing after it."""
    followup = FollowUp(1, 12, -102, 55, "", "photo", "Goor West")
    out = render_followup(followup, incident(), texts=NL, caption=True)
    assert out == "↪️ <b>Aanvulling op #12</b> · Goor West"


def test_every_field_of_an_alert_is_escaped_on_its_own() -> None:
    """Text, note, author, flag name, flag place and closing note are each escaped: one
    field at a time carries markup, and exactly that field reads back as written."""
    fields = {
        "text": {"text": NASTY},
        "note": {"note": NASTY},
        "author": {"author": NASTY},
        "flag name": {"flag": Flag(WINTER, NASTY, "Goor West", -102)},
        "flag place": {"flag": Flag(WINTER, "Bram", NASTY, -102)},
        "closing note": {"state": State.RESOLVED, "closing_note": NASTY},
    }
    for name, changes in fields.items():
        out = alert(incident(**changes), show_author=True).html
        assert "<b>Jan" not in out, name
        assert out.count("&lt;b&gt;Jan &amp; Piet&lt;/b&gt;") == 1, name
        assert visible(out).count(NASTY) == 1, name


def test_cut_with_a_limit_of_zero_or_one_gives_only_the_ellipsis() -> None:
    """Even with no room at all, cut() returns the ellipsis alone, never part of the text."""
    assert cut("abc", 1) == "…"
    assert cut("abc", 0) == "…"
    assert cut("a b", 2) == "a…"


def test_alert_html_is_exactly_the_template_filled_in() -> None:
    """An open alert is the header, the text, the note and the 112 line, one per line,
    with the bot's own markup and nothing else."""
    rendered = alert(incident(note="Camera"))
    assert rendered.html == (
        f"🚨 <b>Melding #12</b> · {PLACE}\n"
        "Verdachte man loopt langs de auto's\n"
        "📝 Beheerder: Camera\n"
        "☎️ 112: nog niet gebeld"
    )
    assert rendered.button is True
    expired = alert(incident(state=State.EXPIRED), ttl_hours=1.5)
    assert expired.html.splitlines()[-1] == "⌛ <b>Verlopen</b> (geen nieuws na 1,5 uur)"
    assert expired.button is False


def test_already_called_as_a_chat_line_and_as_a_button_answer() -> None:
    """In the chat the answer carries the phone icon; as the private answer to a button
    press (a pop-up that shows plain text) it does not."""
    assert already_called(NL, FLAG, AMSTERDAM) == (
        "☎️ 112 is al gebeld om 13:05 door Bram. Niet nog eens bellen."
    )
    assert already_called(NL, FLAG, AMSTERDAM, alert=True) == (
        "112 is al gebeld om 13:05 door Bram. Niet nog eens bellen."
    )


def test_a_caption_with_room_for_one_character_shows_only_the_ellipsis() -> None:
    """When the rest of a photo alert (a long place name, a long name of whoever called 112)
    leaves room for just one character, the resident's text is shown as '…' alone and the
    caption still fits."""
    place = "p" * 500

    def photo(text: str, name: str) -> str:
        inc = incident(text=text, media="photo", flag=Flag(WINTER, name, "Goor", -102))
        return visible(alert(inc, place=place, caption=True).html)

    name = "n" * (CAPTION_LIMIT - 2 - utf16_len(photo("", "")))
    # with the text's own line added, the rest takes 1,023 of the caption's 1,024 units
    assert utf16_len(photo("", name)) == CAPTION_LIMIT - 2
    seen = photo("Verdachte man", name)
    assert seen.splitlines()[1] == "…"
    assert utf16_len(seen) == CAPTION_LIMIT


def test_a_withdrawn_112_report_is_shown_with_time_name_and_place() -> None:
    """After /niet112 the alert says the earlier report was withdrawn, in local time, and
    each chat's notice names the incident, the time and who withdrew it."""
    withdrawn = Withdrawn(SUMMER, "Bram", "Goor West (Goor)")
    seen = visible(alert(incident(withdrawn=withdrawn)).html).splitlines()
    assert seen[-2:] == [
        "☎️ 112: nog niet gebeld",
        "↩️ Eerdere 112-melding ingetrokken om 14:05 door Bram (Goor West (Goor))",
    ]
    assert withdrawn_notice(NL, 12, withdrawn, AMSTERDAM) == (
        "↩️ <b>112 is nog niet gebeld</b> bij melding #12: de melding dat 112 gebeld was is "
        "om 14:05 ingetrokken door Bram (Goor West (Goor)). Bel 112 bij gevaar en meld het "
        "dan hier."
    )


@pytest.mark.parametrize(
    ("language", "hours", "line"),
    [("nl", 1.5, "na 1,5 uur)"), ("nl", 1, "na 1 uur)"), ("en", 1, "after 1 hour)")],
)
def test_expiry_hours_as_the_language_writes_them(language: str, hours: float, line: str) -> None:
    """The expiry line writes its hours as the language writes numbers, and in English one
    hour in the singular."""
    expired = incident(state=State.EXPIRED)
    assert line in (state_line(Texts(language), expired, hours) or "")  # type: ignore[arg-type]
