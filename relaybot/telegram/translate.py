"""From Telegram objects to the plain values the use cases take."""

from __future__ import annotations

from telegram import Message, Update, User

from relaybot.domain.model import Actor, Post
from relaybot.domain.places import location_line
from relaybot.service import Chat, Command
from relaybot.service.context import Target

MEDIA = ("photo", "video", "document", "animation", "audio", "voice")


def media_of(message: Message) -> str | None:
    return next((kind for kind in MEDIA if getattr(message, kind, None)), None)


def name_of(user: User | None, message: Message | None = None) -> str:
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.title or ""
    return user.full_name if user is not None else ""


def post_of(message: Message) -> Post:
    text = message.text or message.caption or ""
    place = None
    venue, point = message.venue, message.location
    if venue is not None:
        point = venue.location
    if point is not None:  # a located alert shows where in every chat
        place = (point.latitude, point.longitude)
        title, address = (venue.title, venue.address) if venue is not None else ("", "")
        text = location_line(*place, title, address)
    return Post(
        chat_id=message.chat_id,
        message_id=message.message_id,
        text=text,
        media=media_of(message),
        author=name_of(message.from_user, message),
        place=place,
    )


def chat_of(message: Message) -> Chat:
    chat = message.chat
    return Chat(chat.id, chat.type, chat.title or "")


def message_key(message: Message) -> str:
    """Identifies one message; a redelivered update has the same key."""
    return f"msg:{message.chat_id}:{message.message_id}"


def command_of(
    update: Update, is_co_admin: bool, name: str = "", target: Target | None = None
) -> Command:
    message = update.effective_message
    assert message is not None
    text = message.text or message.caption or ""
    parts = text.split(maxsplit=1)
    replied = message.reply_to_message
    return Command(
        chat=chat_of(message),
        actor=Actor(
            user_id=message.from_user.id if message.from_user else 0,
            name=name_of(message.from_user, message),
            is_co_admin=is_co_admin,
        ),
        message_id=message.message_id,
        key=message_key(message),
        args=parts[1] if len(parts) > 1 else "",
        replied=post_of(replied) if replied is not None else None,
        replied_to=replied.reply_to_message.message_id
        if replied is not None and replied.reply_to_message is not None
        else None,
        name=name,
        target=target,
    )
