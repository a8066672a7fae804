"""Validate the data of a store against a shapes graph with set-based SPARQL."""

from __future__ import annotations

import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal as TypingLiteral

import rdflib
from rdflib.namespace import SH
from rdflib.term import BNode, Literal, Node, URIRef

from civgraph.sparql_engine.compiler import COUNT, FOCUS, PATH, VALUE, CompiledQuery, Compiler
from civgraph.sparql_engine.errors import UnsupportedShapeError
from civgraph.sparql_engine.focus_filter import targeted_among
from civgraph.sparql_engine.model import Shape, ShapesModel
from civgraph.sparql_engine.patterns import Binary, Unary, nothing
from civgraph.sparql_engine.pyshacl_fallback import validate_with_pyshacl
from civgraph.sparql_engine.results import ValidationOutcome, ValidationResult
from civgraph.sparql_engine.terms import is_expressible, sparql_term
from civgraph.store.protocol import Row, Store
from civgraph.store.threads import query_threads
from civgraph.store.written_datatypes import Recording, recording_of

Fallback = TypingLiteral["never", "pyshacl"]


@dataclass(frozen=True)
class _Instance:
    """A shape evaluated over one set of focus nodes (its targets, or a parent's values).

    ``chain`` holds the (focus, value) pairs of each ancestor shape, from the targeted shape
    down: SHACL validates a nested property shape once per parent focus node, so a node reached
    along several chains is reported once per chain.
    """

    shape: Shape
    focus: Unary
    chain: tuple[Binary, ...]
    ancestors: tuple[Node, ...]


@dataclass(frozen=True)
class ShapePlan:
    """The queries of one shape instance, and the query counting how often each focus repeats."""

    queries: tuple[CompiledQuery, ...]
    multiplicity: str | None
    restricted_focus: bool = False  # the focus nodes are the targets limited to ``focus_nodes``


def compile_shapes(
    shapes: rdflib.Graph, *, written_datatypes: Recording = "unknown"
) -> dict[Node, list[ShapePlan]]:
    """Every query needed to validate against ``shapes``, grouped by targeted shape.

    ``written_datatypes``: what the store knows of the datatypes it rewrote (see
    :class:`Compiler`).
    Raises :class:`UnsupportedShapeError` for the first construct the compiler cannot translate.
    """
    model = ShapesModel(shapes)
    compiler = Compiler(model, written_datatypes=written_datatypes)
    return {node: _compile_tree(compiler, model, node) for node in model.target_shapes()}


def _multiplicity(chain: tuple[Binary, ...]) -> str:
    """How many chains of (focus, value) pairs of property-shape ancestors reach each focus."""
    names = [f"?_cga{i}" for i in range(len(chain))] + [f"?{FOCUS}"]
    joins = " ".join(pairs(names[i], names[i + 1]) for i, pairs in enumerate(chain))
    return f"SELECT ?{FOCUS} (COUNT(*) AS ?{COUNT}) WHERE {{ {joins} }} GROUP BY ?{FOCUS}"


@dataclass(frozen=True)
class _Restriction:
    """A set of focus nodes, written once as a VALUES list (it may hold many thousands)."""

    named: str
    blank: bool

    @classmethod
    def of(cls, nodes: Collection[Node], *, blank: bool) -> _Restriction:
        """``nodes`` listed; ``blank``: whether every blank focus node is wanted too."""
        named = " ".join(sparql_term(n) for n in nodes if is_expressible(n))
        return cls(named=named, blank=blank)


def _restricted(focus: Unary, restriction: _Restriction) -> Unary:
    """The nodes of ``focus`` (a pattern, see :meth:`Compiler.target_union`) that are among the
    listed nodes (blank nodes: every blank focus node), each once."""
    named, blank = restriction.named, restriction.blank

    def pattern(x: str) -> str:
        branches = []
        if named:
            # the listed nodes first, then the targets' patterns (not a sub-query, which would
            # enumerate every target before the join: 0.15 s a query at 1M triples)
            branches.append(f"{{ VALUES {x} {{ {named} }} {{ {focus(x)} }} }}")
        if blank:
            branches.append(f"{{ {focus(x)} FILTER(isBlank({x})) }}")
        if not branches:
            return nothing()
        return f"{{ SELECT DISTINCT {x} WHERE {{ {' UNION '.join(branches)} }} }}"

    return pattern


