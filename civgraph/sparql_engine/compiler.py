"""SHACL constraints compiled into set-based SPARQL: one query per constraint, all focus nodes.

A *unary pattern* maps a variable name to a group graph pattern binding that variable to a set of
nodes (such as the focus nodes of a shape). A shape's *violators* over a set of candidates is the
unary pattern of the candidates that do not conform to it; nested shapes (sh:node, sh:not, sh:and,
sh:or, sh:xone, sh:qualifiedValueShape, sh:property) are composed from violators inside the same
query, so the number of queries depends on the shapes only, never on the data.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import OWL, SH
from rdflib.term import Literal, Node, URIRef

from civgraph.sparql_engine.core_components import HANDLERS, TYPE_PATH
from civgraph.sparql_engine.errors import ShapesGraphError, UnsupportedShapeError
from civgraph.sparql_engine.model import Constraint, Shape, ShapesModel, is_true
from civgraph.sparql_engine.paths import may_be_empty, sparql_path
from civgraph.sparql_engine.patterns import Binary, Unary, Violation, nothing
from civgraph.sparql_engine.sparql_text import (
    ask_to_select,
    check_prebinding,
    ensure_projected,
    expand_prefixes,
    inject_focus,
    projected_variables,
    substitute,
)
from civgraph.sparql_engine.terms import sparql_term
from civgraph.sparql_tokens import Token, render, tokenize
from civgraph.store.written_datatypes import Recording

# Components SHACL allows on property shapes only (pySHACL rejects them on node shapes too).
_PROPERTY_SHAPES_ONLY = {
    SH.MinCountConstraintComponent,
    SH.MaxCountConstraintComponent,
    SH.UniqueLangConstraintComponent,
    SH.LessThanConstraintComponent,
    SH.LessThanOrEqualsConstraintComponent,
}

# Names of the columns of every compiled query (chosen so that no user query can clash).
FOCUS, VALUE, PATH, COUNT = "_cgthis", "_cgvalue", "_cgpath", "_cgcount"


@dataclass(frozen=True)
class CompiledQuery:
    """One SELECT over all focus nodes of one shape for one constraint."""

    shape: Shape
    constraint: Constraint
    query: str
    violation: Violation


class Compiler:
    """Compiles the shapes of a :class:`ShapesModel` into SPARQL.

    ``written_datatypes`` says what the store knows of the datatype each literal it rewrote was
    written with (see :data:`civgraph.store.written_datatypes.Recording`), so that sh:datatype
    can tell ``"5"^^xsd:int`` from ``"5"^^xsd:integer``; when it is ``"unknown"`` the two are the
    same value.
    """

    def __init__(self, model: ShapesModel, *, written_datatypes: Recording = "unknown") -> None:
        self.model = model
        self.written_datatypes = written_datatypes
        self.graph: Graph = model.graph
        self._counter = itertools.count()
        self._active: list[Node] = []

    # -- helpers -------------------------------------------------------------------------------

    def fresh(self) -> str:
        return f"?_cg{next(self._counter)}"

    def without(self, left: str, right: str) -> str:
        """The solutions of ``left`` that match nothing in ``right``, a pattern over variables
        ``left`` always binds (so ``MINUS`` would say the same): ``FILTER NOT EXISTS``, a
        lookup per solution of ``left`` starting from the nodes it binds. Over a few listed
        focus nodes ``MINUS`` would read every match of ``right`` in the graph; over all of
        them it reads every match too and joins them by hash, which at 1M triples took
        0.38 s for the 25 obligations against 0.25-0.28 s this way (the minimum counts over
        60,000 complaints: 0.15 s and 0.13 s each)."""
        return f"{{ {left} FILTER NOT EXISTS {right} }}"

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
        """The focus nodes of ``shape`` from its targets."""
        union = self.target_union(shape)

        def pattern(x: str) -> str:
            if not shape.targets:
                return nothing()
            return f"{{ SELECT DISTINCT {x} WHERE {{ {union(x)} }} }}"

        return pattern

    def target_union(self, shape: Shape) -> Unary:
        """A pattern matching each focus node of ``shape`` once per target it is reached by
        (no sub-query: joined after a ``VALUES`` list of a few nodes, it is a lookup per node)."""
        branches: list[Unary] = []
        for predicate, target in shape.targets:
            marker = Constraint(predicate, predicate, target)
            if predicate == SH.target:
                branches.append(self.sparql_target(shape, target))
                continue
            branches.append(_target_branch(self, predicate, self.const(shape, marker, target)))

        def union(x: str) -> str:
            if not branches:
                return nothing()
            return " UNION ".join("{ " + branch(x) + " }" for branch in branches)

        return union

    def sparql_target(self, shape: Shape, target: Node) -> Unary:
        select = self.graph.value(target, SH.select)
        if select is None:
            raise UnsupportedShapeError(shape.node, SH.target, "only SPARQL-based targets")
        tokens = expand_prefixes(
            tokenize(str(select)), self.prefixes(target), where=f"target {target.n3()}"
        )

        def branch(x: str) -> str:
            renamed = substitute(tokens, {"this": x})
            return "{ " + render(renamed) + " }"

        return branch

    def values(self, shape: Shape, focus: Unary) -> Binary:
        """Pairs (focus node, value node) of ``shape``; for node shapes the value is the focus."""
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

    def nested_candidates(self, shape: Shape, focus: Unary) -> Unary:
        """A superset of the value nodes of ``shape``, as focus nodes of a nested shape.

        Whether a node conforms to a shape does not depend on the other nodes validated with it,
        so nested shapes may be evaluated over any superset of the values, provided the result is
        joined back with the real values. For a path that needs at least one step, every object
        reached by it is such a superset, and naming it without ``focus`` keeps the text of deeply
        nested queries from growing with each level.
        """
        if shape.path is None or may_be_empty(self.graph, shape.path):
            return self.candidates(shape, focus)
        path = self.path_text(shape)
        return lambda x: f"{{ SELECT DISTINCT {x} WHERE {{ {self.fresh()} {path} {x} . }} }}"

    # -- nested shapes -------------------------------------------------------------------------

    def violators(self, node: Node, focus: Unary) -> Unary:
        """The nodes of ``focus`` that do not conform to the shape at ``node``."""
        shape = self.model.shape(node)
        if shape.deactivated:
            return nothing
        if node in self._active:
            raise UnsupportedShapeError(node, SH.NodeConstraintComponent, "recursive shape")
        self._active.append(node)
        try:
            parts = [self.constraint_violators(shape, k, focus) for k in shape.constraints]
        finally:
            self._active.pop()

        def pattern(x: str) -> str:
            if not parts:
                return nothing()
            union = " UNION ".join(part(x) for part in parts)
            return f"{{ SELECT DISTINCT {x} WHERE {{ {union} }} }}"

        return pattern

    def conformers(self, node: Node, focus: Unary) -> Unary:
        """The nodes of ``focus`` that conform to the shape at ``node``."""
        violators = self.violators(node, focus)
        return lambda x: f"{{ {focus(x)} MINUS {violators(x)} }}"

    def constraint_violators(self, shape: Shape, constraint: Constraint, focus: Unary) -> Unary:
        if constraint.component == SH.PropertyConstraintComponent:
            assert constraint.value is not None
            values = self.values(shape, focus)
            inner = self.violators(constraint.value, self.nested_candidates(shape, focus))

            def nested(x: str) -> str:
                v = self.fresh()
                return f"{{ SELECT DISTINCT {x} WHERE {{ {values(x, v)} {inner(v)} }} }}"

            return nested
        violation = self.violation(shape, constraint, focus)

        def direct(x: str) -> str:
            body = violation.pattern(x, self.fresh(), self.fresh())
            return f"{{ SELECT DISTINCT {x} WHERE {{ {body} }} }}"

        return direct

    # -- constraints ---------------------------------------------------------------------------

    def violation(self, shape: Shape, constraint: Constraint, focus: Unary) -> Violation:
        if constraint.parameter == SH.sparql:
            return self.sparql_constraint(shape, constraint, focus)
        if constraint.validator is not None:
            return self.component_validator(shape, constraint, focus)
        if shape.path is None and constraint.component in _PROPERTY_SHAPES_ONLY:
            where = f"shape {shape.node.n3()}"
            raise ShapesGraphError(
                f"{where}: {constraint.parameter} is only allowed on property shapes"
            )
        handler = HANDLERS.get(constraint.component)
        if handler is None:
            raise UnsupportedShapeError(shape.node, constraint.component, "no translation")
        return handler(self, shape, constraint, focus)

    def compile(self, shape: Shape, constraint: Constraint, focus: Unary) -> CompiledQuery:
        """The query reporting every violation of ``constraint`` by the nodes of ``focus``."""
        violation = self.violation(shape, constraint, focus)
        columns = [f"?{FOCUS}", f"?{PATH}"]
        if violation.reports_value:
            columns.append(f"?{VALUE}")
        columns += sorted(set(violation.message_variables.values()))
        body = violation.pattern(f"?{FOCUS}", f"?{VALUE}", f"?{PATH}")
        return CompiledQuery(
            shape, constraint, f"SELECT {' '.join(columns)} WHERE {body}", violation
        )

    # -- SHACL-SPARQL --------------------------------------------------------------------------

    def prefixes(self, node: Node) -> dict[str, str]:
        names: dict[str, str] = {}
        ontologies: set[Node] = set()
        for start in self.graph.objects(node, SH.prefixes):
            ontologies |= {o for o in self.graph.transitive_objects(start, OWL.imports) if o}
        for ontology in sorted(ontologies, key=str):
            for declaration in self.graph.objects(ontology, SH.declare):
                prefix = self.graph.value(declaration, SH.prefix)
                namespace = self.graph.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise ShapesGraphError(f"prefix declaration of {ontology.n3()} is incomplete")
                names[str(prefix)] = str(namespace)
        return names

    def prepare(
        self, shape: Shape, text: str, source: Node, constants: dict[str, str], prebound: set[str]
    ) -> list[Token]:
        where = f"shape {shape.node.n3()}"
        tokens = expand_prefixes(tokenize(text), self.prefixes(source), where=where)
        if shape.path is not None:
            path = self.path_text(shape)
            tokens = [
                Token("const", path, t.pre) if t.kind == "var" and t.text[1:] == "PATH" else t
                for t in tokens
            ]
        names = {t.text[1:] for t in tokens if t.kind == "var"}
        if "shapesGraph" in names:
            raise UnsupportedShapeError(
                shape.node, SH.SPARQLConstraintComponent, "$shapesGraph is not available"
            )
        if "currentShape" in names:
            marker = Constraint(SH.SPARQLConstraintComponent, None, None)
            constants = {**constants, "currentShape": self.const(shape, marker, shape.node)}
        tokens = substitute(tokens, constants)
        check_prebinding(tokens, prebound, where=where)
        return tokens

    def sparql_constraint(self, shape: Shape, constraint: Constraint, focus: Unary) -> Violation:
        node = constraint.value
        assert node is not None
        if is_true(self.graph.value(node, SH.deactivated)):
            return Violation(nothing, False)
        select = self.graph.value(node, SH.select)
        if select is None:
            raise ShapesGraphError(f"SPARQL constraint {node.n3()} has no sh:select")
        messages = _messages(self.graph, node)
        tokens = self.prepare(shape, str(select), node, {}, {"this"})
        return self.select_violation(shape, tokens, focus, messages, {})

    def select_violation(
        self,
        shape: Shape,
        tokens: list[Token],
        focus: Unary,
        messages: tuple[Literal, ...],
        constants: dict[str, Node],
    ) -> Violation:
        where = f"shape {shape.node.n3()}"
        tokens = ensure_projected(tokens, "this")
        variables = projected_variables(tokens)
        if variables is None:
            variables = {t.text[1:] for t in tokens if t.kind == "var"}
        reports_value = "value" in variables or shape.path is None
        others = sorted(variables - {"this", "value", "path"})
        renamed = {name: f"_cgm_{name}" for name in others}

        def pattern(t: str, v: str, p: str) -> str:
            text = inject_focus(tokens, {"this"}, lambda: focus("?this"), where=where)
            binds = [f"BIND(?this AS {t})"]
            if "value" in variables:
                binds.append(f"BIND(?value AS {v})")
            elif shape.path is None:
                binds.append(f"BIND(?this AS {v})")
            if "path" in variables:
                binds.append(f"BIND(?path AS {p})")
            binds += [f"BIND(?{name} AS ?{renamed[name]})" for name in others]
            return f"{{ {{ {text} }} {' '.join(binds)} }}"

        return Violation(
            pattern,
            reports_value,
            messages + shape.messages,
            substitutes_messages=True,
            message_variables=renamed,
            message_constants=constants,
            binds_path="path" in variables,
        )

    def component_validator(self, shape: Shape, constraint: Constraint, focus: Unary) -> Violation:
        """A SPARQL-based constraint component, with its parameters as constants."""
        validator = constraint.validator
        assert validator is not None
        by_name = {_local_name(str(path)): value for path, value in constraint.extra}
        constants = {name: self.const(shape, constraint, v) for name, v in by_name.items()}
        messages = _messages(self.graph, validator) or _messages(self.graph, constraint.component)
        select = self.graph.value(validator, SH.select)
        if select is not None:
            tokens = self.prepare(shape, str(select), validator, constants, {"this"})
            return self.select_violation(shape, tokens, focus, messages, by_name)
        ask = self.graph.value(validator, SH.ask)
        if ask is None:
            raise UnsupportedShapeError(shape.node, constraint.component, "validator without query")
        where = f"shape {shape.node.n3()}"
        tokens = self.prepare(shape, str(ask), validator, constants, {"this", "value"})
        tokens = ask_to_select(tokens, ["this", "value"])
        values = self.values(shape, focus)

        def pattern(t: str, v: str, p: str) -> str:
            conforming = inject_focus(
                tokens, {"this", "value"}, lambda: values("?this", "?value"), where=where
            )
            return (
                f"{{ {values(t, v)} MINUS {{ {{ {conforming} }} "
                f"BIND(?this AS {t}) BIND(?value AS {v}) }} }}"
            )

        return Violation(
            pattern,
            True,
            messages + shape.messages,
            substitutes_messages=True,
            message_constants=by_name,
        )


def _target_branch(compiler: Compiler, predicate: URIRef, term: str) -> Unary:
    """The focus nodes of one sh:targetNode, sh:targetClass, sh:targetSubjectsOf or …ObjectsOf."""

    def branch(x: str) -> str:
        if predicate == SH.targetNode:
            return f"VALUES {x} {{ {term} }}"
        if predicate == SH.targetClass:
            return f"{x} {TYPE_PATH} {term} ."
        if predicate == SH.targetSubjectsOf:
            return f"{x} {term} {compiler.fresh()} ."
        return f"{compiler.fresh()} {term} {x} ."

    return branch


def _messages(graph: Graph, node: Node) -> tuple[Literal, ...]:
    return tuple(m for m in graph.objects(node, SH.message) if isinstance(m, Literal))


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


__all__ = ["COUNT", "FOCUS", "PATH", "VALUE", "CompiledQuery", "Compiler"]
