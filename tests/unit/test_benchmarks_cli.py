"""`python -m benchmarks`: where its figures go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import run


@pytest.fixture
def no_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The runs replaced by the committed figures; the scratch folder in tmp_path."""
    saved = json.loads(run.RAW.read_text(encoding="utf-8"))["results"]

    async def figures(_quick: bool) -> dict[str, object]:
        return saved

    monkeypatch.setattr(run, "run_all", figures)
    monkeypatch.setattr(run, "quiet_logs", lambda: None)  # the log set-up is not ours to change
    monkeypatch.setattr(run, "SCRATCH", tmp_path / "scratch")
    return tmp_path / "scratch"


def test_quick_writes_to_a_scratch_folder_not_the_committed_results(
    no_runs: Path, capsys: pytest.CaptureFixture
) -> None:
    """`--quick` leaves the committed RESULTS.md and results.json alone and says where its
    own figures went."""
    before = (run.RESULTS.read_bytes(), run.RAW.read_bytes())
    run.main(["--quick"])
    assert (run.RESULTS.read_bytes(), run.RAW.read_bytes()) == before
    assert (no_runs / "RESULTS.md").exists() and (no_runs / "results.json").exists()
    assert f"written: {no_runs / 'RESULTS.md'}" in capsys.readouterr().out


def test_write_sends_quick_figures_to_the_committed_files() -> None:
    """`--quick --write` and a full run write the committed files; a quick look does not."""
    assert run.destinations(quick=True, write=True) == (run.RESULTS, run.RAW)
    assert run.destinations(quick=False, write=False) == (run.RESULTS, run.RAW)
    assert run.destinations(quick=True, write=False)[0].parent == run.SCRATCH


def test_instruction_counts_are_read_per_thread_main_thread_first(tmp_path: Path) -> None:
    """callgrind writes a file per thread (cg-01 the main thread); each total is its
    `summary:` line. A run that wrote none says where valgrind's log is."""
    from benchmarks.instructions import _summaries

    (tmp_path / "cg-02").write_text("events: Ir\nsummary: 52000\n")
    (tmp_path / "cg-01").write_text("version: 1\nsummary: 1296000\ntotals: 1296000\n")
    assert _summaries(tmp_path) == [1296000, 52000]
    with pytest.raises(RuntimeError, match="log"):
        _summaries(tmp_path / "empty")


def test_instructions_without_valgrind_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from benchmarks import instructions

    monkeypatch.setattr(instructions.shutil, "which", lambda _name: None)
    with pytest.raises(SystemExit, match="needs valgrind"):
        instructions.main([])
