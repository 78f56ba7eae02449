"""The demo's evening as steps: who does what, when. `relaybot demo` prints it as it unfolds;
the playground plays it on its page, step by step or at once. Everyone in it is invented."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from relaybot.sandbox.emulator.records import Message, User
from relaybot.sandbox.stage import Stage

OOST, CENTRUM, MARKELO = "goor-oost", "goor-centrum", "markelo-zuid"
SIGHTING = "Twee mannen met zaklampen bij de schuren achter de Grotestraat"


@dataclass(frozen=True)
class Step:
    """One moment of the evening: its time, what the narration calls it (a key of the
    demo's NARRATION), the person it names, and what happens."""

    at: str
    tells: str
    who: Callable[[Stage], User | None]
    act: Callable[[Stage], Awaitable[None]]


def nobody(_stage: Stage) -> None:
    return None


def sighting(stage: Stage) -> Message:
    """The resident's message the evening is about (the latest, when played again)."""
    chat = stage.emu.chat(stage.chats[OOST])
    return [m for m in chat.messages.values() if m.content == SIGHTING][-1]


def regie_copy(stage: Stage) -> Message:
    """The evening's alert as the regiegroep has it (the latest, when played again)."""
    return [
        m
        for m in stage.emu.bot_messages(stage.regie)
        if (m.content or "").startswith("🚨") and "zaklampen" in (m.content or "")
    ][-1]


async def post_sighting(stage: Stage) -> None:
    stage.emu.post(stage.chats[OOST], stage.residents[OOST], SIGHTING)


async def tag(stage: Stage) -> None:
    stage.emu.post(
        stage.chats[OOST],
        stage.co_admins[OOST],
        "/regie lijkt op de inbraken van vorige week",
        reply_to=sighting(stage).message_id,
    )


async def follow_up(stage: Stage) -> None:
    news = stage.emu.post(
        stage.chats[OOST],
        stage.residents[OOST],
        "Ze lopen nu richting de Markt, één draagt een rode jas",
        reply_to=sighting(stage).message_id,
    )
    stage.emu.post(stage.chats[OOST], stage.co_admins[OOST], "/update", reply_to=news.message_id)


async def press_112(stage: Stage) -> None:
    chat = stage.chats[CENTRUM]
    alert = [m for m in stage.emu.bot_messages(chat) if m.buttons][-1]
    stage.emu.press(chat, alert.message_id, stage.residents[CENTRUM], data=alert.buttons[0][0][1])


async def intent(stage: Stage) -> None:
    stage.emu.post(stage.chats[MARKELO], stage.residents[MARKELO], "Zal ik 112 bellen?")


async def forward(stage: Stage) -> None:
    reply_to = regie_copy(stage).message_id
    stage.emu.post(stage.regie, stage.contacts[1], "/doorsturen markelo", reply_to=reply_to)


async def police(stage: Stage) -> None:
    officer = stage.emu.post(
        stage.regie,
        stage.contacts[0],
        "Bericht van de wijkagent: let vannacht op busjes zonder kenteken in Delden",
    )
    stage.emu.post(
        stage.regie, stage.contacts[0], "/doorsturen delden", reply_to=officer.message_id
    )


async def resolve(stage: Stage) -> None:
    stage.emu.post(
        stage.regie,
        stage.contacts[1],
        "/afgehandeld politie heeft twee personen aangehouden",
        reply_to=regie_copy(stage).message_id,
    )


async def list_open(stage: Stage) -> None:
    stage.emu.post(stage.regie, stage.contacts[2], "/meldingen")


EVENING = [
    Step("21:40", "sighting", lambda s: s.residents[OOST], post_sighting),
    Step("21:42", "tag", lambda s: s.co_admins[OOST], tag),
    Step("21:45", "followup", nobody, follow_up),
    Step("21:47", "button", lambda s: s.residents[CENTRUM], press_112),
    Step("21:48", "intent", lambda s: s.residents[MARKELO], intent),
    Step("21:51", "forward", lambda s: s.contacts[1], forward),
    Step("21:56", "police", lambda s: s.contacts[0], police),
    Step("22:20", "resolve", lambda s: s.contacts[1], resolve),
    Step("22:24", "list", nobody, list_open),
]


def narrated(step: Step, stage: Stage, said: dict[str, str]) -> str:
    """The step as the narration tells it, with the name of the person it is about."""
    person = step.who(stage)
    return said[step.tells].format(name=person.full_name if person else "")
