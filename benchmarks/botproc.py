"""A bot alone in its own process, steered over stdin/stdout by the benchmark.

`python -m benchmarks.botproc relay|bare --base-url URL --token T [--network F --db F]`

Only the bot runs here (the emulator lives in the parent), so the process's peak RSS and CPU
are the bot's own. Commands, one per line:

    until N   answer "done <monotonic> <processed> <cpu seconds>" once update N is processed
    cpu       answer "cpu <monotonic> <processed> <cpu seconds>" at once
    idle N    (relay) answer "idle" once update N is processed and the outbox is empty
    rss       answer "rss <peak RSS in KiB>"
    quit      stop the bot and exit
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from benchmarks.common import quiet_logs

POLL = 0.002  # seconds between looks at the app's progress


class BareApplication(Application):  # type: ignore[type-arg]
    """python-telegram-bot with nothing but a counter (the yardstick for ingest)."""

    processed = 0
    last_update_id = 0

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            self.processed += 1
            if isinstance(update, Update):
                self.last_update_id = max(self.last_update_id, update.update_id)


async def _nothing(_update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    return None


class Bare:
    """The same start-up and polling as relaybot's Runtime, with a handler that does nothing."""

    def __init__(self, token: str, base_url: str) -> None:
        app = (
            ApplicationBuilder()
            .application_class(BareApplication)
            .token(token)
            .base_url(base_url)
            .build()
        )
        app.add_handler(MessageHandler(filters.ALL, _nothing))
        self.app: Any = app

    async def start(self, poll_timeout: float) -> None:
        await self.app.initialize()
        await self.app.updater.start_polling(
            poll_interval=0, timeout=int(poll_timeout), allowed_updates=Update.ALL_TYPES
        )
        await self.app.start()

    async def stop(self) -> None:
        if self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    async def at_rest(self) -> bool:
        return True


class Relay:
    """relaybot exactly as `build()` makes it."""

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime
        self.app = runtime.app

    @classmethod
    async def create(cls, token: str, base_url: str, network_file: Path, db: Path) -> Relay:
        from relaybot.network_file import load_network
        from relaybot.settings import load_settings
        from relaybot.telegram.app import build

        settings = load_settings(
            token=token, api_base_url=base_url, database=db, network_file=network_file
        )
        return cls(await build(settings, load_network(network_file)))

    async def start(self, poll_timeout: float) -> None:
        from relaybot.telegram.app import settle_memory

        await self.runtime.start(poll_timeout=poll_timeout)
        settle_memory()  # as `relaybot run` does once started
        if self.runtime.checks is not None:
            # the start-up checks (a question to Telegram about every chat) run once, beside the
            # first updates; the benchmarks measure the bot as it runs from then on
            await self.runtime.checks

    async def stop(self) -> None:
        await self.runtime.stop()

    async def at_rest(self) -> bool:
        return await self.runtime.delivered_all()


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def serve(bot: Bare | Relay, poll: float = POLL) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    _say("ready")
    while line := (await reader.readline()).decode().strip():
        command, _, arg = line.partition(" ")
        if command == "until":
            while bot.app.last_update_id < int(arg):  # noqa: ASYNC110 - PTB has no event for it
                await asyncio.sleep(poll)
            _say(f"done {time.monotonic()!r} {bot.app.processed} {time.process_time()!r}")
        elif command == "idle":
            quiet = 0
            while quiet < 2:
                done = bot.app.last_update_id >= int(arg) and await bot.at_rest()
                quiet = quiet + 1 if done else 0
                await asyncio.sleep(0.01)
            _say("idle")
        elif command == "cpu":
            _say(f"cpu {time.monotonic()!r} {bot.app.processed} {time.process_time()!r}")
        elif command == "rss":
            _say(f"rss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
        elif command == "quit":
            break


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.botproc")
    parser.add_argument("kind", choices=["relay", "bare"])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--network", type=Path)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--poll-timeout", type=float, default=2.0)
    # how often `until` looks at the app's progress (a counted run looks rarely, so that the
    # looking adds next to nothing to what is counted)
    parser.add_argument("--poll", type=float, default=POLL)
    args = parser.parse_args(argv)
    quiet_logs()
    if args.kind == "bare":
        bot: Bare | Relay = Bare(args.token, args.base_url)
    else:
        bot = await Relay.create(args.token, args.base_url, args.network, args.db)
    await bot.start(args.poll_timeout)
    try:
        await serve(bot, args.poll)
    finally:
        await bot.stop()


if __name__ == "__main__":
    asyncio.run(main())
