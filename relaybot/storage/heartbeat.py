"""The heartbeat file next to the database: what `relaybot health` reads.

The running bot writes ``running`` (with its process id) at start and every 30 s while its
outbox worker is alive, and ``stopped`` after a clean stop; `relaybot health` turns that into
one line and an exit code per state.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

BEAT_SECONDS = 30.0
MAX_AGE = 3 * BEAT_SECONDS  # three missed beats: stuck

# exit codes of `relaybot health`, one per state (2 is a settings error, as for every command)
OK, STUCK, STOPPED, NOT_STARTED, DIED = 0, 1, 3, 4, 5


def heartbeat_path(database: Path | str) -> Path:
    return Path(database).parent / "heartbeat"


def _write(path: Path, state: str, now: float) -> None:
    data = {"state": state, "pid": os.getpid(), "host": socket.gethostname(), "at": now}
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    temporary.replace(path)


def beat(path: Path, now: float | None = None) -> None:
    _write(path, "running", time.time() if now is None else now)


def mark_stopped(path: Path, now: float | None = None) -> None:
    _write(path, "stopped", time.time() if now is None else now)


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
    pid, host = data.get("pid"), data.get("host")
    if isinstance(pid, int) and host == socket.gethostname() and not _alive(pid):
        return Health(DIED, f"not running: process {pid} ended without a clean stop")
    if age > MAX_AGE:
        return Health(STUCK, f"stuck: heartbeat is {age:.0f} s old (more than {MAX_AGE:.0f} s)")
    return Health(OK, f"ok: running, heartbeat {age:.0f} s old")
