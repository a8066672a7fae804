"""The shapes graph read into node shapes, property shapes, targets and constraints."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Literal, Node, URIRef

from civgraph.sparql_engine.errors import ShapesGraphError
from civgraph.sparql_engine.paths import rdf_list

# Parameter of a SHACL Core constraint component -> the component. Each value is one constraint.
CORE_PARAMETERS: dict[URIRef, URIRef] = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.equals: SH.EqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.property: SH.PropertyConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}

TARGET_PREDICATES = (
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
)


def is_true(node: Node | None) -> bool:
    """Whether ``node`` is the literal ``true`` (SHACL means exactly that, not ``"1"``)."""
    return isinstance(node, Literal) and node.datatype == XSD.boolean and str(node) == "true"


@dataclass(frozen=True)
class Constraint:
    """One constraint of a shape: a component and the parameter values it is given."""

    component: URIRef
    parameter: URIRef | None
    value: Node | None
    extra: tuple[tuple[URIRef, Node], ...] = ()
    validator: Node | None = None

    def extra_value(self, predicate: URIRef) -> Node | None:
        return next((v for p, v in self.extra if p == predicate), None)


@dataclass(frozen=True)
class Shape:
    node: Node
    path: Node | None
    severity: Node
    messages: tuple[Literal, ...]
    deactivated: bool
    targets: tuple[tuple[URIRef, Node], ...]
    constraints: tuple[Constraint, ...]
    property_shapes: tuple[Node, ...] = field(default=())

    @property
    def is_property_shape(self) -> bool:
        return self.path is not None


@dataclass(frozen=True)
class Parameter:
    path: URIRef
    optional: bool


@dataclass(frozen=True)
class ComponentDefinition:
    """A SPARQL-based constraint component declared in the shapes graph."""

    node: URIRef
    parameters: tuple[Parameter, ...]
    node_validator: Node | None
    property_validator: Node | None
    validator: Node | None


class ShapesModel:
    """Shapes read lazily from ``graph``; :meth:`shape` caches each one."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._shapes: dict[Node, Shape] = {}
        self.components = self._read_components()

    def _read_components(self) -> tuple[ComponentDefinition, ...]:
        found = []
        classes = set(self.graph.transitive_subjects(RDFS.subClassOf, SH.ConstraintComponent))
        nodes = {n for c in classes for n in self.graph.subjects(RDF.type, c)}
        for node in sorted(nodes, key=str):
            if not isinstance(node, URIRef):
                continue
            parameters = []
            for parameter in self.graph.objects(node, SH.parameter):
                path = self.graph.value(parameter, SH.path)
                if not isinstance(path, URIRef):
                    raise ShapesGraphError(f"component {node.n3()}: parameter without IRI path")
                optional = self.graph.value(parameter, SH.optional)
                parameters.append(Parameter(path, is_true(optional)))
            found.append(
                ComponentDefinition(
                    node,
                    tuple(parameters),
                    self.graph.value(node, SH.nodeValidator),
                    self.graph.value(node, SH.propertyValidator),
                    self.graph.value(node, SH.validator),
                )
            )
        return tuple(found)

    def target_shapes(self) -> list[Node]:
        """Shapes with at least one target (explicit or implicit class target)."""
        found: dict[Node, None] = {}
        for predicate in TARGET_PREDICATES:
            for node in self.graph.subjects(predicate, None):
                found[node] = None
        for kind in (SH.NodeShape, SH.PropertyShape):
            for node in self.graph.subjects(RDF.type, kind):
                if (node, RDF.type, RDFS.Class) in self.graph:
                    found[node] = None
        return sorted(found, key=str)

    def shape(self, node: Node) -> Shape:
        cached = self._shapes.get(node)
        if cached is None:
            cached = self._read_shape(node)
            self._shapes[node] = cached
        return cached

    def _read_shape(self, node: Node) -> Shape:
        g = self.graph
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1:
            raise ShapesGraphError(f"shape {node.n3()} has more than one sh:path")
        deactivated = is_true(g.value(node, SH.deactivated))
        targets = tuple(
            (predicate, target)
            for predicate in TARGET_PREDICATES
            for target in sorted(g.objects(node, predicate), key=str)
        )
        if (node, RDF.type, RDFS.Class) in g and (
            (node, RDF.type, SH.NodeShape) in g or (node, RDF.type, SH.PropertyShape) in g
        ):
            targets += ((SH.targetClass, node),)
        messages = tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal))
        return Shape(
            node=node,
            path=paths[0] if paths else None,
            severity=g.value(node, SH.severity) or SH.Violation,
            messages=messages,
            deactivated=deactivated,
            targets=targets,
            constraints=tuple(self._read_constraints(node)),
            property_shapes=tuple(sorted(g.objects(node, SH.property), key=str)),
        )

    def _read_constraints(self, node: Node) -> list[Constraint]:
        g = self.graph
        found: list[Constraint] = []
        for parameter, component in CORE_PARAMETERS.items():
            for value in sorted(g.objects(node, parameter), key=str):
                if parameter == SH.pattern:
                    flags = g.value(node, SH.flags)
                    flag_extra: tuple[tuple[URIRef, Node], ...] = (
                        ((SH.flags, flags),) if flags is not None else ()
                    )
                    found.append(Constraint(component, parameter, value, flag_extra))
                else:
                    found.append(Constraint(component, parameter, value))
        closed = g.value(node, SH.closed)
        if closed is not None and is_true(closed):
            ignored = g.value(node, SH.ignoredProperties)
            extra: tuple[tuple[URIRef, Node], ...] = (
                ((SH.ignoredProperties, ignored),) if ignored is not None else ()
            )
            found.append(Constraint(SH.ClosedConstraintComponent, SH.closed, closed, extra))
        for qualified in sorted(g.objects(node, SH.qualifiedValueShape), key=str):
            extra = tuple(
                (p, v)
                for p in (
                    SH.qualifiedMinCount,
                    SH.qualifiedMaxCount,
                    SH.qualifiedValueShapesDisjoint,
                )
                if (v := g.value(node, p)) is not None
            )
            if (SH.qualifiedMinCount, g.value(node, SH.qualifiedMinCount)) in extra:
                found.append(
                    Constraint(
                        SH.QualifiedMinCountConstraintComponent,
                        SH.qualifiedValueShape,
                        qualified,
                        extra,
                    )
                )
            if (SH.qualifiedMaxCount, g.value(node, SH.qualifiedMaxCount)) in extra:
                found.append(
                    Constraint(
                        SH.QualifiedMaxCountConstraintComponent,
                        SH.qualifiedValueShape,
                        qualified,
                        extra,
                    )
                )
        is_property = g.value(node, SH.path) is not None
        for definition in self.components:
            validator = (
                definition.property_validator if is_property else definition.node_validator
            ) or definition.validator
            required = [p for p in definition.parameters if not p.optional]
            if not required or any(g.value(node, p.path) is None for p in required):
                continue
            if validator is None:
                continue
            options = [
                [(p.path, v) for v in sorted(g.objects(node, p.path), key=str)]
                for p in definition.parameters
                if g.value(node, p.path) is not None
            ]
            for combination in itertools.product(*options):
                found.append(Constraint(definition.node, None, None, tuple(combination), validator))
        return found

    def list_members(self, head: Node) -> list[Node]:
        return rdf_list(self.graph, head)

    def sibling_qualified_shapes(self, shape: Node, qualified: Node) -> list[Node]:
        """Qualified value shapes of the sibling property shapes of ``shape`` (SHACL 4.7.3)."""
        siblings: set[Node] = set()
        for parent in self.graph.subjects(SH.property, shape):
            for sibling in self.graph.objects(parent, SH.property):
                for other in self.graph.objects(sibling, SH.qualifiedValueShape):
                    if other != qualified:
                        siblings.add(other)
        return sorted(siblings, key=str)
