"""Finding Chromium (Debian's package) for the browser tests; skipped without it outside CI."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HINT = "Chromium is needed for this test: apt-get install -y chromium (.ci/run does)"


def missing(hint: str) -> None:
    """Outside CI a missing tool skips the test (with the hint); in CI, which installs it
    (.ci/run), its absence means the set-up broke: the test fails."""
    if os.environ.get("CI"):
        pytest.fail(hint)
    pytest.skip(hint)


def chromium() -> str:
    """The Chromium binary. Without one the test is skipped (with the install hint), except
    in CI, which installs Chromium (.ci/run): there its absence fails the test."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        missing(HINT)
    assert found is not None
    return found


def playwright_api() -> Any:
    """Playwright's async entry point and its ``expect`` (skipped without Playwright outside
    CI, as without Chromium)."""
    if importlib.util.find_spec("playwright") is None:
        missing("Playwright is needed for this test: pip install -e '.[dev]'")
    from playwright.async_api import async_playwright, expect

    return async_playwright, expect


@asynccontextmanager
async def browser_tab(width: int = 1280, height: int = 900) -> AsyncIterator[Any]:
    """A fresh tab in Debian's Chromium, driven by Playwright; the browser is closed after."""
    binary = chromium()
    async_playwright, _expect = playwright_api()
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=binary, args=ARGS)
        try:
            yield await browser.new_page(viewport={"width": width, "height": height})
        finally:
            await browser.close()
