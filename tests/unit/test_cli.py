"""The `relaybot` command line: check, demo, health."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from relaybot.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"
# a safety net, not a measurement: the demo takes seconds; a demo that fails and leaves
# something running (a database thread, the emulator) must not hold up the test run
DEMO_TIMEOUT = 180


def run_demo_command(*args: str, script: str | None = None) -> subprocess.CompletedProcess[str]:
    """`relaybot demo` in a process of its own, killed (and the test failed) if it outlives
    DEMO_TIMEOUT: whatever a failing demo leaves behind dies with that process. `script`
    runs instead of `python -m relaybot demo` (to break something first)."""
    command = ["-c", script] if script else ["-m", "relaybot", "demo", *args]
    try:
        return subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=DEMO_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"`relaybot demo` did not end within {DEMO_TIMEOUT} s: {exc.stderr!r}")


BROKEN = {
    "unknown adjacent slug": (
        'adjacent = ["goor-oost", "goor-west"]',
        'adjacent = ["goor-nergens"]',
        "goor-nergens",
    ),
    "duplicate chat id": ("chat_id = -1001000000102", "chat_id = -1001000000101", "-1001000000101"),
    "malformed slug": ('slug = "goor-west"', 'slug = "Goor West"', "Goor West"),
}


def test_check_accepts_the_example_and_prints_a_summary(capsys: pytest.CaptureFixture) -> None:
    """`relaybot check --network` on the shipped example exits 0 and lists kernen and chats."""
    assert main(["check", "--network", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Goor" in out and "Markelo" in out and "Bentelo" in out
    assert "goor-oost" in out and "/koppel" in out and "valid" in out


@pytest.mark.parametrize("case", list(BROKEN))
def test_check_refuses_a_broken_file_naming_the_entry(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """Each broken rule gives a non-zero exit and a message naming the file and the entry."""
    old, new, named = BROKEN[case]
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "network.toml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["check", "--network", str(broken)]) != 0
    err = capsys.readouterr().err
    assert str(broken) in err and named in err


def test_check_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A network file that does not exist is named in the error, exit non-zero."""
    assert main(["check", "--network", str(tmp_path / "nope.toml")]) != 0
    assert "nope.toml" in capsys.readouterr().err


def test_demo_plays_the_evening_and_exits_zero() -> None:
    """`relaybot demo` runs the real bot against the emulator and prints what each chat saw:
    the tag, the 112 report, the prevented duplicate, a forward down, a regie-originated
    alert and the resolve. A demo that fails ends (run in its own process, with a timeout)."""
    done = run_demo_command()
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "── Regiegroep ──" in out and "Melding #1" in out
    assert "112 gebeld om" in out and "112 is al gebeld" in out
    assert "Afgehandeld" in out and "Dubbele 112-meldingen voorkomen: 1" in out
    assert "doorgestuurd naar Markelo Centrum en Markelo Noord" in out
    assert "Melding #2 · de regiegroep" in out


BROKEN_PATTERNS_DEMO = """
import sys
import relaybot.telegram.app as app
from relaybot.cli import main
from relaybot.domain.patterns import PatternsError

def broken(path=None):
    raise PatternsError("config/patterns.toml", "made unreadable by the test")

app.load_patterns = broken
sys.exit(main(["demo"]))
"""


def test_a_demo_whose_patterns_fail_to_load_ends_with_the_error() -> None:
    """When pattern loading fails as the bot is built (the database is open, the emulator is
    serving), the demo stops both and the process ends with the error, instead of living on."""
    done = run_demo_command(script=BROKEN_PATTERNS_DEMO)
    assert done.returncode != 0
    assert "config/patterns.toml: made unreadable by the test" in done.stderr


BROKEN_MODERATION_DEMO = """
import sys
import relaybot.telegram.app as app
from relaybot.cli import main

class Broken:
    @staticmethod
    def create(*args, **kwargs):
        raise OSError("config/blocklist.txt: made unreadable by the test")

app.UseCases = Broken
sys.exit(main(["demo"]))
"""


def test_a_demo_whose_moderation_files_fail_to_load_ends_with_the_error() -> None:
    """The use cases read the operator's moderation files after the database is open; when
    that fails, the demo's process still ends, with the error."""
    done = run_demo_command(script=BROKEN_MODERATION_DEMO)
    assert done.returncode != 0
    assert "OSError: config/blocklist.txt: made unreadable by the test" in done.stderr


def test_health_fails_without_a_heartbeat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """`relaybot health` exits non-zero when the bot never wrote its heartbeat, 0 when fresh."""
    monkeypatch.setenv("RELAYBOT_DATABASE", str(tmp_path / "db.sqlite3"))
    assert main(["health"]) != 0
    (tmp_path / "heartbeat").touch()
    assert main(["health"]) == 0


def test_packaged_example_matches_the_config_folder() -> None:
    """The copy shipped inside the package (for the demo outside a checkout) is the example."""
    packaged = ROOT / "relaybot" / "data" / "network.example.toml"
    assert packaged.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")


def test_demo_in_english_narrates_and_the_bot_speaks_english() -> None:
    """`relaybot demo --language en`: English narration, and the bot's own texts in English."""
    done = run_demo_command("--language", "en")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "The evening, step by step:" in out and "Alert #1" in out
    assert "112 was already called" in out and "Duplicate 112 calls prevented: 1" in out
    assert "Melding #" not in out and "De avond" not in out
