"""``civgraph watch``: check data again whenever its files change (see :mod:`civgraph.watching`)."""

from __future__ import annotations

import signal
from datetime import date
from pathlib import Path
from types import FrameType

import click

from civgraph.cli_options import (
    DATE,
    code_options,
    emit,
    lang_option,
    output_option,
    report_format_option,
    setting_option,
)
from civgraph.render import RENDERERS
from civgraph.settings import Settings
from civgraph.watching import WatchRun, watch


@click.command("watch")
@click.argument(
    "data", nargs=-1, required=True, type=click.Path(path_type=Path, exists=False, dir_okay=True)
)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    required=True,
    help="Judge the data as of this date, in every check of the watch.",
)
@click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="A folder that keeps the data and the last results between runs (created if absent; "
    "the same as `nightly --store`). The snapshot is written when the watch ends.",
)
@lang_option
@report_format_option
@code_options
@setting_option
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Seconds between two looks at the files (names, sizes, modification times).",
)
@click.option(
    "--runs",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after this many checks (default: until interrupted with Ctrl-C or SIGTERM).",
)
@output_option
def command(
    *,
    data: tuple[Path, ...],
    as_of: date,
    store_path: Path,
    lang: str,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    settings: tuple[str, ...],
    interval: float,
    runs: int | None,
    output: Path | None,
) -> int:
    """Check DATA now and again whenever its files change, the store kept in memory.

    After each check one line on standard error says what ran and what changed, and the report
    is written (atomically with -o, so a reader always sees a whole one). A check stopped by
    bad input is reported and the watch goes on. Exit code of the last check: 0 conforms, 1
    violations found, 2 bad input.
    """
    stopping: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)  # finish the check under way, then write the snapshot

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}

    def show(run: WatchRun) -> None:
        if run.report is None:
            click.echo(f"civgraph: watch: check {run.number}: error: {run.error}", err=True)
            return
        assert run.stats is not None
        how = "full" if run.stats.full else f"{len(run.stats.rules_run)} rules re-run"
        click.echo(
            f"civgraph: watch: check {run.number} ({how}, {run.seconds:.2f} s): "
            f"{len(run.report.findings)} findings, {run.new} new, {run.resolved} resolved",
            err=True,
        )
        emit(RENDERERS[output_format](run.report, lang), output)

    try:
        last = watch(
            list(data),
            state_dir=store_path,
            as_of=as_of,
            settings=Settings.defaults().with_overrides(settings),
            select=select or None,
            ignore=ignore or None,
            interval=interval,
            runs=runs,
            on_run=show,
            should_stop=lambda: bool(stopping),
        )
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if last is None or last.report is None:
        return 2
    return 0 if last.report.conforms else 1
