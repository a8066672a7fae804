"""Translations of the SHACL Core constraint components into set-based SPARQL patterns."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import BNode, Literal, URIRef

from civgraph.sparql_engine.errors import ShapesGraphError, UnsupportedShapeError
from civgraph.sparql_engine.model import Constraint, Shape, is_true
from civgraph.sparql_engine.paths import may_be_empty
from civgraph.sparql_engine.patterns import Unary, Violation, nothing
from civgraph.sparql_engine.terms import sparql_iri, sparql_string
from civgraph.store import written_datatypes as written

if TYPE_CHECKING:
    from civgraph.sparql_engine.compiler import Compiler

Handler = Callable[["Compiler", Shape, Constraint, Unary], Violation]

TYPE_PATH = f"{sparql_iri(str(RDF.type))}/{sparql_iri(str(RDFS.subClassOf))}*"

# Datatypes whose well-formedness the store can test with a SPARQL cast.
_CASTABLE = {
    XSD.integer,
    XSD.decimal,
    XSD.float,
    XSD.double,
    XSD.boolean,
    XSD.dateTime,
    XSD.date,
    XSD.time,
    XSD.duration,
    XSD.dayTimeDuration,
    XSD.yearMonthDuration,
}
# pyoxigraph stores these as xsd:integer, so they are checked as integers within their range
# (and, when the store records it, by the datatype they were written with).
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
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
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


def _value(shape: Shape, constraint: Constraint) -> Literal | URIRef:
    value = constraint.value
    if isinstance(value, BNode):
        raise UnsupportedShapeError(
            shape.node, constraint.component, "a blank node cannot be named in a query"
        )
    if not isinstance(value, Literal | URIRef):
        raise ShapesGraphError(
            f"shape {shape.node.n3()}: {constraint.parameter} needs an IRI or literal value"
        )
    return value


def _integer(shape: Shape, constraint: Constraint) -> int:
    value = constraint.value
    if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
        raise ShapesGraphError(f"shape {shape.node.n3()}: {constraint.parameter} needs an integer")
    return int(value.toPython())


def _filtered(c: Compiler, shape: Shape, focus: Unary, condition: str) -> Violation:
    """Each value node for which ``condition`` (with ``{v}`` for the value) does not hold."""
    values = c.values(shape, focus)
    return Violation(
        lambda t, v, p: (
            f"{{ {values(t, v)} FILTER(!COALESCE({condition.replace('{v}', v)}, false)) }}"
        ),
        True,
    )


def class_(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    cls = c.const(shape, k, _value(shape, k))
    values = c.values(shape, focus)
    return Violation(
        lambda t, v, p: f"{{ {values(t, v)} MINUS {{ {v} {TYPE_PATH} {cls} . }} }}", True
    )


def _written(c: Compiler, datatype: URIRef | None) -> str:
    """``EXISTS`` a record saying ``{v}`` was written with ``datatype`` (any rewritten one)."""
    record = c.fresh()
    written_as = sparql_iri(str(datatype)) if datatype is not None else c.fresh()
    return (
        f"EXISTS {{ GRAPH {sparql_iri(written.WRITTEN_DATATYPES_GRAPH)} {{ "
        f"{record} {sparql_iri(written.STORED)} {{v}} ; "
        f"{sparql_iri(written.DATATYPE)} {written_as} }} }}"
    )


def _rewritten_type(c: Compiler, dt: URIRef) -> str:
    """The condition for a type the store rewrites (derived integers, ``xsd:dateTimeStamp``).

    A value conforms if it is valid for ``dt`` and stored with ``dt`` (the store keeps ill-formed
    literals as written) or with the type the store rewrites ``dt`` to, provided the store's
    record says it was written with ``dt`` (:attr:`Compiler.written_datatypes`). A store that
    records nothing (``"unknown"``, such as a remote endpoint) cannot say, so there a valid
    ``"5"^^xsd:integer`` conforms to ``xsd:int`` too; a store holding no record (``"none"``) says
    that no literal was rewritten.
    """
    base = URIRef(written.REWRITTEN[str(dt)])
    stored = [f"sameTerm(datatype({{v}}), {sparql_iri(str(dt))})"]
    if c.written_datatypes == "unknown":
        stored.append(f"sameTerm(datatype({{v}}), {sparql_iri(str(base))})")
    elif c.written_datatypes == "recorded":
        stored.append(f"(sameTerm(datatype({{v}}), {sparql_iri(str(base))}) && {_written(c, dt)})")
    checks = [
        "isLiteral({v})",
        f"({' || '.join(stored)})",
        f"isLiteral({sparql_iri(str(base))}({{v}}))",
    ]
    if dt == XSD.dateTimeStamp:
        checks.append('tz({v}) != ""')
    low, high = _DERIVED_INTEGERS.get(dt, (None, None))
    # pyoxigraph's integers are 64-bit: every castable value is within those bounds, and a bound
    # beyond them would not even parse as a number in the query
    if low is not None and low > _INT64_MIN:
        checks.append(f"{{v}} >= {low}")
    if high is not None and high < _INT64_MAX:
        checks.append(f"{{v}} <= {high}")
    return " && ".join(checks)


def datatype(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    dt = _value(shape, k)
    if dt == RDFS.Literal:
        return _filtered(c, shape, focus, "isLiteral({v})")
    if dt == RDF.langString:
        return _filtered(c, shape, focus, 'isLiteral({v}) && lang({v}) != ""')
    if str(dt) in written.REWRITTEN:
        return _filtered(c, shape, focus, _rewritten_type(c, URIRef(dt)))
    term = c.const(shape, k, dt)
    condition = f"isLiteral({{v}}) && sameTerm(datatype({{v}}), {term})"
    if dt in _CASTABLE:
        condition += f" && isLiteral({term}({{v}}))"
    if c.written_datatypes == "recorded" and str(dt) in written.REWRITTEN.values():
        # the store keeps "5"^^xsd:int as "5"^^xsd:integer: not an xsd:integer as written
        condition += f" && !{_written(c, None)}"
    return _filtered(c, shape, focus, condition)


def node_kind(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    kind = _value(shape, k)
    test = _NODE_KINDS.get(kind) if isinstance(kind, URIRef) else None
    if test is None:
        raise ShapesGraphError(f"shape {shape.node.n3()}: unknown sh:nodeKind {k.value}")
    return _filtered(c, shape, focus, test)


def min_count(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    n = _integer(shape, k)
    if n <= 0:
        return Violation(nothing, False)
    if n == 1 and shape.path is not None and not may_be_empty(c.graph, shape.path):
        # the common case as an anti-join: the focus nodes minus those with a value. The right
        # side needs no focus restriction, and it skips the grouping (3× faster at 1M triples).
        path = c.path_text(shape)
        return Violation(
            lambda t, v, p: c.without(focus(t), f"{{ {t} {path} {c.fresh()} . }}"), False
        )
    values = c.values(shape, focus)

    def pattern(t: str, v: str, p: str) -> str:
        x = c.fresh()
        return (
            f"{{ SELECT {t} WHERE {{ {focus(t)} OPTIONAL {{ {values(t, x)} }} }} "
            f"GROUP BY {t} HAVING (COUNT(DISTINCT {x}) < {n}) }}"
        )

    return Violation(pattern, False)


def max_count(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    n = _integer(shape, k)
    values = c.values(shape, focus)

    def pattern(t: str, v: str, p: str) -> str:
        x = c.fresh()
        return (
            f"{{ SELECT {t} WHERE {{ {values(t, x)} }} "
            f"GROUP BY {t} HAVING (COUNT(DISTINCT {x}) > {n}) }}"
        )

    return Violation(pattern, False)


def comparison(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    assert k.parameter is not None
    bound = c.const(shape, k, _value(shape, k))
    return _filtered(c, shape, focus, f"{{v}} {_COMPARISONS[k.parameter]} {bound}")


def length(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    n = _integer(shape, k)
    op = ">=" if k.parameter == SH.minLength else "<="
    return _filtered(c, shape, focus, f"!isBlank({{v}}) && STRLEN(STR({{v}})) {op} {n}")


def pattern_(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    regex = sparql_string(str(_value(shape, k)))
    flags = k.extra_value(SH.flags)
    flag_text = f", {sparql_string(str(flags))}" if flags is not None else ""
    return _filtered(c, shape, focus, f"!isBlank({{v}}) && REGEX(STR({{v}}), {regex}{flag_text})")


def language_in(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    assert k.value is not None
    tags = [sparql_string(str(tag)) for tag in c.members(k.value)]
    matches = " || ".join(f"langMatches(lang({{v}}), {tag})" for tag in tags) or "false"
    return _filtered(c, shape, focus, f"isLiteral({{v}}) && ({matches})")


def unique_lang(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    value = k.value
    if not is_true(value):
        return Violation(nothing, False)
    values = c.values(shape, focus)

    def pattern(t: str, v: str, p: str) -> str:
        a, b, lang = c.fresh(), c.fresh(), c.fresh()
        return (
            f"{{ SELECT DISTINCT {t} {lang} WHERE {{ {values(t, a)} {values(t, b)} "
            f'FILTER(!sameTerm({a}, {b}) && lang({a}) != "" '
            f"&& LCASE(lang({a})) = LCASE(lang({b}))) "
            f"BIND(LCASE(lang({a})) AS {lang}) }} }}"
        )

    return Violation(pattern, False)


def _property_iri(shape: Shape, k: Constraint) -> str:
    value = k.value
    if not isinstance(value, URIRef):
        raise ShapesGraphError(f"shape {shape.node.n3()}: {k.parameter} needs an IRI")
    return sparql_iri(str(value))


def equals(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    other = _property_iri(shape, k)
    values = c.values(shape, focus)

    def pattern(t: str, v: str, p: str) -> str:
        return (
            f"{{ {{ {values(t, v)} MINUS {{ {t} {other} {v} . }} }} UNION "
            f"{{ {{ {focus(t)} {t} {other} {v} . }} MINUS {values(t, v)} }} }}"
        )

    return Violation(pattern, True)


def disjoint(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    other = _property_iri(shape, k)
    values = c.values(shape, focus)
    return Violation(lambda t, v, p: f"{{ {values(t, v)} {t} {other} {v} . }}", True)


def less_than(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    other = _property_iri(shape, k)
    op = "<" if k.parameter == SH.lessThan else "<="
    values = c.values(shape, focus)

    def pattern(t: str, v: str, p: str) -> str:
        w = c.fresh()
        return f"{{ {values(t, v)} {t} {other} {w} . FILTER(!COALESCE({v} {op} {w}, false)) }}"

    return Violation(pattern, True)


def has_value(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    term = c.const(shape, k, _value(shape, k))
    if shape.path is None:
        return Violation(lambda t, v, p: f"{{ {focus(t)} FILTER(!sameTerm({t}, {term})) }}", False)
    path = c.path_text(shape)
    return Violation(lambda t, v, p: c.without(focus(t), f"{{ {t} {path} {term} . }}"), False)


def in_(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    assert k.value is not None
    allowed = " ".join(c.const(shape, k, m) for m in c.members(k.value))
    values = c.values(shape, focus)
    if not allowed:
        return Violation(lambda t, v, p: values(t, v), True)
    return Violation(
        lambda t, v, p: f"{{ {values(t, v)} MINUS {{ VALUES {v} {{ {allowed} }} }} }}", True
    )


def closed(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    allowed: list[str] = []
    for property_shape in shape.property_shapes:
        path = c.graph.value(property_shape, SH.path)
        if isinstance(path, URIRef):
            allowed.append(sparql_iri(str(path)))
    ignored = k.extra_value(SH.ignoredProperties)
    if ignored is not None:
        allowed += [c.const(shape, k, m) for m in c.members(ignored)]
    values = c.values(shape, focus)
    rdf_type, resource = sparql_iri(str(RDF.type)), sparql_iri(str(RDFS.Resource))
    not_in = f"FILTER({{p}} NOT IN ({', '.join(allowed)}))" if allowed else ""

    def pattern(t: str, v: str, p: str) -> str:
        x = c.fresh()
        return (
            f"{{ {values(t, x)} {x} {p} {v} . {not_in.replace('{p}', p)} "
            f"FILTER(!(sameTerm({p}, {rdf_type}) && sameTerm({v}, {resource}))) }}"
        )

    return Violation(pattern, True, binds_path=True)


def not_(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    assert k.value is not None
    values = c.values(shape, focus)
    conforming = c.conformers(k.value, c.nested_candidates(shape, focus))
    return Violation(lambda t, v, p: f"{{ {values(t, v)} {conforming(v)} }}", True)


def node(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    assert k.value is not None
    values = c.values(shape, focus)
    failing = c.violators(k.value, c.nested_candidates(shape, focus))
    return Violation(lambda t, v, p: f"{{ {values(t, v)} {failing(v)} }}", True)


def and_(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    assert k.value is not None
    values = c.values(shape, focus)
    candidates = c.nested_candidates(shape, focus)
    members = [c.violators(m, candidates) for m in c.members(k.value)]
    if not members:
        return Violation(nothing, True)

    def pattern(t: str, v: str, p: str) -> str:
        union = " UNION ".join(m(v) for m in members)
        return f"{{ SELECT DISTINCT {t} {v} WHERE {{ {values(t, v)} {{ {union} }} }} }}"

    return Violation(pattern, True)


def or_(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    assert k.value is not None
    values = c.values(shape, focus)
    candidates = c.nested_candidates(shape, focus)
    members = [c.violators(m, candidates) for m in c.members(k.value)]
    return Violation(
        lambda t, v, p: f"{{ {values(t, v)} {' '.join(m(v) for m in members)} }}", True
    )


def xone(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    assert k.value is not None
    values = c.values(shape, focus)
    candidates = c.nested_candidates(shape, focus)
    members = [c.conformers(m, candidates) for m in c.members(k.value)]

    def pattern(t: str, v: str, p: str) -> str:
        i = c.fresh()
        if not members:
            return values(t, v)
        union = " UNION ".join(f"{{ {m(v)} BIND({n} AS {i}) }}" for n, m in enumerate(members))
        return (
            f"{{ SELECT {t} {v} WHERE {{ {values(t, v)} OPTIONAL {{ {union} }} }} "
            f"GROUP BY {t} {v} HAVING (COUNT(DISTINCT {i}) != 1) }}"
        )

    return Violation(pattern, True)


def qualified(c: Compiler, shape: Shape, k: Constraint, focus: Unary) -> Violation:
    assert k.value is not None
    values = c.values(shape, focus)
    candidates = c.nested_candidates(shape, focus)
    conforming = c.conformers(k.value, candidates)
    disjoint_flag = k.extra_value(SH.qualifiedValueShapesDisjoint)
    siblings = (
        [c.conformers(s, candidates) for s in c.model.sibling_qualified_shapes(shape.node, k.value)]
        if is_true(disjoint_flag)
        else []
    )
    if k.component == SH.QualifiedMinCountConstraintComponent:
        bound = k.extra_value(SH.qualifiedMinCount)
        op = "<"
    else:
        bound = k.extra_value(SH.qualifiedMaxCount)
        op = ">"
    if not isinstance(bound, Literal) or not isinstance(bound.toPython(), int):
        raise ShapesGraphError(f"shape {shape.node.n3()}: qualified count must be an integer")
    limit = int(bound.toPython())

    def pattern(t: str, v: str, p: str) -> str:
        x = c.fresh()
        minus = " ".join(f"MINUS {s(x)}" for s in siblings)
        return (
            f"{{ SELECT {t} WHERE {{ {focus(t)} "
            f"OPTIONAL {{ {values(t, x)} {conforming(x)} {minus} }} }} "
            f"GROUP BY {t} HAVING (COUNT(DISTINCT {x}) {op} {limit}) }}"
        )

    return Violation(pattern, False)


HANDLERS: dict[URIRef, Handler] = {
    SH.ClassConstraintComponent: class_,
    SH.DatatypeConstraintComponent: datatype,
    SH.NodeKindConstraintComponent: node_kind,
    SH.MinCountConstraintComponent: min_count,
    SH.MaxCountConstraintComponent: max_count,
    SH.MinExclusiveConstraintComponent: comparison,
    SH.MinInclusiveConstraintComponent: comparison,
    SH.MaxExclusiveConstraintComponent: comparison,
    SH.MaxInclusiveConstraintComponent: comparison,
    SH.MinLengthConstraintComponent: length,
    SH.MaxLengthConstraintComponent: length,
    SH.PatternConstraintComponent: pattern_,
    SH.LanguageInConstraintComponent: language_in,
    SH.UniqueLangConstraintComponent: unique_lang,
    SH.EqualsConstraintComponent: equals,
    SH.DisjointConstraintComponent: disjoint,
    SH.LessThanConstraintComponent: less_than,
    SH.LessThanOrEqualsConstraintComponent: less_than,
    SH.HasValueConstraintComponent: has_value,
    SH.InConstraintComponent: in_,
    SH.ClosedConstraintComponent: closed,
    SH.NotConstraintComponent: not_,
    SH.NodeConstraintComponent: node,
    SH.AndConstraintComponent: and_,
    SH.OrConstraintComponent: or_,
    SH.XoneConstraintComponent: xone,
    SH.QualifiedMinCountConstraintComponent: qualified,
    SH.QualifiedMaxCountConstraintComponent: qualified,
}
