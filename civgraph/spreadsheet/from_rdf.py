"""RDF → rows of the workbook, through the same mapping the import reads.

Every row is found from the graph (by rdf:type for a sheet that mints IRIs, by the sheet's
properties for a sheet that adds facts to another sheet's rows or to code-list concepts). What
does not fit a column is left out here and reported by :func:`uncovered`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from civgraph.spreadsheet.cells import KEY_PATTERN
from civgraph.spreadsheet.mapping import Column, Mapping, Sheet
from civgraph.spreadsheet.to_rdf import Triple
from civgraph.spreadsheet.vocabulary import Vocabulary
from civgraph.spreadsheet.workbook import Rows

_DATATYPES = {
    "date": XSD.date,
    "integer": XSD.integer,
    "decimal": XSD.decimal,
    "boolean": XSD.boolean,
}


class Index:
    """Triples looked up by subject and predicate, or by predicate and object."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.by_sp: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        self.by_po: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        for s, p, o in triples:
            self.by_sp[(s, p)].append(o)
            self.by_po[(p, o)].append(s)

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        return self.by_sp.get((subject, predicate), [])

    def subjects(self, predicate: Node, value: Node) -> list[Node]:
        return self.by_po.get((predicate, value), [])


@dataclass
class Extraction:
    """The rows per sheet, and what could not be placed (as readable notes)."""

    rows: dict[str, Rows] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class Extractor:
    def __init__(
        self, graph: Index, *, mapping: Mapping, vocabulary: Vocabulary, base: str, lang: str
    ) -> None:
        self.graph = graph
        self.mapping = mapping
        self.vocabulary = vocabulary
        self.base = base
        self.lang = lang
        self.result = Extraction()
        self.subjects: dict[str, dict[URIRef, str]] = {}

    def key_of(self, sheet: Sheet, node: Node) -> str | None:
        prefix = f"{self.base}{sheet.kind}-"
        if isinstance(node, URIRef) and str(node).startswith(prefix):
            key = str(node)[len(prefix) :]
            if KEY_PATTERN.fullmatch(key):
                return key
        return None

    def _typed(self, sheet: Sheet) -> list[URIRef]:
        classes: set[Node] = set()
        if sheet.rdf_class is not None:
            classes.add(sheet.rdf_class)
        class_column = sheet.class_column
        if class_column is not None:
            classes.update(c.value for c in self.vocabulary.choices(class_column))
        found = {
            s for c in classes for s in self.graph.subjects(RDF.type, c) if isinstance(s, URIRef)
        }
        return sorted(found, key=str)

    def _minted(self, sheet: Sheet) -> dict[URIRef, str]:
        keys: dict[URIRef, str] = {}
        for node in self._typed(sheet):
            key = self.key_of(sheet, node)
            if key is None:
                self.result.notes.append(
                    f"{sheet.title(self.lang)}: {node} is not of the form "
                    f"{self.base}{sheet.kind}-ID; left out"
                )
                continue
            keys[node] = key
        return keys

    def _values(self, subject: Node, column: Column) -> list[Node]:
        assert column.property is not None
        if column.inverse:
            found: Iterable[Node] = self.graph.subjects(column.property, subject)
        else:
            found = self.graph.objects(subject, column.property)
        return sorted(found, key=lambda n: (type(n).__name__, str(n)))

    def _cell(self, column: Column, value: Node) -> object | None:
        """The cell text or value for one RDF value, or None if the column cannot hold it."""
        kind = column.type
        if kind == "ref":
            target = self.mapping.sheet(column.ref or "")
            if not isinstance(value, URIRef) or value not in self.subjects.get(target.name, {}):
                return None
            return self.subjects[target.name][value]
        if kind in ("concept", "class"):
            if not isinstance(value, URIRef):
                return None
            return self.vocabulary.display(column, value, self.lang)
        if not isinstance(value, Literal):
            return None
        if kind == "text":
            if ILLEGAL_CHARACTERS_RE.search(str(value)) or str(value) != str(value).strip():
                return None  # a cell cannot hold it (or the import would trim it)
            if column.lang is not None:
                return str(value) if value.language == column.lang else None
            plain = value.language is None and value.datatype in (None, XSD.string)
            return str(value) if plain else None
        if value.datatype != _DATATYPES[kind] or value.ill_typed:
            return None
        if kind == "decimal":
            return Decimal(str(value))
        if kind == "boolean":
            return self.mapping.words[f"{'true' if value.toPython() else 'false'}_{self.lang}"]
        result: object = value.toPython()
        return result

    def _row(self, sheet: Sheet, subject: URIRef, key_text: str) -> dict[str, object]:
        row: dict[str, object] = {sheet.key: key_text}
        for column in sheet.columns:
            if column.name == sheet.key:
                continue
            if column.type == "class":
                values: list[Node] = sorted(self.graph.objects(subject, RDF.type), key=str)
            else:
                values = self._values(subject, column)
            texts = [t for t in (self._cell(column, v) for v in values) if t is not None]
            if not texts:
                continue
            if column.multi:
                row[column.name] = "、".join(sorted(str(t) for t in texts))
            else:
                if len(texts) > 1:
                    self.result.notes.append(
                        f"{sheet.title(self.lang)} {key_text}: {column.header(self.lang)}: "
                        + self.mapping.message("single_value", self.lang, count=len(texts))
                    )
                row[column.name] = texts[0]
        return row

    def _has_values(self, sheet: Sheet, subject: URIRef) -> bool:
        return any(
            self._values(subject, c)
            for c in sheet.columns
            if c.name != sheet.key and c.property is not None
        )

    def run(self) -> Extraction:
        for sheet in self.mapping.sheets:
            if sheet.kind is not None:
                self.subjects[sheet.name] = self._minted(sheet)
        for sheet in self.mapping.sheets:
            rows: Rows = []
            if sheet.kind is not None:
                for subject, key in self.subjects[sheet.name].items():
                    rows.append(self._row(sheet, subject, key))
            else:
                key_column = sheet.key_column
                candidates: list[tuple[URIRef, object | None]]
                if key_column.type == "ref":
                    target = self.mapping.sheet(key_column.ref or "")
                    candidates = [(s, k) for s, k in self.subjects[target.name].items()]
                else:
                    candidates = [
                        (c.value, self.vocabulary.display(key_column, c.value, self.lang))
                        for c in self.vocabulary.choices(key_column)
                    ]
                for subject, key_text in candidates:
                    if key_text is not None and self._has_values(sheet, subject):
                        rows.append(self._row(sheet, subject, str(key_text)))
            self.result.rows[sheet.name] = rows
        return self.result


