"""Operating the bot: `relaybot run` against a Bot API server, and what the logs contain."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import json
import signal
import time
from pathlib import Path

import pytest
import structlog
import telegram

from relaybot.logs import configure
from relaybot.sandbox.emulator import Emulator
from relaybot.sandbox.stage import Stage
from tests.e2e.conftest import alerts, relaybot, run_env, start_run, tag

HOOK_SECRET = "geheim-0123456789-abcdefghij-ABCDEF"  # 32+ characters, as required


def bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return run_env(tmp_path / "data" / "relaybot.sqlite3", **extra)


async def test_run_without_token_names_the_variable(tmp_path: Path) -> None:
    """`relaybot run` with no token exits non-zero with one line that names RELAYBOT_TOKEN."""
    process = await start_run(bot_env(tmp_path), cwd=tmp_path)
    _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode != 0
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "RELAYBOT_TOKEN" in lines[0]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_run_polls_the_configured_api_and_stops_cleanly(
    tmp_path: Path, stop: signal.Signals
) -> None:
    """With a token and RELAYBOT_API_BASE_URL, `relaybot run` calls getMe, starts long
    polling, answers a command, and exits 0 within seconds of SIGTERM or SIGINT; the token
    never reaches its output."""
    emu = Emulator()
    await emu.start()
    co_admin = emu.add_user("Anna", "Hendriks")
    emu.add_group("Regiegroep", -1001000000001, members=[co_admin])
    hood = emu.add_group("Goor Oost", -1001000000103, members=[co_admin], admins=[co_admin])
    env = bot_env(tmp_path, RELAYBOT_TOKEN=emu.token, RELAYBOT_API_BASE_URL=emu.base_url)
    process = await start_run(env)
    try:
        for _ in range(2000):  # the command menu is set at start-up, just before polling
            if emu.calls_to("setMyCommands"):
                break
            await asyncio.sleep(0.01)
        assert emu.calls_to("getMe") and emu.calls_to("setMyCommands")
        emu.post(hood.id, co_admin, "/help")
        for _ in range(2000):
            if emu.bot_messages(hood.id):
                break
            await asyncio.sleep(0.01)
        assert "/regie" in (emu.bot_messages(hood.id)[0].content or "")
        assert emu.calls_to("getUpdates")  # the answer came through long polling
        process.send_signal(stop)
        out, err = await asyncio.wait_for(process.communicate(), 5)
        assert process.returncode == 0, err.decode()[-2000:]
        assert emu.token not in (out + err).decode()
        kept = "heartbeat" if "RELAYBOT_DATABASE_URL" in env else "relaybot.sqlite3"
        assert (tmp_path / "data" / kept).exists()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await emu.stop()


@pytest.mark.sqlite_only  # a file to remove
async def test_a_database_removed_under_the_running_bot_stops_it_with_status_1(
    tmp_path: Path,
) -> None:
    """The database file deleted while `relaybot run` runs (an operator's slip, a cleanup
    script): within seconds the bot stops with status 1 (systemd and Docker restart it) and
    one line naming the file, and `relaybot health` says why. The restart then refuses to
    make a new, empty database (status 78). Before, it ran on into the deleted file, health
    said ok, and the restart began again at incident #1."""
    emu = Emulator()
    await emu.start()
    emu.add_group("Regiegroep", -1001000000001)
    env = bot_env(tmp_path, RELAYBOT_TOKEN=emu.token, RELAYBOT_API_BASE_URL=emu.base_url)
    database = tmp_path / "data" / "relaybot.sqlite3"
    process = await start_run(env)
    try:
        for _ in range(2000):
            if emu.calls_to("setMyCommands"):
                break
            await asyncio.sleep(0.01)
        assert emu.calls_to("setMyCommands")
        for path in database.parent.glob("relaybot.sqlite3*"):
            path.unlink()
        _out, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 1, err.decode()[-2000:]
        last = err.decode().strip().splitlines()[-1]
        assert last.startswith(f"relaybot: database {database} was removed"), last
        health = await relaybot("health", env=env, cwd=tmp_path)
        out, err = await asyncio.wait_for(health.communicate(), 30)
        assert health.returncode == 5
        assert f"database {database} was removed" in (out + err).decode()
        again = await start_run(env)  # as systemd or Docker would: no new, empty database
        _out, err = await asyncio.wait_for(again.communicate(), 60)
        assert again.returncode == 78, err.decode()[-2000:]
        assert f"database {database} is missing" in err.decode()
        assert not database.exists()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await emu.stop()


@pytest.fixture
def log_stream() -> io.StringIO:
    stream = io.StringIO()
    configure("json", "DEBUG", stream=stream)
    yield stream
    structlog.reset_defaults()


