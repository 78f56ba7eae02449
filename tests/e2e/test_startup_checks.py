"""Start-up checks: who the bot is, how it runs, and what people must fix in Telegram."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import structlog

from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.stage import Stage, open_stage
from tests.e2e.conftest import EXAMPLE, Clock


@pytest.fixture
async def private_stage(tmp_path: Path, clock: Clock) -> AsyncIterator[Stage]:
    """The example network with group privacy mode on (BotFather's default)."""
    emu = Emulator(privacy_mode=True)
    opened = await open_stage(EXAMPLE, tmp_path / "relaybot.sqlite3", clock=clock, emulator=emu)
    try:
        yield opened
    finally:
        await opened.close()


def warnings(stage: Stage) -> list[str]:
    """The start-up check messages in the regiegroep."""
    head = "relaybot kan niet alles doen"
    return [
        m.content or "" for m in stage.emu.bot_messages(stage.regie) if head in (m.content or "")
    ]


async def test_privacy_mode_is_told_to_the_regiegroep_with_the_botfather_steps(
    private_stage: Stage,
) -> None:
    """With privacy mode on and the bot a plain member somewhere (here: the regiegroep), the
    regiegroep gets one warning that says the bot cannot read "112 gebeld" and gives the
    BotFather steps, including removing and re-adding the bot. Where the bot is an
    administrator everywhere, privacy mode does not matter and nothing is said."""
    assert warnings(private_stage) == []
    private_stage.emu.set_admin(private_stage.regie, private_stage.emu.bot_user, admin=False)
    await private_stage.restart()
    told = warnings(private_stage)
    assert len(told) == 1
    assert "Groepsprivacy staat aan" in told[0] and "/setprivacy" in told[0]
    assert "Verwijder daarna de bot uit elke groep en voeg hem opnieuw toe" in told[0]


async def test_everything_in_order_posts_nothing(stage: Stage) -> None:
    """A bot that reads every message and has every right it uses says nothing at start."""
    assert warnings(stage) == []


async def test_missing_chat_admin_and_rights_are_posted_once_and_again_when_they_return(
    stage: Stage,
) -> None:
    """A network chat the bot is not in, one where it is no administrator, and one where it
    lacks the pin and invite rights are each named in one message to the regiegroep at the
    next start; a restart with nothing fixed posts nothing again; a problem fixed and later
    back is told again."""
    emu, chats = stage.emu, stage.chats
    emu.remove_bot(chats["bentelo-dorp"])
    emu.set_admin(chats["delden-noord"], emu.bot_user, admin=False)
    emu.set_bot_rights(chats["goor-oost"], can_pin_messages=False, can_invite_users=False)
    await stage.restart()
    told = warnings(stage)
    assert len(told) == 1
    assert (
        f"Bentelo Dorp (chat id {chats['bentelo-dorp']}): de bot zit niet in deze groep" in told[0]
    )
    assert "Delden Noord" in told[0] and "geen beheerder" in told[0]
    assert "Goor Oost" in told[0]
    assert "berichten vastzetten en gebruikers uitnodigen via link" in told[0]
    assert "Groepsprivacy" not in told[0]

    await stage.restart()
    assert len(warnings(stage)) == 1

    emu.set_bot_rights(chats["goor-oost"], can_pin_messages=True, can_invite_users=True)
    await stage.restart()
    emu.set_bot_rights(chats["goor-oost"], can_pin_messages=False)
    await stage.restart()
    told = warnings(stage)
    assert len(told) == 2
    assert "Goor Oost" in told[1] and "berichten vastzetten" in told[1]
    assert "Bentelo" not in told[1]


async def test_start_is_logged_with_username_mode_and_each_problem(stage: Stage) -> None:
    """`bot_started` carries the bot's username and the mode; each problem is its own
    warning event naming the chat and the rights, never a message text."""
    stage.emu.set_bot_rights(stage.chats["markelo-zuid"], can_restrict_members=False)
    before = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    try:
        with structlog.testing.capture_logs() as logs:
            await stage.restart()
    finally:
        structlog.configure(**before)
    started = [e for e in logs if e["event"] == "bot_started"]
    assert started and started[-1]["username"] == "relaybot_test_bot"
    assert started[-1]["mode"] == "polling" and started[-1]["reads_all_group_messages"] is True
    problems = [e for e in logs if e["event"] == "startup_problem"]
    assert problems == [
        {
            "event": "startup_problem",
            "log_level": "warning",
            "problem": "rights",
            "role": "markelo-zuid",
            "chat": stage.chats["markelo-zuid"],
            "lacking": ["restrict"],
        }
    ]
