"""The invented world the bot is tried in: the Bot API emulator, the stage (the emulator, the
real bot and people in every chat), the samples, Proefdorp, the demo's evening and the
report's invented year. Everyone in it is invented.

The product never imports it: only the CLI commands that start it (`relaybot demo`,
`relaybot emulator`) do, inside the command (tests/unit/test_architecture.py).
"""
