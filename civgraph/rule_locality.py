"""Rules (and due queries) whose answer for a node can be asked about that node alone.

A query is *local* in a variable ``?k`` (its *key*) when its answer for a node depends only on
triples an incremental run can trace back to that node, and a CONSTRUCT's every template
triple is about ``?k``. Then after a small change the query is asked again for the keys the
change reaches, with ``VALUES ?k { … }`` put first in its pattern (see :func:`restricted`),
and only its output about them is replaced. Three forms:

- every pattern (in every branch, ``FILTER (NOT) EXISTS`` and sub-query) has ``?k`` as its
  subject, or the evaluation context (``?ctx a civ:EvaluationContext``): the keys are the
  changed subjects (a due query, asked with ``key``, must have this form);
- the patterns hang from ``?k`` as a tree of plain IRI steps (``?unit civ:currentPost ?post .
  ?post civ:currentHolder ?person``): the keys are the changed subjects walked back along
  the tree's ``edges``;
- the query joins other nodes to ``?k`` by its required patterns: the keys are found along
  routes from each pattern to ``?k`` (:mod:`civgraph.rule_routes`).

Predicates read beyond the first step of a path (``rdfs:subClassOf`` in ``?k
a/rdfs:subClassOf* civ:Unit``) are about other nodes: a change to them makes the query run
in full, as does a change to the context predicates it reads.

>>> local = locality('''PREFIX e: <urn:e:> CONSTRUCT { ?item e:late true } WHERE {
...   ?c a e:EvaluationContext ; e:asOf ?d . ?item a/e:sub* e:Item ; e:due ?due
...   FILTER (?due < ?d) FILTER NOT EXISTS { ?item e:done ?x } }''',
...   context_class="urn:e:EvaluationContext")
>>> local.key, sorted(local.context), sorted(local.beyond)
('item', ['urn:e:asOf'], ['urn:e:sub'])
>>> tree = locality("CONSTRUCT { ?a <urn:p> ?b } WHERE { ?a <urn:q> ?x . ?x <urn:r> ?b }")
>>> tree.key, sorted(tree.edges), tree.depth
('a', ['urn:q'], 1)
>>> union = "CONSTRUCT { ?a <urn:p> ?b } WHERE { { ?a <urn:q> ?b } UNION { ?c <urn:r> ?b } }"
>>> locality(union) is None  # the second branch reads nodes no route leads from
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rdflib.namespace import RDF
from rdflib.term import Node, URIRef, Variable

from civgraph.namespaces import CIV
from civgraph.rule_inputs import algebra_patterns, parsed, query_digest
from civgraph.rule_routes import Reader, path_steps, readers
from civgraph.sparql_tokens import Token, matching_close, render, tokenize


@dataclass(frozen=True)
class Locality:
    """The key variable (without ``?``), the context predicates read, and the predicates read
    beyond the first step of a path from the key.

    A rule may also read a tree of nodes hanging from the key (``?unit civ:currentPost ?post .
    ?post civ:currentHolder ?person``): ``edges`` are the predicates that lead from a node of
    the tree to the next and ``depth`` the longest chain of them, so the keys a change
    reaches are found by walking back from the changed subjects along ``edges``, ``depth``
    steps. ``inbound`` are the predicates of template triples whose object is the key
    (``?unit civ:currentPost ?post`` in a rule keyed on ``?post``): the rule's output about a
    key is the triples with the key as subject, and those with one of these predicates and
    the key as object."""

    key: str
    context: frozenset[str]
    beyond: frozenset[str]
    edges: frozenset[str] = frozenset()
    depth: int = 0
    inbound: frozenset[str] = frozenset()
    readers: tuple[Reader, ...] | None = None
    """For a rule whose patterns are no tree from the key: how a changed triple leads to the
    keys it reaches (see :mod:`civgraph.rule_routes`)."""


@lru_cache(maxsize=256)
def locality(
    query: str, *, key: str | None = None, context_class: str = str(CIV.EvaluationContext)
) -> Locality | None:
    """How ``query`` is local (see the module docstring), or None if it is not.

    A CONSTRUCT's key is the one subject of its template; a SELECT's must be named.
    """
    digest = locality_digest(query, key=key, context_class=context_class)
    if digest in _KNOWN:
        return _KNOWN[digest]
    found = _locality(query, key=key, context_class=context_class)
    _KNOWN[digest] = found
    return found


#: Every answer of :func:`locality` in this process, and those recalled from an earlier one
#: (:func:`recall_localities`), by :func:`locality_digest` (see
#: :data:`civgraph.rule_inputs._KNOWN`).
_KNOWN: dict[str, Locality | None] = {}


def locality_digest(query: str, *, key: str | None, context_class: str) -> str:
    """The key an answer of :func:`locality` is remembered by."""
    return query_digest(f"{key or ''}\n{context_class}\n{query}")


def known_localities() -> dict[str, Locality | None]:
    """Every answer of :func:`locality` so far, by :func:`locality_digest`."""
    return dict(_KNOWN)


def recall_localities(known: Mapping[str, Locality | None]) -> None:
    """Take answers an earlier process found."""
    _KNOWN.update(known)


def _locality(query: str, *, key: str | None, context_class: str) -> Locality | None:
    algebra = parsed(query).algebra
    patterns = list(algebra_patterns(algebra))
    if key is not None:  # a SELECT asked node by node: only the node's own triples
        return _local_in(Variable(key), patterns, context_class=context_class, tree=False)
    template = list(algebra.get("template") or [])
    if not template:
        return None
    # a key is a variable every template triple is about
    shared = set.intersection(*({s, o} for s, _p, o in template))
    # a subject of the template first: its output is then told by its subject alone
    subjects = {s for s, _p, _o in template}
    candidates = sorted(
        (v for v in shared if isinstance(v, Variable)), key=lambda v: (v not in subjects, v)
    )
    for candidate in candidates:
        inbound = _inbound(candidate, template)
        if inbound is None:
            continue
        found = _local_in(candidate, patterns, context_class=context_class, tree=True)
        if found is not None:
            return Locality(
                key=found.key,
                context=found.context,
                beyond=found.beyond,
                edges=found.edges,
                depth=found.depth,
                inbound=inbound,
            )
    contexts = _contexts(patterns, context_class)
    for candidate in candidates:
        inbound = _inbound(candidate, template)
        routes = readers(algebra, candidate, contexts=contexts) if inbound is not None else None
        if inbound is None or routes is None:
            continue
        context = _context_reads(patterns, contexts, candidate)
        if context is None:
            return None
        beyond: set[str] = set()
        for subject, predicate, _obj in patterns:
            steps = path_steps(predicate) if subject not in contexts else None
            beyond |= steps[1] if steps is not None else set()
        return Locality(
            key=str(candidate),
            context=frozenset(context),
            beyond=frozenset(beyond),
            inbound=inbound,
            readers=routes,
        )
    return None


def _contexts(patterns: list[tuple[Node, object, Node]], context_class: str) -> set[Node]:
    """The variables standing for the evaluation context."""
    return {
        s
        for s, p, o in patterns
        if isinstance(s, Variable) and p == RDF.type and o == URIRef(context_class)
    }


def _context_reads(
    patterns: list[tuple[Node, object, Node]], contexts: set[Node], key: Variable
) -> set[str] | None:
    """The predicates read from the evaluation context (its type aside), or None where a
    context pattern reads no fixed predicate or binds the key or another context."""
    context: set[str] = set()
    for subject, predicate, obj in patterns:
        if subject in contexts:
            if not isinstance(predicate, URIRef) or obj in contexts or obj == key:
                return None
            if predicate != RDF.type:
                context.add(str(predicate))
    return context


def _inbound(key: Variable, template: list[tuple[Node, Node, Node]]) -> frozenset[str] | None:
    """The predicates of the template triples with ``key`` as object (not subject), or None
    when the key's output could not be told apart from another key's by them: such a
    predicate is a variable, or is written with ``key`` as subject too (or may be)."""
    inbound = {p for s, p, o in template if s != key and o == key}
    outbound = {p for s, p, _o in template if s == key}
    if not inbound:
        return frozenset()
    if not all(isinstance(p, URIRef) for p in inbound):
        return None
    if any(not isinstance(p, URIRef) for p in outbound) or inbound & outbound:
        return None
    return frozenset(str(p) for p in inbound)


def _local_in(
    key: Variable, patterns: list[tuple[Node, object, Node]], *, context_class: str, tree: bool
) -> Locality | None:
    """How the patterns are local in ``key``: each starts at the key, at the evaluation context
    or (with ``tree``) at a variable an earlier step from the key reached by a plain IRI."""
    contexts = _contexts(patterns, context_class)
    context = _context_reads(patterns, contexts, key)
    if context is None:
        return None
    beyond: set[str] = set()
    # the tree: how many steps from the key each variable is first reached
    level: dict[Node, int] = {key: 0}
    subjects = {s for s, _p, _o in patterns if s not in contexts}
    grown = True
    while tree and grown:
        grown = False
        for subject, predicate, obj in patterns:
            if (
                subject in level
                and isinstance(obj, Variable)
                and obj not in level
                and obj in subjects
                and obj not in contexts
                and isinstance(predicate, URIRef)
            ):
                level[obj] = level[subject] + 1
                grown = True
    edges: set[str] = set()
    for subject, predicate, obj in patterns:
        if subject in contexts:
            continue
        if subject not in level or obj in contexts:
            return None
        steps = path_steps(predicate)
        if steps is None:
            return None
        beyond |= steps[1]
        if obj in level and obj != key:  # a step within the tree: walked back after a change
            if not isinstance(predicate, URIRef):
                return None
            edges.add(str(predicate))
    return Locality(
        key=str(key),
        context=frozenset(context),
        beyond=frozenset(beyond),
        edges=frozenset(edges),
        depth=max(level.values()),
    )


def restricted(query: str, key: str, nodes: list[str]) -> str:
    """``query`` asked only for ``?key`` among ``nodes`` (IRIs): ``VALUES`` first in its
    pattern and in each branch of a ``UNION`` there, so each node is looked up rather than
    every match enumerated (pyoxigraph does not carry a ``VALUES`` into a union's branches:
    0.38 s against 0.007 s for the deadlines rule at 1M triples).

    >>> text = restricted("SELECT * { { ?k <urn:p> 1 } UNION { ?k <urn:q> 2 } }", "k", ["urn:a"])
    >>> text.replace("VALUES ?k { <urn:a> }", "V")
    'SELECT * { V { V ?k <urn:p> 1 } UNION { V ?k <urn:q> 2 } }'
    """
    tokens = tokenize(query)
    forms = [i for i, t in enumerate(tokens) if t.upper in ("CONSTRUCT", "SELECT")]
    start = forms[0]
    if tokens[start].upper == "CONSTRUCT":
        start = matching_close(tokens, start + 1) + 1
    opening = next(i for i in range(start, len(tokens)) if tokens[i].text == "{")
    values = f" VALUES ?{key} {{ {' '.join(f'<{n}>' for n in nodes)} }}"
    openings = sorted(_union_groups(tokens, opening) | {opening})
    parts: list[str] = []
    last = 0
    for index in openings:
        parts += [render(tokens[last : index + 1]), values]
        last = index + 1
    parts.append(render(tokens[last:]))
    return "".join(parts).strip()


def _union_groups(tokens: list[Token], opening: int) -> set[int]:
    """The opening braces of the UNION branches directly inside the group at ``opening``
    (and of the branches directly inside those)."""
    found: set[int] = set()
    close = matching_close(tokens, opening)
    index = opening + 1
    while index < close:
        if tokens[index].text == "{":
            end = matching_close(tokens, index)
            before = tokens[index - 1].upper
            after = tokens[end + 1].upper if end + 1 < len(tokens) else ""
            if "UNION" in (before, after):
                found |= {index} | _union_groups(tokens, index)
            index = end + 1
        else:
            index += 1
    return found
