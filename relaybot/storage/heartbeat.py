"""The heartbeat file next to the database: what `relaybot health` reads.

The running bot writes ``running`` (with its process id) at start and every 30 s while its
outbox worker is alive (on PostgreSQL with the ``lease`` generation it holds: active), a
process waiting for the lease ``standby`` every second, ``stopped`` after a clean stop, and
``failed`` with the reason when it stopped on a failure of its own (its database removed
under it); `relaybot health` turns that into one line and an exit code per state. While
running it also notes the update whose handling keeps failing (``retrying``) and the last one
set aside (``set_aside``), written the moment either changes. The file is the bot's alone (0600),
as the database.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BEAT_SECONDS = 30.0
MAX_AGE = 3 * BEAT_SECONDS  # three missed beats: stuck
# a set-aside update is news (exit 6) for an hour: Docker's health check would otherwise
# mark the container unhealthy for good over one old update, until the bot restarts
SET_ASIDE_NEWS = 3600.0

# exit codes of `relaybot health`, one per state (2 is a settings error, as for every command)
OK, STUCK, STOPPED, NOT_STARTED, DIED, SET_ASIDE = 0, 1, 3, 4, 5, 6


def heartbeat_path(database: Path | str) -> Path:
    return Path(database).parent / "heartbeat"


def _write(path: Path, state: str, now: float, notes: dict[str, Any] | None = None) -> None:
    data = {"state": state, "pid": os.getpid(), "host": socket.gethostname(), "at": now}
    # with PostgreSQL no database file made the folder: made as the database's would be
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data.update(notes or {})
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        os.fchmod(fd, 0o600)  # one left by an older version may be 0644
        file.write(json.dumps(data))
    temporary.replace(path)


def beat(path: Path, now: float | None = None, notes: dict[str, Any] | None = None) -> None:
    """Running; `notes`: the update being retried, the last one set aside (see `Trouble`)."""
    _write(path, "running", time.time() if now is None else now, notes)


def mark_standby(path: Path, active: str, now: float | None = None) -> None:
    """PostgreSQL: waiting to take over from the process that holds the lease."""
    _write(path, "standby", time.time() if now is None else now, {"active": active})


def mark_stopped(path: Path, now: float | None = None) -> None:
    _write(path, "stopped", time.time() if now is None else now)


def mark_failed(path: Path, reason: str, now: float | None = None) -> None:
    """The bot stopped because of ``reason`` (one line); its folder is made again if it went
    with the database, so that `relaybot health` can say why."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _write(path, "failed", time.time() if now is None else now, {"reason": reason})


def missing_database(database: Path) -> str | None:
    """One line when the database file is gone but a heartbeat lies beside its place: only a
    bot that ran with a database there writes one (`relaybot run`, after opening it), and
    it stays when the database is deleted, lost with a volume that held only the file, or
    removed under the running bot (which writes ``failed`` then). Starting would make a new,
    empty database: incidents from #1 again in the same chats, replies to old copies
    ignored. The operator restores a backup, or deletes the heartbeat to start afresh."""
    beat_file = heartbeat_path(database)
    if database.exists() or not beat_file.exists():
        return None
    return (
        f"database {database} is missing, but the bot ran with a database there before:"
        f' restore a backup (docs/operating.md, "Backup and restore"), or, to start afresh'
        f" with an empty database (incidents from #1 again), delete {beat_file}"
    )


@dataclass(frozen=True)
class Health:
    code: int
    line: str


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return True


def read_health(path: Path, now: float | None = None) -> Health:
    now = time.time() if now is None else now
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        state, at = str(data["state"]), float(data["at"])
    except FileNotFoundError:
        return Health(NOT_STARTED, f"not started: no heartbeat at {path}")
    except (OSError, ValueError, KeyError, TypeError):
        # an older bot only touched the file: judge by its age
        try:
            state, at, data = "running", path.stat().st_mtime, {}
        except OSError:
            return Health(NOT_STARTED, f"not started: no heartbeat at {path}")
    age = max(0.0, now - at)
    if state == "stopped":
        return Health(STOPPED, f"stopped: the bot stopped cleanly {age:.0f} s ago")
    if state == "failed":
        return Health(DIED, f"not running: {data.get('reason', 'the bot stopped on a failure')}")
    pid, host = data.get("pid"), data.get("host")
    if isinstance(pid, int) and host == socket.gethostname() and not _alive(pid):
        return Health(DIED, f"not running: process {pid} ended without a clean stop")
    if age > MAX_AGE:
        return Health(STUCK, f"stuck: heartbeat is {age:.0f} s old (more than {MAX_AGE:.0f} s)")
    if state == "standby":
        return Health(
            OK,
            f"ok: standby, ready to take over from {data.get('active', '?')}, heartbeat"
            f" {age:.0f} s old",
        )
    role = f"running, active (lease {data['lease']})" if "lease" in data else "running"
    return _updates(data, now) or Health(OK, f"ok: {role}, heartbeat {age:.0f} s old")


def _updates(data: dict[str, Any], now: float) -> Health | None:
    """What the running bot noted about updates it could not handle, if anything."""
    retrying, aside = data.get("retrying"), data.get("set_aside")
    try:
        if isinstance(retrying, dict) and now - float(retrying["since"]) > BEAT_SECONDS:
            return Health(
                STUCK,
                f"stuck: update {retrying['update_id']} ({retrying['kind']}) has failed for"
                f" {now - float(retrying['since']):.0f} s ({retrying['error']}); it is set aside"
                " after RELAYBOT_UPDATE_RETRY_S",
            )
        if isinstance(aside, dict) and now - float(aside["at"]) <= SET_ASIDE_NEWS:
            return Health(
                SET_ASIDE,
                f"running, but {aside['count']} update(s) set aside since the start; the last,"
                f" {aside['update_id']} ({aside['kind']}), {now - float(aside['at']):.0f} s ago"
                f" after {aside['error']} (kept in the table inbox_set_aside; see the logs)",
            )
    except (KeyError, TypeError, ValueError):
        return None  # notes of another version: the heartbeat alone says how the bot is
    return None
