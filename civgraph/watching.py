"""Check data again whenever its files change, the store kept in memory between checks.

An analyst fixing records, or an import landing new files, sees the findings follow in about
what the change reaches rather than in a full check: :class:`civgraph.api.IncrementalSession`
re-derives only the rules a change reaches and re-validates only the focus nodes it can affect.
The files are looked at every ``interval`` seconds (their names, sizes and modification times);
a check runs when any of them changed. Bad input in one check (a file half-written, a typo
in Turtle) is reported and the watch goes on: the next change is checked in full.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from civgraph.api import Engine, IncrementalSession
from civgraph.errors import InputError
from civgraph.findings import CheckReport
from civgraph.incremental import IncrementalStats
from civgraph.loading import rdf_files
from civgraph.settings import Settings

#: What the files look like: (path, size, modification time) of each, in order.
Signature = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, kw_only=True)
class WatchRun:
    """One check of a watch: its report, or the input error that stopped it."""

    number: int
    seconds: float
    report: CheckReport | None = None
    stats: IncrementalStats | None = None
    error: str | None = None
    new: int = 0  #: findings not in the previous successful check
    resolved: int = 0  #: findings of the previous successful check gone now


def signature(sources: Sequence[Path]) -> Signature | None:
    """The files' names, sizes and modification times (None when a source is unreadable)."""
    try:
        files = rdf_files(sources)
        return tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files)
    except (InputError, OSError):
        return None


def watch(
    sources: Sequence[Path],
    *,
    state_dir: Path,
    as_of: date,
    on_run: Callable[[WatchRun], None],
    settings: Settings | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    engine: Engine = "sparql",
    interval: float = 2.0,
    runs: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
) -> WatchRun | None:
    """Check ``sources`` now and after every change, calling ``on_run`` after each check.

    Stops after ``runs`` checks, or when ``should_stop()`` says so between two looks at the
    files; returns the last check. The session's snapshot is written on the way out.
    """
    last: WatchRun | None = None
    seen: Signature | None = None
    keys: frozenset[str] | None = None
    count = 0
    with IncrementalSession(
        sources,
        state_dir=state_dir,
        settings=settings,
        select=select,
        ignore=ignore,
        engine=engine,
        snapshot="on-close",
    ) as session:
        while True:
            now = signature(sources)
            if count == 0 or now != seen:
                seen = now
                count += 1
                started = time.perf_counter()
                try:
                    report, stats = session.check(as_of=as_of)
                except InputError as exc:
                    last = WatchRun(
                        number=count, seconds=time.perf_counter() - started, error=str(exc)
                    )
                else:
                    current = frozenset(f.key for f in report.findings)
                    before = keys if keys is not None else frozenset()
                    last = WatchRun(
                        number=count,
                        seconds=time.perf_counter() - started,
                        report=report,
                        stats=stats,
                        new=len(current - before),
                        resolved=len(before - current),
                    )
                    keys = current
                on_run(last)
                if runs is not None and count >= runs:
                    return last
            if should_stop():
                return last
            sleep(interval)
