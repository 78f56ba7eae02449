"""Sign-up: a resident's private conversation, the card in the regie chat, admission by
join request, and erasure (`/vergeet`, and 90 days after the decision).

The conversation itself is the pure state machine in :mod:`relaybot.domain.signup`; this
use case keeps its state in SQLite (so a restart continues where it was), queues what to
say and the join-request decisions through the outbox, and asks Telegram for an invite
link through the port (:class:`relaybot.service.ports.Telegram`).
Personal data goes to the resident's private chat and the regie card only, is tagged with
the sign-up in the outbox so that erasure finds every copy, and never goes into a log.
Events logged in the resident's private chat (whose id is the user id) never name the
sign-up's number, and those on the regie side never name the user: once a sign-up is
erased, nothing in the logs says whose number it was.
"""

from __future__ import annotations

import html
from dataclasses import replace

import aiosqlite
import structlog

from relaybot.domain import signup as rules
from relaybot.domain.intents import (
    Buttons,
    Card,
    CardKind,
    EditMessage,
    JoinDecision,
    RevokeInvite,
    Say,
)
from relaybot.domain.model import Actor
from relaybot.domain.signup import Input, Keyboard, Labels, Reply, Status, Text
from relaybot.domain.texts import Raw
from relaybot.domain.throttle import AnswerLimits, AnswerThrottle
from relaybot.domain.waiting import area_of
from relaybot.service.context import NO_TURN, Answer, Command, Context, Turn
from relaybot.service.ports import Telegram, TelegramRefused, not_in_regie
from relaybot.storage import (
    chats,
    counters,
    erasure,
    idempotency,
    inbox,
    outbox,
    signups,
    waiting,
)
from relaybot.storage.signups import SignUp

log = structlog.get_logger("relaybot.signup")

CARD_PREFIX = "aanmelding"
CARD_BUTTONS = r"^aanmelding:(ok|other|no|kern|to|back):\d+(:#?[a-z0-9-]+)?$"
KERN_MENU_FROM = 9  # with more neighbourhoods than this, "Andere buurt" first asks the kern
UNMATCHED_PLACE = "unmatched"  # the counters' place for a sign-up no street list matched
PACE_PER_MINUTE = 12  # a person's private messages answered a minute (a sign-up takes 6)
HOUR = 3600.0


