"""``civgraph nightly``: check, keep the history, publish the site (see docs/nightly.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import click

from civgraph.api import Engine
from civgraph.cli_options import (
    DATE,
    StoreChoice,
    engine_option,
    setting_option,
    store_options,
)
from civgraph.errors import UsageError
from civgraph.history import HistoryLocked
from civgraph.nightly import EXIT_LOCKED, choose_check, run_nightly
from civgraph.progress import Progress, configure_logging
from civgraph.settings import SettingError, Settings


@click.command("nightly")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="A data file or folder (repeatable).",
)
@click.option("--demo", is_flag=True, help="Check the built-in demo city instead of --data.")
@click.option(
    "--history",
    "history",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="The history folder (created on first run).",
)
@click.option(
    "--site",
    "site",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder the static site and report files are published to (replaced whole).",
)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help="Judge the data as of this date (default: today, the machine's local date). "
    "Re-running a date replaces that date's run.",
)
@setting_option
@engine_option
@store_options
@click.option("--quiet", is_flag=True, help="No progress display; log only warnings and errors.")
def command(
    *,
    data: tuple[Path, ...],
    demo: bool,
    history: Path,
    site: Path,
    as_of: date | None,
    settings: tuple[str, ...],
    engine: str,
    store_choice: StoreChoice,
    quiet: bool,
) -> int:
    """Run the nightly check: store the run in HISTORY, compare, publish the SITE.

    With --store the data is kept in that folder between runs and each run re-validates only
    what changed since the last one (with the SPARQL engine); with --endpoint the graph is
    checked where it lives.

    Prints one summary line (new / resolved / persisting / recurring / escalated). Exit codes:
    0 conforms, 1 violations found, 2 usage or input error, 3 another nightly run holds the
    history's lock (nothing changed).
    """
    if not data and not demo and not store_choice.endpoint:
        raise UsageError("nightly needs --data PATH (repeatable), --demo or --endpoint")
    check = choose_check(
        engine=cast(Engine, engine),
        store_path=store_choice.store_path,
        store=store_choice.open(allow_path=False),
    )
    try:
        chosen = Settings.defaults().with_overrides(settings)
    except SettingError as exc:
        raise UsageError(str(exc)) from None
    progress = Progress.create(quiet=quiet)
    if not progress.live:
        configure_logging(quiet=quiet)
    try:
        result = run_nightly(
            list(data),
            demo=demo,
            history=history,
            site=site,
            as_of=as_of or date.today(),
            settings=chosen,
            progress=progress,
            check=check,
        )
    except HistoryLocked as exc:
        click.echo(f"civgraph: {exc}", err=True)
        return EXIT_LOCKED
    click.echo(result.summary())
    return result.exit_code
