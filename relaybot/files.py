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
            os.link(temporary, target)  # fails on anything at target, a link included
    finally:
        temporary.unlink(missing_ok=True)
