"""pySHACL, the reference: the fallback for shapes the compiler cannot translate."""

from __future__ import annotations

from collections.abc import Iterable

import rdflib
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import BNode, Literal, Node

from civgraph.sparql_engine.model import TARGET_PREDICATES
from civgraph.sparql_engine.results import ValidationResult
from civgraph.store.protocol import Store


def results_from_report(report: rdflib.Graph, shapes: rdflib.Graph) -> list[ValidationResult]:
    """The results of a SHACL validation report graph.

    A blank-node result path is replaced by the source shape's own ``sh:path`` node when the
    shape has one, so that paths point into the shapes graph as the SPARQL engine's do.
    """
    found: list[ValidationResult] = []
    for node in report.objects(None, SH.result):
        shape = report.value(node, SH.sourceShape)
        focus = report.value(node, SH.focusNode)
        component = report.value(node, SH.sourceConstraintComponent)
        assert shape is not None and focus is not None and component is not None
        path = report.value(node, SH.resultPath)
        if isinstance(path, BNode):
            path = shapes.value(shape, SH.path) or path
        found.append(
            ValidationResult(
                focus=focus,
                path=path,
                value=report.value(node, SH.value),
                source_shape=shape,
                constraint_component=component,
                severity=report.value(node, SH.resultSeverity) or SH.Violation,
                messages=tuple(
                    m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)
                ),
                source_constraint=report.value(node, SH.sourceConstraint),
            )
        )
    return found


def only_shapes(shapes: rdflib.Graph, keep: Iterable[Node]) -> rdflib.Graph:
    """A copy of ``shapes`` in which only the shapes in ``keep`` have targets."""
    kept = set(keep)
    copy = rdflib.Graph()
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace, override=True)
    for triple in shapes:
        subject, predicate, obj = triple
        if subject not in kept and predicate in TARGET_PREDICATES:
            continue
        if (
            subject not in kept
            and predicate == RDF.type
            and obj == RDFS.Class
            and (
                (subject, RDF.type, SH.NodeShape) in shapes
                or (subject, RDF.type, SH.PropertyShape) in shapes
            )
        ):
            continue
        copy.add(triple)
    return copy


def validate_with_pyshacl(
    data: Store, shapes: rdflib.Graph, keep: Iterable[Node]
) -> list[ValidationResult]:
    """pySHACL's results for the shapes in ``keep`` alone, over the whole store."""
    import pyshacl  # only when a shape falls back: importing it costs a quarter second

    _, report, _ = pyshacl.validate(
        data.to_rdflib(), shacl_graph=only_shapes(shapes, keep), advanced=True
    )
    assert isinstance(report, rdflib.Graph)
    return results_from_report(report, shapes)
