"""Validation results as typed records, and as a standard SHACL validation report graph."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from civgraph.sparql_engine.paths import write_path


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult. Terms are rdflib terms; ``path`` is a node of the shapes graph."""

    focus: Node
    path: Node | None
    value: Node | None
    source_shape: Node
    constraint_component: Node
    severity: Node
    messages: tuple[Literal, ...] = ()
    source_constraint: Node | None = None


@dataclass(frozen=True)
class ValidationOutcome:
    """What :func:`civgraph.sparql_engine.validate` returns.

    ``notices`` name every shape that was not validated by the SPARQL engine (and why);
    ``timings`` give the wall time of each query, labelled by shape and component.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    notices: tuple[str, ...] = ()
    timings: tuple[tuple[str, float], ...] = field(default=())
    query_count: int = 0


def report_graph(outcome: ValidationOutcome, shapes: Graph) -> Graph:
    """The outcome as a SHACL validation report (paths copied from the shapes graph)."""
    graph = Graph()
    graph.bind("sh", SH)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(outcome.conforms, datatype=XSD.boolean)))
    for result in outcome.results:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus))
        graph.add((node, SH.sourceShape, result.source_shape))
        graph.add((node, SH.sourceConstraintComponent, result.constraint_component))
        graph.add((node, SH.resultSeverity, result.severity))
        if result.path is not None:
            graph.add((node, SH.resultPath, write_path(shapes, result.path, graph)))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        if result.source_constraint is not None:
            graph.add((node, SH.sourceConstraint, result.source_constraint))
        for message in result.messages:
            graph.add((node, SH.resultMessage, message))
    return graph
