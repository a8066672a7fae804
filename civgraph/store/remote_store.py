"""A remote SPARQL 1.1 endpoint behind the store protocol (any standard server).

The graph stays where it lives: queries go to the endpoint, and what the engine derives (the
evaluation context, the ontology, the facts of ``rules/``) goes into a *scratch* named graph the
user allows civgraph to write (``--scratch-graph``), through the SPARQL 1.1 Update endpoint.
Queries see the data graph(s) and the scratch graph together as their default graph.

Credentials come from the environment only — ``CIVGRAPH_ENDPOINT_USER`` and
``CIVGRAPH_ENDPOINT_PASSWORD`` (HTTP Basic) or ``CIVGRAPH_ENDPOINT_TOKEN`` (Bearer) — never from
the command line, and they are never logged.
"""

from __future__ import annotations

import os
import time
import urllib.error
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import rdflib
from rdflib.term import BNode, Identifier, Literal, URIRef
from SPARQLWrapper import JSON, N3, POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from civgraph.errors import InputError
from civgraph.namespaces import DERIVED_GRAPH
from civgraph.sparql_text import construct_as_insert, inject_values
from civgraph.store.protocol import Row, Triple


class EndpointError(InputError):
    """The endpoint could not answer (after retries), or refused the request."""


def _term(binding: Mapping[str, str]) -> Identifier:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    if "datatype" in binding:
        return Literal(value, datatype=URIRef(binding["datatype"]))
    return Literal(value)


class RemoteStore:
    """A SPARQL endpoint. ``graphs`` are the named graphs holding the data (none: the endpoint's
    default graph); ``scratch_graph`` is where civgraph may write what it derives."""

    def __init__(
        self,
        endpoint: str,
        *,
        graphs: Iterable[str] = (),
        update_endpoint: str | None = None,
        scratch_graph: str | None = None,
        timeout: float = 120.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint
        self.graphs = list(graphs)
        self.scratch_graph = scratch_graph
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.requests = 0  #: how many HTTP requests were sent (tests assert on it)

    # -- plumbing -----------------------------------------------------------------------------
    def _client(self, url: str) -> SPARQLWrapper:
        client = SPARQLWrapper(url)
        client.setTimeout(int(self.timeout))
        client.setMethod(POST)
        user = os.environ.get("CIVGRAPH_ENDPOINT_USER")
        password = os.environ.get("CIVGRAPH_ENDPOINT_PASSWORD")
        token = os.environ.get("CIVGRAPH_ENDPOINT_TOKEN")
        if user and password:
            client.setCredentials(user, password)
        elif token:
            client.addCustomHttpHeader("Authorization", f"Bearer {token}")
        return client

    def _send(self, client: SPARQLWrapper, what: str) -> Any:
        delay = self.backoff
        for attempt in range(self.retries + 1):
            self.requests += 1
            try:
                return client.query()
            except urllib.error.HTTPError as exc:
                if exc.code < 500 or attempt == self.retries:
                    detail = exc.read().decode("utf-8", "replace").strip().splitlines()
                    reason = detail[0] if detail else exc.reason
                    raise EndpointError(f"{what}: HTTP {exc.code}: {reason}") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                if attempt == self.retries:
                    reason = str(getattr(exc, "reason", "") or exc)
                    raise EndpointError(f"{what}: cannot reach endpoint: {reason}") from None
            except SPARQLWrapperException as exc:
                first = str(exc).strip().splitlines()[0]
                raise EndpointError(f"{what}: {first}") from None
            time.sleep(delay)
            delay *= 2
        raise EndpointError(f"{what}: no answer")  # pragma: no cover - loop always returns

    def _dataset(self, client: SPARQLWrapper) -> None:
        graphs = list(self.graphs)
        if graphs and self.scratch_graph:
            graphs.append(self.scratch_graph)
        for graph in graphs:
            client.addDefaultGraph(graph)

    def _query(self, query: str, bindings: Mapping[str, Identifier] | None, form: str) -> Any:
        text = inject_values(query, bindings) if bindings else query
        client = self._client(self.endpoint)
        self._dataset(client)
        client.setQuery(text)
        # SPARQLWrapper guesses the form from keywords anywhere in the text (comments too);
        # the caller knows it.
        client.queryType = form
        client.setReturnFormat(JSON)
        return self._send(client, self.endpoint).convert()

    def _update(self, update: str) -> None:
        if not self.update_endpoint or not self.scratch_graph:
            raise InputError(
                "this step writes derived facts: give the endpoint's update URL and a scratch "
                "graph civgraph may write (--update-endpoint, --scratch-graph)"
            )
        client = self._client(self.update_endpoint)
        client.setRequestMethod(POSTDIRECTLY)
        client.setQuery(update)
        self._send(client, self.update_endpoint)

    def _target(self, graph: str | None) -> str:
        if graph in (None, DERIVED_GRAPH) and self.scratch_graph:
            return self.scratch_graph
        if graph is None:
            raise InputError("the remote store writes only into the scratch graph")
        return graph

    # -- the protocol -------------------------------------------------------------------------
    def load_file(self, path: Path, *, media_type: str, graph: str | None = None) -> None:
        local = rdflib.Graph()
        try:
            local.parse(path, format=rdflib.util.guess_format(str(path)) or media_type)
        except Exception as exc:  # rdflib's parsers raise many kinds
            raise InputError(f"{path}: {str(exc).splitlines()[0]}") from None
        self.add(local, graph=graph)

    def add(self, triples: Iterable[Triple], *, graph: str | None = None) -> int:
        target = self._target(graph)
        lines = [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples]
        if lines:  # one request, however many triples: requests never grow with the data
            self._update(f"INSERT DATA {{ GRAPH <{target}> {{\n{chr(10).join(lines)}\n}} }}")
        return len(lines)

    def select(self, query: str, *, bindings: Mapping[str, Identifier] | None = None) -> list[Row]:
        result = self._query(query, bindings, "SELECT")
        rows: list[Row] = []
        for binding in result.get("results", {}).get("bindings", []):
            rows.append({name: _term(value) for name, value in binding.items()})
        return rows

    def ask(self, query: str, *, bindings: Mapping[str, Identifier] | None = None) -> bool:
        return bool(self._query(query, bindings, "ASK").get("boolean"))

    def construct(self, query: str) -> list[Triple]:
        client = self._client(self.endpoint)
        self._dataset(client)
        client.setQuery(query)
        client.queryType = "CONSTRUCT"
        client.setReturnFormat(N3)
        client.addCustomHttpHeader("Accept", "application/n-triples")
        response = self._send(client, self.endpoint).response.read()
        graph = rdflib.Graph()
        graph.parse(data=response, format="nt")
        return list(graph)

    def derive(self, construct_query: str, *, graph: str) -> int | None:
        """Run a rule where the data lives: its CONSTRUCT as an INSERT into the scratch graph."""
        target = self._target(graph)
        using = [*self.graphs, target] if self.graphs else []
        try:
            update = construct_as_insert(construct_query, graph=target, using=using)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        self._update(update)
        return None

    def clear_graph(self, graph: str) -> None:
        target = self._target(graph)
        self._update(f"DROP SILENT GRAPH <{target}>")

    def triple_count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        value = rows[0].get("n") if rows else None
        return int(value.toPython()) if isinstance(value, Literal) else 0

    def to_rdflib(self) -> rdflib.Graph:
        raise InputError(
            "a remote endpoint is checked where it lives: use --engine sparql "
            "(civgraph never copies the whole graph out)"
        )
