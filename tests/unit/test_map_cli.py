"""`relaybot map import` and `relaybot check` with a map, as an operator runs them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from relaybot.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "relaybot" / "data" / "proefdorp-buurten.geojson"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("RELAYBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RELAYBOT_DATABASE", str(tmp_path / "data" / "relaybot.sqlite3"))


def imported(tmp_path: Path, capsys: pytest.CaptureFixture, *extra: str) -> Path:
    output = tmp_path / "config" / "network.toml"
    assert main(["map", "import", str(SAMPLE), "--output", str(output), *extra]) == 0
    return output


def test_import_writes_the_skeleton_and_the_map_and_says_what_it_found(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """The summary counts buurten, borders and kernen; the file names the map beside it."""
    output = imported(tmp_path, capsys, "--municipality", "GM9999")
    out = capsys.readouterr().out
    assert "12 buurten, 15 borders of at least 25 m, 3 kernen (Proefdorp, Beekveld, " in out
    assert (output.parent / "buurten.geojson").is_file()
    text = output.read_text(encoding="utf-8")
    assert '[map]\nfile = "buurten.geojson"' in text
    assert 'slug = "kasteelpark"\nname = "Kasteelpark"\nkern = "Proefdorp"\n' in text
    assert 'adjacent = ["centrum"]' in text


def test_import_replaces_nothing_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """A second import refuses, naming the file and --force, and leaves it as it was; with
    --force it replaces both files."""
    output = imported(tmp_path, capsys)
    output.write_text("# mine\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["map", "import", str(SAMPLE), "--output", str(output)]) == 2
    assert "exists: choose another --output, or add --force" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == "# mine\n"
    output.unlink()
    assert main(["map", "import", str(SAMPLE), "--output", str(output)]) == 2
    assert "buurten.geojson exists" in capsys.readouterr().err
    imported(tmp_path, capsys, "--force", "--min-border", "5")
    assert "16 borders of at least 5 m" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--municipality", "Nergensdorp"], "no buurten of municipality 'Nergensdorp'"),
        (["--min-border", "-1"], "--min-border must be 0 or more metres"),
        (["--code-field", "nope"], "feature #1 has no nope; see --code-field"),
    ],
)
def test_import_refuses_what_it_cannot_do_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], said: str
) -> None:
    """A wrong municipality, a negative minimum or a missing field: exit 2, one line, no file."""
    output = tmp_path / "network.toml"
    assert main(["map", "import", str(SAMPLE), "--output", str(output), *args]) == 2
    assert said in capsys.readouterr().err
    assert not output.exists()


def test_check_warns_about_borders_the_file_lacks_or_adds(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """Two neighbourhoods sharing 1000 m but not adjacent, and two adjacent without a border:
    warnings, and the file is still valid."""
    output = imported(tmp_path, capsys)
    text = output.read_text(encoding="utf-8").replace("chat_id = 0", "chat_id = -1001")
    text = text.replace(
        'adjacent = ["kasteelpark", "heivelden", "kerkebrink", "noordveld", "beekdal"]',
        'adjacent = ["kasteelpark", "kerkebrink", "noordveld", "beekdal", "hoge-wei"]',
    ).replace('adjacent = ["centrum", "zuideres", "esdoorn"]', 'adjacent = ["zuideres", "esdoorn"]')
    output.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--network", str(output), "--offline"]) == 0
    out = capsys.readouterr().out
    assert "warning: centrum and heivelden share 1000 m of border but are not adjacent" in out
    assert "warning: centrum and hoge-wei are adjacent but share no border" in out
    assert "12 buurten, 12 in neighbourhoods, 0 in none" in out and "valid" in out


def test_check_refuses_an_area_the_map_does_not_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """An area code not in the map fails the check, naming the neighbourhood and the code."""
    output = imported(tmp_path, capsys)
    text = output.read_text(encoding="utf-8").replace("chat_id = 0", "chat_id = -1001")
    output.write_text(text.replace('area = "BU99990102"', 'area = "BU00000000"'))
    capsys.readouterr()
    assert main(["check", "--network", str(output), "--offline"]) == 2
    err = capsys.readouterr().err
    assert "neighbourhood 'kasteelpark': area 'BU00000000' is not in the map" in err
