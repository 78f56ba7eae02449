"""What every use case shares, by composition: the database, the directory, texts, patterns,
the clock, the outbox wake-up, and the few helpers several use cases call."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass

import aiosqlite
import structlog

from relaybot.domain import fit
from relaybot.domain.chats import ChatKind, Directory
from relaybot.domain.intents import Priority, RefreshAlert, RefreshFollowup, Say
from relaybot.domain.model import Actor, Incident, Post
from relaybot.domain.moderation import Sender
from relaybot.domain.network import Network
from relaybot.domain.patterns import CallPatterns, load_patterns
from relaybot.domain.rules import Refusal
from relaybot.domain.texts import Texts
from relaybot.domain.throttle import AnswerLimits, AnswerThrottle, Spreader
from relaybot.storage import chats, counters, incidents, outbox
from relaybot.storage.db import Database

log = structlog.get_logger("relaybot.service")


@dataclass(frozen=True)
class Chat:
    """Where something happened."""

    id: int
    type: str = "supergroup"
    title: str = ""


@dataclass(frozen=True)
class Target:
    """The member a moderation command replies to, with their standing."""

    sender: Sender
    message_id: int
    name: str
    is_co_admin: bool


@dataclass(frozen=True)
class Command:
    """A command message as the use cases need it (never stored). `name`: the command's
    first (Dutch) name, for the lines that name it; `target`: the member it answers, where a
    moderation command needs their standing."""

    chat: Chat
    actor: Actor
    message_id: int
    key: str  # identifies the update, so a redelivery has no second effect
    args: str = ""
    replied: Post | None = None  # the message the command replies to
    replied_to: int | None = None  # the message *that* message replies to
    name: str = ""
    target: Target | None = None


@dataclass(frozen=True)
class Answer:
    """An answer for the person alone (a button's callback answer), cut to the 200
    characters Telegram takes (a long neighbourhood name must not get it refused)."""

    text: str
    alert: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", fit.answer(self.text))


# A press's turn among the presses on the same card (`async with turn:` once the presser may
# press): the Telegram side hands it in when presses run beside one another, so the first press
# still decides first; NO_TURN where presses are handled one at a time.
Turn = AbstractAsyncContextManager[object]
NO_TURN: Turn = nullcontext()


class Context:
    """One per bot. Use cases receive it; none of them inherits anything."""

    def __init__(
        self,
        db: Database,
        network: Network,
        *,
        texts: Texts | None = None,
        patterns: CallPatterns | None = None,
        clock: Callable[[], float] = time.time,
        wake: Callable[[], None] = lambda: None,
        area_of: Callable[[float, float], str | None] = lambda _lat, _lon: None,
        near_of: Callable[[float, float, float], dict[str, float]] = lambda *_: {},
        buurt_of: Callable[[float, float], tuple[str, str] | None] = lambda _lat, _lon: None,
    ) -> None:
        """`wake` tells the delivery worker that new rows wait in the outbox (without one, as
        for `relaybot digest` beside a running bot, that bot's worker finds them itself)."""
        self.db = db
        self.network = network
        self.texts = texts or Texts("nl")
        self.patterns = patterns or load_patterns()
        self.clock = clock
        self.directory = Directory(network)
        # answers that are not alerts: at most half of a chat's budget, a few per person
        self.answers = AnswerThrottle()
        # a group outside the network hears from the bot at most once an hour
        self.unknown_answers = AnswerThrottle(
            AnswerLimits(group=1, private=1, person=1, window=3600.0)
        )
        # lines to the regiegroep about unknown groups: a quarter of its budget, scheduled
        self.regie_notes = Spreader(limit=5, window=60.0)
        self.wake = wake
        # the neighbourhood whose area holds a WGS84 point (the network's map; None: none)
        self.area_of = area_of
        # slug -> metres from a WGS84 point to its area, for those within the distance
        self.near_of = near_of
        # (code, name) of the map's buurt that holds a WGS84 point (None: outside the map)
        self.buurt_of = buurt_of

    async def reload_directory(self) -> None:
        """The one way the directory changes: read the run-time links (/koppel) and moves (a
        group Telegram gave a new id) so it knows every chat. Once when the bot is built, and
        again after each link or move."""
        async with self.db.reading() as conn:
            self.directory = Directory(
                self.network, await chats.links(conn), await chats.moves(conn)
            )

    # --- where things are ---------------------------------------------------------------------

    def kind(self, chat: Chat) -> ChatKind:
        return self.directory.kind(chat.id, chat.type)

    def place_of(self, chat_id: int) -> str:
        return self.directory.place_of_chat(chat_id, self.texts("regie"))

    def counter_place(self, chat_id: int) -> str:
        """The key reports group counters by: a slug, or 'regie'."""
        if chat_id == self.directory.regie_chat_id:
            return "regie"
        return self.directory.slug_for(chat_id) or str(chat_id)

    async def holding(self, conn: aiosqlite.Connection, number: int) -> list[int]:
        """The chats that hold an incident, under the ids they have now (a group Telegram
        moved to a new id still holds what it held)."""
        chats_now = {self.directory.current(c) for c in await incidents.holding_chats(conn, number)}
        return sorted(c for c in chats_now if c is not None)

    # --- incidents ----------------------------------------------------------------------------

    async def incident_from(
        self,
        conn: aiosqlite.Connection,
        chat_id: int,
        post: Post,
        *,
        note: str = "",
        relayed: bool = True,
    ) -> Incident:
        """A new incident from a message in a chat (a neighbourhood's, or the regiegroep's:
        then its source slug is None). The message becomes the incident's original copy."""
        return await incidents.create(
            conn,
            source_slug=self.directory.slug_for(chat_id),
            source_chat_id=chat_id,
            origin_message_id=post.message_id,
            text=post.text,
            media=post.media,
            note=note,
            author=post.author,
            created_at=self.clock(),
            relayed=relayed,
        )

    async def refresh_copies(
        self,
        conn: aiosqlite.Connection,
        incident: Incident,
        *,
        exclude: int | None = None,
        priority: Priority = Priority.NORMAL,
        followup: int | None = None,
    ) -> list[int]:
        """Queue an edit of every relayed copy (of the incident, or of one follow-up) in every
        chat holding the incident, so that it shows things as they are now."""
        holding = await self.holding(conn, incident.number)
        for chat_id in holding:
            if chat_id == exclude:
                continue
            refresh: RefreshAlert | RefreshFollowup = (
                RefreshAlert(chat_id, incident.number, priority)
                if followup is None
                else RefreshFollowup(chat_id, incident.number, followup, priority)
            )
            # A refresh renders the state as it is when it is sent. A chat sends one row at a
            # time, so of two refreshes waiting at least one is not taken yet and will show
            # this change too: a third would only repeat it (30 quick edits, a few calls).
            if await outbox.pending_like(conn, refresh) >= 2:
                continue
            await outbox.enqueue(conn, refresh, self.clock())
        return holding

    # --- answers ------------------------------------------------------------------------------

    async def say(
        self,
        conn: aiosqlite.Connection,
        chat_id: int,
        key: str,
        /,
        *,
        reply_to: int | None = None,
        incident: int | None = None,
        priority: Priority = Priority.NORMAL,
        settles: Sequence[int] = (),
        **values: object,
    ) -> None:
        """Queue one line for a chat (an answer, a confirmation, a refusal). `settles`: the
        outbox rows this line confirms; once they are all delivered or given up, delivery
        edits the line to say who received them and who could not be reached."""
        line = Say(
            chat_id,
            self.texts(key, **values),
            reply_to=reply_to,
            incident=incident,
            priority=priority,
            settles=tuple(settles) if settles else None,
        )
        await outbox.enqueue(conn, line, self.clock())

    async def refuse(self, conn: aiosqlite.Connection, command: Command, refusal: Refusal) -> None:
        log.info("refused", reason=refusal.key, chat=command.chat.id)
        values = dict(refusal.values)
        if "state" in values:  # an incident's state, in the reader's language
            values["state"] = self.texts(f"state_word_{values['state']}")
        await self.answer(conn, command, refusal.key, **values)

    async def answer(
        self, conn: aiosqlite.Connection, command: Command, key: str, /, **values: object
    ) -> bool:
        """A reply to someone's command that is not an alert (help, a list, a refusal),
        threaded under the command; limited per chat and per person (see `admit_answer`)."""
        if not await self.admit_answer(
            conn, command.chat.id, self.asker(command.chat.id, command.actor), key
        ):
            return False
        await self.say(conn, command.chat.id, key, reply_to=command.message_id, **values)
        return True

    def asker(self, chat_id: int, actor: Actor) -> int | None:
        """Whom an answer to someone's command counts against (a few a minute each): the
        person who asked, but nobody for a co-admin or a contact person (a member of the
        regiegroep or the coordinators' chat), who moderate and answer for everyone; the
        chat's and the bot's budgets hold for all."""
        staff = self.directory.kind(chat_id) in (ChatKind.REGIE, ChatKind.COORDINATORS)
        return None if staff or actor.is_co_admin else actor.user_id

    async def admit_answer(
        self,
        conn: aiosqlite.Connection,
        chat_id: int,
        person_id: int | None,
        reason: str,
        messages: int = 1,
    ) -> bool:
        """Whether one more answer fits: answers never take more than half of a chat's rate
        budget (Telegram: 20 a minute in a group) nor of the bot's overall one, and one person
        gets a few a minute; an answer split into several `messages` counts each. What does
        not fit is dropped, logged and counted."""
        if self.answers.allow(chat_id, person_id, self.clock(), messages):
            return True
        await counters.count(conn, self.counter_place(chat_id), "answers_dropped", self.clock())
        log.info("answer_dropped", chat=chat_id, reason=reason)
        return False