def extract(
    triples: Iterable[Triple], *, mapping: Mapping, vocabulary: Vocabulary, base: str, lang: str
) -> Extraction:
    """The workbook rows for the triples."""
    index = Index(triples)
    return Extractor(index, mapping=mapping, vocabulary=vocabulary, base=base, lang=lang).run()


def _comparable(term: Node) -> object:
    """A literal by its value for the typed literals a sheet holds (the store and a spreadsheet
    may both rewrite ``12000.0`` as ``12000``); any other term as itself."""
    if isinstance(term, Literal) and term.datatype in _DATATYPES.values() and not term.ill_typed:
        return (term.datatype, term.toPython())
    return term


def uncovered(original: Iterable[Triple], rebuilt: set[Triple]) -> list[str]:
    """Notes on the triples of ``original`` that the workbook does not carry, per predicate."""
    differing = [t for t in original if t not in rebuilt]
    subjects = {s for s, _, _ in differing}
    present = {(s, p, _comparable(o)) for s, p, o in rebuilt if s in subjects}
    missing = Counter(
        (str(p), _example(s, p, o))
        for s, p, o in differing
        if (s, p, _comparable(o)) not in present
    )
    by_predicate: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    for (predicate, example), count in missing.items():
        counts[predicate] += count
        by_predicate.setdefault(predicate, []).append(example)
    return [
        f"{count} triple(s) with {predicate} are in no sheet, "
        f"e.g. {sorted(by_predicate[predicate])[0]}"
        for predicate, count in sorted(counts.items())
    ]


def _example(s: Node, p: Node, o: Node) -> str:
    return f"{s.n3()} {p.n3()} {o.n3()}"
