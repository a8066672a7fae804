"""``civgraph check``: validate data as of a date and name who is accountable."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import click

from civgraph.api import Engine
from civgraph.api import check as run_check
from civgraph.cli_options import (
    StoreChoice,
    as_of_option,
    code_options,
    data_arguments,
    emit,
    engine_option,
    lang_option,
    output_option,
    report_format_option,
    setting_option,
    store_options,
)
from civgraph.render import RENDERERS
from civgraph.settings import Settings
from civgraph.store import OxigraphStore
from civgraph.teardown import release


@click.command("check")
@data_arguments
@as_of_option
@lang_option
@report_format_option
@code_options
@setting_option
@engine_option
@store_options
@output_option
@click.option(
    "--timings",
    is_flag=True,
    help="Also print, on standard error, the seconds each step took (load, rules, validation, "
    "attribution, report): where the time of a large check goes.",
)
def command(
    *,
    data: tuple[Path, ...],
    demo: bool,
    as_of: date | None,
    lang: str,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    settings: tuple[str, ...],
    engine: str,
    store_choice: StoreChoice,
    output: Path | None,
    timings: bool,
) -> int:
    """Check DATA (files or folders of Turtle, N-Triples, N-Quads, TriG, JSON-LD).

    Exit code 0 when nothing of severity Violation is found, 1 when something is, 2 on bad
    input.
    """
    store = store_choice.open()
    if store is None:  # in memory: made here, so the exit need not free it (civgraph.teardown)
        store = OxigraphStore()
        release(store)
    steps: dict[str, float] = {}
    report = run_check(
        list(data),
        as_of=as_of or date.today(),
        settings=Settings.defaults().with_overrides(settings),
        select=select or None,
        ignore=ignore or None,
        demo=demo,
        engine=cast(Engine, engine),
        store=store,
        timings=steps,
    )
    if timings:
        spent = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in steps.items())
        click.echo(f"civgraph: timings: {spent}", err=True)
    for notice in report.notices:
        click.echo(f"civgraph: notice: {notice}", err=True)
    emit(RENDERERS[output_format](report, lang), output)
    return 0 if report.conforms else 1
