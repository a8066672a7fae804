"""SHACL constraints compiled into set-based SPARQL: one query per constraint, all focus nodes.

A *unary pattern* is a function from a variable name to a group graph pattern binding that
variable (a set of nodes, such as the focus nodes of a shape). A shape's *violators* over a set of
candidates is the unary pattern of the candidates that do not conform to it; nested shapes
(sh:node, sh:not, sh:and, sh:or, sh:xone, sh:qualifiedValueShape, sh:property) are composed from
violators inside the same query, so the number of queries never depends on the data.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Literal, Node, URIRef

from civgraph.sparql_engine.errors import ShapesGraphError, UnsupportedShapeError
from civgraph.sparql_engine.model import Constraint, Shape, ShapesModel
from civgraph.sparql_engine.paths import sparql_path
from civgraph.sparql_engine.sparql_text import (
    Token,
    ask_to_select,
    check_prebinding,
    ensure_projected,
    expand_prefixes,
    inject_focus,
    substitute,
    tokenize,
)
from civgraph.sparql_engine.terms import sparql_iri, sparql_string, sparql_term

Unary = Callable[[str], str]
Binary = Callable[[str, str], str]

TYPE_PATH = f"{sparql_iri(str(RDF.type))}/{sparql_iri(str(RDFS.subClassOf))}*"

# Datatypes whose well-formedness the store can test with a SPARQL cast.
_CASTABLE = {
    XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.boolean, XSD.dateTime, XSD.date,
    XSD.time, XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration,
}
# pyoxigraph stores these as xsd:integer; accept integers in range (see the package docstring).
_DERIVED_INTEGERS: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.long: (-(2**63), 2**63 - 1),
    XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-128, 127),
    XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0),
    XSD.negativeInteger: (None, -1),
    XSD.unsignedLong: (0, 2**64 - 1),
    XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 255),
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {
    SH.minExclusive: ">",
    SH.minInclusive: ">=",
    SH.maxExclusive: "<",
    SH.maxInclusive: "<=",
}


@dataclass(frozen=True)
class CompiledQuery:
    """One SELECT over all focus nodes of one shape for one constraint.

    Rows bind ``?this`` (the focus node), ``?value`` when the component reports one, and
    ``?path`` when the result path comes from the data (sh:closed, SHACL-SPARQL).
    """

    shape: Shape
    constraint: Constraint
    query: str
    reports_value: bool
    messages: tuple[Literal, ...]
    substitutes_messages: bool


class Compiler:
    """Compiles a shapes model into :class:`CompiledQuery` objects."""

    def __init__(self, model: ShapesModel) -> None:
        self.model = model
        self.graph: Graph = model.graph
        self._counter = itertools.count()
        self._active: list[Node] = []

    # -- helpers -------------------------------------------------------------------------------

    def fresh(self) -> str:
        return f"?_cg{next(self._counter)}"

    def const(self, shape: Shape, constraint: Constraint, node: Node) -> str:
        try:
            return sparql_term(node)
        except ValueError as exc:
            raise UnsupportedShapeError(shape.node, constraint.component, str(exc)) from None

    def path_text(self, shape: Shape) -> str:
        assert shape.path is not None
        return sparql_path(self.graph, shape.path)

    def members(self, head: Node) -> list[Node]:
        return self.model.list_members(head)

    # -- focus nodes and value nodes -----------------------------------------------------------

    def targets(self, shape: Shape) -> Unary:
        branches: list[Callable[[str], str]] = []
        for predicate, target in shape.targets:
            if predicate == SH.targetNode:
                term = self.const(shape, Constraint(SH.targetNode, None, None), target)
                branches.append(lambda x, term=term: f"VALUES {x} {{ {term} }}")
            elif predicate == SH.targetClass:
                term = self.const(shape, Constraint(SH.targetClass, None, None), target)
                branches.append(lambda x, term=term: f"{x} {TYPE_PATH} {term} .")
            elif predicate == SH.targetSubjectsOf:
                term = self.const(shape, Constraint(SH.targetSubjectsOf, None, None), target)
                branches.append(lambda x, term=term: f"{x} {term} {self.fresh()} .")
            elif predicate == SH.targetObjectsOf:
                term = self.const(shape, Constraint(SH.targetObjectsOf, None, None), target)
                branches.append(lambda x, term=term: f"{self.fresh()} {term} {x} .")
            else:
                branches.append(self.sparql_target(shape, target))

        def pattern(x: str) -> str:
            if not branches:
                return "{ FILTER(false) }"
            union = " UNION ".join("{ " + b(x) + " }" for b in branches)
            return f"{{ SELECT DISTINCT {x} WHERE {{ {union} }} }}"

        return pattern

    def sparql_target(self, shape: Shape, target: Node) -> Callable[[str], str]:
        select = self.graph.value(target, SH.select)
        if select is None:
            raise UnsupportedShapeError(shape.node, SH.target, "only SPARQL-based targets")
        tokens = expand_prefixes(
            tokenize(str(select)), self.prefixes(target), where=f"target {target.n3()}"
        )

        def branch(x: str) -> str:
            renamed = substitute(tokens, {"this": x})
            return "{ " + " ".join(t.text for t in renamed) + " }"

        return branch

    def values(self, shape: Shape, focus: Unary) -> Binary:
        if shape.path is None:
            return lambda t, v: f"{{ {focus(t)} BIND({t} AS {v}) }}"
        path = self.path_text(shape)
        return lambda t, v: f"{{ SELECT DISTINCT {t} {v} WHERE {{ {focus(t)} {t} {path} {v} . }} }}"

    def candidates(self, shape: Shape, focus: Unary) -> Unary:
        """The value nodes of ``shape`` for ``focus``, as a set (focus nodes of nested shapes)."""
        if shape.path is None:
            return focus
        values = self.values(shape, focus)
        return lambda x: f"{{ SELECT DISTINCT {x} WHERE {{ {values(self.fresh(), x)} }} }}"

    # -- nested shapes -------------------------------------------------------------------------

    def violators(self, node: Node, focus: Unary) -> Unary:
        """Nodes of ``focus`` that do not conform to the shape at ``node``."""
        shape = self.model.shape(node)
        if shape.deactivated:
            return lambda x: "{ FILTER(false) }"
        if node in self._active:
            raise UnsupportedShapeError(node, SH.node, "recursive shapes are not supported")
        self._active.append(node)
        try:
            parts: list[Unary] = []
            for constraint in shape.constraints:
                parts.append(self.constraint_violators(shape, constraint, focus))
        finally:
            self._active.pop()

        def pattern(x: str) -> str:
            if not parts:
                return "{ FILTER(false) }"
            union = " UNION ".join(p(x) for p in parts)
            return f"{{ SELECT DISTINCT {x} WHERE {{ {union} }} }}"

        return pattern

    def conformers(self, node: Node, focus: Unary) -> Unary:
        violators = self.violators(node, focus)
        return lambda x: f"{{ {focus(x)} MINUS {violators(x)} }}"

    def constraint_violators(self, shape: Shape, constraint: Constraint, focus: Unary) -> Unary:
        if constraint.component == SH.PropertyConstraintComponent:
            assert constraint.value is not None
            values = self.values(shape, focus)
            inner = self.violators(constraint.value, self.candidates(shape, focus))

            def nested(x: str) -> str:
                v = self.fresh()
                return f"{{ SELECT DISTINCT {x} WHERE {{ {values(x, v)} {inner(v)} }} }}"

            return nested
        compiled = self.violation(shape, constraint, focus)
        return lambda x: f"{{ SELECT DISTINCT {x} WHERE {compiled.pattern(x, self.fresh(), self.fresh())} }}"

    # -- constraints ---------------------------------------------------------------------------

    def violation(self, shape: Shape, constraint: Constraint, focus: Unary) -> Violation:
        component = constraint.component
        if constraint.parameter == SH.sparql:
            return self.sparql_constraint(shape, constraint, focus)
        if constraint.validator is not None:
            return self.component_validator(shape, constraint, focus)
        handler = _HANDLERS.get(component)
        if handler is None:
            raise UnsupportedShapeError(shape.node, component, "no translation")
        return handler(self, shape, constraint, focus)

    def compile(self, shape: Shape, constraint: Constraint, focus: Unary) -> CompiledQuery:
        violation = self.violation(shape, constraint, focus)
        select = "?this ?value ?path" if violation.reports_value else "?this ?path"
        extra = " ".join(f"?{name}" for name in violation.extra_variables)
        query = f"SELECT {select} {extra} WHERE {violation.pattern('?this', '?value', '?path')}"
        return CompiledQuery(
            shape,
            constraint,
            query,
            violation.reports_value,
            violation.messages or shape.messages,
            violation.substitutes_messages,
        )

    def prefixes(self, node: Node) -> dict[str, str]:
        names: dict[str, str] = {}
        for ontology in self.graph.objects(node, SH.prefixes):
            for declaration in self.graph.objects(ontology, SH.declare):
                prefix = self.graph.value(declaration, SH.prefix)
                namespace = self.graph.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise ShapesGraphError(f"prefix declaration of {ontology.n3()} is incomplete")
                names[str(prefix)] = str(namespace)
        return names

    def sparql_constraint(self, shape: Shape, constraint: Constraint, focus: Unary) -> Violation:
        node = constraint.value
        assert node is not None
        deactivated = self.graph.value(node, SH.deactivated)
        if isinstance(deactivated, Literal) and deactivated.toPython() is True:
            return Violation(lambda t, v, p: "{ FILTER(false) }", False)
        select = self.graph.value(node, SH.select)
        if select is None:
            raise ShapesGraphError(f"SPARQL constraint {node.n3()} has no sh:select")
        messages = tuple(m for m in self.graph.objects(node, SH.message) if isinstance(m, Literal))
        return self.select_query(
            shape, constraint, focus, str(select), node, {}, messages, shape.messages
        )

    def select_query(
        self,
        shape: Shape,
        constraint: Constraint,
        focus: Unary,
        text: str,
        source: Node,
        constants: dict[str, str],
        messages: tuple[Literal, ...],
        shape_messages: tuple[Literal, ...],
    ) -> Violation:
        where = f"shape {shape.node.n3()}"
        tokens = expand_prefixes(tokenize(text), self.prefixes(source), where=where)
        if shape.path is not None:
            tokens = _replace_path(tokens, self.path_text(shape))
        tokens = substitute(tokens, {**constants, **self.prebound_constants(shape, tokens)})
        check_prebinding(tokens, {"this"}, where=where)
        tokens = ensure_projected(tokens, "this")
        variables = _projected_names(tokens)
        reports_value = "value" in variables or shape.path is None
        body_vars = sorted(variables - {"this", "value", "path"})
        rename = {name: self.fresh()[1:] for name in body_vars}

        def pattern(t: str, v: str, p: str) -> str:
            text = inject_focus(tokens, {"this"}, lambda: focus("?this"), where=where)
            binds = [f"BIND(?this AS {t})"]
            if "value" in variables:
                binds.append(f"BIND(?value AS {v})")
            elif shape.path is None:
                binds.append(f"BIND(?this AS {v})")
            if "path" in variables:
                binds.append(f"BIND(?path AS {p})")
            binds += [f"BIND(?{name} AS ?{rename[name]})" for name in body_vars]
            return f"{{ {{ {text} }} {' '.join(binds)} }}"

        return Violation(
            pattern,
            reports_value,
            tuple(messages) + tuple(shape_messages),
            substitutes_messages=True,
            extra_variables=tuple(rename[name] for name in body_vars),
            message_names=tuple(body_vars),
        )

    def prebound_constants(self, shape: Shape, tokens: list[Token]) -> dict[str, str]:
        found: dict[str, str] = {}
        names = {t.text[1:] for t in tokens if t.kind == "var"}
        if "currentShape" in names:
            found["currentShape"] = self.const(
                shape, Constraint(SH.SPARQLConstraintComponent, None, None), shape.node
            )
        if "shapesGraph" in names:
            raise UnsupportedShapeError(
                shape.node, SH.SPARQLConstraintComponent, "$shapesGraph is not available"
            )
        return found

    def component_validator(self, shape: Shape, constraint: Constraint, focus: Unary) -> Violation:
        validator = constraint.validator
        assert validator is not None
        constants = {
            str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]: self.const(shape, constraint, value)
            for path, value in constraint.extra
        }
        messages = tuple(
            m for m in self.graph.objects(validator, SH.message) if isinstance(m, Literal)
        ) or tuple(
            m for m in self.graph.objects(constraint.component, SH.message) if isinstance(m, Literal)
        )
        message_constants = {name: value for name, value in zip(constants, (v for _, v in constraint.extra), strict=True)}
        select = self.graph.value(validator, SH.select)
        if select is not None:
            violation = self.select_query(
                shape, constraint, focus, str(select), validator, constants, messages, shape.messages
            )
            return Violation(
                violation.pattern,
                violation.reports_value,
                violation.messages,
                True,
                violation.extra_variables,
                violation.message_names,
                message_constants,
            )
        ask = self.graph.value(validator, SH.ask)
        if ask is None:
            raise UnsupportedShapeError(shape.node, constraint.component, "validator without query")
        where = f"shape {shape.node.n3()}"
        tokens = expand_prefixes(tokenize(str(ask)), self.prefixes(validator), where=where)
        if shape.path is not None:
            tokens = _replace_path(tokens, self.path_text(shape))
        tokens = substitute(tokens, {**constants, **self.prebound_constants(shape, tokens)})
        check_prebinding(tokens, {"this", "value"}, where=where)
        tokens = ask_to_select(tokens, ["this", "value"])
        values = self.values(shape, focus)

        def pattern(t: str, v: str, p: str) -> str:
            conforming = inject_focus(
                tokens, {"this", "value"}, lambda: values("?this", "?value"), where=where
            )
            a, b = self.fresh(), self.fresh()
            return (
                f"{{ {values(t, v)} MINUS {{ {{ {conforming} }} BIND(?this AS {t}) "
                f"BIND(?value AS {v}) }} }}"
            ).replace("?this AS", f"?this AS").replace(f"{a}", a).replace(f"{b}", b)

        return Violation(pattern, True, messages + shape.messages, True, (), (), message_constants)


@dataclass(frozen=True)
class Violation:
    """A compiled constraint: ``pattern(t, v, p)`` binds violating focus ``t``, value ``v``, path ``p``."""

    pattern: Callable[[str, str, str], str]
    reports_value: bool
    messages: tuple[Literal, ...] = ()
    substitutes_messages: bool = False
    extra_variables: tuple[str, ...] = ()
    message_names: tuple[str, ...] = ()
    message_constants: dict[str, Node] | None = None


def _replace_path(tokens: list[Token], path: str) -> list[Token]:
    return [Token("const", path) if t.kind == "var" and t.text[1:] == "PATH" else t for t in tokens]


def _projected_names(tokens: list[Token]) -> set[str]:
    from civgraph.sparql_engine.sparql_text import projected_variables

    names = projected_variables(tokens)
    if names is None:
        return {t.text[1:] for t in tokens if t.kind == "var"}
    return names
