"""`relaybot backup FILE`: an online, consistent copy of the SQLite database, mode 0600.

SQLite's own online backup (`sqlite3.Connection.backup`) reads a snapshot beside a running bot
(WAL: the bot's writes go on meanwhile), so no `sqlite3` tool is needed. The snapshot is read
into memory first and held no longer than that takes: while it is held, an erasure's bytes
cannot leave the file. The copy holds what
the database holds (incident texts, sign-ups with names, addresses and phones): it is made in
a file created 0600 from the first byte, checked with ``PRAGMA integrity_check``, and only then
moved to its name. It is a single file (journal mode DELETE), ready to be put in the
database's place.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from relaybot.files import private_file
from relaybot.storage.db import StorageError, readonly_uri


class BackupError(StorageError):
    """No backup was made; ``str()`` is one line saying why and what to do."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes


def backup(database: Path, target: Path, *, force: bool = False) -> Backup:
    """Copy ``database`` to ``target``; refuses to replace an existing ``target`` unless
    ``force``. Nothing is left at ``target`` (or beside it) when the copy fails."""
    if not database.is_file():
        raise BackupError(f"no database at {database} (has the bot run yet? see RELAYBOT_DATABASE)")
    if target.resolve() == database.resolve():
        raise BackupError(f"{target} is the database itself: choose another file")
    if target.is_dir():
        raise BackupError(f"{target} is a folder: name the file to write")
    if (target.exists() or target.is_symlink()) and not force:
        raise BackupError(f"{target} exists: choose another file, or add --force to replace it")
    try:
        with private_file(target, replace=force) as temporary:
            _copy(database, temporary)
    except OSError as error:
        raise BackupError(f"cannot write {target}: {error.strerror or error}") from error
    return Backup(target, target.stat().st_size)


def _snapshot(database: Path) -> sqlite3.Connection:
    """The database copied into memory in one step: a consistent snapshot, held only for as
    long as the copy in memory takes (a reader holding a snapshot keeps an erasure's bytes in
    the file: /vergeet waits for it), never while the slower disk is written."""
    source = sqlite3.connect(readonly_uri(database), uri=True)
    held = sqlite3.connect(":memory:")
    try:
        source.backup(held)
    except sqlite3.Error:
        held.close()
        raise
    finally:
        source.close()
    return held


def _copy(database: Path, temporary: Path) -> None:
    try:
        held = _snapshot(database)
    except sqlite3.Error as error:
        raise BackupError(f"cannot back up {database}: {error}") from error
    copy = sqlite3.connect(temporary)
    try:
        held.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
        problems = [str(row[0]) for row in copy.execute("PRAGMA integrity_check")]
    except sqlite3.Error as error:
        raise BackupError(f"cannot back up {database}: {error}") from error
    finally:
        copy.close()
        held.close()
    if problems != ["ok"]:
        raise BackupError(
            f"the copy of {database} fails SQLite's integrity check ({problems[0]}); "
            "no backup was written"
        )
