"""Rows of a workbook → RDF, through the mapping, collecting every problem before giving up.

Problems are reported as ``SHEET!ROW:COLUMN: message`` (ROW is the spreadsheet row number,
COLUMN its letter); a problem with a whole row or header lacks ``:COLUMN``, a problem with a
whole sheet lacks ``!ROW``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from civgraph.errors import InputError
from civgraph.namespaces import PREFIXES
from civgraph.spreadsheet import cells
from civgraph.spreadsheet.mapping import Column, Mapping, Sheet
from civgraph.spreadsheet.sources import RawSheet
from civgraph.spreadsheet.vocabulary import CodeError, Vocabulary

#: One RDF statement as rdflib terms.
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, and where."""

    sheet_index: int
    row: int
    column_index: int
    title: str = field(compare=False)
    message: str = field(compare=False)
    has_column: bool = field(default=True, compare=False)

    def __str__(self) -> str:
        if self.row == 0:
            return f"{self.title}: {self.message}"
        if not self.has_column:
            return f"{self.title}!{self.row}: {self.message}"
        return f"{self.title}!{self.row}:{get_column_letter(self.column_index + 1)}: {self.message}"


class WorkbookErrors(InputError):
    """Every problem found in a workbook or CSV folder (nothing is written)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _header_names(column: Column) -> set[str]:
    def f(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split()).casefold()

    zh, en = column.zh, column.en
    return {f(zh), f(en), f(f"{zh}/{en}"), f(f"{en}/{zh}")}


def _fold_header(value: object) -> str:
    return "".join(unicodedata.normalize("NFKC", cells.shown(value)).split()).casefold()


@dataclass
class _Table:
    """A sheet whose header has been understood: where each column is and where data starts."""

    index: int
    raw: RawSheet
    sheet: Sheet
    positions: dict[str, int]
    first_data_row: int

    def data_rows(self) -> list[tuple[int, list[object]]]:
        found = []
        for offset, row in enumerate(self.raw.rows[self.first_data_row - 1 :]):
            if any(not cells.is_blank(v) for v in row):
                found.append((self.first_data_row + offset, row))
        return found

    def cell(self, row: list[object], column: Column) -> object:
        position = self.positions[column.name]
        return row[position] if position < len(row) else None


class Converter:
    """Turns read sheets into a graph, or raises :class:`WorkbookErrors` with all problems."""

    def __init__(self, *, mapping: Mapping, vocabulary: Vocabulary, base: str, lang: str) -> None:
        self.mapping = mapping
        self.vocabulary = vocabulary
        self.base = base
        self.lang = lang
        self.problems: list[Problem] = []
        self.triples: set[Triple] = set()
        self.keys: dict[str, dict[str, int]] = {}
        self.titles: dict[str, str] = {}
        #: Sheets whose IDs could not be read (a broken header): references to them are not
        #: checked, so one missing column does not turn into an error on every row that refers.
        self.unchecked: set[str] = set()

    # -- problems -------------------------------------------------------------------------------
    def _say(self, key: str, **params: object) -> str:
        return self.mapping.message(key, self.lang, **params)

    def report(
        self, table_index: int, title: str, row: int, column: int | None, message: str
    ) -> None:
        self.problems.append(
            Problem(
                table_index,
                row,
                -1 if column is None else column,
                title,
                message,
                has_column=column is not None,
            )
        )

    # -- header ---------------------------------------------------------------------------------
    def _table(self, index: int, raw: RawSheet) -> tuple[_Table | None, bool]:
        """The sheet with its header understood, and whether its rows can be read.

        A sheet whose header has problems still gives its IDs, if its ID column is there.
        """
        sheet = raw.sheet
        if sheet is None:
            if raw.rows:  # an unknown sheet with nothing in it (Excel's "Sheet1") loses nothing
                self.report(index, raw.title, 0, None, self._say("unknown_sheet"))
            return None, False
        if sheet.name in self.titles:
            self.report(
                index,
                raw.title,
                0,
                None,
                self._say("duplicate_sheet", name=self.titles[sheet.name]),
            )
            return None, False
        self.titles[sheet.name] = raw.title
        if not raw.rows or all(cells.is_blank(v) for v in raw.rows[0]):
            self.report(index, raw.title, 0, None, self._say("empty_sheet"))
            self.unchecked.add(sheet.name)
            return None, False
        names = {c.name: _header_names(c) for c in sheet.columns}
        positions: dict[str, int] = {}
        ok = True
        for position, value in enumerate(raw.rows[0]):
            if cells.is_blank(value):
                continue
            folded = _fold_header(value)
            match = next((n for n, forms in names.items() if folded in forms), None)
            if match is None:
                self.report(
                    index,
                    raw.title,
                    1,
                    position,
                    self._say("unknown_column", header=cells.shown(value)),
                )
                ok = False
            elif match in positions:
                self.report(
                    index,
                    raw.title,
                    1,
                    position,
                    self._say("duplicate_column", header=cells.shown(value)),
                )
                ok = False
            else:
                positions[match] = position
        for column in sheet.columns:
            if column.name not in positions:
                self.report(
                    index,
                    raw.title,
                    1,
                    None,
                    self._say("missing_column", zh=column.zh, en=column.en),
                )
                ok = False
        if not ok and sheet.key not in positions:
            self.unchecked.add(sheet.name)
            return None, False
        first = 2
        if len(raw.rows) > 1:
            second = raw.rows[1]
            by_position = {p: n for n, p in positions.items()}
            filled = [(p, v) for p, v in enumerate(second) if not cells.is_blank(v)]
            if filled and all(
                p in by_position and _fold_header(v) in names[by_position[p]] for p, v in filled
            ):
                first = 3
        table = _Table(index=index, raw=raw, sheet=sheet, positions=positions, first_data_row=first)
        header = raw.rows[0]
        for number, row in table.data_rows():
            for position, value in enumerate(row):
                no_header = position >= len(header) or cells.is_blank(header[position])
                if no_header and not cells.is_blank(value):
                    self.report(index, raw.title, number, position, self._say("headerless_value"))
        return table, ok

    # -- keys -----------------------------------------------------------------------------------
    def _collect_keys(self, table: _Table) -> None:
        sheet = table.sheet
        if sheet.kind is None:
            return
        key_column = sheet.key_column
        seen = self.keys.setdefault(sheet.name, {})
        for number, row in table.data_rows():
            value = table.cell(row, key_column)
            if cells.is_blank(value):
                continue  # reported as "required" with the other cells
            try:
                key = cells.read_key(value)
            except cells.CellError as exc:
                self._cell_problem(table, number, key_column, exc)
                continue
            if key in seen:
                self.report(
                    table.index,
                    table.raw.title,
                    number,
                    table.positions[key_column.name],
                    self._say("duplicate_key", value=key, first=seen[key]),
                )
            else:
                seen[key] = number

    def _cell_problem(self, table: _Table, row: int, column: Column, exc: cells.CellError) -> None:
        self.report(
            table.index,
            table.raw.title,
            row,
            table.positions[column.name],
            self._say(exc.key, value=exc.value),
        )

    # -- values ---------------------------------------------------------------------------------
    def _iri(self, kind: str, key: str) -> URIRef:
        return URIRef(f"{self.base}{kind}-{key}")

    def _ref(self, column: Column, text: str) -> URIRef:
        target = self.mapping.sheet(column.ref or "")
        key = cells.read_key(text)
        if key not in self.keys.get(target.name, {}) and target.name not in self.unchecked:
            title = self.titles.get(target.name, target.title(self.lang))
            raise _Unresolved(self._say("unknown_ref", value=key, sheet=title))
        return self._iri(target.kind or "", key)

    def _code(self, column: Column, text: str) -> URIRef:
        try:
            return self.vocabulary.resolve(column, text)
        except CodeError as exc:
            key = "unknown_code" if exc.reason == "unknown" else "ambiguous_code"
            raise _Unresolved(self._say(key, value=text, header=column.header(self.lang))) from None

    def _terms(self, column: Column, value: object) -> list[Node]:
        """The RDF values of one non-blank cell (several for a multi-valued column)."""
        kind = column.type
        if kind in ("ref", "concept", "class"):
            parts = cells.split_values(value) if column.multi else [cells.normal(value)]
            resolve: Callable[[Column, str], URIRef] = self._ref if kind == "ref" else self._code
            return [resolve(column, part) for part in parts]
        if kind == "text":
            return [Literal(cells.read_text(value), lang=column.lang)]
        if kind == "date":
            return [Literal(cells.read_date(value))]
        if kind == "integer":
            return [Literal(cells.read_integer(value))]
        if kind == "decimal":
            return [Literal(cells.read_decimal(value), datatype=XSD.decimal)]
        if kind == "boolean":
            return [Literal(cells.read_boolean(value))]
        if kind == "key":
            return [Literal(cells.read_key(value))]
        raise AssertionError(f"unknown column type {kind}")  # pragma: no cover - mapping checked

    def _rows(self, table: _Table) -> None:
        sheet = table.sheet
        key_column = sheet.key_column
        seen_subjects: dict[Node, int] = {}
        for number, row in table.data_rows():
            values: dict[str, list[Node]] = {}
            for column in sheet.columns:
                raw = table.cell(row, column)
                position = table.positions[column.name]
                if cells.is_blank(raw):
                    if column.required or column is key_column:
                        self.report(
                            table.index,
                            table.raw.title,
                            number,
                            position,
                            self._say("required", header=column.header(self.lang)),
                        )
                    continue
                if column is key_column and sheet.kind is not None:
                    continue  # read in _collect_keys
                try:
                    values[column.name] = self._terms(column, raw)
                except cells.CellError as exc:
                    self._cell_problem(table, number, column, exc)
                except _Unresolved as exc:
                    self.report(table.index, table.raw.title, number, position, str(exc))
            subject = self._subject(table, row, values)
            if subject is not None and sheet.kind is None:
                if subject in seen_subjects:
                    self.report(
                        table.index,
                        table.raw.title,
                        number,
                        table.positions[key_column.name],
                        self._say(
                            "duplicate_key",
                            value=cells.normal(table.cell(row, key_column)),
                            first=seen_subjects[subject],
                        ),
                    )
                    continue
                seen_subjects[subject] = number
            self._checks(table, number, values)
            if subject is not None:
                self._emit(sheet, subject, values)

    def _subject(
        self, table: _Table, row: list[object], values: dict[str, list[Node]]
    ) -> Node | None:
        sheet = table.sheet
        if sheet.kind is None:
            found = values.get(sheet.key)
            return found[0] if found else None
        raw = table.cell(row, sheet.key_column)
        if cells.is_blank(raw):
            return None
        try:
            return self._iri(sheet.kind, cells.read_key(raw))
        except cells.CellError:
            return None

    def _checks(self, table: _Table, number: int, values: dict[str, list[Node]]) -> None:
        sheet = table.sheet
        for check in sheet.checks:
            later, earlier = values.get(check.column), values.get(check.not_before)
            if not later or not earlier:
                continue
            late, early = later[0], earlier[0]
            assert isinstance(late, Literal) and isinstance(early, Literal)
            late_value, early_value = late.toPython(), early.toPython()
            if (
                isinstance(late_value, dt.date)
                and isinstance(early_value, dt.date)
                and (late_value < early_value)
            ):
                column, other = sheet.column(check.column), sheet.column(check.not_before)
                self.report(
                    table.index,
                    table.raw.title,
                    number,
                    table.positions[column.name],
                    self._say(
                        "not_before",
                        header=column.header(self.lang),
                        value=late_value.isoformat(),
                        other=other.header(self.lang),
                        other_value=early_value.isoformat(),
                    ),
                )

    def _emit(self, sheet: Sheet, subject: Node, values: dict[str, list[Node]]) -> None:
        add = self.triples.add
        if sheet.rdf_class is not None:
            add((subject, RDF.type, sheet.rdf_class))
        for column in sheet.columns:
            if column.name == sheet.key and sheet.kind is None:
                continue
            for value in values.get(column.name, []):
                if column.type == "class":
                    add((subject, RDF.type, value))
                elif column.type == "key":
                    continue
                elif column.property is not None:
                    if column.inverse:
                        add((value, column.property, subject))
                    else:
                        add((subject, column.property, value))

    # -- all ------------------------------------------------------------------------------------
    def convert(self, raw_sheets: list[RawSheet]) -> set[Triple]:
        tables: list[tuple[_Table, bool]] = []
        for index, raw in enumerate(raw_sheets):
            table, readable = self._table(index, raw)
            if table is not None:
                tables.append((table, readable))
        for table, _ in tables:
            self._collect_keys(table)
        for table, readable in tables:
            if readable:
                self._rows(table)
        if self.problems:
            raise WorkbookErrors(self.problems)
        return self.triples


class _Unresolved(ValueError):
    """A reference or code that names nothing (the message is ready to show)."""


def to_triples(
    raw_sheets: list[RawSheet],
    *,
    mapping: Mapping,
    vocabulary: Vocabulary,
    base: str,
    lang: str = "en",
) -> set[Triple]:
    """The RDF of the sheets; :class:`WorkbookErrors` lists every problem if there is any."""
    converter = Converter(mapping=mapping, vocabulary=vocabulary, base=base, lang=lang)
    return converter.convert(raw_sheets)


def as_graph(triples: set[Triple], *, base: str) -> Graph:
    """The triples as an rdflib graph with civgraph's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("", base)
    for triple in triples:
        graph.add(triple)
    return graph
