"""A tiny streaming Turtle writer: a prefix block, then one subject block at a time.

Formatting strings directly is an order of magnitude faster than building an rdflib graph, and it
keeps memory flat: nothing is held once a block is written. Objects are given already formatted
(use :func:`iri`, :func:`zh`, :func:`en`, :func:`text`, :func:`date`, :func:`integer`,
:func:`decimal`, :func:`boolean`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TextIO

from civgraph.namespaces import PREFIXES

#: Prefixes written at the top of every demo file (a fixed order keeps files byte-identical).
FILE_PREFIXES: tuple[str, ...] = (
    "xm",
    "civ",
    "org",
    "foaf",
    "prov",
    "skos",
    "dcterms",
    "sosa",
    "xsd",
    "rdfs",
    "civsys",
    "role",
    "body",
    "mkind",
    "pcat",
    "grade",
    "sanction",
    "ind",
    "obl",
)

_ESCAPES = {
    ord("\\"): "\\\\",
    ord('"'): '\\"',
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
}

#: One predicate with one or more formatted objects.
Pair = tuple[str, str | Sequence[str]]


def escape(value: str) -> str:
    """Escape a string for a Turtle short quoted literal (backslash, quotes, line breaks)."""
    return value.translate(_ESCAPES)


def zh(value: str) -> str:
    return f'"{escape(value)}"@zh'


def en(value: str) -> str:
    return f'"{escape(value)}"@en'


def text(value: str) -> str:
    return f'"{escape(value)}"'


def date(value: dt.date) -> str:
    return f'"{value.isoformat()}"^^xsd:date'


def integer(value: int) -> str:
    return str(value)


def decimal(value: int) -> str:
    """A whole number of yuan or m² as an ``xsd:decimal`` shorthand (``12000.0``)."""
    return f"{value}.0"


def boolean(value: bool) -> str:
    return "true" if value else "false"


def iri(prefix: str, local: str) -> str:
    return f"{prefix}:{local}"


class TurtleFile:
    """One output file; counts the triples it writes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.triples = 0
        self._handle: TextIO = path.open("w", encoding="utf-8", newline="\n")
        lines = [f"@prefix {name}: <{PREFIXES[name]}> ." for name in FILE_PREFIXES]
        self._handle.write("\n".join(lines) + "\n\n")

    def block(self, subject: str, pairs: Sequence[Pair]) -> None:
        """Write one subject with its predicate/object pairs (pairs with no object are skipped)."""
        parts: list[str] = []
        for predicate, objects in pairs:
            if isinstance(objects, str):
                parts.append(f"    {predicate} {objects}")
                self.triples += 1
            elif objects:
                parts.append(f"    {predicate} {', '.join(objects)}")
                self.triples += len(objects)
        if not parts:
            return
        self._handle.write(f"{subject}\n" + " ;\n".join(parts) + " .\n\n")

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> TurtleFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
