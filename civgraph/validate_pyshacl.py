"""Validation with pySHACL, the reference engine, over a plain in-memory rdflib graph."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import SH
from rdflib.term import Identifier, URIRef

from civgraph.attribution import RawResult
from civgraph.shacl_paths import path_to_sparql


def validate(data: Graph, shapes: Graph) -> list[RawResult]:
    """Run pySHACL (no inference: rules have already added what the shapes need)."""
    import pyshacl  # imported here: it is slow to import and only this engine needs it

    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=False,
        allow_infos=False,
    )
    assert isinstance(report, Graph)
    return parse_report(report)


def parse_report(report: Graph) -> list[RawResult]:
    """The results of a standard SHACL validation report graph."""
    results: list[RawResult] = []
    # Only the report's own results: pySHACL also types the nested sh:detail results of
    # sh:node constraints as sh:ValidationResult, and those are not findings.
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        component = report.value(result, SH.sourceConstraintComponent)
        severity = report.value(result, SH.resultSeverity)
        if not isinstance(focus, Identifier) or shape is None or component is None:
            continue
        path_node = report.value(result, SH.resultPath)
        path = (
            None
            if path_node is None
            else str(path_node)
            if isinstance(path_node, URIRef)
            else path_to_sparql(report, path_node)
        )
        messages = tuple(
            m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)
        )
        results.append(
            RawResult(
                focus=focus,
                path=path,
                value=report.value(result, SH.value),
                source_shape=shape,
                component=component,
                severity=severity if severity is not None else SH.Violation,
                messages=messages,
            )
        )
    return results
