"""A real PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder,
reached over a Unix socket in that folder (no port on the network, no Docker).

One server per test process (each xdist worker starts its own: a second or two), a template
database migrated once, and a fresh database per test copied from it (CREATE DATABASE ...
TEMPLATE takes a few tens of milliseconds). PostgreSQL refuses to run as root: as root the
server runs as the `postgres` user that Debian's package creates.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN = Path(os.environ.get("RELAYBOT_PG_BIN", "/usr/lib/postgresql/15/bin"))
TEMPLATE = "relaybot_template"


def installed() -> bool:
    return (BIN / "initdb").is_file() and (BIN / "pg_ctl").is_file()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A PostgreSQL cluster of our own, started and stopped by the tests."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable  # fsync on, as an operator runs it (the benchmarks)
        self.folder = Path(tempfile.mkdtemp(prefix="relaybot-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        self._user: list[str] = []
        if os.geteuid() == 0:
            pwd.getpwnam("postgres")  # KeyError: no such user (Debian's package makes it)
            shutil.chown(self.folder, "postgres")
            self._user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> Server:
        self._run(
            str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "--no-sync", "--no-locale", "-E", "UTF8",
        )  # fmt: skip
        return self.resume()

    def halt(self) -> None:
        """Stop the server as an operator's restart does (its data kept: `resume` starts it
        again); its clients' connections end."""
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> Server:
        options = f"-k {self.folder} -p {self.port} -c listen_addresses='' -c max_connections=200"
        if not self.durable:  # the tests' data need not survive a power cut
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-t", "60",
            "-l", str(self.folder / "log"), "start",
        )  # fmt: skip
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.folder}&port={self.port}"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def fresh_name(self) -> str:
        return f"test_{os.getpid()}_{next(self._names)}"


class Lazy:
    """The test process's server, started when a test first needs it; a migrated template
    database made once, and a fresh database per test copied from it."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable
        self._server: Server | None = None

    async def fresh(self) -> str:
        import asyncpg

        from relaybot.storage.postgres import PostgresDatabase

        if self._server is None:
            server = Server(self.durable).start()
            self._server = server
            admin = await asyncpg.connect(server.url())
            try:
                await admin.execute(f"CREATE DATABASE {TEMPLATE}")
            finally:
                await admin.close()
            await (await PostgresDatabase(server.url(TEMPLATE)).open()).close()
        name = self._server.fresh_name()
        admin = await asyncpg.connect(self._server.url())
        try:
            await admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        finally:
            await admin.close()
        return self._server.url(name)

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
