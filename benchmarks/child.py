"""The parent's side of `benchmarks.botproc`: start a bot process and talk to it."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import ROOT
from relaybot.sandbox.emulator import Emulator


class BotProcess:
    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(
        cls,
        kind: str,
        emu: Emulator,
        network: Path | None = None,
        db: Path | None = None,
        within: float = 60.0,
        wrapper: Sequence[str] = (),
        extra: Sequence[str] = (),
    ) -> BotProcess:
        """`wrapper`: a command the bot runs under (valgrind); `extra`: more botproc options."""
        args = [*wrapper, sys.executable, "-m", "benchmarks.botproc", kind, *extra]
        args += ["--base-url", emu.base_url, "--token", emu.token]
        if network is not None:
            args += ["--network", str(network)]
        if db is not None:
            args += ["--db", str(db)]
        proc = await asyncio.create_subprocess_exec(
            *args, cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        child = cls(proc)
        await child.expect("ready", within)
        return child

    async def expect(self, word: str, within: float = 60.0) -> list[str]:
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), within)
        parts = line.decode().split()
        if not parts or parts[0] != word:
            raise RuntimeError(f"bot process said {line!r}, expected {word!r}")
        return parts[1:]

    async def ask(self, command: str, word: str, within: float = 60.0) -> list[str]:
        assert self.proc.stdin is not None
        self.proc.stdin.write((command + "\n").encode())
        await self.proc.stdin.drain()
        return await self.expect(word, within)

    async def quit(self, within: float = 15) -> None:
        assert self.proc.stdin is not None
        if self.proc.returncode is None:
            self.proc.stdin.write(b"quit\n")
            await self.proc.stdin.drain()
            try:
                await asyncio.wait_for(self.proc.wait(), within)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
