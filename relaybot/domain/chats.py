"""Which chat is which: neighbourhood, regie, coordinators, private or unknown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from relaybot.domain.network import Network


class ChatKind(StrEnum):
    NEIGHBOURHOOD = "neighbourhood"
    REGIE = "regie"
    COORDINATORS = "coordinators"
    PRIVATE = "private"
    UNKNOWN = "unknown"


@dataclass
class Directory:
    """The network file plus what was learned at run time (links by /koppel).

    A chat id in the network file always wins over a run-time link.
    """

    network: Network
    links: Mapping[str, int] = field(default_factory=dict)
    moves: Mapping[int, int] = field(default_factory=dict)  # old chat id -> new (migrations)

    def __post_init__(self) -> None:
        self._slug_by_chat: dict[int, str] = {}
        self._chat_by_slug: dict[str, int] = {}
        taken = {self.network.regie_chat_id, self.network.coordinators_chat_id}
        for slug, hood in self.network.neighbourhoods.items():
            if hood.chat_id is not None:
                self._bind(slug, hood.chat_id)
                taken.add(hood.chat_id)
        for slug, chat_id in self.links.items():
            hood = self.network.neighbourhoods.get(slug)
            if hood is None or hood.chat_id is not None or chat_id in taken:
                continue
            self._bind(slug, chat_id)
            taken.add(chat_id)
        # every group message asks what its chat is: answered by one look-up (a directory is
        # never changed, only replaced when a link or a move is learned); the regiegroep wins
        # over the coordinators, they over a neighbourhood, as `kind` has always decided
        self._kinds: dict[int, ChatKind] = dict.fromkeys(self._slug_by_chat, ChatKind.NEIGHBOURHOOD)
        coordinators = self.current(self.network.coordinators_chat_id)
        if coordinators is not None:
            self._kinds[coordinators] = ChatKind.COORDINATORS
        self._kinds[self.regie_chat_id] = ChatKind.REGIE

    def current(self, chat_id: int | None) -> int | None:
        """Follow Telegram's group migrations to the id a chat has now."""
        if chat_id not in self.moves:  # nearly always: asked for every group message
            return chat_id
        seen = set()
        while chat_id in self.moves and chat_id not in seen:
            seen.add(chat_id)
            chat_id = self.moves[chat_id]
        return chat_id

    def former(self, chat_id: int) -> tuple[int, ...]:
        """Every id this chat has had (itself first): copies keep the id they were made under."""
        return (chat_id, *(old for old in self.moves if self.current(old) == chat_id))

    @property
    def regie_chat_id(self) -> int:
        return self.current(self.network.regie_chat_id) or self.network.regie_chat_id

    def _bind(self, slug: str, chat_id: int) -> None:
        chat_id = self.current(chat_id) or chat_id
        self._slug_by_chat[chat_id] = slug
        self._chat_by_slug[slug] = chat_id

    def kind(self, chat_id: int, chat_type: str = "supergroup") -> ChatKind:
        if chat_type == "private":
            return ChatKind.PRIVATE
        return self._kinds.get(chat_id, ChatKind.UNKNOWN)

    def slug_for(self, chat_id: int) -> str | None:
        return self._slug_by_chat.get(chat_id)

    def chat_for(self, slug: str) -> int | None:
        return self._chat_by_slug.get(slug)

    def is_linked(self, slug: str) -> bool:
        return slug in self._chat_by_slug

    def in_network(self, chat_id: int) -> bool:
        return chat_id in self._kinds

    def place(self, slug: str | None, regie: str) -> str:
        """A neighbourhood's name with its kern, or the regiegroep's name."""
        if slug is None:
            return regie
        hood = self.network.neighbourhoods.get(slug)
        if hood is None:  # removed or renamed in the network file since the incident began
            return slug
        return f"{hood.name} ({hood.kern})"

    def short_place(self, chat_id: int, regie: str) -> str:
        """A neighbourhood's name alone (for "door NAME (NEIGHBOURHOOD)"), or the regiegroep."""
        if chat_id == self.regie_chat_id:
            return regie
        slug = self.slug_for(chat_id)
        hood = self.network.neighbourhoods.get(slug) if slug else None
        return hood.name if hood else str(chat_id)

    def place_of_chat(self, chat_id: int, regie: str) -> str:
        if chat_id == self.regie_chat_id:
            return regie
        slug = self.slug_for(chat_id)
        return self.place(slug, regie) if slug else str(chat_id)
