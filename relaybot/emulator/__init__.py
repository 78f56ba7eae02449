"""A Telegram Bot API emulator on loopback, for the demo and end-to-end tests.

It never imports `telegram`: the bot under test talks to it over HTTP exactly as to Telegram.
"""

from relaybot.emulator.emulator import DEFAULT_TOKEN, Emulator, serve_forever
from relaybot.emulator.errors import EmulatorError
from relaybot.emulator.records import Call, Chat, Message, User

__all__ = [
    "DEFAULT_TOKEN",
    "Call",
    "Chat",
    "Emulator",
    "EmulatorError",
    "Message",
    "User",
    "serve_forever",
]
