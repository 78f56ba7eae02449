"""`NewGroupMessage` lets through exactly what the chain of PTB filters it replaces does."""

from __future__ import annotations

import datetime as dt
import itertools

from telegram import Chat, Message, MessageEntity, Update, User
from telegram.ext import filters

from relaybot.telegram.filtering import NewGroupMessage

WHEN = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)
ANNA = User(1, "Anna", False)


def _updates() -> list[Update]:
    """Every combination that matters: chat type, kind of update, text / caption / reply /
    nothing, a command at the start, a command further on, no entities."""
    made = []
    number = itertools.count(1)
    chats = [
        Chat(-100, Chat.SUPERGROUP),
        Chat(-5, Chat.GROUP),
        Chat(7, Chat.PRIVATE),
        Chat(-200, Chat.CHANNEL),
    ]
    replied = Message(1, WHEN, Chat(-100, Chat.SUPERGROUP), text="eerder")
    contents = [
        {"text": "gewoon een bericht"},
        {"text": "/help", "entities": (MessageEntity(MessageEntity.BOT_COMMAND, 0, 5),)},
        {"text": "zie /help", "entities": (MessageEntity(MessageEntity.BOT_COMMAND, 4, 5),)},
        {"caption": "foto"},
        {"reply_to_message": replied},
        {},
    ]
    for chat, content in itertools.product(chats, contents):
        message = Message(next(number), WHEN, chat, from_user=ANNA, **content)
        for kind in ("message", "edited_message", "channel_post"):
            made.append(Update(next(number), **{kind: message}))
    return made


def test_the_filter_matches_the_chain_it_replaces() -> None:
    fresh = filters.UpdateType.MESSAGE
    chatter = (
        filters.ChatType.GROUPS
        & (filters.TEXT | filters.CAPTION | filters.REPLY)
        & fresh
        & ~filters.COMMAND
    )
    screened = filters.ChatType.GROUPS & fresh & ~filters.COMMAND
    rest = screened & ~(filters.TEXT | filters.CAPTION | filters.REPLY)
    ours = {
        NewGroupMessage(content=True): chatter,
        NewGroupMessage(): screened,
        NewGroupMessage(content=False): rest,
    }
    for update in _updates():
        for our, theirs in ours.items():
            assert bool(our.check_update(update)) == bool(theirs.check_update(update))
    for our in ours:
        assert any(our.check_update(u) for u in _updates())
        assert any(not our.check_update(u) for u in _updates())
