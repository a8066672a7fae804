"""The embedded store: pyoxigraph, in memory or on disk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Identifier, Literal, Node, URIRef

from civgraph.errors import InputError
from civgraph.store import written_datatypes as written
from civgraph.store.protocol import Row, Triple

#: Below this many bytes a file is loaded in one transaction rather than by the bulk loader.
_SMALL_FILE = 8_000_000

_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def to_rdflib(term: object) -> Identifier:
    """A pyoxigraph term as the rdflib term of the same meaning."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the pyoxigraph term of the same meaning."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Substitutions = dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
_SIDE = ox.NamedNode(written.WRITTEN_DATATYPES_GRAPH)
# formats that mark a literal's datatype with "^^" (the others are scanned more broadly)
_CARET_FORMATS = {
    ox.RdfFormat.TURTLE,
    ox.RdfFormat.N_TRIPLES,
    ox.RdfFormat.N_QUADS,
    ox.RdfFormat.TRIG,
}


class OxigraphStore:
    """A pyoxigraph store; ``path=None`` keeps it in memory.

    Literals the store rewrites (``"5"^^xsd:int`` is kept as ``"5"^^xsd:integer``, see
    :mod:`civgraph.store.written_datatypes`) are recorded with the datatype they were written with
    in :data:`~civgraph.namespaces.WRITTEN_DATATYPES_GRAPH`; queries, :meth:`to_rdflib` and
    :meth:`triple_count` leave that graph out, a ``GRAPH`` clause naming it reaches it.

    >>> store = OxigraphStore()
    >>> from rdflib import URIRef
    >>> store.add([(URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b"))])
    1
    >>> store.ask("ASK { <urn:a> <urn:p> ?o }")
    True
    """

    def __init__(self, *, path: Path | None = None) -> None:
        self.path = path
        try:
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except (OSError, RuntimeError) as exc:  # RocksDB reports a damaged folder as the latter
            reason = "it is in use by another run" if "lock" in str(exc).lower() else str(exc)
            raise InputError(f"{path}: cannot open the store: {reason}") from None

    @property
    def native(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (for the SPARQL engine and bulk work)."""
        return self._store

    def load_file(self, path: Path, *, media_type: str, graph: str | None = None) -> None:
        fmt = _FORMATS.get(media_type)
        if fmt is None:
            raise InputError(f"{path}: unsupported RDF media type {media_type}")
        target = ox.NamedNode(graph) if graph else None
        into = target if fmt not in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG) else None
        base = path.resolve().as_uri()
        try:
            # The byte scan runs while pyoxigraph parses (it lets go of the interpreter lock),
            # so on a file that needs no recording it costs nothing but a second core.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="civgraph-scan") as aside:
                scan = aside.submit(_may_record, path, fmt)
                # by path: pyoxigraph reads the file itself, not through a Python file object;
                # a small file (a change) in one transaction, which into a large store costs
                # half what the bulk loader's set-up does (0.05 s against 0.09 s for 10,000
                # triples into a million)
                load = (
                    self._store.load if path.stat().st_size < _SMALL_FILE else self._store.bulk_load
                )
                if into is not None:
                    load(path=str(path), format=fmt, base_iri=base, to_graph=into)
                else:
                    load(path=str(path), format=fmt, base_iri=base)
                needs_record = scan.result()
            if needs_record:
                self._record(_rewritten_in_file(path, fmt, base, into))
        except SyntaxError as exc:
            raise InputError(_syntax_message(path, exc)) from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None

    def add(self, triples: Iterable[Triple], *, graph: str | None = None) -> int:
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        quads = [
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target)  # type: ignore[arg-type]
            for s, p, o in triples
        ]
        self._store.extend(quads)
        self._record(
            (q.object, q.graph_name)
            for q in quads
            if isinstance(q.object, ox.Literal) and q.object.datatype.value in written.REWRITTEN
        )
        return len(quads)

    def _record(self, literals: Iterable[tuple[ox.Literal, GraphName]]) -> None:
        """Record each literal as written (with the graph it went to) in the side graph."""
        quads: list[ox.Quad] = []
        for literal, graph in set(literals):
            record = ox.BlankNode()
            quads.append(ox.Quad(record, ox.NamedNode(written.STORED), literal, _SIDE))
            quads.append(ox.Quad(record, ox.NamedNode(written.DATATYPE), literal.datatype, _SIDE))
            if not isinstance(graph, ox.DefaultGraph):
                quads.append(ox.Quad(record, ox.NamedNode(written.GRAPH), graph, _SIDE))
        if quads:
            self._store.extend(quads)

    def records_written_types(self, path: Path, *, media_type: str) -> bool:
        """Whether loading ``path`` may record literals in the side graph (a cheap byte scan)."""
        fmt = _FORMATS.get(media_type)
        return fmt is not None and _may_record(path, fmt)

    def has_written_datatypes(self) -> bool:
        """Whether a rewritten literal has been recorded (the SPARQL engine then checks them)."""
        return any(True for _ in self._store.quads_for_pattern(None, None, None, _SIDE))

    def _default_graph(self) -> list[GraphName] | None:
        """The graphs queries see by default: all but the side graph (``None``: all of them)."""
        if not self._store.contains_named_graph(_SIDE):
            return None
        return [ox.DefaultGraph(), *(g for g in self._store.named_graphs() if g != _SIDE)]

    def _run(self, query: str, substitutions: Substitutions | None = None) -> object:
        default = self._default_graph()
        if default is None:
            return self._store.query(
                query, use_default_graph_as_union=True, substitutions=substitutions
            )
        return self._store.query(query, default_graph=default, substitutions=substitutions)

    def _query(self, query: str, bindings: Mapping[str, Identifier] | None) -> object:
        substitutions: Substitutions | None = (
            {ox.Variable(name): to_oxigraph(value) for name, value in bindings.items()}
            if bindings
            else None
        )
        return self._run(query, substitutions=substitutions)

    def select(self, query: str, *, bindings: Mapping[str, Identifier] | None = None) -> list[Row]:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        rows: list[Row] = []
        for solution in result:
            row: Row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value)
            rows.append(row)
        return rows

    def ask(self, query: str, *, bindings: Mapping[str, Identifier] | None = None) -> bool:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise TypeError("ask() needs an ASK query")
        return bool(result)

    def construct(self, query: str) -> list[Triple]:
        result = self._query(query, None)
        if not isinstance(result, ox.QueryTriples):
            raise TypeError("construct() needs a CONSTRUCT query")
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result]

    def clear(self) -> None:
        """Remove everything (used when new data replaces an on-disk store's data)."""
        self._store.clear()

    def derive(self, construct_query: str, *, graph: str) -> int | None:
        return len(self.derive_lines(construct_query, graph=graph))

    def derive_lines(self, construct_query: str, *, graph: str) -> set[bytes]:
        """Like :meth:`derive`, but the distinct triples added, as N-Triples lines: taken from
        the query's own output, not read back from the store."""
        # Stays inside pyoxigraph: the triples go from the query to the store as N-Triples,
        # never as one Python object each (on large graphs that was a third of a rule's time).
        result = self._run(construct_query)
        if not isinstance(result, ox.QueryTriples):
            raise TypeError("derive() needs a CONSTRUCT query")
        target = ox.NamedNode(graph)
        text = result.serialize(format=ox.RdfFormat.N_TRIPLES)
        assert text is not None
        if b"_:" not in text:
            # lenient: pyoxigraph wrote these lines itself, so checking their IRIs again is
            # wasted (a quarter of the load's time on the city's 200,000 derived triples)
            self._store.load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=target, lenient=True)
            return set(text.splitlines())
        # a parser renames blank nodes, which would cut them off from the data they stand for:
        # run the rule again and add its triples as terms
        again = self._run(construct_query)
        assert isinstance(again, ox.QueryTriples)
        quads = {ox.Quad(t.subject, t.predicate, t.object, target) for t in again}
        self._store.extend(quads)
        written = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
        return set(written.splitlines()) if written else set()

    def clear_graph(self, graph: str) -> None:
        name = ox.NamedNode(graph)
        if self._store.contains_named_graph(name):
            self._store.remove_graph(name)
        if name != _SIDE and self._store.contains_named_graph(_SIDE):
            side, link = _SIDE.value, written.GRAPH
            self._store.update(
                f"DELETE {{ GRAPH <{side}> {{ ?r ?p ?o }} }} "
                f"WHERE {{ GRAPH <{side}> {{ ?r <{link}> <{name.value}> ; ?p ?o }} }}"
            )

    def triple_count(self) -> int:
        side = sum(1 for _ in self._store.quads_for_pattern(None, None, None, _SIDE))
        return len(self._store) - side

    def data_quads(self) -> Iterator[ox.Quad]:
        """Every quad of the data and derived facts (not the side graph of written datatypes)."""
        return (
            q
            for q in self._store.quads_for_pattern(None, None, None, None)
            if q.graph_name != _SIDE
        )

    def to_rdflib(self) -> rdflib.Graph:
        """All graphs merged; blank nodes keep their identifiers, so results map back."""
        graph = rdflib.Graph()
        graph.addN(
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph)
            for q in self.data_quads()
        )
        return graph


def _may_record(path: Path, fmt: ox.RdfFormat) -> bool:
    return written.may_hold_rewritten(path, carets=fmt in _CARET_FORMATS)


def _rewritten_in_file(
    path: Path, fmt: ox.RdfFormat, base: str, into: ox.NamedNode | None
) -> Iterable[tuple[ox.Literal, GraphName]]:
    """The literals of a file whose datatype the store rewrites, each with its graph."""
    for quad in ox.parse(path=str(path), format=fmt, base_iri=base):
        obj = quad.object
        if isinstance(obj, ox.Literal) and obj.datatype.value in written.REWRITTEN:
            yield obj, into if into is not None else quad.graph_name


def _syntax_message(path: Path, exc: SyntaxError) -> str:
    """``FILE:LINE: message`` from a pyoxigraph parse error."""
    line = getattr(exc, "lineno", None)
    text = str(exc.msg if getattr(exc, "msg", None) else exc).splitlines()[0]
    return f"{path}:{line}: {text}" if line else f"{path}: {text}"
