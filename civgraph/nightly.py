"""The nightly run: check, store the run in the history, compare, publish the site and reports.

>>> from datetime import date
>>> result = run_nightly([], demo=True, history=Path("h"), site=Path("s"),
...                      as_of=date(2025, 6, 30))  # doctest: +SKIP
>>> result.exit_code  # doctest: +SKIP
1

Order of work (see docs/nightly.md): take the history lock (or stop with exit code 3) → check
the data as of the date → compare with the stored runs → render the report files → build the
site in a scratch folder → commit the run to the history (run folder, then index) → swap the
site in. A run killed at any moment leaves the history and the site as before or as after.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from civgraph.errors import InputError
from civgraph.findings import CheckReport
from civgraph.history import Comparison, History, PastRun, RunEntry, compare, trend
from civgraph.history.prov import RunMetadata, UsedFile, run_turtle
from civgraph.progress import Progress
from civgraph.settings import Settings
from civgraph.site import SiteInput, write_site

#: Exit codes of ``civgraph nightly``.
EXIT_CONFORMS = 0
EXIT_VIOLATIONS = 1
EXIT_INPUT_ERROR = 2
EXIT_LOCKED = 3

#: The report files published under ``SITE/reports/`` (and ``report.ttl`` kept in the history).
REPORT_TTL = "report.ttl"


if TYPE_CHECKING:
    from civgraph.api import Engine
    from civgraph.store.protocol import Store


class CheckFunction(Protocol):
    """The signature of :func:`civgraph.api.check` (tests pass their own)."""

    def __call__(
        self,
        sources: Sequence[Path],
        *,
        as_of: date,
        settings: Settings | None = None,
        demo: bool = False,
    ) -> CheckReport: ...


@dataclass(frozen=True, kw_only=True)
class NightlyResult:
    """What one nightly run did."""

    run: RunEntry
    report: CheckReport  #: the checked report with clause-5 escalation from history applied
    comparison: Comparison
    history: Path
    site: Path
    replaced: bool  #: a run with the same as-of date was replaced
    pages: int

    @property
    def exit_code(self) -> int:
        return EXIT_CONFORMS if self.report.conforms else EXIT_VIOLATIONS

    def summary(self) -> str:
        """One line for the log or the terminal."""
        counts = self.comparison.counts()
        parts = [
            f"as of {self.run.as_of.isoformat()}:",
            f"{counts['findings']} findings ({counts.get('Violation', 0)} violations,",
            f"{counts.get('Warning', 0)} warnings);",
            f"new {counts['new']}, resolved {counts['resolved']},",
            f"persisting {counts['persisting']}, recurring {counts['recurring']},",
            f"escalated {counts['escalated']}",
        ]
        previous = self.comparison.previous
        parts.append(f"(vs {previous.isoformat()})" if previous else "(first run)")
        if self.replaced:
            parts.append("— replaced the earlier run for this date")
        return " ".join(parts)


def report_files(report: CheckReport) -> dict[str, bytes]:
    """The report files, by name, from the renderers in :mod:`civgraph.render`.

    ``report.ttl`` is the SHACL validation report with accountability; ``report.zh.json`` /
    ``report.en.json`` follow the shipped JSON schema; ``report.zh.csv`` / ``report.en.csv``
    have one row per finding and accountable person.
    """
    from civgraph.render import render_csv, render_json, render_turtle

    files = {REPORT_TTL: render_turtle(report).encode("utf-8")}
    for lang in ("zh", "en"):
        files[f"report.{lang}.json"] = render_json(report, lang).encode("utf-8")
        files[f"report.{lang}.csv"] = render_csv(report, lang).encode("utf-8")
    return files


def _default_check() -> CheckFunction:
    from civgraph.api import check

    return check


def choose_check(
    *, engine: Engine, store_path: Path | None = None, store: Store | None = None
) -> CheckFunction:
    """The check a nightly run uses: in memory, incremental over ``store_path``, or remote."""
    from civgraph.api import check, check_incremental

    def checked(
        sources: Sequence[Path],
        *,
        as_of: date,
        settings: Settings | None = None,
        demo: bool = False,
    ) -> CheckReport:
        if store_path is not None:
            paths = list(sources)
            if demo:
                from civgraph.demo import ensure_demo

                # a stable folder, so unchanged demo files are recognised between runs
                paths.insert(0, ensure_demo(store_path / "demo-data"))
            report, stats = check_incremental(
                paths, state_dir=store_path, as_of=as_of, settings=settings, engine=engine
            )
            report.notices.append(
                "full check: " + stats.reason
                if stats.full
                else f"incremental: {stats.files_changed} files changed, "
                f"{stats.affected_nodes} nodes re-checked, {stats.results_kept} results kept"
            )
            return report
        return check(sources, as_of=as_of, settings=settings, demo=demo, engine=engine, store=store)

    return checked


def _shape_files(codes: Sequence[str]) -> list[UsedFile]:
    from civgraph.catalogue import shape_files

    files = shape_files()
    return [UsedFile.of(files[code], code=code) for code in sorted(codes) if code in files]


def _now() -> datetime:
    """Wall-clock time, for run metadata only (never for evaluation)."""
    return datetime.now(UTC).replace(microsecond=0)


def _check_folders(history: Path, site: Path) -> None:
    h, s = history.resolve(), site.resolve()
    if h == s or h in s.parents or s in h.parents:
        raise InputError(f"--history {history} and --site {site} must be separate folders")


def run_nightly(
    sources: Sequence[Path],
    *,
    history: Path,
    site: Path,
    as_of: date,
    demo: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    check: CheckFunction | None = None,
) -> NightlyResult:
    """One nightly run over ``sources`` (or the demo city), as of ``as_of``.

    Raises :class:`civgraph.history.HistoryLocked` when another run holds the history and
    :class:`civgraph.errors.InputError` on bad input; the history and site are then unchanged.
    """
    settings = settings if settings is not None else Settings.defaults()
    progress = progress if progress is not None else Progress.create(interactive=False)
    run_check = check if check is not None else _default_check()
    _check_folders(history, site)
    store = History(history)
    with store.locked():
        started = _now()
        run_id = f"{started.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"
        progress.info(f"nightly run {run_id}: checking as of {as_of.isoformat()}")
        with progress.step("checking the data"):
            checked = run_check(list(sources), as_of=as_of, settings=settings, demo=demo)
        with progress.step("comparing with the history"):
            entries = store.entries()
            replaced = any(e.as_of == as_of for e in entries)
            past = store.past_runs()
            previous = store.previous(as_of)
            comparison = compare(
                as_of=as_of,
                findings=checked.findings,
                past=past,
                previous_findings=store.findings(previous) if previous else [],
                obligations=checked.obligations,
                persisting_escalation_days=settings.persisting_escalation_days,
            )
        report = dataclasses.replace(checked, findings=comparison.findings)
        with progress.step("rendering the report files"):
            downloads = report_files(report)
        with progress.step("hashing the files used"):
            data_files = [UsedFile.of(Path(p)) for p in checked.sources if Path(p).is_file()]
            shapes = _shape_files(list(checked.obligations))
        keys = frozenset(t.key for t in comparison.tracked)
        runs = [p for p in past if p.as_of < as_of] + [PastRun(as_of=as_of, keys=keys)]
        counts = comparison.counts()
        committed: list[RunEntry] = []

        def commit() -> None:
            progress.info(f"storing the run in {history}")
            ended = _now()
            meta = RunMetadata(
                run_id=run_id,
                as_of=as_of,
                started=started,
                ended=ended,
                version=checked.version,
                engine=checked.engine,
                data=data_files,
                shapes=shapes,
                report_files=[(REPORT_TTL, _sha256(downloads[REPORT_TTL]))],
                conforms=report.conforms,
                findings=len(report.findings),
            )
            entry = RunEntry(
                as_of=as_of,
                run_id=run_id,
                folder="",
                started=started.isoformat(),
                ended=ended.isoformat(),
                version=checked.version,
                conforms=report.conforms,
                counts=counts,
                settings=dataclasses.asdict(settings),
            )
            committed.append(
                store.commit(
                    entry,
                    comparison=comparison,
                    prov=run_turtle(meta),
                    files={REPORT_TTL: downloads[REPORT_TTL]},
                )
            )

        pages = write_site(
            site,
            SiteInput(report=report, comparison=comparison, trend=trend(runs), downloads=downloads),
            before_swap=commit,
            progress=progress,
        )
    return NightlyResult(
        run=committed[0],
        report=report,
        comparison=comparison,
        history=history,
        site=site,
        replaced=replaced,
        pages=len(pages),
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = [
    "EXIT_CONFORMS",
    "EXIT_INPUT_ERROR",
    "EXIT_LOCKED",
    "EXIT_VIOLATIONS",
    "CheckFunction",
    "NightlyResult",
    "report_files",
    "run_nightly",
]
