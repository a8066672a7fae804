"""The history folder: one record per run, an index of runs, a lock, crash-safe commits.

Layout of a history folder ``DIR``::

    DIR/index.json                       the runs, by as-of date (the commit point)
    DIR/runs/<as-of>--<run id>/          one folder per run
        findings.json                    the findings with status, first seen, age, escalation
        keys.txt                         the finding keys, one a line (for fast comparison)
        run.ttl                          PROV metadata of the run
        report.ttl …                     the report files the run produced, if any
    DIR/.lock                            held (flock) while a run writes

A run folder is built under a scratch name, fsynced, then renamed into ``runs/``; the index is
rewritten the same way *last*. A reader believes only the index, so a run killed at any moment
leaves the history exactly as before (the index still lists the old runs, and a half-built
folder is an unlisted leftover) or exactly as after. Leftovers are swept by the next run.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

from civgraph import atomic, locking
from civgraph.errors import CivgraphError, InputError
from civgraph.findings import Finding
from civgraph.history.compare import Comparison, PastRun
from civgraph.history.records import (
    FORMAT,
    RunEntry,
    Tracked,
    dumps,
    loads,
    tracked_from_json,
    tracked_to_json,
)

INDEX_FILE = "index.json"
RUNS_FOLDER = "runs"
LOCK_FILE = ".lock"
FINDINGS_FILE = "findings.json"
KEYS_FILE = "keys.txt"
PROV_FILE = "run.ttl"


class HistoryLocked(CivgraphError):
    """Another run holds the history's lock (``civgraph nightly`` exits 3)."""


class History:
    """A history folder (created on first write)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock_handle: IO[str] | None = None

    # -- locking ---------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the history's lock for the block; raise :class:`HistoryLocked` if it is taken.

        The lock is an ``flock`` on ``DIR/.lock``: the kernel drops it when the holder exits,
        even when killed, so a stale lock file is harmless.
        """
        self._ensure_root()
        handle = locking.hold(
            self.root / LOCK_FILE,
            what="the history",
            busy=lambda who: HistoryLocked(
                f"{self.root}: another civgraph nightly run holds the history lock{who}; "
                "nothing was changed"
            ),
        )
        try:
            self._lock_handle = handle
            yield
        finally:
            self._lock_handle = None
            handle.close()

    # -- reading ---------------------------------------------------------------------------

    def entries(self) -> list[RunEntry]:
        """The runs listed in the index, oldest as-of first (empty for a new history)."""
        path = self.root / INDEX_FILE
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise InputError(f"{path}: cannot read the history index ({exc.strerror})") from None
        raw = loads(data, origin=str(path))
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise InputError(f"{path}: not a {FORMAT} index")
        try:
            runs = [RunEntry.from_json(item) for item in raw["runs"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}: damaged history index ({exc})") from None
        return sorted(runs, key=lambda r: r.as_of)

    def entry(self, as_of: date) -> RunEntry | None:
        """The stored run for ``as_of``, if any."""
        return next((e for e in self.entries() if e.as_of == as_of), None)

    def keys(self, entry: RunEntry) -> frozenset[str]:
        """The finding keys of a stored run."""
        text = self._read(entry, KEYS_FILE).decode("utf-8")
        return frozenset(line for line in text.splitlines() if line)

    def past_runs(self) -> list[PastRun]:
        """Every stored run as (as-of, keys), for comparison and the trend chart."""
        return [PastRun(as_of=e.as_of, keys=self.keys(e)) for e in self.entries()]

    def tracked(self, entry: RunEntry) -> list[Tracked]:
        """The findings of a stored run, with their status and age."""
        origin = self.root / entry.folder / FINDINGS_FILE
        raw = loads(self._read(entry, FINDINGS_FILE), origin=str(origin))
        try:
            return [tracked_from_json(item) for item in raw["findings"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{origin}: damaged findings file ({exc})") from None

    def findings(self, entry: RunEntry) -> list[Finding]:
        return [t.finding for t in self.tracked(entry)]

    def previous(self, as_of: date) -> RunEntry | None:
        """The latest stored run strictly before ``as_of``."""
        earlier = [e for e in self.entries() if e.as_of < as_of]
        return earlier[-1] if earlier else None

    def _read(self, entry: RunEntry, name: str) -> bytes:
        path = self.root / entry.folder / name
        try:
            return path.read_bytes()
        except OSError as exc:
            raise InputError(
                f"{path}: missing or unreadable history file ({exc.strerror}); "
                "see docs/nightly.md, 'Recovering'"
            ) from None

    # -- writing ---------------------------------------------------------------------------

    def commit(
        self,
        entry: RunEntry,
        *,
        comparison: Comparison,
        prov: bytes,
        files: Mapping[str, bytes] | None = None,
    ) -> RunEntry:
        """Store one run and list it in the index (replacing a run with the same as-of date).

        Call it while holding :meth:`locked`. Returns the entry as listed.
        """
        if self._lock_handle is None:
            raise RuntimeError("History.commit needs the history lock (use History.locked())")
        runs = self._ensure_root() / RUNS_FOLDER
        runs.mkdir(exist_ok=True)
        name = f"{entry.as_of.isoformat()}--{entry.run_id}"
        scratch = atomic.scratch_dir(runs, name)
        body: dict[str, Any] = {
            "format": FORMAT,
            "as_of": entry.as_of.isoformat(),
            "run_id": entry.run_id,
            "previous": comparison.previous.isoformat() if comparison.previous else None,
            "findings": [tracked_to_json(t) for t in comparison.tracked],
        }
        atomic.write_bytes(scratch / FINDINGS_FILE, dumps(body))
        keys = "".join(f"{k}\n" for k in sorted({t.key for t in comparison.tracked}))
        atomic.write_bytes(scratch / KEYS_FILE, keys.encode("utf-8"))
        atomic.write_bytes(scratch / PROV_FILE, prov)
        for file_name, data in (files or {}).items():
            atomic.write_bytes(scratch / file_name, data)
        atomic.fsync_dir(scratch)
        atomic.replace(scratch, runs / name)

        listed = RunEntry(
            as_of=entry.as_of,
            run_id=entry.run_id,
            folder=f"{RUNS_FOLDER}/{name}",
            started=entry.started,
            ended=entry.ended,
            version=entry.version,
            conforms=entry.conforms,
            counts=entry.counts,
            settings=entry.settings,
        )
        before = self.entries()
        kept = [e for e in before if e.as_of != entry.as_of]
        index = {
            "format": FORMAT,
            "runs": [e.to_json() for e in sorted([*kept, listed], key=lambda e: e.as_of)],
        }
        atomic.write_file_atomic(self.root / INDEX_FILE, dumps(index))
        self.sweep()
        return listed

    def sweep(self) -> list[Path]:
        """Remove leftovers of killed or replaced runs (folders the index does not list)."""
        removed = atomic.sweep_scratch(self.root)
        runs = self.root / RUNS_FOLDER
        removed += atomic.sweep_scratch(runs)
        if runs.is_dir():
            listed = {Path(e.folder).name for e in self.entries()}
            for folder in runs.iterdir():
                if folder.name not in listed:
                    if folder.is_dir():
                        shutil.rmtree(folder)
                    else:
                        with contextlib.suppress(FileNotFoundError):
                            folder.unlink()
                    removed.append(folder)
        return removed

    def _ensure_root(self) -> Path:
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"{self.root}: the history must be a folder")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{self.root}: cannot create the history ({exc.strerror})") from None
        return self.root
