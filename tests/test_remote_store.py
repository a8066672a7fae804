"""The remote store against a real SPARQL server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from civgraph.errors import InputError
from civgraph.namespaces import DERIVED_GRAPH
from civgraph.store import RemoteStore
from tests.oxigraph_server import Server, running_server

pytestmark = pytest.mark.remote

DATA = """@prefix ex: <https://example.org/> .
ex:a ex:name "甲"@zh ; ex:age 3 ; ex:knows ex:b .
ex:b ex:name "乙"@zh ; ex:age 5 .
"""
GRAPH = "urn:civgraph:test-data"
SCRATCH = "urn:civgraph:test-scratch"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("remote")
    data = folder / "data.ttl"
    data.write_text(DATA, encoding="utf-8")
    with running_server(folder / "db", [data], graph=GRAPH) as running:
        yield running


def store_for(server: Server) -> RemoteStore:
    return RemoteStore(
        server.query, graphs=[GRAPH], update_endpoint=server.update, scratch_graph=SCRATCH
    )


def test_select_with_bound_parameters(server: Server) -> None:
    store = store_for(server)
    rows = store.select(
        "PREFIX ex: <https://example.org/> SELECT ?s WHERE { ?s ex:age ?age }",
        bindings={"age": Literal(5)},
    )
    assert rows == [{"s": URIRef("https://example.org/b")}]


def test_a_bound_value_cannot_break_out_of_its_term(server: Server) -> None:
    store = store_for(server)
    before = store.triple_count()
    hostile = Literal('乙" } } ; DROP ALL ; SELECT * WHERE { ?s ?p "')
    rows = store.select(
        "PREFIX ex: <https://example.org/> SELECT ?s WHERE { ?s ex:name ?n FILTER(STR(?n) = ?v) }",
        bindings={"v": hostile},
    )
    assert rows == []
    assert store.triple_count() == before


def test_derive_writes_only_into_the_scratch_graph(server: Server) -> None:
    store = store_for(server)
    store.clear_graph(DERIVED_GRAPH)
    store.derive(
        "PREFIX ex: <https://example.org/> CONSTRUCT { ?b ex:knownBy ?a } WHERE { ?a ex:knows ?b }",
        graph=DERIVED_GRAPH,
    )
    assert store.ask("PREFIX ex: <https://example.org/> ASK { ex:b ex:knownBy ex:a }")
    data_only = RemoteStore(server.query, graphs=[GRAPH])
    assert not data_only.ask("PREFIX ex: <https://example.org/> ASK { ex:b ex:knownBy ex:a }")
    store.clear_graph(DERIVED_GRAPH)
    assert not store.ask("PREFIX ex: <https://example.org/> ASK { ex:b ex:knownBy ex:a }")


def test_construct_returns_triples(server: Server) -> None:
    triples = store_for(server).construct(
        "PREFIX ex: <https://example.org/> CONSTRUCT { ?s ex:age ?a } WHERE { ?s ex:age ?a }"
    )
    assert len(triples) == 2


def test_writing_without_a_scratch_graph_is_refused(server: Server) -> None:
    with pytest.raises(InputError, match="scratch graph"):
        RemoteStore(server.query, graphs=[GRAPH]).add(
            [(URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c"))], graph=DERIVED_GRAPH
        )


def test_unreachable_endpoint_is_a_clear_error_after_bounded_retries(tmp_path: Path) -> None:
    store = RemoteStore("http://127.0.0.1:9/query", retries=2, backoff=0.01, timeout=2)
    with pytest.raises(InputError, match="cannot reach endpoint"):
        store.ask("ASK {}")
    assert store.requests == 3


def test_credentials_come_from_the_environment_only(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIVGRAPH_ENDPOINT_TOKEN", "s3cret-token")
    store = store_for(server)
    client = store._client(store.endpoint)
    assert "s3cret-token" not in repr(store.__dict__)
    assert client is not None
    assert store.ask("ASK { ?s ?p ?o }")
