"""A check pushed down to a real SPARQL server gives the same findings as the embedded one,
and the number of requests does not grow with the graph."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from civgraph.api import check
from civgraph.demo import generate
from civgraph.errors import InputError
from civgraph.findings import CheckReport
from civgraph.store import RemoteStore
from tests.oxigraph_server import Server, running_server

pytestmark = pytest.mark.remote

AS_OF = date(2025, 12, 31)
DATA_GRAPH = "urn:civgraph:demo"
SCRATCH = "urn:civgraph:scratch"


def _keys(report: CheckReport) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return sorted((f.code, f.focus, f.value or "", f.persons) for f in report.findings)


@pytest.fixture(scope="module")
def demo_server(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    files = sorted(demo_dir.glob("*.ttl"))
    with running_server(tmp_path_factory.mktemp("db"), files, graph=DATA_GRAPH) as server:
        yield server


def remote(server: Server) -> RemoteStore:
    return RemoteStore(
        server.query, graphs=[DATA_GRAPH], update_endpoint=server.update, scratch_graph=SCRATCH
    )


def test_remote_findings_equal_embedded(demo_server: Server, demo_dir: Path) -> None:
    embedded = check([demo_dir], as_of=AS_OF, engine="sparql")
    pushed = check([], as_of=AS_OF, engine="sparql", store=remote(demo_server))
    assert _keys(pushed) == _keys(embedded)
    assert pushed.findings, "the demo has planted violations"


def test_remote_never_uses_pyshacl(demo_server: Server) -> None:
    with pytest.raises(InputError, match="checked where it lives"):
        check([], as_of=AS_OF, engine="pyshacl", store=remote(demo_server))


def test_request_count_does_not_grow_with_the_graph(
    demo_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> None:
    small = remote(demo_server)
    check([], as_of=AS_OF, engine="sparql", store=small)
    bigger_dir = tmp_path_factory.mktemp("bigger")
    generate(bigger_dir, scale=60_000, seed=3)
    files = sorted(bigger_dir.glob("*.ttl"))
    with running_server(tmp_path_factory.mktemp("db2"), files, graph=DATA_GRAPH) as server:
        large = remote(server)
        check([], as_of=AS_OF, engine="sparql", store=large)
    assert large.requests == small.requests
