"""The emulator on its own, as `relaybot emulator` runs it: on loopback until stopped, empty
or holding Proefdorp (relaybot/sandbox/town.py)."""

from __future__ import annotations

import asyncio

from relaybot.sandbox.emulator import DEFAULT_TOKEN, Emulator
from relaybot.sandbox.town import build_town, echo_bot_messages, greet


async def serve_forever(
    port: int,
    host: str = "127.0.0.1",
    token: str = DEFAULT_TOKEN,
    town: bool = False,
    round_trip: float = 0.0,
    callback_answer_s: float | None = None,
) -> None:
    """Run a standalone emulator until cancelled, printing where to reach it. With `town`,
    it holds Proefdorp (relaybot/sandbox/town.py) and prints what the bot says there; with
    `round_trip`, every answer comes that many seconds after the call was carried out; a
    button's answer is taken within `callback_answer_s` of the press."""
    emulator = Emulator(token=token, round_trip=round_trip)
    if callback_answer_s is not None:
        emulator.callback_answer_s = callback_answer_s
    await emulator.start(host=host, port=port)
    print(f"base_url={emulator.base_url} token={emulator.token}", flush=True)
    echo = None
    if town:
        greet(emulator, build_town(emulator))
        for chat in emulator.world.chats.values():
            if chat.is_group:
                print(f"group {chat.id}: {chat.title}", flush=True)
        echo = asyncio.ensure_future(echo_bot_messages(emulator))
    try:
        await asyncio.Event().wait()
    finally:
        if echo is not None:
            echo.cancel()
        await emulator.stop()
