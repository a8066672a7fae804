"""Turtle: a standard SHACL validation report, with clause 5's accountability added.

The triples are made and written by pyoxigraph: rdflib's Turtle serializer took 4.7 s for a
report of 4,000 findings (100,000 triples), most of a nightly run's report files.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, SH, XSD
from rdflib.term import BNode, Literal, URIRef
from rdflib.util import from_n3

from civgraph.findings import CheckReport
from civgraph.namespaces import CIV, PREFIXES
from civgraph.store.oxigraph_store import to_oxigraph

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _boolean(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=_iri(str(XSD.boolean)))


def _terms(namespace: str, names: str) -> dict[str, ox.NamedNode]:
    """The IRIs of the space-separated ``names`` in the ``namespace`` IRI, by name."""
    return {name: _iri(namespace + name) for name in names.split()}


def report_triples(report: CheckReport) -> list[ox.Triple]:
    """The report as triples: one ``sh:ValidationResult`` per finding, with its code, key,
    clause, unit in charge, accountable people, pursuers, sanctions and escalation."""
    type_, result_class = _iri(str(RDF.type)), _iri(str(SH.ValidationResult))
    civ = _terms(
        str(CIV),
        "asOf code findingKey unitInCharge accountable accountableRole person pursuedBy"
        " recommendedSanction escalated",
    )
    sh = _terms(
        str(SH),
        "conforms result focusNode resultPath value sourceShape sourceConstraintComponent"
        " resultSeverity resultMessage",
    )
    source = _iri(str(DCTERMS.source))
    root = ox.BlankNode("report")
    triples = [
        ox.Triple(root, type_, _iri(str(SH.ValidationReport))),
        ox.Triple(root, sh["conforms"], _boolean(report.conforms)),
        ox.Triple(
            root,
            civ["asOf"],
            ox.Literal(report.as_of.isoformat(), datatype=_iri(str(XSD.date))),
        ),
    ]
    results: list[ox.Triple] = []
    described: list[ox.Triple] = []
    for number, f in enumerate(report.findings):
        node = ox.BlankNode(f"r{number:05d}")
        about: list[tuple[ox.NamedNode, Term]] = [
            (type_, result_class),
            (sh["focusNode"], _iri(f.focus)),
        ]
        if f.path and not f.path.startswith(("(", "^", "<")):
            about.append((sh["resultPath"], _iri(f.path)))
        if f.value_term is not None:
            value = from_n3(f.value_term)
            if isinstance(value, URIRef | Literal | BNode):
                about.append((sh["value"], to_oxigraph(value)))
        about += [
            (sh["sourceShape"], _iri(f.source_shape)),
            (sh["sourceConstraintComponent"], _iri(f.constraint_component)),
            (sh["resultSeverity"], _iri(str(SH[f.severity]))),
        ]
        about += [
            (sh["resultMessage"], ox.Literal(text, language=lang))
            for lang, text in sorted(f.message.items())
        ]
        about += [(civ["code"], ox.Literal(f.code)), (civ["findingKey"], ox.Literal(f.key))]
        if f.clause:
            about.append((source, _iri(f.clause)))
        if f.unit:
            about.append((civ["unitInCharge"], _iri(f.unit)))
        holders: list[ox.Triple] = []
        for index, person in enumerate(f.accountable):
            holder = ox.BlankNode(f"r{number:05d}a{index}")
            about.append((civ["accountable"], holder))
            holders.append(ox.Triple(holder, civ["accountableRole"], ox.Literal(person.role)))
            holders.append(ox.Triple(holder, civ["person"], _iri(person.person)))
        about += [(civ["pursuedBy"], _iri(unit)) for unit in f.pursued_by]
        about += [(civ["recommendedSanction"], _iri(s)) for s in f.sanctions]
        about.append((civ["escalated"], _boolean(f.escalated)))
        results.append(ox.Triple(root, sh["result"], node))
        described += [ox.Triple(node, predicate, obj) for predicate, obj in about] + holders
    # the writer groups a subject's consecutive triples: the report's results first, then
    # each result followed by its accountable people
    return triples + results + described


def render_turtle(report: CheckReport) -> str:
    prefixes = {name: str(namespace) for name, namespace in PREFIXES.items()}
    written = ox.serialize(report_triples(report), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    return written.decode("utf-8") if written else ""
