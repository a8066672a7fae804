"""The obligations as the shapes declare them: one Turtle file per catalogue code.

Everything a report says about an obligation (its name, clause quote, severity, sanctions) is
read from the shape files here, never written in Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDFS, SH
from rdflib.term import Node, URIRef

from civgraph import resources
from civgraph.errors import InputError
from civgraph.findings import Obligation
from civgraph.namespaces import CIV

CODE_PATTERN = re.compile(r"^CIV-(\d+)\.(\d+)$")


def code_sort_key(code: str) -> tuple[int, int]:
    """Sort CIV-1.2 before CIV-1.10 (catalogue order)."""
    match = CODE_PATTERN.match(code)
    return (int(match.group(1)), int(match.group(2))) if match else (999, 999)


@cache
def shape_files() -> dict[str, Path]:
    """Each catalogue code and its shape file (``shapes/CIV-x.y.ttl``)."""
    folder = resources.folder("shapes")
    files = {p.stem: p for p in folder.glob("CIV-*.ttl") if CODE_PATTERN.match(p.stem)}
    return dict(sorted(files.items(), key=lambda item: code_sort_key(item[0])))


def resolve_codes(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> list[str]:
    """The codes to check: all, or ``select``, minus ``ignore``; unknown codes are errors.

    Codes may be given as prefixes of whole clauses, e.g. ``CIV-3`` selects CIV-3.1 … CIV-3.5.
    """
    known = list(shape_files())

    def expand(raw: Iterable[str]) -> list[str]:
        chosen: list[str] = []
        for item in raw:
            for part in item.split(","):
                code = part.strip().upper()
                if not code:
                    continue
                matches = [k for k in known if k == code or k.startswith(code + ".")]
                if not matches:
                    raise InputError(
                        f"unknown obligation code {part.strip()!r}; valid codes: {', '.join(known)}"
                    )
                chosen.extend(m for m in matches if m not in chosen)
        return chosen

    chosen = expand(select) if select else list(known)
    dropped = set(expand(ignore)) if ignore else set()
    return [c for c in chosen if c not in dropped]


def load_shapes(codes: Sequence[str]) -> Graph:
    """One shapes graph holding the shape files of ``codes``."""
    graph = Graph()
    files = shape_files()
    for code in codes:
        path = files[code]
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many kinds; name the file either way
            raise InputError(f"{path}: {exc}".splitlines()[0]) from None
    return graph


def _by_lang(graph: Graph, subject: Node, predicate: URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal) and value.language:
            found.setdefault(value.language, str(value))
    return found


@dataclass(frozen=True)
class ShapeIndex:
    """Which obligation (node shape with ``civ:code``) each shape of a shapes graph belongs to."""

    graph: Graph
    owner: dict[Node, Node]  #: any shape → the obligation node shape that contains it
    code_of: dict[Node, str]  #: obligation node shape → code

    @classmethod
    def build(cls, graph: Graph) -> ShapeIndex:
        code_of: dict[Node, str] = {}
        for shape, code in graph.subject_objects(CIV.code):
            code_of[shape] = str(code)
        owner: dict[Node, Node] = {}
        links = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape, SH.sparql)
        lists = (SH["and"], SH["or"], SH.xone)
        for top in code_of:
            stack = [top]
            while stack:
                shape = stack.pop()
                if shape in owner:
                    continue
                owner[shape] = top
                for link in links:
                    stack.extend(graph.objects(shape, link))
                for link in lists:
                    for head in graph.objects(shape, link):
                        stack.extend(graph.items(head))
        return cls(graph=graph, owner=owner, code_of=code_of)

    def obligation_of(self, shape: Node) -> Node | None:
        return self.owner.get(shape)


def obligations(graph: Graph) -> dict[str, Obligation]:
    """The :class:`Obligation` records the shapes declare, keyed by code (main shape wins)."""
    found: dict[str, Obligation] = {}
    for shape, code_literal in sorted(graph.subject_objects(CIV.code), key=lambda t: str(t[0])):
        code = str(code_literal)
        is_main = str(shape).endswith("/" + code)
        if code in found and not is_main:
            continue
        severity = graph.value(shape, SH.severity)
        clause = graph.value(shape, DCTERMS.source)
        found[code] = Obligation(
            code=code,
            shape=str(shape),
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            name=_by_lang(graph, shape, SH.name),
            comment=_by_lang(graph, shape, RDFS.comment),
            clause=str(clause) if clause is not None else None,
            clause_quote=_by_lang(graph, shape, CIV.clauseQuote),
            sanctions=tuple(sorted(str(s) for s in graph.objects(shape, CIV.recommendedSanction))),
            escalated_sanctions=tuple(
                sorted(str(s) for s in graph.objects(shape, CIV.escalatedSanction))
            ),
        )
    return dict(sorted(found.items(), key=lambda item: code_sort_key(item[0])))


def all_obligations() -> dict[str, Obligation]:
    """Every obligation shipped in ``shapes/``."""
    return obligations(load_shapes(list(shape_files())))
