"""The operator's files and guides say what the code does."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from relaybot.cli import parser
from relaybot.settings import Settings
from relaybot.telegram.handlers import COMMANDS, LINK_NAMES

ROOT = Path(__file__).resolve().parents[2]


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_the_guide_for_co_admins_names_every_chat_command() -> None:
    """docs/handleiding-beheerders.md shows every command the bot answers, with its aliases."""
    guide = read("docs/handleiding-beheerders.md")
    names = [name for names, _nl, _en in COMMANDS for name in names] + list(LINK_NAMES)
    missing = [name for name in names if not re.search(rf"/{name}\b", guide)]
    assert missing == []


def test_the_readme_names_every_cli_command_and_setting() -> None:
    """The README's command reference lists every `relaybot` subcommand, and its settings
    table every RELAYBOT_ variable."""
    readme = read("README.md")
    top = parser()
    sub = next(a for a in top._actions if a.dest == "command")  # argparse has no public way
    assert [name for name in sub.choices if f"`relaybot {name}" not in readme] == []
    variables = [f"RELAYBOT_{field.upper()}" for field in Settings.model_fields]
    assert [
        v for v in variables if v not in readme and v.removeprefix("RELAYBOT_") not in readme
    ] == []


def test_the_shipped_operator_files_exist_and_agree() -> None:
    """compose.yaml mounts the network file read-only and keeps the data in a volume; the
    systemd unit runs `relaybot run` from a checkout; the image exposes the webhook port and
    never takes in .env or the network file; the guides and licence exist."""
    compose = read("compose.yaml")
    assert "./config/network.toml:/app/config/network.toml:ro" in compose
    assert "relaybot-data:/app/data" in compose and "env_file: .env" in compose
    unit = read("deploy/relaybot.service")
    assert "ExecStart=/opt/relaybot/.venv/bin/relaybot run" in unit
    assert "ReadWritePaths=/opt/relaybot/data" in unit and "KillSignal=SIGTERM" in unit
    assert re.search(r"^EXPOSE 8443$", read("Dockerfile"), re.M)
    ignored = read(".dockerignore").split()
    assert ".env" in ignored and "config/network.toml" in ignored
    for name in ("CHANGELOG.md", "LICENSE", "docs/voor-bewoners.md"):
        assert read(name).strip(), name
    assert tomllib.loads(read("pyproject.toml"))["project"]["version"] in read("CHANGELOG.md")
