"""Crash-safe file operations: write beside, fsync, then rename into place.

A rename within one filesystem is atomic, so a reader (or a run killed at any moment) sees
either the old file or the new one, never a half-written one. Every helper here fsyncs what it
wrote and the directory that changed, so the state also survives a power cut.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import secrets
import shutil
from pathlib import Path

#: Prefix of the scratch entries a run builds before renaming them into place.
SCRATCH_PREFIX = ".tmp-"

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file at ``path`` and fsync it (``path`` must not be live)."""
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    """Flush a directory's entries (new names, renames) to disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(source: Path, target: Path) -> None:
    """Rename ``source`` onto ``target`` atomically and flush the parent directory."""
    os.replace(source, target)
    fsync_dir(target.parent)


def write_file_atomic(path: Path, data: bytes) -> None:
    """Replace the file at ``path`` with ``data``: write a scratch file beside it, then rename."""
    scratch = path.with_name(f"{SCRATCH_PREFIX}{secrets.token_hex(6)}-{path.name}")
    try:
        write_bytes(scratch, data)
        replace(scratch, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            scratch.unlink()


def scratch_dir(parent: Path, name: str) -> Path:
    """A fresh scratch directory inside ``parent`` (same filesystem as the final place)."""
    path = parent / f"{SCRATCH_PREFIX}{secrets.token_hex(6)}-{name}"
    path.mkdir(parents=True)
    return path


def fsync_tree(root: Path) -> None:
    """fsync every file and directory below ``root`` (after building it with plain writes)."""
    for folder, _dirs, files in os.walk(root, topdown=False):
        for name in files:
            fd = os.open(Path(folder) / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(folder))


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``), if possible."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)


def swap_directory(new: Path, target: Path) -> None:
    """Put the finished directory ``new`` at ``target``, replacing what was there.

    When ``target`` exists the two are exchanged atomically where the kernel allows it (Linux);
    elsewhere the old tree is renamed aside and the new one renamed in (a window of microseconds
    with no ``target``). The old tree is deleted afterwards.
    """
    if not target.exists() and not target.is_symlink():
        replace(new, target)
        return
    if _exchange(new, target):
        fsync_dir(target.parent)
        shutil.rmtree(new)
        return
    aside = target.with_name(f"{SCRATCH_PREFIX}{secrets.token_hex(6)}-old-{target.name}")
    os.replace(target, aside)
    replace(new, target)
    shutil.rmtree(aside)


def sweep_scratch(parent: Path, *, name: str | None = None) -> list[Path]:
    """Delete scratch entries left in ``parent`` by a run that was killed; returns them.

    With ``name``, only the scratch entries made for that name (by :func:`scratch_dir`,
    :func:`write_file_atomic` or :func:`swap_directory`) are touched.
    """
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    for entry in parent.iterdir():
        mine = name is None or entry.name.endswith(f"-{name}")
        if entry.name.startswith(SCRATCH_PREFIX) and mine:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed
