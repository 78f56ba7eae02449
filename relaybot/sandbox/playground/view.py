"""What the page shows: every chat of the emulated world as plain JSON, with who is what."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from relaybot.sandbox.emulator.records import Chat, Message, User
from relaybot.sandbox.stage import Stage

PREVIEW = 80  # characters of a replied-to message shown above a reply


class View:
    """Turns the stage's world into what the page draws, in the page's language."""

    def __init__(self, stage: Stage, texts: dict[str, str]) -> None:
        self.stage = stage
        self.texts = texts
        self.zone = stage.network.timezone
        self.kinds = {chat_id: name for name, chat_id in stage.chats.items()}

    # --- the whole picture ------------------------------------------------------------------

    def state(self, **more: Any) -> dict[str, Any]:
        """Chats and people (and `more`), with a version that changes whenever anything
        shown changes."""
        body = {"chats": self.chats(), "people": self.people(), **more}
        encoded = json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
        return {"version": hashlib.sha1(encoded).hexdigest()[:16], **body}

    def people(self) -> list[dict[str, Any]]:
        users = [u for u in self.stage.emu.world.users.values() if not u.is_bot]
        return [
            {"id": u.id, "name": u.full_name, "roles": self.roles(u)}
            for u in sorted(users, key=lambda u: u.id)
        ]

    def roles(self, user: User) -> list[dict[str, Any]]:
        return [
            {"chat": chat.id, "title": chat.title, "role": self.role(chat, user.id)}
            for chat in self.groups()
            if chat.is_member(user.id)
        ]

    def chats(self) -> list[dict[str, Any]]:
        shown = [*self.groups(), *self.privates()]
        return [self.chat(chat) for chat in shown]

    def groups(self) -> list[Chat]:
        """The network's chats in the network's order, then any other group the bot is in."""
        world = self.stage.emu.world
        known = [world.chats[i] for i in self.stage.chats.values() if i in world.chats]
        others = [
            c
            for c in world.chats.values()
            if c.is_group and c.id not in self.kinds and c.migrated_to is None
        ]
        return [c for c in known if c.migrated_to is None] + others

    def privates(self) -> list[Chat]:
        return [c for c in self.stage.emu.world.chats.values() if c.type == "private"]

    # --- one chat ---------------------------------------------------------------------------

    def chat(self, chat: Chat) -> dict[str, Any]:
        bot = self.stage.emu.bot_user.id
        private = chat.type == "private"
        title = (
            self.texts["private_of"].format(person=chat.user.full_name)
            if private and chat.user is not None
            else chat.title or str(chat.id)
        )
        members = [
            {"id": uid, "name": self.name(uid), "role": self.role(chat, uid)}
            for uid in chat.members
            if uid != bot and chat.is_member(uid)
        ]
        return {
            "id": chat.id,
            "title": title,
            "kind": "private" if private else self.kinds.get(chat.id, "group"),
            "members": members,
            "keyboard": self.keyboard(chat),
            "messages": [self.message(chat, m) for m in chat.messages.values()],
        }

    def role(self, chat: Chat, user_id: int) -> str:
        kind = self.kinds.get(chat.id)
        admin = chat.is_admin(user_id)
        if kind == "regie":
            return self.texts["contact"]
        if kind == "coordinators":
            return self.texts["coordinator"]
        if kind is not None:
            return self.texts["co_admin" if admin else "resident"]
        return self.texts["admin" if admin else "member"]

    def keyboard(self, chat: Chat) -> list[list[dict[str, Any]]]:
        """The reply keyboard the person sees in their private chat with the bot."""
        rows = (chat.keyboard or {}).get("keyboard") or []
        return [
            [
                {
                    "text": b.get("text", "") if isinstance(b, dict) else str(b),
                    "contact": bool(isinstance(b, dict) and b.get("request_contact")),
                }
                for b in row
            ]
            for row in rows
        ]

    def message(self, chat: Chat, message: Message) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": message.message_id,
            "from": message.from_id,
            "sender": self.texts["bot"] if message.from_bot else self.name(message.from_id),
            "bot": message.from_bot,
            "time": self.hhmm(message.date),
            "edited": message.edited > 0,
            "deleted": message.deleted,
        }
        if message.deleted:
            return shown
        if message.service:
            shown["service"] = self.service(message)
            return shown
        shown["text"] = self.body(message)
        shown["buttons"] = [
            [{"text": text, "data": data} for text, data in row] for row in message.buttons
        ]
        replied = chat.messages.get(message.reply_to) if message.reply_to else None
        if replied is not None:
            shown["reply_to"] = {
                "id": replied.message_id,
                "sender": self.texts["bot"] if replied.from_bot else self.name(replied.from_id),
                "text": self.texts["deleted"] if replied.deleted else self.body(replied)[:PREVIEW],
            }
        return shown

    def body(self, message: Message) -> str:
        if message.contact:
            card = message.contact
            name = " ".join(p for p in (card.get("first_name"), card.get("last_name")) if p)
            return f"📇 {name} {card.get('phone_number', '')}".strip()
        if message.media == "location":
            place = message.media_json
            return f"📍 {place['latitude']:.5f}, {place['longitude']:.5f}"
        media = f"[{message.media}] " if message.media else ""
        return media + (message.content or "")

    def service(self, message: Message) -> str:
        person = self.name(message.from_id)
        for key, text in (
            ("new_chat_members", "joined"),
            ("left_chat_member", "left"),
            ("pinned_message", "pinned"),
        ):
            if key in message.service:
                who = message.service[key]
                if isinstance(who, list) and who:
                    person = ", ".join(self.name(int(w["id"])) for w in who)
                elif key == "left_chat_member" and isinstance(who, dict):
                    person = self.name(int(who["id"]))
                return self.texts[text].format(person=person)
        return self.texts["service"].format(person=person)

    def name(self, user_id: int) -> str:
        if user_id == self.stage.emu.bot_user.id:
            return self.texts["bot"]
        user = self.stage.emu.world.users.get(user_id)
        return user.full_name if user is not None else str(user_id)

    def hhmm(self, stamp: float) -> str:
        return dt.datetime.fromtimestamp(stamp, self.zone).strftime("%H:%M")
