"""The operator's pattern file is read from beside the network file, wherever the bot runs."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from relaybot.domain.patterns import PatternsError
from relaybot.settings import load_settings
from relaybot.telegram.app import Runtime, build

EXAMPLE = Path(__file__).parents[2] / "config" / "network.example.toml"
OWN = """
called = ['\\bbrandalarm gehoord\\b']
intent = ['\\bwie belt\\b']
negative = []

[chatter]
patterns = ['\\bfijne zondag\\b']
unless = []
"""


@contextlib.asynccontextmanager
async def built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patterns: str | None = None
) -> AsyncIterator[Runtime]:
    """The bot built with its network file (and `patterns`, if given, beside it) in a folder
    of its own, started from another directory; closed again afterwards."""
    folder = tmp_path / "etc"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "network.toml")
    if patterns is not None:
        (folder / "patterns.toml").write_text(patterns, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no config/ here: only the network file's folder counts
    settings = load_settings(
        token="123:abc",
        api_base_url="http://127.0.0.1:9/bot",
        database=tmp_path / "relaybot.sqlite3",
        network_file=folder / "network.toml",
    )
    runtime = await build(settings)
    try:
        yield runtime
    finally:
        await runtime.db.close()
        assert runtime.lock is not None
        runtime.lock.release()


async def test_patterns_beside_the_network_file_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with built(tmp_path, monkeypatch, OWN) as runtime:
        assert runtime.ctx.patterns.classify("Brandalarm gehoord bij de school") == "called"
        assert runtime.ctx.patterns.classify("112 gebeld") is None  # the operator's list only
        assert runtime.cases.moderation.chatter.is_chatter("Fijne zondag allemaal")


async def test_without_a_file_of_its_own_the_shipped_patterns_serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with built(tmp_path, monkeypatch) as runtime:
        assert runtime.ctx.patterns.classify("112 gebeld") == "called"
        assert not runtime.cases.moderation.chatter.is_chatter("Fijne zondag allemaal")


async def test_a_broken_file_beside_the_network_file_stops_the_start_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(PatternsError, match=r"etc/patterns\.toml"):
        async with built(tmp_path, monkeypatch, "called = 'not a list'\n"):
            pass
