"""What the bot must be allowed to do, decided without Telegram; the discover skeleton."""

from __future__ import annotations

import pytest

from relaybot.domain.preflight import BotFacts, ChatFacts, Problem, describe, places, problems
from relaybot.domain.texts import Texts
from relaybot.network_file import NetworkError, parse_network
from relaybot.skeleton import Group, choose_regie, clean_title, hood_name, skeleton, slugify

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


def filled_in(text: str) -> str:
    """The skeleton as the operator leaves it: each kern written."""
    return text.replace('kern = "TODO"', 'kern = "Dorp"')


def test_skeleton_is_a_valid_network_file_once_the_kernen_are_written() -> None:
    """With the regiegroep chosen and the kernen filled in, the skeleton parses as a network
    file: the coordinators found by title, the other groups neighbourhoods with unique slugs,
    their chat ids and their names without "Buurtpreventie"; as written (kern "TODO") it
    does not."""
    groups = [
        Group(-11, "Buurtpreventie Dorp"),
        Group(-12, "Regiegroep Proefgemeente"),
        Group(-13, "Coördinatoren Proefgemeente"),
        Group(-14, 'Buurtpreventie "Dorp"'),
    ]
    text = skeleton(groups, name="Proefgemeente", regie=groups[1])
    with pytest.raises(NetworkError, match="kern is still 'TODO'"):
        parse_network(text, "skeleton.toml")
    network = parse_network(filled_in(text), "skeleton.toml")
    assert network.regie_chat_id == -12 and network.coordinators_chat_id == -13
    assert {s: h.chat_id for s, h in network.neighbourhoods.items()} == {"dorp": -11, "dorp-2": -14}
    assert [h.name for h in network.neighbourhoods.values()] == ["Dorp", '"Dorp"']


def test_skeleton_without_a_regie_title_asks_for_one() -> None:
    """Without a group named like the regiegroep, the file says where its chat id goes."""
    assert "put the regiegroep's chat id here" in skeleton([Group(-11, "Dorp")])


def test_the_regiegroep_is_never_guessed_among_several() -> None:
    """Two groups titled like the regiegroep (a stranger's among them) and nobody chose: the
    file names both in a TODO and keeps chat_id = 0, which `relaybot check` refuses, instead
    of sending every sign-up card to whichever spoke first."""
    groups = [Group(-21, "Regiegroep (niet van ons)"), Group(-22, "Regiegroep Proefdorp")]
    text = skeleton(groups)
    assert "# TODO: several group titles say 'regie'" in text
    assert "#   -21  Regiegroep (niet van ons)" in text and "#   -22  Regiegroep Proefdorp" in text
    assert "\nchat_id = 0\n" in text
    with pytest.raises(NetworkError, match=r"\[regie\]\.chat_id"):
        parse_network(filled_in(text), "skeleton.toml")


def test_choosing_the_regiegroep() -> None:
    """One group titled like it: taken, and said. Several or none: asked by number (a wrong
    answer is said and asked again; Enter, end of input or Ctrl-C leave the TODO); nobody
    to ask (not a terminal): not chosen."""
    said: list[str] = []
    one = [Group(-31, "Dorp"), Group(-32, "Regie Dorp")]
    assert choose_regie(one, None, said.append) == one[1] and "Regie Dorp" in said[-1]
    several = [Group(-33, "Regiegroep A"), Group(-34, "Regiegroep B"), Group(-35, "Dorp")]
    assert choose_regie(several, None, said.append) is None
    answers = iter(["twee", "7", " 2\n"])
    said.clear()
    assert choose_regie(several, lambda _prompt: next(answers), said.append) == several[1]
    assert "  3  -35  Dorp" in said
    assert [line for line in said if "none of the numbers 1 to 3" in line] == [
        "'twee' is none of the numbers 1 to 3",
        "'7' is none of the numbers 1 to 3",
    ]
    assert choose_regie([Group(-35, "Dorp")], lambda _prompt: "\n", said.append) is None

    def interrupted(_prompt: str) -> str:
        raise KeyboardInterrupt

    assert choose_regie(several, interrupted, said.append) is None


def test_titles_cannot_inject_lines_into_the_file() -> None:
    """A title is anyone's to choose: line breaks and control characters in it become spaces,
    in the names and in the comments, so a title cannot add TOML lines (a [regie] of its
    own) to the file."""
    sneaky = 'Dorp"\n[regie]\nchat_id = -99\n\u202e\x1b[31m# '
    assert clean_title(sneaky) == 'Dorp" [regie] chat_id = -99 [31m#'
    groups = [Group(-41, "Regiegroep\r\nchat_id = -98"), Group(-42, sneaky)]
    text = skeleton(groups, regie=groups[0])
    network = parse_network(filled_in(text), "skeleton.toml")
    assert network.regie_chat_id == -41
    assert [line for line in text.splitlines() if line.startswith(("[regie]", "chat_id"))] == [
        "[regie]",
        "chat_id = -41  # Regiegroep chat_id = -98",
        "chat_id = -42",
    ]


def test_names_lose_the_kind_of_group_they_are() -> None:
    """ "Buurtpreventie ", "BP - ", "WhatsApp " and the like say what kind of group it is, not
    where: the name goes without them (a name that is nothing else stays)."""
    assert hood_name("Buurtpreventie Proefdorp Noord (Proefdorp)") == "Proefdorp Noord (Proefdorp)"
    assert hood_name("BP - Hengevelde Dorp") == "Hengevelde Dorp"
    assert hood_name("WhatsApp Buurtpreventie: Goor-Oost") == "Goor-Oost"
    assert hood_name("Buurt Zuid") == "Buurt Zuid"
    assert hood_name("Bpstraat") == "Bpstraat"
    assert hood_name("Buurtpreventie") == "Buurtpreventie"
