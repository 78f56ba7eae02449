"""`relaybot playground`: the emulator, the real bot against it, and the page, until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import tornado.httpserver

from relaybot.sandbox.demo import quiet_logs
from relaybot.sandbox.emulator.server import listen
from relaybot.sandbox.playground.server import Playground, application
from relaybot.sandbox.stage import open_stage


@contextlib.asynccontextmanager
async def playground(
    network: Path,
    database: Path | None = None,
    language: str = "nl",
    port: int = 8080,
    host: str = "127.0.0.1",
) -> AsyncIterator[tuple[Playground, str]]:
    """The running playground and its page's address; all of it stopped on the way out.
    Without `database`, a fresh one in a temporary folder that goes with it."""
    with tempfile.TemporaryDirectory(prefix="relaybot-playground-") as folder:
        stage = await open_stage(
            network, database or Path(folder) / "playground.sqlite3", language=language
        )
        try:
            shared = Playground(stage, language)
            server = tornado.httpserver.HTTPServer(application(shared))
            bound = listen(server, host, port)
            try:
                yield shared, f"http://{host}:{bound}/"
            finally:
                await shared.director.stop()
                server.stop()
                await server.close_all_connections()
        finally:
            await stage.close()


async def serve_playground(network: Path, database: Path | None, language: str, port: int) -> int:
    """Run until cancelled (Ctrl-C), printing the page's address; opens no browser."""
    with quiet_logs():
        async with playground(network, database, language, port) as (_shared, address):
            print(f"relaybot playground: {address}", flush=True)
            print("Ctrl-C stopt alles." if language == "nl" else "Ctrl-C stops it all.")
            await asyncio.Event().wait()
    return 0