async def test_logs_carry_context_but_no_text_or_phone_numbers(
    stage: Stage, log_stream: io.StringIO
) -> None:
    """A relayed message's text and a phone number in it never reach the logs; the events
    are JSON lines that name the update, chat and incident."""
    secret = "Bel mij op 06-12345678, de man draagt een groene jas"
    await tag(stage, "goor-oost", secret, note="zie ook 0547-123456")
    output = log_stream.getvalue()
    assert output
    assert "06-12345678" not in output and "groene jas" not in output
    assert "0547-123456" not in output
    assert stage.emu.token not in output
    events = [json.loads(line) for line in output.splitlines()]
    created = [e for e in events if e["event"] == "incident_created"]
    assert created and created[0]["incident"] == 1
    assert "update_id" in created[0] and created[0]["chat"] == stage.chats["goor-oost"]


async def test_another_poller_beside_the_bot_is_one_line_and_the_bot_carries_on(
    stage: Stage, log_stream: io.StringIO
) -> None:
    """Another process reads the bot's updates for a while (`relaybot discover` started beside
    it, or a second `relaybot run`): Telegram answers the bot 409 Conflict again and again.
    The log holds one `poll_conflict` line saying what is going on, no `poll_failed` per try,
    and one line when it is over; the bot then relays as before."""
    async with telegram.Bot(stage.emu.token, base_url=stage.emu.base_url) as other:
        until = time.monotonic() + 3.0
        while time.monotonic() < until:
            with contextlib.suppress(telegram.error.Conflict):
                await other.get_updates(timeout=dt.timedelta(seconds=0.3))
    await tag(stage, "goor-oost")
    assert alerts(stage, stage.regie, 1)
    events = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    names = [event["event"] for event in events]
    assert names.count("poll_conflict") == 1, names
    assert "poll_failed" not in names and names.count("poll_conflict_over") == 1
    (said,) = [event for event in events if event["event"] == "poll_conflict"]
    assert "another process is reading this bot's updates" in said["hint"]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_run_with_a_webhook_takes_updates_only_with_the_secret(tmp_path: Path) -> None:
    """With RELAYBOT_WEBHOOK_URL set, `relaybot run` registers the webhook with its secret,
    answers an update Telegram posts to it, and refuses a post without the right secret."""
    import httpx

    emu = Emulator()
    await emu.start()
    co_admin = emu.add_user("Anna", "Hendriks")
    emu.add_group("Regiegroep", -1001000000001, members=[co_admin])
    hood = emu.add_group("Goor Oost", -1001000000103, members=[co_admin], admins=[co_admin])
    port = _free_port()
    public = "https://relaybot.invalid/hook/telegram"  # what Telegram calls (TLS at a proxy)
    url = f"http://127.0.0.1:{port}/hook/telegram"  # where the proxy passes it on
    env = bot_env(
        tmp_path,
        RELAYBOT_TOKEN=emu.token,
        RELAYBOT_API_BASE_URL=emu.base_url,
        RELAYBOT_WEBHOOK_URL=public,
        RELAYBOT_WEBHOOK_SECRET=HOOK_SECRET,
        RELAYBOT_WEBHOOK_LISTEN="127.0.0.1",
        RELAYBOT_WEBHOOK_PORT=str(port),
    )
    process = await start_run(env)

    def update(update_id: int, message_id: int) -> dict[str, object]:
        return {
            "update_id": update_id,
            "message": {
                "message_id": message_id,
                "date": 1_795_000_000,
                "chat": {"id": hood.id, "type": "supergroup", "title": "Goor Oost"},
                "from": {"id": co_admin.id, "is_bot": False, "first_name": "Anna"},
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }

    try:
        for _ in range(2000):
            if emu.calls_to("setWebhook"):
                break
            await asyncio.sleep(0.01)
        registered = emu.calls_to("setWebhook")[0].params
        assert registered["url"] == public and registered["secret_token"] == HOOK_SECRET
        async with httpx.AsyncClient() as client:
            for _ in range(500):  # the server starts listening right after setWebhook
                try:
                    wrong = await client.post(
                        url, json=update(1, 50), headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
                    )
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.01)
            assert wrong.status_code == 403
            right = await client.post(
                url, json=update(2, 51), headers={"X-Telegram-Bot-Api-Secret-Token": HOOK_SECRET}
            )
            assert right.status_code == 200
        for _ in range(2000):
            if emu.bot_messages(hood.id):
                break
            await asyncio.sleep(0.01)
        answers = emu.bot_messages(hood.id)
        assert len(answers) == 1 and "/regie" in (answers[0].content or "")
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 10)
        assert process.returncode == 0, err.decode()[-2000:]
        assert HOOK_SECRET not in (out + err).decode()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await emu.stop()
