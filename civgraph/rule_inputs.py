"""Which changed triples a rule can see: what lets an incremental run skip a rule.

A rule's output depends on the data only through the triples its patterns match. A pattern
with a fixed predicate matches only triples with that predicate, and ``?x a civ:Unit`` only
type triples of that class (with ``a/rdfs:subClassOf*`` also of its subclasses). So a rule
whose query names none of the predicates and classes of the changed triples derives what it
derived before, and need not run again. A pattern that can match *any* predicate — a variable
in predicate position, or a negated property set ``!p`` — makes the rule see every change.

The IRIs a query names come from :func:`civgraph.rule_order.analyse` (its tokens); whether a
pattern matches any predicate is read from rdflib's algebra of the query, which is exact.

>>> inputs = rule_inputs("PREFIX e: <urn:e:> CONSTRUCT { ?x e:q true } WHERE { ?x a e:C ; e:p ?y }")
>>> sorted(inputs.names), inputs.any_predicate, inputs.any_class
(['urn:e:C', 'urn:e:p'], False, False)
>>> inputs.sees(ChangedTerms(predicates=frozenset({"urn:e:r"}), classes=frozenset()))
False
>>> inputs.sees(ChangedTerms(predicates=frozenset(), classes=frozenset({"urn:e:C"})))
True
>>> rule_inputs("CONSTRUCT { ?s <urn:x> ?o } WHERE { ?s ?p ?o }").any_predicate
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node, Variable

from civgraph.rule_order import ANY_CLASS, EVERYTHING, RDF_TYPE, query_reads

_TYPE = f"<{RDF_TYPE}>".encode()


@dataclass(frozen=True, kw_only=True)
class ChangedTerms:
    """The predicates of changed triples (rdf:type aside) and the classes of changed types;
    ``everything`` when a changed triple gives a blank node as a class (no name to match)."""

    predicates: frozenset[str]
    classes: frozenset[str]
    everything: bool = False

    def __bool__(self) -> bool:
        return bool(self.predicates or self.classes or self.everything)

    def __or__(self, other: ChangedTerms) -> ChangedTerms:
        return ChangedTerms(
            predicates=self.predicates | other.predicates,
            classes=self.classes | other.classes,
            everything=self.everything or other.everything,
        )


NOTHING = ChangedTerms(predicates=frozenset(), classes=frozenset())


@dataclass(frozen=True, kw_only=True)
class RuleInputs:
    """The IRIs a rule's query names, and whether it matches any predicate or any class."""

    names: frozenset[str]
    any_predicate: bool
    any_class: bool

    def sees(self, changed: ChangedTerms) -> bool:
        """Whether a change of triples with these terms can change the rule's output."""
        if self.any_predicate or changed.everything:
            return bool(changed)
        if self.any_class and changed.classes:
            return True
        return bool(self.names & (changed.predicates | changed.classes))


@lru_cache(maxsize=256)
def parsed(query: str) -> Query:
    """``query`` parsed by rdflib, once a process (its algebra is read here and for
    :func:`civgraph.rule_locality.locality`)."""
    return prepareQuery(query)


#: Every answer of :func:`rule_inputs` in this process, and those recalled from an earlier one
#: (:func:`recall_inputs`), by the digest of the query: rdflib parses a query in about 30 ms,
#: and a one-shot incremental run reads the answers for every rule and due query.
_KNOWN: dict[str, RuleInputs] = {}


def query_digest(text: str) -> str:
    """The key an analysis of ``text`` is remembered by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=256)
def rule_inputs(query: str) -> RuleInputs:
    """What ``query`` reads (see the module docstring): a rule's CONSTRUCT, or a SELECT."""
    digest = query_digest(query)
    known = _KNOWN.get(digest)
    if known is not None:
        return known
    reads = query_reads(query)
    open_predicate = EVERYTHING in reads or any(_open_patterns(parsed(query).algebra))
    inputs = RuleInputs(
        names=reads - {EVERYTHING, ANY_CLASS},
        any_predicate=open_predicate,
        any_class=ANY_CLASS in reads,
    )
    _KNOWN[digest] = inputs
    return inputs


def known_inputs() -> dict[str, RuleInputs]:
    """Every answer of :func:`rule_inputs` so far, by :func:`query_digest`."""
    return dict(_KNOWN)


def recall_inputs(known: Mapping[str, RuleInputs]) -> None:
    """Take answers an earlier process found (by :func:`query_digest` of their query)."""
    _KNOWN.update(known)


def algebra_items(node: CompValue) -> Iterator[tuple[str, object]]:
    """The parts of a node of rdflib's algebra, as its evaluation reads them.

    rdflib translates the pattern of an ``EXISTS`` or ``NOT EXISTS`` into an *attribute* of
    the node (``node.graph``), and leaves as its item the pattern as parsed, from which the
    translation has taken the filters out (so a ``FILTER NOT EXISTS`` nested in another is
    not among the items at all). Here the attribute stands for the item."""
    translated = vars(node)
    for name, value in node.items():
        yield name, translated.get(name, value) if name == "graph" else value


def algebra_patterns(node: object) -> Iterator[tuple[Node, object, Node]]:
    """Every triple pattern of an algebra (a CONSTRUCT's template aside), in every branch,
    optional part, ``(NOT) EXISTS`` and sub-query."""
    if isinstance(node, CompValue):
        if node.name == "BGP":
            yield from node.triples
        for name, value in algebra_items(node):
            if name != "template":
                yield from algebra_patterns(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from algebra_patterns(value)


def _open_patterns(node: object) -> Iterator[bool]:
    """True for every triple pattern of the algebra that can match any predicate."""
    if isinstance(node, CompValue):
        if node.name == "BGP":
            for _subject, predicate, _object in node.triples:
                yield isinstance(predicate, Variable) or _negated(predicate)
        for _name, value in algebra_items(node):
            yield from _open_patterns(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _open_patterns(value)


def _negated(path: object) -> bool:
    if isinstance(path, NegatedPath):
        return True
    if isinstance(path, (SequencePath, AlternativePath)):
        return any(_negated(p) for p in path.args)
    if isinstance(path, MulPath):
        return _negated(path.path)
    if isinstance(path, InvPath):
        return _negated(path.arg)
    return False


def changed_terms(lines: Iterable[bytes]) -> ChangedTerms:
    """The terms of changed triples given as N-Triples lines (classes without superclasses)."""
    predicates: set[str] = set()
    classes: set[str] = set()
    everything = False
    for line in lines:
        _subject, predicate, rest = line.split(b" ", 2)
        if predicate != _TYPE:
            predicates.add(predicate[1:-1].decode("utf-8"))
        elif rest.startswith(b"<"):
            classes.add(rest[1 : rest.index(b">")].decode("utf-8"))
        else:
            everything = True
    return ChangedTerms(
        predicates=frozenset(predicates), classes=frozenset(classes), everything=everything
    )
