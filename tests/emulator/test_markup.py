"""Telegram's formatting rules, checked on the parser directly."""

from __future__ import annotations

import pytest

from relaybot.sandbox.emulator import markup


def test_html_entities_decode_and_tags_become_entities() -> None:
    """HTML: the four named entities and numeric ones decode; tags become UTF-16 entities."""
    text, entities = markup.parse("<b>Jan &amp; Piet</b> &lt;b&gt; &#128680;&#x21;", "HTML")
    assert text == "Jan & Piet <b> 🚨!"
    assert entities == [{"type": "bold", "offset": 0, "length": 10}]


def test_html_unknown_entity_and_bare_gt_stay_literal() -> None:
    """HTML: like tdlib, an unknown `&name;` and a bare `>` are kept as text."""
    assert markup.parse("a &nbsp; b > c", "HTML") == ("a &nbsp; b > c", [])


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        (
            "<b><i>x</b></i>",
            'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
        ),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_html_errors_name_the_problem_like_telegram(source: str, detail: str) -> None:
    """HTML: bad markup is refused with tdlib's detail and a UTF-8 byte offset."""
    with pytest.raises(markup.ParseError) as caught:
        markup.parse(source, "HTML")
    assert str(caught.value) == detail


def test_html_links_pre_code_spoiler_blockquote() -> None:
    """HTML: a[href], pre>code with a language, spoilers and expandable quotes are entities."""
    source = (
        '<a href="https://x.nl/?a=1&amp;b=2">link</a> <pre><code class="language-py">'
        "x</code></pre> <tg-spoiler>s</tg-spoiler> <blockquote expandable>q</blockquote>"
    )
    text, entities = markup.parse(source, "HTML")
    assert text == "link x s q"
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://x.nl/?a=1&b=2"},
        {"type": "pre", "offset": 5, "length": 1, "language": "py"},
        {"type": "spoiler", "offset": 7, "length": 1},
        {"type": "expandable_blockquote", "offset": 9, "length": 1},
    ]


def test_offsets_count_utf16_code_units() -> None:
    """An emoji outside the BMP counts as two UTF-16 code units, in offsets and lengths."""
    text, entities = markup.parse("🚨 <b>brand</b>", "HTML")
    assert markup.utf16_len(text) == 8
    assert entities == [{"type": "bold", "offset": 3, "length": 5}]


def test_markdown_v2_entities_and_escapes() -> None:
    """MarkdownV2: markers make entities; escaped reserved characters are plain text."""
    source = r"*vet* _schuin_ __onder__ ~weg~ ||geheim|| `a.b` [site](https://x.nl) 1\.5\!"
    text, entities = markup.parse(source, "MarkdownV2")
    assert text == "vet schuin onder weg geheim a.b site 1.5!"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    assert entities[-1]["url"] == "https://x.nl"


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("Klaar.", "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ("1-2", "Character '-' is reserved and must be escaped with the preceding '\\'"),
        ("*vet", "Can't find end of Bold entity at byte offset 0"),
        ("a _b", "Can't find end of Italic entity at byte offset 2"),
    ],
)
def test_markdown_v2_refuses_unescaped_and_unbalanced(source: str, detail: str) -> None:
    """MarkdownV2: reserved characters must be escaped and every marker closed."""
    with pytest.raises(markup.ParseError) as caught:
        markup.parse(source, "MarkdownV2")
    assert str(caught.value) == detail


def test_markdown_v2_pre_with_language_and_blockquote() -> None:
    """MarkdownV2: ```lang opens a pre block; lines starting with > form a blockquote."""
    text, entities = markup.parse("```python\nx = 1.5\n```\n>een\n>twee", "MarkdownV2")
    assert text == "x = 1.5\n\neen\ntwee"
    assert entities == [
        {"type": "pre", "offset": 0, "length": 8, "language": "python"},
        {"type": "blockquote", "offset": 9, "length": 8},
    ]


def test_surrounding_whitespace_is_trimmed_and_entities_follow() -> None:
    """Telegram trims a text; entities keep covering the same characters."""
    assert markup.parse("  <b>hoi</b> \n", "HTML") == (
        "hoi",
        [{"type": "bold", "offset": 0, "length": 3}],
    )


def test_commands_mentions_and_links_are_detected() -> None:
    """User text gets bot_command, mention, hashtag and url entities as Telegram adds them."""
    found = markup.detect("/melding@relaybot_test_bot @anna_b #goor https://x.nl")
    assert [(e["type"], e["offset"], e["length"]) for e in found] == [
        ("bot_command", 0, 26),
        ("mention", 27, 7),
        ("hashtag", 35, 5),
        ("url", 41, 12),
    ]
