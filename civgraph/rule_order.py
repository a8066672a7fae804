"""Which rules must wait for which: read from the queries, so the rules can run side by side.

The rules run as if one after another in file-name order (a rule sees what earlier rules derived,
never what later ones derive). Two rules may run at the same time unless one writes a term the
other reads: then the earlier one in file order finishes first. The terms a rule *writes* are the
IRIs of its CONSTRUCT template (for ``?x a civ:Class`` the class); the terms it *reads* are the
IRIs of the rest of the query. A template variable in predicate position (or as the class of
``a ?kind``) writes the IRIs its ``VALUES`` or ``BIND … AS`` give it; where the query binds it any
other way the rule is taken to write everything, and likewise a pattern ``?x a ?kind`` whose class
comes from the data reads every class.

>>> from pathlib import Path
>>> from civgraph.rules import Rule
>>> def rule(id: str, query: str) -> Rule:
...     return Rule(id=id, purpose="", inputs="", outputs="", path=Path(id), query=query)
>>> first = rule("a", "PREFIX e: <urn:e:> CONSTRUCT { ?x e:q ?y } WHERE { ?x e:p ?y }")
>>> second = rule("b", "PREFIX e: <urn:e:> CONSTRUCT { ?x e:r ?y } WHERE { ?x e:q ?y }")
>>> third = rule("c", "PREFIX e: <urn:e:> CONSTRUCT { ?x e:s ?y } WHERE { ?x e:p ?y }")
>>> sorted((k, sorted(v)) for k, v in waits_for([first, second, third]).items())
[('a', []), ('b', ['a']), ('c', [])]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from civgraph.sparql_tokens import Token, matching_close, tokenize

if TYPE_CHECKING:
    from civgraph.rules import Rule

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EVERYTHING = "*"
"""The key of a rule that writes (or reads) terms the query text cannot tell."""
ANY_CLASS = "*class"
"""Read by ``?x a ?kind`` with a data-bound class: conflicts with every class a rule writes."""


@dataclass(frozen=True)
class Access:
    """The terms one rule reads and writes (full IRIs, or the wildcards above)."""

    reads: frozenset[str]
    writes: frozenset[str]
    writes_classes: frozenset[str]


def waits_for(rules: Sequence[Rule]) -> dict[str, frozenset[str]]:
    """For each rule id, the ids of the earlier rules it must wait for."""
    access = [analyse(rule.query) for rule in rules]
    waits: dict[str, frozenset[str]] = {}
    for index, rule in enumerate(rules):
        waits[rule.id] = frozenset(
            earlier.id
            for position, earlier in enumerate(rules[:index])
            if _conflict(access[position], access[index])
        )
    return waits


def read_from_later(rules: Sequence[Rule]) -> dict[str, frozenset[str]]:
    """For each rule id, the ids of the later rules that write a term it reads (whose output
    it must not see: it runs before them)."""
    access = [analyse(rule.query) for rule in rules]
    return {
        rule.id: frozenset(
            later.id
            for position, later in enumerate(rules)
            if position > index and _feeds(access[position], access[index])
        )
        for index, rule in enumerate(rules)
    }


def _conflict(earlier: Access, later: Access) -> bool:
    return _feeds(earlier, later) or _feeds(later, earlier)


def _feeds(writer: Access, reader: Access) -> bool:
    if EVERYTHING in writer.writes or EVERYTHING in reader.reads:
        return True
    if writer.writes & reader.reads:
        return True
    return bool(writer.writes_classes) and ANY_CLASS in reader.reads


@lru_cache(maxsize=512)
def analyse(query: str) -> Access:
    """The terms ``query`` (a CONSTRUCT) reads and writes."""
    tokens = tokenize(query)
    prefixes = _prefixes(tokens)
    start = next(i for i, t in enumerate(tokens) if t.upper == "CONSTRUCT")
    opening = start + 1
    closing = matching_close(tokens, opening)
    template = tokens[opening + 1 : closing]
    body = tokens[closing + 1 :]
    bound = _constant_bindings(body, prefixes)
    writes: set[str] = set()
    classes: set[str] = set()
    for _subject, predicate, obj in _triples(template):
        if predicate.kind == "var":
            writes |= bound.get(predicate.text[1:], {EVERYTHING})
            continue
        iri = _iri(predicate, prefixes)
        if iri == RDF_TYPE:
            named = (
                bound.get(obj.text[1:], {EVERYTHING})
                if obj.kind == "var"
                else {_iri(obj, prefixes) or EVERYTHING}
            )
            classes |= named
            writes |= named
        elif iri is not None:
            writes.add(iri)
    return Access(_reads(body, prefixes, bound), frozenset(writes), frozenset(classes))


def query_reads(query: str) -> frozenset[str]:
    """The terms any query reads: a CONSTRUCT's pattern, or all of a SELECT or ASK."""
    tokens = tokenize(query)
    forms = [i for i, t in enumerate(tokens) if t.upper in ("CONSTRUCT", "SELECT", "ASK")]
    if forms and tokens[forms[0]].upper == "CONSTRUCT":
        return analyse(query).reads
    prefixes = _prefixes(tokens)
    body = tokens[forms[0] :] if forms else tokens
    return _reads(body, prefixes, _constant_bindings(body, prefixes))


