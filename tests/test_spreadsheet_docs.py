"""docs/spreadsheets.md names every sheet of the mapping, its CSV file and every message kind."""

from __future__ import annotations

from civgraph.spreadsheet.mapping import load_mapping
from tests.conftest import REPO


def test_every_sheet_is_documented_with_its_csv_file() -> None:
    text = (REPO / "docs" / "spreadsheets.md").read_text(encoding="utf-8")
    for sheet in load_mapping().sheets:
        assert f"| {sheet.zh} | {sheet.en} | `{sheet.csv_name}` |" in text, sheet.name


def test_messages_exist_in_both_languages_with_the_same_placeholders() -> None:
    mapping = load_mapping()
    for key, english in mapping.messages["en"].items():
        chinese = mapping.messages["zh"][key]
        assert sorted(_fields(english)) == sorted(_fields(chinese)), key


def _fields(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]
