"""The flyer (`relaybot flyer`): what the A4 page says, its QR code read back with a decoder,
and the command's answers to bad input."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from relaybot.cli import main
from relaybot.domain.signup import chosen_hood
from relaybot.domain.texts import Texts
from relaybot.flyer import flyer
from relaybot.network_file import load_network
from tests.qr import read_qr, svg_pixels

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"
BOT = "hvt_buurtpreventie_bot"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No RELAYBOT_ setting from the developer's shell; files go to the test's folder."""
    for name in list(os.environ):
        if name.startswith("RELAYBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RELAYBOT_NETWORK_FILE", str(EXAMPLE))
    monkeypatch.chdir(tmp_path)


def test_the_flyers_qr_code_holds_the_sign_up_link_of_its_neighbourhood() -> None:
    """The QR code drawn on the flyer, read back by zxing-cpp, is the deep link that starts
    a sign-up for that neighbourhood; the link is written out beside it too."""
    network = load_network(EXAMPLE)
    made = flyer(network, "goor-oost", BOT, Texts("nl"))
    link = f"https://t.me/{BOT}?start=aanmelden-goor-oost"
    svg = re.search(r"<svg.*?</svg>", made.html, re.S)
    assert svg is not None
    assert read_qr(svg_pixels(svg.group(0))) == link
    assert link in made.html
    assert chosen_hood(network, link.split("start=")[1]) == "goor-oost"


def test_the_flyer_says_what_a_resident_needs_formally_and_fetches_nothing() -> None:
    """Name, SAAR, the house rules in short, how to join and the municipality's contact
    line; addressed as 'u' (never 'je' or 'jij'); an A4 print style; nothing loaded from
    elsewhere (the one address on it is the link, as text)."""
    network = load_network(EXAMPLE)
    page = flyer(network, "goor-zuid", BOT, Texts("nl")).html
    for expected in (
        "Buurtpreventie Goor Zuid (Het Lentfert)",
        "Zo werkt het: SAAR",
        "Signaleer",
        "Alarmeer",
        "De huisregels in het kort",
        "Meedoen? Meld u aan",
        "Vragen? buurtpreventie@hofvantwente.example, 14 0547",
        "size: A4",
    ):
        assert expected in page, expected
    words = re.findall(r"[a-zà-ÿ]+", re.sub(r"<[^>]+>", " ", page).lower())
    assert not {"je", "jij", "jou", "jouw", "jullie"} & set(words)
    assert "u" in words
    assert not re.search(r"(src|href)=\"?https?:", page)
    assert "Content-Security-Policy" in page


def test_the_flyer_in_english() -> None:
    page = flyer(load_network(EXAMPLE), "goor-oost", BOT, Texts("en")).html
    assert "Neighbourhood watch Goor Oost" in page and "Want to join? Sign up" in page


def test_flyer_writes_one_page_or_one_per_neighbourhood(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`relaybot flyer SLUG --output FILE` writes that file; `--all` one per neighbourhood
    into a folder; each says where it went."""
    assert main(["flyer", "goor-oost", "--bot", BOT, "--no-pdf", "--output", "oost.html"]) == 0
    assert "aanmelden-goor-oost" in (tmp_path / "oost.html").read_text(encoding="utf-8")
    assert main(["flyer", "--all", "--bot", f"@{BOT}", "--no-pdf", "--output", "alle"]) == 0
    slugs = list(load_network(EXAMPLE).neighbourhoods)
    assert sorted(p.name for p in (tmp_path / "alle").iterdir()) == sorted(
        f"flyer-{slug}.html" for slug in slugs
    )
    assert f"https://t.me/{BOT}?start=aanmelden-ambt-delden" in (
        tmp_path / "alle" / "flyer-ambt-delden.html"
    ).read_text(encoding="utf-8")
    assert "written to alle/flyer-goor-oost.html" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["flyer", "nergens", "--bot", BOT], "no neighbourhood 'nergens' in the network file"),
        (["flyer", "--bot", BOT], "give one neighbourhood's slug, or --all"),
        (["flyer", "goor-oost", "--all", "--bot", BOT], "give one neighbourhood's slug, or"),
        (["flyer", "goor-oost"], "needs the bot's username: give --bot NAME"),
    ],
)
def test_flyer_refuses_bad_input_with_one_line(
    args: list[str], said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown slug (the known ones listed), no slug, a slug and --all, or no way to
    know the bot's username: exit 2, one line saying what to do, no file written."""
    assert main(args) == 2
    assert said in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_start_parameter_chooses_a_neighbourhood_only_when_it_names_one() -> None:
    """'aanmelden-<slug>' (the flyer's) chooses that neighbourhood; plain 'aanmelden', an
    unknown slug or something else chooses none."""
    network = load_network(EXAMPLE)
    assert chosen_hood(network, "aanmelden-goor-oost") == "goor-oost"
    for start in ("", "aanmelden", "aanmelden-", "aanmelden-nergens", "goor-oost", "x-goor-oost"):
        assert chosen_hood(network, start) is None, start
