"""The records of the emulated world: users, chats, messages and the bot's calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GROUP_ANONYMOUS_BOT_ID = 1087968824
CHANNEL_BOT_ID = 136817688  # the `from` of messages sent as a channel
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted")


@dataclass
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    is_bot: bool = False
    phone_number: str | None = None  # what their share-contact button shares (not in to_dict)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class InviteLink:
    invite_link: str
    creator_id: int
    name: str | None = None
    expire_date: int | None = None
    member_limit: int | None = None
    creates_join_request: bool = False
    is_revoked: bool = False
    used: int = 0


@dataclass
class Message:
    message_id: int
    chat_id: int
    from_id: int
    date: int
    from_bot: bool = False
    text: str | None = None
    entities: list[dict[str, Any]] = field(repr=False, default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(repr=False, default_factory=list)
    html: str | None = None
    parse_mode: str | None = None
    reply_to: int | None = None
    reply_markup: dict[str, Any] | None = None
    media: str | None = None
    media_json: Any = field(default=None, repr=False)
    edited: int = 0
    edit_date: int | None = None
    deleted: bool = False
    sender_chat_id: int | None = None
    forward_origin: dict[str, Any] | None = field(default=None, repr=False)
    service: dict[str, Any] = field(repr=False, default_factory=dict)
    contact: dict[str, Any] | None = field(default=None, repr=False)  # a shared contact

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard rows as (text, callback_data or url)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            [(b.get("text", ""), b.get("callback_data", b.get("url"))) for b in row] for row in rows
        ]

    @property
    def content(self) -> str | None:
        """The text or caption a reader sees."""
        return self.text if self.text is not None else self.caption


@dataclass
class Chat:
    id: int
    type: str  # "private", "group" or "supergroup"
    title: str | None = None
    user: User | None = None  # the other party of a private chat
    username: str | None = None
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    migrated_to: int | None = None
    blocked: bool = False  # a private chat whose user blocked the bot
    messages: dict[int, Message] = field(default_factory=dict, repr=False)
    last_message_id: int = 0
    pinned: list[int] = field(default_factory=list)
    invite_links: dict[str, InviteLink] = field(default_factory=dict)
    join_requests: dict[int, str] = field(default_factory=dict)  # user id -> invite link used
    keyboard: dict[str, Any] | None = None  # the reply keyboard the user sees (private chats)
    # user id -> admin rights that differ from the defaults (e.g. can_restrict_members False)
    admin_rights: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def status(self, user_id: int) -> str:
        return self.members.get(user_id, "left")

    def is_member(self, user_id: int) -> bool:
        return self.status(user_id) in MEMBER_STATUSES

    def is_admin(self, user_id: int) -> bool:
        return self.status(user_id) in ("creator", "administrator")

    def next_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.user is not None:
            data.update(self.user.to_dict())
            data.pop("is_bot")
            data["id"] = self.id
        else:
            data["title"] = self.title
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class Call:
    """One Bot API request the bot made, with what the emulator answered."""

    method: str
    params: dict[str, Any]
    ok: bool
    result_or_error: Any
    at: float = 0.0

    @property
    def error_code(self) -> int | None:
        return None if self.ok else self.result_or_error.get("error_code")
