"""`relaybot demo`: the real bot against the built-in emulator, one scripted evening.

Needs no token and no network. Everyone in it is invented.
"""

from __future__ import annotations

import logging
import tempfile
from importlib import resources
from pathlib import Path

import structlog

from relaybot.emulator import Emulator
from relaybot.emulator.records import Message
from relaybot.stage import Stage, open_stage
from relaybot.storage import chats as chats_storage


def example_network() -> Path:
    """The example network: from the checkout when run there, else the packaged copy."""
    local = Path("config/network.example.toml")
    if local.exists():
        return local
    return Path(str(resources.files("relaybot").joinpath("data/network.example.toml")))


class Narrator:
    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.step = 0

    def say(self, line: str) -> None:
        self.step += 1
        print(f"  {self.step:>2}. {line}")

    def who(self, user_id: int) -> str:
        if user_id == self.stage.emu.bot_user.id:
            return "🤖 relaybot"
        user = self.stage.emu.world.users.get(user_id)
        return user.full_name if user else str(user_id)

    def chat(self, title: str, chat_id: int) -> None:
        messages = self.stage.emu.messages(chat_id)
        if not messages:
            return
        print(f"\n── {title} ──")
        for message in messages:
            print(self.line(message))

    def line(self, message: Message) -> str:
        content = (message.content or "").replace("\n", "\n        ")
        media = f"[{message.media}] " if message.media else ""
        reply = f" ↪ {message.reply_to}" if message.reply_to else ""
        edited = " (bewerkt)" if message.edited else ""
        buttons = "".join(f"  [{text}]" for row in message.buttons for text, _ in row)
        return (
            f"  {message.message_id:>3}{reply} {self.who(message.from_id)}{edited}:\n"
            f"        {media}{content}{buttons}"
        )


NARRATION: dict[str, dict[str, str]] = {
    "nl": {
        "title": "relaybot demo — de echte bot tegen de ingebouwde Telegram-emulator",
        "network": "netwerk: {path}  (iedereen hier is verzonnen; er is geen token nodig)",
        "evening": "De avond, stap voor stap:",
        "sighting": "{name} (bewoner, Goor Oost) ziet iets en meldt het in de buurtgroep.",
        "tag": "{name} (beheerder) zet het door naar de regiegroep: /regie met notitie.",
        "followup": "Een bewoner vult aan; de beheerder stuurt de aanvulling door.",
        "button": "{name} (Goor Centrum) belt 112 en drukt op de knop onder de melding.",
        "intent": '{name} (Markelo Zuid) wil ook bellen: "Zal ik 112 bellen?"',
        "forward": "{name} stuurt de melding ook door naar heel Markelo: /doorsturen markelo.",
        "police": "{name} zet een bericht van de wijkagent door naar alle buurten van Delden: "
        "/doorsturen delden (een melding vanuit de regiegroep).",
        "resolve": "{name} (regiegroep) ziet dat het voorbij is en sluit de melding af.",
        "list": "Iemand in de regiegroep vraagt welke meldingen nog open staan: /meldingen.",
        "seen": "Wat elke groep zag (eindstand, na bewerkingen):",
        "source": "Buurtpreventie Goor Oost (de bron)",
        "regie": "Regiegroep",
        "centrum": "Buurtpreventie Goor Centrum (buren)",
        "markelo": "Buurtpreventie Markelo Zuid (buren)",
        "noord": "Buurtpreventie Markelo Noord (doorgestuurd door de regiegroep)",
        "delden": "Buurtpreventie Delden Centrum (bericht van de regiegroep)",
        "quiet": "{count} buurtgroepen buiten de omgeving kregen niets (zo hoort het).",
        "prevented": "Dubbele 112-meldingen voorkomen: {count}",
    },
    "en": {
        "title": "relaybot demo — the real bot against the built-in Telegram emulator",
        "network": "network: {path}  (everyone here is invented; no token needed)",
        "evening": "The evening, step by step:",
        "sighting": "{name} (resident, Goor Oost) sees something and posts it in the group.",
        "tag": "{name} (co-admin) relays it to the steering group: /regie with a note.",
        "followup": "A resident adds news; the co-admin relays the update.",
        "button": "{name} (Goor Centrum) calls 112 and presses the button under the alert.",
        "intent": '{name} (Markelo Zuid) wants to call too: "Zal ik 112 bellen?"',
        "forward": "{name} forwards the alert to all of Markelo: /doorsturen markelo.",
        "police": "{name} passes a message from the community officer to every neighbourhood "
        "of Delden: /doorsturen delden (an alert from the steering group).",
        "resolve": "{name} (steering group) sees it is over and resolves the alert.",
        "list": "Someone in the steering group asks which alerts are still open: /meldingen.",
        "seen": "What each group saw (final state, after edits):",
        "source": "Neighbourhood watch Goor Oost (the source)",
        "regie": "Steering group",
        "centrum": "Neighbourhood watch Goor Centrum (neighbours)",
        "markelo": "Neighbourhood watch Markelo Zuid (neighbours)",
        "noord": "Neighbourhood watch Markelo Noord (forwarded by the steering group)",
        "delden": "Neighbourhood watch Delden Centrum (message from the steering group)",
        "quiet": "{count} neighbourhood groups further away received nothing (as it should be).",
        "prevented": "Duplicate 112 calls prevented: {count}",
    },
}


