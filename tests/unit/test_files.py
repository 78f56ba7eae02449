"""Files written for the operator (backups, skeletons): 0600, never through a link, whole."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from relaybot.files import private_file


def test_the_file_is_the_owners_alone_and_takes_its_name_when_done(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "network.toml"
    with private_file(target) as temporary:
        assert stat.S_IMODE(temporary.stat().st_mode) == 0o600  # before a byte is written
        temporary.write_text("[network]\n", encoding="utf-8")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "[network]\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["network.toml"]


@pytest.mark.parametrize("replace", [False, True])
def test_a_symbolic_link_is_never_followed_nor_replaced(tmp_path: Path, replace: bool) -> None:
    """A link at the target, even one pointing nowhere yet, is refused: writing through it
    would put the file wherever the link points."""
    elsewhere = tmp_path / "elsewhere.toml"
    target = tmp_path / "network.toml"
    target.symlink_to(elsewhere)
    with pytest.raises(OSError, match="symbolic link"), private_file(target, replace=replace):
        pass
    assert target.is_symlink() and not elsewhere.exists()


def test_an_existing_file_is_kept_unless_replacing(tmp_path: Path) -> None:
    target = tmp_path / "network.toml"
    target.write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError), private_file(target) as temporary:
        temporary.write_text("new\n", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "mine\n"
    with private_file(target, replace=True) as temporary:
        temporary.write_text("new\n", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["network.toml"]


def test_a_failure_in_the_block_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite3"
    with pytest.raises(RuntimeError), private_file(target) as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise RuntimeError("the copy failed")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("code", ["EPERM", "ENOTSUP", "EOPNOTSUPP"])
def test_a_file_system_without_hard_links_still_gets_the_file_never_over_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    """vfat, exFAT and SMB refuse hard links (EPERM, ENOTSUP): the file still takes its name,
    0600; an existing file or a symbolic link there is still neither replaced nor followed.
    Before, the backup failed with a misleading "Operation not permitted"."""
    import errno
    import os

    def refuse(*_args: object) -> None:
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)))

    monkeypatch.setattr(os, "link", refuse)
    target = tmp_path / "backup.sqlite3"
    with private_file(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError), private_file(target) as temporary:
        temporary.write_bytes(b"other")
    assert target.read_bytes() == b"new"
    elsewhere = tmp_path / "elsewhere"
    link = tmp_path / "link.sqlite3"
    link.symlink_to(elsewhere)
    with pytest.raises(OSError), private_file(link) as temporary:
        temporary.write_bytes(b"other")
    assert link.is_symlink() and not elsewhere.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.sqlite3", "link.sqlite3"]
