"""The Dutch a resident or co-admin reads, as a native reader would want it (issue 28): one
register (the formal "u") in the bot's texts, the house rules and the guides; one photo rule
in every text that states it; and the guides' words matching what the bot really does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from relaybot.domain.texts import en, nl

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "relaybot" / "data"
GUIDES = ("voor-bewoners.md", "handleiding-beheerders.md")

# the informal pronouns; "je" also in "Dank je", "houd je aan", "meld je aan"
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jouwe|jullie|jezelf)\b", re.IGNORECASE)


def _plain(text: str) -> str:
    """Text with markup and line breaks folded, so a phrase split over lines is found."""
    return " ".join(re.sub(r"<[^>]+>|[*_`]", "", text).split())


def _dutch_sources() -> dict[str, str]:
    sources = {f"nl.TEXTS[{key!r}]": text for key, text in nl.TEXTS.items()}
    sources["rules.md"] = (DATA / "rules.md").read_text(encoding="utf-8")
    for guide in GUIDES:
        sources[guide] = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    from relaybot.telegram.handlers import bot_commands  # the command menu Telegram shows

    for command in bot_commands("nl"):
        sources[f"menu /{command.command}"] = command.description
    return sources


def test_every_dutch_text_says_u() -> None:
    """Nothing the bot or the guides say to residents and co-admins uses "je", "jij",
    "jouw" or "jullie": the register is the formal "u" throughout."""
    informal = {
        name: sorted({m.group(0) for m in INFORMAL.finditer(_plain(text))})
        for name, text in _dutch_sources().items()
        if INFORMAL.search(_plain(text))
    }
    assert informal == {}


PHOTO_NL = "een foto van een verdachte alleen als die echt nodig is voor het signalement"
PHOTO_EN = "a photo of a suspect only when it is really needed for the description"


@pytest.mark.parametrize(
    ("name", "text", "rule"),
    [
        ("rules.md", (DATA / "rules.md").read_text(encoding="utf-8"), PHOTO_NL),
        ("voor-bewoners.md", (ROOT / "docs" / "voor-bewoners.md").read_text("utf-8"), PHOTO_NL),
        ("signup_ask_rules", nl.TEXTS["signup_ask_rules"], PHOTO_NL),
        ("remind_photo", nl.TEXTS["remind_photo"], PHOTO_NL),
        ("flyer_rule_photo", nl.TEXTS["flyer_rule_photo"], PHOTO_NL),
        ("rules.en.md", (DATA / "rules.en.md").read_text(encoding="utf-8"), PHOTO_EN),
        ("en signup_ask_rules", en.TEXTS["signup_ask_rules"], PHOTO_EN),
        ("en remind_photo", en.TEXTS["remind_photo"], PHOTO_EN),
        ("en flyer_rule_photo", en.TEXTS["flyer_rule_photo"], PHOTO_EN),
    ],
)
def test_the_photo_rule_is_the_same_in_every_text(name: str, text: str, rule: str) -> None:
    """The house rules, the residents' guide, the sign-up's rules, the bot's reminder and the
    flyer state one photo rule (as the municipalities' own rules do): a photo of a suspect
    only when the description really needs it; so none forbids what another allows."""
    assert rule in _plain(text).lower(), name


@pytest.mark.parametrize(
    ("wrong", "why"),
    [
        ("een draagt", "'één draagt' (one of them), not the article"),
        ("door door", "a doubled 'door'"),
        ("Start-up-controle", "not Dutch: 'controle bij de start'"),
        ("112-vinkje", "the bot shows a ☎️ line, not a tick"),
    ],
)
def test_the_guides_and_the_demo_have_no_known_slips(wrong: str, why: str) -> None:
    """The slips a native reader found are gone from the guides, the bot's texts and the
    demo's residents."""
    texts = [*_dutch_sources().values()]
    texts.append((ROOT / "relaybot" / "sandbox" / "evening.py").read_text(encoding="utf-8"))
    assert not any(wrong.lower() in _plain(text).lower() for text in texts), why


def _section(guide: str, heading: str) -> str:
    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    start = text.index(heading)
    end = text.find("\n### ", start + 1)
    return _plain(text[start : end if end > 0 else None])


def test_the_guide_says_what_appears_after_regie() -> None:
    """After /regie the co-admin's group gets the confirmation (which later gains a line
    saying how many groups received it) and, when a neighbour has no group yet, a second
    message naming it: the guide says so instead of promising one line."""
    section = _section("handleiding-beheerders.md", "### `/regie")
    assert "één regel" not in section
    done = _plain(nl.TEXTS["tag_done"]).split("{")[0]  # "✅ Melding #"
    assert done in section
    assert _plain(nl.TEXTS["settled_received"]).split("{")[1].split("}")[1].strip() in section
    assert _plain(nl.TEXTS["tag_unlinked"]).split("{")[0].strip() in section
