"""People acting in the emulated world; each act queues the updates Telegram would send."""

from __future__ import annotations

from typing import Any

from relaybot.sandbox.emulator import markup
from relaybot.sandbox.emulator.errors import EmulatorError
from relaybot.sandbox.emulator.records import Chat, Message, User
from relaybot.sandbox.emulator.state import World


class People:
    """What users do: post, edit, press buttons, join and leave, migrate, add or kick the bot."""

    def __init__(self, world: World, privacy_mode: bool = False) -> None:
        self.world = world
        self.privacy_mode = privacy_mode
        self._callback_ids = iter(range(4_200_000_000_000_000_001, 2**63))

    # --- messages ---------------------------------------------------------------------------

    def post(
        self,
        chat_id: int,
        user: User,
        text: str | None,
        reply_to: int | None = None,
        as_chat: bool = False,
        media: str | None = None,
        caption: str | None = None,
        **media_extra: Any,
    ) -> Message:
        chat = self._chat_to_post_in(chat_id, user)
        if reply_to is not None:
            replied = chat.messages.get(reply_to)
            if replied is None or replied.deleted:
                raise EmulatorError(f"no message {reply_to} in chat {chat.id} to reply to")
        fields: dict[str, Any] = {"from_id": user.id, "reply_to": reply_to}
        if as_chat:
            if not chat.is_admin(user.id):
                raise EmulatorError(f"{user.full_name} is no admin of {chat.id}")
            fields.update(from_id=self.world.anonymous.id, sender_chat_id=chat.id)
        if media is not None:
            fields.update(media=media, media_json=self.world.new_media(media, **media_extra))
            if caption is not None:
                fields.update(caption=caption, caption_entities=markup.detect(caption))
        else:
            if not text:
                raise EmulatorError("a text message needs text")
            fields.update(text=text, entities=markup.detect(text))
        message = self.world.store(chat, **fields)
        if self._bot_sees(chat, message):
            self.world.updates.put("message", self.world.message_json(message))
        return message

    def share_contact(
        self,
        user: User,
        phone_number: str,
        first_name: str,
        contact_user_id: int | None = None,
        last_name: str | None = None,
    ) -> Message:
        """The user sends a contact card in their private chat with the bot: their own (from
        a share-contact button: ``contact_user_id`` is theirs) or someone else's."""
        chat = self.world.private_chat(user)
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        if last_name:
            contact["last_name"] = last_name
        if contact_user_id is not None:
            contact["user_id"] = contact_user_id
        message = self.world.store(chat, from_id=user.id, contact=contact)
        if self._bot_sees(chat, message):
            self.world.updates.put("message", self.world.message_json(message))
        return message

    def share_location(
        self,
        chat_id: int,
        user: User,
        latitude: float,
        longitude: float,
        reply_to: int | None = None,
    ) -> Message:
        """The user sends a location (a pin on the map) in a group or privately, optionally
        as a reply."""
        chat = self._chat_to_post_in(chat_id, user)
        if reply_to is not None and (
            chat.messages.get(reply_to) is None or chat.messages[reply_to].deleted
        ):
            raise EmulatorError(f"no message {reply_to} in chat {chat.id} to reply to")
        place = {"latitude": latitude, "longitude": longitude}
        message = self.world.store(
            chat, from_id=user.id, media="location", media_json=place, reply_to=reply_to
        )
        if self._bot_sees(chat, message):
            self.world.updates.put("message", self.world.message_json(message))
        return message

    def tap(self, user: User, label: str, location: tuple[float, float] | None = None) -> Message:
        """The user presses a button of the reply keyboard the bot showed them in their
        private chat: it sends its text, or (a request_contact button) their own contact, or
        (a request_location button) where they are: ``location``, (latitude, longitude)."""
        chat = self.world.private_chat(user)
        for row in (chat.keyboard or {}).get("keyboard") or []:
            for button in row:
                text = button.get("text") if isinstance(button, dict) else button
                if text != label:
                    continue
                if isinstance(button, dict) and button.get("request_location"):
                    if location is None:
                        raise EmulatorError(f"{label!r} shares a location: give one to tap")
                    chat.keyboard = None  # one time, as the bot sends it
                    return self.share_location(chat.id, user, *location)
                if isinstance(button, dict) and button.get("request_contact"):
                    if not user.phone_number:
                        raise EmulatorError(f"{user.full_name} has no phone number to share")
                    return self.share_contact(
                        user,
                        user.phone_number.lstrip("+"),
                        user.first_name,
                        user.id,
                        user.last_name,
                    )
                if (chat.keyboard or {}).get("one_time_keyboard"):
                    chat.keyboard = None
                return self.post(chat.id, user, label)
        shown = [
            b.get("text") if isinstance(b, dict) else b
            for row in (chat.keyboard or {}).get("keyboard") or []
            for b in row
        ]
        raise EmulatorError(f"no reply-keyboard button {label!r} for {user.full_name}: {shown}")

    def edit(self, chat_id: int, message_id: int, new_text: str) -> Message:
        chat = self.world.chat(chat_id)
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise EmulatorError(f"no message {message_id} in chat {chat_id}")
        if message.from_bot:
            raise EmulatorError("the bot's messages are edited through the Bot API")
        if message.media is not None:
            message.caption, message.caption_entities = new_text, markup.detect(new_text)
        else:
            message.text, message.entities = new_text, markup.detect(new_text)
        message.edited += 1
        message.edit_date = self.world.now()
        if self._bot_sees(chat, message):
            self.world.updates.put("edited_message", self.world.message_json(message))
        return message

    def press(
        self,
        chat_id: int,
        message_id: int,
        user: User,
        button_text: str | None = None,
        data: str | None = None,
    ) -> str:
        chat = self.world.chat(chat_id)
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise EmulatorError(f"no message {message_id} in chat {chat_id}")
        button = self._find_button(message, button_text, data)
        if "callback_data" not in button:
            raise EmulatorError(f"button {button.get('text')!r} has no callback_data")
        query_id = str(next(self._callback_ids))
        self.world.callback_queries[query_id] = (chat.id, message_id, user.id)
        self.world.callback_pressed[query_id] = self.world.clock()
        self.world.updates.put(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_dict(),
                "message": self.world.message_json(message),
                "chat_instance": str(abs(chat.id) * 7 + 3),
                "data": button["callback_data"],
            },
        )
        return query_id

    @staticmethod
    def _find_button(message: Message, text: str | None, data: str | None) -> dict[str, Any]:
        if text is None and data is None:
            raise EmulatorError("press needs button_text or data")
        for row in (message.reply_markup or {}).get("inline_keyboard") or []:
            for button in row:
                if text is not None and button.get("text") == text:
                    return button
                if data is not None and button.get("callback_data") == data:
                    return button
        raise EmulatorError(f"message {message.message_id} has no button {text or data!r}")

    # --- membership -------------------------------------------------------------------------

    def join(self, chat_id: int, user: User, invite_link: str | None = None) -> Message:
        chat = self.world.chat(chat_id)
        if chat.status(user.id) == "kicked":
            raise EmulatorError(f"{user.full_name} is banned from {chat.id}")
        extra: dict[str, Any] = {}
        if invite_link is not None:
            link = chat.invite_links.get(invite_link)
            if link is None or link.is_revoked:
                raise EmulatorError(f"invite link {invite_link} is not valid for {chat.id}")
            if link.member_limit is not None and link.used >= link.member_limit:
                raise EmulatorError(f"invite link {invite_link} reached its member limit")
            link.used += 1
            extra["invite_link"] = {
                "invite_link": link.invite_link[:22] + "...",
                "creator": self.world.user(link.creator_id).to_dict(),
                "creates_join_request": link.creates_join_request,
                "is_primary": False,
                "is_revoked": link.is_revoked,
            }
        message = self._service(chat, user, new_chat_members=[user.to_dict()])
        self.world.member_update(chat, user, "member", None, **extra)
        return message

    def request_join(self, chat_id: int, user: User, invite_link: str) -> None:
        """The user opens an invite link that asks the admins to approve: Telegram queues a
        chat_join_request for the bot (the link in full: the bot made it)."""
        chat = self.world.chat(chat_id)
        link = chat.invite_links.get(invite_link)
        if link is None or link.is_revoked:
            raise EmulatorError(f"invite link {invite_link} is not valid for {chat.id}")
        if link.expire_date is not None and link.expire_date <= self.world.now():
            raise EmulatorError(f"invite link {invite_link} has expired")
        if not link.creates_join_request:
            raise EmulatorError(f"invite link {invite_link} does not create join requests")
        if chat.is_member(user.id):
            raise EmulatorError(f"{user.full_name} is already a member of {chat.id}")
        chat.join_requests[user.id] = invite_link
        payload: dict[str, Any] = {
            "chat": chat.to_dict(),
            "from": user.to_dict(),
            "user_chat_id": user.id,
            "date": self.world.now(),
            "invite_link": {
                "invite_link": link.invite_link,
                "creator": self.world.user(link.creator_id).to_dict(),
                "creates_join_request": True,
                "is_primary": False,
                "is_revoked": link.is_revoked,
                **({"name": link.name} if link.name else {}),
                **({"expire_date": link.expire_date} if link.expire_date else {}),
            },
        }
        if self.world.bot_rights(chat).get("can_invite_users"):  # as Telegram's docs say
            self.world.updates.put("chat_join_request", payload)

    def admit_requester(self, chat: Chat, user: User) -> None:
        """A join request was approved: the user joins (service message, chat_member)."""
        link = chat.join_requests.pop(user.id)
        used = chat.invite_links.get(link)
        if used is not None:
            used.used += 1
        self._service(chat, user, new_chat_members=[user.to_dict()])
        self.world.member_update(chat, user, "member", self.world.bot)

    def join_many(self, chat_id: int, users: list[User], by: User | None = None) -> Message:
        """Several people added at once: one service message naming them all (Telegram's
        `new_chat_members` list), and a chat_member update for each."""
        chat = self.world.chat(chat_id)
        adder = by or users[0]
        message = self._service(chat, adder, new_chat_members=[user.to_dict() for user in users])
        for user in users:
            self.world.member_update(chat, user, "member", by)
        return message

    def post_as_channel(self, chat_id: int, channel_title: str, text: str) -> Message:
        """A message sent in a group as a channel (a linked channel, or a member choosing to
        post as their channel): `sender_chat` is the channel, `from` is Channel_Bot."""
        chat = self.world.chat(chat_id)
        channel = next(
            (
                c
                for c in self.world.chats.values()
                if c.type == "channel" and c.title == channel_title
            ),
            None,
        )
        if channel is None:
            channel_id = self.world.new_group_id("supergroup")
            channel = Chat(channel_id, "channel", channel_title)
            self.world.chats[channel_id] = channel
        message = self.world.store(
            chat,
            from_id=self.world.channel_bot.id,
            sender_chat_id=channel.id,
            text=text,
            entities=markup.detect(text),
        )
        if self._bot_sees(chat, message):
            self.world.updates.put("message", self.world.message_json(message))
        return message

    def leave(self, chat_id: int, user: User) -> Message:
        chat = self.world.chat(chat_id)
        message = self._service(chat, user, left_chat_member=user.to_dict())
        self.world.member_update(chat, user, "left", None)
        return message

    def set_admin(self, chat_id: int, user: User, admin: bool = True, **rights: bool) -> None:
        """Promote (with rights differing from the defaults, e.g. can_restrict_members=False)
        or demote a member."""
        chat = self.world.chat(chat_id)
        by = self._owner(chat)
        if rights:
            chat.admin_rights[user.id] = dict(rights)
        else:
            chat.admin_rights.pop(user.id, None)
        self.world.member_update(chat, user, "administrator" if admin else "member", by)

    def migrate(self, chat_id: int) -> int:
        old = self.world.chat(chat_id)
        if old.type != "group" or old.migrated_to is not None:
            raise EmulatorError(f"chat {chat_id} is not a basic group")
        new_id = self.world.new_group_id("supergroup")
        new = Chat(new_id, "supergroup", old.title, members=dict(old.members))
        self.world.chats[new_id] = new
        by = self._owner(old)
        self._service(old, by, migrate_to_chat_id=new_id)
        old.migrated_to = new_id
        self._service(new, by, migrate_from_chat_id=old.id)
        return new_id

    def remove_bot(self, chat_id: int, by: User | None = None) -> None:
        chat = self.world.chat(chat_id)
        self.world.member_update(chat, self.world.bot, "kicked", by or self._owner(chat))

    def add_bot(self, chat: int | str, by: User) -> Chat:
        world = self.world
        if isinstance(chat, str):
            group = world.add_group(chat, None, "group", [], [], by, bot_is_admin=False)
            group.members.pop(world.bot.id)
        else:
            group = world.chat(chat)
        world.member_update(group, world.bot, "member", by)
        self._service(group, by, new_chat_members=[world.bot.to_dict()])
        return group

    # --- helpers ----------------------------------------------------------------------------

    def _chat_to_post_in(self, chat_id: int, user: User) -> Chat:
        if chat_id == user.id:
            return self.world.private_chat(user)
        chat = self.world.chat(chat_id)
        if chat.migrated_to is not None:
            raise EmulatorError(f"chat {chat_id} was migrated to {chat.migrated_to}")
        if chat.type == "private" and chat.id != user.id:
            raise EmulatorError(f"{user.full_name} cannot post in another user's private chat")
        if chat.is_group and not chat.is_member(user.id):
            raise EmulatorError(f"{user.full_name} is not a member of {chat.id}")
        return chat

    def _service(self, chat: Chat, user: User, **service: Any) -> Message:
        message = self.world.store(chat, from_id=user.id, service=service)
        if chat.is_member(self.world.bot.id):
            self.world.updates.put("message", self.world.message_json(message))
        return message

    def _owner(self, chat: Chat) -> User:
        for status in ("creator", "administrator", "member"):
            for user_id, member_status in chat.members.items():
                if member_status == status and user_id != self.world.bot.id:
                    return self.world.user(user_id)
        return self.world.anonymous

    def _bot_sees(self, chat: Chat, message: Message) -> bool:
        if not chat.is_member(self.world.bot.id) or chat.migrated_to is not None:
            return False
        if chat.type == "private" or not self.privacy_mode or chat.is_admin(self.world.bot.id):
            return True
        replied = chat.messages.get(message.reply_to) if message.reply_to else None
        if replied is not None and replied.from_bot:
            return True
        command = (message.content or "").split(maxsplit=1)[0] if message.content else ""
        if not command.startswith("/"):
            return False
        addressee = command.partition("@")[2]
        return not addressee or addressee.lower() == (self.world.bot.username or "").lower()
