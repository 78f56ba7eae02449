"""Telegram's text formatting: HTML, MarkdownV2 and legacy Markdown to plain text + entities.

Offsets and lengths are UTF-16 code units, as in the Bot API. Error details follow tdlib's
parser (`can't parse entities: ...`, byte offsets into the UTF-8 source).
"""

from __future__ import annotations

import re
from typing import Any

Entity = dict[str, Any]


class ParseError(Exception):
    """The text does not parse in the requested parse_mode; str() is Telegram's detail."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse(
    text: str, parse_mode: str | None, entities: list[Entity] | None = None
) -> tuple[str, list[Entity]]:
    """Plain text and entities as Telegram stores them, surrounding whitespace trimmed."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        plain, found = parse_html(text)
    elif mode == "markdownv2":
        plain, found = parse_markdown_v2(text)
    elif mode == "markdown":
        plain, found = parse_markdown(text)
    elif mode:
        raise ValueError(f"unsupported parse mode {parse_mode!r}")
    else:
        plain, found = text, [dict(e) for e in entities or []]
    return trim(plain, found)


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace as Telegram does, keeping entities on the same characters."""
    stripped = text.strip()
    if stripped == text:
        return text, _sorted(entities)
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, _sorted(kept)


def _sorted(entities: list[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


# --- HTML -------------------------------------------------------------------------------------

_HTML_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_entity(src: str, i: int) -> tuple[str | None, int]:
    """Decode `&...;` at src[i]; (None, i) when it is not an entity Telegram knows."""
    n = len(src)
    j = i + 1
    if j < n and src[j] == "#":
        j += 1
        is_hex = j < n and src[j] in "xX"
        j += is_hex
        start = j
        digits = "0123456789abcdefABCDEF" if is_hex else "0123456789"
        while j < n and src[j] in digits and j - start < 8:
            j += 1
        if j == start:
            return None, i
        code = int(src[start:j], 16 if is_hex else 10)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None, i
        char = chr(code)
    else:
        while j < n and src[j].isascii() and src[j].isalpha():
            j += 1
        char = _NAMED.get(src[i + 1 : j])
        if char is None:
            return None, i
    if j < n and src[j] == ";":
        j += 1
    return char, j


def parse_html(src: str) -> tuple[str, list[Entity]]:
    out: list[str] = []
    off = 0  # UTF-16 offset in the output
    stack: list[tuple[str, dict[str, str], int]] = []
    entities: list[Entity] = []
    n = len(src)
    i = 0
    while i < n:
        c = src[i]
        if c == "&":
            char, j = _decode_entity(src, i)
            if char is not None:
                out.append(char)
                off += utf16_len(char)
                i = j
                continue
        if c != "<":
            out.append(c)
            off += utf16_len(c)
            i += 1
            continue
        begin = _byte_offset(src, i)
        i += 1
        if i < n and src[i] == "/":
            i, name = _end_tag(src, i + 1, begin, stack)
            tag, attrs, start = stack.pop()
            if name and name != tag:
                raise ParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{tag}>", '
                    f'found "</{name}>"'
                )
            _close_html(tag, attrs, start, off, "".join(out), entities)
            continue
        i, tag, attrs = _start_tag(src, i, begin)
        stack.append((tag, attrs, off))
    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return "".join(out), entities


def _start_tag(src: str, i: int, begin: int) -> tuple[int, str, dict[str, str]]:
    n = len(src)
    unclosed = ParseError(f"Unclosed start tag at byte offset {begin}")
    start = i
    while i < n and not src[i].isspace() and src[i] != ">":
        i += 1
    if i >= n:
        raise unclosed
    tag = src[start:i].lower()
    if tag not in _HTML_TYPES:
        raise ParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
    attrs: dict[str, str] = {}
    while True:
        while i < n and src[i].isspace():
            i += 1
        if i >= n:
            raise unclosed
        if src[i] == ">":
            i += 1
            break
        start = i
        while i < n and not src[i].isspace() and src[i] not in "=>":
            i += 1
        name = src[start:i].lower()
        if not name:
            raise ParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while i < n and src[i].isspace():
            i += 1
        if i >= n:
            raise unclosed
        if src[i] != "=":
            attrs[name] = ""
            continue
        i += 1
        while i < n and src[i].isspace():
            i += 1
        if i >= n:
            raise unclosed
        if src[i] in "'\"":
            quote = src[i]
            i += 1
            value: list[str] = []
            while i < n and src[i] != quote:
                char, j = _decode_entity(src, i) if src[i] == "&" else (None, i)
                if char is not None:
                    value.append(char)
                    i = j
                else:
                    value.append(src[i])
                    i += 1
            if i >= n:
                raise unclosed
            i += 1
            attrs[name] = "".join(value)
        else:
            start = i
            while i < n and (src[i].isalnum() or src[i] in ".-"):
                i += 1
            if i >= n or not (src[i].isspace() or src[i] == ">"):
                raise ParseError(
                    f"Unexpected end of name token at byte offset {_byte_offset(src, start)}"
                )
            attrs[name] = src[start:i].lower()
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    return i, tag, attrs


def _end_tag(
    src: str, i: int, begin: int, stack: list[tuple[str, dict[str, str], int]]
) -> tuple[int, str]:
    n = len(src)
    if not stack:
        raise ParseError(f"Unexpected end tag at byte offset {begin}")
    start = i
    while i < n and not src[i].isspace() and src[i] != ">":
        i += 1
    name = src[start:i].lower()
    while i < n and src[i].isspace():
        i += 1
    if i >= n or src[i] != ">":
        raise ParseError(f"Unclosed end tag at byte offset {begin}")
    return i + 1, name


def _close_html(
    tag: str, attrs: dict[str, str], start: int, end: int, text: str, entities: list[Entity]
) -> None:
    if end <= start:
        return
    entity: Entity = {"type": _HTML_TYPES[tag], "offset": start, "length": end - start}
    if tag == "a":
        url = attrs.get("href") or _slice16(text, start, end)
        if not _looks_like_url(url):
            return
        entity["url"] = url
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    elif tag == "code" and attrs.get("class", "").startswith("language-"):
        entity["language"] = attrs["class"].removeprefix("language-")
    elif tag == "pre" and entities:
        inner = entities[-1]
        if inner["type"] == "code" and (inner["offset"], inner["length"]) == (start, end - start):
            entities.pop()
            if "language" in inner:
                entity["language"] = inner["language"]
    entities.append(entity)


def _slice16(text: str, start: int, end: int) -> str:
    raw = text.encode("utf-16-le")
    return raw[start * 2 : end * 2].decode("utf-16-le")


def _looks_like_url(url: str) -> bool:
    return bool(re.match(r"^(https?://|tg://|mailto:)?[\w.-]+\.[a-z]{2,}|^(tg|https?)://\S+", url))


# --- MarkdownV2 -------------------------------------------------------------------------------

RESERVED_V2 = "_*[]()~`>#+-=|{}.!"
_V2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}
_V2_CLOSERS = {
    "bold": "*",
    "italic": "_",
    "underline": "__",
    "strikethrough": "~",
    "spoiler": "||",
    "code": "`",
    "pre": "```",
    "text_link": "]",
    "custom_emoji": "]",
}
_V2_OPENERS = [  # longest first
    ("```", "pre"),
    ("||", "spoiler"),
    ("__", "underline"),
    ("![", "custom_emoji"),
    ("*", "bold"),
    ("_", "italic"),
    ("~", "strikethrough"),
    ("`", "code"),
    ("[", "text_link"),
]


def parse_markdown_v2(src: str) -> tuple[str, list[Entity]]:
    out: list[str] = []
    off = 0
    stack: list[tuple[str, int, int, str]] = []  # type, utf16 start, byte offset, language
    entities: list[Entity] = []
    quote_start: int | None = None
    n = len(src)
    i = 0

    def emit(char: str) -> None:
        nonlocal off
        out.append(char)
        off += utf16_len(char)

    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n and 0 < ord(src[i + 1]) <= 126:
            emit(src[i + 1])
            i += 2
            continue
        top = stack[-1][0] if stack else None
        if top in ("code", "pre") and not src.startswith(_V2_CLOSERS[top], i):
            emit(c)
            i += 1
            continue
        if c == "\n" and quote_start is not None and not src.startswith(">", i + 1):
            _add(entities, "blockquote", quote_start, off)
            quote_start = None
        if c == ">" and (i == 0 or src[i - 1] == "\n") and not stack:
            if quote_start is None:
                quote_start = off
            i += 1
            continue
        if c not in RESERVED_V2:
            emit(c)
            i += 1
            continue
        if top is not None and _closes(src, i, top):
            kind, start, _, language = stack.pop()
            i += len(_V2_CLOSERS[kind])
            extra: dict[str, str] = {}
            if kind in ("text_link", "custom_emoji"):
                i, url = _link_target(src, i, "".join(out), start, off)
                if kind == "custom_emoji":
                    extra["custom_emoji_id"] = url.rpartition("id=")[2]
                elif _looks_like_url(url):
                    extra["url"] = url
                else:
                    continue
            elif language:
                extra["language"] = language
            _add(entities, kind, start, off, **extra)
            continue
        for marker, kind in _V2_OPENERS:  # noqa: B007 - kind is used after the loop
            if src.startswith(marker, i):
                break
        else:
            raise ParseError(
                f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
            )
        begin = _byte_offset(src, i)
        i += len(marker)
        language = ""
        if kind == "pre":
            end = src.find("\n", i)
            if end != -1 and src[i:end].strip() and not src[i:end].strip().count(" "):
                language = src[i:end].strip()
                i = end + 1
            elif end == i:
                i += 1
        stack.append((kind, off, begin, language))
    if stack:
        kind, _, begin, _ = stack[-1]
        raise ParseError(f"Can't find end of {_V2_NAMES[kind]} entity at byte offset {begin}")
    if quote_start is not None:
        _add(entities, "blockquote", quote_start, off)
    return "".join(out), entities


def _closes(src: str, i: int, kind: str) -> bool:
    closer = _V2_CLOSERS[kind]
    if kind == "italic":
        return src[i] == "_" and not src.startswith("__", i)
    return src.startswith(closer, i)


def _link_target(src: str, i: int, text: str, start: int, end: int) -> tuple[int, str]:
    if i >= len(src) or src[i] != "(":
        return i, _slice16(text, start, end)
    i += 1
    url: list[str] = []
    while i < len(src) and src[i] != ")":
        if src[i] == "\\" and i + 1 < len(src):
            i += 1
        url.append(src[i])
        i += 1
    if i >= len(src):
        raise ParseError(f"Can't find end of a url at byte offset {_byte_offset(src, i)}")
    return i + 1, "".join(url)


def _add(entities: list[Entity], kind: str, start: int, end: int, **extra: str) -> None:
    if end > start:
        entities.append({"type": kind, "offset": start, "length": end - start, **extra})


# --- legacy Markdown --------------------------------------------------------------------------

_LEGACY = {"*": "bold", "_": "italic", "`": "code", "```": "pre", "[": "text_link"}


def parse_markdown(src: str) -> tuple[str, list[Entity]]:
    out: list[str] = []
    entities: list[Entity] = []
    n = len(src)
    i = 0
    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n and src[i + 1] in "_*`[":
            out.append(src[i + 1])
            i += 2
            continue
        marker = "```" if src.startswith("```", i) else c
        if marker not in _LEGACY:
            out.append(c)
            i += 1
            continue
        begin = _byte_offset(src, i)
        closer = "]" if marker == "[" else marker
        end = src.find(closer, i + len(marker))
        if end == -1:
            raise ParseError(f"Can't find end of the entity starting at byte offset {begin}")
        inner = src[i + len(marker) : end]
        start = utf16_len("".join(out))
        out.append(inner)
        i = end + len(closer)
        extra: dict[str, str] = {}
        if marker == "[":
            i, url = _link_target(src, i, inner, 0, utf16_len(inner))
            if not _looks_like_url(url):
                continue
            extra["url"] = url
        _add(entities, _LEGACY[marker], start, start + utf16_len(inner), **extra)
    return "".join(out), entities


# --- entities Telegram adds by itself ---------------------------------------------------------

_AUTO = re.compile(
    r"(?P<bot_command>(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?)"
    r"|(?P<mention>(?<!\w)@[A-Za-z0-9_]{5,32})"
    r"|(?P<hashtag>(?<!\w)#\w+)"
    r"|(?P<url>\bhttps?://[^\s<>\"]+)"
)


def detect(text: str) -> list[Entity]:
    """The bot_command, mention, hashtag and url entities Telegram finds in a user's text."""
    found = []
    for match in _AUTO.finditer(text):
        kind = match.lastgroup or "url"
        offset = utf16_len(text[: match.start()])
        found.append({"type": kind, "offset": offset, "length": utf16_len(match.group())})
    return found
