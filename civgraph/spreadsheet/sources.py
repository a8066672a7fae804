"""Reading a workbook (.xlsx) or a folder of CSV files into plain rows of cell values."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from civgraph.errors import InputError
from civgraph.spreadsheet.mapping import Mapping, Sheet


@dataclass(frozen=True, kw_only=True)
class RawSheet:
    """One sheet (or CSV file) as read: its name as the user sees it and every row, from row 1."""

    title: str
    sheet: Sheet | None
    rows: list[list[object]]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def is_aside(title: str, mapping: Mapping) -> bool:
    """The instructions and code-list sheets, which carry no records."""
    names = {*mapping.instructions.values(), *mapping.codes.values()}
    return _fold(title) in {_fold(n) for n in names}


def sheet_for_title(title: str, mapping: Mapping) -> Sheet | None:
    wanted = _fold(title)
    for sheet in mapping.sheets:
        if wanted in (_fold(sheet.zh), _fold(sheet.en), _fold(sheet.name)):
            return sheet
    return None


def sheet_for_csv(path: Path, mapping: Mapping) -> Sheet | None:
    wanted = _fold(path.name)
    for sheet in mapping.sheets:
        if wanted == _fold(sheet.csv_name):
            return sheet
    return None


def _trimmed(rows: list[list[object]]) -> list[list[object]]:
    """Rows without the empty cells at their ends, and without empty rows at the end."""
    result = [list(r) for r in rows]
    for row in result:
        while row and (row[-1] is None or (isinstance(row[-1], str) and not row[-1].strip())):
            row.pop()
    while result and not result[-1]:
        result.pop()
    return result


def read_workbook(path: Path, mapping: Mapping) -> list[RawSheet]:
    from openpyxl import load_workbook  # slow to import; only the spreadsheet commands need it

    try:
        book = load_workbook(path, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"{path}: cannot read as an .xlsx workbook: {exc}") from None
    sheets: list[RawSheet] = []
    for worksheet in book.worksheets:
        if is_aside(worksheet.title, mapping):
            continue
        rows = [list(r) for r in worksheet.iter_rows(min_row=1, values_only=True)]
        sheets.append(
            RawSheet(
                title=worksheet.title,
                sheet=sheet_for_title(worksheet.title, mapping),
                rows=_trimmed(rows),
            )
        )
    return sheets


def read_csv_folder(path: Path, mapping: Mapping) -> list[RawSheet]:
    sheets: list[RawSheet] = []
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        raise InputError(f"{path}: no .csv files in this folder")
    order = {sheet.name: index for index, sheet in enumerate(mapping.sheets)}

    def position(file: Path) -> tuple[int, str]:
        sheet = sheet_for_csv(file, mapping)
        return (order[sheet.name] if sheet else len(order), file.name)

    for file in sorted(files, key=position):
        text = _decode(file)
        try:
            rows: list[list[object]] = [
                [cell if cell.strip() else None for cell in record]
                for record in csv.reader(io.StringIO(text, newline=""))
            ]
        except csv.Error as exc:
            raise InputError(f"{file}: cannot read as CSV: {exc}") from None
        sheets.append(
            RawSheet(title=file.name, sheet=sheet_for_csv(file, mapping), rows=_trimmed(rows))
        )
    return sheets


def _decode(file: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Chinese Excel saves "CSV" as."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read: {exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{file}: neither UTF-8 nor GB18030 text (save the CSV as UTF-8)")


def read_source(path: Path, mapping: Mapping) -> list[RawSheet]:
    """A workbook file or a folder of CSV files."""
    if path.is_dir():
        return read_csv_folder(path, mapping)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"{path}: expected an .xlsx workbook or a folder of .csv files")
    return read_workbook(path, mapping)
