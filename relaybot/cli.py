"""The `relaybot` command: run, check, demo, emulator, report, health."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sqlite3
import sys
import time
from pathlib import Path

from relaybot.network import NetworkError, load_network
from relaybot.settings import SettingsError, load_settings
from relaybot.storage.db import StorageError, readonly_uri

HEARTBEAT_MAX_AGE = 180.0  # seconds; the bot touches its heartbeat every 30 s


def _fail(message: str) -> int:
    print(f"relaybot: {message}", file=sys.stderr)
    return 2


def cmd_run(_args: argparse.Namespace) -> int:
    from relaybot.logs import configure
    from relaybot.settings import require_token
    from relaybot.telegram.app import run
    from relaybot.telegram.startup import preflight

    settings = load_settings()
    secrets = [s.get_secret_value() for s in (settings.token, settings.webhook_secret) if s]
    configure(settings.log_format, settings.log_level, secrets=secrets)
    require_token(settings)
    load_network(settings.network_file)
    # ask the Bot API first: a rejected token or an unreachable URL is one line, no token
    asyncio.run(preflight(settings))
    run(settings)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from relaybot.summary import describe_network

    if args.network is not None:
        path = Path(args.network)
        database = None
    else:
        settings = load_settings()
        path, database = settings.network_file, settings.database
    network = load_network(path)
    linked: dict[str, int] = {}
    if database is not None and Path(database).exists():
        with sqlite3.connect(readonly_uri(database), uri=True) as conn:
            try:
                linked = dict(conn.execute("SELECT slug, chat_id FROM chat_links").fetchall())
            except sqlite3.Error:
                linked = {}
    print(describe_network(network, linked))
    print(f"\n{path}: valid")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from relaybot.demo import run_demo

    return asyncio.run(run_demo(language=args.language))


def cmd_emulator(args: argparse.Namespace) -> int:
    from relaybot.emulator import serve_forever

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever(port=args.port, host=args.host))
    return 0


def cmd_health(_args: argparse.Namespace) -> int:
    settings = load_settings()
    beat = Path(settings.database).parent / "heartbeat"
    if not beat.exists():
        return _fail(f"no heartbeat at {beat}: the bot has not started")
    age = time.time() - beat.stat().st_mtime
    if age > HEARTBEAT_MAX_AGE:
        return _fail(f"heartbeat is {age:.0f} s old: the bot is stuck or stopped")
    print(f"ok: heartbeat {age:.0f} s old")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="relaybot", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (long polling, or webhook when configured)")
    check = sub.add_parser("check", help="validate settings and the network file")
    check.add_argument("--network", help="network file (default: RELAYBOT_NETWORK_FILE)")
    demo = sub.add_parser("demo", help="play a scripted evening against the built-in emulator")
    demo.add_argument("--language", choices=["nl", "en"], default="nl")
    emulator = sub.add_parser("emulator", help="start the Bot API emulator on its own")
    emulator.add_argument("--port", type=int, default=8081)
    emulator.add_argument("--host", default="127.0.0.1")
    sub.add_parser("health", help="exit 0 when the running bot's heartbeat is fresh")
    return top


COMMANDS = {
    "run": cmd_run,
    "check": cmd_check,
    "demo": cmd_demo,
    "emulator": cmd_emulator,
    "health": cmd_health,
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (SettingsError, NetworkError, StorageError) as error:
        return _fail(str(error))


if __name__ == "__main__":
    sys.exit(main())
