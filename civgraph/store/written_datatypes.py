"""The datatypes pyoxigraph's store rewrites on insert, and the side table that remembers them.

pyoxigraph keeps literals in its own value space: a literal whose lexical form is valid for one
of the datatypes of :data:`REWRITTEN` is stored with the datatype it maps to, so
``"5"^^xsd:int`` and ``"5"^^xsd:integer`` become the same term and SHACL's ``sh:datatype``
cannot tell them apart. A literal that is not valid for its type keeps it (``"c"^^xsd:byte``),
as does an integer beyond 64 bits (``"18446744073709551615"^^xsd:unsignedLong``).

How :data:`REWRITTEN` was measured (pyoxigraph 0.5.13): one literal of each XSD datatype
(string, the numeric, date/time, duration, binary and name types with their derived types) was
inserted with ``Store.add``, ``Store.load`` and ``Store.bulk_load`` and read back. Exactly the
twelve types derived from ``xsd:integer`` came back as ``xsd:integer`` (also when out of their
range, such as ``"300"^^xsd:byte``) and ``xsd:dateTimeStamp`` as ``xsd:dateTime`` (also without a
time zone); every other type, including ``xsd:dayTimeDuration``, ``xsd:yearMonthDuration``,
``xsd:normalizedString`` and ``xsd:token``, is kept. ``pyoxigraph.parse`` keeps every datatype as
written, which is how the records below are collected.

:class:`~civgraph.store.OxigraphStore` records each literal it rewrites in
:data:`WRITTEN_DATATYPES_GRAPH` as ``_:r internal:stored <the literal as stored> ;
internal:datatype <the datatype as written>`` (plus ``internal:graph <g>`` when loaded into a
named graph, so that clearing that graph drops its records). The object of ``internal:stored``
is the written literal, which the store rewrites like the data, so it matches the data's term.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from civgraph.namespaces import WRITTEN_DATATYPES_GRAPH

XSD = "http://www.w3.org/2001/XMLSchema#"


_INTERNAL = "https://w3id.org/civgraph/internal#"
#: The record's property naming the literal as the store keeps it.
STORED = _INTERNAL + "stored"
#: The record's property naming the datatype the literal was written with.
DATATYPE = _INTERNAL + "datatype"
#: The record's property naming the named graph the literal was loaded into (if any).
GRAPH = _INTERNAL + "graph"

__all__ = [
    "DATATYPE",
    "GRAPH",
    "REWRITTEN",
    "STORED",
    "WRITTEN_DATATYPES_GRAPH",
    "Recording",
    "WrittenDatatypeTracker",
    "may_hold_rewritten",
    "recording_of",
]

_INTEGER_DERIVED = (
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
)

#: Each datatype the store rewrites, and the datatype it stores such literals with.
REWRITTEN: dict[str, str] = {
    **{XSD + name: XSD + "integer" for name in _INTEGER_DERIVED},
    XSD + "dateTimeStamp": XSD + "dateTime",
}

_NAMES = "|".join(
    sorted((iri.removeprefix(XSD) for iri in REWRITTEN), key=len, reverse=True)
).encode()
_END = rb"(?![\w.-])"
# Turtle, N-Triples, N-Quads, TriG: the datatype follows "^^" (as <…#name> or prefix:name).
_AFTER_CARETS = re.compile(rb"\^\^\s*(?:<[^>\s]*[#/]|[\w.-]*:)(?:" + _NAMES + rb")" + _END)
# RDF/XML and JSON-LD: a full IRI, a prefixed name or an XML entity reference.
_ANYWHERE = re.compile(rb"[#:;/](?:" + _NAMES + rb")" + _END)
_CHUNK = 64 * 1024 * 1024
_OVERLAP = 4096


def may_hold_rewritten(path: Path, *, carets: bool) -> bool:
    """Whether the file may write a literal of a type in :data:`REWRITTEN` (a cheap byte scan).

    ``carets`` is true for the formats that mark a datatype with ``^^``. A match may be false
    (the name in a comment or a string); a file without one holds no such literal.
    """
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if may_hold_rewritten_data(tail + chunk, carets=carets):
                return True
            tail = chunk[-_OVERLAP:]
    return False


def may_hold_rewritten_data(data: bytes, *, carets: bool) -> bool:
    """:func:`may_hold_rewritten` for bytes in memory."""
    return (_AFTER_CARETS if carets else _ANYWHERE).search(data) is not None


@runtime_checkable
class WrittenDatatypeTracker(Protocol):
    """A store that records the datatypes it rewrites in :data:`WRITTEN_DATATYPES_GRAPH`."""

    def has_written_datatypes(self) -> bool:
        """Whether any rewritten literal has been recorded."""
        ...


Recording = Literal["unknown", "none", "recorded"]
"""What a store knows of the datatypes literals were written with.

``"unknown"``: it records nothing (a remote endpoint), so ``"5"^^xsd:integer`` may have been
written as ``xsd:int``; ``"none"``: it records rewritten literals and holds none, so every
literal has the datatype it was written with; ``"recorded"``: it holds records to consult.
"""


def recording_of(store: object) -> Recording:
    """What ``store`` knows of the datatypes its literals were written with (asked once)."""
    if not isinstance(store, WrittenDatatypeTracker):
        return "unknown"
    return "recorded" if store.has_written_datatypes() else "none"
