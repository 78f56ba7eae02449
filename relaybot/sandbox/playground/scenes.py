"""Scripted scenes to start from, played on the page step by step or at once: the demo's
evening, a sign-up, a false alarm, a flood. Each step acts through the emulator as a person
would; the bot answers as it would in Telegram. Everyone in them is invented."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from relaybot.sandbox.demo import NARRATION
from relaybot.sandbox.emulator.records import User
from relaybot.sandbox.evening import CENTRUM, EVENING, MARKELO, OOST, Step, narrated
from relaybot.sandbox.stage import SHARE_CONTACT, NotSettled, Stage

PAUSE = 0.4  # seconds between the steps of a scene played at once, to watch it unfold
NEWCOMERS = [("Jorien", "Brinkhuis"), ("Milan", "Oosterveld"), ("Sanne", "Keizer")]
STREET = "Kievitstraat 12"  # Goor Noord's
HOOD_FALSE_ALARM, HOOD_FLOOD = "goor-west", "markelo-noord"

EVENING_HOODS = (OOST, CENTRUM, MARKELO, "markelo-noord", "delden-centrum")
Run = dict[str, Any]  # what one playing of a scene remembers between its steps
Act = Callable[[Stage, Run], Awaitable[None]]


@dataclass(frozen=True)
class SceneStep:
    caption: Callable[[Stage, dict[str, str], Run], str]
    act: Act


@dataclass
class Scene:
    key: str
    steps: list[SceneStep]
    needs: tuple[str, ...]  # the example network's neighbourhoods the scene plays in
    done: int = 0
    run: Run = field(default_factory=dict)


# --- the demo's evening ----------------------------------------------------------------------


def evening_step(step: Step, language: str) -> SceneStep:
    said = NARRATION[language]

    async def act(stage: Stage, _run: Run) -> None:
        await step.act(stage)

    return SceneStep(lambda stage, _t, _r: f"{step.at} {narrated(step, stage, said)}", act)


# --- a sign-up through the private chat ------------------------------------------------------


def free_name(stage: Stage) -> tuple[str, str]:
    """An invented name nobody in the playground has yet."""
    taken = {u.full_name for u in stage.emu.world.users.values()}
    free = [n for n in NEWCOMERS if " ".join(n) not in taken]
    return free[0] if free else ("Nieuwe", f"Bewoner {len(taken)}")


def newcomer(stage: Stage, run: Run) -> User:
    """The scene's newcomer, made at its first step: in no chat yet, with a phone number."""
    if "newcomer" not in run:
        first, last = free_name(stage)
        number = f"+3161234{len(stage.emu.world.users):04d}"
        run["newcomer"] = stage.newcomer(first, last, number)
    user: User = run["newcomer"]
    return user


async def ask_to_sign_up(stage: Stage, run: Run) -> None:
    await stage.tell(newcomer(stage, run), "/aanmelden")


async def answer_questions(stage: Stage, run: Run) -> None:
    user = newcomer(stage, run)
    await stage.tell(user, "Ja", user.full_name, STREET)


async def share_and_agree(stage: Stage, run: Run) -> None:
    await stage.tell(newcomer(stage, run), SHARE_CONTACT, "Akkoord")


async def admit(stage: Stage, run: Run) -> None:
    name = newcomer(stage, run).full_name
    card = [
        m for m in stage.emu.bot_messages(stage.regie) if name in (m.content or "") and m.buttons
    ][-1]
    stage.emu.press(stage.regie, card.message_id, stage.contacts[1], data=card.buttons[0][0][1])


async def join(stage: Stage, run: Run) -> None:
    user = newcomer(stage, run)
    made = stage.emu.calls_to("createChatInviteLink")[-1]
    link = made.result_or_error["invite_link"]
    chat = int(made.params["chat_id"])
    stage.emu.request_join(chat, user, link)


def named(key: str) -> Callable[[Stage, dict[str, str], Run], str]:
    def caption(stage: Stage, texts: dict[str, str], run: Run) -> str:
        name = run["newcomer"].full_name if "newcomer" in run else " ".join(free_name(stage))
        return texts[key].format(name=name, street=STREET)

    return caption


def sign_up() -> list[SceneStep]:
    return [
        SceneStep(named("signup_1"), ask_to_sign_up),
        SceneStep(named("signup_2"), answer_questions),
        SceneStep(named("signup_3"), share_and_agree),
        SceneStep(named("signup_4"), admit),
        SceneStep(named("signup_5"), join),
    ]


