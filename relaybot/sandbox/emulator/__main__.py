"""`python -m relaybot.sandbox.emulator --port N`: run the emulator standalone."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from relaybot.sandbox.emulator import DEFAULT_TOKEN
from relaybot.sandbox.standalone import serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m relaybot.sandbox.emulator")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever(args.port, args.host, args.token))


if __name__ == "__main__":
    main()
