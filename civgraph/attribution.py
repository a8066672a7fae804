"""Clause 5 applied to every validation result: who answers for it, who pursues it, what follows.

The rule (obligations.md, clause 5): the unit in charge and the person directly responsible
(A5.1), the unit's top leader (A5.2), the leader linked to it from the level above (A5.3); the
discipline inspection body leads the pursuit with the efficiency and civilization offices (A5.4);
the report recommends the sanctions the text prescribes (A5.5). How to reach the unit and the
persons from a focus node is declared in each shape (``civ:unitPath``,
``civ:responsiblePersonPath``, ``civ:otherAccountable``); the facts about units (``civ:mainLeader``,
``civ:linkedLeader``, ``civ:disciplineInspection`` …) are derived by ``rules/``. Nothing here knows
any particular obligation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal
from rdflib.namespace import ORG, RDF, SH
from rdflib.term import BNode, Identifier, Node, URIRef

from civgraph.catalogue import ShapeIndex
from civgraph.errors import CivgraphError
from civgraph.findings import Accountable, Finding
from civgraph.namespaces import CIV, sparql_prefixes
from civgraph.shacl_paths import path_to_sparql
from civgraph.store.protocol import Store


@dataclass(frozen=True, kw_only=True)
class RawResult:
    """One SHACL validation result, engine-neutral."""

    focus: Identifier
    path: str | None  #: an IRI, or a SPARQL property path for complex SHACL paths
    value: Node | None
    source_shape: Node
    component: Node
    severity: Node
    messages: tuple[Literal, ...]

    def __hash__(self) -> int:
        # computed once: a session keys its findings by result, and hashing the terms (the
        # messages above all) again on every lookup cost 0.07 s for 3,000 results
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(
                (
                    self.focus,
                    self.path,
                    self.value,
                    self.source_shape,
                    self.component,
                    self.severity,
                    self.messages,
                )
            )
            object.__setattr__(self, "_hash", cached)
        return cached


def _values(nodes: Iterable[Identifier]) -> str:
    return " ".join(f"<{n}>" for n in nodes)


def _follow(
    store: Store, sources: Sequence[Identifier], sparql_path: str
) -> dict[Node, list[Node]]:
    """For each source node, the nodes reached by a SPARQL property path (set-based)."""
    reached: dict[Node, list[Node]] = defaultdict(list)
    iris = [s for s in sources if isinstance(s, URIRef)]
    # One query for all focus nodes, however many: the request count must not grow with the data
    # (a remote check is asserted on it), and a VALUES block of many IRIs is cheap.
    if iris:
        query = f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {_values(iris)} }} ?s {sparql_path} ?o }}"
        for row in store.select(query):
            reached[row["s"]].append(row["o"])
    for node in sources:
        if isinstance(node, BNode):  # blank nodes cannot be named in VALUES; bind them one by one
            query = f"SELECT ?o WHERE {{ ?s {sparql_path} ?o }}"
            for row in store.select(query, bindings={"s": node}):
                reached[node].append(row["o"])
    return {k: sorted(set(v), key=str) for k, v in reached.items()}


@dataclass(frozen=True)
class _UnitFacts:
    main_leaders: dict[Node, list[Node]]
    linked_leaders: dict[Node, list[Node]]
    pursuers: dict[Node, list[Node]]
    districts: dict[Node, list[Node]]


#: Who pursues a unit's failures (A5.4): the bodies these predicates name.
PURSUERS = (CIV.disciplineInspection, CIV.efficiencyOffice, CIV.civilizationOffice)
#: Every predicate read from a unit (besides the shapes' own paths), walked forwards.
UNIT_FACT_PREDICATES = (
    CIV.mainLeader,
    CIV.linkedLeader,
    *PURSUERS,
    ORG.subOrganizationOf,
    RDF.type,
)


def attribution_paths(shapes: Graph) -> list[Node]:
    """The paths the shapes declare to reach a focus node's unit and persons."""
    paths: list[Node] = []
    for path_list in shapes.objects(None, CIV.unitPath):
        paths += list(shapes.items(path_list))
    paths += list(shapes.objects(None, CIV.responsiblePersonPath))
    for other in shapes.objects(None, CIV.otherAccountable):
        paths += list(shapes.objects(other, CIV.path))
    return paths


