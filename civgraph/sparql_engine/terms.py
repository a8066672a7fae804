"""rdflib terms written as SPARQL text."""

from __future__ import annotations

import re

from rdflib.term import BNode, Literal, Node, URIRef

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def sparql_string(text: str) -> str:
    """A SPARQL string literal (double quotes, escaped) holding ``text``."""
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in text) + '"'


_FORBIDDEN_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def sparql_iri(iri: str) -> str:
    """An IRI reference; characters SPARQL forbids inside ``<>`` are written as ``\\u`` escapes."""
    if not _FORBIDDEN_IN_IRI.search(iri):  # the usual case, kept fast for long VALUES lists
        return f"<{iri}>"
    out = []
    for ch in iri:
        if ch in '<>"{}|^`\\' or ord(ch) <= 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "<" + "".join(out) + ">"


def is_expressible(node: Node) -> bool:
    """Whether ``node`` can be written as a constant in a query (blank nodes cannot)."""
    return isinstance(node, URIRef | Literal)


def sparql_term(node: Node) -> str:
    """``node`` as a SPARQL constant; raises :class:`ValueError` for blank nodes."""
    if isinstance(node, URIRef):
        return sparql_iri(str(node))
    if isinstance(node, Literal):
        text = sparql_string(str(node))
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^{sparql_iri(str(node.datatype))}"
        return text
    if isinstance(node, BNode):
        raise ValueError(f"blank node {node.n3()} cannot be written as a SPARQL constant")
    raise ValueError(f"cannot write {node!r} as SPARQL")
