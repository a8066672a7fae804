"""``civgraph template|import|export`` through the real CLI entry point: exit codes and output."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from civgraph.cli import main
from tests.spreadsheet.books import CITY, persons_rows, units_rows, write_book, write_csv


def test_template_export_import_exit_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["template", str(tmp_path / "template.xlsx"), "--lang", "en"]) == 0
    assert (tmp_path / "template.xlsx").is_file()
    book, out = tmp_path / "city.xlsx", tmp_path / "city.ttl"
    assert main(["export", str(CITY), "--out", str(book)]) == 0
    assert main(["import", str(book), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert f"wrote {out} (" in captured.out
    assert isomorphic(Graph().parse(CITY), Graph().parse(out))


def test_import_errors_exit_two_and_list_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    persons = [*persons_rows(), ["000001", "王五"], ["x y", "赵六"]]
    source = write_book(tmp_path / "book.xlsx", {"单位": units_rows(), "人员": persons})
    out = tmp_path / "data.ttl"
    assert main(["import", str(source), "--out", str(out)]) == 2
    assert not out.exists()
    assert capsys.readouterr().err.splitlines() == [
        '人员!4:A: ID "000001" already used on row 2',
        '人员!5:A: ID "x y" may only contain A-Z a-z 0-9 _ . -',
        f"civgraph: 2 problems in {source}; nothing written",
    ]


def test_import_of_a_csv_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_csv(tmp_path / "csv", {"units.csv": units_rows(), "persons.csv": persons_rows()})
    out = tmp_path / "data.ttl"
    base = "https://example.org/city/"
    assert main(["import", str(folder), "--out", str(out), "--base", base]) == 0
    graph = Graph().parse(out)
    assert len(graph) == 10  # city: type and 2 labels; district: type, label, parent; 2 persons
    assert {str(s) for s in graph.subjects()} >= {
        "https://example.org/city/unit-350203",
        "https://example.org/city/person-000002",
    }
    assert "10 triples" in capsys.readouterr().out


def test_import_of_a_file_that_is_not_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("hello", encoding="utf-8")
    assert main(["import", str(source), "--out", str(tmp_path / "x.ttl")]) == 2
    assert "expected an .xlsx workbook or a folder of .csv files" in capsys.readouterr().err


def test_bad_base_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_book(tmp_path / "book.xlsx", {"人员": persons_rows()})
    assert main(["import", str(source), "--out", str(tmp_path / "x.ttl"), "--base", "city"]) == 2
    assert "base IRI 'city'" in capsys.readouterr().err


def test_export_notes_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "<https://w3id.org/civgraph/id/xiamen/unit-350203> "
        '<http://www.w3.org/2000/01/rdf-schema#comment> "x" .\n',
        encoding="utf-8",
    )
    assert main(["export", str(CITY), str(extra), "--out", str(tmp_path / "b.xlsx")]) == 0
    err = capsys.readouterr().err
    assert err.startswith("note: 1 triple(s) with http://www.w3.org/2000/01/rdf-schema#comment")
