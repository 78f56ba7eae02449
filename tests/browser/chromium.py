"""Finding Chromium (Debian's package) for the browser tests; skipped without it outside CI."""

from __future__ import annotations

import os
import shutil

import pytest

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
