"""Files the bot's commands write for the operator (a backup, a network file skeleton): the
owner's alone (0600) from their first byte, never written through a symbolic link, and never
half-written under their name."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def private_file(target: Path, *, replace: bool = False) -> Iterator[Path]:
    """A new, empty file beside ``target`` (mode 0600) to fill in the block; when the block
    ends without an error it takes ``target``'s name. An existing ``target`` is replaced only
    when ``replace``; a symbolic link at ``target`` (even one pointing nowhere) never is, nor
    followed. Raises `OSError` (`FileExistsError` for an existing target); the temporary file
    never stays behind."""
    if target.is_symlink():
        raise OSError(errno.ELOOP, "is a symbolic link: write to a plain file", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb") as done:  # on disk before it takes the name
            os.fsync(done.fileno())
        if replace:
            os.replace(temporary, target)
        else:
            _take_new_name(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


# what file systems without hard links (vfat, exFAT, SMB) answer os.link with
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP}


def _take_new_name(temporary: Path, target: Path) -> None:
    """``temporary`` takes ``target``'s name only if nothing is there (a link included).
    Where hard links are refused, the name is claimed first with an exclusive create that
    never follows a link, then the file is renamed over that claim."""
    try:
        os.link(temporary, target)  # fails on anything at target, a link included
        return
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    os.close(fd)
    os.replace(temporary, target)
