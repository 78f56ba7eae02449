"""A town on a stage: the emulator, the real bot, and people in every chat of a network.

The end-to-end tests and `relaybot demo` both stand on this. Everyone here is invented.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from relaybot.domain.network import Network
from relaybot.network_file import load_network
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.emulator.records import User
from relaybot.service import Context
from relaybot.settings import load_settings
from relaybot.telegram.app import Runtime, build

FIRST = [
    "Anna",
    "Bram",
    "Carla",
    "Daan",
    "Eva",
    "Femke",
    "Gijs",
    "Hanneke",
    "Ilse",
    "Joost",
    "Karin",
    "Lars",
    "Marloes",
    "Niels",
    "Olga",
    "Pieter",
    "Rianne",
    "Sander",
    "Tessa",
    "Wim",
]
LAST = [
    "Hendriks",
    "Ter Horst",
    "Nijhuis",
    "Bosch",
    "Kamphuis",
    "Wessels",
    "Oude Luttikhuis",
    "Brinkman",
    "Leferink",
    "Haverkate",
]


SHARE_CONTACT = "CONTACT"  # Stage.tell: press the share-contact button


class NotSettled(AssertionError):
    """The bot did not come to rest in time."""


@dataclass
class Stage:
    emu: Emulator
    runtime: Runtime
    network: Network
    chats: dict[str, int] = field(default_factory=dict)  # slug, "regie", "coordinators" -> id
    co_admins: dict[str, User] = field(default_factory=dict)
    residents: dict[str, User] = field(default_factory=dict)
    contacts: list[User] = field(default_factory=list)  # members of the regiegroep
    # the SQLite file named (with RELAYBOT_DATABASE_URL set: the folder of the heartbeat)
    database: Path | None = None

    @property
    def ctx(self) -> Context:
        """The running bot's shared context (its directory, texts, clock)."""
        return self.runtime.ctx

    @property
    def regie(self) -> int:
        return self.chats["regie"]

    async def settle(self, within: float = 15.0) -> None:
        """Wait until the bot has handled every update and delivered everything due."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        quiet = 0
        while loop.time() < deadline:
            if await self._at_rest():
                quiet += 1
                if quiet >= 2:  # twice in a row: nothing was in flight between the looks
                    return
            else:
                quiet = 0
            await asyncio.sleep(0.005)
        raise NotSettled(f"bot still busy after {within} s")

    async def _at_rest(self) -> bool:
        queue = self.emu.world.updates
        if queue.pending() or self.runtime.app.last_update_id < queue.fetched_up_to:
            return False
        return await self.runtime.delivered_all()

    def adopt(self, runtime: Runtime) -> None:
        """Carry on with a new runtime (after a restart). Updates the old one fetched count as
        handled; anything it left undone waits in the outbox and is the new one's to send."""
        runtime.app.last_update_id = max(
            runtime.app.last_update_id, self.emu.world.updates.fetched_up_to
        )
        self.runtime = runtime

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same emulator, database and network, as
        an operator's restart would: only what the database kept survives."""
        old = self.runtime
        ctx = old.ctx
        settings = load_settings(
            token=self.emu.token,
            api_base_url=self.emu.base_url,
            database=self.database or old.db.path,
            network_file=self.network.source_path,
            language=ctx.texts.language,
        )
        await old.stop()
        self.adopt(await build(settings, self.network, clock=ctx.clock))
        await self.runtime.start(poll_timeout=2.0)
        await self.settle()

    async def close(self) -> None:
        await self.runtime.stop()
        await self.emu.stop()

    # --- a resident talking to the bot privately (sign-up) -----------------------------------

    def newcomer(self, first_name: str, last_name: str, phone_number: str) -> User:
        """Someone who is in no chat yet, with a phone number their Telegram can share."""
        return self.emu.add_user(first_name, last_name, phone_number=phone_number)

    async def tell(self, user: User, *answers: str) -> None:
        """The user answers the bot privately, one answer at a time, as a person would: a
        label of the reply keyboard they see is pressed, anything else is typed. The word
        CONTACT presses the share-contact button."""
        for answer in answers:
            answer_privately(self.emu, user, answer)
            await self.settle()

    def private(self, user: User) -> list[str]:
        """What the bot said to the user privately, oldest first."""
        return [m.content or "" for m in self.emu.bot_messages(user.id)]


def answer_privately(emu: Emulator, user: User, answer: str) -> None:
    """The user answers the bot privately, as a person would: a label of the reply keyboard
    they see is pressed, anything else is typed; SHARE_CONTACT presses the share-contact
    button."""
    if answer == SHARE_CONTACT:
        emu.tap(user, _contact_button(emu, user))
    elif answer in emu.keyboard(user):
        emu.tap(user, answer)
    else:
        emu.post(user.id, user, answer)


def _contact_button(emu: Emulator, user: User) -> str:
    markup = emu.chat(user.id).keyboard or {}
    for row in markup.get("keyboard") or []:
        for button in row:
            if isinstance(button, dict) and button.get("request_contact"):
                return str(button["text"])
    raise AssertionError(f"the bot shows {user.full_name} no share-contact button")


def _person(emu: Emulator, n: int) -> User:
    return emu.add_user(FIRST[n % len(FIRST)], LAST[(n // len(FIRST) + n) % len(LAST)])


async def open_stage(
    network_file: Path,
    database: Path,
    *,
    language: str = "nl",
    clock: Callable[[], float] = time.time,
    emulator: Emulator | None = None,
    poll_timeout: float = 2.0,
) -> Stage:
    """Start an emulator with a group for every chat in the network, and the bot against it."""
    network = load_network(network_file)
    emu = emulator or Emulator()
    await emu.start()
    stage_people = 0
    contacts = [_person(emu, stage_people + i) for i in range(3)]
    stage_people += 3
    chats = {
        "regie": emu.add_group(
            "Regiegroep " + network.name,
            network.regie_chat_id,
            members=contacts,
            admins=contacts[:1],
        ).id
    }
    if network.coordinators_chat_id is not None:
        chats["coordinators"] = emu.add_group(
            "Coördinatoren " + network.name, network.coordinators_chat_id, members=contacts[:1]
        ).id
    co_admins: dict[str, User] = {}
    residents: dict[str, User] = {}
    spare_ids = iter(range(-1002000000001, -1002000001000, -1))  # groups not linked yet
    for slug, hood in network.neighbourhoods.items():
        co_admins[slug] = _person(emu, stage_people)
        residents[slug] = _person(emu, stage_people + 1)
        stage_people += 2
        chat_id = hood.chat_id or next(spare_ids)
        chat = emu.add_group(
            f"Buurtpreventie {hood.name}",
            chat_id,
            # Telegram numbers supergroups -100...; an id without that prefix is a basic group
            kind="supergroup" if str(chat_id).startswith("-100") else "group",
            members=[co_admins[slug], residents[slug]],
            admins=[co_admins[slug]],
        )
        chats[slug] = chat.id
    settings = load_settings(
        token=emu.token,
        api_base_url=emu.base_url,
        database=database,
        network_file=network_file,
        language=language,
    )
    try:
        runtime = await build(settings, network, clock=clock)
    except BaseException:
        await emu.stop()
        raise
    stage = Stage(emu, runtime, network, chats, co_admins, residents, contacts, database)
    try:
        await runtime.start(poll_timeout=poll_timeout)
        await stage.settle()
    except BaseException:
        await stage.close()  # a half-started bot and its emulator would outlive the failure
        raise
    return stage
