"""The metadata of one run as W3C PROV, in Turtle.

The run is a ``prov:Activity`` with its wall-clock start and end (metadata only: evaluation
never reads the clock), the as-of date it judged (``civ:asOf``), the files it ``prov:used`` (data
files and shape files, each with its SHA-256 as an SPDX checksum; shape files carry their
``civ:code``), the civgraph software agent with its version, and the report it
``prov:generated``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, XSD, Namespace

from civgraph.namespaces import CIV, CIVSH

SPDX = Namespace("http://spdx.org/rdf/terms#")
#: Runs, reports and the software agent are named under this base.
RUN_BASE = "https://w3id.org/civgraph/run/"
SOFTWARE = "https://w3id.org/civgraph/software/civgraph/"


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, kw_only=True)
class UsedFile:
    """A file the run read, with its hash; ``code`` for a shape file."""

    path: Path
    sha256: str
    code: str | None = None

    @classmethod
    def of(cls, path: Path, *, code: str | None = None) -> UsedFile:
        return cls(path=path.resolve(), sha256=sha256_file(path), code=code)


@dataclass(frozen=True, kw_only=True)
class RunMetadata:
    """Everything :func:`run_turtle` writes about one run."""

    run_id: str
    as_of: date
    started: datetime
    ended: datetime
    version: str
    engine: str
    data: Sequence[UsedFile]
    shapes: Sequence[UsedFile]
    report_files: Sequence[tuple[str, str]]  #: (name relative to the run folder, sha256)
    conforms: bool
    findings: int


def run_iri(run_id: str) -> URIRef:
    return URIRef(f"{RUN_BASE}{run_id}")


def run_graph(meta: RunMetadata) -> Graph:
    """The PROV graph of one run."""
    graph = Graph()
    for prefix, ns in (("prov", PROV), ("civ", CIV), ("civsh", CIVSH), ("spdx", SPDX)):
        graph.bind(prefix, ns)
    graph.bind("dcterms", DCTERMS)
    activity = run_iri(meta.run_id)
    agent = URIRef(f"{SOFTWARE}{meta.version}")
    report = URIRef(f"{RUN_BASE}{meta.run_id}/report")
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal(f"civgraph 夜间检查 {meta.as_of}", lang="zh")))
    graph.add((activity, RDFS.label, Literal(f"civgraph nightly check {meta.as_of}", lang="en")))
    graph.add((activity, DCTERMS.identifier, Literal(meta.run_id)))
    graph.add((activity, PROV.startedAtTime, Literal(meta.started, datatype=XSD.dateTime)))
    graph.add((activity, PROV.endedAtTime, Literal(meta.ended, datatype=XSD.dateTime)))
    graph.add((activity, CIV.asOf, Literal(meta.as_of, datatype=XSD.date)))
    graph.add((activity, PROV.wasAssociatedWith, agent))
    graph.add((agent, RDF.type, PROV.SoftwareAgent))
    graph.add((agent, RDFS.label, Literal(f"civgraph {meta.version} ({meta.engine})")))
    graph.add((agent, OWL.versionInfo, Literal(meta.version)))
    for used in (*meta.data, *meta.shapes):
        entity = URIRef(used.path.as_uri())
        graph.add((activity, PROV.used, entity))
        graph.add((entity, RDF.type, PROV.Entity))
        if used.code is not None:
            graph.add((entity, CIV.code, Literal(used.code)))
            graph.add((entity, DCTERMS.subject, CIVSH[used.code]))
        _checksum(graph, entity, used.sha256)
    graph.add((activity, PROV.generated, report))
    graph.add((report, RDF.type, PROV.Entity))
    graph.add((report, PROV.wasGeneratedBy, activity))
    graph.add((report, PROV.generatedAtTime, Literal(meta.ended, datatype=XSD.dateTime)))
    graph.add((report, CIV.asOf, Literal(meta.as_of, datatype=XSD.date)))
    graph.add((report, RDFS.comment, Literal(f"conforms: {str(meta.conforms).lower()}")))
    graph.add((report, DCTERMS.extent, Literal(meta.findings, datatype=XSD.integer)))
    for name, digest in meta.report_files:
        part = URIRef(f"{RUN_BASE}{meta.run_id}/{name}")
        graph.add((report, DCTERMS.hasPart, part))
        graph.add((part, RDF.type, PROV.Entity))
        graph.add((part, DCTERMS.identifier, Literal(name)))
        _checksum(graph, part, digest)
    return graph


def _checksum(graph: Graph, entity: URIRef, digest: str) -> None:
    node = BNode()
    graph.add((entity, SPDX.checksum, node))
    graph.add((node, RDF.type, SPDX.Checksum))
    graph.add((node, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((node, SPDX.checksumValue, Literal(digest)))


def run_turtle(meta: RunMetadata) -> bytes:
    """The PROV graph of one run, serialised as Turtle (UTF-8)."""
    text = run_graph(meta).serialize(format="turtle")
    return text.encode("utf-8")
