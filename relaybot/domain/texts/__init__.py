"""Every user-facing string, in Dutch and English.

Templates are HTML (the parse mode the bot uses). Values passed in are escaped here, in one
place, so that a name like ``<b>Jan & Piet</b>`` appears exactly as written. Wrap a value in
:class:`Raw` when it is HTML the bot built itself.
"""

from __future__ import annotations

import html
from typing import Literal

from relaybot.domain.texts import en, nl

Language = Literal["nl", "en"]


class Raw(str):
    """A value that is already HTML and must not be escaped again."""

    __slots__ = ()


class Texts:
    def __init__(self, language: Language = "nl") -> None:
        self.language = language
        self._table: dict[str, str] = {**en.TEXTS, **(nl.TEXTS if language == "nl" else {})}

    def __call__(self, key: str, **values: object) -> str:
        safe = {
            name: value if isinstance(value, Raw) else html.escape(str(value), quote=False)
            for name, value in values.items()
        }
        return self._table[key].format(**safe)

    def keys(self) -> set[str]:
        return set(self._table)

    def join(self, names: list[str]) -> str:
        """'a, b en c' / 'a, b and c' (already escaped parts stay as they are)."""
        if not names:
            return self("nobody")
        if len(names) == 1:
            return names[0]
        return f"{', '.join(names[:-1])} {self('and')} {names[-1]}"
