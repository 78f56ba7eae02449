"""The playground in a real browser (Debian's Chromium, driven by Playwright for Python):
a person acts on the page and the real bot answers in every chat it should, and only there.

Playwright is the browser-automation library the Chromium and Firefox teams' own tooling is
built on, kept by Microsoft with a stable Python API; it drives the installed Chromium
(`executable_path`), so it never downloads a browser."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from relaybot.sandbox.playground.run import playground
from relaybot.sandbox.playground.server import Playground
from tests.browser.chromium import chromium, missing

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# the alert's neighbourhood, then the chats a tagged alert reaches (the regiegroep and the
# neighbourhoods adjacent to Goor Oost in the example network)
ORIGIN = "goor-oost"
REACHED = ["regie", "goor-centrum", "goor-noord", "goor-zuid", "markelo-zuid"]
WAIT_MS = 15_000


def playwright_api() -> Any:
    if importlib.util.find_spec("playwright") is None:
        missing("Playwright is needed for this test: pip install -e '.[dev]'")
    from playwright.async_api import async_playwright, expect

    return async_playwright, expect


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[tuple[Playground, str]]:
    async with playground(EXAMPLE, tmp_path / "playground.sqlite3", port=0) as started:
        yield started


@pytest.fixture
async def page(running: tuple[Playground, str]) -> AsyncIterator[Any]:
    binary = chromium()
    async_playwright, _expect = playwright_api()
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=binary, args=ARGS)
        try:
            tab = await browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            tab.on("pageerror", lambda error: errors.append(str(error)))
            await tab.goto(running[1])
            yield tab
            assert errors == []
        finally:
            await browser.close()


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
