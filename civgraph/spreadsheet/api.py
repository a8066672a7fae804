"""The spreadsheet front door: an empty template, workbook → Turtle, graph → workbook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from civgraph import atomic
from civgraph.errors import InputError, UsageError
from civgraph.loading import load_sources
from civgraph.namespaces import PREFIXES, XM
from civgraph.spreadsheet.from_rdf import extract, uncovered
from civgraph.spreadsheet.mapping import Mapping, load_mapping
from civgraph.spreadsheet.sources import RawSheet, read_source
from civgraph.spreadsheet.to_rdf import Triple, WorkbookErrors, as_graph, to_triples
from civgraph.spreadsheet.vocabulary import Vocabulary
from civgraph.spreadsheet.workbook import FIRST_DATA_ROW, Rows, build_workbook, save_atomically
from civgraph.store import OxigraphStore
from civgraph.store.oxigraph_store import to_oxigraph, to_rdflib

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
    """An empty workbook: instructions, a sheet per record type, drop-downs from the code lists."""
    _check_lang(lang)
    book = build_workbook(
        mapping=load_mapping(), vocabulary=vocabulary or Vocabulary.load(), lang=lang
    )
    save_atomically(book, out)


def read_triples(
    source: Path,
    *,
    base: str = DEFAULT_BASE,
    lang: str = "en",
    vocabulary: Vocabulary | None = None,
) -> set[Triple]:
    """The RDF a workbook or CSV folder holds; :class:`WorkbookErrors` lists every problem."""
    _check_lang(lang)
    _check_base(base)
    mapping = load_mapping()
    return to_triples(
        read_source(source, mapping),
        mapping=mapping,
        vocabulary=vocabulary or Vocabulary.load(),
        base=base,
        lang=lang,
    )


def read_book(
    source: Path,
    *,
    base: str = DEFAULT_BASE,
    lang: str = "en",
    vocabulary: Vocabulary | None = None,
) -> Graph:
    """Like :func:`read_triples`, as an rdflib graph."""
    triples = read_triples(source, base=base, lang=lang, vocabulary=vocabulary)
    return as_graph(triples, base=base)


@dataclass(frozen=True, kw_only=True)
class ImportResult:
    triples: int


def import_book(
    source: Path,
    *,
    out: Path,
    base: str = DEFAULT_BASE,
    lang: str = "en",
    vocabulary: Vocabulary | None = None,
) -> ImportResult:
    """Workbook or CSV folder → Turtle at ``out``; nothing is written if any row is wrong."""
    triples = read_triples(source, base=base, lang=lang, vocabulary=vocabulary)
    _write_atomically(out, turtle(triples, base=base))
    return ImportResult(triples=len(triples))


def turtle(triples: set[Triple], *, base: str) -> bytes:
    """Turtle for the triples, grouped by subject in a stable order, with civgraph's prefixes."""
    ordered = sorted(triples, key=lambda t: (str(t[0]), str(t[1]), t[2].n3()))
    prefixes = {name: str(namespace) for name, namespace in PREFIXES.items()}
    if base not in prefixes.values():
        prefixes["base"] = base
    result = ox.serialize(
        (
            ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in ordered
        ),
        format=ox.RdfFormat.TURTLE,
        prefixes=prefixes,
    )
    assert result is not None
    return bytes(result)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_file_atomic(path, data)


def load_data(paths: Sequence[Path]) -> list[Triple]:
    """The triples of RDF files or folders (named graphs merged)."""
    store = OxigraphStore()
    load_sources(store, paths)
    return [
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        for q in store.data_quads()
    ]


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


def export_book(
    data: Sequence[Path],
    *,
    out: Path,
    base: str = DEFAULT_BASE,
    lang: str = "zh",
    vocabulary: Vocabulary | None = None,
) -> ExportResult:
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
    triples = set(load_data(data))
    if not triples:
        raise InputError(f"{', '.join(str(p) for p in data)}: no triples found")
    extraction = extract(triples, mapping=mapping, vocabulary=vocabulary, base=base, lang=lang)
    notes = list(extraction.notes)
    try:
        rebuilt = to_triples(
            rows_as_sheets(extraction.rows, mapping=mapping, lang=lang),
            mapping=mapping,
            vocabulary=vocabulary,
            base=base,
            lang=lang,
        )
        notes.extend(uncovered(triples, rebuilt))
    except WorkbookErrors as errors:
        notes.extend(f"will not import cleanly: {p}" for p in errors.problems)
    book = build_workbook(mapping=mapping, vocabulary=vocabulary, lang=lang, rows=extraction.rows)
    save_atomically(book, out)
    return ExportResult(rows={k: len(v) for k, v in extraction.rows.items()}, notes=notes)
