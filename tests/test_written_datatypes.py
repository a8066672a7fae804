"""sh:datatype for the types pyoxigraph rewrites (``"5"^^xsd:int`` is stored as xsd:integer)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.namespace import SH, XSD
from rdflib.term import Literal, Node, URIRef

from civgraph.loading import load_sources
from civgraph.namespaces import WRITTEN_DATATYPES_GRAPH
from civgraph.sparql_engine import ValidationResult, validate
from civgraph.store import OxigraphStore
from civgraph.store.oxigraph_store import to_oxigraph
from civgraph.store.oxigraph_store import to_rdflib as term_to_rdflib
from civgraph.store.written_datatypes import REWRITTEN, may_hold_rewritten
from tests.test_sparql_engine import EX, PREFIXES, _reference, _shapes

logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)  # ill-typed literals are on purpose

INTEGER_FAMILY = [
    XSD.integer,
    XSD.long,
    XSD.int,
    XSD.short,
    XSD.byte,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.nonPositiveInteger,
    XSD.negativeInteger,
    XSD.unsignedLong,
    XSD.unsignedInt,
    XSD.unsignedShort,
    XSD.unsignedByte,
]


def _shape(required: URIRef) -> rdflib.Graph:
    return _shapes(
        PREFIXES + f"ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;\n"
        f"    sh:property [ sh:path ex:p ; sh:datatype <{required}> ] ."
    )


def _turtle(values: list[tuple[str, URIRef]]) -> str:
    lines = [f'ex:n{i} ex:p "{lexical}"^^<{dt}> .' for i, (lexical, dt) in enumerate(values)]
    return PREFIXES + "\n".join(lines) + "\n"


def _canonical(term: Node | None) -> Node | None:
    """A literal as the store keeps it (pySHACL reports values as written)."""
    if not isinstance(term, Literal):
        return term
    scratch = ox.Store()
    scratch.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), to_oxigraph(term)))
    return term_to_rdflib(next(iter(scratch)).object)


def _focus_and_value(result: ValidationResult) -> tuple[Hashable, ...]:
    return (result.focus, _canonical(result.value), result.constraint_component)


def _violations(store: OxigraphStore, shapes: rdflib.Graph) -> Counter[tuple[Hashable, ...]]:
    return Counter(_focus_and_value(r) for r in validate(store, shapes).results)


def _pyshacl(data: rdflib.Graph, shapes: rdflib.Graph) -> Counter[tuple[Hashable, ...]]:
    return Counter((k[0], _canonical(k[2]), k[4]) for k in _reference(data, shapes))  # type: ignore[arg-type]


def _loaded(tmp_path: Path, text: str) -> OxigraphStore:
    path = tmp_path / "data.ttl"
    path.write_text(text, encoding="utf-8")
    store = OxigraphStore()
    load_sources(store, [path])
    return store


@pytest.mark.parametrize(
    ("lexical", "written", "conforms"),
    [
        ("5", XSD.int, True),
        ("5", XSD.integer, False),
        ("3000000000", XSD.int, False),
        ("x", XSD.int, False),
    ],
)
def test_int_is_told_from_integer_as_pyshacl_does(
    tmp_path: Path, lexical: str, written: URIRef, conforms: bool
) -> None:
    text = _turtle([(lexical, written)])
    shapes = _shape(XSD.int)
    found = _violations(_loaded(tmp_path, text), shapes)
    assert (not found) == conforms
    assert found == _pyshacl(rdflib.Graph().parse(data=text, format="turtle"), shapes)


def test_a_value_written_as_int_is_not_an_integer(tmp_path: Path) -> None:
    store = _loaded(tmp_path, _turtle([("7", XSD.int), ("8", XSD.integer)]))
    found = _violations(store, _shape(XSD.integer))
    assert [key[1] for key in found] == [Literal("7", datatype=XSD.integer)]


def test_the_record_stays_out_of_queries_counts_and_rdflib(tmp_path: Path) -> None:
    store = _loaded(tmp_path, _turtle([("5", XSD.int), ("6", XSD.short)]))
    assert store.has_written_datatypes()
    assert store.triple_count() == 2
    assert len(store.to_rdflib()) == 2
    assert len(store.select("SELECT * WHERE { ?s ?p ?o }")) == 2


def test_clearing_a_graph_drops_its_records(tmp_path: Path) -> None:
    path = tmp_path / "data.ttl"
    path.write_text(_turtle([("5", XSD.int)]), encoding="utf-8")
    store = OxigraphStore()
    store.load_file(path, media_type="text/turtle", graph="urn:example:file")
    assert store.has_written_datatypes()
    store.clear_graph("urn:example:file")
    assert not store.has_written_datatypes()
    path.write_text(_turtle([("5", XSD.integer)]), encoding="utf-8")
    store.load_file(path, media_type="text/turtle", graph="urn:example:file")
    assert not _violations(store, _shape(XSD.integer))


def test_data_without_such_literals_creates_no_side_graph(tmp_path: Path) -> None:
    store = _loaded(
        tmp_path,
        PREFIXES + 'ex:a ex:p 5, "2024-01-01"^^xsd:date, "short and long int"@en .\n'
        "# xsd:int in a comment only\n",
    )
    assert not store.native.contains_named_graph(ox.NamedNode(WRITTEN_DATATYPES_GRAPH))
    assert not store.has_written_datatypes()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('ex:a ex:p "5"^^xsd:int .', True),
        ('ex:a ex:p "5" ^^ <http://www.w3.org/2001/XMLSchema#unsignedByte> .', True),
        ('ex:a ex:p "5"^^xsd:integer, "x"^^xsd:dateTime, "int long short"@en .', False),
    ],
)
def test_the_byte_scan_finds_the_rewritten_types(tmp_path: Path, text: str, expected: bool) -> None:
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + text, encoding="utf-8")
    assert may_hold_rewritten(path, carets=True) == expected


def test_rdf_xml_is_recorded_too(tmp_path: Path) -> None:
    path = tmp_path / "data.rdf"
    path.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/ns#"><rdf:Description rdf:about="http://example.org/ns#a">'
        '<ex:p rdf:datatype="http://www.w3.org/2001/XMLSchema#byte">5</ex:p>'
        "</rdf:Description></rdf:RDF>",
        encoding="utf-8",
    )
    store = OxigraphStore()
    load_sources(store, [path])
    assert not _violations(store, _shape(XSD.byte))
    assert _violations(store, _shape(XSD.integer))


def test_every_rewritten_integer_type_is_in_the_table() -> None:
    assert {URIRef(dt) for dt in REWRITTEN} >= set(INTEGER_FAMILY) - {XSD.integer}


# Within 64 bits: beyond them pyoxigraph cannot cast to xsd:integer (a separate limitation).
VALUES = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([0, 1, -1, 127, 128, -129, 255, 256, 2**15, 2**16, 2**31, 2**32, 2**63 - 1]),
)
LEXICALS = st.one_of(VALUES.map(str), st.sampled_from(["x", "1.5", "+7", "007", "-0"]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(LEXICALS, st.sampled_from(INTEGER_FAMILY)),
        min_size=1,
        max_size=4,
        unique_by=lambda pair: _canonical(Literal(pair[0], datatype=XSD.integer)),
    ),
    st.sampled_from(INTEGER_FAMILY),
)
def test_integer_family_as_pyshacl(values: list[tuple[str, URIRef]], required: URIRef) -> None:
    # distinct values only: one value written with two types is one term in the store
    data = rdflib.Graph()
    for i, (lexical, written) in enumerate(values):
        data.add((EX[f"n{i}"], EX.p, Literal(lexical, datatype=written)))
    store = OxigraphStore()
    store.add(data)
    shapes = _shape(required)
    assert _violations(store, shapes) == _pyshacl(data, shapes)


class _Unrecorded:
    """A store that cannot know how literals were written (as a remote endpoint)."""

    def __init__(self, inner: OxigraphStore) -> None:
        self.inner = inner

    def select(self, query: str, **_: object) -> list[dict[str, rdflib.term.Identifier]]:
        return self.inner.select(query)


def test_a_store_that_records_nothing_keeps_the_lenient_check(tmp_path: Path) -> None:
    store = _loaded(tmp_path, _turtle([("5", XSD.integer), ("300", XSD.integer)]))
    shapes = _shape(XSD.byte)
    assert set(_violations(store, shapes)) == {
        (EX.n0, Literal("5", datatype=XSD.integer), SH.DatatypeConstraintComponent),
        (EX.n1, Literal("300", datatype=XSD.integer), SH.DatatypeConstraintComponent),
    }
    lenient = validate(_Unrecorded(store), shapes)  # type: ignore[arg-type]
    assert [r.value for r in lenient.results] == [Literal("300", datatype=XSD.integer)]