def _unit_facts(store: Store, units: Sequence[Identifier]) -> _UnitFacts:
    return _UnitFacts(
        main_leaders=_follow(store, units, f"<{CIV.mainLeader}>"),
        linked_leaders=_follow(store, units, f"<{CIV.linkedLeader}>"),
        pursuers=_follow(store, units, "(" + "|".join(f"<{p}>" for p in PURSUERS) + ")"),
        districts=_district_of(store, units),
    )


def _district_of(store: Store, units: Sequence[Identifier]) -> dict[Node, list[Node]]:
    iris = [u for u in units if isinstance(u, URIRef)]
    found: dict[Node, list[Node]] = defaultdict(list)
    if iris:
        query = (
            sparql_prefixes() + f"SELECT ?s ?d WHERE {{ VALUES ?s {{ {_values(iris)} }} "
            # the class test as a filter: as a join, pyoxigraph walks down from every district
            # to the whole tree below it (23 s at 10M triples) instead of up from each unit
            "?s org:subOrganizationOf* ?d . FILTER EXISTS { ?d a civ:District } }"
        )
        for row in store.select(query):
            found[row["s"]].append(row["d"])
    return {k: sorted(set(v), key=str) for k, v in found.items()}


def finding_order(finding: Finding) -> tuple[str, str, str, str]:
    """The order findings are reported in."""
    return (finding.code, finding.focus, finding.value or "", finding.source_shape)


def attribute(results: Sequence[RawResult], *, store: Store, index: ShapeIndex) -> list[Finding]:
    """Turn raw validation results into findings with clause 5 applied."""
    return sorted(attribute_each(results, store=store, index=index), key=finding_order)