def _reads(
    body: list[Token], prefixes: dict[str, str], bound: dict[str, set[str]]
) -> frozenset[str]:
    reads: set[str] = set()
    for index, token in enumerate(body):
        iri = _iri(token, prefixes)
        if iri is not None and iri != RDF_TYPE:
            reads.add(iri)
        if iri == RDF_TYPE and index + 1 < len(body):
            after = body[index + 1]
            if after.kind == "var" and after.text[1:] not in bound:
                reads.add(ANY_CLASS)
    return frozenset(reads)


def _prefixes(tokens: list[Token]) -> dict[str, str]:
    found: dict[str, str] = {}
    for index, token in enumerate(tokens[:-2]):
        if token.upper == "PREFIX" and tokens[index + 2].kind == "iri":
            found[tokens[index + 1].text.rstrip(":")] = tokens[index + 2].text[1:-1]
    return found


def _iri(token: Token, prefixes: dict[str, str]) -> str | None:
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "word" and token.text == "a":
        return RDF_TYPE
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def _triples(template: list[Token]) -> list[tuple[Token, Token, Token]]:
    """The triple patterns of a CONSTRUCT template (subject, predicate, object tokens)."""
    triples: list[tuple[Token, Token, Token]] = []
    subject: Token | None = None
    predicate: Token | None = None
    expect = "subject"
    for token in template:
        if token.text == ".":
            expect, subject, predicate = "subject", None, None
        elif token.text == ";":
            expect, predicate = "predicate", None
        elif token.text == ",":
            expect = "object"
        elif expect == "subject":
            subject, expect = token, "predicate"
        elif expect == "predicate":
            predicate, expect = token, "object"
        elif expect == "object" and subject is not None and predicate is not None:
            triples.append((subject, predicate, token))
            expect = "after"
    return triples


def _constant_bindings(body: list[Token], prefixes: dict[str, str]) -> dict[str, set[str]]:
    """Variables the query binds only to constants (``VALUES`` or ``BIND (<iri> AS ?v)``)."""
    bound: dict[str, set[str]] = {}
    index = 0
    while index < len(body):
        token = body[index]
        if token.upper == "VALUES":
            names: list[str] = []
            cursor = index + 1
            if body[cursor].text == "(":
                cursor += 1
                while body[cursor].text != ")":
                    names.append(body[cursor].text[1:])
                    cursor += 1
            else:
                names.append(body[cursor].text[1:])
            block_end = matching_close(body, cursor + 1)
            constants = {
                iri for t in body[cursor + 1 : block_end] if (iri := _iri(t, prefixes)) is not None
            }
            for name in names:
                bound.setdefault(name, set()).update(constants)
            index = block_end
        elif token.upper == "AS" and index + 1 < len(body) and body[index + 1].kind == "var":
            name = body[index + 1].text[1:]
            results = _expression_results(body[_expression_start(body, index) : index], prefixes)
            bound.setdefault(name, set()).update(results)
        index += 1
    return {name: values for name, values in bound.items() if EVERYTHING not in values}


def _expression_start(tokens: list[Token], as_index: int) -> int:
    """Index of the first token of the expression before ``AS`` (after its ``(``)."""
    depth = 0
    for index in range(as_index - 1, -1, -1):
        if tokens[index].text == ")":
            depth += 1
        elif tokens[index].text == "(":
            if depth == 0:
                return index + 1
            depth -= 1
    return as_index


def _expression_results(expression: list[Token], prefixes: dict[str, str]) -> set[str]:
    """The IRIs an expression can evaluate to: a constant, or ``IF(condition, a, b)`` of two
    constants; anything else may compute any term (:data:`EVERYTHING`)."""
    if len(expression) == 1:
        iri = _iri(expression[0], prefixes)
        return {iri} if iri is not None else {EVERYTHING}
    if len(expression) > 4 and expression[0].upper == "IF" and expression[1].text == "(":
        # the last two top-level arguments: "…, a , b )"
        *_, comma_a, a, comma_b, b, close = expression
        if comma_a.text == comma_b.text == "," and close.text == ")":
            both = {_iri(a, prefixes), _iri(b, prefixes)}
            if None not in both:
                return {iri for iri in both if iri is not None}
    return {EVERYTHING}
