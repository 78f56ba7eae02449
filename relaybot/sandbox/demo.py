"""`relaybot demo`: the real bot against the built-in emulator, one scripted evening.

The evening runs on a scripted clock (from 21:40, events minutes apart, in the network's time
zone). After each step the transcript shows what changed in every chat: each message as it
first appeared (with its buttons), each edit as it happened, each deletion. Needs no token
and no network. Everyone in it is invented.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import structlog

from relaybot.domain.numbers import plural
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.records import Message
from relaybot.sandbox.evening import EVENING, narrated
from relaybot.sandbox.stage import Stage, open_stage
from relaybot.storage import counters

EVENING_STARTS = dt.time(21, 40)


def example_network() -> Path:
    """The example network: from the checkout when run there, else the packaged copy."""
    local = Path("config/network.example.toml")
    if local.exists():
        return local
    return Path(str(resources.files("relaybot").joinpath("data/network.example.toml")))


class EveningClock:
    """The demo's clock: today's evening in the network's time zone, moved on by the script
    (`at("21:47")`); between steps it ticks with real time, so it never stands still or goes
    back while the bot works."""

    def __init__(self, zone: ZoneInfo, starts: dt.time = EVENING_STARTS) -> None:
        self.zone = zone
        self.day = dt.datetime.now(zone).date()
        self._at = self._stamp(starts)
        self._real = time.monotonic()

    def _stamp(self, moment: dt.time) -> float:
        return dt.datetime.combine(self.day, moment, tzinfo=self.zone).timestamp()

    def __call__(self) -> float:
        return self._at + (time.monotonic() - self._real)

    def at(self, hhmm: str) -> None:
        hours, minutes = (int(part) for part in hhmm.split(":"))
        moment = self._stamp(dt.time(hours, minutes))
        if moment < self._at:  # past midnight
            moment += 86400.0
        self._at, self._real = max(moment, self()), time.monotonic()

    def hhmm(self, stamp: float | None = None) -> str:
        return dt.datetime.fromtimestamp(self() if stamp is None else stamp, self.zone).strftime(
            "%H:%M"
        )


@dataclass(frozen=True)
class Seen:
    """What a reader saw of one message: enough to tell an edit or a deletion."""

    content: str
    buttons: tuple[str, ...]
    deleted: bool


class Narrator:
    """Prints the evening as it unfolds: after each step, what changed in every chat."""

    def __init__(self, stage: Stage, clock: EveningClock, say: dict[str, str]) -> None:
        self.stage = stage
        self.clock = clock
        self.said = say
        self.step = 0
        self.seen: dict[tuple[int, int], Seen] = {}
        self.titles: dict[int, str] = {}
        self.received: dict[int, int] = {}  # chat -> messages from the bot

    def title(self, chat_id: int) -> str:
        if chat_id not in self.titles:
            self.titles[chat_id] = self.stage.emu.chat(chat_id).title or str(chat_id)
        return self.titles[chat_id]

    def who(self, user_id: int) -> str:
        if user_id == self.stage.emu.bot_user.id:
            return "🤖 relaybot"
        user = self.stage.emu.world.users.get(user_id)
        return user.full_name if user else str(user_id)

    def say(self, hhmm: str, line: str) -> None:
        """A step of the script: move the clock, tell what happens."""
        self.clock.at(hhmm)
        self.step += 1
        print(f"\n{hhmm}  {self.step}. {line}")

    def changes(self) -> None:
        """Print what changed in each chat since the last look, chat by chat."""
        shown: dict[str, str] = {}  # a bot text already printed in full this step -> chat
        for chat_id, chat in self.stage.emu.world.chats.items():
            lines: list[str] = []
            for message in chat.messages.values():
                if message.service:
                    continue
                now = Seen(
                    message.content or "",
                    tuple(text for row in message.buttons for text, _ in row),
                    message.deleted,
                )
                key = (chat_id, message.message_id)
                before = self.seen.get(key)
                self.seen[key] = now
                if before == now or (before is None and now.deleted):
                    continue
                if before is None and message.from_bot:
                    self.received[chat_id] = self.received.get(chat_id, 0) + 1
                lines.append(self.line(message, before, now, shown, chat_id))
            if lines:
                print(f"    ── {self.title(chat_id)} ──")
                for line in lines:
                    print(line)

    def line(
        self,
        message: Message,
        before: Seen | None,
        now: Seen,
        shown: dict[str, str],
        chat_id: int,
    ) -> str:
        head = f"      {self.clock.hhmm(message.date)} {self.who(message.from_id)}"
        if message.reply_to:
            head += f" ↪ {message.reply_to}"
        if now.deleted:
            return f"{head} · {self.said['deleted']}"
        if before is not None:
            head = f"      {self.said['edited']} {message.message_id}"
        buttons = "".join(f"  [{text}]" for text in now.buttons)
        if before is not None and before.content == now.content:
            return f"{head}: {self.said['buttons_gone'] if not buttons else buttons.strip()}"
        media = f"[{message.media}] " if message.media else ""
        body = f"{media}{now.content}{buttons}"
        if message.from_bot and body in shown:
            return f"{head}: {self.said['same'].format(chat=shown[body])}"
        if message.from_bot:
            shown[body] = self.title(chat_id)
        indented = body.replace("\n", "\n          ")
        return f"{head}:\n          {indented}"


NARRATION: dict[str, dict[str, str]] = {
    "nl": {
        "title": "relaybot demo — de echte bot tegen de ingebouwde Telegram-emulator",
        "network": "netwerk: {path}  (iedereen hier is verzonnen; er is geen token nodig)",
        "evening": "Een avond in {network}, zoals hij zich ontvouwt: na elke stap wat elke groep "
        "zag (nieuwe berichten met hun knoppen, bewerkingen, verwijderingen).",
        "sighting": "{name} (bewoner, Goor Oost) ziet iets en meldt het in de buurtgroep.",
        "tag": "{name} (beheerder) zet het door naar de regiegroep: /regie met notitie.",
        "followup": "Een bewoner vult aan; de beheerder stuurt de aanvulling door.",
        "button": "{name} (Goor Centrum) belt 112 en drukt op de knop onder de melding.",
        "intent": '{name} (Markelo Zuid) wil ook bellen: "Zal ik 112 bellen?"',
        "forward": "{name} stuurt de melding ook door naar heel Markelo: /doorsturen markelo.",
        "police": "{name} zet een bericht van de wijkagent door naar alle buurten van Delden: "
        "/doorsturen delden (een melding vanuit de regiegroep).",
        "resolve": "{name} (regiegroep) hoort dat het voorbij is en sluit de melding af.",
        "list": "Iemand in de regiegroep vraagt welke meldingen nog open staan: /meldingen.",
        "edited": "✏️ bewerkt: bericht",
        "deleted": "🗑 verwijderd",
        "buttons_gone": "knop weg",
        "same": "(hetzelfde bericht als in {chat})",
        "received": "Groepen die iets van de bot kregen ({count}):",
        "received_line": "  {title}: {n} bericht|  {title}: {n} berichten",
        "quiet": "{count} buurtgroepen verder weg kregen niets (zo hoort het).",
        "prevented": "Dubbele 112-meldingen voorkomen: {count}",
    },
    "en": {
        "title": "relaybot demo — the real bot against the built-in Telegram emulator",
        "network": "network: {path}  (everyone here is invented; no token needed)",
        "evening": "An evening in {network}, as it unfolds: after each step what each group saw "
        "(new messages with their buttons, edits, deletions).",
        "sighting": "{name} (resident, Goor Oost) sees something and posts it in the group.",
        "tag": "{name} (co-admin) relays it to the steering group: /regie with a note.",
        "followup": "A resident adds news; the co-admin relays the update.",
        "button": "{name} (Goor Centrum) calls 112 and presses the button under the alert.",
        "intent": '{name} (Markelo Zuid) wants to call too: "Zal ik 112 bellen?"',
        "forward": "{name} forwards the alert to all of Markelo: /doorsturen markelo.",
        "police": "{name} passes a message from the community officer to every neighbourhood "
        "of Delden: /doorsturen delden (an alert from the steering group).",
        "resolve": "{name} (steering group) hears it is over and resolves the alert.",
        "list": "Someone in the steering group asks which alerts are still open: /meldingen.",
        "edited": "✏️ edited: message",
        "deleted": "🗑 deleted",
        "buttons_gone": "button removed",
        "same": "(the same message as in {chat})",
        "received": "Groups that received something from the bot ({count}):",
        "received_line": "  {title}: {n} message|  {title}: {n} messages",
        "quiet": "{count} neighbourhood groups further away received nothing (as it should be).",
        "prevented": "Duplicate 112 calls prevented: {count}",
    },
}


async def play(stage: Stage, clock: EveningClock, language: str = "nl") -> None:
    emu, chats = stage.emu, stage.chats
    say = NARRATION[language]
    tell = Narrator(stage, clock, say)
    tell.changes()  # the quiet start: nothing to show, but everything counted as seen

    print("\n" + say["evening"].format(network=stage.network.name))
    for step in EVENING:
        tell.say(step.at, narrated(step, stage, say))
        await step.act(stage)
        await stage.settle()
        tell.changes()

    got = [chat_id for chat_id in emu.world.chats if tell.received.get(chat_id)]
    print("\n" + say["received"].format(count=len(got)))
    for chat_id in got:
        count = tell.received[chat_id]
        print(plural(say["received_line"], count).format(title=tell.title(chat_id), n=count))
    quiet = [s for s in stage.network.neighbourhoods if not emu.bot_messages(chats[s])]
    print("\n" + say["quiet"].format(count=len(quiet)))
    async with stage.runtime.db.reading() as conn:
        prevented = await counters.counter_total(conn, "duplicates_prevented")
    print(say["prevented"].format(count=prevented))


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Only warnings from the bot while the sandbox talks to a person; put back afterwards."""
    before = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.basicConfig(level=logging.ERROR)
    try:
        yield
    finally:
        structlog.configure(**before)


async def run_demo(language: str = "nl") -> int:
    """Play the evening; the log set-up is quieted for the demo and put back afterwards."""
    with quiet_logs():
        return await _run_demo(language)


async def _run_demo(language: str) -> int:
    say = NARRATION[language]
    network = example_network()
    from relaybot.network_file import load_network

    clock = EveningClock(load_network(network).timezone)
    with tempfile.TemporaryDirectory(prefix="relaybot-demo-") as folder:
        print(say["title"])
        print(say["network"].format(path=network))
        emulator = Emulator(clock=clock)  # the demo's own, so that it is stopped whatever fails
        stage: Stage | None = None
        try:
            stage = await open_stage(
                network,
                Path(folder) / "demo.sqlite3",
                language=language,
                clock=clock,
                emulator=emulator,
            )
            await play(stage, clock, language)
        finally:
            if stage is not None:
                await stage.close()
            await emulator.stop()
    return 0