def _compile_tree(
    compiler: Compiler, model: ShapesModel, node: Node, restrict: _Restriction | None = None
) -> list[ShapePlan]:
    plans: list[ShapePlan] = []
    root = model.shape(node)
    focus = compiler.targets(root)
    if restrict is not None:
        focus = _restricted(compiler.target_union(root), restrict)
    root_focus = focus
    pending = [_Instance(root, focus, (), (node,))]
    while pending:
        instance = pending.pop(0)
        shape = instance.shape
        if shape.deactivated:
            continue
        queries: list[CompiledQuery] = []
        for constraint in shape.constraints:
            if constraint.component != SH.PropertyConstraintComponent:
                queries.append(compiler.compile(shape, constraint, instance.focus))
                continue
            assert constraint.value is not None
            if constraint.value in instance.ancestors:
                raise UnsupportedShapeError(
                    constraint.value, SH.PropertyConstraintComponent, "recursive shape"
                )
            pending.append(
                _Instance(
                    model.shape(constraint.value),
                    compiler.candidates(shape, instance.focus),
                    # a node shape's value is its focus node: it adds no repetition
                    (*instance.chain, compiler.values(shape, instance.focus))
                    if shape.is_property_shape
                    else instance.chain,
                    (*instance.ancestors, constraint.value),
                )
            )
        if queries:
            multiplicity = _multiplicity(instance.chain) if instance.chain else None
            limited = restrict is not None and instance.focus is root_focus
            plans.append(ShapePlan(tuple(queries), multiplicity, limited))
    return plans


def validate(
    data: Store,
    shapes: rdflib.Graph,
    *,
    fallback: Fallback = "never",
    focus_nodes: Collection[Node] | None = None,
    unrestricted: Collection[Node] = frozenset(),
    model: ShapesModel | None = None,
) -> ValidationOutcome:
    """Validate ``data`` against ``shapes``: one SPARQL query per constraint over all focus nodes.

    With ``fallback="never"`` a shape the compiler cannot translate raises
    :class:`UnsupportedShapeError`. With ``fallback="pyshacl"`` that shape alone is validated by
    pySHACL over ``data.to_rdflib()`` and a notice naming it is returned.

    ``focus_nodes`` (for incremental checks) limits every targeted shape to those of its focus
    nodes, except the shapes named in ``unrestricted``, which are validated in full.

    sh:datatype tells the datatypes the store rewrites apart (``"5"^^xsd:int`` from
    ``"5"^^xsd:integer``) when ``data`` records them (asked once, here; see
    :func:`civgraph.store.written_datatypes.recording_of`).

    The number of queries depends on the shapes only: one per constraint, plus, for a property
    shape nested under another property shape, one counting how often each of its focus nodes
    is reached (run only when that shape has results).

    ``model``, the shapes as read by an earlier call on the same graph, saves reading them
    again (a session validating after each small change).
    """
    if model is None or model.graph is not shapes:
        model = ShapesModel(shapes)
    compiler = Compiler(model, written_datatypes=recording_of(data))
    plans: list[ShapePlan] = []
    unsupported: dict[Node, str] = {}
    restrictions: dict[Node, _Restriction] = {}
    if focus_nodes is not None:
        blank = any(isinstance(n, BNode) for n in focus_nodes)
        limited = [n for n in model.target_shapes() if n not in unrestricted]
        for node, chosen in targeted_among(data, model, limited, focus_nodes).items():
            if chosen or blank:  # a shape selecting none of the nodes is not asked at all
                restrictions[node] = _Restriction.of(chosen, blank=blank)
    for node in model.target_shapes():
        restrict = None
        if focus_nodes is not None and node not in unrestricted:
            restrict = restrictions.get(node)
            if restrict is None:
                continue
        try:
            plans.extend(_compile_tree(compiler, model, node, restrict))
        except UnsupportedShapeError as exc:
            if fallback == "never":
                raise
            unsupported[node] = str(exc)
    results: list[ValidationResult] = []
    timings: list[tuple[str, float]] = []
    threads = query_threads(data)
    if threads > 1 and len(plans) > 1:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="civgraph-shape") as pool:
            outcomes = list(pool.map(lambda plan: _run_plan(data, plan, focus_nodes), plans))
    else:
        outcomes = [_run_plan(data, plan, focus_nodes) for plan in plans]
    for found, spent in outcomes:  # in plan order, whatever order the queries finished in
        results.extend(found)
        timings.extend(spent)
    notices: list[str] = []
    if unsupported:
        fallen = validate_with_pyshacl(data, shapes, list(unsupported))
        if focus_nodes is not None:
            wanted = set(focus_nodes)
            fallen = [r for r in fallen if r.focus in wanted or _owner(model, r) in unrestricted]
        results.extend(fallen)
        notices += [
            f"shape {node.n3()} validated by pySHACL: {reason}"
            for node, reason in unsupported.items()
        ]
    return ValidationOutcome(
        conforms=not results,
        results=tuple(results),
        notices=tuple(notices),
        timings=tuple(timings),
        query_count=len(timings),
    )


