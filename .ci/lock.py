"""The dependency lock: requirements.lock pins every runtime dependency with its hashes.

    python3 .ci/lock.py           check that requirements.lock matches pyproject.toml
    python3 .ci/lock.py --write   re-resolve it (needs uv: pip install uv) and stamp it

The check needs nothing but Python: the lock's header records a SHA-256 of pyproject.toml's
dependency list, and every dependency must appear pinned in the lock. Change a dependency
without re-locking and CI fails with one line saying what to run.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
STAMP = "# dependencies-sha256: "
COMPILE = [
    "uv", "pip", "compile", "pyproject.toml", "--generate-hashes", "--python-version", "3.11",
    "--no-header", "--output-file", "requirements.lock",
]  # fmt: skip


def dependencies() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return list(tomllib.load(fh)["project"]["dependencies"])


def fingerprint(deps: list[str]) -> str:
    canonical = "\n".join(sorted(" ".join(dep.split()) for dep in deps))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _name(dep: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", dep)
    assert match, dep
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def check() -> str | None:
    """None when the lock matches, else one line saying what is wrong."""
    if not LOCK.exists():
        return "requirements.lock is missing: run python3 .ci/lock.py --write"
    text = LOCK.read_text(encoding="utf-8")
    stamp = next((line for line in text.splitlines() if line.startswith(STAMP)), None)
    if stamp is None or stamp[len(STAMP) :].strip() != fingerprint(dependencies()):
        return (
            "requirements.lock does not match the dependencies in pyproject.toml: "
            "run python3 .ci/lock.py --write and commit it"
        )
    pinned = {_name(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9._-]+)==", text, re.M)}
    missing = sorted({_name(dep) for dep in dependencies()} - pinned)
    if missing:
        return f"requirements.lock pins no version of {', '.join(missing)}: re-lock it"
    if re.search(r"^[A-Za-z0-9._-]+==[^\s\\]+\s*$", text, re.M):
        return "requirements.lock has a pin without hashes: re-lock it with --generate-hashes"
    return None


def write() -> None:
    if shutil.which("uv") is None:
        sys.exit("lock: uv is needed to re-resolve (pip install uv)")
    subprocess.run([*COMPILE, "--quiet"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    body = LOCK.read_text(encoding="utf-8")
    header = (
        "# Runtime dependencies of relaybot, pinned with hashes (pip install --require-hashes).\n"
        "# Made by: python3 .ci/lock.py --write  (" + " ".join(COMPILE) + ")\n"
        f"{STAMP}{fingerprint(dependencies())}\n"
    )
    LOCK.write_text(header + body, encoding="utf-8")


def main() -> int:
    if sys.argv[1:] == ["--write"]:
        write()
    problem = check()
    if problem:
        print(f"lock: {problem}", file=sys.stderr)
        return 1
    print("lock: requirements.lock matches pyproject.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
