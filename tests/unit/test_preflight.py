"""What the bot must be allowed to do, decided without Telegram; the discover skeleton."""

from __future__ import annotations

from relaybot.domain.preflight import BotFacts, ChatFacts, Problem, describe, places, problems
from relaybot.domain.texts import Texts
from relaybot.network_file import parse_network
from relaybot.skeleton import Group, skeleton, slugify

ALL = {
    "can_delete_messages": True,
    "can_pin_messages": True,
    "can_invite_users": True,
    "can_restrict_members": True,
}
READS = BotFacts("proef_bot", True)


def test_privacy_mode_comes_first() -> None:
    """A bot that cannot read all group messages (privacy on, a plain member somewhere) has
    that as the first problem named."""
    found = problems(BotFacts("proef_bot", False), [ChatFacts("regie", -1, "member")])
    assert found == [Problem("preflight_privacy")]


def test_privacy_mode_does_not_matter_where_the_bot_is_an_administrator_everywhere() -> None:
    """Telegram lets an administrator bot read every message: no privacy warning then."""
    chats = [ChatFacts("regie", -1, "administrator", ALL), ChatFacts("dorp", -2, "creator")]
    assert problems(BotFacts("proef_bot", False), chats) == []


def test_each_chat_problem_is_named_once() -> None:
    """Missing, not an admin, and lacking rights are told per chat; a creator lacks nothing."""
    chats = [
        ChatFacts("noord", -1, "left"),
        ChatFacts("zuid", -2, "member"),
        ChatFacts("oost", -3, "administrator", {**ALL, "can_pin_messages": False}),
        ChatFacts("west", -4, "creator"),
    ]
    assert problems(READS, chats) == [
        Problem("preflight_missing", "noord", -1),
        Problem("preflight_not_admin", "zuid", -2),
        Problem("preflight_rights", "oost", -3, ("pin",)),
    ]


def test_regie_and_coordinators_need_membership_only() -> None:
    """The regie and coordinators' chats need the bot in them, not as an administrator."""
    chats = [ChatFacts("regie", -1, "member"), ChatFacts("coordinators", -2, "left")]
    assert problems(READS, chats) == [Problem("preflight_missing", "coordinators", -2)]


def test_a_problem_reads_as_one_line_in_either_language() -> None:
    """The rights are named in words, in the language asked."""
    problem = Problem("preflight_rights", "oost", -3, ("pin", "restrict"))
    for language, words in (("nl", "berichten vastzetten en leden beperken"), ("en", "pin")):
        texts = Texts(language)  # type: ignore[arg-type]
        line = describe(problem, texts, places(texts, {"oost": "Dorp Oost"}))
        assert "Dorp Oost (chat id -3)" in line and words in line and "\n" not in line


def test_slugs_from_titles() -> None:
    """Group titles become valid slugs: accents dropped, 'Buurtpreventie' left out."""
    assert slugify("Buurtpreventie Goor-Oost") == "goor-oost"
    assert slugify("BP Hengevelde Dorp 🚨") == "hengevelde-dorp"
    assert slugify("Coördinatie Delden") == "coordinatie-delden"
    assert slugify("Buurtpreventie") == "buurtpreventie"


def test_skeleton_is_a_valid_network_file() -> None:
    """The skeleton parses as a network file: regie and coordinators found by title, the
    other groups neighbourhoods with unique slugs and their chat ids."""
    text = skeleton(
        [
            Group(-11, "Buurtpreventie Dorp"),
            Group(-12, "Regiegroep Proefgemeente"),
            Group(-13, "Coördinatoren Proefgemeente"),
            Group(-14, 'Buurtpreventie "Dorp"'),
        ],
        name="Proefgemeente",
    )
    network = parse_network(text, "skeleton.toml")
    assert network.regie_chat_id == -12 and network.coordinators_chat_id == -13
    assert {s: h.chat_id for s, h in network.neighbourhoods.items()} == {"dorp": -11, "dorp-2": -14}


def test_skeleton_without_a_regie_title_asks_for_one() -> None:
    """Without a group named like the regiegroep, the file says where its chat id goes."""
    assert "put the regiegroep's chat id here" in skeleton([Group(-11, "Dorp")])