# --- a false alarm and a flood -----------------------------------------------------------------


async def suspicious(stage: Stage, run: Run) -> None:
    hood = HOOD_FALSE_ALARM
    run["original"] = stage.emu.post(
        stage.chats[hood], stage.residents[hood], "Een busje rijdt al een uur langzaam rondjes"
    )


async def tag_it(stage: Stage, run: Run) -> None:
    hood = HOOD_FALSE_ALARM
    stage.emu.post(
        stage.chats[hood], stage.co_admins[hood], "/regie", reply_to=run["original"].message_id
    )


async def retract(stage: Stage, run: Run) -> None:
    hood = HOOD_FALSE_ALARM
    stage.emu.post(
        stage.chats[hood],
        stage.co_admins[hood],
        "/intrekken het was de bezorger van de nieuwe buren",
        reply_to=run["original"].message_id,
    )


async def flood(stage: Stage, _run: Run) -> None:
    hood = HOOD_FLOOD
    for n in range(1, 13):
        stage.emu.post(
            stage.chats[hood], stage.residents[hood], f"Wie heeft mijn kat gezien? ({n})"
        )


def told(key: str, hood: str) -> Callable[[Stage, dict[str, str], Run], str]:
    def caption(stage: Stage, texts: dict[str, str], _run: Run) -> str:
        return texts[key].format(
            resident=stage.residents[hood].full_name,
            co_admin=stage.co_admins[hood].full_name,
            hood=stage.network.neighbourhoods[hood].name,
        )

    return caption


def scenes(language: str) -> dict[str, Scene]:
    return {
        "evening": Scene(
            "evening", [evening_step(step, language) for step in EVENING], EVENING_HOODS
        ),
        "signup": Scene("signup", sign_up(), ("goor-noord",)),
        "false_alarm": Scene(
            "false_alarm",
            [
                SceneStep(told("false_1", HOOD_FALSE_ALARM), suspicious),
                SceneStep(told("false_2", HOOD_FALSE_ALARM), tag_it),
                SceneStep(told("false_3", HOOD_FALSE_ALARM), retract),
            ],
            (HOOD_FALSE_ALARM,),
        ),
        "flood": Scene("flood", [SceneStep(told("flood_1", HOOD_FLOOD), flood)], (HOOD_FLOOD,)),
    }


class Director:
    """Plays the scenes, one step at a time, never two steps at once."""

    def __init__(self, stage: Stage, language: str, texts: dict[str, str]) -> None:
        self.stage = stage
        self.texts = texts
        hoods = set(stage.network.neighbourhoods)
        # on another network than the example, only the scenes whose places it has
        self.scenes = {k: s for k, s in scenes(language).items() if set(s.needs) <= hoods}
        self.lock = asyncio.Lock()
        self.playing: asyncio.Task[None] | None = None
        self.problem = ""

    def busy(self) -> bool:
        return self.lock.locked() or (self.playing is not None and not self.playing.done())

    def scene(self, key: Any) -> Scene | None:
        return self.scenes.get(key) if isinstance(key, str) else None

    async def step(self, key: str) -> None:
        """The scene's next step (from the start again once it has ended), then the bot's
        answers."""
        scene = self.scenes[key]
        async with self.lock:
            if scene.done >= len(scene.steps):
                scene.done, scene.run = 0, {}
            self.problem = ""
            try:
                await scene.steps[scene.done].act(self.stage, scene.run)
                await self.stage.settle()
            except (NotSettled, LookupError) as error:  # shown on the page; the next try goes on
                self.problem = self.texts["scene_failed"].format(reason=error)
            scene.done += 1

    def play(self, key: str) -> None:
        """The rest of the scene, step after step, in the background."""
        scene = self.scenes[key]
        if scene.done >= len(scene.steps):
            scene.done, scene.run = 0, {}

        async def rest() -> None:
            while scene.done < len(scene.steps):
                await self.step(key)
                await asyncio.sleep(PAUSE)

        self.playing = asyncio.ensure_future(rest())

    async def stop(self) -> None:
        if self.playing is not None:
            self.playing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.playing

    def shown(self) -> list[dict[str, Any]]:
        """Each scene with its steps' captions and how far it got."""
        return [
            {
                "key": key,
                "title": self.texts[f"scene_{key}"],
                "steps": [s.caption(self.stage, self.texts, scene.run) for s in scene.steps],
                "done": scene.done,
            }
            for key, scene in self.scenes.items()
        ]
