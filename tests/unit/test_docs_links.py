"""Every relative link in the Markdown documents leads somewhere: to a file of the repository,
and, with a #fragment, to a heading of that file. The file-by-file tour (docs/architecture.md)
names only files that exist."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
# a path in backticks: from the repository root, or a module path from relaybot/
# a file and, right after it, a function or class in it: `storage/idempotency.py` `claim(conn, ...)`
CODE_NAME = re.compile(r"`([\w/]+\.py)`\s+`([\w.]+)")
CODE_PATH = re.compile(r"`((?:relaybot|tests|docs|benchmarks|deploy)/[\w./-]+|\w+/[\w/]*\w\.py)`")


def documents() -> list[Path]:
    """The Markdown files the repository tracks (README.md, docs/, benchmarks/, ...)."""
    listed = subprocess.run(
        ["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    found = {ROOT / name for name in listed} | {ROOT / "README.md", *ROOT.glob("docs/*.md")}
    return sorted(path for path in found if path.exists())


def prose(text: str) -> str:
    """The text outside fenced code blocks (a `# comment` in a shell block is no heading)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for line in prose(path.read_text(encoding="utf-8")).splitlines():
        match = re.match(r"#{1,6} (.+)", line)
        if match:
            base = anchor(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            result.add(base if count == 0 else f"{base}-{count}")
    return result


def broken_links(path: Path) -> list[str]:
    broken = []
    for target in LINK.findall(prose(path.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):  # https:, mailto: — not ours to check
            continue
        name, _, fragment = target.partition("#")
        linked = (path.parent / name).resolve() if name else path
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(f"{target}: no such heading")
    return broken


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading(path: Path) -> None:
    """A link to a moved or renamed file, or to a heading that changed, is a reader's dead
    end: each is named here."""
    assert broken_links(path) == []


def test_the_link_check_sees_a_broken_link(tmp_path: Path) -> None:
    """The check itself: a missing file and a missing heading are both reported; a link to
    an existing heading, an external link and a link inside a code block are not."""
    (tmp_path / "other.md").write_text("# Other\n\n## Our choices\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n[a](other.md#our-choices) [b](missing.md) [c](other.md#nothing)\n"
        "[d](https://example.org/x) [e](#page)\n```sh\n[f](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == ["missing.md: no such file", "other.md#nothing: no such heading"]


def test_the_architecture_tour_names_only_files_that_exist() -> None:
    """docs/architecture.md follows one /regie file by file: every path it names (from the
    repository root, or from relaybot/) is there, so a module that moves must move here too."""
    text = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    missing = [
        name
        for name in sorted(set(CODE_PATH.findall(text)))
        if not (ROOT / name).exists() and not (ROOT / "relaybot" / name).exists()
    ]
    assert missing == []


def defined(path: Path) -> set[str]:
    """The functions and classes a module defines, as `name` and `Class.method`."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.update({f"{node.name}.{item.name}", item.name})
    return names


def test_the_architecture_tour_names_only_functions_that_exist() -> None:
    """Where docs/architecture.md names a function or class right after its file
    (`storage/idempotency.py` `claim`), the file defines it: a renamed or moved function
    shows here."""
    text = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    pairs = CODE_NAME.findall(text)
    assert len(pairs) > 20  # the tour is still written this way
    missing = []
    for name, function in pairs:
        path = ROOT / name if (ROOT / name).exists() else ROOT / "relaybot" / name
        if not path.exists() or function not in defined(path):
            missing.append(f"{name} {function}")
    assert missing == []


def test_compose_file_points_to_the_docker_section_that_exists() -> None:
    """compose.yaml's first line sends the reader to docs/operating.md's Docker section (the
    README no longer has one)."""
    root = Path(__file__).resolve().parents[2]
    first = (root / "compose.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert 'docs/operating.md: "Docker"' in first
    assert "\n### Docker\n" in (root / "docs" / "operating.md").read_text(encoding="utf-8")
