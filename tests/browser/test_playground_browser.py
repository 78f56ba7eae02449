"""The playground in a real browser (Debian's Chromium, driven by Playwright for Python):
a person acts on the page and the real bot answers in every chat it should, and only there.

Playwright is the browser-automation library the Chromium and Firefox teams' own tooling is
built on, kept by Microsoft with a stable Python API; it drives the installed Chromium
(`executable_path`), so it never downloads a browser."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from relaybot.sandbox.playground.run import playground
from relaybot.sandbox.playground.server import Playground
from tests.browser.chromium import browser_tab, playwright_api

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"
# the alert's neighbourhood, then the chats a tagged alert reaches (the regiegroep and the
# neighbourhoods adjacent to Goor Oost in the example network)
ORIGIN = "goor-oost"
REACHED = ["regie", "goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"]
WAIT_MS = 15_000


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[tuple[Playground, str]]:
    async with playground(EXAMPLE, tmp_path / "playground.sqlite3", port=0) as started:
        yield started


@pytest.fixture
async def page(running: tuple[Playground, str]) -> AsyncIterator[Any]:
    async with browser_tab() as tab:
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        await tab.goto(running[1])
        yield tab
        assert errors == []


async def open_chat(page: Any, title: str) -> None:
    await page.get_by_role("tab", name=title).click()
    await page.locator("#chat-title", has_text=title).wait_for(timeout=WAIT_MS)


async def become(page: Any, name: str) -> None:
    await page.get_by_role("button", name=f"Word deze persoon: {name}").click()


async def say(page: Any, text: str) -> None:
    await page.locator("#text").fill(text)
    await page.locator("#text").press("Enter")


def message(page: Any, text: str) -> Any:
    """The messages of the open chat whose own text (not a quoted reply) holds `text`."""
    return page.locator("#messages .message").filter(has=page.locator(".text", has_text=text))


async def test_a_sighting_tagged_on_the_page_reaches_the_right_chats_and_112_changes_every_copy(
    running: tuple[Playground, str], page: Any
) -> None:
    """A resident posts a sighting, the co-admin replies /regie: the alert appears in the
    regiegroep and the adjacent groups and not in the others; a neighbour presses the 112
    button under one copy and every copy shows who called."""
    _, expect = playwright_api()
    stage = running[0].stage
    hoods = stage.network.neighbourhoods
    title = {slug: f"Buurtpreventie {hood.name}" for slug, hood in hoods.items()}
    title["regie"] = f"Regiegroep {stage.network.name}"

    await open_chat(page, title[ORIGIN])
    await become(page, stage.residents[ORIGIN].full_name)
    await say(page, "Twee mannen met zaklampen bij de schuren")
    sighting = message(page, "Twee mannen met zaklampen")
    await expect(sighting).to_have_count(1, timeout=WAIT_MS)

    await become(page, stage.co_admins[ORIGIN].full_name)
    await sighting.get_by_role("button", name="Beantwoorden").click()
    await expect(page.locator("#replying")).to_be_visible()
    await say(page, "/regie lijkt op vorige week")
    await expect(message(page, "/regie")).to_have_count(1, timeout=WAIT_MS)

    for slug in REACHED:
        await open_chat(page, title[slug])
        await expect(message(page, "🚨 Melding")).to_have_count(1, timeout=WAIT_MS)
        await expect(message(page, "🚨 Melding")).to_contain_text("zaklampen")
    await stage.settle()
    for slug in set(hoods) - set(REACHED) - {ORIGIN}:
        await open_chat(page, title[slug])
        await expect(message(page, "🚨 Melding")).to_have_count(0)

    await open_chat(page, title["goor-centrum"])
    caller = stage.residents["goor-centrum"]
    await become(page, caller.full_name)
    await message(page, "🚨 Melding").get_by_role("button", name="Ik heb 112 gebeld").click()
    called = f"door {caller.full_name} (Goor Centrum)"
    for slug in REACHED:
        await open_chat(page, title[slug])
        alert = message(page, "🚨 Melding")
        await expect(alert).to_contain_text(called, timeout=WAIT_MS)
        await expect(alert).to_contain_text("bewerkt")
        await expect(alert.get_by_role("button", name="Ik heb 112 gebeld")).to_have_count(0)


async def answered(page: Any, does: Any) -> None:
    """Do something in the open chat and wait for the bot's next message there."""
    _, expect = playwright_api()
    bot = page.locator("#messages .message.bot")
    before = await bot.count()
    await does
    await expect(bot).to_have_count(before + 1, timeout=WAIT_MS)


