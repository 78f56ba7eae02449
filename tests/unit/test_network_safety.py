"""The network file refuses names with control characters and reports absurd nesting as one
line, through `relaybot check` as an operator runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaybot.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "network.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\u0000", "U+0000"), ("\\n", "U+000A"), ("\\u202e", "U+202E"), ("\\u001b[31m", "U+001B")],
)
def test_a_control_character_in_a_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture, escape: str, code: str
) -> None:
    """A NUL, a line break, a right-to-left override or a terminal escape in a
    neighbourhood's name is refused with one line naming the file, the entry and the
    character; exit non-zero."""
    path = broken(tmp_path, 'name = "Goor Centrum"', f'name = "Goor{escape}Centrum"')
    assert main(["check", "--network", str(path)]) != 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(path) in lines[0] and "goor-centrum" in lines[0] and code in lines[0]


def test_a_control_character_in_the_network_name_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """The same holds for the network's own name and for a kern."""
    path = broken(tmp_path, 'name = "Hof van Twente"', 'name = "Hof\\u0007van Twente"')
    assert main(["check", "--network", str(path)]) != 0
    assert "[network].name" in capsys.readouterr().err
    path = broken(tmp_path, 'kern = "Goor"', 'kern = "Go\\u0000or"')
    assert main(["check", "--network", str(path)]) != 0
    assert "kern" in capsys.readouterr().err


@pytest.mark.parametrize(
    "nesting",
    [
        "extra = " + "[" * 3000 + "]" * 3000,
        "extra = " + "{a = " * 3000 + "1" + "}" * 3000,
        "[policy]\nmax_warnings = " + "[" * 900 + "]" * 900,
    ],
    ids=["arrays", "inline-tables", "in-policy"],
)
def test_deep_nesting_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture, nesting: str
) -> None:
    """A file with thousands of nested arrays or tables (a RecursionError traceback before)
    is refused with one line naming the file; exit non-zero."""
    path = tmp_path / "network.toml"
    path.write_text(
        '[network]\nname = "Test"\n[regie]\nchat_id = -1001\n' + nesting + "\n", encoding="utf-8"
    )
    assert main(["check", "--network", str(path)]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and len(lines[0]) < 400, lines
