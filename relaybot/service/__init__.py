"""The use cases: what happens when someone acts. No Telegram here; storage and domain only."""

from relaybot.service.base import Answer, Chat, Command
from relaybot.service.delivery import Plan
from relaybot.service.regie import Regie


class Relay(Regie):
    """Every use case of the bot, on one object the handlers and the worker share."""


__all__ = ["Answer", "Chat", "Command", "Plan", "Relay"]
