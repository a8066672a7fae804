"""``civgraph query``: the analysts' SPARQL query library (``queries/*.rq``).

``query list`` shows the library; ``query run NAME`` (or ``query run FILE.rq``) runs one SELECT
on data files or the demo city, with ``--param key=value`` bound as typed RDF terms.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from civgraph.cli_options import (
    StoreChoice,
    data_arguments,
    emit,
    output_option,
    store_options,
)
from civgraph.errors import InputError, UsageError
from civgraph.loading import load_ontology, load_sources
from civgraph.querylib import entries, find_query, run_query, split_pairs
from civgraph.querylib.output import FORMATS, render
from civgraph.store import OxigraphStore, RemoteStore, Store


@click.group("query")
def command() -> None:
    """Run the analysts' SPARQL queries (read-only SELECTs) over civgraph data."""


@command.command("list")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: one line per query; json: names, titles, descriptions and parameters.",
)
def list_queries(*, output_format: str) -> int:
    """List the queries in the library with their titles and parameters."""
    queries = entries()
    if output_format == "json":
        listing = [
            {
                "name": q.name,
                "file": q.path.name,
                "title": q.header.title,
                "description": q.header.description,
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "default": p.default,
                        "description": p.description,
                    }
                    for p in q.header.params
                ],
            }
            for q in queries
        ]
        click.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return 0
    table = Table(title="civgraph queries", caption=f"{len(queries)} queries")
    for column in ("name", "title", "title@en", "params"):
        table.add_column(column, overflow="fold")
    for q in queries:
        params = ", ".join(
            f"{p.name}:{p.type}" + ("" if p.default is None else f"={p.default}")
            for p in q.header.params
        )
        table.add_row(q.name, q.title("zh"), q.title("en"), params)
    terminal = sys.stdout.isatty()
    Console(force_terminal=terminal, width=None if terminal else 10_000, highlight=False).print(
        table
    )
    return 0


@command.command("run")
@click.argument("query_name", metavar="NAME_OR_FILE.rq")
@data_arguments
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A value for one of the query's parameters (repeatable); see `civgraph query list`.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table: for reading; csv: IRIs in full, literals as written; json: a list of objects.",
)
@store_options
@output_option
def run(
    *,
    query_name: str,
    data: tuple[Path, ...],
    demo: bool,
    params: tuple[str, ...],
    output_format: str,
    store_choice: StoreChoice,
    output: Path | None,
) -> int:
    """Run a library query (by NAME) or any SELECT in a .rq file on DATA.

    DATA are files or folders of RDF; the ontology and code lists are always loaded too.
    With --store the query runs on an on-disk store (as a nightly run with --store left it);
    with --endpoint on a remote SPARQL endpoint (the ontology is added to --scratch-graph when
    one is given). Exit code 0 when the query ran (even with no rows), 2 on bad input.
    """
    query = find_query(query_name)
    values = split_pairs(params)
    sources = list(data)
    if demo:
        sources.insert(0, _demo_folder())
    chosen = store_choice.open()
    store: Store
    if chosen is None:
        if not sources:
            raise UsageError("no data given: name files or folders, or use --demo")
        store = OxigraphStore()
        load_ontology(store)
        load_sources(store, sources)
    else:
        if sources:
            raise UsageError("give DATA or --store/--endpoint, not both")
        store = chosen
        if isinstance(store, RemoteStore) and store.scratch_graph:
            store.clear_graph(store.scratch_graph)
            load_ontology(store, graph=store.scratch_graph)
    result = run_query(query, store, values=values)
    terminal = output is None and output_format == "table" and sys.stdout.isatty()
    emit(render(result, fmt=output_format, terminal=terminal), output)
    return 0


def _demo_folder() -> Path:
    """The demo city's folder (generated on first use by :mod:`civgraph.demo`)."""
    try:
        demo = importlib.import_module("civgraph.demo")
    except ImportError:
        raise InputError("the demo city is not available in this installation") from None
    ensure_demo = getattr(demo, "ensure_demo", None)
    if ensure_demo is None:
        raise InputError("the demo city is not available in this installation")
    return Path(ensure_demo())
