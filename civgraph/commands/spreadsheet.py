"""``civgraph template``, ``import`` and ``export``: workbooks as the front door.

The spreadsheet modules (and openpyxl) are imported when one of these commands runs, so they do
not slow down every other command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from civgraph.namespaces import XM

if TYPE_CHECKING:
    from civgraph.spreadsheet.vocabulary import Vocabulary

DEFAULT_BASE = str(XM)

EXIT_OK = 0
EXIT_INPUT = 2

_LANG = click.Choice(["zh", "en"])


def _vocabulary(paths: tuple[Path, ...]) -> Vocabulary | None:
    from civgraph.spreadsheet.vocabulary import Vocabulary

    return Vocabulary.load(list(paths)) if paths else None


_vocabulary_option = click.option(
    "--vocabulary",
    "vocabulary_paths",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Code lists and class labels to use instead of civgraph's ontology/ (repeatable).",
)


@click.command("template")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--lang",
    type=_LANG,
    default="zh",
    show_default=True,
    help="Language of the sheet names, first header row and drop-down values.",
)
@_vocabulary_option
def template(out: Path, *, lang: str, vocabulary_paths: tuple[Path, ...]) -> int:
    """Write an empty workbook OUT.xlsx: one sheet per record type, with drop-down code lists."""
    from civgraph.spreadsheet.api import write_template

    write_template(out, lang=lang, vocabulary=_vocabulary(vocabulary_paths))
    click.echo(f"wrote {out}")
    return EXIT_OK


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The Turtle file to write (only when the whole input is correct).",
)
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    help="Base IRI of the city's instances; a row's IRI is {base}{kind}-{ID}.",
)
@click.option(
    "--lang", type=_LANG, default="en", show_default=True, help="Language of the problem messages."
)
@_vocabulary_option
def import_(
    source: Path, *, out: Path, base: str, lang: str, vocabulary_paths: tuple[Path, ...]
) -> int:
    """Turn a workbook (.xlsx) or a folder of CSV files into Turtle.

    Every problem is listed as SHEET!ROW:COLUMN: message; if there is any, nothing is written
    and the exit code is 2.
    """
    from civgraph.spreadsheet.api import import_book
    from civgraph.spreadsheet.to_rdf import WorkbookErrors

    try:
        result = import_book(
            source, out=out, base=base, lang=lang, vocabulary=_vocabulary(vocabulary_paths)
        )
    except WorkbookErrors as errors:
        for problem in errors.problems:
            click.echo(str(problem), err=True)
        count = len(errors.problems)
        click.echo(
            f"civgraph: {count} problem{'s' if count != 1 else ''} in {source}; nothing written",
            err=True,
        )
        return EXIT_INPUT
    click.echo(f"wrote {out} ({result.triples} triples)")
    return EXIT_OK


@click.command("export")
@click.argument("data", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The workbook to write (.xlsx).",
)
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    help="Base IRI of the city's instances; IDs are what follows {base}{kind}-.",
)
@click.option(
    "--lang", type=_LANG, default="zh", show_default=True, help="Language of the workbook."
)
@_vocabulary_option
def export(
    data: tuple[Path, ...], *, out: Path, base: str, lang: str, vocabulary_paths: tuple[Path, ...]
) -> int:
    """Write the graph in DATA (Turtle, N-Triples, TriG files or folders) as a workbook.

    Anything the workbook cannot carry is listed as a note on stderr.
    """
    from civgraph.spreadsheet.api import export_book

    result = export_book(
        list(data), out=out, base=base, lang=lang, vocabulary=_vocabulary(vocabulary_paths)
    )
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"wrote {out} ({sum(result.rows.values())} rows)")
    return EXIT_OK


commands = [template, import_, export]
