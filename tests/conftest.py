"""A test that hangs ends the run within `test_timeout` seconds (pyproject.toml) instead of
using up CI's budget, and the output says where it waited: every thread's stack and, since
most of these tests run on an event loop whose thread only shows `select()`, every asyncio
task's chain of awaits. Then the process exits (status 3): a hung event loop cannot be
trusted to fail the one test and carry on. Under pytest-xdist (`-n auto` in pyproject.toml)
the exiting process is a worker: `--max-worker-restart=0` makes that crash end the whole run
(status 1, the stacks above it), instead of a fresh worker carrying on. `-o test_timeout=0`
turns it off (a debugger)."""

from __future__ import annotations

import asyncio
import faulthandler
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import postgres

_out = {"fd": 2}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "test_timeout",
        "seconds one test (setup, call, teardown) may take; 0: no limit",
        default="0",
    )


def pytest_configure(config: pytest.Config) -> None:
    _out["fd"] = os.dup(sys.__stderr__.fileno())  # before output capture takes fd 2 over


def _awaits(coro: object) -> list[str]:
    """Where a task's coroutine waits: its frame, the one it awaits, and so on down."""
    lines = []
    while coro is not None and len(lines) < 50:
        frame = (
            getattr(coro, "cr_frame", None)
            or getattr(coro, "gi_frame", None)
            or getattr(coro, "ag_frame", None)
        )
        if frame is None:
            lines.append(f"    awaiting {coro!r}"[:300])
            break
        code = frame.f_code
        lines.append(f'    File "{code.co_filename}", line {frame.f_lineno}, in {code.co_name}')
        coro = (
            getattr(coro, "cr_await", None)
            or getattr(coro, "gi_yieldfrom", None)
            or getattr(coro, "ag_await", None)
        )
    return lines


def _report(nodeid: str, seconds: float) -> None:
    fd = _out["fd"]
    os.write(
        fd,
        f"\n\n+++ {nodeid} still running after {seconds:.0f} s: stacks, then exit\n".encode(),
    )
    faulthandler.dump_traceback(fd, all_threads=True)
    lines = []
    try:  # every loop's tasks, read from this thread (a private set: gone in some Python, [])
        tasks = list(getattr(asyncio.tasks, "_all_tasks", ()))
    except RuntimeError:  # it changed while read
        tasks = []
    for task in tasks:
        if not task.done():
            state = "cancel requested" if task.cancelling() else "running"
            lines.append(f"Task {task.get_name()} ({state}):")
            lines.extend(_awaits(task.get_coro()))
    os.write(fd, ("\nasyncio tasks:\n" + "\n".join(lines) + "\n").encode())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    seconds = float(item.config.getini("test_timeout") or 0)
    if seconds <= 0:
        yield
        return
    finished = threading.Event()

    def watch() -> None:
        if not finished.wait(seconds):
            try:
                _report(item.nodeid, seconds)
            finally:
                os._exit(3)

    threading.Thread(target=watch, name="test-timeout", daemon=True).start()
    try:
        yield
    finally:
        finished.set()


# --- the two storage engines ---------------------------------------------------------------

ENGINES = ("sqlite", "postgresql")
_MISSING = (
    f"PostgreSQL is not installed ({postgres.BIN}/initdb): the tests on PostgreSQL are skipped"
    " (apt-get install postgresql)"
)


def pytest_report_header(config: pytest.Config) -> str | None:
    """One clear line when the tests on PostgreSQL cannot run here."""
    return None if postgres.installed() else _MISSING


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.Lazy]:
    """This test process's PostgreSQL (started by the first test that needs it)."""
    if not postgres.installed():
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"CI: {_MISSING}")
        pytest.skip(_MISSING)
    server = postgres.Lazy()
    yield server
    server.stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that uses `engine_name` (through `database_target`, the unit tests' `db`, or
    every end-to-end test) runs once on each engine; one marked `sqlite_only` (it looks at
    what only SQLite has: its file, its locks) on SQLite alone, `postgresql_only` (a standby)
    on PostgreSQL alone."""
    if "engine_name" in metafunc.fixturenames:
        engines = ENGINES
        if metafunc.definition.get_closest_marker("sqlite_only"):
            engines = ("sqlite",)
        elif metafunc.definition.get_closest_marker("postgresql_only"):
            engines = ("postgresql",)
        metafunc.parametrize("engine_name", engines)


@pytest.fixture
async def database_target(
    engine_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Path | str:
    """A fresh, empty database of the test's engine: a SQLite file path, or the URL of a new
    PostgreSQL database."""
    if engine_name == "sqlite":
        return tmp_path / "data" / "relaybot.sqlite3"
    server: postgres.Lazy = request.getfixturevalue("postgres_server")
    return await server.fresh()
