"""Writing the workbook: the instructions sheet, one sheet per record type, the code lists.

The same layout serves the empty template and the export of a graph: row 1 holds the headers in
the workbook's language, row 2 the headers in the other language, data starts on row 3.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from civgraph.spreadsheet.cells import KEY_PATTERN
from civgraph.spreadsheet.mapping import Column, Mapping, Sheet
from civgraph.spreadsheet.vocabulary import Vocabulary

FIRST_DATA_ROW = 3
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_KEY_FILL = PatternFill("solid", fgColor="FCE4D6")
_VALIDATED_ROWS = 2000

Rows = list[dict[str, object]]


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def _type_hint(column: Column, mapping: Mapping, lang: str) -> str:
    words = mapping.words
    hints: list[str] = []
    if column.type == "date":
        hints.append(words[f"date_hint_{lang}"])
    if column.type == "boolean":
        hints.append(f"{words[f'true_{lang}']} / {words[f'false_{lang}']}")
    if column.multi:
        hints.append(words[f"multi_hint_{lang}"])
    if column.type == "ref":
        target = mapping.sheet(column.ref or "")
        hints.append("→ " + target.title(lang))
    if column.type == "key":
        hints.append(KEY_PATTERN.pattern)
    return "\n".join(hints)


class _Codes:
    """The code-list sheet: one column per list, referenced by the drop-downs."""

    def __init__(self, sheet: Worksheet, vocabulary: Vocabulary, lang: str) -> None:
        self.sheet = sheet
        self.vocabulary = vocabulary
        self.lang = lang
        self.ranges: dict[tuple[object, ...], str] = {}
        self.next_column = 1

    def range_for(self, column: Column, sheet: Sheet) -> str | None:
        identity = (column.type, column.scheme, column.classes, column.show)
        if identity in self.ranges:
            return self.ranges[identity]
        texts = self.vocabulary.texts(column, self.lang)
        if not texts:
            return None
        letter = get_column_letter(self.next_column)
        title = self.vocabulary.scheme_label(column.scheme, self.lang) if column.scheme else None
        title = title or f"{sheet.title(self.lang)}: {column.header(self.lang)}"
        head = self.sheet.cell(row=1, column=self.next_column, value=title)
        head.font = Font(bold=True)
        for offset, text in enumerate(texts):
            self.sheet.cell(row=2 + offset, column=self.next_column, value=text)
        widest = max(len(t) for t in texts)
        self.sheet.column_dimensions[letter].width = max(14, min(40, widest * 2))
        if column.show == "notation":
            # The label beside each code, so a clerk can see what the code means.
            label_column = self.next_column + 1
            self.sheet.cell(
                row=1, column=label_column, value="名称" if self.lang == "zh" else "Label"
            ).font = Font(bold=True)
            for offset, choice in enumerate(self.vocabulary.choices(column)):
                self.sheet.cell(
                    row=2 + offset, column=label_column, value=choice.text(self.lang, show="label")
                )
            self.sheet.column_dimensions[get_column_letter(label_column)].width = 50
            self.next_column += 1
        self.next_column += 1
        reference = f"{quote_sheetname(self.sheet.title)}!${letter}$2:${letter}${1 + len(texts)}"
        self.ranges[identity] = reference
        return reference


def _instructions(book_sheet: Worksheet, mapping: Mapping, lang: str) -> None:
    other = _other(lang)
    rows: list[Sequence[object]] = []
    text = mapping.words
    guide = {
        "zh": [
            "本工作簿用于填报文明城市长效机制数据，"
            "导入命令：civgraph import 工作簿.xlsx --out 数据.ttl",
            "每个工作表是一类记录；第 1、2 行是表头（中文和英文），从第 3 行起每行一条记录。",
            "“编号”列是该记录的编号，只能使用字母、数字和 _ . -；其他表用编号引用该记录。",
            f"日期写作 2025-03-01（也接受 2025-3-1、2025/3/1、2025年3月1日）；"
            f"是否列填“{text['true_zh']}”或“{text['false_zh']}”。",
            "一个单元格有多个值时用“、”或“;”分隔。带下拉列表的列只能从代码表中选择。",
            "发现问题时导入不会写出任何文件，并按“工作表!行:列: 说明”列出全部问题。",
        ],
        "en": [
            "This workbook records the data of the civilized-city long-term mechanism; import it "
            "with: civgraph import BOOK.xlsx --out DATA.ttl",
            "Each sheet is one record type; rows 1 and 2 hold the headers (Chinese and English), "
            "each row from row 3 on is one record.",
            "The ID column holds the record's ID (letters, digits and _ . - only); other sheets "
            "refer to a record by its ID.",
            f"Dates are written 2025-03-01 (2025-3-1, 2025/3/1 and 2025年3月1日 are read too); "
            f"yes/no columns take {text['true_en']}/{text['false_en']} "
            "(or 是/否, true/false, 1/0).",
            "Separate several values in one cell with 、 or ;. Columns with a drop-down take only "
            "entries of the code lists.",
            "If anything is wrong, import writes nothing and lists every problem as "
            "SHEET!ROW:COLUMN: message.",
        ],
    }
    rows.append([mapping.instructions[lang], mapping.instructions[other]])
    rows.append([])
    for zh_line, en_line in zip(guide["zh"], guide["en"], strict=True):
        rows.append([zh_line, en_line] if lang == "zh" else [en_line, zh_line])
    rows.append([])
    header = {
        "zh": ["工作表", "英文名", "CSV 文件", "内容"],
        "en": ["Sheet", "Chinese name", "CSV file", "Contents"],
    }[lang]
    rows.append(header)
    for sheet in mapping.sheets:
        note = sheet.note_zh if lang == "zh" else sheet.note_en
        other_note = sheet.note_en if lang == "zh" else sheet.note_zh
        rows.append(
            [sheet.title(lang), sheet.title(other), sheet.csv_name, f"{note}\n{other_note}"]
        )
    for row in rows:
        book_sheet.append(list(row))
    book_sheet["A1"].font = Font(bold=True, size=14)
    header_row = len(guide["zh"]) + 4
    for cell in book_sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for row in book_sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (60, 60, 30, 80), strict=True):
        book_sheet.column_dimensions[letter].width = width


def _record_sheet(
    ws: Worksheet, sheet: Sheet, mapping: Mapping, codes: _Codes, lang: str, rows: Rows
) -> None:
    other = _other(lang)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        top = ws.cell(row=1, column=index, value=column.header(lang))
        top.font = Font(bold=True)
        fill = _KEY_FILL if column.name == sheet.key else _HEADER_FILL
        top.fill = fill
        below = ws.cell(row=2, column=index, value=column.header(other))
        below.font = Font(italic=True, color="666666")
        below.fill = fill
        hint = _type_hint(column, mapping, lang)
        if hint:
            top.comment = Comment(hint, "civgraph")
        width = max(
            column.width,
            len(column.header(lang)) * (2 if lang == "zh" else 1) + 2,
            len(column.header(other)) + 2 if other == "en" else 0,
            12,
        )
        ws.column_dimensions[letter].width = width
        if column.type in ("key", "ref", "text"):
            # Typed IDs stay text (000123 is not the number 123).
            ws.column_dimensions[letter].number_format = "@"
        elif column.type == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        last = max(_VALIDATED_ROWS, len(rows) + FIRST_DATA_ROW + 500)
        span = f"{letter}{FIRST_DATA_ROW}:{letter}{last}"
        if column.type in ("concept", "class") and not column.multi:
            reference = codes.range_for(column, sheet)
            if reference is not None:
                rule = DataValidation(
                    type="list", formula1=f"={reference}", allow_blank=True, showErrorMessage=True
                )
                rule.error = mapping.message(
                    "unknown_code", lang, value="…", header=column.header(lang)
                )
                rule.add(span)
                ws.add_data_validation(rule)
        elif column.type in ("concept", "class"):
            # Several values in a cell fit no drop-down; the code list is still shown.
            codes.range_for(column, sheet)
        if column.type == "boolean":
            words = mapping.words
            rule = DataValidation(
                type="list",
                allow_blank=True,
                showErrorMessage=True,
                formula1=f'"{words[f"true_{lang}"]},{words[f"false_{lang}"]}"',
            )
            rule.add(span)
            ws.add_data_validation(rule)
        if column.type == "date":
            rule = DataValidation(
                allow_blank=True, showInputMessage=True, prompt=mapping.words[f"date_hint_{lang}"]
            )
            rule.add(span)
            ws.add_data_validation(rule)
    for offset, values in enumerate(rows):
        for index, column in enumerate(sheet.columns, start=1):
            value = values.get(column.name)
            if value is None:
                continue
            cell = ws.cell(row=FIRST_DATA_ROW + offset, column=index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even if it starts with "=" like a formula
            if column.type == "date":
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=2)


def build_workbook(
    *, mapping: Mapping, vocabulary: Vocabulary, lang: str, rows: dict[str, Rows] | None = None
) -> Workbook:
    """The workbook in the given language, filled with ``rows`` (per sheet name) if given."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = mapping.instructions[lang]
    _instructions(first, mapping, lang)
    record_sheets = [book.create_sheet(sheet.title(lang)) for sheet in mapping.sheets]
    codes = _Codes(book.create_sheet(mapping.codes[lang]), vocabulary, lang)
    for ws, sheet in zip(record_sheets, mapping.sheets, strict=True):
        _record_sheet(ws, sheet, mapping, codes, lang, (rows or {}).get(sheet.name, []))
    return book


def save_atomically(book: Workbook, path: Path) -> None:
    """Write to a temporary file beside ``path`` and move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        book.save(temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
