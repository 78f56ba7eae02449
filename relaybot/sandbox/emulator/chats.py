"""Bot API methods about the bot itself, updates, commands, chats and their members."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from typing import Any

from relaybot.sandbox.emulator.errors import ApiError, bad_request
from relaybot.sandbox.emulator.params import Params
from relaybot.sandbox.emulator.records import MEMBER_STATUSES, Chat, InviteLink, User
from relaybot.sandbox.emulator.state import World

_COMMAND_CHARS = set(string.ascii_lowercase + string.digits + "_")
_SECRET_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]*")
INVITE_NAME_LIMIT = 32  # characters Telegram keeps of an invite link's name
_WEBHOOK_ACTIVE = ApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first",
)


class ChatMethods:
    def __init__(self, world: World, privacy_mode: bool = False) -> None:
        self.world = world
        self.privacy_mode = privacy_mode
        self.webhook_url = ""
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        # how an approved join request makes the user a member (People knows the service
        # messages and updates that go with it); set by the Emulator
        self.admit: Callable[[Chat, User], None] | None = None

    def table(self) -> dict[str, Callable[[Params], Any]]:
        return {
            "getMe": self.get_me,
            "logOut": _true,
            "close": _true,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendChatAction": self.send_chat_action,
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_administrators,
            "getChatMemberCount": self.get_chat_member_count,
            "pinChatMessage": self.pin_chat_message,
            "unpinChatMessage": self.unpin_chat_message,
            "unpinAllChatMessages": self.unpin_all_chat_messages,
            "createChatInviteLink": self.create_chat_invite_link,
            "editChatInviteLink": self.edit_chat_invite_link,
            "exportChatInviteLink": self.export_chat_invite_link,
            "revokeChatInviteLink": self.revoke_chat_invite_link,
            "approveChatJoinRequest": self.approve_chat_join_request,
            "declineChatJoinRequest": self.decline_chat_join_request,
            "banChatMember": self.ban_chat_member,
            "unbanChatMember": self.unban_chat_member,
            "leaveChat": self.leave_chat,
            "getFile": self.get_file,
        }

    # --- the bot and its updates ------------------------------------------------------------

    def get_me(self, p: Params) -> dict[str, Any]:
        return {
            **self.world.bot.to_dict(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, p: Params) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise _WEBHOOK_ACTIVE
        return await self.world.updates.poll(
            offset=p.integer("offset"),
            limit=p.integer("limit", 100) or 100,
            wait=p.number("timeout", 0.0),
            allowed=p.get("allowed_updates"),
        )

    def set_webhook(self, p: Params) -> bool:
        url = p.string("url", "") or ""
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.string("secret_token", "") or ""
        if url and len(secret) > 256:
            raise bad_request("secret token is too long")
        if url and not _SECRET_TOKEN_CHARS.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        self.webhook_url = url
        if p.flag("drop_pending_updates"):
            self.world.updates.drop_all()
        return True

    def delete_webhook(self, p: Params) -> bool:
        self.webhook_url = ""
        if p.flag("drop_pending_updates"):
            self.world.updates.drop_all()
        return True

    def get_webhook_info(self, p: Params) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.updates.items),
        }

    def set_my_commands(self, p: Params) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = str(command.get("command", ""))
            if not 1 <= len(name) <= 32 or not set(name) <= _COMMAND_CHARS:
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_command_key(p)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def get_my_commands(self, p: Params) -> list[dict[str, str]]:
        return self.commands.get(_command_key(p), [])

    def delete_my_commands(self, p: Params) -> bool:
        self.commands.pop(_command_key(p), None)
        return True

    # --- chats ------------------------------------------------------------------------------

    def send_chat_action(self, p: Params) -> bool:
        self.world.chat_for_bot(p.chat_id())
        return True

    def get_chat(self, p: Params) -> dict[str, Any]:
        chat = self.world.chat_for_bot(p.chat_id())
        data = {
            **chat.to_dict(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        if chat.pinned:
            pinned = chat.messages[chat.pinned[-1]]
            data["pinned_message"] = self.world.message_json(pinned, nested=False)
        return data

    def get_chat_member(self, p: Params) -> dict[str, Any]:
        chat = self.world.chat_for_bot(p.chat_id())
        user = self.world.users.get(p.required_int("user_id"))
        if user is None:
            raise bad_request("user not found")
        return self.world.member_json(chat, user)

    def get_chat_administrators(self, p: Params) -> list[dict[str, Any]]:
        chat = self.world.chat_for_bot(p.chat_id())
        if not chat.is_group:
            return []
        return [
            self.world.member_json(chat, self.world.users[user_id])
            for user_id, status in chat.members.items()
            if status in ("creator", "administrator")
        ]

    def get_chat_member_count(self, p: Params) -> int:
        chat = self.world.chat_for_bot(p.chat_id())
        return sum(1 for status in chat.members.values() if status in MEMBER_STATUSES)

    def pin_chat_message(self, p: Params) -> bool:
        chat = self.world.chat_for_bot(p.chat_id())
        self._need_right(chat, "can_pin_messages", "manage pinned messages in the chat")
        message = chat.messages.get(p.required_int("message_id"))
        if message is None or message.deleted:
            raise bad_request("message to pin not found")
        if message.message_id in chat.pinned:
            chat.pinned.remove(message.message_id)
        chat.pinned.append(message.message_id)
        pinned = self.world.message_json(message, nested=False)
        self.world.store(
            chat, from_id=self.world.bot.id, from_bot=True, service={"pinned_message": pinned}
        )
        return True

    def unpin_chat_message(self, p: Params) -> bool:
        chat = self.world.chat_for_bot(p.chat_id())
        self._need_right(chat, "can_pin_messages", "manage pinned messages in the chat")
        message_id = p.integer("message_id")
        if message_id is None and chat.pinned:
            message_id = chat.pinned[-1]
        if message_id not in chat.pinned:
            raise bad_request("message to unpin not found")
        chat.pinned.remove(message_id)
        return True

    def unpin_all_chat_messages(self, p: Params) -> bool:
        chat = self.world.chat_for_bot(p.chat_id())
        self._need_right(chat, "can_pin_messages", "manage pinned messages in the chat")
        chat.pinned.clear()
        return True

    # --- invite links -----------------------------------------------------------------------

    def create_chat_invite_link(self, p: Params) -> dict[str, Any]:
        chat = self._link_chat(p)
        link = InviteLink(self._new_link(), self.world.bot.id, **self._link_terms(p))
        chat.invite_links[link.invite_link] = link
        return self._link_json(link)

    def edit_chat_invite_link(self, p: Params) -> dict[str, Any]:
        chat = self._link_chat(p)
        link = chat.invite_links.get(p.string("invite_link") or "")
        if link is None or link.is_revoked:
            raise bad_request("INVITE_HASH_EXPIRED")
        for name, value in self._link_terms(p).items():
            setattr(link, name, value)
        return self._link_json(link)

    def _link_terms(self, p: Params) -> dict[str, Any]:
        """A link's name, expiry, member limit and approval as Telegram keeps them: the Bot
        API server reads a missing or negative number as 0 (none); TDLib trims the name, cuts
        it at 32 characters (no error) and joins runs of spaces; the servers refuse a limit
        over 99999, an expiry already passed, and a limit on a link that asks for approval."""
        member_limit = max(p.integer("member_limit", 0) or 0, 0)
        expire_date = max(p.integer("expire_date", 0) or 0, 0)
        creates_join_request = p.flag("creates_join_request")
        if member_limit > 99999:
            raise bad_request("USAGE_LIMIT_INVALID")
        if expire_date and expire_date <= self.world.now():
            raise bad_request("EXPIRE_DATE_INVALID")
        if member_limit and creates_join_request:
            raise bad_request(
                "member limit can't be specified for links requiring administrator approval"
            )
        name = (p.string("name") or "").strip()[:INVITE_NAME_LIMIT].strip()
        return {
            "name": re.sub(r"[ \n]+", " ", name) or None,
            "expire_date": expire_date or None,
            "member_limit": member_limit or None,
            "creates_join_request": creates_join_request,
        }

    def export_chat_invite_link(self, p: Params) -> str:
        chat = self._link_chat(p)
        link = InviteLink(self._new_link(), self.world.bot.id)
        chat.invite_links[link.invite_link] = link
        return link.invite_link

    def revoke_chat_invite_link(self, p: Params) -> dict[str, Any]:
        chat = self._link_chat(p)
        link = chat.invite_links.get(p.string("invite_link") or "")
        if link is None:
            raise bad_request("INVITE_HASH_EXPIRED")
        link.is_revoked = True
        return self._link_json(link)

    def _link_chat(self, p: Params) -> Chat:
        chat = self.world.chat_for_bot(p.chat_id())
        if not chat.is_group:
            raise bad_request("can't invite members to a private chat")
        self._need_right(chat, "can_invite_users", "manage chat invite link")
        return chat

    def _new_link(self) -> str:
        alphabet = string.ascii_letters + string.digits + "_-"
        return "https://t.me/+" + "".join(self.world.rng.choice(alphabet) for _ in range(16))

    def _link_json(self, link: InviteLink) -> dict[str, Any]:
        data: dict[str, Any] = {
            "invite_link": link.invite_link,
            "creator": self.world.users[link.creator_id].to_dict(),
            "creates_join_request": link.creates_join_request,
            "is_primary": False,
            "is_revoked": link.is_revoked,
        }
        for name in ("name", "expire_date", "member_limit"):
            if getattr(link, name) is not None:
                data[name] = getattr(link, name)
        return data

    # --- join requests ----------------------------------------------------------------------

    def approve_chat_join_request(self, p: Params) -> bool:
        chat, user = self._requester(p)
        if self.admit is None:
            raise bad_request("join requests cannot be approved here")
        self.admit(chat, user)
        return True

    def decline_chat_join_request(self, p: Params) -> bool:
        chat, user = self._requester(p)
        chat.join_requests.pop(user.id)
        return True

    def _requester(self, p: Params) -> tuple[Chat, User]:
        chat = self.world.chat_for_bot(p.chat_id())
        self._need_right(chat, "can_invite_users", "manage chat join requests")
        user = self.world.users.get(p.required_int("user_id"))
        if user is None or user.id not in chat.join_requests:
            raise bad_request("HIDE_REQUESTER_MISSING")
        return chat, user

    # --- members ----------------------------------------------------------------------------

    def ban_chat_member(self, p: Params) -> bool:
        chat, user = self._restrictable(p)
        self.world.member_update(chat, user, "kicked", self.world.bot)
        return True

    def unban_chat_member(self, p: Params) -> bool:
        chat, user = self._restrictable(p)
        if chat.type == "group":  # a basic group keeps no list of banned members to lift
            raise bad_request("method is available for supergroup and channel chats only")
        status = chat.status(user.id)
        if status == "kicked" or (not p.flag("only_if_banned") and status != "left"):
            self.world.member_update(chat, user, "left", self.world.bot)
        return True

    def leave_chat(self, p: Params) -> bool:
        chat = self.world.chat_for_bot(p.chat_id())
        if not chat.is_group:
            raise bad_request("chat member status can't be changed in private chats")
        self.world.member_update(chat, self.world.bot, "left", self.world.bot)
        return True

    def _restrictable(self, p: Params) -> tuple[Chat, User]:
        chat = self.world.chat_for_bot(p.chat_id())
        if not chat.is_group:
            raise bad_request("chat member status can't be changed in private chats")
        user = self.world.users.get(p.required_int("user_id"))
        if user is None:
            raise bad_request("user not found")
        self._need_right(chat, "can_restrict_members", "restrict/unrestrict chat member")
        if chat.status(user.id) == "creator":
            raise bad_request("can't remove chat owner")
        if chat.is_admin(user.id):
            raise bad_request("user is an administrator of the chat")
        return chat, user

    def _need_right(self, chat: Chat, right: str, what: str) -> None:
        if chat.is_group and not self.world.bot_rights(chat).get(right):
            raise bad_request(f"not enough rights to {what}")

    def get_file(self, p: Params) -> dict[str, Any]:
        file_id = p.string("file_id") or ""
        if file_id not in self.world.files:
            raise bad_request("invalid file_id")
        kind, media = self.world.files[file_id]
        for item in media if isinstance(media, list) else [media]:
            if item["file_id"] == file_id:
                return {**item, "file_path": f"{kind}s/file_{item['file_unique_id']}"}
        raise bad_request("invalid file_id")


def _true(p: Params) -> bool:
    return True


def _command_key(p: Params) -> tuple[str, str]:
    scope = p.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), p.string("language_code", "") or ""
