"""The operator's files: read from beside the network file, wherever the bot runs, falling back
to the defaults shipped in the package; never tracked by git."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from relaybot.domain.patterns import PatternsError
from relaybot.settings import load_settings
from relaybot.telegram.app import Runtime, build

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"
# every file the README tells an operator to create or edit in config/
OPERATOR_FILES = (
    "network.toml",
    "rules.md",
    "rules.en.md",
    "blocklist.txt",
    "patterns.toml",
)
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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **own: str
) -> AsyncIterator[Runtime]:
    """The bot built with its network file (and the operator's `own` files, by name with the
    dot as `_`, beside it) in a folder of its own, started from another directory; closed
    again afterwards."""
    folder = tmp_path / "etc"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "network.toml")
    for name, text in own.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
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
    async with built(tmp_path, monkeypatch, patterns_toml=OWN) as runtime:
        assert runtime.ctx.patterns.classify("Brandalarm gehoord bij de school") == "called"
        assert runtime.ctx.patterns.classify("112 gebeld") is None  # the operator's list only
        assert runtime.cases.moderation.chatter.is_chatter("Fijne zondag allemaal")


async def test_without_files_of_its_own_the_shipped_defaults_serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a network file in the folder: the patterns, blocklist and rules shipped inside the
    package serve (config/ in the repository holds none of them any more)."""
    async with built(tmp_path, monkeypatch) as runtime:
        moderation = runtime.cases.moderation
        assert runtime.ctx.patterns.classify("112 gebeld") == "called"
        assert not moderation.chatter.is_chatter("Fijne zondag allemaal")
        assert moderation.blocklist.hits("wat een godverdomme weer")
        assert "SAAR" in moderation.show_rules()


async def test_rules_and_blocklist_beside_the_network_file_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with built(
        tmp_path, monkeypatch, rules_md="# Huisregels van Proefdorp\n", blocklist_txt="prutser\n"
    ) as runtime:
        moderation = runtime.cases.moderation
        assert moderation.blocklist.hits("wat een prutser")
        assert not moderation.blocklist.hits("wat een godverdomme weer")
        assert "Proefdorp" in moderation.show_rules()


async def test_a_broken_file_beside_the_network_file_stops_the_start_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(PatternsError, match=r"etc/patterns\.toml"):
        async with built(tmp_path, monkeypatch, patterns_toml="called = 'not a list'\n"):
            pass


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], check=False, capture_output=True, text=True
    )


@pytest.fixture
def checkout() -> None:
    if shutil.which("git") is None or _git("rev-parse", "--is-inside-work-tree").returncode:
        pytest.skip("not a git checkout")


@pytest.mark.usefixtures("checkout")
@pytest.mark.parametrize("name", OPERATOR_FILES)
def test_an_edited_operator_file_leaves_git_status_clean(name: str) -> None:
    """Whatever the operator creates or edits in config/ is ignored by git and not tracked (git
    reports a tracked file as not ignored), so `git status` stays clean and `git pull` never
    aborts over it."""
    assert _git("check-ignore", "-q", f"config/{name}").returncode == 0


@pytest.mark.usefixtures("checkout")
def test_config_tracks_only_examples() -> None:
    """The repository's config/ holds examples only; the defaults ship inside the package."""
    tracked = _git("ls-files", "config").stdout.split()
    assert tracked and all(".example." in name or name.endswith("README.md") for name in tracked)
    for name in ("rules.md", "rules.en.md", "blocklist.txt", "patterns.toml"):
        assert (ROOT / "relaybot" / "data" / name).is_file()
