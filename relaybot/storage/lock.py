"""One bot process per database: an OS lock on a file beside it.

The kernel releases the lock when the process ends, however it ends, so a crash never leaves
a stale lock that blocks a restart.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from relaybot.storage.db import StorageError, open_error


class AlreadyRunning(StorageError):
    """Another process holds the database."""


class ProcessLock:
    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> ProcessLock:
        database = self.path.with_name(self.path.name.removesuffix(".lock"))
        try:
            if not self.path.parent.exists():  # as the database would make it: owner's alone
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:  # the same one line as the database itself would give
            raise StorageError(open_error(database, exc)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(
                f"another relaybot is running on {self.path.with_suffix('')}"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