def _run_plan(
    data: Store, plan: ShapePlan, focus_nodes: Collection[Node] | None
) -> tuple[list[ValidationResult], list[tuple[str, float]]]:
    """The results of one shape's queries, and how long each query took."""
    found: list[ValidationResult] = []
    timings: list[tuple[str, float]] = []
    for query in plan.queries:
        started = time.perf_counter()
        rows = data.select(query.query)
        label = f"{query.shape.node.n3()} {query.constraint.component.n3()}"
        timings.append((label, time.perf_counter() - started))
        found.extend(_result(query, row) for row in rows)
    if found and plan.multiplicity is not None:
        started = time.perf_counter()
        counts: dict[Node, int] = {
            row[FOCUS]: int(str(row[COUNT])) for row in data.select(plan.multiplicity)
        }
        timings.append(
            (f"{plan.queries[0].shape.node.n3()} multiplicity", time.perf_counter() - started)
        )
        found = [r for r in found for _ in range(counts.get(r.focus, 1))]
    if (
        plan.restricted_focus
        and focus_nodes is not None
        and any(isinstance(r.focus, BNode) for r in found)
    ):
        # blank focus nodes cannot be named in the query: all were validated, keep the wanted
        wanted = set(focus_nodes)
        found = [r for r in found if not isinstance(r.focus, BNode) or r.focus in wanted]
    return found, timings


def _owner(model: ShapesModel, result: ValidationResult) -> Node:
    """The targeted shape a result comes from (its source shape, or a shape holding it)."""
    node = result.source_shape
    seen: set[Node] = set()
    while node not in seen:
        seen.add(node)
        parent = model.graph.value(None, SH.property, node)
        if parent is None:
            return node
        node = parent
    return node


def _result(plan: CompiledQuery, row: Row) -> ValidationResult:
    violation = plan.violation
    shape = plan.shape
    focus = row[FOCUS]
    value = row.get(VALUE) if violation.reports_value else None
    path: Node | None = shape.path
    data_path = row.get(PATH)
    if violation.binds_path and isinstance(data_path, URIRef):
        path = data_path
    messages = violation.messages if violation.substitutes_messages else shape.messages
    if violation.substitutes_messages and messages:
        bound: dict[str, Node] = dict(violation.message_constants)
        bound["this"] = focus
        if value is not None:
            bound["value"] = value
        if path is not None and data_path is not None:
            bound["path"] = data_path
        for name, column in violation.message_variables.items():
            term = row.get(column)
            if term is not None:
                bound[name] = term
        messages = tuple(_substitute(m, bound) for m in messages)
    return ValidationResult(
        focus=focus,
        path=path,
        value=value,
        source_shape=shape.node,
        constraint_component=plan.constraint.component,
        severity=shape.severity,
        messages=messages,
        source_constraint=plan.constraint.value
        if plan.constraint.parameter == SH.sparql
        else plan.constraint.validator,
    )


def _substitute(message: Literal, bound: dict[str, Node]) -> Literal:
    text = str(message)
    for name, term in bound.items():
        text = text.replace("{?" + name + "}", str(term)).replace("{$" + name + "}", str(term))
    return Literal(text)
