"""The SQLite connection: WAL, foreign keys, migrations, and serialised transactions.

Which way to the database, for what (all on :class:`Database`):

=========================================  ====================================================
``async with db.transaction() as conn``    writes that stand or fall together (every use
                                           case): BEGIN IMMEDIATE, COMMIT, ROLLBACK on error
``async with db.statements() as conn``     one write that is a single statement (atomic on
                                           its own): one trip to the database thread, not three
``async with db.reading() as conn``        reads; the lock keeps them out of our transactions
``async with db.reading_inline() as conn`` the short indexed reads on every send's path,
                                           answered on the event loop's thread
                                           (``execute_fetchall`` only)
``db.quick_one(sql, args)``                a point read by primary key on every group message,
                                           inline and unlocked; None without the read-only
                                           connection (in memory): then use ``reading()``
``db.conn``                                not for queries: the raw connection, unlocked, for
                                           this module and tests that set up a database
=========================================  ====================================================

The file holds residents' reports: it and its folder are created readable by the owner alone,
and deleted content is overwritten (``secure_delete``), so that what the bot erases is gone
from the file and not only from its tables.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from relaybot.storage.migrations import MIGRATIONS


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, args: tuple[object, ...] = ()
) -> aiosqlite.Row | None:
    """The first row of a query, in one trip to the database thread."""
    rows = await conn.execute_fetchall(sql, args)
    return next(iter(rows), None)


async def insert(conn: aiosqlite.Connection, sql: str, args: tuple[object, ...] = ()) -> int:
    """An ``INSERT ... RETURNING id``: the new row's id (both engines; SQLite's ``lastrowid``
    has no PostgreSQL counterpart)."""
    rows = await conn.execute_fetchall(sql, args)
    return int(next(iter(rows))[0])


def is_postgres(conn: object) -> bool:
    """Whether a connection is PostgreSQL's (for the few queries written per engine)."""
    return getattr(conn, "dialect", "sqlite") == "postgresql"


class StorageError(Exception):
    """The database could not be opened or migrated."""


def open_error(path: Path | str, exc: BaseException) -> str:
    """One line for an operator: the file, the setting that names it, and, for a permission
    problem, the user the bot runs as (a Docker volume owned by root is the usual cause)."""
    line = f"cannot open database {path} (set by RELAYBOT_DATABASE): {exc}"
    text = str(exc).lower()
    denied = isinstance(exc, PermissionError) or any(
        word in text for word in ("readonly", "read-only", "permission", "unable to open")
    )
    if denied and hasattr(os, "getuid"):
        folder = Path(path).parent
        line += (
            f"; the bot runs as user id {os.getuid()}, which must be able to write {folder}"
            f" (for example: chown -R {os.getuid()} {folder})"
        )
    return line


def readonly_uri(path: Path | str) -> str:
    """A ``file:`` URI that opens ``path`` read-only. The path is percent-escaped: a ``#`` or
    ``?`` in a folder name would otherwise end the path and open another file."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def create_private(path: Path) -> None:
    """Create the database's folder (0700) and file (0600) if they do not exist yet, and take
    group and other access away from an existing file (one made by an older version)."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700)
    else:
        os.close(fd)
    for suffix in ("-wal", "-shm"):  # SQLite gives these the file's own mode when it makes them
        side = path.with_name(path.name + suffix)
        if side.exists() and stat.S_IMODE(side.stat().st_mode) & 0o077:
            side.chmod(0o600)


