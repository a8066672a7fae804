"""The indicator tree the demo assigns and assesses: read from ``ontology/indicators.ttl``.

The demo must give every assessable (leaf) indicator a responsible unit and grade-A assessments,
so it reads the tree the engine loads. Only when that file is missing (early in development) does
it fall back to the documented IRI pattern (8 items × 3 contents × 2 standards).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from civgraph import resources
from civgraph.namespaces import CIV, IND


@dataclass(frozen=True)
class IndicatorTree:
    """Top-level items and, for each, its leaves (local names in ``ind:``), all sorted."""

    items: tuple[str, ...]
    leaves: tuple[tuple[str, tuple[str, ...]], ...]  # (item, leaves under it)
    from_file: bool

    def all_leaves(self) -> list[tuple[str, str]]:
        return [(item, leaf) for item, leaves in self.leaves for leaf in leaves]


def _local(node: URIRef) -> str | None:
    text = str(node)
    return text[len(str(IND)) :] if text.startswith(str(IND)) else None


def _fallback() -> IndicatorTree:
    leaves = []
    for i in range(1, 9):
        item = f"I{i:02d}"
        leaves.append((item, tuple(f"{item}-{c:02d}-{s:02d}" for c in (1, 2, 3) for s in (1, 2))))
    return IndicatorTree(tuple(item for item, _ in leaves), tuple(leaves), False)


def indicators_file() -> Path | None:
    try:
        path = resources.folder("ontology") / "indicators.ttl"
    except FileNotFoundError:
        return None
    return path if path.is_file() else None


def load_tree(path: Path | None = None) -> IndicatorTree:
    """The tree in ``path`` (default ``ontology/indicators.ttl``), or the documented fallback."""
    path = path if path is not None else indicators_file()
    if path is None:
        return _fallback()
    graph = Graph()
    graph.parse(path, format="turtle")
    parent: dict[str, str] = {}
    nodes: list[str] = []
    for node in graph.subjects(RDF.type, CIV.Indicator):
        local = _local(node) if isinstance(node, URIRef) else None
        if local is None:
            continue
        nodes.append(local)
        for up in graph.objects(node, SKOS.broader):
            up_local = _local(up) if isinstance(up, URIRef) else None
            if up_local is not None:
                parent[local] = up_local
    nodes = sorted(set(nodes))
    if not nodes:
        return _fallback()
    has_child = set(parent.values())

    def top(local: str) -> str:
        seen = 0
        while local in parent and seen < 10:
            local = parent[local]
            seen += 1
        return local

    items = tuple(n for n in nodes if n not in parent)
    grouped = tuple(
        (item, tuple(n for n in nodes if n not in has_child and top(n) == item)) for item in items
    )
    return IndicatorTree(items, grouped, True)
