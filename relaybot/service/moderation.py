"""House rules and moderation (SPEC section 8): /regels, warnings, removal questions,
reminders and the welcome for newcomers.

Every group message passes `screen` first: a few dictionary lookups, one regex search and an
in-memory flood count, with no database work. Only a finding (a blocked word, a flood, chatter,
a photo) goes on to `act`, which reads and writes the database. Everything moderation sends
goes out at low priority: it never delays an alert.
"""

from __future__ import annotations

import asyncio
import html
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

import aiosqlite
import structlog

from relaybot.domain import fit
from relaybot.domain import moderation as mod
from relaybot.domain.chats import ChatKind
from relaybot.domain.intents import Card, CardKind, EditMessage, Say
from relaybot.domain.model import Actor
from relaybot.domain.moderation import (
    Blocklist,
    ChatterPatterns,
    FloodCounter,
    Sender,
    WarningKind,
)
from relaybot.domain.texts import Raw
from relaybot.service.context import NO_TURN, Answer, Command, Context, Target, Turn
from relaybot.service.ports import Telegram, TelegramRefused
from relaybot.storage import idempotency, outbox
from relaybot.storage import moderation as store
from relaybot.storage.outbox import Priority
from relaybot.storage.signups import MAX_ID  # a larger card number is forged

log = structlog.get_logger("relaybot.moderation")

REMOVE_BUTTON = r"^verwijder:(ok|no):\d+$"
PRIORITY = Priority.LOW  # moderation never goes before an alert
RULES = "rules"  # reminder kind shared by flooding and chatter: one a member a day
PHOTO = "photo"
WELCOME = "welcome"
QUIET_MEMO_LIMIT = 10_000  # entries of the reminder memo before lapsed ones are swept
WAITING_LIMIT = 2_000  # findings waiting to be judged beside the updates


class Finding(StrEnum):
    BLOCKED = "blocked"
    FLOOD = "flood"
    CHATTER = "chatter"
    PHOTO = "photo"


class Seen(NamedTuple):
    """A group message as moderation sees it (never stored; one for every group message, so a
    named tuple, quicker to make than a frozen dataclass)."""

    chat_id: int
    message_id: int
    sender: Sender
    text: str = ""
    photo: bool = False


# a moderation command (by its first, Dutch name) sent without a reply: the line that says so
NO_REPLY = {
    "waarschuw": "refuse_mod_no_reply_warn",
    "vergeef": "refuse_mod_no_reply_unwarn",
    "waarschuwingen": "refuse_mod_no_reply_warnings",
}