class Signup:
    """Everything a resident and the regiegroep do around one sign-up."""

    def __init__(self, ctx: Context, telegram: Telegram) -> None:
        self.ctx = ctx
        self.telegram = telegram  # invite links and join requests
        # a person's private messages: a few a minute are answered, the rest dropped (one
        # line a minute says so), so that a flood buys no queue of replies
        unlimited = 10**9
        self.pace = AnswerThrottle(AnswerLimits(private=PACE_PER_MINUTE, overall=unlimited))
        self.slow_down = AnswerThrottle(AnswerLimits(private=1, overall=unlimited))

    @property
    def labels(self) -> Labels:
        return Labels(self.ctx.texts)

    # --- the private conversation ---------------------------------------------------------

    async def begin(self, user_id: int, key: str, start: str = "") -> None:
        """`/start`, `/aanmelden`, `/signup` (or the deep link) in a private chat. `start`:
        the deep link's parameter; 'aanmelden-<slug>' (the flyer's) chooses the
        neighbourhood."""
        now = self.ctx.clock()
        if not await self._paced(user_id):
            return
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, now):
                return
            current = await signups.open_for(conn, user_id)
            if current is not None and rules.invite_lapsed(
                current.status, _invite_expiry(current), now
            ):
                await self._lapse(conn, current)
                current = None
            if current is not None and current.status is Status.ASKING:
                if rules.is_expired(current.expires_at, now):
                    await self._end(conn, current, None)
                    current = None
                else:
                    conversation = rules.Conversation(current.step, current.answers)
                    await self._tell(conn, user_id, Reply("signup_resume", keyboard=Keyboard()))
                    await self._tell(
                        conn,
                        user_id,
                        rules.question(conversation, self.labels, self.ctx.network),
                        signup=current.id,
                    )
                    await signups.save_step(
                        conn, current.id, current.step, current.answers, rules.expires_at(now)
                    )
            if current is not None and current.status is not Status.ASKING:
                await self._say_state(conn, current, "signup_refuse_open")
            elif current is None and await self._cards_full(conn):
                await self._tell(conn, user_id, Reply("signup_busy"))
            elif current is None:
                made = await signups.create(conn, user_id, now, rules.expires_at(now))
                chosen = rules.chosen_hood(self.ctx.network, start)
                opening = rules.start(self.labels, self.ctx.network, chosen)
                if chosen is not None:
                    assert opening.conversation is not None
                    step, answers = opening.conversation.step, opening.conversation.answers
                    await signups.save_step(conn, made.id, step, answers, rules.expires_at(now))
                for reply in opening.replies:
                    await self._tell(conn, user_id, reply, signup=made.id)
                log.info("signup_started")
        self.ctx.wake()

    async def answer(self, user_id: int, event: Input, key: str) -> None:
        """A text, a reply-keyboard button or a shared contact in a private chat."""
        now = self.ctx.clock()
        submitted: int | None = None
        ended = False
        if not await self._paced(user_id):
            return
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, now):
                return
            current = await signups.open_for(conn, user_id)
            if current is None:
                await self.ctx.say(conn, user_id, "signup_idle")
            elif current.status is not Status.ASKING:
                await self._say_state(conn, current, "signup_waiting")
            elif rules.is_expired(current.expires_at, now):
                await self._end(conn, current, "signup_expired")
                ended = True
            else:
                conversation = rules.Conversation(current.step, current.answers)
                outcome = rules.advance(
                    conversation, event, network=self.ctx.network, labels=self.labels
                )
                if outcome.conversation is None:  # "Nee"
                    await self._end(conn, current, None)
                    ended = True
                    log.info("signup_declined_by_resident")
                elif outcome.submitted and await self._cards_full(conn):
                    # the answers are kept: "Akkoord" again later sends the card
                    await signups.save_step(
                        conn, current.id, current.step, current.answers, rules.expires_at(now)
                    )
                    await self._tell(conn, user_id, Reply("signup_busy_kept", keyboard=Keyboard()))
                    log.info("signup_held_back")
                elif outcome.submitted:
                    await self._submit(conn, current, outcome.conversation.answers)
                    submitted = current.id
                else:
                    moved = outcome.conversation
                    await signups.save_step(
                        conn, current.id, moved.step, moved.answers, rules.expires_at(now)
                    )
                    if moved.step is not current.step:
                        log.info("signup_step", step=str(moved.step))
                for reply in outcome.replies:
                    await self._tell(conn, user_id, reply, signup=current.id)
        if submitted is not None:
            log.info("signup_submitted")
        if ended:
            await self.ctx.db.checkpoint()
        self.ctx.wake()

    async def located(self, user_id: int, lat: float, lon: float, key: str) -> None:
        """A location shared in the private chat: only the neighbourhood it lies in goes on
        (the point is neither stored nor logged)."""
        slug = self.ctx.area_of(lat, lon)
        buurt = self.ctx.buurt_of(lat, lon) if slug is None else None
        await self.answer(user_id, rules.Located(slug, buurt), key)

    async def stop(self, user_id: int, key: str) -> None:
        """`/stop`: end a running conversation and erase what it gathered."""
        ended = False
        if not await self._paced(user_id):
            return
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, self.ctx.clock()):
                return
            await inbox.forget_set_aside_of(conn, user_id)
            current = await signups.open_for(conn, user_id)
            if current is None:
                await self.ctx.say(conn, user_id, "signup_nothing_to_stop")
            elif current.status is Status.ASKING:
                await self._end(conn, current, "signup_stopped")
                ended = True
                log.info("signup_stopped")
            else:
                await self._say_state(conn, current, "signup_stop_waiting")
        if ended:
            await self.ctx.db.checkpoint()
        self.ctx.wake()

    async def elsewhere(self, command: Command) -> None:
        """`/aanmelden` in a group: signing up happens privately; the answer has the link."""
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, command.key, self.ctx.clock()):
                return
            await self.ctx.say(
                conn,
                command.chat.id,
                "signup_private_only",
                reply_to=command.message_id,
                link=Raw(self.ctx.texts.defaults["signup_link"]),
            )
        self.ctx.wake()

    async def _submit(
        self, conn: aiosqlite.Connection, current: SignUp, answers: rules.Answers
    ) -> None:
        now = self.ctx.clock()
        answers = rules.look_alikes(answers, await signups.others_submitted(conn, current.id))
        await signups.submit(conn, current.id, answers, now)
        await signups.note_card(conn, self.ctx.directory.regie_chat_id, current.id, now)
        await counters.count(conn, answers.slug or UNMATCHED_PLACE, "signups", now)
        if answers.slug is None:  # no neighbourhood: the waiting list for the street
            await self._wait(conn, current, answers, now)
            return
        submitted = await signups.get(conn, current.id)
        assert submitted is not None
        await self._tell(
            conn, current.user_id, Reply("signup_submitted", {"id": current.id}), signup=current.id
        )
        card = Say(
            self.ctx.directory.regie_chat_id,
            self._card(submitted),
            rows=self._decision_rows(submitted),
            card=Card(CardKind.SIGNUP, current.id),
            signup=current.id,
        )
        await outbox.enqueue(conn, card, now)

    async def _wait(
        self, conn: aiosqlite.Connection, current: SignUp, answers: rules.Answers, now: float
    ) -> None:
        """Onto the waiting list of the street; no card: the regiegroep hears of the street
        once enough wait (see :mod:`relaybot.service.waiting`)."""
        if answers.buurt:  # located in a buurt of the map that no group covers: wait there
            key, street = answers.buurt, answers.buurt_name
        else:
            key, street = area_of(answers.address)
        await signups.set_status(conn, current.id, Status.WAITING)
        await waiting.add(conn, current.id, key, street, now)
        reply = Reply("signup_on_waiting_list", {"id": current.id, "street": street})
        await self._tell(conn, current.user_id, reply, signup=current.id)
        log.info("signup_waiting", signup=current.id)

    async def _end(self, conn: aiosqlite.Connection, current: SignUp, key: str | None) -> None:
        """A running conversation is over (stopped, expired, "Nee"): nothing of it is kept."""
        await signups.delete(conn, [current.id])
        await outbox.erase_signup_payloads(conn, [current.id], current.user_id, self.ctx.clock())
        if key is not None:
            await self._tell(conn, current.user_id, Reply(key))

    async def _say_state(self, conn: aiosqlite.Connection, current: SignUp, key: str) -> None:
        if current.status is Status.PENDING:
            state = self.ctx.texts("signup_state_pending")
        elif current.status is Status.WAITING:
            street = await waiting.area_of(conn, current.id) or ""
            state = self.ctx.texts("signup_state_waiting", street=street)
        else:
            state = self.ctx.texts("signup_state_admitted", place=self._place(current.slug))
        await self.ctx.say(conn, current.user_id, key, id=current.id, state=Raw(state))

    async def _tell(
        self, conn: aiosqlite.Connection, user_id: int, reply: Reply, signup: int | None = None
    ) -> None:
        """One message to the resident, with its keyboard; tagged with the sign-up when it
        may echo what they told."""
        values = {"network": self.ctx.network.name, **reply.values}
        text = self.ctx.texts(reply.key, **values)
        said = Say(user_id, text, keyboard=reply.keyboard, signup=signup)
        await outbox.enqueue(conn, said, self.ctx.clock())

    async def _paced(self, user_id: int) -> bool:
        """True when this private message of the person's is answered; beyond a few a
        minute it is dropped, and the first dropped one a minute gets a line saying so."""
        now = self.ctx.clock()
        if self.pace.allow(user_id, None, now):
            return True
        if self.slow_down.allow(user_id, None, now):  # once a minute, so a flood logs little
            async with self.ctx.db.transaction() as conn:
                await self._tell(conn, user_id, Reply("signup_slow_down", keyboard=Keyboard()))
            log.info("private_messages_dropped")
            self.ctx.wake()
        return False

    async def _cards_full(self, conn: aiosqlite.Connection) -> bool:
        """The network had `signups_per_hour` new cards in the last hour: no more now."""
        regie, now = self.ctx.directory.regie_chat_id, self.ctx.clock()
        made = await signups.cards_since(conn, regie, now - HOUR)
        return made >= self.ctx.network.policy.signups_per_hour

    async def _revoke(self, conn: aiosqlite.Connection, current: SignUp) -> None:
        """The sign-up's invite link, if it has one, admits nobody any more."""
        if current.invite_link and current.invite_chat_id is not None:
            revoke = RevokeInvite(current.invite_chat_id, current.invite_link)
            await outbox.enqueue(conn, revoke, self.ctx.clock())

    async def _lapse(self, conn: aiosqlite.Connection, current: SignUp) -> None:
        """An admission whose link expired unused: a new sign-up may start; the link dies."""
        await signups.set_status(conn, current.id, Status.LAPSED)
        await self._revoke(conn, current)
        log.info("signup_lapsed")

    # --- the regie card ---------------------------------------------------------------------

    def _place(self, slug: str | None) -> str:
        return self.ctx.directory.place(slug, self.ctx.texts("regie")) if slug else ""

    def _card(self, current: SignUp) -> str:
        answers = current.answers
        place = (
            self._place(current.slug)
            if current.slug
            else html.unescape(self.ctx.texts("signup_card_unmatched"))
        )
        say = self.ctx.texts
        lines = [
            say(
                "signup_card",
                id=current.id,
                name=answers.name,
                address=answers.address,
                phone=answers.phone,
                place=place,
            ),
            say("signup_card_phone_shared" if answers.phone_shared else "signup_card_phone_typed"),
        ]
        for key, others in (
            ("signup_card_same_phone", answers.same_phone),
            ("signup_card_same_address", answers.same_address),
        ):
            if others:
                lines.append(say(key, ids=", ".join(f"#{n}" for n in others)))
        return "\n".join(lines)

    def _decision_rows(self, current: SignUp) -> tuple[Buttons, ...]:
        say = self.ctx.texts
        row = []
        if current.slug is not None:
            row.append((say("button_admit"), f"{CARD_PREFIX}:ok:{current.id}"))
        row.append((say("button_other"), f"{CARD_PREFIX}:other:{current.id}"))
        row.append((say("button_decline"), f"{CARD_PREFIX}:no:{current.id}"))
        return (tuple(row),)

    def _other_rows(self, current: SignUp, kern: int | None) -> tuple[str, tuple[Buttons, ...]]:
        """The card's buttons after "Andere buurt": one per neighbourhood, or first one per
        kern when the network is large."""
        network = self.ctx.network
        kernen = list(network.kernen().items())
        back = ((self.ctx.texts("button_back"), f"{CARD_PREFIX}:back:{current.id}"),)
        if kern is None and len(network.neighbourhoods) > KERN_MENU_FROM:
            buttons = [
                (name, f"{CARD_PREFIX}:kern:{current.id}:{i}") for i, (name, _) in enumerate(kernen)
            ]
            return "signup_card_pick_kern", (*_in_rows(buttons, 3), back)
        slugs = list(network.neighbourhoods) if kern is None else list(kernen[kern][1])
        buttons = [
            (
                rules.hood_label(network, slug),
                rules.hood_ref(network, slug, f"{CARD_PREFIX}:to:{current.id}:"),
            )
            for slug in slugs
        ]
        return "signup_card_pick_hood", (*_in_rows(buttons, 2), back)

    async def _edit_card(
        self,
        conn: aiosqlite.Connection,
        current: SignUp,
        text: str,
        rows: tuple[Buttons, ...] = (),
        *,
        tagged: bool = True,
    ) -> None:
        if current.card_message_id is None:
            return
        edit = EditMessage(
            self.ctx.directory.regie_chat_id,
            current.card_message_id,
            text,
            rows=rows,
            signup=current.id if tagged else None,
        )
        await outbox.enqueue(conn, edit, self.ctx.clock())

    async def card_delivered(
        self, conn: aiosqlite.Connection, signup_id: int, message_id: int
    ) -> None:
        """The card reached the regie chat: remember it, so decisions can edit it."""
        await signups.set_card(conn, signup_id, message_id)

    async def press(
        self,
        signup_id: int,
        verb: str,
        arg: str,
        actor: Actor,
        card_message_id: int,
        key: str,
        turn: Turn = NO_TURN,
    ) -> Answer:
        """A contact person pressed a button on a sign-up card. Only a member of the
        regiegroep decides, asked of Telegram at the press; the press then waits its `turn`
        behind earlier presses on the card, so the first press decides."""
        if await not_in_regie(self.telegram, self.ctx.directory.regie_chat_id, actor.user_id):
            return Answer(html.unescape(self.ctx.texts("regie_answer_not_member")), alert=True)
        async with turn:
            if verb in ("ok", "to"):
                return await self._admit(signup_id, arg or None, actor, card_message_id, key)
            return await self._show_or_decline(signup_id, verb, arg, actor, card_message_id, key)

    async def _show_or_decline(
        self, signup_id: int, verb: str, arg: str, actor: Actor, card_message_id: int, key: str
    ) -> Answer:
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, self.ctx.clock()):
                return Answer("")
            current = await signups.get(conn, signup_id)
            refusal = self._undecidable(current)
            if refusal is not None or current is None:
                return refusal or Answer("")
            current = _with_card(current, card_message_id)
            if verb == "no":
                await self._decline(conn, current, actor)
                answer = Answer(self.ctx.texts("signup_answer_declined"))
            else:  # other, kern, back: show other buttons on the card, decide nothing
                card = self._card(current)
                if verb == "back":
                    await self._edit_card(conn, current, card, self._decision_rows(current))
                else:
                    kern = int(arg) if verb == "kern" and arg.isdigit() else None
                    if kern is not None and kern >= len(self.ctx.network.kernen()):
                        kern = None
                    text_key, rows = self._other_rows(current, kern)
                    text = self.ctx.texts(text_key, card=Raw(card))
                    await self._edit_card(conn, current, text, rows)
                answer = Answer("")
        self.ctx.wake()
        return answer

    def _undecidable(self, current: SignUp | None) -> Answer | None:
        if current is None:
            return Answer(self.ctx.texts("signup_answer_gone"), alert=True)
        if current.status is not Status.PENDING:
            text = self.ctx.texts("signup_answer_already", by=current.decided_by)
            return Answer(html.unescape(text), alert=True)
        return None

    async def _decline(self, conn: aiosqlite.Connection, current: SignUp, actor: Actor) -> None:
        now = self.ctx.clock()
        await signups.decide(conn, current.id, Status.DECLINED, None, actor.name, now)
        await self._revoke(conn, current)
        text = self.ctx.texts("signup_card_declined", card=Raw(self._card(current)), by=actor.name)
        await self._edit_card(conn, current, text)
        await self._tell(conn, current.user_id, Reply("signup_declined", {"id": current.id}))
        if self.ctx.network.contact:
            line = Reply("signup_contact_line", {"contact": self.ctx.network.contact})
            await self._tell(conn, current.user_id, line)
        log.info("signup_decided", signup=current.id, decision="declined")

    async def _admit(
        self, signup_id: int, slug: str | None, actor: Actor, card_message_id: int, key: str
    ) -> Answer:
        """Admit to the matched neighbourhood (or the one picked under "Andere buurt"): an
        invite link that asks to join, valid for 72 hours, sent to the resident privately."""
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, now):
                return Answer("")
            current = await signups.get(conn, signup_id)
            refusal = self._undecidable(current)
            if refusal is not None or current is None:
                return refusal or Answer("")
            current = _with_card(current, card_message_id)
            target = rules.hood_from_ref(self.ctx.network, slug) if slug else current.slug
            if target is None or target not in self.ctx.network.neighbourhoods:
                return Answer(html.unescape(self.ctx.texts("signup_card_unmatched")), alert=True)
            chat_id = self.ctx.directory.chat_for(target)
            if chat_id is None:
                text = self.ctx.texts("signup_answer_no_chat", place=self._place(target))
                return Answer(html.unescape(text), alert=True)
            # decided now, so that a second press meanwhile finds it taken
            await signups.decide(conn, current.id, Status.ADMITTED, target, actor.name, now)
        failed = await self._invite(current, target, chat_id, actor, Status.PENDING)
        if failed is not None:
            return Answer(failed, alert=True)
        return Answer(self.ctx.texts("signup_answer_admitted"))

    async def admit_waiting(self, signup_id: int, target: str, actor: Actor) -> bool:
        """A resident on the waiting list, admitted to the group now there for their street
        (the regiegroep approved the waiting list's card): an invite link as for any
        admission. False when they left the list meanwhile or no link could be made."""
        now = self.ctx.clock()
        chat_id = self.ctx.directory.chat_for(target)
        async with self.ctx.db.transaction() as conn:
            current = await signups.get(conn, signup_id)
            if current is None or current.status is not Status.WAITING or chat_id is None:
                return False
            await signups.decide(conn, current.id, Status.ADMITTED, target, actor.name, now)
        if await self._invite(current, target, chat_id, actor, Status.WAITING) is not None:
            return False
        async with self.ctx.db.transaction() as conn:
            await waiting.leave(conn, [current.id])
        return True

    async def _invite(
        self, current: SignUp, target: str, chat_id: int, actor: Actor, before: Status
    ) -> str | None:
        """The invite link of an admission (decided already), sent to the resident; the card,
        if any, says who admitted. None when done; the answer for the presser when Telegram
        made no link (the sign-up is `before` again)."""
        now = self.ctx.clock()
        name = html.unescape(self.ctx.texts("signup_invite_name", id=current.id))
        expiry = now + rules.INVITE_TTL
        try:
            link = await self.telegram.create_invite(chat_id, name, int(expiry))
        except TelegramRefused as error:
            async with self.ctx.db.transaction() as conn:
                await signups.decide(conn, current.id, before, None, "", None)
            log.warning("signup_invite_failed", signup=current.id, error=str(error))
            return html.unescape(self.ctx.texts("signup_answer_no_link", place=self._place(target)))
        async with self.ctx.db.transaction() as conn:
            await signups.set_invite(conn, current.id, chat_id, link, expiry)
            await counters.count(conn, target, "admitted", now)
            decided = await signups.get(conn, current.id)
            assert decided is not None
            decided = replace(decided, card_message_id=current.card_message_id)
            card = self.ctx.texts(
                "signup_card_admitted",
                card=Raw(self._card(decided)),
                place=self._place(target),
                by=actor.name,
            )
            await self._edit_card(conn, decided, card)
            reply = Reply("signup_admitted", {"place": self._place(target), "link": link})
            await self._tell(conn, current.user_id, reply, signup=current.id)
        log.info("signup_decided", signup=current.id, decision="admitted", slug=target)
        self.ctx.wake()
        return None

    # --- the join request -------------------------------------------------------------------

    async def join_request(
        self, chat_id: int, user_id: int, invite_link: str, key: str, *, ours: bool = False
    ) -> None:
        """Someone asks to join a neighbourhood chat through a sign-up's invite link: the
        admitted resident is approved; anyone else is declined and the regie chat told once.
        A link the bot made (`ours`) that is no sign-up's any more (forgotten, erased) is
        declined; any other link is left to the chat's administrators. The decision goes out
        through the outbox (never a call on the update path), so a passing fault of
        Telegram's is retried like a message."""
        declined = False  # a link of ours that is no sign-up's: the worker woken once committed
        try:
            async with self.ctx.db.transaction() as conn:
                if not await idempotency.claim(conn, key, self.ctx.clock()):
                    return
                current = await signups.by_invite(conn, chat_id, invite_link)
                if current is None:
                    if ours:
                        decline = JoinDecision(chat_id, user_id, False)
                        await outbox.enqueue(conn, decline, self.ctx.clock())
                        log.info("join_request", signup=None, approved=False)
                        declined = True
                    return
                admit = current.user_id == user_id and current.status is Status.ADMITTED
                await outbox.enqueue(conn, JoinDecision(chat_id, user_id, admit), self.ctx.clock())
                place = self._place(current.slug)
                if admit:
                    await signups.set_status(conn, current.id, Status.JOINED)
                    card = self.ctx.texts(
                        "signup_card_joined",
                        card=Raw(self._card(current)),
                        place=place,
                        by=current.decided_by,
                    )
                    await self._edit_card(conn, current, card)
                    await self._tell(conn, user_id, Reply("signup_joined", {"place": place}))
                elif await chats.note_once(
                    conn,
                    self.ctx.directory.regie_chat_id,
                    f"signup-stranger:{current.id}",
                    self.ctx.clock(),
                ):
                    await self.ctx.say(
                        conn,
                        self.ctx.directory.regie_chat_id,
                        "signup_regie_stranger",
                        id=current.id,
                        place=place,
                    )
        finally:
            if declined:
                self.ctx.wake()
        log.info("join_request", signup=current.id, approved=admit)
        self.ctx.wake()

    # --- erasure ----------------------------------------------------------------------------

    async def forget(self, user_id: int, key: str) -> None:
        """`/vergeet` (`/forget`): erase the user's sign-up data, also from outbox rows and
        the database file, revoke its invite link, edit the regie card to say so, and say
        what was erased."""
        now = self.ctx.clock()
        if not await self._paced(user_id):
            return
        async with self.ctx.db.transaction() as conn:
            if not await idempotency.claim(conn, key, now):
                return
            mine = await signups.of_user(conn, user_id)
            for gone in mine:
                await self._revoke(conn, gone)
            await signups.delete(conn, [s.id for s in mine])
            await inbox.forget_set_aside_of(conn, user_id)
            cleared = await outbox.erase_signup_payloads(conn, [s.id for s in mine], user_id, now)
            for gone in mine:
                text = self.ctx.texts("signup_card_erased", id=gone.id)
                await self._edit_card(conn, gone, text, tagged=False)
            what = [self.ctx.texts("forget_what_signup", id=s.id) for s in mine]
            if cleared:
                what.append(
                    self.ctx.texts(
                        "forget_what_messages",
                        messages=self.ctx.texts.count("count_messages", cleared),
                    )
                )
        # the bytes must leave the file too; a reader (a report, a backup) may hold them
        gone = await erasure.flush(self.ctx.db)
        async with self.ctx.db.transaction() as conn:
            if not what:
                await self.ctx.say(conn, user_id, "forget_nothing")
            elif gone:
                await self.ctx.say(conn, user_id, "forget_done", what=Raw("; ".join(what)))
            else:  # honest: out of the bot's tables, not yet out of the file
                await self.ctx.say(conn, user_id, "forget_pending", what=Raw("; ".join(what)))
            if not gone:
                await signups.note_erasure(conn, user_id, now)
        log.info("signup_forgotten", signups=len(mine), outbox_rows=cleared, in_file=not gone)
        self.ctx.wake()

    async def finish_erasures(self) -> int:
        """Erasures a reader held up (`/vergeet` said "not yet"): once the file is clean,
        each resident hears that their data is now gone from it too."""
        async with self.ctx.db.reading() as conn:
            waiting = await signups.erasures_waiting(conn)
        if not waiting or not await erasure.flush(self.ctx.db):
            return 0
        async with self.ctx.db.transaction() as conn:
            for user_id in waiting:
                await self.ctx.say(conn, user_id, "forget_confirmed")
            await signups.erasures_done(conn, waiting)
        log.info("erasures_finished", count=len(waiting))
        self.ctx.wake()
        return len(waiting)

    async def expire(self) -> int:
        """End conversations 30 minutes without an answer (their residents are told); an
        admission whose link expired unused lapses, and its link is revoked; erasures a
        reader held up are tried again."""
        await self.finish_erasures()
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as conn:
            expired = await signups.expired_conversations(conn, now)
            for current in expired:
                await self._end(conn, current, "signup_expired")
            lapsed = await signups.unused_invites(conn, now - rules.INVITE_TTL, now)
            for current in lapsed:
                await self._lapse(conn, current)
        if lapsed:
            self.ctx.wake()
        if expired:
            await self.ctx.db.checkpoint()
            log.info("signups_expired", count=len(expired))
            self.ctx.wake()
        return len(expired)

    async def housekeeping(self) -> int:
        """Erase sign-ups decided more than 90 days ago (the counters stay)."""
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as conn:
            old = await signups.decided_before(conn, now - rules.ERASE_AFTER)
            for gone in old:
                if gone.status is not Status.LAPSED:  # a lapsed one's link was revoked then
                    await self._revoke(conn, gone)
            old_ids = [gone.id for gone in old]
            await signups.delete(conn, old_ids)
            await outbox.erase_signup_payloads(conn, old_ids, None, now)
            regie = self.ctx.directory.regie_chat_id
            await signups.forget_card_notes(conn, regie, now - signups.CARD_NOTES_KEPT)
        if old:
            self.ctx.wake()
            await self.ctx.db.checkpoint()
            log.info("signups_erased", count=len(old))
        return len(old)


def _invite_expiry(current: SignUp) -> float | None:
    """When an admission's link expires; an admission whose link was never made (the bot
    stopped in between) counts as if it had been made at the decision."""
    if current.invite_expires_at is not None:
        return current.invite_expires_at
    return current.decided_at + rules.INVITE_TTL if current.decided_at is not None else None


def _with_card(current: SignUp, card_message_id: int) -> SignUp:
    """The card's message id, from the button press when delivery has not recorded it."""
    if current.card_message_id is not None:
        return current
    return replace(current, card_message_id=card_message_id)


def _in_rows(buttons: list[tuple[str, str]], width: int) -> tuple[Buttons, ...]:
    return tuple(tuple(buttons[i : i + width]) for i in range(0, len(buttons), width))


__all__ = ["CARD_BUTTONS", "Signup", "Text"]
