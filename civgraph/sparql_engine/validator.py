"""Validate the data of a store against a shapes graph with set-based SPARQL."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Literal as TypingLiteral

import rdflib
from rdflib.namespace import SH
from rdflib.term import Literal, Node, URIRef

from civgraph.sparql_engine.compiler import FOCUS, PATH, VALUE, CompiledQuery, Compiler
from civgraph.sparql_engine.errors import UnsupportedShapeError
from civgraph.sparql_engine.model import Shape, ShapesModel
from civgraph.sparql_engine.patterns import Unary
from civgraph.sparql_engine.pyshacl_fallback import validate_with_pyshacl
from civgraph.sparql_engine.results import ValidationOutcome, ValidationResult
from civgraph.store.protocol import Row, Store

Fallback = TypingLiteral["never", "pyshacl"]


@dataclass(frozen=True)
class _Instance:
    """A shape evaluated over one set of focus nodes (its targets, or a parent's values)."""

    shape: Shape
    focus: Unary


def compile_shapes(shapes: rdflib.Graph) -> dict[Node, list[CompiledQuery]]:
    """Every query needed to validate against ``shapes``, grouped by top-level shape.

    Raises :class:`UnsupportedShapeError` for the first construct the compiler cannot translate.
    """
    compiled: dict[Node, list[CompiledQuery]] = {}
    model = ShapesModel(shapes)
    compiler = Compiler(model)
    for node in model.target_shapes():
        compiled[node] = _compile_tree(compiler, model, node)
    return compiled


def _compile_tree(compiler: Compiler, model: ShapesModel, node: Node) -> list[CompiledQuery]:
    queries: list[CompiledQuery] = []
    root = model.shape(node)
    pending = [(_Instance(root, compiler.targets(root)), (node,))]
    while pending:
        instance, chain = pending.pop(0)
        shape = instance.shape
        if shape.deactivated:
            continue
        for constraint in shape.constraints:
            if constraint.component == SH.PropertyConstraintComponent:
                assert constraint.value is not None
                if constraint.value in chain:
                    raise UnsupportedShapeError(
                        constraint.value, SH.PropertyConstraintComponent, "recursive shape"
                    )
                child = model.shape(constraint.value)
                focus = compiler.candidates(shape, instance.focus)
                pending.append((_Instance(child, focus), (*chain, constraint.value)))
                continue
            queries.append(compiler.compile(shape, constraint, instance.focus))
    return queries


def validate(
    data: Store, shapes: rdflib.Graph, *, fallback: Fallback = "never"
) -> ValidationOutcome:
    """Validate ``data`` against ``shapes``: one SPARQL query per constraint over all focus nodes.

    With ``fallback="never"`` a shape the compiler cannot translate raises
    :class:`UnsupportedShapeError`. With ``fallback="pyshacl"`` that shape alone is validated by
    pySHACL over ``data.to_rdflib()`` and a notice naming it is returned.
    """
    model = ShapesModel(shapes)
    compiler = Compiler(model)
    plans: list[CompiledQuery] = []
    unsupported: dict[Node, str] = {}
    for node in model.target_shapes():
        try:
            plans.extend(_compile_tree(compiler, model, node))
        except UnsupportedShapeError as exc:
            if fallback == "never":
                raise
            unsupported[node] = str(exc)
    results: list[ValidationResult] = []
    timings: list[tuple[str, float]] = []
    for plan in plans:
        started = time.perf_counter()
        rows = data.select(plan.query)
        timings.append(
            (f"{plan.shape.node.n3()} {plan.constraint.component.n3()}", time.perf_counter() - started)
        )
        results.extend(_result(plan, row) for row in rows)
    notices: list[str] = []
    if unsupported:
        results.extend(validate_with_pyshacl(data, shapes, list(unsupported)))
        notices += [
            f"shape {node.n3()} validated by pySHACL: {reason}" for node, reason in unsupported.items()
        ]
    return ValidationOutcome(
        conforms=not results,
        results=tuple(results),
        notices=tuple(notices),
        timings=tuple(timings),
        query_count=len(plans),
    )


def _result(plan: CompiledQuery, row: Row) -> ValidationResult:
    violation = plan.violation
    shape = plan.shape
    focus = row[FOCUS]
    value = row.get(VALUE) if violation.reports_value else None
    path: Node | None = shape.path
    data_path = row.get(PATH)
    if violation.binds_path and isinstance(data_path, URIRef):
        path = data_path
    messages = violation.messages
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
        text = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, t=term: str(t), text)
    return Literal(text)
