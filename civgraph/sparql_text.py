"""Small, careful edits of SPARQL text, made on tokens (so strings, IRIs and comments are never
mistaken for syntax): binding parameters as a VALUES block of serialised terms, and turning a
rule's CONSTRUCT into an INSERT for a remote store."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import BNode, Identifier

from civgraph.sparql_tokens import Token, matching_close, render, tokenize

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _is(token: Token, text: str) -> bool:
    return token.kind in ("word", "punct") and token.upper == text


def _group_after(tokens: list[Token], keyword: str) -> int | None:
    """Index of the ``{`` that follows the first ``keyword`` (a word token), if any."""
    for index, token in enumerate(tokens[:-1]):
        if _is(token, keyword) and _is(tokens[index + 1], "{"):
            return index + 1
    return None


def inject_values(query: str, bindings: Mapping[str, Identifier]) -> str:
    """Bind variables by a VALUES block at the start of the outer WHERE group.

    Values are written with rdflib's escaping, so no value can end its term early.

    >>> from rdflib import Literal
    >>> inject_values('SELECT ?x WHERE { ?x ?p ?o }', {"o": Literal('a" } DROP ALL #')})
    'SELECT ?x WHERE { VALUES (?o) { ("a\\\\" } DROP ALL #") } ?x ?p ?o }'
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        if isinstance(bindings[name], BNode):
            raise ValueError("a blank node cannot be bound in query text")
    tokens = tokenize(query)
    opening = _group_after(tokens, "WHERE")
    if opening is None:  # SELECT … { … } without the optional WHERE keyword
        opening = next((i for i, t in enumerate(tokens) if _is(t, "{")), None)
    if opening is None:
        raise ValueError("the query has no WHERE group")
    head = " ".join(f"?{name}" for name in names)
    row = " ".join(bindings[name].n3() for name in names)
    block = Token("values", f"VALUES ({head}) {{ ({row}) }}")
    return render([*tokens[: opening + 1], block, *tokens[opening + 1 :]])


def construct_as_insert(query: str, *, graph: str, using: list[str]) -> str:
    """A rule's CONSTRUCT rewritten as ``INSERT { GRAPH <graph> { template } } USING … WHERE``."""
    tokens = tokenize(query)
    opening = _group_after(tokens, "CONSTRUCT")
    if opening is None:
        raise ValueError("a rule must be a CONSTRUCT query with a template")
    closing = matching_close(tokens, opening)
    where = next((i for i in range(closing, len(tokens)) if _is(tokens[i], "WHERE")), None)
    if where is None:
        raise ValueError("a rule must have a WHERE clause")
    template = render(tokens[opening + 1 : closing])
    clauses = " ".join(f"USING <{g}>" for g in using)
    return (
        render(tokens[: opening - 1])
        + f" INSERT {{ GRAPH <{graph}> {{ {template} }} }} {clauses} "
        + render(tokens[where:])
    )
