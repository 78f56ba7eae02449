"""Every text the bot composes fits Telegram: split at line boundaries into messages within
4,096 characters (1,024 for a caption), cut where one message must do, 200 for a button's
answer; counted after entity parsing, as Telegram counts (issue 24, item 2)."""

from __future__ import annotations

import random
import string
from types import SimpleNamespace
from typing import Any

import pytest

from relaybot.domain import fit
from relaybot.domain.outgoing import Edit, Send
from relaybot.domain.texts import Raw, Texts
from relaybot.sandbox.emulator import markup
from relaybot.service.context import Answer
from relaybot.telegram.sender import Sender

MORE = Texts("nl")("continued")


def shown(part: str) -> str:
    """What Telegram makes of a part: it must parse, and its text is what counts."""
    text, _entities = markup.parse(part, "HTML")
    return text


def assert_fits(parts: list[str], limit: int, first: int = 0) -> None:
    for index, part in enumerate(parts):
        room = (first or limit) if index == 0 else limit
        assert markup.utf16_len(shown(part)) <= room, (index, part[:80])
        if index:
            assert shown(part).startswith("(vervolg)")


def letters(parts: list[str]) -> str:
    """What the parts show but whitespace and the "(vervolg)" headings: nothing lost, nothing
    added, nothing out of order."""
    shown_parts = [shown(part).removeprefix("(vervolg)") for part in parts]
    return "".join("".join(shown_parts).split())


def test_a_short_text_is_one_message_unchanged() -> None:
    """What fits already is sent as it is."""
    assert fit.split("<b>Kort</b> &amp; goed") == ["<b>Kort</b> &amp; goed"]


def test_a_long_list_is_split_between_lines_with_continued_headings() -> None:
    """A list over the limit becomes several messages, each ending at a line's end, the later
    ones headed "(vervolg)"; every line arrives once, in order."""
    lines = [f"• Wijk {n} &amp; <i>omgeving</i>: de bot is geen beheerder." for n in range(200)]
    parts = fit.split("<b>Kop</b>\n" + "\n".join(lines), 1000, continued=MORE)
    assert len(parts) > 5
    assert_fits(parts, 1000)
    seen = [line for part in parts for line in shown(part).splitlines()]
    assert [line for line in seen if line != "(vervolg)"] == [
        shown(line) for line in ["<b>Kop</b>", *lines]
    ]


def test_tags_open_across_a_break_are_closed_and_opened_again() -> None:
    """A bold block over the break is closed at the end of one part and reopened in the next;
    every part parses on its own."""
    text = "<blockquote><b>" + "\n".join(f"regel {n}" for n in range(300)) + "</b></blockquote>"
    parts = fit.split(text, 500, continued=MORE)
    assert len(parts) > 2
    for part in parts:
        _text, entities = markup.parse(part, "HTML")
        assert {e["type"] for e in entities} >= {"bold", "blockquote"}
    assert_fits(parts, 500)


def test_a_line_longer_than_a_message_breaks_at_a_space_or_else_anywhere() -> None:
    """One very long line breaks between words; one unbroken word breaks where it must."""
    spaced = " ".join(["woord"] * 400)
    parts = fit.split(spaced, 300)
    assert all(shown(p).split() == ["woord"] * len(shown(p).split()) for p in parts)
    assert letters(parts) == spaced.replace(" ", "")
    solid = "x" * 1000
    assert "".join(shown(p) for p in fit.split(solid, 300)) == solid


def test_entities_count_as_one_character_and_are_never_cut() -> None:
    """`&amp;` counts one character, tags none: 4,096 ampersands are one message, and a break
    never falls inside an entity."""
    assert fit.split("&amp;" * 4096) == ["&amp;" * 4096]
    parts = fit.split("<b>" + "&amp;" * 5000 + "</b>")
    assert len(parts) == 2 and "".join(shown(p) for p in parts) == "&" * 5000


def test_characters_outside_the_bmp_count_two() -> None:
    """An emoji counts two UTF-16 units; 2,049 emoji do not fit in one message."""
    assert len(fit.split("🚨" * 2048)) == 1
    parts = fit.split("🚨" * 2049, continued=MORE)
    assert len(parts) == 2
    assert_fits(parts, fit.TEXT_LIMIT)


