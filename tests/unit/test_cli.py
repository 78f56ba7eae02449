"""The `relaybot` command line: check, demo, health."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaybot.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"

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


def test_demo_plays_the_evening_and_exits_zero(capsys: pytest.CaptureFixture) -> None:
    """`relaybot demo` runs the real bot against the emulator and prints what each chat saw:
    the tag, the 112 report, the prevented duplicate, a forward down, a regie-originated
    alert and the resolve."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "── Regiegroep ──" in out and "Melding #1" in out
    assert "112 gebeld om" in out and "112 is al gebeld" in out
    assert "Afgehandeld" in out and "Dubbele 112-meldingen voorkomen: 1" in out
    assert "doorgestuurd naar Markelo Centrum en Markelo Noord" in out
    assert "Melding #2 · de regiegroep" in out


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


def test_demo_in_english_narrates_and_the_bot_speaks_english(
    capsys: pytest.CaptureFixture,
) -> None:
    """`relaybot demo --language en`: English narration, and the bot's own texts in English."""
    assert main(["demo", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "The evening, step by step:" in out and "Alert #1" in out
    assert "112 was already called" in out and "Duplicate 112 calls prevented: 1" in out
    assert "Melding #" not in out and "De avond" not in out
