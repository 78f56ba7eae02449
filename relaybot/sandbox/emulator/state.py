"""The emulated world: who exists, which chats, what was said, and how the Bot API shows it."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable
from typing import Any

from relaybot.sandbox.emulator.errors import EmulatorError, bad_request, forbidden
from relaybot.sandbox.emulator.records import (
    CHANNEL_BOT_ID,
    GROUP_ANONYMOUS_BOT_ID,
    Chat,
    Message,
    User,
)
from relaybot.sandbox.emulator.updates import UpdateQueue

_MEDIA_DEFAULTS: dict[str, dict[str, Any]] = {
    "document": {"file_name": "document.pdf", "mime_type": "application/pdf"},
    "video": {"width": 1280, "height": 720, "duration": 12, "mime_type": "video/mp4"},
    "animation": {"width": 480, "height": 270, "duration": 3, "mime_type": "video/mp4"},
    "audio": {"duration": 180, "mime_type": "audio/mpeg"},
    "voice": {"duration": 5, "mime_type": "audio/ogg"},
}

_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
    "can_manage_topics": False,
}


CALLBACK_ANSWER_S = 15.0


class World:
    """Users, chats and messages, plus the rules for who may reach which chat."""

    def __init__(self, bot: User, seed: int = 0, clock: Callable[[], float] = time.time) -> None:
        self.bot = bot
        self.clock = clock
        self.rng = random.Random(seed)
        self.users: dict[int, User] = {bot.id: bot}
        self.anonymous = User(GROUP_ANONYMOUS_BOT_ID, "Group", None, "GroupAnonymousBot", True)
        self.users[self.anonymous.id] = self.anonymous
        # Telegram's stand-in sender of messages sent as a channel
        self.channel_bot = User(CHANNEL_BOT_ID, "Channel", None, "Channel_Bot", True)
        self.users[self.channel_bot.id] = self.channel_bot
        self.chats: dict[int, Chat] = {}
        self.updates = UpdateQueue()
        self.callback_queries: dict[str, tuple[int, int, int]] = {}  # id -> chat, message, user
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.callback_pressed: dict[str, float] = {}  # id -> when the button was pressed
        # Telegram takes a button's answer only this many seconds after the press
        self.callback_answer_s = CALLBACK_ANSWER_S
        self.files: dict[str, tuple[str, Any]] = {}  # file_id -> kind, media json
        self._user_ids = itertools.count(100_000_001)
        self._group_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

    def now(self) -> int:
        return int(self.clock())

    # --- world building ---------------------------------------------------------------------

    def add_user(
        self,
        first_name: str,
        last_name: str | None,
        username: str | None,
        phone_number: str | None = None,
    ) -> User:
        user = User(next(self._user_ids), first_name, last_name, username)
        user.phone_number = phone_number
        self.users[user.id] = user
        return user

    def add_group(
        self,
        title: str,
        chat_id: int | None,
        kind: str,
        members: list[User],
        admins: list[User],
        creator: User | None,
        bot_is_admin: bool,
    ) -> Chat:
        if kind not in ("group", "supergroup"):
            raise EmulatorError(f"unknown group kind {kind!r}")
        if chat_id is None:
            chat_id = self.new_group_id(kind)
        if chat_id in self.chats:
            raise EmulatorError(f"chat {chat_id} exists")
        chat = Chat(chat_id, kind, title)
        for user in [*members, *admins]:
            chat.members[user.id] = "member"
        for user in admins:
            chat.members[user.id] = "administrator"
        if creator is not None:
            chat.members[creator.id] = "creator"
        chat.members[self.bot.id] = "administrator" if bot_is_admin else "member"
        self.chats[chat_id] = chat
        return chat

    def new_group_id(self, kind: str) -> int:
        base = 1001000000000 if kind == "supergroup" else 4000000000
        return next(-(base + n) for n in self._group_ids if -(base + n) not in self.chats)

    def private_chat(self, user: User) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(user.id, "private", user=user)
            chat.members = {user.id: "member", self.bot.id: "member"}
            self.chats[user.id] = chat
        return chat

    def user(self, user_id: int) -> User:
        try:
            return self.users[user_id]
        except KeyError:
            raise EmulatorError(f"no user {user_id}") from None

    def chat(self, chat_id: int) -> Chat:
        try:
            return self.chats[chat_id]
        except KeyError:
            raise EmulatorError(f"no chat {chat_id}") from None

    def new_media(self, kind: str, **extra: Any) -> Any:
        """Fresh file metadata for a photo (a list of sizes), video, document..."""
        if kind == "photo":
            media: Any = [
                self._new_file(width=w, height=h) for w, h in ((90, 68), (320, 240), (1280, 960))
            ]
        else:
            media = self._new_file(**{**_MEDIA_DEFAULTS.get(kind, {}), **extra})
        for item in media if isinstance(media, list) else [media]:
            self.files[item["file_id"]] = (kind, media)
        return media

    def _new_file(self, **extra: Any) -> dict[str, Any]:
        number = next(self._file_ids)
        return {
            "file_id": f"AgACAgEmu{number:08d}",
            "file_unique_id": f"AQADemu{number:06d}",
            "file_size": 1000 + number,
            **extra,
        }

    # --- what the bot may reach -------------------------------------------------------------

    def chat_for_bot(self, chat_id: Any) -> Chat:
        """The chat a Bot API call names, or the error Telegram would answer."""
        chat = self._find_chat(chat_id)
        if chat.migrated_to is not None:
            raise bad_request(
                "group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "private":
            if chat.blocked:
                raise forbidden("bot was blocked by the user")
            return chat
        status = chat.status(self.bot.id)
        noun = "supergroup chat" if chat.type == "supergroup" else "group chat"
        if status == "kicked":
            raise forbidden(f"bot was kicked from the {noun}")
        if status not in ("creator", "administrator", "member", "restricted"):
            raise forbidden(f"bot is not a member of the {noun}")
        return chat

    def _find_chat(self, chat_id: Any) -> Chat:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == chat_id[1:].lower():
                    return chat
            raise bad_request("chat not found")
        try:
            key = int(chat_id)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        chat = self.chats.get(key)
        if chat is None:
            if key in self.users and key != self.bot.id:
                raise forbidden("bot can't initiate conversation with a user")
            raise bad_request("chat not found")
        return chat

    def bot_rights(self, chat: Chat) -> dict[str, Any]:
        if chat.type == "private":
            return {}
        if chat.status(self.bot.id) == "creator":
            return dict(_ADMIN_RIGHTS)
        return self._admin_rights(chat, self.bot) if chat.is_admin(self.bot.id) else {}

    def _admin_rights(self, chat: Chat, user: User) -> dict[str, Any]:
        """An administrator's rights: the defaults, with what this chat set for them."""
        return {**_ADMIN_RIGHTS, **chat.admin_rights.get(user.id, {})}

    # --- messages ---------------------------------------------------------------------------

    def store(self, chat: Chat, **fields: Any) -> Message:
        message = Message(
            message_id=chat.next_message_id(), chat_id=chat.id, date=self.now(), **fields
        )
        chat.messages[message.message_id] = message
        return message

    def message_json(self, message: Message, nested: bool = True) -> dict[str, Any]:
        """The Message object as the Bot API shows it."""
        chat = self.chats[message.chat_id]
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat.to_dict(),
            "from": self.users[message.from_id].to_dict(),
        }
        if message.sender_chat_id is not None:
            data["sender_chat"] = self.chats[message.sender_chat_id].to_dict()
        if message.forward_origin:
            data["forward_origin"] = message.forward_origin
        if nested and message.reply_to is not None:
            replied = chat.messages.get(message.reply_to)
            if replied is not None and not replied.deleted:
                data["reply_to_message"] = self.message_json(replied, nested=False)
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.media is not None:
            data[message.media] = message.media_json
        if message.caption is not None:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        if message.contact is not None:
            data["contact"] = message.contact
        data.update(message.service)
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = message.reply_markup
        return data

    def member_json(self, chat: Chat, user: User, status: str | None = None) -> dict[str, Any]:
        """A ChatMember object for user in chat."""
        status = status or chat.status(user.id)
        data: dict[str, Any] = {"status": status, "user": user.to_dict()}
        if status == "creator":
            data["is_anonymous"] = False
        elif status == "administrator":
            data.update(self._admin_rights(chat, user))
        elif status == "kicked":
            data["until_date"] = 0
        elif status == "restricted":
            data.update({"is_member": True, "until_date": 0})
        return data

    def member_update(
        self, chat: Chat, user: User, new_status: str, by: User | None, **extra: Any
    ) -> None:
        """Change a membership and queue chat_member (or my_chat_member for the bot)."""
        old = self.member_json(chat, user)
        if new_status == "left":
            chat.members.pop(user.id, None)
        else:
            chat.members[user.id] = new_status
        payload = {
            "chat": chat.to_dict(),
            "from": (by or user).to_dict(),
            "date": self.now(),
            "old_chat_member": old,
            "new_chat_member": self.member_json(chat, user, new_status),
            **extra,
        }
        if user.id == self.bot.id:
            self.updates.put("my_chat_member", payload)
        elif chat.is_admin(self.bot.id):  # Telegram tells only administrators of others
            self.updates.put("chat_member", payload)
