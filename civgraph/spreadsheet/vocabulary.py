"""The code lists and class labels a workbook shows, read from civgraph's ``ontology/``.

A code-list column shows a concept's label (or its notation) in the workbook's language and
accepts the Chinese label, the English label, the notation or the IRI's local name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDFS, SKOS, Graph, Literal, URIRef

from civgraph.errors import InputError
from civgraph.loading import media_type_of, ontology_files, rdf_files
from civgraph.namespaces import CIV
from civgraph.spreadsheet.mapping import Column


@dataclass(frozen=True, kw_only=True)
class Choice:
    """One entry of a drop-down: the RDF value it stands for and the names it goes by."""

    value: URIRef
    labels: dict[str, str]
    notation: str | None
    local: str

    def text(self, lang: str, *, show: str) -> str:
        """What the workbook shows for this entry."""
        if show == "notation" and self.notation:
            return self.notation
        other = "en" if lang == "zh" else "zh"
        return self.labels.get(lang) or self.labels.get(other) or self.notation or self.local


class CodeError(ValueError):
    """A code-list cell that names no entry (``unknown``) or several (``ambiguous``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def fold(text: str) -> str:
    """The form in which code-list texts are compared: NFKC, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _local(iri: URIRef) -> str:
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
            break
    return text


@dataclass
class Vocabulary:
    """Concepts per SKOS scheme and the labels of classes, from RDF files."""

    graph: Graph
    _cache: dict[tuple[str, URIRef | None, tuple[URIRef, ...]], tuple[Choice, ...]] = field(
        default_factory=dict
    )
    _names_cache: dict[tuple[str, URIRef | None, tuple[URIRef, ...]], dict[str, set[URIRef]]] = (
        field(default_factory=dict)
    )

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None) -> Vocabulary:
        """From the given files or folders; by default civgraph's own ``ontology/``.

        The result is reused while the files are unchanged (same names, sizes and times).
        """
        files = ontology_files() if paths is None else rdf_files(paths)
        stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        cached = _LOADED.get(stamp)
        if cached is None:
            cached = cls._parse(files)
            _LOADED.clear()
            _LOADED[stamp] = cached
        return cached

    @classmethod
    def _parse(cls, files: Sequence[Path]) -> Vocabulary:
        graph = Graph()
        for path in files:
            try:
                graph.parse(path, format=_rdflib_format(path))
            except Exception as exc:  # rdflib raises many kinds of parse errors
                raise InputError(f"{path}: cannot parse: {exc}") from None
        return cls(graph=graph)

    def _labels(self, node: URIRef, prop: URIRef) -> dict[str, str]:
        labels: dict[str, str] = {}
        for value in sorted(self.graph.objects(node, prop), key=str):
            if isinstance(value, Literal) and value.language in ("zh", "en"):
                labels.setdefault(value.language, str(value))
        return labels

    def _notation(self, node: URIRef) -> str | None:
        values = sorted(str(v) for v in self.graph.objects(node, SKOS.notation))
        return values[0] if values else None

    def scheme_label(self, scheme: URIRef, lang: str) -> str | None:
        labels = self._labels(scheme, SKOS.prefLabel)
        return labels.get(lang) or labels.get("en" if lang == "zh" else "zh")

    def choices(self, column: Column) -> tuple[Choice, ...]:
        """The entries a code-list or class column offers, in a stable order."""
        cache_key = (column.type, column.scheme, column.classes)
        if cache_key in self._cache:
            return self._cache[cache_key]
        found: list[Choice] = []
        if column.classes:
            for cls in column.classes:
                found.append(
                    Choice(
                        value=cls,
                        labels=self._labels(cls, RDFS.label),
                        notation=None,
                        local=_local(cls),
                    )
                )
        elif column.scheme is not None:
            concepts = sorted(
                (
                    c
                    for c in self.graph.subjects(SKOS.inScheme, column.scheme)
                    if isinstance(c, URIRef)
                ),
                key=lambda c: (_sort_key(self._notation(c) or ""), str(c)),
            )
            for concept in concepts:
                value = concept
                if column.type == "class":
                    target = self.graph.value(concept, CIV.correspondingClass)
                    if not isinstance(target, URIRef):
                        continue
                    value = target
                found.append(
                    Choice(
                        value=value,
                        labels=self._labels(concept, SKOS.prefLabel),
                        notation=self._notation(concept),
                        local=_local(concept),
                    )
                )
        result = tuple(found)
        self._cache[cache_key] = result
        return result

    def texts(self, column: Column, lang: str) -> list[str]:
        """The drop-down values of a column, in the workbook's language."""
        return [self.display(column, c.value, lang) or c.local for c in self.choices(column)]

    def display(self, column: Column, value: URIRef, lang: str) -> str | None:
        """What the workbook shows for ``value``; None if the column's list does not hold it."""
        choices = self.choices(column)
        chosen = next((c for c in choices if c.value == value), None)
        if chosen is None:
            return None
        text = chosen.text(lang, show=column.show)
        try:
            if self.resolve(column, text) == value:
                return text
        except CodeError:
            pass
        for fallback in (chosen.notation, chosen.local):
            if fallback:
                try:
                    if self.resolve(column, fallback) == value:
                        return fallback
                except CodeError:
                    continue
        return None

    def _names(self, column: Column) -> dict[str, set[URIRef]]:
        """Folded name → the values it names, for one column's list (built once per list)."""
        cache_key = (column.type, column.scheme, column.classes)
        index = self._names_cache.get(cache_key)
        if index is None:
            index = {}
            for choice in self.choices(column):
                for name in {*choice.labels.values(), choice.local, choice.notation or ""}:
                    if name:
                        index.setdefault(fold(name), set()).add(choice.value)
            self._names_cache[cache_key] = index
        return index

    def resolve(self, column: Column, text: str) -> URIRef:
        """The value a cell names; CodeError("unknown"/"ambiguous") otherwise."""
        wanted = fold(text)
        matches = self._names(column).get(wanted, set())
        if not matches:
            raise CodeError("unknown")
        if len(matches) > 1:
            # A notation or local name is exact; prefer it over a label shared by two entries.
            exact = {
                c.value
                for c in self.choices(column)
                if c.value in matches and wanted in (fold(c.notation or ""), fold(c.local))
            }
            if len(exact) == 1:
                return next(iter(exact))
            raise CodeError("ambiguous")
        return next(iter(matches))


_LOADED: dict[tuple[tuple[str, int, int], ...], Vocabulary] = {}


def _sort_key(notation: str) -> tuple[tuple[int, int | str], ...]:
    parts: list[tuple[int, int | str]] = []
    for piece in notation.replace("-", ".").split("."):
        parts.append((0, int(piece)) if piece.isdigit() else (1, piece))
    return tuple(parts)


def _rdflib_format(path: Path) -> str:
    return {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/n-quads": "nquads",
        "application/trig": "trig",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
    }[media_type_of(path)]
