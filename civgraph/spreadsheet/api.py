"""The spreadsheet front door: an empty template, workbook → Turtle, graph → workbook."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from civgraph.errors import InputError, UsageError
from civgraph.loading import load_sources
from civgraph.namespaces import PREFIXES, XM
from civgraph.spreadsheet.from_rdf import extract, uncovered
from civgraph.spreadsheet.mapping import Mapping, load_mapping
from civgraph.spreadsheet.sources import RawSheet, read_source
from civgraph.spreadsheet.to_rdf import WorkbookErrors, to_graph
from civgraph.spreadsheet.vocabulary import Vocabulary
from civgraph.spreadsheet.workbook import FIRST_DATA_ROW, Rows, build_workbook, save_atomically
from civgraph.store import OxigraphStore

#: The demo city's base IRI (``xm:``); every row's IRI is ``{base}{kind}-{ID}``.
DEFAULT_BASE = str(XM)
LANGS = ("zh", "en")


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise UsageError(f"language must be zh or en, not {lang!r}")


def _check_base(base: str) -> None:
    if not base.startswith(("http://", "https://", "urn:")) or base[-1] not in "/#:-":
        raise UsageError(f"base IRI {base!r} must be an http(s) or urn IRI ending in / # : or -")


def write_template(out: Path, *, lang: str = "zh", vocabulary: Vocabulary | None = None) -> None:
    """An empty workbook: instructions, one sheet per record type, drop-downs from the code lists."""
    _check_lang(lang)
    book = build_workbook(mapping=load_mapping(), vocabulary=vocabulary or Vocabulary.load(),
                          lang=lang)
    save_atomically(book, out)


def read_book(source: Path, *, base: str = DEFAULT_BASE, lang: str = "en",
              vocabulary: Vocabulary | None = None) -> Graph:
    """The RDF a workbook or CSV folder holds; :class:`WorkbookErrors` lists every problem."""
    _check_lang(lang)
    _check_base(base)
    mapping = load_mapping()
    return to_graph(read_source(source, mapping), mapping=mapping,
                    vocabulary=vocabulary or Vocabulary.load(), base=base, lang=lang)


@dataclass(frozen=True, kw_only=True)
class ImportResult:
    triples: int


def import_book(source: Path, *, out: Path, base: str = DEFAULT_BASE, lang: str = "en",
                vocabulary: Vocabulary | None = None) -> ImportResult:
    """Workbook or CSV folder → Turtle at ``out``; nothing is written if any row is wrong."""
    graph = read_book(source, base=base, lang=lang, vocabulary=vocabulary)
    text = graph.serialize(format="turtle")
    _write_text_atomically(out, text)
    return ImportResult(triples=len(graph))


def _write_text_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def load_data(paths: Sequence[Path]) -> Graph:
    """RDF files or folders as one rdflib graph (named graphs merged)."""
    store = OxigraphStore()
    load_sources(store, paths)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        graph.add(triple)
    return graph


@dataclass(frozen=True, kw_only=True)
class ExportResult:
    rows: dict[str, int]
    notes: list[str] = field(default_factory=list)


def rows_as_sheets(rows: dict[str, Rows], *, mapping: Mapping, lang: str) -> list[RawSheet]:
    """Exported rows laid out as the import reads them (to check that they read back)."""
    other = "en" if lang == "zh" else "zh"
    sheets: list[RawSheet] = []
    for sheet in mapping.sheets:
        table: list[list[object]] = [
            [c.header(lang) for c in sheet.columns],
            [c.header(other) for c in sheet.columns],
        ]
        assert len(table) == FIRST_DATA_ROW - 1
        for row in rows.get(sheet.name, []):
            table.append([row.get(c.name) for c in sheet.columns])
        sheets.append(RawSheet(title=sheet.title(lang), sheet=sheet, rows=table))
    return sheets


def export_book(data: Sequence[Path], *, out: Path, base: str = DEFAULT_BASE, lang: str = "zh",
                vocabulary: Vocabulary | None = None) -> ExportResult:
    """RDF → a workbook in the template's layout.

    The notes say what the workbook cannot carry (triples in no sheet, values a column cannot
    hold) and, if the rows would not import cleanly, why.
    """
    _check_lang(lang)
    _check_base(base)
    if not data:
        raise UsageError("export needs at least one data file or folder")
    mapping = load_mapping()
    vocabulary = vocabulary or Vocabulary.load()
    graph = load_data(data)
    if len(graph) == 0:
        raise InputError(f"{', '.join(str(p) for p in data)}: no triples found")
    extraction = extract(graph, mapping=mapping, vocabulary=vocabulary, base=base, lang=lang)
    notes = list(extraction.notes)
    try:
        rebuilt = to_graph(rows_as_sheets(extraction.rows, mapping=mapping, lang=lang),
                           mapping=mapping, vocabulary=vocabulary, base=base, lang=lang)
        notes.extend(uncovered(graph, rebuilt))
    except WorkbookErrors as errors:
        notes.extend(f"will not import cleanly: {p}" for p in errors.problems)
    book = build_workbook(mapping=mapping, vocabulary=vocabulary, lang=lang, rows=extraction.rows)
    save_atomically(book, out)
    return ExportResult(rows={k: len(v) for k, v in extraction.rows.items()}, notes=notes)
