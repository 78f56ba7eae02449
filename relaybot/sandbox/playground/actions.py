"""Acting as anyone: what the page asks for, checked, then done through the emulator's
user side (the bot sees it as it would see it from Telegram)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from relaybot.sandbox.emulator import EmulatorError
from relaybot.sandbox.emulator.records import Chat, User
from relaybot.sandbox.stage import Stage

MAX_TEXT = 4096
PHONE = re.compile(r"\+?[0-9]{6,15}")


class Refused(Exception):
    """A request the playground does not carry out: its HTTP status and what to tell."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Acting:
    """Carries out one request of the page: post, press, tap, share contact, join, ..."""

    def __init__(self, stage: Stage, texts: dict[str, str]) -> None:
        self.stage = stage
        self.texts = texts
        self.actions: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "post": self.post,
            "press": self.press,
            "tap": self.tap,
            "new_person": self.new_person,
            "share_contact": self.share_contact,
            "join": self.join,
            "add_bot": self.add_bot,
            "location": self.location,
        }

    def act(self, request: Any) -> dict[str, Any]:
        if not isinstance(request, dict):
            raise Refused(400, self.texts["bad_json"])
        name = request.get("action")
        action = self.actions.get(name) if isinstance(name, str) else None
        if action is None:
            raise Refused(400, self.texts["bad_action"].format(action=name))
        try:
            return action(request)
        except EmulatorError as error:
            raise Refused(409, self.texts["refused"].format(reason=error)) from None

    # --- the actions ------------------------------------------------------------------------

    def post(self, request: dict[str, Any]) -> dict[str, Any]:
        """A message (or a command) in a group or the person's private chat, maybe a reply."""
        person = self.person(request)
        chat = self.chat(request, person)
        text = self.text(request, "text")
        reply_to = self.number(request, "reply_to", required=False)
        if reply_to is not None:
            self.message(chat, reply_to)
        message = self.stage.emu.post(chat.id, person, text, reply_to=reply_to)
        return {"message": message.message_id}

    def press(self, request: dict[str, Any]) -> dict[str, Any]:
        """An inline button under one of the bot's messages."""
        person = self.person(request)
        chat = self.chat(request, person)
        message_id = self.number(request, "message")
        self.message(chat, message_id)
        data = self.text(request, "data")
        self.stage.emu.press(chat.id, message_id, person, data=data)
        return {}

    def tap(self, request: dict[str, Any]) -> dict[str, Any]:
        """A button of the reply keyboard the bot shows the person privately."""
        person = self.person(request)
        message = self.stage.emu.tap(person, self.text(request, "label"))
        return {"message": message.message_id}

    def new_person(self, request: dict[str, Any]) -> dict[str, Any]:
        """Someone in no chat yet (to sign up, to join by a link), with a phone number their
        share-contact button shares."""
        first = self.text(request, "first_name")[:64]
        last = request.get("last_name")
        last = last.strip()[:64] if isinstance(last, str) else ""
        phone = self.text(request, "phone_number").replace(" ", "").replace("-", "")
        if not PHONE.fullmatch(phone):
            raise Refused(400, self.texts["bad_field"].format(field="phone_number"))
        user = self.stage.emu.add_user(first.strip(), last or None, phone_number=phone)
        return {"person": user.id}

    def share_contact(self, request: dict[str, Any]) -> dict[str, Any]:
        """The person sends their own contact card to the bot, privately."""
        person = self.person(request)
        if not person.phone_number:
            raise Refused(409, self.texts["no_phone"].format(person=person.full_name))
        number = person.phone_number.lstrip("+")
        message = self.stage.emu.share_contact(
            person, number, person.first_name, person.id, person.last_name
        )
        return {"message": message.message_id}

    def join(self, request: dict[str, Any]) -> dict[str, Any]:
        """The person opens an invite link: joins, or asks to join when the link says so."""
        person = self.person(request)
        link = self.text(request, "link").strip()
        for chat in self.stage.emu.world.chats.values():
            invite = chat.invite_links.get(link)
            if invite is None:
                continue
            if invite.creates_join_request:
                self.stage.emu.request_join(chat.id, person, link)
            else:
                self.stage.emu.join(chat.id, person, link)
            return {"chat": chat.id}
        raise Refused(404, self.texts["no_link"])

    def location(self, request: dict[str, Any]) -> dict[str, Any]:
        """A pin on the map, sent in a group or the person's private chat."""
        person = self.person(request)
        chat = self.chat(request, person)
        latitude = self.degrees(request, "latitude", 90)
        longitude = self.degrees(request, "longitude", 180)
        message = self.stage.emu.share_location(chat.id, person, latitude, longitude)
        return {"message": message.message_id}

    def add_bot(self, request: dict[str, Any]) -> dict[str, Any]:
        """The person makes a new group with this title and adds the bot to it."""
        person = self.person(request)
        title = self.text(request, "title").strip()[:128]
        return {"chat": self.stage.emu.add_bot(title, person).id}

    # --- checking what was asked ------------------------------------------------------------

    def number(self, request: dict[str, Any], field: str, required: bool = True) -> Any:
        value = request.get(field)
        if value is None and not required:
            return None
        if value is None:
            raise Refused(400, self.texts["missing"].format(field=field))
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refused(400, self.texts["bad_field"].format(field=field))
        return value

    def degrees(self, request: dict[str, Any], field: str, limit: float) -> float:
        value = request.get(field)
        if value is None or value == "":
            raise Refused(400, self.texts["missing"].format(field=field))
        try:
            degrees = float(value)
        except (TypeError, ValueError):
            raise Refused(400, self.texts["bad_field"].format(field=field)) from None
        if not -limit <= degrees <= limit:  # also refuses nan
            raise Refused(400, self.texts["bad_field"].format(field=field))
        return degrees

    def text(self, request: dict[str, Any], field: str) -> str:
        value = request.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise Refused(400, self.texts["missing"].format(field=field))
        if not isinstance(value, str):
            raise Refused(400, self.texts["bad_field"].format(field=field))
        if len(value) > MAX_TEXT:
            raise Refused(400, self.texts["too_long"])
        return value

    def person(self, request: dict[str, Any]) -> User:
        user_id = self.number(request, "person")
        user = self.stage.emu.world.users.get(user_id)
        if user is None or user.is_bot:
            raise Refused(404, self.texts["no_person"].format(person=user_id))
        return user

    def chat(self, request: dict[str, Any], person: User) -> Chat:
        chat_id = self.number(request, "chat")
        if chat_id == person.id:
            return self.stage.emu.private_chat(person)
        chat = self.stage.emu.world.chats.get(chat_id)
        if chat is None or (chat.type == "private" and chat.id != person.id):
            raise Refused(404, self.texts["no_chat"].format(chat=chat_id))
        if chat.is_group and not chat.is_member(person.id):
            raise Refused(409, self.texts["not_member"].format(person=person.full_name))
        return chat

    def message(self, chat: Chat, message_id: int) -> None:
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise Refused(404, self.texts["no_message"].format(message=message_id))
