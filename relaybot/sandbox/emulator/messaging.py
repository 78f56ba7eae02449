"""Bot API methods that send, copy, forward, edit and delete messages, and answer buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relaybot.sandbox.emulator import markup
from relaybot.sandbox.emulator.errors import bad_request
from relaybot.sandbox.emulator.params import Params
from relaybot.sandbox.emulator.records import Chat, Message
from relaybot.sandbox.emulator.state import World

MEDIA_KINDS = ("photo", "video", "document", "animation", "audio", "voice")
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_TEXT_LIMIT = 200  # characters of a button's answer
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_BUTTON_KINDS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
    "web_app",
)


def formatted(
    raw: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Parse raw text as Telegram does, with Telegram's error for a bad one."""
    try:
        return markup.parse(raw, parse_mode, entities)
    except markup.ParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    except ValueError:
        raise bad_request("unsupported parse_mode") from None


def checked_markup(reply_markup: Any) -> dict[str, Any] | None:
    """The reply_markup as stored, or Telegram's error for an invalid keyboard."""
    if reply_markup is None:
        return None
    if not isinstance(reply_markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = reply_markup.get("inline_keyboard")
    if rows is None:
        return _checked_reply_keyboard(reply_markup)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request("BUTTON_TEXT_INVALID")
            if not any(kind in button for kind in _BUTTON_KINDS):
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                raise bad_request("BUTTON_URL_INVALID")
    return reply_markup


def _checked_reply_keyboard(reply_markup: dict[str, Any]) -> dict[str, Any]:
    """A reply keyboard (buttons that send their text, or share the user's contact), a
    ReplyKeyboardRemove, or ForceReply, as Telegram checks them."""
    rows = reply_markup.get("keyboard")
    if rows is None:
        if reply_markup.get("remove_keyboard") or reply_markup.get("force_reply"):
            return reply_markup
        raise bad_request("can't parse reply keyboard markup JSON object")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text:
                raise bad_request("BUTTON_TEXT_INVALID")
    return reply_markup


DELETE_WINDOW = 48 * 3600  # seconds: Telegram refuses to delete a message older than this


class MessageMethods:
    def __init__(self, world: World) -> None:
        self.world = world

    def table(self) -> dict[str, Callable[[Params], Any]]:
        table: dict[str, Callable[[Params], Any]] = {
            "sendMessage": self.send_message,
            "copyMessage": self.copy_message,
            "forwardMessage": self.forward_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "deleteMessages": self.delete_messages,
            "answerCallbackQuery": self.answer_callback_query,
        }
        for kind in MEDIA_KINDS:
            table["send" + kind.capitalize()] = self._media_sender(kind)
        return table

    # --- sending ----------------------------------------------------------------------------

    def send_message(self, p: Params) -> dict[str, Any]:
        chat = self.world.chat_for_bot(p.chat_id())
        raw = p.string("text", "") or ""
        text, entities = formatted(raw, p.string("parse_mode"), p.get("entities"))
        _check_text(text)
        message = self._send(chat, p, text=text, entities=entities, html=raw)
        return self.world.message_json(message)

    def _media_sender(self, kind: str) -> Callable[[Params], dict[str, Any]]:
        def send(p: Params) -> dict[str, Any]:
            chat = self.world.chat_for_bot(p.chat_id())
            media = self._media(p, kind)
            fields = self._caption_fields(p) if p.has("caption") else {}
            message = self._send(chat, p, media=kind, media_json=media, **fields)
            return self.world.message_json(message)

        return send

    def copy_message(self, p: Params) -> dict[str, Any]:
        chat = self.world.chat_for_bot(p.chat_id())
        source = self._source(p, "copy")
        if source.service:
            raise bad_request("message can't be copied")
        fields: dict[str, Any]
        if source.media is None:
            fields = {"text": source.text, "entities": list(source.entities)}
        else:
            fields = {"media": source.media, "media_json": source.media_json}
            if p.has("caption"):
                fields.update(self._caption_fields(p))
            else:
                fields.update(
                    caption=source.caption, caption_entities=list(source.caption_entities)
                )
        message = self._send(chat, p, **fields)
        return {"message_id": message.message_id}

    def forward_message(self, p: Params) -> dict[str, Any]:
        chat = self.world.chat_for_bot(p.chat_id())
        source = self._source(p, "forward")
        if source.service:
            raise bad_request("message can't be forwarded")
        message = self.world.store(
            chat,
            from_id=self.world.bot.id,
            from_bot=True,
            text=source.text,
            entities=list(source.entities),
            caption=source.caption,
            caption_entities=list(source.caption_entities),
            media=source.media,
            media_json=source.media_json,
            forward_origin=source.forward_origin or self._origin(source),
        )
        return self.world.message_json(message)

    def _send(self, chat: Chat, p: Params, **fields: Any) -> Message:
        reply_to = self._reply_to(chat, p)
        reply_markup = checked_markup(p.get("reply_markup"))
        if reply_markup is not None and "keyboard" in reply_markup:
            chat.keyboard = reply_markup  # what the user now sees under the input field
        elif reply_markup is not None and reply_markup.get("remove_keyboard"):
            chat.keyboard = None
        return self.world.store(
            chat,
            from_id=self.world.bot.id,
            from_bot=True,
            reply_to=reply_to,
            reply_markup=reply_markup,
            parse_mode=p.string("parse_mode"),
            **fields,
        )

    def _reply_to(self, chat: Chat, p: Params) -> int | None:
        reply = p.get("reply_parameters")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow = bool(reply.get("allow_sending_without_reply"))
            target_id = reply.get("chat_id")
            target = chat if target_id is None else self.world.chat_for_bot(target_id)
        elif p.has("reply_to_message_id"):
            message_id = p.integer("reply_to_message_id")
            allow = p.flag("allow_sending_without_reply")
            target = chat
        else:
            return None
        replied = target.messages.get(int(message_id or 0))
        if replied is None or replied.deleted:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        return replied.message_id if target is chat else None

    def _source(self, p: Params, verb: str) -> Message:
        source_chat = self.world.chat_for_bot(p.chat_id("from_chat_id"))
        source = source_chat.messages.get(p.required_int("message_id"))
        if source is None or source.deleted:
            raise bad_request(f"message to {verb} not found")
        return source

    def _origin(self, source: Message) -> dict[str, Any]:
        if source.sender_chat_id is not None:
            sender_chat = self.world.chats[source.sender_chat_id].to_dict()
            return {"type": "chat", "date": source.date, "sender_chat": sender_chat}
        sender = self.world.users[source.from_id].to_dict()
        return {"type": "user", "date": source.date, "sender_user": sender}

    def _media(self, p: Params, kind: str) -> Any:
        upload = p.files.get(kind)
        value = p.get(kind)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = p.files.get(value.removeprefix("attach://"))
        if upload is not None:
            extra = {"file_name": upload.filename} if kind in ("document", "audio") else {}
            return self.world.new_media(kind, **extra)
        if not value:
            raise bad_request(f"there is no {kind} in the request")
        if isinstance(value, str) and value in self.world.files:
            return self.world.files[value][1]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self.world.new_media(kind)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _caption_fields(self, p: Params) -> dict[str, Any]:
        raw = p.string("caption", "") or ""
        caption, entities = formatted(raw, p.string("parse_mode"), p.get("caption_entities"))
        if markup.utf16_len(caption) > CAPTION_LIMIT:
            raise bad_request("message caption is too long")
        return {"caption": caption or None, "caption_entities": entities, "html": raw}

    # --- editing ----------------------------------------------------------------------------

    def edit_message_text(self, p: Params) -> dict[str, Any]:
        _, message = self._own_message(p)
        if message.media is not None:
            raise bad_request("there is no text in the message to edit")
        raw = p.string("text", "") or ""
        text, entities = formatted(raw, p.string("parse_mode"), p.get("entities"))
        _check_text(text)
        reply_markup = checked_markup(p.get("reply_markup"))
        current = (message.text, message.entities, message.reply_markup)
        if (text, entities, reply_markup) == current:
            raise bad_request(NOT_MODIFIED)
        message.text, message.entities, message.html = text, entities, raw
        return self._edited(message, reply_markup)

    def edit_message_caption(self, p: Params) -> dict[str, Any]:
        _, message = self._own_message(p)
        if message.media is None:
            raise bad_request("there is no caption in the message to edit")
        fields = self._caption_fields(p)
        reply_markup = checked_markup(p.get("reply_markup"))
        current = (message.caption, message.caption_entities, message.reply_markup)
        if (fields["caption"], fields["caption_entities"], reply_markup) == current:
            raise bad_request(NOT_MODIFIED)
        message.caption = fields["caption"]
        message.caption_entities = fields["caption_entities"]
        message.html = fields["html"]
        return self._edited(message, reply_markup)

    def edit_message_reply_markup(self, p: Params) -> dict[str, Any]:
        _, message = self._own_message(p)
        reply_markup = checked_markup(p.get("reply_markup"))
        if reply_markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        return self._edited(message, reply_markup)

    def _own_message(self, p: Params) -> tuple[Chat, Message]:
        if p.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self.world.chat_for_bot(p.chat_id())
        message = chat.messages.get(p.required_int("message_id"))
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot or message.service or message.forward_origin:
            raise bad_request("message can't be edited")
        return chat, message

    def _edited(self, message: Message, reply_markup: dict[str, Any] | None) -> dict[str, Any]:
        message.reply_markup = reply_markup
        message.edited += 1
        message.edit_date = self.world.now()
        return self.world.message_json(message)

    # --- deleting and answering -------------------------------------------------------------

    def delete_message(self, p: Params) -> bool:
        chat = self.world.chat_for_bot(p.chat_id())
        message = chat.messages.get(p.required_int("message_id"))
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        if self.world.now() - message.date >= DELETE_WINDOW:  # editing it is still allowed
            raise bad_request("message can't be deleted")
        self._delete(chat, message)
        return True

    def delete_messages(self, p: Params) -> bool:
        chat = self.world.chat_for_bot(p.chat_id())
        ids = p.get("message_ids") or []
        if not 1 <= len(ids) <= 100:
            raise bad_request("message_ids is empty" if not ids else "too many messages")
        for message_id in ids:
            message = chat.messages.get(int(message_id))
            if message is not None and not message.deleted:
                self._delete(chat, message)
        return True

    def _delete(self, chat: Chat, message: Message) -> None:
        may_delete = self.world.bot_rights(chat).get("can_delete_messages")
        if chat.is_group and not message.from_bot and not may_delete:
            raise bad_request("message can't be deleted")
        message.deleted = True
        if message.message_id in chat.pinned:
            chat.pinned.remove(message.message_id)

    def answer_callback_query(self, p: Params) -> bool:
        """Telegram takes one answer per press, within `callback_answer_s` of it (15 s), and
        at most 200 characters of text (its own error texts, tdlib/telegram-bot-api)."""
        query_id = p.string("callback_query_id") or ""
        world = self.world
        pressed = world.callback_pressed.get(query_id)
        if (
            query_id not in world.callback_queries
            or query_id in world.callback_answers
            or (pressed is not None and world.clock() - pressed > world.callback_answer_s)
        ):
            raise bad_request(QUERY_TOO_OLD)
        text = p.string("text")
        if text is not None and markup.utf16_len(text) > CALLBACK_TEXT_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        world.callback_answers[query_id] = {
            "text": text,
            "show_alert": p.flag("show_alert"),
            "url": p.string("url"),
            "cache_time": p.integer("cache_time"),
        }
        return True


def _check_text(text: str) -> None:
    if not text:
        raise bad_request("message text is empty")
    if markup.utf16_len(text) > TEXT_LIMIT:
        raise bad_request("message is too long")
