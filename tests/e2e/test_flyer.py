"""The flyer's QR code, scanned: the link it holds opens the bot and starts a sign-up for the
flyer's neighbourhood, which is what the regiegroep's card then proposes."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from relaybot.domain.texts import Texts
from relaybot.flyer import flyer
from relaybot.sandbox.stage import SHARE_CONTACT, Stage
from tests.qr import read_qr, svg_pixels

from .conftest import contents


def scanned(page: str) -> str:
    """What a phone's camera reads from the flyer's QR code."""
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg is not None
    link = read_qr(svg_pixels(svg.group(0)))
    assert link is not None
    return link


async def test_the_flyers_link_starts_a_sign_up_for_its_neighbourhood(stage: Stage) -> None:
    """The resident scans the Goor Oost flyer: Telegram sends /start with the link's
    parameter; the bot names Goor Oost before the first question, asks the usual questions,
    and the card in the regiegroep proposes Goor Oost, although the street typed belongs to
    Goor Noord's list (the regiegroep can still choose another)."""
    page = flyer(stage.network, "goor-oost", stage.runtime.app.bot.username, Texts("nl")).html
    link = scanned(page)
    assert urlsplit(link).path == f"/{stage.runtime.app.bot.username}"
    start = parse_qs(urlsplit(link).query)["start"][0]
    assert start == "aanmelden-goor-oost"

    wim = stage.newcomer("Wim", "Velthuis", "+31612340077")
    await stage.tell(wim, f"/start {start}")
    said = stage.private(wim)
    assert "U meldt zich aan voor de buurtgroep Goor Oost." in said[-2]
    await stage.tell(wim, "Ja", wim.full_name, "Kievitstraat 3", SHARE_CONTACT, "Akkoord")
    card = [line for line in contents(stage, stage.regie) if "Aanmelding #" in line][-1]
    assert "Goor Oost" in card and "Kievitstraat 3" in card and "Goor Noord" not in card


async def test_a_link_for_no_known_neighbourhood_starts_an_ordinary_sign_up(
    stage: Stage,
) -> None:
    """A start parameter naming no neighbourhood (an old flyer, a typo) starts the usual
    sign-up: no neighbourhood is named, the street decides."""
    anna = stage.newcomer("Anna", "Kroeze", "+31612340078")
    await stage.tell(anna, "/start aanmelden-verdwenen-buurt")
    assert not any("U meldt zich aan voor" in line for line in stage.private(anna))
    await stage.tell(anna, "Ja", anna.full_name, "Kievitstraat 5", SHARE_CONTACT, "Akkoord")
    card = [line for line in contents(stage, stage.regie) if "Aanmelding #" in line][-1]
    assert "Goor Noord" in card
