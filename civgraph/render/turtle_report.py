"""Turtle: a standard SHACL validation report, with clause 5's accountability added."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, XSD
from rdflib.util import from_n3

from civgraph.findings import CheckReport
from civgraph.namespaces import CIV, PREFIXES


def report_graph(report: CheckReport) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    root = BNode("report")
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    graph.add((root, CIV.asOf, Literal(report.as_of.isoformat(), datatype=XSD.date)))
    for number, f in enumerate(report.findings):
        node = BNode(f"r{number:05d}")
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, URIRef(f.focus)))
        if f.path and not f.path.startswith(("(", "^", "<")):
            graph.add((node, SH.resultPath, URIRef(f.path)))
        if f.value_term is not None:
            value = from_n3(f.value_term)
            if value is not None:
                graph.add((node, SH.value, value))  # type: ignore[arg-type]
        graph.add((node, SH.sourceShape, URIRef(f.source_shape)))
        graph.add((node, SH.sourceConstraintComponent, URIRef(f.constraint_component)))
        graph.add((node, SH.resultSeverity, SH[f.severity]))
        for lang, text in sorted(f.message.items()):
            graph.add((node, SH.resultMessage, Literal(text, lang=lang)))
        graph.add((node, CIV.code, Literal(f.code)))
        graph.add((node, CIV.findingKey, Literal(f.key)))
        if f.clause:
            graph.add((node, DCTERMS.source, URIRef(f.clause)))
        if f.unit:
            graph.add((node, CIV.unitInCharge, URIRef(f.unit)))
        for index, person in enumerate(f.accountable):
            holder = BNode(f"r{number:05d}a{index}")
            graph.add((node, CIV.accountable, holder))
            graph.add((holder, CIV.accountableRole, Literal(person.role)))
            graph.add((holder, CIV.person, URIRef(person.person)))
        for unit in f.pursued_by:
            graph.add((node, CIV.pursuedBy, URIRef(unit)))
        for sanction in f.sanctions:
            graph.add((node, CIV.recommendedSanction, URIRef(sanction)))
        graph.add((node, CIV.escalated, Literal(f.escalated)))
    return graph


def render_turtle(report: CheckReport) -> str:
    return report_graph(report).serialize(format="turtle")