def test_a_caption_then_texts() -> None:
    """With `first`, the first part holds at most a caption's 1,024 characters."""
    text = "\n".join(f"Regel {n}: iets over de melding" for n in range(300))
    parts = fit.split(text, continued=MORE, first=fit.CAPTION_LIMIT)
    assert_fits(parts, fit.TEXT_LIMIT, fit.CAPTION_LIMIT)
    assert letters(parts) == "".join(text.split())


def test_trim_cuts_to_one_message_with_an_ellipsis() -> None:
    """An edit of one message keeps what fits, at a line's end, and says it was cut."""
    text = "<b>Kaart</b>\n" + "\n".join(f"regel {n}" for n in range(1000))
    cut = fit.trim(text, fit.CAPTION_LIMIT)
    assert shown(cut).endswith("…") and markup.utf16_len(shown(cut)) <= fit.CAPTION_LIMIT
    assert fit.trim("kort") == "kort"


def test_a_button_answer_is_cut_to_200() -> None:
    """A callback answer naming a long neighbourhood stays within Telegram's 200."""
    answer = Answer("Hierover is al beslist door " + "Buurtpreventie Lange Naam " * 20)
    assert len(answer.text) <= fit.ANSWER_LIMIT and answer.text.endswith("…")
    assert Answer("Verwijderd.").text == "Verwijderd."


# --- properties ----------------------------------------------------------------------------

TAGS = ["b", "i", "u", "s", "code", "blockquote", 'a href="https://example.org/?a=1&amp;b=2"']


def random_html(rng: random.Random) -> str:
    """Lines of words, entities, emoji and nested tags, some spanning lines."""
    out: list[str] = []
    stack: list[str] = []
    for _ in range(rng.randint(1, 1200)):
        roll = rng.random()
        if roll < 0.04 and len(stack) < 3:
            tag = rng.choice(TAGS)
            out.append(f"<{tag}>")
            stack.append(tag.split()[0])
        elif roll < 0.08 and stack:
            out.append(f"</{stack.pop()}>")
        elif roll < 0.15:
            out.append("\n")
        elif roll < 0.2:
            out.append(rng.choice(["&amp;", "&lt;", "&gt;", "&quot;", "🚨", "é", "☎️"]))
        elif roll < 0.5:
            out.append(" ")
        else:
            word = "".join(rng.choice(string.ascii_letters) for _ in range(rng.randint(1, 30)))
            out.append(word if rng.random() < 0.99 else word * 100)
    out += [f"</{tag}>" for tag in reversed(stack)]
    return "".join(out)


@pytest.mark.parametrize("seed", range(40))
def test_any_text_is_split_into_parts_that_parse_and_fit(seed: int) -> None:
    """Whatever the HTML, every part parses on its own, fits its limit, and together the
    parts show every word of the original, in order."""
    rng = random.Random(seed)
    text = random_html(rng)
    limit = rng.choice([60, 200, 1024, 4096])
    first = rng.choice([0, min(limit, 1024)])
    parts = fit.split(text, limit, continued=MORE, first=first)
    assert_fits(parts, limit, first)
    assert letters(parts) == letters([text])
    one = fit.trim(text, limit)
    assert markup.utf16_len(shown(one)) <= limit


def largest(texts: Texts, key: str, raw: bool) -> str:
    """The key's text with every value as large as it can be: the longest a value echoed
    into a line may be (names the network allows are cut to it), or, for values the bot
    builds itself (lists, cards, rules), thousands of lines."""
    names = [f for _t, f, _s, _c in string.Formatter().parse(texts._table[key]) if f]
    many = Raw("\n".join(f"• <b>Buurt {n} &amp; omgeving</b> 🚨" for n in range(120)))
    long = "Buurtpreventie " + "Ä&<🚨 " * 200  # longer than any value is let through
    values: dict[str, Any] = {name: many if raw else long for name in names}
    return texts(key, **values)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("raw", [False, True])
def test_every_text_fits_with_the_largest_values(language: str, raw: bool) -> None:
    """Every text key, fed the largest values it can get, comes out as messages that parse
    and fit (as a text, as a caption followed by texts, and as a button's answer)."""
    texts = Texts(language)  # type: ignore[arg-type]
    more = texts("continued")
    for key in sorted(texts.keys()):
        html = largest(texts, key, raw)
        parts = fit.split(html, continued=more)
        for index, part in enumerate(parts):
            assert markup.utf16_len(shown(part)) <= fit.TEXT_LIMIT, (key, index)
        captioned = fit.split(html, continued=more, first=fit.CAPTION_LIMIT)
        assert markup.utf16_len(shown(captioned[0])) <= fit.CAPTION_LIMIT, key
        assert markup.utf16_len(Answer(html).text) <= fit.ANSWER_LIMIT, key


