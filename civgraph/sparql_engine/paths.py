"""SHACL property paths: read from the shapes graph, written as SPARQL 1.1 property paths."""

from __future__ import annotations

from collections.abc import Hashable

from rdflib import Graph
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Node, URIRef

from civgraph.sparql_engine.errors import ShapesGraphError
from civgraph.sparql_engine.terms import sparql_iri

_UNARY = {
    SH.inversePath: ("^(", ")"),
    SH.zeroOrMorePath: ("(", ")*"),
    SH.oneOrMorePath: ("(", ")+"),
    SH.zeroOrOnePath: ("(", ")?"),
}


def rdf_list(graph: Graph, head: Node) -> list[Node]:
    """The members of the RDF list starting at ``head``."""
    items: list[Node] = []
    seen: set[Node] = set()
    node = head
    while node != RDF.nil:
        if node in seen:
            raise ShapesGraphError(f"RDF list {head.n3()} is cyclic")
        seen.add(node)
        first = graph.value(node, RDF.first)
        if first is None:
            raise ShapesGraphError(f"RDF list {head.n3()} is not well-formed")
        items.append(first)
        rest = graph.value(node, RDF.rest)
        if rest is None:
            raise ShapesGraphError(f"RDF list {head.n3()} is not well-formed")
        node = rest
    return items


def sparql_path(graph: Graph, node: Node) -> str:
    """The SPARQL property path equivalent to the SHACL path at ``node``."""
    if isinstance(node, URIRef):
        return sparql_iri(str(node))
    if not isinstance(node, BNode):
        raise ShapesGraphError(f"{node.n3()} is not a SHACL path")
    if graph.value(node, RDF.first) is not None:
        members = rdf_list(graph, node)
        if len(members) < 2:
            raise ShapesGraphError(f"sequence path {node.n3()} needs at least two members")
        return "(" + " / ".join(sparql_path(graph, m) for m in members) + ")"
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        members = rdf_list(graph, alternatives)
        if len(members) < 2:
            raise ShapesGraphError(f"alternative path {node.n3()} needs at least two members")
        return "(" + " | ".join(sparql_path(graph, m) for m in members) + ")"
    for predicate, (before, after) in _UNARY.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return before + sparql_path(graph, inner) + after
    raise ShapesGraphError(f"{node.n3()} is not a SHACL path")


def path_key(graph: Graph, node: Node | None) -> Hashable:
    """A hashable structural form of a path, equal for equal paths in different graphs."""
    if node is None or isinstance(node, URIRef):
        return node
    if graph.value(node, RDF.first) is not None:
        return ("seq", tuple(path_key(graph, m) for m in rdf_list(graph, node)))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return ("alt", tuple(path_key(graph, m) for m in rdf_list(graph, alternatives)))
    for predicate in _UNARY:
        inner = graph.value(node, predicate)
        if inner is not None:
            return (str(predicate), path_key(graph, inner))
    return ("?", str(node))


def write_path(source: Graph, node: Node, target: Graph) -> Node:
    """Write the path ``node`` of ``source`` into ``target`` with new blank nodes.

    Only the structure the path is read as (see :func:`sparql_path`) is written, so two copies of
    one path stay apart and equal paths written from different graphs are isomorphic.
    """
    if not isinstance(node, BNode):
        return node
    root = BNode()
    if source.value(node, RDF.first) is not None:
        _write_list(source, rdf_list(source, node), target, root)
        return root
    alternatives = source.value(node, SH.alternativePath)
    if alternatives is not None:
        head = BNode()
        _write_list(source, rdf_list(source, alternatives), target, head)
        target.add((root, SH.alternativePath, head))
        return root
    for predicate in _UNARY:
        inner = source.value(node, predicate)
        if inner is not None:
            target.add((root, predicate, write_path(source, inner, target)))
            return root
    raise ShapesGraphError(f"{node.n3()} is not a SHACL path")


def _write_list(source: Graph, members: list[Node], target: Graph, head: Node) -> None:
    current = head
    for index, member in enumerate(members):
        target.add((current, RDF.first, write_path(source, member, target)))
        following: Node = RDF.nil if index == len(members) - 1 else BNode()
        target.add((current, RDF.rest, following))
        current = following


def may_be_empty(graph: Graph, node: Node) -> bool:
    """Whether the path can lead from a node to itself in zero steps (``*`` or ``?``)."""
    if isinstance(node, URIRef):
        return False
    if graph.value(node, RDF.first) is not None:
        return all(may_be_empty(graph, m) for m in rdf_list(graph, node))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return any(may_be_empty(graph, m) for m in rdf_list(graph, alternatives))
    if graph.value(node, SH.zeroOrMorePath) is not None:
        return True
    if graph.value(node, SH.zeroOrOnePath) is not None:
        return True
    inner = graph.value(node, SH.oneOrMorePath) or graph.value(node, SH.inversePath)
    return inner is not None and may_be_empty(graph, inner)
