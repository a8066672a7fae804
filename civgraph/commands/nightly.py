"""``civgraph nightly``: check, keep the history, publish the site (see docs/nightly.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from civgraph.cli_options import DATE, setting_option
from civgraph.errors import UsageError
from civgraph.history import HistoryLocked
from civgraph.nightly import EXIT_LOCKED, run_nightly
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
@click.option("--quiet", is_flag=True, help="No progress display; log only warnings and errors.")
def command(
    *,
    data: tuple[Path, ...],
    demo: bool,
    history: Path,
    site: Path,
    as_of: date | None,
    settings: tuple[str, ...],
    quiet: bool,
) -> int:
    """Run the nightly check: store the run in HISTORY, compare, publish the SITE.

    Prints one summary line (new / resolved / persisting / recurring / escalated). Exit codes:
    0 conforms, 1 violations found, 2 usage or input error, 3 another nightly run holds the
    history's lock (nothing changed).
    """
    if not data and not demo:
        raise UsageError("nightly needs --data PATH (repeatable) or --demo")
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
        )
    except HistoryLocked as exc:
        click.echo(f"civgraph: {exc}", err=True)
        return EXIT_LOCKED
    click.echo(result.summary())
    return result.exit_code
