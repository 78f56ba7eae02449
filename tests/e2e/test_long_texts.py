"""Texts longer than Telegram takes arrive whole, in several messages, each headed
"(vervolg)" after the first; and removal in a basic group, where Telegram has no unban
(issue 24, items 2 and 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

from relaybot.sandbox.samples import write_big_network
from relaybot.sandbox.stage import open_stage
from tests.e2e.conftest import EXAMPLE, Clock, contents

CONTINUED = "(vervolg)"
REPORT = "⚠️ relaybot kan niet alles doen"


def parts(said: list[str], head: str) -> list[str]:
    """The first message starting with `head`, and the "(vervolg)" messages after it."""
    starts = [i for i, text in enumerate(said) if text.startswith(head)]
    if not starts:
        return []
    return [said[starts[0]]] + [t for t in said[starts[0] + 1 :] if t.startswith(CONTINUED)]


async def test_a_problem_report_about_thirty_groups_arrives_whole(
    tmp_path: Path, clock: Clock
) -> None:
    """30 neighbourhood groups where the bot is no administrator: the regiegroep gets the
    start-up problem report in several messages, each within Telegram's limit, the later
    ones headed "(vervolg)", and every group is named in exactly one of them."""
    network = write_big_network(tmp_path / "network.toml", 30)
    stage = await open_stage(network, tmp_path / "db.sqlite3", clock=clock)
    try:
        for index in range(30):
            stage.emu.set_admin(stage.chats[f"wijk-{index}"], stage.emu.bot_user, admin=False)
        await stage.restart()
        report = parts(contents(stage, stage.regie), REPORT)
        assert len(report) >= 2
        for index in range(30):
            line = (
                f"Wijk {index} (chat id {stage.chats[f'wijk-{index}']}): de bot is geen beheerder"
            )
            assert sum(line in part for part in report) == 1, index
    finally:
        await stage.close()


async def test_house_rules_longer_than_one_message_are_answered_in_full(
    tmp_path: Path, clock: Clock
) -> None:
    """A rules.md of about 6,000 characters: /regels answers with all of it, in order, in
    several messages, the later ones headed "(vervolg)"."""
    folder = tmp_path / "config"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "network.toml")
    rules = [
        f"Regel {n}: " + "houd de groep rustig en meld alleen wat telt. " * 2 for n in range(60)
    ]
    (folder / "rules.md").write_text(
        "# Huisregels\n\n" + "\n".join(f"- **{rule[:9]}** {rule[9:]}" for rule in rules),
        encoding="utf-8",
    )
    assert len((folder / "rules.md").read_text(encoding="utf-8")) > 6000
    stage = await open_stage(folder / "network.toml", tmp_path / "db.sqlite3", clock=clock)
    try:
        chat = stage.chats["goor-oost"]
        stage.emu.post(chat, stage.residents["goor-oost"], "/regels")
        await stage.settle()
        shown = parts(contents(stage, chat), "📜")
        assert len(shown) >= 2
        whole = "\n".join(shown)
        places = [whole.index(f"Regel {n}:") for n in range(60)]
        assert places == sorted(places)
    finally:
        await stage.close()


async def test_removal_in_a_basic_group_bans_and_says_so_on_the_card(
    tmp_path: Path, clock: Clock
) -> None:
    """Goor Oost is a basic group (no -100 id), where Telegram answers unbanChatMember with
    "method is available for supergroup and channel chats only": a co-admin's press bans
    the member, and the card loses its buttons and says the bot cannot undo it there."""
    folder = tmp_path / "config"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8").replace("-1001000000103", "-4000000103")
    (folder / "network.toml").write_text(text, encoding="utf-8")
    stage = await open_stage(folder / "network.toml", tmp_path / "db.sqlite3", clock=clock)
    try:
        chat = stage.chats["goor-oost"]
        assert stage.emu.chat(chat).type == "group"
        member = stage.emu.add_user("Yvonne", "Testbewoner")
        stage.emu.join(chat, member)
        for word in ("klootzak", "godverdomme", "KUT"):
            stage.emu.post(chat, member, f"Wat een {word} is dat")
            await stage.settle()
        card = next(
            m
            for m in stage.emu.bot_messages(chat)
            if (m.content or "").startswith("🚪 Verwijderen")
        )
        press = stage.emu.press(
            chat, card.message_id, stage.co_admins["goor-oost"], "🚪 Verwijderen"
        )
        await stage.settle()
        assert not stage.emu.chat(chat).is_member(member.id)
        shown = stage.emu.message(chat, card.message_id)
        assert "Verwijderd door" in (shown.content or "")
        assert "basisgroep" in (shown.content or "")
        assert shown.buttons == []
        assert "alleen een beheerder" in stage.emu.callback_answers[press]["text"]
    finally:
        await stage.close()
