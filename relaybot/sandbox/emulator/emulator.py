"""The Emulator: a Telegram Bot API on loopback, a world to build, and what the bot did."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from relaybot.sandbox.emulator.errors import EmulatorError
from relaybot.sandbox.emulator.people import People
from relaybot.sandbox.emulator.records import Call, Chat, Message, User
from relaybot.sandbox.emulator.server import Api, HttpServer
from relaybot.sandbox.emulator.state import CALLBACK_ANSWER_S, World

DEFAULT_TOKEN = "123456:TEST"


class Emulator:
    """Speaks the Bot API well enough for an unmodified python-telegram-bot Application."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "relaybot_test_bot",
        rate_limits: bool = False,
        fault_rate: float = 0.0,
        seed: int = 0,
        privacy_mode: bool = False,
        clock: Callable[[], float] = time.time,
        round_trip: float = 0.0,
        callback_answer_s: float = CALLBACK_ANSWER_S,
    ) -> None:
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 123456
        self.bot_user = User(bot_id, "Relaybot", None, bot_username, is_bot=True)
        self.world = World(self.bot_user, seed=seed, clock=clock)
        self.world.callback_answer_s = callback_answer_s
        self.people = People(self.world, privacy_mode=privacy_mode)
        self.api = Api(self.world, token, privacy_mode=privacy_mode)
        self.api.chat_methods.admit = self.people.admit_requester
        self.api.rate_limits = rate_limits
        self.api.faults.rate = fault_rate
        self.api.faults.rng.seed(seed)
        self.api.round_trip = round_trip
        self._server: HttpServer | None = None
        self.host = "127.0.0.1"
        self.port = 0

    # --- running ----------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if self._server is not None:
            raise EmulatorError("emulator already started")
        self.world.updates.stopped = False
        self._server = HttpServer(self.api)
        self.host, self.port = host, self._server.start(host, port)

    async def stop(self) -> None:
        self.world.updates.stop()
        if self._server is not None:
            await self._server.stop()
            self._server = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def token(self) -> str:
        return self.api.token

    @property
    def clock(self) -> Callable[[], float]:
        return self.world.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self.world.clock = clock

    @property
    def callback_answer_s(self) -> float:
        """Seconds after a press within which Telegram takes the button's answer."""
        return self.world.callback_answer_s

    @callback_answer_s.setter
    def callback_answer_s(self, seconds: float) -> None:
        self.world.callback_answer_s = seconds

    @property
    def rate_limits(self) -> bool:
        return self.api.rate_limits

    @rate_limits.setter
    def rate_limits(self, on: bool) -> None:
        self.api.rate_limits = on

    @property
    def round_trip(self) -> float:
        """Seconds each call's answer takes after the call was carried out."""
        return self.api.round_trip

    @round_trip.setter
    def round_trip(self, seconds: float) -> None:
        self.api.round_trip = seconds

    @property
    def limiter(self) -> Any:
        """Window sizes and limits: overall_limit/overall_window, group_limit/group_window."""
        return self.api.limiter

    @property
    def fault_rate(self) -> float:
        return self.api.faults.rate

    @fault_rate.setter
    def fault_rate(self, rate: float) -> None:
        self.api.faults.rate = rate

    def set_fault(
        self,
        method: str | None = None,
        chat_id: int | None = None,
        error_code: int = 502,
        description: str | None = None,
        times: int = 1,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        """Answer the next `times` matching calls with this error, without effect."""
        self.api.faults.plan(method, chat_id, error_code, description, times, parameters)

    # --- world building ---------------------------------------------------------------------

    def add_user(
        self,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        phone_number: str | None = None,
    ) -> User:
        return self.world.add_user(first_name, last_name, username, phone_number)

    def add_group(
        self,
        title: str,
        chat_id: int | None = None,
        kind: str = "supergroup",
        members: list[User] | None = None,
        admins: list[User] | None = None,
        creator: User | None = None,
        bot_is_admin: bool = True,
    ) -> Chat:
        return self.world.add_group(
            title, chat_id, kind, members or [], admins or [], creator, bot_is_admin
        )

    def private_chat(self, user: User) -> Chat:
        return self.world.private_chat(user)

    def block_bot(self, user: User, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: its calls to them answer 403."""
        chat = self.world.private_chat(user)
        chat.blocked = blocked
        status = "kicked" if blocked else "member"
        self.world.member_update(chat, self.bot_user, status, user)

    def set_admin(self, chat_id: int, user: User, admin: bool = True, **rights: bool) -> None:
        self.people.set_admin(chat_id, user, admin, **rights)

    def set_bot_rights(self, chat_id: int, **rights: bool) -> None:
        """Give or withhold the bot's administrator rights in a chat, by Bot API name
        (``can_pin_messages=False``); getChatMember and the rights checks follow."""
        chat = self.world.chat(chat_id)
        chat.admin_rights[self.bot_user.id] = {
            **chat.admin_rights.get(self.bot_user.id, {}),
            **rights,
        }

    # --- people acting ----------------------------------------------------------------------

    def post(
        self,
        chat_id: int,
        user: User,
        text: str,
        reply_to: int | None = None,
        as_chat: bool = False,
    ) -> Message:
        return self.people.post(chat_id, user, text, reply_to=reply_to, as_chat=as_chat)

    def post_photo(
        self, chat_id: int, user: User, caption: str | None = None, reply_to: int | None = None
    ) -> Message:
        return self.people.post(chat_id, user, None, reply_to, media="photo", caption=caption)

    def post_video(
        self, chat_id: int, user: User, caption: str | None = None, reply_to: int | None = None
    ) -> Message:
        return self.people.post(chat_id, user, None, reply_to, media="video", caption=caption)

    def post_document(
        self,
        chat_id: int,
        user: User,
        caption: str | None = None,
        reply_to: int | None = None,
        file_name: str = "document.pdf",
    ) -> Message:
        return self.people.post(
            chat_id, user, None, reply_to, media="document", caption=caption, file_name=file_name
        )

    def edit(self, chat_id: int, message_id: int, new_text: str) -> Message:
        return self.people.edit(chat_id, message_id, new_text)

    def press(
        self,
        chat_id: int,
        message_id: int,
        user: User,
        button_text: str | None = None,
        data: str | None = None,
    ) -> str:
        return self.people.press(chat_id, message_id, user, button_text, data)

    def join(self, chat_id: int, user: User, invite_link: str | None = None) -> Message:
        return self.people.join(chat_id, user, invite_link)

    def leave(self, chat_id: int, user: User) -> Message:
        return self.people.leave(chat_id, user)

    def share_contact(
        self,
        user: User,
        phone_number: str,
        first_name: str,
        contact_user_id: int | None = None,
        last_name: str | None = None,
    ) -> Message:
        return self.people.share_contact(user, phone_number, first_name, contact_user_id, last_name)

    def share_location(
        self,
        chat_id: int,
        user: User,
        latitude: float,
        longitude: float,
        reply_to: int | None = None,
    ) -> Message:
        return self.people.share_location(chat_id, user, latitude, longitude, reply_to)

    def tap(self, user: User, label: str, location: tuple[float, float] | None = None) -> Message:
        return self.people.tap(user, label, location)

    def request_join(self, chat_id: int, user: User, invite_link: str) -> None:
        self.people.request_join(chat_id, user, invite_link)

    def keyboard(self, user: User) -> list[str]:
        """The labels of the reply keyboard the user sees in their private chat."""
        markup = self.world.private_chat(user).keyboard or {}
        return [
            b.get("text") if isinstance(b, dict) else b
            for row in markup.get("keyboard") or []
            for b in row
        ]

    def join_many(self, chat_id: int, users: list[User], by: User | None = None) -> Message:
        """Several people added at once (one `new_chat_members` message)."""
        return self.people.join_many(chat_id, users, by)

    def post_as_channel(self, chat_id: int, channel_title: str, text: str) -> Message:
        """A message in a group sent as a channel."""
        return self.people.post_as_channel(chat_id, channel_title, text)

    def migrate(self, chat_id: int) -> int:
        return self.people.migrate(chat_id)

    def remove_bot(self, chat_id: int, by: User | None = None) -> None:
        self.people.remove_bot(chat_id, by)

    def add_bot(self, chat: int | str, by: User) -> Chat:
        return self.people.add_bot(chat, by)

    def queue_raw_update(self, update: dict[str, Any]) -> int:
        """Queue any update as given; an update_id is added when missing."""
        kinds = [key for key in update if key != "update_id"]
        if len(kinds) != 1:
            raise EmulatorError("an update has exactly one field besides update_id")
        return self.world.updates.put(kinds[0], update[kinds[0]], update.get("update_id"))

    # --- what the bot did -------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        return self.api.calls

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.api.calls if call.method.lower() == method.lower()]

    def messages(self, chat_id: int) -> list[Message]:
        return [m for m in self.world.chat(chat_id).messages.values() if not m.deleted]

    def bot_messages(self, chat_id: int) -> list[Message]:
        """Messages the bot sent (not its service messages such as "pinned"), not deleted."""
        return [m for m in self.messages(chat_id) if m.from_bot and not m.service]

    def message(self, chat_id: int, message_id: int) -> Message:
        try:
            return self.world.chat(chat_id).messages[message_id]
        except KeyError:
            raise EmulatorError(f"no message {message_id} in chat {chat_id}") from None

    def chat(self, chat_id: int) -> Chat:
        return self.world.chat(chat_id)

    @property
    def callback_answers(self) -> dict[str, dict[str, Any]]:
        return self.world.callback_answers

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, str]]]:
        """setMyCommands by (scope JSON, language_code)."""
        return self.api.chat_methods.commands

    def pending_updates(self) -> int:
        return self.world.updates.pending()

    def confirmed_all(self) -> bool:
        return self.world.updates.confirmed_all()

    async def poll_waiting(self) -> None:
        """Return once a getUpdates is waiting for an update: a test can then post knowing the
        poll is under way (no guess of how long that takes; the test watchdog bounds a hang)."""
        await self.world.updates.polling.wait()

    @property
    def counters(self) -> dict[str, int]:
        return self.api.counters
