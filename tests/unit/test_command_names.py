"""Lines that tell someone how to use a command name it in the bot's language: an English
network sees the English command (/unflag, /resolved, /retract), a Dutch one the Dutch."""

from __future__ import annotations

import pytest

from relaybot.domain.intents import Say
from relaybot.domain.texts import Language, Texts
from relaybot.service import Chat, Command
from relaybot.service.flagging import Flagging
from relaybot.service.lifecycle import Lifecycle
from relaybot.service.tagging import Tagging
from tests.unit.world import ANNA, GOOR_OOST, World

CASES = [
    ("unflag", "/unflag", "/niet112"),
    ("resolve", "/resolved", "/afgehandeld"),
    ("retract", "/retract", "/intrekken"),
    ("update", "/update", "/update"),
]


async def usage_line(world: World, method: str, language: Language) -> str:
    """What the bot answers to the command sent without replying to an alert."""
    world.ctx.texts = Texts(language)
    cases = {
        "unflag": Flagging(world.ctx).unflag,
        "resolve": Lifecycle(world.ctx).resolve,
        "retract": Lifecycle(world.ctx).retract,
        "update": Tagging(world.ctx).update,
    }
    await cases[method](Command(Chat(GOOR_OOST), ANNA, 50, f"{method}-1", replied=None))
    (line,) = await world.rows(Say, chat_id=GOOR_OOST)
    return str(line.intent.html)


@pytest.mark.parametrize(("method", "english", "dutch"), CASES)
async def test_a_usage_line_in_english_names_the_english_command(
    world: World, method: str, english: str, dutch: str
) -> None:
    """In English, the line asking to send the command as a reply to an alert names the
    English command, never the Dutch one."""
    line = await usage_line(world, method, "en")
    assert f"{english} " in line
    assert english == dutch or dutch not in line


@pytest.mark.parametrize(("method", "english", "dutch"), CASES)
async def test_a_usage_line_in_dutch_names_the_dutch_command(
    world: World, method: str, english: str, dutch: str
) -> None:
    """In Dutch, the same line names the Dutch command."""
    line = await usage_line(world, method, "nl")
    assert f"{dutch} " in line
