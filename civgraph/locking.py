"""Folder locks: an ``flock`` on a file, which the kernel drops when its holder exits, even
when killed, so a stale lock file is harmless. The file names the holder's process id."""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

from civgraph.errors import CivgraphError, InputError


def hold(path: Path, *, what: str, busy: Callable[[str], CivgraphError]) -> IO[str]:
    """Take the lock on ``path`` and return its open file (closing it lets go).

    When another process holds it, raise ``busy(who)``, ``who`` naming the holder's process
    (" (process 123)") where the file says it; any other failure is an input error about
    ``what`` is being locked.
    """
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot lock {what} ({exc.strerror})") from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.seek(0)
        holder = handle.read().strip()
        handle.close()
        if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            raise InputError(f"{path}: cannot lock {what} ({exc.strerror})") from None
        raise busy(f" (process {holder})" if holder.isdigit() else "") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle
