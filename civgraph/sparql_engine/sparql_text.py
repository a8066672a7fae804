"""Rewriting the text of SHACL-SPARQL queries so that they run over all focus nodes at once.

SHACL pre-binds ``$this`` (and ``$value`` for ASK validators) and runs a query once per focus node.
We instead join the pattern of the focus nodes into every group graph pattern that mentions a
pre-bound variable (and into the top-level WHERE group), so that one query answers for all focus
nodes. Prefixed names are expanded to full IRIs so that rewritten queries nest inside others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from civgraph.sparql_engine.errors import ShapesGraphError
from civgraph.sparql_engine.terms import sparql_iri
from civgraph.sparql_tokens import Token, matching_close

_FORBIDDEN = {"MINUS": "MINUS", "SERVICE": "SERVICE", "VALUES": "VALUES"}


def var_name(token: Token) -> str | None:
    return token.text[1:] if token.kind == "var" else None


def expand_prefixes(tokens: list[Token], prefixes: Mapping[str, str], *, where: str) -> list[Token]:
    """Drop PREFIX/BASE declarations (adding them to the map) and expand prefixed names."""
    names = dict(prefixes)
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "word" and token.upper == "PREFIX" and i + 2 < len(tokens):
            names[tokens[i + 1].text.rstrip(":")] = tokens[i + 2].text[1:-1]
            i += 3
            continue
        if token.kind == "word" and token.upper == "BASE" and i + 1 < len(tokens):
            i += 2
            continue
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in names:
                raise ShapesGraphError(f"{where}: undeclared prefix {prefix}: in SPARQL query")
            local = re.sub(r"\\(.)", r"\1", local)
            out.append(Token("iri", sparql_iri(names[prefix] + local), token.pre))
        else:
            out.append(token)
        i += 1
    return out


def substitute(tokens: list[Token], constants: Mapping[str, str]) -> list[Token]:
    """Replace variables named in ``constants`` by the given SPARQL text."""
    return [
        Token("const", constants[name], t.pre)
        if (name := var_name(t)) is not None and name in constants
        else t
        for t in tokens
    ]


def check_prebinding(tokens: list[Token], prebound: set[str], *, where: str) -> None:
    """Reject what SHACL forbids in queries with pre-bound variables (SHACL 5.2.1 / 6.3)."""
    for i, token in enumerate(tokens):
        if token.kind == "word" and token.upper in _FORBIDDEN:
            raise ShapesGraphError(f"{where}: {token.upper} is not allowed in SHACL-SPARQL")
        if (
            token.kind == "word"
            and token.upper == "AS"
            and i + 1 < len(tokens)
            and var_name(tokens[i + 1]) in prebound
        ):
            raise ShapesGraphError(f"{where}: pre-bound variable {tokens[i + 1].text} is assigned")
    for start in _subselect_starts(tokens):
        projected = _projection(tokens, start)
        if projected is None:
            projected = _in_scope(tokens, start)
        if not prebound <= projected and _mentions_any(tokens, prebound):
            raise ShapesGraphError(f"{where}: a sub-query does not project the pre-bound variables")


def _in_scope(tokens: list[Token], select_index: int) -> set[str]:
    """Variables a ``SELECT *`` at ``select_index`` projects: those outside FILTER expressions."""
    open_index = next(i for i in range(select_index, len(tokens)) if tokens[i].text == "{")
    close = _matching_close(tokens, open_index)
    names: set[str] = set()
    i = open_index
    while i < close:
        token = tokens[i]
        if token.kind == "word" and token.upper == "FILTER":
            depth = 0
            i += 1
            while i < close:
                if tokens[i].text == "(":
                    depth += 1
                elif tokens[i].text == ")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
        elif (name := var_name(token)) is not None:
            names.add(name)
        i += 1
    return names


def _mentions_any(tokens: list[Token], names: set[str]) -> bool:
    return any(var_name(t) in names for t in tokens)


def _subselect_starts(tokens: list[Token]) -> list[int]:
    return [
        i + 1
        for i, t in enumerate(tokens[:-1])
        if t.text == "{" and tokens[i + 1].kind == "word" and tokens[i + 1].upper == "SELECT"
    ]


def _projection(tokens: list[Token], select_index: int) -> set[str] | None:
    """Variables projected by the SELECT at ``select_index``; None for ``SELECT *``."""
    names: set[str] = set()
    depth = 0
    for token in tokens[select_index + 1 :]:
        if token.text == "*" and depth == 0:
            return None
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "{" or (token.kind == "word" and token.upper == "WHERE"):
            break
        elif depth == 0 and (name := var_name(token)) is not None:
            names.add(name)
        elif depth > 0 and (name := var_name(token)) is not None:
            names.add(name)  # `(expr AS ?x)`: ?x is the last variable, others harmless here
    return names


def _matching_close(tokens: list[Token], open_index: int) -> int:
    try:
        return matching_close(tokens, open_index)
    except ValueError:
        raise ShapesGraphError("unbalanced braces in SPARQL query") from None


def inject_focus(
    tokens: list[Token], prebound: set[str], focus: Callable[[], str], *, where: str
) -> str:
    """The query text with ``focus()`` joined into every group mentioning a pre-bound variable.

    ``focus()`` returns a group graph pattern binding the pre-bound variables. The top-level WHERE
    group always receives it, so focus nodes are bound even where the query does not mention them.
    """
    select_at = next(
        (i for i, t in enumerate(tokens) if t.kind == "word" and t.upper in ("SELECT", "ASK")),
        None,
    )
    if select_at is None:
        raise ShapesGraphError(f"{where}: not a SELECT or ASK query")
    top_open = next((i for i in range(select_at, len(tokens)) if tokens[i].text == "{"), None)
    if top_open is None:
        raise ShapesGraphError(f"{where}: query has no WHERE clause")
    inject_at: set[int] = {top_open}
    for i in range(top_open + 1, len(tokens)):
        if tokens[i].text != "{":
            continue
        previous = tokens[i - 1]
        if previous.kind == "word" and previous.upper in ("EXISTS", "VALUES"):
            continue
        if tokens[i + 1].kind == "word" and tokens[i + 1].upper == "SELECT":
            continue  # a sub-select: its own WHERE group is handled
        close = _matching_close(tokens, i)
        if _mentions_any(tokens[i:close], prebound):
            inject_at.add(i)
    parts: list[str] = []
    for i, token in enumerate(tokens):
        parts.append(token.pre + token.text)
        if i in inject_at:
            parts.append(" " + focus() + " ")
    return "".join(parts)


def ask_to_select(tokens: list[Token], projected: list[str]) -> list[Token]:
    """Turn ``ASK { … }`` into ``SELECT ?a ?b { … }``."""
    out: list[Token] = []
    for token in tokens:
        if (
            token.kind == "word"
            and token.upper == "ASK"
            and not any(t.kind == "word" and t.upper == "SELECT" for t in out)
        ):
            out.append(Token("word", "SELECT"))
            out.extend(Token("var", f"?{name}") for name in projected)
        else:
            out.append(token)
    return out


def ensure_projected(tokens: list[Token], name: str) -> list[Token]:
    """Add ``?name`` to the top-level projection unless it is there or the projection is ``*``."""
    select_at = next(
        (i for i, t in enumerate(tokens) if t.kind == "word" and t.upper == "SELECT"), None
    )
    if select_at is None:
        return tokens
    projected = _projection(tokens, select_at)
    if projected is None or name in projected:
        return tokens
    insert_at = select_at + 1
    while (
        insert_at < len(tokens)
        and tokens[insert_at].kind == "word"
        and tokens[insert_at].upper in ("DISTINCT", "REDUCED")
    ):
        insert_at += 1
    return [*tokens[:insert_at], Token("var", f"?{name}"), *tokens[insert_at:]]


def projected_variables(tokens: list[Token]) -> set[str] | None:
    """Variables of the top-level projection (None for ``*``)."""
    select_at = next(
        (i for i, t in enumerate(tokens) if t.kind == "word" and t.upper == "SELECT"), None
    )
    return None if select_at is None else _projection(tokens, select_at)