async def play(stage: Stage, language: str = "nl") -> None:
    emu, chats = stage.emu, stage.chats
    tell = Narrator(stage)
    say = NARRATION[language]
    oost, centrum, markelo = "goor-oost", "goor-centrum", "markelo-zuid"
    resident, co_admin = stage.residents[oost], stage.co_admins[oost]

    print("\n" + say["evening"])
    tell.say(say["sighting"].format(name=resident.full_name))
    sighting = emu.post(
        chats[oost], resident, "Twee mannen met zaklampen bij de schuren achter de Grotestraat"
    )
    await stage.settle()
    tell.say(say["tag"].format(name=co_admin.full_name))
    emu.post(
        chats[oost],
        co_admin,
        "/regie lijkt op de inbraken van vorige week",
        reply_to=sighting.message_id,
    )
    await stage.settle()
    tell.say(say["followup"])
    news = emu.post(
        chats[oost],
        resident,
        "Ze lopen nu richting de Markt, een draagt een rode jas",
        reply_to=sighting.message_id,
    )
    emu.post(chats[oost], co_admin, "/update", reply_to=news.message_id)
    await stage.settle()
    caller = stage.residents[centrum]
    alert = next(m for m in emu.bot_messages(chats[centrum]) if m.buttons)
    tell.say(say["button"].format(name=caller.full_name))
    emu.press(chats[centrum], alert.message_id, caller, data=alert.buttons[0][0][1])
    await stage.settle()
    neighbour = stage.residents[markelo]
    tell.say(say["intent"].format(name=neighbour.full_name))
    emu.post(chats[markelo], neighbour, "Zal ik 112 bellen?")
    await stage.settle()
    contact = stage.contacts[1]
    regie_copy = next(
        m for m in emu.bot_messages(stage.regie) if m.content and m.content.startswith("🚨")
    )
    tell.say(say["forward"].format(name=contact.full_name))
    emu.post(stage.regie, contact, "/doorsturen markelo", reply_to=regie_copy.message_id)
    await stage.settle()
    police = emu.post(
        stage.regie,
        stage.contacts[0],
        "Bericht van de wijkagent: let vannacht op busjes zonder kenteken in Delden",
    )
    tell.say(say["police"].format(name=stage.contacts[0].full_name))
    emu.post(stage.regie, stage.contacts[0], "/doorsturen delden", reply_to=police.message_id)
    await stage.settle()
    tell.say(say["resolve"].format(name=contact.full_name))
    emu.post(
        stage.regie,
        contact,
        "/afgehandeld politie heeft twee personen aangehouden",
        reply_to=regie_copy.message_id,
    )
    await stage.settle()
    tell.say(say["list"])
    emu.post(stage.regie, stage.contacts[2], "/meldingen")
    await stage.settle()

    print("\n" + say["seen"])
    tell.chat(say["source"], chats[oost])
    tell.chat(say["regie"], stage.regie)
    tell.chat(say["centrum"], chats[centrum])
    tell.chat(say["markelo"], chats[markelo])
    tell.chat(say["noord"], chats["markelo-noord"])
    tell.chat(say["delden"], chats["delden-centrum"])
    quiet = [s for s in stage.network.neighbourhoods if not emu.bot_messages(chats[s])]
    print("\n" + say["quiet"].format(count=len(quiet)))
    async with stage.runtime.db.reading() as conn:
        prevented = await chats_storage.counter_total(conn, "duplicates_prevented")
    print(say["prevented"].format(count=prevented))


async def run_demo(language: str = "nl") -> int:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.basicConfig(level=logging.ERROR)
    say = NARRATION[language]
    with tempfile.TemporaryDirectory(prefix="relaybot-demo-") as folder:
        network = example_network()
        print(say["title"])
        print(say["network"].format(path=network))
        emulator = Emulator()  # the demo's own, so that it is stopped whatever fails
        stage: Stage | None = None
        try:
            stage = await open_stage(
                network, Path(folder) / "demo.sqlite3", language=language, emulator=emulator
            )
            await play(stage, language)
        finally:
            if stage is not None:
                await stage.close()
            await emulator.stop()
    return 0