class Moderation:
    """House rules and moderation, over the shared context."""

    def __init__(
        self,
        ctx: Context,
        telegram: Telegram,
        *,
        config_dir: Path | None = None,
        patterns_file: Path | None = None,
    ) -> None:
        self.ctx = ctx
        self.telegram = telegram  # members' standing and kicks
        folder = config_dir or mod.DEFAULTS_DIR
        self.blocklist: Blocklist = mod.load_blocklist(folder / "blocklist.txt")
        self.chatter: ChatterPatterns = mod.load_chatter(patterns_file)
        english = ctx.texts.language == "en"
        self.rules_file = folder / ("rules.en.md" if english else "rules.md")
        self.flood = FloodCounter(ctx.network.policy.flood_per_minute)
        # (chat, member, kind) -> until when no reminder of that kind is due (saves a read)
        self._quiet_until: dict[tuple[int, int, str], float] = {}
        self._waiting: deque[Callable[[], Awaitable[None]]] = deque()  # findings to judge
        self._judging: asyncio.Task[None] | None = None

    # --- every group message ------------------------------------------------------------------

    def watches(self, chat_id: int) -> bool:
        """Moderation acts in neighbourhood chats only (one dictionary lookup)."""
        return self.ctx.directory.kind(chat_id) is ChatKind.NEIGHBOURHOOD

    def later(self, judge: Callable[[], Awaitable[None]]) -> bool:
        """Judge a finding beside the update pipeline: asking Telegram whether the sender is
        a co-admin must not hold up the messages behind it. Judged one at a time in the
        order they came (a member's warnings keep the order of their messages), at most
        WAITING_LIMIT waiting; beyond that a finding is dropped and logged, and False says
        so (a judgement that fails is logged too). The Telegram side keeps the update stored
        until its finding is judged, so one waiting at a crash is judged after the restart."""
        if len(self._waiting) >= WAITING_LIMIT:
            log.warning("moderation_dropped", reason="too_many_waiting")
            return False
        self._waiting.append(judge)
        if self._judging is None or self._judging.done():
            self._judging = asyncio.get_running_loop().create_task(self._judge_waiting())
        return True

    async def _judge_waiting(self) -> None:
        while self._waiting:
            judge = self._waiting.popleft()
            try:
                await judge()
            except Exception as error:
                log.error("moderation_failed", error=type(error).__name__)

    @property
    def busy(self) -> bool:
        """A finding is waiting or being judged beside the updates."""
        return bool(self._waiting) or (self._judging is not None and not self._judging.done())

    async def drain(self) -> None:
        """Let the findings waiting beside the updates be judged (before the database
        closes)."""
        while self._judging is not None and not self._judging.done():
            await asyncio.shield(self._judging)

    def screen(self, seen: Seen, *, edited: bool = False) -> Finding | None:
        """What a group message may have earned, decided in memory. None for nearly all.
        An edit (`edited`) is screened like a new message for blocked words and chatter; it
        is no new message, so it counts towards no flood and is no other photo."""
        ctx = self.ctx
        if not self.watches(seen.chat_id):
            return None
        if mod.never_warned(seen.sender, is_co_admin=False) is not None:
            return None  # the group itself, channels, bots: never acted on
        now = ctx.clock()
        flooding = not edited and self.flood.hit(seen.chat_id, seen.sender.user_id, now)
        if seen.text and self.blocklist.hits(seen.text):
            return Finding.BLOCKED
        member = seen.sender.user_id
        if flooding and self._may_remind(seen.chat_id, member, RULES, now):
            return Finding.FLOOD
        if (
            seen.text
            and self._may_remind(seen.chat_id, member, RULES, now)
            and self.chatter.is_chatter(seen.text)
        ):
            return Finding.CHATTER
        if seen.photo and not edited and self._may_remind(seen.chat_id, 0, PHOTO, now):
            return Finding.PHOTO
        return None

    def _may_remind(self, chat_id: int, member: int, kind: str, now: float) -> bool:
        return self._quiet_until.get((chat_id, member, kind), 0.0) <= now

    def _quiet(self, chat_id: int, member: int, kind: str, until: float) -> None:
        """Remember that no reminder of this kind is due before `until`. Lapsed entries are
        dropped now and then, so the memo stays as small as the set of recent talkers."""
        if len(self._quiet_until) >= QUIET_MEMO_LIMIT:
            now = self.ctx.clock()
            for key in [k for k, t in self._quiet_until.items() if t <= now]:
                del self._quiet_until[key]
        self._quiet_until[(chat_id, member, kind)] = until

    async def act(
        self, seen: Seen, finding: Finding, is_co_admin: bool, name: str, key: str
    ) -> None:
        """Carry out a finding: a warning for a blocked word, or a reminder when one is due.
        Co-admins are never warned or reminded. `key`: the message's; one message earns a
        finding of a kind once, however often it is delivered or edited."""
        if is_co_admin:
            log.info("moderation_skipped", chat=seen.chat_id, finding=finding.value, why="co_admin")
            return
        ctx = self.ctx
        async with ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, f"mod:{key}:{finding.value}", ctx.clock()):
                return
            if finding is Finding.BLOCKED:
                await self._warn(
                    conn,
                    seen.chat_id,
                    seen.sender.user_id,
                    name,
                    seen.message_id,
                    WarningKind.BLOCKLIST,
                )
            elif finding is Finding.PHOTO:
                await self._remind(conn, seen, 0, PHOTO, mod.PHOTO_PERIOD, "remind_photo")
            else:
                text = "remind_flood" if finding is Finding.FLOOD else "remind_chatter"
                await self._remind(
                    conn, seen, seen.sender.user_id, RULES, mod.REMINDER_PERIOD, text
                )
        ctx.wake()

    async def _remind(
        self,
        conn: aiosqlite.Connection,
        seen: Seen,
        member: int,
        kind: str,
        period: float,
        text: str,
    ) -> None:
        now = self.ctx.clock()
        last = await store.last_reminder(conn, seen.chat_id, member, kind)
        if not mod.reminder_due(last, now, period):
            self._quiet(seen.chat_id, member, kind, (last or now) + period)
            return
        await store.set_reminder(conn, seen.chat_id, member, kind, now)
        self._quiet(seen.chat_id, member, kind, now + period)
        await self._say(
            conn, seen.chat_id, text, person=seen.sender.user_id, reply_to=seen.message_id
        )
        log.info("reminder_given", chat=seen.chat_id, member=member, kind=kind)

    # --- warnings -------------------------------------------------------------------------------

    async def _warn(
        self,
        conn: aiosqlite.Connection,
        chat_id: int,
        member: int,
        name: str,
        reply_to: int,
        kind: WarningKind,
        reason: str = "",
        by: int = 0,
    ) -> None:
        ctx = self.ctx
        now = ctx.clock()
        policy = ctx.network.policy
        await store.add_warning(conn, chat_id, member, now, kind, reason, by)
        since = mod.horizon(now, policy.warning_days)
        count = len(await store.warnings_since(conn, chat_id, member, since))
        limit = policy.max_warnings
        if kind is WarningKind.BLOCKLIST:
            await self._say(
                conn,
                chat_id,
                "warn_blocklist",
                person=member,
                reply_to=reply_to,
                count=count,
                max=limit,
            )
        elif reason:
            await self._say(
                conn,
                chat_id,
                "warn_manual",
                person=None,  # a co-admin's command: not limited per person
                reply_to=reply_to,
                count=count,
                max=limit,
                reason=reason,
            )
        else:
            await self._say(
                conn,
                chat_id,
                "warn_manual_plain",
                person=None,
                reply_to=reply_to,
                count=count,
                max=limit,
            )
        log.info("warning_given", chat=chat_id, member=member, kind=kind.value, count=count)
        pending = await store.pending_card(conn, chat_id, member)
        if mod.needs_card(count, limit, pending is not None):
            await self._ask_removal(conn, chat_id, member, name, count)

    async def _ask_removal(
        self, conn: aiosqlite.Connection, chat_id: int, member: int, name: str, count: int
    ) -> None:
        """The question for the co-admins, in the chat and in the coordinators' group."""
        ctx = self.ctx
        card = await store.add_card(conn, chat_id, member, name, count, ctx.clock())
        body = self._card_html(card)
        buttons = (
            (ctx.texts("button_remove"), f"verwijder:ok:{card.id}"),
            (ctx.texts("button_keep"), f"verwijder:no:{card.id}"),
        )
        targets = [chat_id]
        coordinators = ctx.directory.current(ctx.network.coordinators_chat_id)
        if coordinators is not None and coordinators != chat_id:
            targets.append(coordinators)
        for target in targets:
            ask = Say(target, body, buttons=buttons, card=_shown(card.id), priority=PRIORITY)
            await outbox.enqueue(conn, ask, ctx.clock())
        log.info("removal_asked", chat=chat_id, member=member, card=card.id)

    def _card_html(self, card: store.RemovalCard) -> str:
        ctx = self.ctx
        place = ctx.directory.place_of_chat(card.chat_id, ctx.texts("regie"))
        return ctx.texts(
            "removal_card",
            place=place,
            name=card.member_name,
            warnings=ctx.texts.count("count_warnings", card.warnings),
            max=ctx.network.policy.max_warnings,
        )

    # --- commands -----------------------------------------------------------------------------

    def show_rules(self) -> str:
        text = mod.rules_html(mod.load_rules(self.rules_file))
        if not text:
            return self.ctx.texts("rules_missing")
        return self.ctx.texts("rules_show", rules=Raw(text))

    async def house_rules(self, command: Command) -> None:
        """`/regels`: the house rules, in any network chat and in private."""
        ctx = self.ctx
        async with ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, ctx.clock()):
                return
            asker = ctx.asker(command.chat.id, command.actor)
            text = self.show_rules()
            parts = len(fit.split(text, fit.TEXT_LIMIT, continued=ctx.texts("continued")))
            if not await ctx.admit_answer(conn, command.chat.id, asker, "rules", parts):
                return
            rules = Say(command.chat.id, text, reply_to=command.message_id, priority=PRIORITY)
            await outbox.enqueue(conn, rules, ctx.clock())
        ctx.wake()

    def _refusal(self, command: Command) -> tuple[str, dict[str, object]] | None:
        """Why a co-admin command cannot be carried out, if so."""
        kind = self.ctx.directory.kind(command.chat.id, command.chat.type)
        if kind is not ChatKind.NEIGHBOURHOOD:
            return "refuse_mod_not_neighbourhood", {}
        if not command.actor.is_co_admin:
            return "refuse_mod_not_co_admin", {}
        if command.target is None:
            # the line names the command in the bot's language (texts), not as it was typed
            return NO_REPLY.get(command.name, "refuse_mod_no_reply"), {}
        exempt = mod.never_warned(command.target.sender, command.target.is_co_admin)
        if exempt is not None:
            return f"refuse_mod_exempt_{exempt.value}", {}
        return None

    async def warn(self, command: Command) -> None:
        """`/waarschuw [reden]` by a co-admin, as a reply to the member's message."""
        await self._command(command, self._do_warn)

    async def unwarn(self, command: Command) -> None:
        """`/vergeef`: the member's latest warning that still counts is taken back."""
        await self._command(command, self._do_unwarn)

    async def warnings(self, command: Command) -> None:
        """`/waarschuwingen`: the member's warnings that count, for co-admins."""
        await self._command(command, self._do_list)

    async def _command(
        self,
        command: Command,
        action: Callable[[aiosqlite.Connection, Command, Target], object],
    ) -> None:
        ctx = self.ctx
        async with ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, ctx.clock()):
                return
            refusal = self._refusal(command)
            if refusal is not None:
                key, values = refusal
                log.info("refused", reason=key, chat=command.chat.id)
                await self._say(
                    conn,
                    command.chat.id,
                    key,
                    person=self.ctx.asker(command.chat.id, command.actor),
                    reply_to=command.message_id,
                    **values,
                )
            else:
                assert command.target is not None
                await action(conn, command, command.target)  # type: ignore[misc]
        ctx.wake()

    async def _do_warn(self, conn: aiosqlite.Connection, command: Command, target: Target) -> None:
        await self._warn(
            conn,
            command.chat.id,
            target.sender.user_id,
            target.name,
            target.message_id,
            WarningKind.MANUAL,
            mod.clean_reason(command.args),
            command.actor.user_id,
        )

    async def _do_unwarn(
        self, conn: aiosqlite.Connection, command: Command, target: Target
    ) -> None:
        policy = self.ctx.network.policy
        since = mod.horizon(self.ctx.clock(), policy.warning_days)
        member = target.sender.user_id
        taken = await store.take_back_latest(conn, command.chat.id, member, since)
        if taken is None:
            await self._say(
                conn,
                command.chat.id,
                "unwarn_none",
                person=self.ctx.asker(command.chat.id, command.actor),
                reply_to=command.message_id,
            )
            return
        left = len(await store.warnings_since(conn, command.chat.id, member, since))
        await self._say(
            conn,
            command.chat.id,
            "unwarn_done",
            person=self.ctx.asker(command.chat.id, command.actor),
            reply_to=command.message_id,
            count=left,
            max=policy.max_warnings,
        )
        log.info("warning_taken_back", chat=command.chat.id, member=member, count=left)
        pending = await store.pending_card(conn, command.chat.id, member)
        if pending is not None and left < policy.max_warnings:
            await self._withdraw_card(conn, pending, command.actor.name)

    async def _withdraw_card(
        self, conn: aiosqlite.Connection, card: store.RemovalCard, by: str
    ) -> None:
        """Below max_warnings again: the open question lapses, and its cards say so."""
        ctx = self.ctx
        body = Raw(self._card_html(card))
        if not await store.decide_card(conn, card.id, "withdrawn", by, ctx.clock()):
            return
        edit = ctx.texts("removal_card_withdrawn", card=body, by=by)
        for chat_id, message_id in await outbox.card_messages(conn, _shown(card.id)):
            lapsed = EditMessage(chat_id, message_id, edit, priority=PRIORITY)
            await outbox.enqueue(conn, lapsed, ctx.clock())
        log.info("removal_withdrawn", chat=card.chat_id, card=card.id)

    async def _do_list(self, conn: aiosqlite.Connection, command: Command, target: Target) -> None:
        ctx = self.ctx
        policy = ctx.network.policy
        since = mod.horizon(ctx.clock(), policy.warning_days)
        found = await store.warnings_since(conn, command.chat.id, target.sender.user_id, since)
        days = ctx.texts.count("count_days", policy.warning_days)
        if not found:
            await self._say(
                conn,
                command.chat.id,
                "warnings_none",
                person=self.ctx.asker(command.chat.id, command.actor),
                reply_to=command.message_id,
                days=days,
            )
            return
        lines = []
        for warning in found:
            when = datetime.fromtimestamp(warning.at, ctx.network.timezone).strftime("%d-%m-%Y")
            what = warning.reason or ctx.texts(f"warnings_what_{warning.kind.value}")
            lines.append(ctx.texts("warnings_line", date=when, what=what))
        await self._say(
            conn,
            command.chat.id,
            "warnings_list",
            person=self.ctx.asker(command.chat.id, command.actor),
            reply_to=command.message_id,
            count=len(found),
            max=policy.max_warnings,
            days=days,
            lines=Raw("\n".join(lines)),
        )

    # --- the removal question -------------------------------------------------------------------

    async def decide_removal(
        self,
        card_id: int,
        remove: bool,
        actor: Actor,
        pressed: tuple[int, int],
        key: str,
        turn: Turn = NO_TURN,
    ) -> Answer:
        """A press on a removal card. Only a co-admin of the member's chat who may remove
        members decides (asked of Telegram now, not from a cache: a removal cannot be undone,
        and a co-admin demoted a minute ago must be refused); the first decision counts (a
        press waits its `turn` behind earlier ones on the card), and every copy of the card
        then shows it and who took it."""
        ctx = self.ctx
        texts = ctx.texts
        async with ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, ctx.clock()):
                return Answer("")
            card = await store.card(conn, card_id) if 0 < card_id <= MAX_ID else None
        if card is None:
            return Answer("")
        if card.state != "pending":
            return Answer(_plain(texts("removal_answer_already", by=card.decided_by)), True)
        presser = await self.telegram.standing(card.chat_id, actor.user_id)
        if not presser.may_remove:
            log.info("removal_denied", chat=card.chat_id, card=card.id)
            return Answer(_plain(texts("removal_answer_denied")), alert=True)
        async with turn:  # an earlier press on the card may have decided meanwhile
            async with ctx.db.reading() as conn:
                card = await store.card(conn, card_id)
            if card is None:
                return Answer("")
            if card.state != "pending":
                by = card.decided_by
                return Answer(_plain(texts("removal_answer_already", by=by)), alert=True)
            return await self._decide_removal(card, remove, actor, pressed)

    async def _decide_removal(
        self, card: store.RemovalCard, remove: bool, actor: Actor, pressed: tuple[int, int]
    ) -> Answer:
        ctx = self.ctx
        texts = ctx.texts
        outcome, reason = "kept", ""
        if remove:
            outcome, reason = await self._remove(card)
        async with ctx.db.transaction() as conn:
            body = Raw(self._card_html(card))
            if not await store.decide_card(conn, card.id, outcome, actor.name, ctx.clock()):
                fresh = await store.card(conn, card.id)
                by = fresh.decided_by if fresh else ""
                return Answer(_plain(texts("removal_answer_already", by=by)), alert=True)
            if outcome == "refused":
                edit = texts("removal_card_failed", card=body, reason=texts(reason))
            else:
                edit = texts(f"removal_card_{outcome}", card=body, by=actor.name)
            for chat_id, message_id in await self._card_messages(conn, card.id, pressed):
                decided = EditMessage(chat_id, message_id, edit, priority=PRIORITY)
                await outbox.enqueue(conn, decided, ctx.clock())
        log.info("removal_decided", chat=card.chat_id, card=card.id, outcome=outcome)
        ctx.wake()
        if outcome == "refused":
            return Answer(_plain(texts("removal_answer_failed", reason=texts(reason))), True)
        return Answer(_plain(texts(f"removal_answer_{outcome}")))

    async def _remove(self, card: store.RemovalCard) -> tuple[str, str]:
        """Kick the member (ban, then unban: they may sign up again; in a basic group only
        the ban, which the card then says). A member who left in the meantime, or who
        became a co-admin, is not touched."""
        member = await self.telegram.standing(card.chat_id, card.member_id)
        if not member.is_in:
            return "gone", ""
        if member.is_admin:
            return "refused", "removal_failed_admin"
        try:
            lifted = await self.telegram.kick(card.chat_id, card.member_id)
        except TelegramRefused as failed:
            return "refused", failed.reason
        return ("removed" if lifted else "banned"), ""

    async def _card_messages(
        self, conn: aiosqlite.Connection, card_id: int, pressed: tuple[int, int]
    ) -> list[tuple[int, int]]:
        """Every posted copy of a card: as delivered (the outbox keeps what each row became),
        and the pressed one for certain."""
        found = dict(await outbox.card_messages(conn, _shown(card_id)))
        found[pressed[0]] = pressed[1]
        return sorted(found.items())

    # --- newcomers ------------------------------------------------------------------------------

    async def joined(self, chat_id: int, newcomers: int, key: str) -> None:
        """People joined a neighbourhood chat: one short welcome per burst of joins."""
        ctx = self.ctx
        if newcomers <= 0 or ctx.directory.kind(chat_id) is not ChatKind.NEIGHBOURHOOD:
            return
        now = ctx.clock()
        if not self._may_remind(chat_id, 0, WELCOME, now):
            return
        async with ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, now):
                return
            last = await store.last_reminder(conn, chat_id, 0, WELCOME)
            if not mod.welcome_due(last, now):
                self._quiet(chat_id, 0, WELCOME, (last or now) + mod.WELCOME_BURST)
                return
            await store.set_reminder(conn, chat_id, 0, WELCOME, now)
            self._quiet(chat_id, 0, WELCOME, now + mod.WELCOME_BURST)
            slug = ctx.directory.slug_for(chat_id)
            place = ctx.network.neighbourhoods[slug].name if slug else ""
            await self._say(conn, chat_id, "welcome_burst", person=None, place=place)
        log.info("welcome_given", chat=chat_id, newcomers=newcomers)
        ctx.wake()

    # --- helpers ------------------------------------------------------------------------------

    async def _say(
        self,
        conn: aiosqlite.Connection,
        chat_id: int,
        key: str,
        /,
        *,
        person: int | None,
        reply_to: int | None = None,
        **values: object,
    ) -> None:
        """One line that is not an alert: within the answer limits every use case shares (half
        a chat's budget, a few a minute per person); what does not fit is dropped and counted."""
        if not await self.ctx.admit_answer(conn, chat_id, person, key):
            return
        text = self.ctx.texts(key, **values)
        line = Say(chat_id, text, reply_to=reply_to, priority=PRIORITY)
        await outbox.enqueue(conn, line, self.ctx.clock())


def _shown(card_id: int) -> Card:
    """A removal card, as the messages that show it are remembered."""
    return Card(CardKind.REMOVAL, card_id)


def _plain(text: str) -> str:
    """A callback answer is plain text: no HTML entities."""
    return html.unescape(text)