# --- the sender ----------------------------------------------------------------------------


class FakeBot:
    """Records what the sender asks of Telegram; every message gets the next id."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _made(self, method: str, **params: Any) -> SimpleNamespace:
        self.calls.append((method, params))
        return SimpleNamespace(message_id=len(self.calls))

    async def send_message(self, chat_id: int, text: str, **params: Any) -> SimpleNamespace:
        return self._made("send", text=text, **params)

    async def copy_message(self, chat_id: int, *_from: int, **params: Any) -> SimpleNamespace:
        return self._made("copy", **params)

    async def edit_message_text(self, text: str, *_ids: int, **params: Any) -> None:
        self._made("edit", text=text, **params)


LONG = "<b>Huisregels</b>\n" + "\n".join(f"• Regel {n}: houd het kort." for n in range(400))


async def test_a_long_send_threads_the_first_part_and_buttons_the_last() -> None:
    """Only the first part replies to the command; the buttons go under the last, whose id
    is the one recorded (a later edit of a card means it)."""
    bot = FakeBot()
    sender = Sender(bot, Texts("nl"))  # type: ignore[arg-type]
    made = await sender.run(Send(-100, LONG, reply_to=7, buttons=(("Ja", "ja:1"),)))
    sends = [params for method, params in bot.calls if method == "send"]
    assert len(sends) > 1 and made == len(bot.calls)
    assert sends[0]["reply_parameters"].message_id == 7
    assert all(p["reply_parameters"] is None for p in sends[1:])
    assert all(p["reply_markup"] is None for p in sends[:-1]) and sends[-1]["reply_markup"]
    assert_fits([p["text"] for p in sends], fit.TEXT_LIMIT)


async def test_a_long_caption_keeps_the_media_and_the_rest_follows() -> None:
    """A copy's caption holds what 1,024 characters can; the rest follows as texts replying
    to the copy, whose id is returned."""
    bot = FakeBot()
    sender = Sender(bot, Texts("nl"))  # type: ignore[arg-type]
    made = await sender.run(Send(-100, LONG, copy_from=(-101, 5)))
    (method, copy), *rest = bot.calls
    assert method == "copy" and made == 1 and rest
    assert markup.utf16_len(shown(copy["caption"])) <= fit.CAPTION_LIMIT
    assert all(params["reply_parameters"].message_id == 1 for _m, params in rest)


async def test_a_long_edit_is_cut_to_one_message() -> None:
    """An edit changes one message: what does not fit is cut, with an ellipsis."""
    bot = FakeBot()
    sender = Sender(bot, Texts("nl"))  # type: ignore[arg-type]
    await sender.run(Edit(-100, 3, LONG * 3))
    [(_method, edit)] = bot.calls
    assert markup.utf16_len(shown(edit["text"])) <= fit.TEXT_LIMIT
    assert shown(edit["text"]).endswith("…")


def test_trim_keeps_a_long_paragraph_after_a_heading() -> None:
    """A heading, then one long paragraph: the cut keeps nearly a whole message of the
    paragraph (at a space), not only the heading."""
    cut = fit.trim("<b>Kop</b>\n" + "woord " * 900)
    assert fit.visible_len(cut) > fit.TEXT_LIMIT - 10
    assert fit.visible_len(cut) <= fit.TEXT_LIMIT
    assert shown(cut).startswith("Kop\nwoord woord")
    assert shown(cut).endswith("woord…")


def test_split_fills_parts_when_the_only_line_break_is_near_the_start() -> None:
    """A heading and one long paragraph split into full parts, each ending between words,
    not into a heading-only part followed by the paragraph."""
    text = "<b>Kop</b>\n" + "woord " * 900
    parts = fit.split(text, 1000, continued=MORE)
    assert_fits(parts, 1000)
    assert len(parts) == 6
    assert all(fit.visible_len(part) > 900 for part in parts[:-1])
    assert letters(parts) == letters([text])
