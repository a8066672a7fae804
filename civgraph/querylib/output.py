"""Query results as a table (rich, wide-character aware), CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, InvalidOperation
from typing import TextIO

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier
from rich.console import Console
from rich.table import Table

from civgraph.namespaces import PREFIXES
from civgraph.querylib.library import QueryResult

FORMATS = ("table", "csv", "json")

_INTEGERS = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.byte,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.negativeInteger,
    XSD.nonPositiveInteger,
    XSD.unsignedInt,
    XSD.unsignedLong,
    XSD.unsignedShort,
    XSD.unsignedByte,
}
_FLOATS = {XSD.decimal, XSD.double, XSD.float}

# Longest namespaces first, so the most specific prefix wins.
_NAMESPACES = sorted(((str(ns), name) for name, ns in PREFIXES.items()), key=lambda p: -len(p[0]))


def lexical(term: Identifier | None) -> str:
    """An IRI as a string, a literal as its lexical form, nothing as ''."""
    return "" if term is None else str(term)


def compact(term: Identifier | None) -> str:
    """Like :func:`lexical`, but an IRI in a known namespace as a prefixed name."""
    if isinstance(term, URIRef):
        text = str(term)
        for namespace, prefix in _NAMESPACES:
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
    return lexical(term)


def json_value(term: Identifier | None) -> object:
    """A term as JSON: numbers stay numbers, booleans booleans, everything else its text."""
    if isinstance(term, Literal) and term.datatype is not None:
        text = str(term)
        try:
            if term.datatype in _INTEGERS:
                return int(text)
            if term.datatype in _FLOATS:
                number = Decimal(text)
                return int(number) if number == number.to_integral_value() else float(number)
        except (ValueError, InvalidOperation):
            return text
        if term.datatype == XSD.boolean and text in ("true", "false", "1", "0"):
            return text in ("true", "1")
    return None if term is None else str(term)


def write_table(result: QueryResult, stream: TextIO, *, terminal: bool) -> None:
    """A rich table; on a terminal it fits the window, elsewhere rows are never wrapped."""
    console = Console(
        file=stream,
        force_terminal=terminal,
        width=None if terminal else 10_000,
        highlight=False,
        soft_wrap=not terminal,
    )
    table = Table(
        title=result.query.title(),
        caption=f"{len(result.rows)} row{'' if len(result.rows) == 1 else 's'}",
    )
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(*(compact(row.get(column)) for column in result.columns))
    console.print(table)


def write_csv(result: QueryResult, stream: TextIO) -> None:
    """CSV with a header row; IRIs in full, literals in their lexical form."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([lexical(row.get(column)) for column in result.columns])


def write_json(result: QueryResult, stream: TextIO) -> None:
    """A JSON list with one object per row (unbound columns are null)."""
    objects = [{c: json_value(row.get(c)) for c in result.columns} for row in result.rows]
    json.dump(objects, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def render(result: QueryResult, *, fmt: str, terminal: bool = False) -> str:
    """The result in ``fmt`` (one of :data:`FORMATS`) as text."""
    buffer = io.StringIO()
    if fmt == "csv":
        write_csv(result, buffer)
    elif fmt == "json":
        write_json(result, buffer)
    else:
        write_table(result, buffer, terminal=terminal)
    return buffer.getvalue()
