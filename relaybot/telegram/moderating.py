"""Messages as moderation sees them (translation; the members' standing and kicks are asked
through the port, relaybot/telegram/port.py)."""

from __future__ import annotations

from telegram import Message

from relaybot.domain.moderation import Sender
from relaybot.service.context import Target
from relaybot.service.moderation import Seen


def sender_of(message: Message) -> Sender:
    user = message.from_user
    return Sender(
        chat_id=message.chat_id,
        user_id=user.id if user is not None else 0,
        is_bot=bool(user and user.is_bot),
        sender_chat_id=message.sender_chat.id if message.sender_chat is not None else None,
    )


def seen_of(message: Message) -> Seen:
    return Seen(
        chat_id=message.chat_id,
        message_id=message.message_id,
        sender=sender_of(message),
        text=message.text or message.caption or "",
        photo=bool(message.photo),
    )


def target_of(message: Message, name: str, is_co_admin: bool) -> Target:
    return Target(sender_of(message), message.message_id, name, is_co_admin)
