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


def test_the_command_reference_names_every_cli_command_and_the_guide_every_setting() -> None:
    """docs/commands.md lists every `relaybot` subcommand, and the settings table of
    docs/operating.md every RELAYBOT_ variable."""
    reference = read("docs/commands.md")
    top = parser()
    sub = next(a for a in top._actions if a.dest == "command")  # argparse has no public way
    assert [name for name in sub.choices if f"`relaybot {name}" not in reference] == []
    operating = read("docs/operating.md")
    variables = [f"RELAYBOT_{field.upper()}" for field in Settings.model_fields]
    assert [
        v for v in variables if v not in operating and v.removeprefix("RELAYBOT_") not in operating
    ] == []


def test_the_readme_is_a_five_minute_read_that_starts_with_the_two_commands() -> None:
    """The README is at most 250 lines, and its first code block holds exactly the two set-up
    commands for a fresh machine: the demo on the built-in emulator, and the tests."""
    lines = read("README.md").splitlines()
    assert len(lines) <= 250
    start = lines.index("```sh")
    block = lines[start + 1 : lines.index("```", start + 1)]
    assert start < 5 and len(block) == 2
    assert block[0].endswith(".venv/bin/relaybot demo")
    assert block[1].endswith(".venv/bin/pytest")


def test_the_shipped_operator_files_exist_and_agree() -> None:
    """compose.yaml mounts the whole config folder read-only (the network file and the
    operator's own rules, blocklist and patterns) and keeps the data in a volume; the
    systemd unit runs `relaybot run` from a checkout; the image exposes the webhook port and
    never takes in .env or the config folder; the guides and licence exist."""
    compose = read("compose.yaml")
    assert "./config:/app/config:ro" in compose
    assert "relaybot-data:/app/data" in compose and "env_file: .env" in compose
    unit = read("deploy/relaybot.service")
    assert "ExecStart=/opt/relaybot/.venv/bin/relaybot run" in unit
    assert "ReadWritePaths=/opt/relaybot/data" in unit and "KillSignal=SIGTERM" in unit
    assert re.search(r"^EXPOSE 8443$", read("Dockerfile"), re.M)
    ignored = read(".dockerignore").split()
    assert ".env" in ignored and "config" in ignored
    assert not re.search(r"^COPY config", read("Dockerfile"), re.M)
    for name in ("CHANGELOG.md", "LICENSE", "docs/voor-bewoners.md"):
        assert read(name).strip(), name
    assert tomllib.loads(read("pyproject.toml"))["project"]["version"] in read("CHANGELOG.md")


def test_ci_runs_the_readme_test_command_with_the_watchdog_on() -> None:
    """.ci/run ends with the README's test command, exactly; before it, it turns on Python's
    faulthandler and refuses to run with the per-test watchdog (`test_timeout`, read from
    pyproject.toml by that command) switched off, so a hung test ends with its stacks."""
    readme_command = next(
        line for line in read("README.md").splitlines() if line.endswith(".venv/bin/pytest")
    )
    lines = [line for line in read(".ci/run").splitlines() if line and not line.startswith("#")]
    assert lines[-1] == readme_command
    assert "export PYTHONFAULTHANDLER=1" in lines[:-1]
    assert any("test_timeout" in line for line in lines[:-1])
    ini = tomllib.loads(read("pyproject.toml"))["tool"]["pytest"]["ini_options"]
    assert int(ini["test_timeout"]) > 0
