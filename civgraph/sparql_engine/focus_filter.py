"""Which of a few listed nodes each targeted shape selects, asked once for all shapes.

A restricted validation (an incremental check) lists the nodes a change can affect. Each
shape's queries would otherwise join the whole list with the shape's targets, so every shape
pays for every listed node even when none is its focus node: at a million triples, 2,500
listed nodes cost about 16 ms a query, for 51 queries. Asking the listed nodes' types, and the
predicates of the ``sh:targetSubjectsOf``/``sh:targetObjectsOf`` targets they are subjects or
objects of, takes a few queries in all; a shape none of the listed nodes is a focus node of is
then not asked at all, and the others are asked about their own focus nodes alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence

from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node, URIRef

from civgraph.sparql_engine.model import ShapesModel
from civgraph.sparql_engine.terms import is_expressible, sparql_iri, sparql_term
from civgraph.store.protocol import Store

#: Listed nodes per query: a long VALUES list sends pyoxigraph's planner off a cliff (a query
#: that takes 0.03 s for 1,000 nodes took 5 s for 1,500).
CHUNK = 500


_SPACE = re.compile(r"\s")


def chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    """``items`` in runs of at most :data:`CHUNK` (read at each call: tests shrink it)."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def targeted_among(
    data: Store, model: ShapesModel, shapes: Iterable[Node], nodes: Collection[Node]
) -> dict[Node, frozenset[URIRef]]:
    """For each shape in ``shapes``, the IRIs among ``nodes`` that its targets select.

    A shape with a SPARQL-based target (``sh:target``) is given every listed IRI: what it
    selects is known only by asking it. Blank nodes are left out (they cannot be listed in a
    query; the caller validates every blank focus node instead)."""
    named = {str(n): n for n in nodes if isinstance(n, URIRef) and is_expressible(n)}
    wanted = list(shapes)
    if not named:
        return {shape: frozenset() for shape in wanted}
    classes: set[URIRef] = set()
    subjects_of: set[URIRef] = set()
    objects_of: set[URIRef] = set()
    for shape in wanted:
        for predicate, target in model.shape(shape).targets:
            if not isinstance(target, URIRef):
                continue
            if predicate == SH.targetClass:
                classes.add(target)
            elif predicate == SH.targetSubjectsOf:
                subjects_of.add(target)
            elif predicate == SH.targetObjectsOf:
                objects_of.add(target)
    subclasses = _subclasses(data, classes)
    kinds = set().union(*subclasses.values()) if subclasses else set()
    # the nodes of each type, each subject-of and each object-of predicate
    of_type, subjects, objects = _nodes_by_value(
        data,
        [sparql_iri(iri) for iri in sorted(named)],
        [
            (f"?n {sparql_term(RDF.type)} ?m", kinds),
            ("?n ?m []", subjects_of),
            ("[] ?m ?n", objects_of),
        ],
    )
    everyone = frozenset(named.values())
    # an IRI holding white space could not be told apart in the answers' strings: every shape
    # is asked about it (no store takes one, but rdflib makes them)
    unsplittable = {iri for iri in named if _SPACE.search(iri)}
    found: dict[Node, frozenset[URIRef]] = {}
    for shape in wanted:
        chosen: set[str] = set(unsplittable)
        for predicate, target in model.shape(shape).targets:
            if predicate == SH.target:
                chosen = set(named)
                break
            if predicate == SH.targetNode:
                if isinstance(target, URIRef) and str(target) in named:
                    chosen.add(str(target))
            elif predicate == SH.targetClass:
                for kind in subclasses.get(target, ()):
                    chosen |= of_type.get(kind, set())
            elif predicate == SH.targetSubjectsOf:
                chosen |= subjects.get(target, set())
            elif predicate == SH.targetObjectsOf:
                chosen |= objects.get(target, set())
        found[shape] = (
            everyone if len(chosen) == len(named) else frozenset(named[n] for n in chosen)
        )
    return found


def _nodes_by_value(
    data: Store, terms: Sequence[str], patterns: Sequence[tuple[str, Collection[Node]]]
) -> list[dict[Node, set[str]]]:
    """For each (pattern, wanted) of ``patterns``: for each wanted value of ``?m``, the listed
    nodes (as IRI strings) that have it in the pattern. One query a run of listed nodes, a
    UNION branch per pattern (the list is parsed once).

    The wanted values are a filter, not a VALUES list: given the values of ``?m`` first,
    pyoxigraph walks every triple with them (0.24 s for three predicates at 1M triples,
    against 0.02 s). A row comes back per pattern and value, its nodes in one string: a row
    per node would cost more to turn into rdflib terms than the lookups themselves."""
    found: list[dict[Node, set[str]]] = [defaultdict(set) for _ in patterns]
    branches = [
        f"{{ {pattern} FILTER(?m IN ({', '.join(sparql_term(m) for m in sorted(wanted, key=str))}))"
        f" BIND({index} AS ?k) }}"
        for index, (pattern, wanted) in enumerate(patterns)
        if wanted
    ]
    if not branches:
        return found
    for part in chunks(terms):
        query = (
            "SELECT ?k ?m (GROUP_CONCAT(DISTINCT STR(?n); SEPARATOR=' ') AS ?ns) WHERE { "
            f"VALUES ?n {{ {' '.join(part)} }} {' UNION '.join(branches)} }} GROUP BY ?k ?m"
        )
        for row in data.select(query):
            index, value, listed = row.get("k"), row.get("m"), row.get("ns")
            if index is None or value is None or listed is None:
                continue
            found[int(str(index))][value].update(str(listed).split())  # IRIs hold no spaces
    return found


def _subclasses(data: Store, classes: Collection[URIRef]) -> dict[Node, set[Node]]:
    """Each class and every class below it along ``rdfs:subClassOf`` in the data."""
    found: dict[Node, set[Node]] = {c: {c} for c in classes}
    if not classes:
        return found
    values = " ".join(sparql_term(c) for c in sorted(classes, key=str))
    query = (
        f"SELECT DISTINCT ?c ?s WHERE {{ VALUES ?c {{ {values} }} "
        f"?s {sparql_term(RDFS.subClassOf)}+ ?c }}"
    )
    for row in data.select(query):
        if "c" in row and "s" in row:
            found[row["c"]].add(row["s"])
    return found


__all__ = ["CHUNK", "chunks", "targeted_among"]
