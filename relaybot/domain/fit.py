"""Every text the bot composes, fitted to what Telegram accepts. Pure: HTML in, HTML out.

Telegram limits a message to 4,096 characters and a caption to 1,024, counted on the text
after entity parsing (tags do not count, `&amp;` is one character), and a button's answer
to 200. The Bot API server (tdlib) counts Unicode code points; this module counts UTF-16
code units, which are never fewer (an emoji outside the BMP is 1 point, 2 units), so what
fits here fits there too.

What can grow (problem reports, house rules, lists, cards) is split at a line boundary into
several messages, each within the limit, the later ones headed by a "(vervolg)" line; a line
longer than a whole message is split at a space, or at a character when it has none. A part
never ends inside a tag or an entity, and tags still open where a part ends are closed there
and opened again at the start of the next. What cannot be split (an edit of one message, a
button's answer) is cut, with an ellipsis.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
ANSWER_LIMIT = 200
ELLIPSIS = "…"

_TOKEN = re.compile(r"<[^<>]+>|&#?\w+;|[\s\S]")
_TAG = re.compile(r"<[^>]+>")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def visible_len(markup: str) -> int:
    """Length of HTML as the reader sees it (tags gone, entities decoded)."""
    return utf16_len(html.unescape(_TAG.sub("", markup)))


def cut(text: str, limit: int) -> str:
    """Plain text shortened to at most `limit` UTF-16 units, ending with an ellipsis when
    anything was cut."""
    if utf16_len(text) <= limit:
        return text
    budget = max(limit - 1, 0)
    out: list[str] = []
    used = 0
    for char in text:
        size = utf16_len(char)
        if used + size > budget:
            break
        out.append(char)
        used += size
    return "".join(out).rstrip() + ELLIPSIS


def answer(text: str) -> str:
    """A button's answer (plain text) within Telegram's 200 characters."""
    return cut(text, ANSWER_LIMIT)


class _Atom(NamedTuple):
    markup: str
    width: int  # what it counts towards the limit
    opens: str = ""  # the tag's name, for an opening tag
    closes: str = ""  # the tag's name, for a closing tag


def _atoms(markup: str) -> list[_Atom]:
    """Tags, entities and characters: the pieces a part may begin or end between."""
    atoms = []
    for token in _TOKEN.findall(markup):
        if len(token) == 1:
            atoms.append(_Atom(token, 2 if ord(token) > 0xFFFF else 1))
        elif token[0] == "&":
            atoms.append(_Atom(token, utf16_len(html.unescape(token))))
        else:
            name = (token.strip("</>").split() or [""])[0].lower()
            closing = token.startswith("</")
            atoms.append(_Atom(token, 0, "" if closing else name, name if closing else ""))
    return atoms


def _open_tags(atoms: list[_Atom]) -> list[_Atom]:
    """The opening tags still open after these atoms, outermost first."""
    stack: list[_Atom] = []
    for atom in atoms:
        if atom.opens:
            stack.append(atom)
        elif atom.closes:
            for index in range(len(stack) - 1, -1, -1):
                if stack[index].opens == atom.closes:
                    del stack[index]
                    break
    return stack


def _break_at(atoms: list[_Atom]) -> int:
    """Where a full part is best ended: after its last line break, else after its last
    space, else (one unbroken word) where it is. A break counts only past half the part, so
    a heading's line break does not leave the part nearly empty."""
    half = sum(atom.width for atom in atoms) // 2
    for wanted in ("\n", " "):
        used = sum(atom.width for atom in atoms)
        for index in range(len(atoms), 0, -1):
            used -= atoms[index - 1].width
            if used < half:
                break
            if atoms[index - 1].markup == wanted:
                return index
    return len(atoms)


def split(
    markup: str, limit: int = TEXT_LIMIT, *, continued: str = "", first: int = 0
) -> list[str]:
    """The HTML as one or more messages of at most `limit` characters each (the first at
    most `first`, when given: a caption followed by texts), every later one headed by the
    line `continued`."""
    if visible_len(markup) <= (first or limit):
        return [markup]
    head = f"{continued}\n" if continued else ""
    atoms = _atoms(markup)
    parts: list[str] = []
    reopen: list[_Atom] = []
    start = 0
    while start < len(atoms):
        budget = (first or limit) if not parts else limit - visible_len(head)
        end, used = start, 0
        while end < len(atoms) and used + atoms[end].width <= budget:
            used += atoms[end].width
            end += 1
        if end < len(atoms):  # full: end it at a line break or a space, the rest goes on
            end = start + _break_at(atoms[start:end])
            if end == start:  # not even one character fits: take it anyway (never loops)
                end += 1
        taken = atoms[start:end]
        start = end
        if not any(atom.width and atom.markup.strip() for atom in taken):
            reopen = _open_tags(reopen + taken)
            continue
        body = reopen + taken
        reopen = _open_tags(body)
        closing = "".join(f"</{atom.opens}>" for atom in reversed(reopen))
        text = "".join(atom.markup for atom in body).strip()
        parts.append((head if parts else "") + text + closing)
    return parts or [markup]


def trim(markup: str, limit: int = TEXT_LIMIT) -> str:
    """The HTML as one message of at most `limit` characters: what does not fit is cut at
    a line break (or a space), and an ellipsis says so."""
    parts = split(markup, max(limit - 1, 1))
    return parts[0] if len(parts) == 1 else parts[0] + ELLIPSIS
