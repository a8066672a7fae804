"""The store protocol: what the pipeline needs from wherever the graph lives.

Terms crossing the protocol are rdflib terms (:class:`rdflib.URIRef`, :class:`rdflib.Literal`,
:class:`rdflib.BNode`), whatever the store uses inside. Queries see the union of all graphs of the
store as their default graph, so facts the engine derives (kept in
:data:`civgraph.namespaces.DERIVED_GRAPH`) are visible next to the data without changing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

import rdflib
from rdflib.term import Identifier, Node

Triple = tuple[Node, Node, Node]
Row = dict[str, Identifier]


@runtime_checkable
class Store(Protocol):
    """Where the graph lives. Implementations: :class:`~civgraph.store.OxigraphStore`."""

    def load_file(self, path: Path, *, media_type: str, graph: str | None = None) -> None:
        """Parse one RDF file into the store (into ``graph`` if given, else the default graph).

        Raises :class:`civgraph.errors.InputError` naming the file and line when it is malformed.
        """
        ...

    def add(self, triples: Iterable[Triple], *, graph: str | None = None) -> int:
        """Add triples (to ``graph`` if given); returns how many were given."""
        ...

    def select(self, query: str, *, bindings: Mapping[str, Identifier] | None = None) -> list[Row]:
        """Run a SELECT; each row maps variable names (without ``?``) to bound terms."""
        ...

    def ask(self, query: str, *, bindings: Mapping[str, Identifier] | None = None) -> bool:
        """Run an ASK."""
        ...

    def construct(self, query: str) -> list[Triple]:
        """Run a CONSTRUCT and return its triples."""
        ...

    def derive(self, construct_query: str, *, graph: str) -> int | None:
        """Run a rule (a CONSTRUCT) and add what it builds to ``graph``, where the data lives.

        Returns how many distinct triples it built, when the store can tell (else ``None``).
        """
        ...

    def clear_graph(self, graph: str) -> None:
        """Empty one named graph (used for the engine's derived graph between runs)."""
        ...

    def triple_count(self) -> int:
        """How many quads the store holds, all graphs together."""
        ...

    def to_rdflib(self) -> rdflib.Graph:
        """All graphs merged into one in-memory rdflib graph (for pySHACL, the reference)."""
        ...
