"""A Telegram Bot API emulator on loopback, for the demo and end-to-end tests.

It never imports `telegram`: the bot under test talks to it over HTTP exactly as to Telegram.
"""

from relaybot.sandbox.emulator.emulator import DEFAULT_TOKEN, Emulator
from relaybot.sandbox.emulator.errors import EmulatorError
from relaybot.sandbox.emulator.records import Call, Chat, Message, User

__all__ = [
    "DEFAULT_TOKEN",
    "Call",
    "Chat",
    "Emulator",
    "EmulatorError",
    "Message",
    "User",
]
