"""Proefdorp: a small invented town for trying the set-up by hand (`relaybot emulator --town`)
and for the test of the operating guide's walk-through (docs/operating.md).

A regiegroep and three neighbourhood groups, set up the way an operator often finds them:
the bot is an administrator in the regiegroep and in Oost, an administrator without the pin
right in Noord, and a plain member in Zuid. Someone says hello in each group, so that
`relaybot discover` sees them all.
"""

from __future__ import annotations

import asyncio

from relaybot.sandbox.emulator import Emulator, User

REGIE, NOORD, ZUID, OOST = -1001000000901, -1001000000902, -1001000000903, -1001000000904


def build_town(emu: Emulator) -> dict[str, User]:
    """The groups and their people; returns the people by first name."""
    anna = emu.add_user("Anna", "Veldkamp")  # contact person, co-admin in Noord
    bram = emu.add_user("Bram", "Schutte")  # co-admin in Zuid and Oost
    carla = emu.add_user("Carla", "Wiggers")  # resident of Noord
    emu.add_group("Regiegroep Proefdorp", REGIE, members=[anna], admins=[anna])
    emu.add_group("Buurtpreventie Proefdorp Noord", NOORD, members=[anna, carla], admins=[anna])
    emu.set_bot_rights(NOORD, can_pin_messages=False)
    emu.add_group(
        "Buurtpreventie Proefdorp Zuid", ZUID, members=[bram], admins=[bram], bot_is_admin=False
    )
    emu.add_group("Buurtpreventie Proefdorp Oost", OOST, members=[bram], admins=[bram])
    return {"anna": anna, "bram": bram, "carla": carla}


def greet(emu: Emulator, people: dict[str, User]) -> None:
    """Someone says hello in every group."""
    emu.post(REGIE, people["anna"], "Goedenavond allemaal")
    emu.post(NOORD, people["carla"], "Hallo buren")
    emu.post(ZUID, people["bram"], "Test")
    emu.post(OOST, people["bram"], "Welkom in de groep")


async def echo_bot_messages(emu: Emulator, every: float = 0.5) -> None:
    """Print what the bot sends or edits in each group, as it happens (until cancelled)."""
    seen: dict[tuple[int, int], tuple[str, int]] = {}
    while True:
        for chat in list(emu.world.chats.values()):
            for message in list(chat.messages.values()):
                if not message.from_bot or message.service:
                    continue
                key, now = (chat.id, message.message_id), (message.content or "", message.edited)
                if seen.get(key) != now:
                    verb = "edited" if key in seen else "says"
                    seen[key] = now
                    body = now[0].replace("\n", "\n    ")
                    print(f"[{chat.title}] relaybot {verb}:\n    {body}", flush=True)
        await asyncio.sleep(every)
