"""`relaybot backup FILE`: an online, consistent copy of the SQLite database, mode 0600.

SQLite's own online backup (`sqlite3.Connection.backup`) reads a snapshot beside a running bot
(WAL: the bot's writes go on meanwhile), so no `sqlite3` tool is needed. The copy holds what
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


def _copy(database: Path, temporary: Path) -> None:
    source = sqlite3.connect(readonly_uri(database), uri=True)
    copy = sqlite3.connect(temporary)
    try:
        source.backup(copy)  # in one step: a consistent snapshot, the bot's writes go on
        copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
        problems = [str(row[0]) for row in copy.execute("PRAGMA integrity_check")]
    except sqlite3.Error as error:
        raise BackupError(f"cannot back up {database}: {error}") from error
    finally:
        copy.close()
        source.close()
    if problems != ["ok"]:
        raise BackupError(
            f"the copy of {database} fails SQLite's integrity check ({problems[0]}); "
            "no backup was written"
        )
