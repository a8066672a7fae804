"""SHACL property paths (as RDF nodes in a shapes graph) written as SPARQL property paths."""

from __future__ import annotations

from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import BNode, Node, URIRef


class PathError(ValueError):
    """A node that is not a well-formed SHACL property path."""


def path_to_sparql(graph: Graph, path: Node) -> str:
    """The SPARQL 1.1 property path for a SHACL path node.

    >>> from rdflib import Graph, URIRef
    >>> path_to_sparql(Graph(), URIRef("http://www.w3.org/ns/org#postIn"))
    '<http://www.w3.org/ns/org#postIn>'
    """
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise PathError(f"not a SHACL path: {path!r}")
    if (path, SH.inversePath, None) in graph:
        return f"^({path_to_sparql(graph, _one(graph, path, SH.inversePath))})"
    if (path, SH.alternativePath, None) in graph:
        members = list(Collection(graph, _one(graph, path, SH.alternativePath)))
        return "(" + "|".join(path_to_sparql(graph, m) for m in members) + ")"
    for predicate, suffix in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        if (path, predicate, None) in graph:
            return f"({path_to_sparql(graph, _one(graph, path, predicate))}){suffix}"
    members = list(Collection(graph, path))
    if members:
        return "(" + "/".join(path_to_sparql(graph, m) for m in members) + ")"
    raise PathError(f"not a SHACL path: blank node {path} has no path structure")


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node:
    value = graph.value(subject, predicate)
    if value is None:
        raise PathError(f"missing {predicate} on {subject}")
    return value
