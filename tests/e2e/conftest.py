"""End-to-end fixtures: the emulator and the real bot, over HTTP on loopback."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from relaybot.sandbox.emulator.params import Params
from relaybot.sandbox.emulator.records import Message
from relaybot.sandbox.emulator.server import Api
from relaybot.sandbox.stage import Stage, open_stage
from relaybot.storage.copy import tables
from tests import bot_api_contract

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "network.example.toml"


class Clock:
    """The bot's clock: real time plus an offset a test can move forward; or, once `stop_at`
    is called, a given moment that only `advance` moves (a test that checks a shown HH:MM
    must never depend on which minute the wall clock is in)."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.stopped_at: float | None = None

    def __call__(self) -> float:
        base = time.time() if self.stopped_at is None else self.stopped_at
        return base + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def stop_at(self, moment: float) -> None:
        self.stopped_at, self.offset = moment, 0.0


@pytest.fixture(autouse=True)
def requests_as_telegram_takes_them(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every request an emulator answers during the test (the bot's, in this process or a
    `relaybot run` beside it) is one python-telegram-bot's Bot would send: a method it has,
    parameters by its names. Checked as each test ends, so each xdist worker checks its own."""
    seen: set[tuple[str, frozenset[str]]] = set()
    handle = Api.handle

    async def recorded(api: Api, token: str, method: str, params: Params) -> Any:
        seen.add((method, frozenset(params.values) | frozenset(params.files)))
        return await handle(api, token, method, params)

    monkeypatch.setattr(Api, "handle", recorded)
    yield
    problems = bot_api_contract.disagreements(seen)
    assert not problems, "requests Telegram's client would never send:\n" + "\n".join(problems)


@pytest.fixture(autouse=True)
async def on_each_engine(
    engine_name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every end-to-end test runs on SQLite and again on PostgreSQL: for the second, the bot
    (in this process or a `relaybot run` beside it) is given a fresh PostgreSQL database by
    RELAYBOT_DATABASE_URL, as an operator would."""
    if engine_name == "postgresql":
        server = request.getfixturevalue("postgres_server")
        monkeypatch.setenv("RELAYBOT_DATABASE_URL", await server.fresh())
    else:
        monkeypatch.delenv("RELAYBOT_DATABASE_URL", raising=False)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def stage(tmp_path: Path, clock: Clock) -> AsyncIterator[Stage]:
    opened = await open_stage(EXAMPLE, tmp_path / "relaybot.sqlite3", clock=clock)
    try:
        yield opened
    finally:
        await opened.close()


async def stored(stage: Stage) -> bytes:
    """What the database holds right now. SQLite: its file and -wal and -shm, as on disk
    (erased means gone from the file). PostgreSQL: every row of every table (erased means
    gone from the rows; old pages are the database operator's, see docs/design.md)."""
    db = stage.runtime.db
    if isinstance(db.path, Path):
        sides = (db.path, db.path.with_name(db.path.name + "-wal"),
                 db.path.with_name(db.path.name + "-shm"))  # fmt: skip
        return b"".join(side.read_bytes() for side in sides if side.exists())
    async with db.reading() as conn:
        rows = [
            repr(tuple(row))
            for table in await tables(conn)
            for row in await conn.execute_fetchall(f"SELECT * FROM {table}")
        ]
    return "\n".join(rows).encode()


async def rows(stage: Stage, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """A query's rows, read beside the running bot (either engine)."""
    async with stage.runtime.db.reading() as conn:
        return [tuple(row) for row in await conn.execute_fetchall(sql, args)]


def contents(stage: Stage, chat_id: int) -> list[str]:
    """What a member of the chat sees from the bot, oldest first."""
    return [m.content or "" for m in stage.emu.bot_messages(chat_id)]


def alerts(stage: Stage, chat_id: int, number: int) -> list[Message]:
    """The bot's relayed alerts of incident #number in a chat."""
    head = f"#{number} ·"
    return [
        m
        for m in stage.emu.bot_messages(chat_id)
        if head in (m.content or "") and (m.content or "").startswith("🚨")
    ]


def last_raw_update(stage: Stage) -> dict[str, Any]:
    """The update just queued (read before the bot can fetch it: no await in between)."""
    return stage.emu.world.updates.items[-1].to_dict()


async def tag(
    stage: Stage,
    slug: str,
    text: str = "Verdachte auto met draaiende motor",
    note: str = "",
    **post: Any,
) -> Message:
    """A resident posts, the co-admin tags it with /regie; returns the resident's message."""
    chat = stage.chats[slug]
    original = stage.emu.post(chat, stage.residents[slug], text, **post)
    command = "/regie" + (f" {note}" if note else "")
    stage.emu.post(chat, stage.co_admins[slug], command, reply_to=original.message_id)
    await stage.settle()
    return original


def run_env(database: Path, network: Path = EXAMPLE, **extra: str) -> dict[str, str]:
    """The environment for a `relaybot run` subprocess: this one's, without RELAYBOT_ settings
    of its own but the test's database URL (PostgreSQL), plus the given ones."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("RELAYBOT_") or k == "RELAYBOT_DATABASE_URL"
    }
    env.update(RELAYBOT_NETWORK_FILE=str(network), RELAYBOT_DATABASE=str(database), **extra)
    return env


async def start_run(
    env: dict[str, str], cwd: Path = ROOT, capture: bool = True
) -> asyncio.subprocess.Process:
    """`relaybot run` as its own process, exactly as an operator starts it."""
    output = asyncio.subprocess.PIPE if capture else asyncio.subprocess.DEVNULL
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "relaybot", "run", cwd=cwd, env=env, stdout=output, stderr=output
    )


async def relaybot(*args: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """`relaybot ...` in a process of its own, as from a script: no terminal to ask on."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "relaybot",
        *args,
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