class InlineReads:
    """The read call of an aiosqlite connection (`execute_fetchall`) answered on the event
    loop's own thread by the read-only connection. A trip to aiosqlite's thread costs two
    thread wake-ups, and on a busy machine each of those waits for a turn on a CPU: a short
    indexed read answered here costs a few microseconds instead."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    async def execute_fetchall(
        self, sql: str, parameters: tuple[object, ...] = ()
    ) -> list[sqlite3.Row]:
        cursor = self._conn.cursor()
        cursor.row_factory = sqlite3.Row  # as aiosqlite's rows
        rows: list[sqlite3.Row] = cursor.execute(sql, parameters).fetchall()
        return rows


class Database:
    """One connection, used by one coroutine at a time.

    aiosqlite runs every statement on one thread; the lock keeps a transaction's statements
    together so that concurrent handlers never interleave inside each other's transactions.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._quick: sqlite3.Connection | None = None
        self._file: tuple[int, int] | None = None  # (device, inode) of the file opened

    async def open(self) -> Database:
        try:
            if isinstance(self.path, Path):
                create_private(self.path)
            self._conn = await aiosqlite.connect(str(self.path), isolation_level=None)
            self._conn.row_factory = aiosqlite.Row
            await self._conn.execute("PRAGMA secure_delete = ON")  # erased means overwritten
            await self._conn.execute("PRAGMA journal_mode = WAL")
            await self._conn.execute("PRAGMA foreign_keys = ON")
            await self._conn.execute("PRAGMA busy_timeout = 1000")
            await self._conn.execute("PRAGMA synchronous = NORMAL")
            await self.migrate()
            if isinstance(self.path, Path):
                self._quick = sqlite3.connect(readonly_uri(self.path), uri=True)
                opened = self.path.stat()
                self._file = (opened.st_dev, opened.st_ino)
        except (aiosqlite.Error, sqlite3.Error, OSError) as exc:
            raise StorageError(open_error(self.path, exc)) from exc
        return self

    def lost(self) -> str | None:
        """One line when the file at the database's path is no longer the file this
        connection opened (removed, or another put in its place): the bot would go on writing
        into a file nobody can open again, and a restart would begin an empty database
        (incident numbers from #1 again). None while it is the same file."""
        if self._file is None or not isinstance(self.path, Path):
            return None
        try:
            now = self.path.stat()
        except FileNotFoundError:
            what = "removed"
        except OSError:
            return None  # cannot tell (a permission change): not a reason to stop
        else:
            if (now.st_dev, now.st_ino) == self._file:
                return None
            what = "replaced by another file"
        return (
            f"database {self.path} was {what} while the bot was running; stopping (a restart "
            "opens whatever is at that path then: put a backup there first, or the bot starts "
            "an empty database and numbers incidents from #1 again)"
        )

    def quick_one(self, sql: str, args: tuple[object, ...] = ()) -> tuple[object, ...] | None:
        """A point read by primary key, answered inline, for the busiest path (every group
        message). A hand-off to aiosqlite's thread costs far more than such a read; WAL lets
        this read-only connection see everything committed. None: no such row, or no quick
        connection (an in-memory database), in which case callers use `reading()`."""
        if self._quick is None:
            return None
        row: tuple[object, ...] | None = self._quick.execute(sql, args).fetchone()
        return row

    @property
    def has_quick(self) -> bool:
        return self._quick is not None

    async def close(self) -> None:
        if self._quick is not None:
            self._quick.close()
            self._quick = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError("database is not open")
        return self._conn

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the file and truncate it, so that pages an erasure
        overwrote no longer linger in the -wal file."""
        async with self._lock:
            await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply every migration newer than the database, each in its own transaction."""
        current = await self.version()
        for number, statements in enumerate(MIGRATIONS, start=1):
            if number <= current:
                continue
            async with self.transaction() as conn:
                for statement in statements:
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {number}")
        return await self.version()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            conn = self.conn
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                try:
                    await conn.execute("COMMIT")
                except BaseException:  # disk full, I/O error: leave no transaction open
                    with contextlib.suppress(sqlite3.Error, ValueError):
                        await conn.execute("ROLLBACK")
                    raise

    @asynccontextmanager
    async def statements(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection without BEGIN: each statement is a transaction of its own (SQLite
        makes one statement atomic). One trip to the database thread instead of three, for a
        write that is a single statement."""
        async with self._lock:
            yield self.conn

    # the claim of rows about to be sent (PostgreSQL commits it without waiting for the disk;
    # SQLite's WAL with synchronous = NORMAL waits at no commit)
    claiming = statements

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            yield self.conn

    @asynccontextmanager
    async def reading_inline(self) -> AsyncIterator[aiosqlite.Connection]:
        """Like `reading`, for the few short indexed reads on the path of every send (which
        rows are next, what a row is to send): answered inline by the read-only connection
        (`InlineReads`, which offers `execute_fetchall` only). The lock still keeps them
        apart from our own transactions, so they see what was committed last, as `reading`
        does. An in-memory database has no second connection: then it is `reading`."""
        async with self._lock:
            if self._quick is None:
                yield self.conn
            else:
                yield InlineReads(self._quick)  # type: ignore[misc]
