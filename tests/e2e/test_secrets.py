"""Secrets at start-up: the token never appears, a webhook never runs without its secret."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from relaybot.sandbox.emulator import Emulator
from tests.e2e.conftest import run_env, start_run

WRONG_TOKEN = "987654321:AAFakeTokenForTestsOnly_abcdefghijk"


async def failing_start(tmp_path: Path, **env: str) -> tuple[int, list[str]]:
    """Start `relaybot run` with these settings; its exit code and every line it printed."""
    process = await start_run(run_env(tmp_path / "data" / "relaybot.sqlite3", **env), cwd=tmp_path)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, (out + err).decode().splitlines()


@pytest.fixture
async def emu() -> Emulator:
    emulator = Emulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


async def test_a_rejected_token_is_one_line_without_the_token(
    tmp_path: Path, emu: Emulator
) -> None:
    """A token the Bot API rejects ends start-up with exactly one line that says so; the token
    appears in none of the lines printed (python-telegram-bot's own error log puts it there
    twice, in its message and in its traceback)."""
    code, lines = await failing_start(
        tmp_path, RELAYBOT_TOKEN=WRONG_TOKEN, RELAYBOT_API_BASE_URL=emu.base_url
    )
    assert code != 0
    assert len(lines) == 1, lines
    assert "Telegram rejected the token" in lines[0] and "RELAYBOT_TOKEN" in lines[0]
    for line in lines:
        assert WRONG_TOKEN not in line and WRONG_TOKEN.split(":")[1] not in line


async def test_a_mistyped_api_url_never_prints_a_valid_token(tmp_path: Path, emu: Emulator) -> None:
    """A typo in RELAYBOT_API_BASE_URL (a path that is no Bot API) with a *valid* token is one
    line naming RELAYBOT_API_BASE_URL; the token is in none of the lines."""
    typo = emu.base_url.replace("/bot", "/tg/bot")
    code, lines = await failing_start(
        tmp_path, RELAYBOT_TOKEN=emu.token, RELAYBOT_API_BASE_URL=typo
    )
    assert code != 0
    assert len(lines) == 1, lines
    assert "RELAYBOT_API_BASE_URL" in lines[0] and typo in lines[0]
    assert all(emu.token not in line for line in lines)


async def test_an_unreachable_api_url_is_one_line_without_the_token(tmp_path: Path) -> None:
    """A base URL nobody answers on is one line "cannot reach RELAYBOT_API_BASE_URL"; even a
    token pasted into the URL itself is masked."""
    import socket

    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/bot{WRONG_TOKEN}/"
    code, lines = await failing_start(
        tmp_path, RELAYBOT_TOKEN=WRONG_TOKEN, RELAYBOT_API_BASE_URL=base
    )
    assert code != 0
    assert len(lines) == 1, lines
    assert "cannot reach" in lines[0] and "RELAYBOT_API_BASE_URL" in lines[0]
    assert all(WRONG_TOKEN.split(":")[1] not in line for line in lines)


async def test_a_webhook_without_a_secret_never_starts(tmp_path: Path, emu: Emulator) -> None:
    """With RELAYBOT_WEBHOOK_URL set and no RELAYBOT_WEBHOOK_SECRET (or one shorter than 32
    characters) `relaybot run` refuses with one line naming the variable, and registers no
    webhook: no server that takes forged updates ever listens."""
    for secret in ("", "kort-geheim"):
        code, lines = await failing_start(
            tmp_path,
            RELAYBOT_TOKEN=emu.token,
            RELAYBOT_API_BASE_URL=emu.base_url,
            RELAYBOT_WEBHOOK_URL="https://relaybot.invalid/hook",
            RELAYBOT_WEBHOOK_SECRET=secret,
            RELAYBOT_WEBHOOK_LISTEN="127.0.0.1",
        )
        assert code != 0
        assert len(lines) == 1 and "RELAYBOT_WEBHOOK_SECRET" in lines[0], lines
        assert "32" in lines[0]
        if secret:
            assert secret not in lines[0]
    assert not emu.calls_to("setWebhook") and not emu.calls_to("getMe")
