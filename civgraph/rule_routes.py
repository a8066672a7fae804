"""Routes from a changed triple to the answers of a rule it can change, for rules that join
nodes other than a tree hanging from their key.

``linked-leaders`` derives ``?unit civ:linkedLeader ?leader`` from a linkage pointing at the
unit and a post its leader holds: neither is a node one step from the unit. But every answer
for a unit matches the query's *required* patterns (those outside ``OPTIONAL``, ``EXISTS``
and ``NOT EXISTS``), and they join the unit to every other variable. So the units a changed
triple ``t`` can reach are found by matching ``t`` against each pattern of the query (by its
predicate) and walking from the node it binds back to the key along the required patterns:
``?post civ:currentHolder ?leader`` binds ``?leader``, and ``?leader`` leads to ``?unit``
through ``?linkage civ:linkedLeader ?leader ; civ:linkedUnit ?unit``.

Walking in the store as it is now finds the keys of every answer the change adds. For an
answer it takes away, a triple on the way that is gone was itself a change, and the walk
from the one nearest the key finds it: the steps left from there still hold. A step is one
required pattern with an IRI predicate, followed forwards or backwards; a query with a
``UNION``, ``MINUS``, sub-query or ``GRAPH`` is not analysed (None).

>>> from civgraph.rule_inputs import parsed
>>> from rdflib.term import Variable
>>> query = '''PREFIX e: <urn:e:> CONSTRUCT { ?u e:linked ?who } WHERE {
...   ?l e:unit ?u ; e:leader ?who . ?post e:holder ?who }'''
>>> found = readers(parsed(query).algebra, Variable("u"), contexts=set())
>>> holder = next(r for r in found if r.predicate == "urn:e:holder")
>>> [p[6:] + (" forwards" if forwards else " backwards") for p, forwards in holder.from_object]
['leader backwards', 'unit forwards']
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from rdflib.paths import AlternativePath, Path, SequencePath
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, URIRef, Variable

from civgraph.rule_inputs import algebra_patterns

Step = tuple[str, bool]
"""A predicate IRI, and whether it is followed from subject to object."""
Route = tuple[Step, ...]

# parts whose answers are their inner part's, filtered or extended (not LIMIT, not GROUP BY:
# asked about some keys alone, they would answer otherwise)
_PASSING = ("Project", "Distinct", "Reduced", "OrderBy", "Extend", "Filter")


@dataclass(frozen=True)
class Reader:
    """A pattern the rule reads triples with: the predicate a changed triple must have to
    match it (for a path, its first step), and the route to the key from the triple's subject
    and from its object (None where that end is no variable joined to the key)."""

    predicate: str
    from_subject: Route | None
    from_object: Route | None


def readers(algebra: CompValue, key: Variable, *, contexts: set[Node]) -> tuple[Reader, ...] | None:
    """The readers of a rule's algebra keyed on ``key`` (see the module docstring), or None
    where some pattern a changed triple can match has no route to the key."""
    required: list[tuple[Node, object, Node]] = []
    if not _required(algebra.get("p"), required):
        return None
    routes = _routes(key, [t for t in required if t[0] not in contexts])
    if routes is None:
        return None
    found: list[Reader] = []
    for subject, predicate, obj in algebra_patterns(algebra):
        if subject in contexts:
            continue  # the evaluation context: a change to it makes the rule run in full
        if obj in contexts:
            return None
        from_subject = routes.get(subject)
        if isinstance(predicate, URIRef):
            reader = Reader(str(predicate), from_subject, routes.get(obj))
            if reader.from_subject is None and reader.from_object is None:
                return None
            found.append(reader)
            continue
        steps = path_steps(predicate)
        if steps is None or from_subject is None:
            return None
        found += [Reader(first, from_subject, None) for first in sorted(steps[0])]
    return tuple(dict.fromkeys(found))


def _required(node: object, out: list[tuple[Node, object, Node]]) -> bool:
    """Collect the patterns every answer matches into ``out``; False where the algebra has
    a part this analysis does not follow."""
    if node is None:
        return True
    if not isinstance(node, CompValue):
        return False
    if node.name == "BGP":
        out.extend(node.triples)
        return True
    if node.name in _PASSING:
        return _required(node.get("p"), out)
    if node.name == "Join":
        return _required(node.get("p1"), out) and _required(node.get("p2"), out)
    if node.name == "LeftJoin":  # what OPTIONAL matches is no part of every answer
        return _required(node.get("p1"), out)
    if node.name == "ToMultiSet":  # VALUES
        inner = node.get("p")
        return isinstance(inner, CompValue) and inner.name == "values"
    return False


def _routes(key: Variable, required: list[tuple[Node, object, Node]]) -> dict[Node, Route] | None:
    """For each variable the required patterns join to ``key``, the steps from it to the key
    (breadth first: the fewest); None when the key is in no required pattern."""
    if not any(key in (s, o) for s, _p, o in required):
        return None
    routes: dict[Node, Route] = {key: ()}
    queue = deque([key])
    while queue:
        node = queue.popleft()
        for subject, predicate, obj in required:
            if not isinstance(predicate, URIRef):
                continue
            if subject == node and isinstance(obj, Variable) and obj not in routes:
                # from obj, the step back to node runs from object to subject
                routes[obj] = ((str(predicate), False), *routes[node])
                queue.append(obj)
            elif obj == node and isinstance(subject, Variable) and subject not in routes:
                routes[subject] = ((str(predicate), True), *routes[node])
                queue.append(subject)
    return routes


def path_steps(path: object) -> tuple[set[str], set[str]] | None:
    """The IRIs a pattern's predicate matches at its first step, and those it reads beyond
    (the far end of ``a/rdfs:subClassOf*``); None where it does not start with a forward
    step from the subject (a variable, an inverse, a repetition, a negated property set)."""
    if isinstance(path, URIRef):
        return {str(path)}, set()
    if isinstance(path, AlternativePath):
        if all(isinstance(a, URIRef) for a in path.args):
            return {str(a) for a in path.args}, set()
        return None
    if isinstance(path, SequencePath):
        head, *tail = path.args
        first = path_steps(head)
        if first is None or first[1]:
            return None
        beyond: set[str] = set()
        for step in tail:
            beyond |= _iris(step)
        return first[0], beyond
    return None


def _iris(path: object) -> set[str]:
    if isinstance(path, URIRef):
        return {str(path)}
    if isinstance(path, Path):
        found: set[str] = set()
        for attr in ("args", "path", "arg"):
            inner = getattr(path, attr, None)
            for part in inner if isinstance(inner, list) else [inner] if inner is not None else []:
                found |= _iris(part)
        return found
    return set()
