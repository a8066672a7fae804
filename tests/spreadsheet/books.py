"""Helpers that write small workbooks and CSV folders for the spreadsheet tests."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from civgraph.spreadsheet.mapping import load_mapping

FIXTURES = Path(__file__).resolve().parent
CITY = FIXTURES / "city.ttl"

Rows = Sequence[Sequence[object]]


def headers(sheet: str, lang: str = "zh") -> list[str]:
    """The header row of a sheet as the template writes it."""
    return [c.header(lang) for c in load_mapping().sheet(sheet).columns]


def write_book(path: Path, sheets: dict[str, Rows]) -> Path:
    """A workbook whose sheets hold exactly the given rows (row 1 first)."""
    book = Workbook()
    default = book.active
    assert default is not None
    book.remove(default)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def write_csv(folder: Path, files: dict[str, Rows]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["" if v is None else v for v in row] for row in rows])
    return folder


def units_rows() -> list[list[object]]:
    """A city and one district (row 2 and 3)."""
    return [
        headers("units"),
        ["350200", "厦门市", "Xiamen", "市", None, None, None, None],
        ["350203", "思明区", None, "区", "350200", None, None, None],
    ]


def persons_rows() -> list[list[object]]:
    return [headers("persons"), ["000001", "陈明"], ["000002", "林芳"]]


def posts_rows(*cells: Sequence[object]) -> list[list[object]]:
    return [headers("posts"), *[list(c) for c in cells]]


def good_post() -> list[object]:
    return [
        "350203-main-leader-1",
        "350203",
        "主要负责人",
        "000001",
        "2024-01-01",
        None,
        "是",
        None,
    ]
