"""Validation edges: a kern spelled like a slug, URL settings, group chat ids."""

import pytest

from relaybot.domain.chats import Directory
from relaybot.domain.routing import Targets, resolve_forward
from relaybot.network import NetworkError, parse_network
from relaybot.settings import SettingsError, load_settings

NETWORK = """
[network]
name = "Test"
[regie]
chat_id = -100
[[neighbourhood]]
slug = "markelo"
name = "Markelo Dorp"
kern = "Markelo"
chat_id = -101
[[neighbourhood]]
slug = "markelo-noord"
name = "Markelo Noord"
kern = "Markelo"
chat_id = -102
"""


def test_kern_name_reaches_all_its_neighbourhoods_or_file_is_refused() -> None:
    """Spec 6: a kern's name after /doorsturen means all its neighbourhoods, also when one
    neighbourhood's slug is spelled like the kern."""
    network = parse_network(NETWORK)
    targets = resolve_forward(Directory(network), ["Markelo"], None)
    assert isinstance(targets, Targets)
    assert set(targets.slugs) == {"markelo", "markelo-noord"}


@pytest.mark.parametrize(
    "field, value",
    [
        ("webhook_url", "example.org/hook"),
        ("webhook_url", "http://example.org/hook"),
        ("api_base_url", "api.telegram.org/bot"),
        ("api_base_url", ""),
    ],
)
def test_invalid_urls_stop_start_up_naming_the_variable(field: str, value: str) -> None:
    """Spec 3: an invalid setting stops start-up with one line naming the variable."""
    with pytest.raises(SettingsError) as caught:
        load_settings(**{field: value})
    assert caught.value.variable == f"RELAYBOT_{field.upper()}"


def test_a_group_chat_id_without_its_minus_sign_is_refused() -> None:
    """Telegram group ids are negative: `chat_id = 1001000000001` (minus forgotten) is
    refused by the network check instead of leaving the regiegroep unrecognised."""
    text = NETWORK.replace("chat_id = -100\n", "chat_id = 1001000000001\n")
    with pytest.raises(NetworkError):
        parse_network(text)
