"""`relaybot demo`: the real bot against the built-in emulator, one scripted evening.

Needs no token and no network. Everyone in it is invented.
"""

from __future__ import annotations

import logging
import tempfile
from importlib import resources
from pathlib import Path

import structlog

from relaybot.emulator.records import Message
from relaybot.stage import Stage, open_stage


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


async def play(stage: Stage) -> None:
    emu, chats = stage.emu, stage.chats
    tell = Narrator(stage)
    oost, centrum, markelo = "goor-oost", "goor-centrum", "markelo-zuid"
    resident, co_admin = stage.residents[oost], stage.co_admins[oost]

    print("\nDe avond, stap voor stap:")
    tell.say(f"{resident.full_name} (bewoner, Goor Oost) ziet iets en meldt het in de buurtgroep.")
    sighting = emu.post(
        chats[oost], resident, "Twee mannen met zaklampen bij de schuren achter de Grotestraat"
    )
    await stage.settle()
    tell.say(
        f"{co_admin.full_name} (beheerder) zet het door naar de regiegroep: /regie met notitie."
    )
    emu.post(
        chats[oost],
        co_admin,
        "/regie lijkt op de inbraken van vorige week",
        reply_to=sighting.message_id,
    )
    await stage.settle()
    tell.say("Een bewoner vult aan; de beheerder stuurt de aanvulling door.")
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
    tell.say(f"{caller.full_name} (Goor Centrum) belt 112 en drukt op de knop onder de melding.")
    emu.press(chats[centrum], alert.message_id, caller, data=alert.buttons[0][0][1])
    await stage.settle()
    neighbour = stage.residents[markelo]
    tell.say(f'{neighbour.full_name} (Markelo Zuid) wil ook bellen: "Zal ik 112 bellen?"')
    emu.post(chats[markelo], neighbour, "Zal ik 112 bellen?")
    await stage.settle()
    contact = stage.contacts[1]
    regie_copy = next(
        m for m in emu.bot_messages(stage.regie) if m.content and m.content.startswith("🚨")
    )
    tell.say(
        f"{contact.full_name} stuurt de melding ook door naar heel Markelo: /doorsturen markelo."
    )
    emu.post(stage.regie, contact, "/doorsturen markelo", reply_to=regie_copy.message_id)
    await stage.settle()
    police = emu.post(
        stage.regie,
        stage.contacts[0],
        "Bericht van de wijkagent: let vannacht op busjes zonder kenteken in Delden",
    )
    tell.say(
        f"{stage.contacts[0].full_name} zet een bericht van de wijkagent door naar alle "
        "buurten van Delden: /doorsturen delden (een melding vanuit de regiegroep)."
    )
    emu.post(stage.regie, stage.contacts[0], "/doorsturen delden", reply_to=police.message_id)
    await stage.settle()
    tell.say(f"{contact.full_name} (regiegroep) ziet dat het voorbij is en sluit de melding af.")
    emu.post(
        stage.regie,
        contact,
        "/afgehandeld politie heeft twee personen aangehouden",
        reply_to=regie_copy.message_id,
    )
    await stage.settle()
    tell.say("Iemand in de regiegroep vraagt welke meldingen nog open staan: /meldingen.")
    emu.post(stage.regie, stage.contacts[2], "/meldingen")
    await stage.settle()

    print("\nWat elke groep zag (eindstand, na bewerkingen):")
    tell.chat("Buurtpreventie Goor Oost (de bron)", chats[oost])
    tell.chat("Regiegroep", stage.regie)
    tell.chat("Buurtpreventie Goor Centrum (buren)", chats[centrum])
    tell.chat("Buurtpreventie Markelo Zuid (buren)", chats[markelo])
    tell.chat(
        "Buurtpreventie Markelo Noord (doorgestuurd door de regiegroep)", chats["markelo-noord"]
    )
    tell.chat("Buurtpreventie Delden Centrum (bericht van de regiegroep)", chats["delden-centrum"])
    quiet = [s for s in stage.network.neighbourhoods if not emu.bot_messages(chats[s])]
    print(f"\n{len(quiet)} buurtgroepen buiten de omgeving kregen niets (zo hoort het).")
    async with (
        stage.runtime.db.reading() as conn,
        conn.execute(
            "SELECT COALESCE(SUM(n), 0) FROM counters WHERE metric = 'duplicates_prevented'"
        ) as cursor,
    ):
        row = await cursor.fetchone()
    print(f"Dubbele 112-meldingen voorkomen: {row[0] if row else 0}")


async def run_demo(language: str = "nl") -> int:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="relaybot-demo-") as folder:
        network = example_network()
        print("relaybot demo — de echte bot tegen de ingebouwde Telegram-emulator")
        print(f"netwerk: {network}  (iedereen hier is verzonnen; er is geen token nodig)")
        stage = await open_stage(network, Path(folder) / "demo.sqlite3", language=language)
        try:
            await play(stage)
        finally:
            await stage.close()
    return 0
