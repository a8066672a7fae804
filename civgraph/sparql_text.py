"""Small, careful edits of SPARQL text: finding the outer WHERE group outside strings,
IRIs and comments, so parameter values can be bound as a VALUES block of serialised terms."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from rdflib.term import BNode, Identifier

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _code_positions(query: str) -> Iterator[tuple[int, str]]:
    """Each character of ``query`` that is SPARQL code (not in a string, IRI or comment)."""
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch in "\"'":
            long_quote = query.startswith(ch * 3, i)
            quote = ch * 3 if long_quote else ch
            j = i + len(quote)
            while j < n:
                if query[j] == "\\":
                    j += 2
                    continue
                if query.startswith(quote, j):
                    j += len(quote)
                    break
                if not long_quote and query[j] == "\n":
                    break
                j += 1
            i = j
            continue
        if ch == "<":
            # an IRI reference has no spaces; a comparison operator is followed by one or '='
            match = re.match(r"<[^<>\"{}|^`\\\s]*>", query[i:])
            if match:
                i += match.end()
                continue
        yield i, ch
        i += 1


def code_only(query: str) -> str:
    """``query`` with strings, IRIs and comments blanked out (same length, same positions)."""
    masked = [" "] * len(query)
    for index, ch in _code_positions(query):
        masked[index] = ch
    return "".join(masked)


def outer_group_start(query: str) -> int:
    """The index just after the ``{`` that opens the query's outer WHERE group."""
    masked = code_only(query)
    keyword = re.search(r"\bWHERE\s*\{", masked, flags=re.IGNORECASE)
    if keyword:
        return keyword.end()
    brace = masked.find("{")
    if brace < 0:
        raise ValueError("the query has no WHERE group")
    return brace + 1


def inject_values(query: str, bindings: Mapping[str, Identifier]) -> str:
    """Bind variables by a VALUES block at the start of the outer WHERE group.

    Values are written with rdflib's escaping, so no value can end its term early.

    >>> from rdflib import Literal
    >>> inject_values('SELECT ?x WHERE { ?x ?p ?o }', {"o": Literal('a" } DROP ALL #')})
    'SELECT ?x WHERE { VALUES (?o) { ("a\\\\" } DROP ALL #") }  ?x ?p ?o }'
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        if isinstance(bindings[name], BNode):
            raise ValueError("a blank node cannot be bound in query text")
    head = " ".join(f"?{name}" for name in names)
    row = " ".join(bindings[name].n3() for name in names)
    at = outer_group_start(query)
    return f"{query[:at]} VALUES ({head}) {{ ({row}) }} {query[at:]}"