def press(page: Any, label: str) -> Any:
    """A button of the bot's reply keyboard."""
    return page.locator("#keyboard").get_by_role("button", name=label, exact=True).click()


async def test_a_newcomer_signs_up_through_the_private_chat_on_the_page(
    running: tuple[Playground, str], page: Any
) -> None:
    """Someone new, added on the page, signs up privately with the bot (typing, pressing
    its keyboard buttons, sharing their number); a contact person admits them from the
    card in the regiegroep; they open the link they got and end up in the group."""
    _, expect = playwright_api()
    stage = running[0].stage
    await page.locator("#more summary").click()
    person = page.locator("#person-form")
    await person.get_by_label("Voornaam").fill("Jorien")
    await person.get_by_label("Achternaam").fill("Brinkhuis")
    await person.get_by_label("Telefoonnummer").fill("+31612340001")
    await person.get_by_role("button", name="Toevoegen").click()
    await page.locator("#chat-title", has_text="Privé: Jorien Brinkhuis").wait_for()

    await answered(page, say(page, "/aanmelden"))
    await expect(message(page, "18 jaar of ouder")).to_have_count(1)
    await answered(page, press(page, "Ja"))
    await answered(page, say(page, "Jorien Brinkhuis"))
    await answered(page, say(page, "Kievitstraat 12"))
    await answered(page, press(page, "📱 Deel mijn nummer"))
    await expect(message(page, "📇 Jorien Brinkhuis")).to_have_count(1)
    await expect(message(page, "SAAR")).not_to_have_count(0)
    await answered(page, press(page, "Akkoord"))
    await expect(message(page, "ligt nu bij de regiegroep")).to_have_count(1)

    await open_chat(page, f"Regiegroep {stage.network.name}")
    await become(page, stage.contacts[1].full_name)
    card = message(page, "Aanmelding #1")
    await expect(card).to_contain_text("Kievitstraat 12", timeout=WAIT_MS)
    await card.get_by_role("button", name="Toelaten").click()
    await expect(card).to_contain_text("Toegelaten tot Goor Noord", timeout=WAIT_MS)

    await open_chat(page, "Privé: Jorien Brinkhuis")
    admitted = message(page, "toegelaten tot")
    await expect(admitted).to_have_count(1, timeout=WAIT_MS)
    link = stage.emu.calls_to("createChatInviteLink")[-1].result_or_error["invite_link"]
    await expect(admitted).to_contain_text(link)
    await page.locator("#join-form").get_by_label("Link").fill(link)
    await page.locator("#join-form").get_by_role("button", name="Openen").click()
    await page.locator("#chat-title", has_text="Buurtpreventie Goor Noord").wait_for()
    members = page.locator("#members li", has_text="Jorien Brinkhuis")
    await expect(members).to_contain_text("bewoner", timeout=WAIT_MS)
    await open_chat(page, "Privé: Jorien Brinkhuis")
    await expect(message(page, "Welkom in Goor Noord")).to_have_count(1, timeout=WAIT_MS)


async def test_the_demos_evening_plays_on_the_page(
    running: tuple[Playground, str], page: Any
) -> None:
    """The evening, played at once from the page: every step is ticked off, and the chats
    show it happened (the alert in the regiegroep, resolved; 112 called; /meldingen)."""
    _, expect = playwright_api()
    stage = running[0].stage
    evening = page.locator('details[data-scene="evening"]')
    await evening.locator("summary").click()
    await evening.get_by_role("button", name="Volgende stap").click()
    await expect(evening.locator("li.done")).to_have_count(1, timeout=WAIT_MS)
    await expect(evening.locator("li.done")).to_contain_text("21:40")
    await evening.get_by_role("button", name="Alles afspelen").click()
    await expect(evening.locator("li.done")).to_have_count(9, timeout=60_000)
    await expect(evening.locator("summary")).to_contain_text("stap 9 van 9")

    await open_chat(page, f"Regiegroep {stage.network.name}")
    alert = message(page, "🚨 Melding #1")
    await expect(alert).to_contain_text("112 gebeld om")
    await expect(alert).to_contain_text("Afgehandeld: politie")
    await expect(message(page, "Open meldingen")).to_have_count(1)
    await open_chat(page, "Buurtpreventie Goor Oost")
    await expect(message(page, "zaklampen")).not_to_have_count(0)
