"""Carries out one operation in Telegram and says what came of it."""

from __future__ import annotations

from dataclasses import replace

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from relaybot.domain import fit
from relaybot.domain.outgoing import Decide, Delete, Edit, Op, Revoke, Send
from relaybot.domain.signup import Keyboard
from relaybot.domain.texts import Texts

NOT_MODIFIED = "message is not modified"
GONE = (
    "message to edit not found",
    "message to delete not found",
    "message can't be deleted",
    "message can't be edited",
)
TOO_OLD = "message can't be deleted"  # what Telegram answers 48 hours after a message was sent
ALREADY_IN = "user_already_participant"
LINK_GONE = "invite_hash_expired"  # a link already revoked or expired: revoked enough
REPLY_GONE = "message to be replied not found"
COPY_GONE = "message to copy not found"
NO_CAPTION = "there is no caption in the message to edit"
NO_TEXT = "there is no text in the message to edit"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def reply_keyboard(keyboard: Keyboard) -> ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    """Answers under a question in a private chat (sign-up): buttons that send their text,
    or one that shares the resident's own number; or the previous keyboard taken away."""
    if keyboard.contact:
        button = KeyboardButton(keyboard.contact, request_contact=True)
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    if keyboard.location:
        button = KeyboardButton(keyboard.location, request_location=True)
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    if keyboard.rows:
        rows = [list(row) for row in keyboard.rows]
        return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)
    return ReplyKeyboardRemove() if keyboard.remove else None


def keyboard(texts: Texts, op: Send | Edit) -> Markup | None:
    """The 112 button under an alert, or the operation's own row(s) of buttons."""
    if isinstance(op, Send) and op.reply_keyboard is not None:
        return reply_keyboard(op.reply_keyboard)
    if op.rows:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in op.rows
            ]
        )
    if op.button is not None:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(texts("button_112"), callback_data=f"112:{op.button}")]]
        )
    if op.buttons:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=data) for label, data in op.buttons]]
        )
    return None


def _matches(error: BadRequest, *phrases: str) -> bool:
    message = error.message.lower()
    return any(phrase in message for phrase in phrases)


class Sender:
    def __init__(self, bot: Bot, texts: Texts) -> None:
        self.bot = bot
        self.texts = texts

    async def run(self, op: Op) -> int | None:
        """Returns the new message's id for a send; for a delete that could only blank the
        message (Telegram lets a bot delete a message for 48 hours; it may edit its own at any
        age), that message's id; None otherwise.

        Answers that mean "already so" (not modified, already deleted, already a member) count
        as success. What
        can still be delivered in a lesser form is: a reply whose target is gone goes without
        the reply; media whose original was deleted goes as the alert's text alone; an edit
        aimed at a caption that turns out to be a text (or the other way round) is retried as
        the other kind.
        """
        try:
            if isinstance(op, Send):
                return await self._send(op)
            if isinstance(op, Edit):
                await self._edit(op)
            elif isinstance(op, Delete):
                await self.bot.delete_message(op.chat_id, op.message_id)
            elif isinstance(op, Revoke):
                await self.bot.revoke_chat_invite_link(op.chat_id, op.link)
            elif op.approve:
                await self.bot.approve_chat_join_request(op.chat_id, op.user_id)
            else:
                await self.bot.decline_chat_join_request(op.chat_id, op.user_id)
        except BadRequest as error:
            if isinstance(op, Delete) and op.blank and _matches(error, TOO_OLD):
                await self.run(Edit(op.chat_id, op.message_id, op.blank))
                return op.message_id
            if isinstance(op, Decide) and _matches(error, ALREADY_IN):
                return None
            if isinstance(op, Revoke) and _matches(error, LINK_GONE):
                return None
            if isinstance(op, Send) and op.reply_to and _matches(error, REPLY_GONE):
                return await self.run(replace(op, reply_to=None))
            if isinstance(op, Send) and op.copy_from and _matches(error, COPY_GONE):
                return await self.run(replace(op, copy_from=None))
            if isinstance(op, Edit) and _matches(error, NO_CAPTION, NO_TEXT):
                return await self.run(replace(op, caption=not op.caption))
            if not _matches(error, NOT_MODIFIED, *GONE):
                raise
        return None

    async def _send(self, op: Send) -> int:
        """A text longer than Telegram takes goes as several messages (relaybot.domain.fit);
        the buttons go under the last, whose id is returned (a later edit of the card means
        that one). Media keeps its buttons, and what its caption could not hold follows."""
        markup = keyboard(self.texts, op)
        reply = (
            ReplyParameters(op.reply_to, allow_sending_without_reply=True) if op.reply_to else None
        )
        more = self.texts("continued")
        if op.copy_from is not None:
            parts = fit.split(op.html, fit.TEXT_LIMIT, continued=more, first=fit.CAPTION_LIMIT)
            copied = await self.bot.copy_message(
                op.chat_id,
                op.copy_from[0],
                op.copy_from[1],
                caption=parts[0],
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                reply_parameters=reply,
            )
            for part in parts[1:]:
                await self._text(op.chat_id, part, None, ReplyParameters(copied.message_id))
            return copied.message_id
        parts = fit.split(op.html, fit.TEXT_LIMIT, continued=more)
        for part in parts[:-1]:
            await self._text(op.chat_id, part, None, reply)
            reply = None  # only the first part threads under what it answers
        return await self._text(op.chat_id, parts[-1], markup, reply)

    async def _text(
        self, chat_id: int, html: str, markup: Markup | None, reply: ReplyParameters | None
    ) -> int:
        sent = await self.bot.send_message(
            chat_id,
            html,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            reply_parameters=reply,
            link_preview_options=NO_PREVIEW,
        )
        return sent.message_id

    async def _edit(self, op: Edit) -> None:
        """An edit changes one message: what does not fit is cut (relaybot.domain.fit)."""
        markup = keyboard(self.texts, op)
        if op.caption:
            await self.bot.edit_message_caption(
                op.chat_id,
                op.message_id,
                caption=fit.trim(op.html, fit.CAPTION_LIMIT),
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        else:
            await self.bot.edit_message_text(
                fit.trim(op.html, fit.TEXT_LIMIT),
                op.chat_id,
                op.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            )
