"""The dependency lock: requirements.lock matches pyproject.toml and pins with hashes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lock_module():
    spec = importlib.util.spec_from_file_location("ci_lock", ROOT / ".ci" / "lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_lock_matches_pyproject() -> None:
    """The shipped requirements.lock was made from pyproject.toml's current dependencies and
    every pin carries hashes; the Dockerfile installs from it with --require-hashes."""
    assert lock_module().check() is None
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in dockerfile and "--no-deps ." in dockerfile
    assert "FROM python:3.11." in dockerfile  # pinned by version, not a floating tag


def test_a_changed_dependency_list_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dependency added to pyproject.toml without re-locking fails the check with one line
    saying what to run."""
    lock = lock_module()
    deps = lock.dependencies()
    monkeypatch.setattr(lock, "dependencies", lambda: [*deps, "rich>=13"])
    problem = lock.check()
    assert problem is not None and "--write" in problem and "\n" not in problem


def test_advisory_lower_bounds_are_raised() -> None:
    """tornado, h11 and httpx are held at versions past their known advisories, in
    pyproject.toml and in the lock."""
    deps = " ".join(lock_module().dependencies())
    assert "tornado>=6.5" in deps and "h11>=0.16" in deps and "httpx>=0.28.1" in deps
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = dict(line.split(" ")[0].split("==") for line in text.splitlines() if "==" in line[:40])
    assert tuple(int(x) for x in pins["tornado"].split(".")[:2]) >= (6, 5)
    assert tuple(int(x) for x in pins["h11"].split(".")[:2]) >= (0, 16)