def attribute_each(
    results: Sequence[RawResult], *, store: Store, index: ShapeIndex
) -> list[Finding]:
    """The finding of each result, in the results' order."""
    shapes = index.graph
    by_obligation: dict[Node, list[RawResult]] = defaultdict(list)
    numbers: dict[Node, list[int]] = defaultdict(list)
    for number, result in enumerate(results):
        obligation = index.obligation_of(result.source_shape)
        if obligation is None:
            raise CivgraphError(
                f"validation result from shape {result.source_shape} that belongs to no obligation"
            )
        by_obligation[obligation].append(result)
        numbers[obligation].append(number)

    unit_of: dict[tuple[Node, Node], Node | None] = {}
    persons_of: dict[tuple[Node, Node], list[Accountable]] = defaultdict(list)
    for obligation, group in by_obligation.items():
        foci = sorted({r.focus for r in group}, key=str)
        unresolved: list[Identifier] = list(foci)
        path_list = shapes.value(obligation, CIV.unitPath)
        if path_list is None:
            for focus in foci:
                unit_of[(obligation, focus)] = focus
            unresolved = []
        else:
            for path in shapes.items(path_list):
                if not unresolved:
                    break
                reached = _follow(store, unresolved, path_to_sparql(shapes, path))
                for focus in unresolved:
                    if reached.get(focus):
                        unit_of[(obligation, focus)] = reached[focus][0]
                unresolved = [f for f in unresolved if not reached.get(f)]
        for focus in unresolved:
            unit_of[(obligation, focus)] = None

        responsible = shapes.value(obligation, CIV.responsiblePersonPath)
        if responsible is not None:
            reached = _follow(store, foci, path_to_sparql(shapes, responsible))
            for focus in foci:
                for person in reached.get(focus, []):
                    persons_of[(obligation, focus)].append(
                        Accountable(role="responsible_person", person=str(person))
                    )
        for other in shapes.objects(obligation, CIV.otherAccountable):
            role = shapes.value(other, CIV.accountableRole)
            other_path = shapes.value(other, CIV.path)
            if role is None or other_path is None:
                raise CivgraphError(f"{obligation}: civ:otherAccountable needs a role and a path")
            reached = _follow(store, foci, path_to_sparql(shapes, other_path))
            for focus in foci:
                for person in reached.get(focus, []):
                    persons_of[(obligation, focus)].append(
                        Accountable(role=str(role), person=str(person))
                    )

    units = sorted({u for u in unit_of.values() if isinstance(u, Identifier)}, key=str)
    facts = _unit_facts(store, units)

    findings: list[Finding | None] = [None] * len(results)
    escalates: dict[Node, bool] = {}  # by source shape: the shapes graph is slow to ask
    leaders_of: dict[Node, list[Accountable]] = {}
    for obligation, group in by_obligation.items():
        code = index.code_of[obligation]
        clause = shapes.value(obligation, URIRef("http://purl.org/dc/terms/source"))
        base_sanctions = sorted(str(s) for s in shapes.objects(obligation, CIV.recommendedSanction))
        extra_sanctions = sorted(str(s) for s in shapes.objects(obligation, CIV.escalatedSanction))
        for number, result in zip(numbers[obligation], group, strict=True):
            unit = unit_of[(obligation, result.focus)]
            people = list(persons_of.get((obligation, result.focus), []))
            if unit is not None:
                leaders = leaders_of.get(unit)
                if leaders is None:  # many findings share a unit: its leaders are named once
                    leaders = leaders_of[unit] = [
                        Accountable(role="main_leader", person=str(p))
                        for p in facts.main_leaders.get(unit, [])
                    ] + [
                        Accountable(role="linked_leader", person=str(p))
                        for p in facts.linked_leaders.get(unit, [])
                    ]
                people += leaders
            escalated = escalates.get(result.source_shape)
            if escalated is None:
                escalated = escalates[result.source_shape] = _escalates(shapes, result.source_shape)
            sanctions = base_sanctions + (extra_sanctions if escalated else [])
            district_list = facts.districts.get(unit, []) if unit is not None else []
            findings[number] = Finding(
                code=code,
                severity=str(result.severity).rsplit("#", 1)[-1],
                focus=str(result.focus),
                path=result.path,
                value=None if result.value is None else str(result.value),
                value_term=None if result.value is None else result.value.n3(),
                message=_messages(result, shapes),
                source_shape=str(result.source_shape),
                constraint_component=str(result.component),
                clause=None if clause is None else str(clause),
                unit=None if unit is None else str(unit),
                district=str(district_list[0]) if district_list else None,
                accountable=tuple(_unique(people)),
                pursued_by=tuple(str(p) for p in facts.pursuers.get(unit, []))
                if unit is not None
                else (),
                sanctions=tuple(dict.fromkeys(sanctions)),
                escalated=escalated,
            )
    return [f for f in findings if f is not None]


def _unique(people: list[Accountable]) -> list[Accountable]:
    seen: set[tuple[str, str]] = set()
    kept: list[Accountable] = []
    for person in people:
        marker = (person.role, person.person)
        if marker not in seen:
            seen.add(marker)
            kept.append(person)
    return kept


def _escalates(shapes: Graph, shape: Node) -> bool:
    value = shapes.value(shape, CIV.escalates)
    return isinstance(value, Literal) and value.toPython() is True


def _messages(result: RawResult, shapes: Graph) -> dict[str, str]:
    found: dict[str, str] = {}
    for message in result.messages:
        if message.language and message.language not in found:
            found[message.language] = str(message)
    if not found:
        for declared in shapes.objects(result.source_shape, SH.message):
            if isinstance(declared, Literal) and declared.language:
                found.setdefault(declared.language, str(declared))
    return found
