"""The coverage map: every buurt in its state, a public page without chat ids or incidents,
the page keeps the report's Content-Security-Policy, the HTML report shows the same map."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from relaybot.cli import main
from relaybot.domain.texts import Texts
from relaybot.geo.areamap import AreaMap
from relaybot.network_file import load_network
from relaybot.reports.coverage import map_section, to_page

SAMPLE = Path(__file__).resolve().parents[2] / "relaybot" / "data" / "proefdorp-buurten.geojson"


def proefdorp(folder: Path) -> Path:
    """The sample map imported; centrum and heivelden have a chat, kerkebrink a name that
    needs escaping; merged: noordveld covers Esdoorn too."""
    output = folder / "network.toml"
    assert main(["map", "import", str(SAMPLE), "--output", str(output)]) == 0
    text = output.read_text(encoding="utf-8").replace("chat_id = 0", "chat_id = -1009000")
    text = text.replace('slug = "centrum"\n', 'slug = "centrum"\nchat_id = -1009001\n')
    text = text.replace('slug = "heivelden"\n', 'slug = "heivelden"\nchat_id = -1009002\n')
    text = text.replace('name = "Kerkebrink"', 'name = "Kerk <&> brink"')
    output.write_text(text, encoding="utf-8")
    return output


@pytest.fixture
def network_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("RELAYBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RELAYBOT_DATABASE", str(tmp_path / "none.sqlite3"))
    path = proefdorp(tmp_path)
    monkeypatch.setenv("RELAYBOT_NETWORK_FILE", str(path))
    return path


def states(page: str) -> dict[str, str]:
    """Buurt code -> the state its path is drawn in."""
    found = re.findall(r'<path class="buurt (\w+)" data-code="(\w+)"', page)
    return {code: state for state, code in found}


def test_each_buurt_in_its_state_with_its_name_on_hover(network_file: Path) -> None:
    """Linked and active: green; linked and quiet: amber; no group: grey. Every buurt of the
    map is a path with a <title>, names escaped; the table lists them with the chat ids."""
    network = load_network(network_file)
    section = map_section(
        network,
        AreaMap.read(SAMPLE),
        {"kerkebrink": -1009003},  # linked with /koppel
        Texts("nl"),
        inactive={"heivelden": True},
        incidents={"centrum": 4},
    )
    page = to_page(network, section, Texts("nl"), "2026-12-07 20:00")
    found = states(page)
    assert len(found) == 12
    assert found["BU99990101"] == "active"  # centrum
    assert found["BU99990103"] == "quiet"  # heivelden
    assert found["BU99990104"] == "active"  # kerkebrink, linked at run time
    assert found["BU99990102"] == "none"  # kasteelpark
    assert "<title>Kerkebrink · Kerk &lt;&amp;&gt; brink: actieve groep</title>" in page
    assert "<title>Heivelden: groep, maar stil (langer dan 60 dagen)</title>" in page
    assert "-1009001" in page and "-1009003" in page
    assert "<td>4</td>" in page


def test_the_public_page_shows_coverage_only(network_file: Path) -> None:
    """--public: states and names, no chat id, no incident count, and the call to start one."""
    network = load_network(network_file)
    section = map_section(
        network, AreaMap.read(SAMPLE), {}, Texts("nl"), {}, {"centrum": 4}, public=True
    )
    page = to_page(network, section, Texts("nl"), "")
    assert "-10090" not in page and "<th>meldingen</th>" not in page and "<td>4</td>" not in page
    assert "Is er nog geen groep in uw buurt?" in page
    assert len(states(page)) == 12


def test_the_page_has_no_script_and_keeps_the_content_security_policy(
    network_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """`relaybot map` writes one self-contained page: the CSP of the report, no script, no
    address outside it (the SVG namespace aside); it says what it drew."""
    output = tmp_path / "kaart.html"
    assert main(["map", "--output", str(output), "--public"]) == 0
    assert "12 buurten, 2 with an active group, 0 quiet, 10 without a group" in (
        capsys.readouterr().out
    )
    page = output.read_text(encoding="utf-8")
    assert "default-src 'none'" in page and "<script" not in page
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"]


@pytest.mark.parametrize(
    ("args", "said"),
    [(["--period", "gisteren"], "--period moet een datum zijn"), ([], "names no map")],
)
def test_map_refuses_a_bad_period_or_a_network_without_map(
    network_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], said: str
) -> None:
    """A period that is no date, or a network file without [map]: one line, exit 2."""
    if not args:
        text = network_file.read_text(encoding="utf-8")
        network_file.write_text(text.replace('[map]\nfile = "buurten.geojson"\n', ""))
    assert main(["map", "--output", str(tmp_path / "k.html"), *args]) == 2
    assert said in capsys.readouterr().err


async def test_the_html_report_shows_the_map_when_one_is_configured(
    network_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """`relaybot report --format html` on a network with a map has the map section."""
    from relaybot.storage.db import Database

    database = await Database(os.environ["RELAYBOT_DATABASE"]).open()
    await database.close()
    output = tmp_path / "report.html"
    assert main(["report", "--format", "html", "--output", str(output)]) == 0
    page = output.read_text(encoding="utf-8")
    assert len(states(page)) == 12 and "<script" not in page
