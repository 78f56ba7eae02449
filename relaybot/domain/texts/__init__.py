"""Every user-facing string, in Dutch and English.

Templates are HTML (the parse mode the bot uses). Values passed in are escaped here, in one
place, so that a name like ``<b>Jan & Piet</b>`` appears exactly as written. Wrap a value in
:class:`Raw` when it is HTML the bot built itself.
"""

from __future__ import annotations

import html
from typing import Literal

from relaybot.domain import numbers
from relaybot.domain.texts import en, nl

Language = Literal["nl", "en"]


VALUE_LIMIT = 600  # characters of one value: a line with a few of them stays within Telegram's 4096


def _short(value: str) -> str:
    """A value echoed into a line (often user input) is cut, so the line is never refused."""
    return value if len(value) <= VALUE_LIMIT else value[: VALUE_LIMIT - 1] + "…"


SIGNUP_START = "aanmelden"  # the deep link's start parameter; "aanmelden-<slug>" for one buurt


def signup_link(username: str, slug: str = "") -> str:
    """The deep link that opens a private chat with the bot and starts the sign-up (for one
    neighbourhood, chosen already, when `slug` is given: the flyer's)."""
    start = f"{SIGNUP_START}-{slug}" if slug else SIGNUP_START
    return f"https://t.me/{username or 'relaybot'}?start={start}"


class Raw(str):
    """A value that is already HTML and must not be escaped again."""

    __slots__ = ()


class Texts:
    def __init__(self, language: Language = "nl") -> None:
        self.language = language
        self._table: dict[str, str] = {**en.TEXTS, **(nl.TEXTS if language == "nl" else {})}
        # values every text may use, known only at run time (the bot's deep link for sign-up)
        self.defaults: dict[str, str] = {"signup_link": signup_link("")}

    def __call__(self, key: str, **values: object) -> str:
        safe = {
            name: value if isinstance(value, Raw) else html.escape(_short(str(value)), quote=False)
            for name, value in values.items()
        }
        return self._table[key].format(**{**self.defaults, **safe})

    def set_bot_username(self, username: str) -> None:
        """The deep link that opens the sign-up needs the bot's username (from getMe)."""
        self.defaults["signup_link"] = html.escape(signup_link(username), quote=False)

    def plain(self, key: str, **values: object) -> str:
        """The text with its values as they are, for output that escapes by itself (the
        report's HTML template, CSV) or needs no escaping (Markdown, the terminal)."""
        return self._table[key].format(**values)

    def number(self, value: float | None, decimals: int = 1) -> str:
        """A number as the language writes it: '1.234,5' in Dutch, '1,234.5' in English."""
        return numbers.number(value, self.language, decimals)

    def count(self, key: str, count: float) -> str:
        """A counted phrase in the singular or the plural: key 'count_signs' holds
        '{n} bord|{n} borden', so 1 -> '1 bord', 3 -> '3 borden', 1234 -> '1.234 borden'."""
        return numbers.plural(self._table[key], count).format(n=self.number(count))

    def keys(self) -> set[str]:
        return set(self._table)

    def join(self, names: list[str]) -> str:
        """'a, b en c' / 'a, b and c' (already escaped parts stay as they are)."""
        if not names:
            return self("nobody")
        if len(names) == 1:
            return names[0]
        return f"{', '.join(names[:-1])} {self('and')} {names[-1]}"
