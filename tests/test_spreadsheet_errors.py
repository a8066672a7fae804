"""Bad workbooks: every problem named as SHEET!ROW:COLUMN, all of them, and nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from civgraph.spreadsheet.api import import_book
from civgraph.spreadsheet.to_rdf import WorkbookErrors
from tests.spreadsheet.books import (
    good_post,
    headers,
    persons_rows,
    posts_rows,
    units_rows,
    write_book,
    write_csv,
)


def problems(source: Path, tmp_path: Path, *, lang: str = "en") -> list[str]:
    """The problem lines an import reports; asserts that no file (nor temp file) appeared."""
    out = tmp_path / "out" / "data.ttl"
    with pytest.raises(WorkbookErrors) as caught:
        import_book(source, out=out, lang=lang)
    assert not out.exists()
    assert not out.parent.exists() or not any(out.parent.iterdir())
    return [str(p) for p in caught.value.problems]


def book(tmp_path: Path, **sheets: list[list[object]]) -> Path:
    titles = {
        "units": "单位",
        "persons": "人员",
        "posts": "职务",
        "funds": "专项经费",
        "complaints": "群众反映问题",
        "groups": "工作组与督查组",
        "cases": "问责",
    }
    return write_book(tmp_path / "book.xlsx", {titles[k]: v for k, v in sheets.items()})


def test_missing_column(tmp_path: Path) -> None:
    source = book(tmp_path, units=units_rows(), persons=[["编号"], ["000001"]])
    assert problems(source, tmp_path) == ['人员!1: missing column "姓名" (Name)']


def test_unknown_column(tmp_path: Path) -> None:
    rows = persons_rows()
    rows[0].append("备注")
    rows[1].append("组长")
    source = book(tmp_path, units=units_rows(), persons=rows)
    assert problems(source, tmp_path) == ['人员!1:C: unknown column "备注"']


def test_duplicate_column(tmp_path: Path) -> None:
    rows = [["编号", "姓名", "Name"], ["000001", "陈明", "陈明"]]
    source = book(tmp_path, units=units_rows(), persons=rows)
    assert problems(source, tmp_path) == ['人员!1:C: column "Name" appears twice']


def test_value_under_no_header(tmp_path: Path) -> None:
    rows = persons_rows()
    rows[2].extend([None, "多余"])
    source = book(tmp_path, units=units_rows(), persons=rows)
    assert problems(source, tmp_path) == ["人员!3:D: a value in a column without a header"]


def test_bad_date(tmp_path: Path) -> None:
    post = good_post()
    post[4] = "2025-13-01"
    source = book(tmp_path, units=units_rows(), persons=persons_rows(), posts=posts_rows(post))
    assert problems(source, tmp_path) == ['职务!2:E: "2025-13-01" is not a date (write 2025-03-01)']


def test_tenure_end_before_start(tmp_path: Path) -> None:
    post = good_post()
    post[5] = dt.datetime(2023, 12, 31)
    source = book(tmp_path, units=units_rows(), persons=persons_rows(), posts=posts_rows(post))
    assert problems(source, tmp_path) == [
        "职务!2:F: Tenure end 2023-12-31 is before Tenure start 2024-01-01"
    ]


def test_resolved_before_received(tmp_path: Path) -> None:
    rows = [
        headers("complaints"),
        [
            "2025-000001",
            "噪声扰民",
            "2025年5月2日",
            "350203",
            "000001",
            "2025-05-17",
            "2025/5/1",
            "350203",
        ],
    ]
    source = book(tmp_path, units=units_rows(), persons=persons_rows(), complaints=rows)
    assert problems(source, tmp_path) == [
        "群众反映问题!2:G: Resolved on 2025-05-01 is before Received on 2025-05-02"
    ]


def test_unknown_unit_reference(tmp_path: Path) -> None:
    post = good_post()
    post[1] = "350299"
    source = book(tmp_path, units=units_rows(), persons=persons_rows(), posts=posts_rows(post))
    assert problems(source, tmp_path) == ['职务!2:B: no row with ID "350299" on sheet 单位']


def test_post_in_a_unit_when_the_units_sheet_is_missing(tmp_path: Path) -> None:
    source = book(tmp_path, persons=persons_rows(), posts=posts_rows(good_post()))
    assert problems(source, tmp_path) == ['职务!2:B: no row with ID "350203" on sheet Units']


def test_one_unknown_among_several_references(tmp_path: Path) -> None:
    rows = [headers("groups"), ["350203", None, "350200", "350200、350207；350203", None]]
    source = book(tmp_path, units=units_rows(), groups=rows)
    assert problems(source, tmp_path) == [
        '工作组与督查组!2:D: no row with ID "350207" on sheet 单位'
    ]


def test_duplicate_id(tmp_path: Path) -> None:
    rows = [*persons_rows(), ["000001", "王五"]]
    source = book(tmp_path, units=units_rows(), persons=rows)
    assert problems(source, tmp_path) == ['人员!4:A: ID "000001" already used on row 2']


def test_duplicate_id_after_normalisation(tmp_path: Path) -> None:
    rows = [*persons_rows(), ["０００００２ ", "王五"]]
    source = book(tmp_path, units=units_rows(), persons=rows)
    assert problems(source, tmp_path) == ['人员!4:A: ID "000002" already used on row 3']


def test_malformed_id(tmp_path: Path) -> None:
    rows = [*persons_rows(), ["p 3", "王五"], ["人员4", "赵六"]]
    source = book(tmp_path, units=units_rows(), persons=rows)
    assert problems(source, tmp_path) == [
        '人员!4:A: ID "p 3" may only contain A-Z a-z 0-9 _ . -',
        '人员!5:A: ID "人员4" may only contain A-Z a-z 0-9 _ . -',
    ]


def test_missing_id_and_required_kind(tmp_path: Path) -> None:
    rows = units_rows()
    rows.append([None, "湖里区", None, None, "350200", None, None, None])
    source = book(tmp_path, units=rows)
    assert problems(source, tmp_path) == [
        '单位!4:A: "ID" is required',
        '单位!4:D: "Kind" is required',
    ]


def test_empty_sheet(tmp_path: Path) -> None:
    source = book(tmp_path, units=units_rows(), persons=[])
    assert problems(source, tmp_path) == ["人员: the sheet is empty: it has no header row"]


def test_unknown_sheet(tmp_path: Path) -> None:
    sheets = {"单位": units_rows(), "人员表": persons_rows(), "Sheet1": []}
    source = write_book(tmp_path / "book.xlsx", sheets)
    assert problems(source, tmp_path) == [
        "人员表: unknown sheet; the record sheets are listed on the Instructions sheet"
    ]


def test_value_not_in_the_code_list(tmp_path: Path) -> None:
    post = good_post()
    post[2] = "老大"
    source = book(tmp_path, units=units_rows(), persons=persons_rows(), posts=posts_rows(post))
    assert problems(source, tmp_path) == ['职务!2:C: "老大" is not in the list of "Role"']


def test_value_not_in_the_unit_kinds(tmp_path: Path) -> None:
    rows = units_rows()
    rows[2][3] = "省"
    source = book(tmp_path, units=rows)
    assert problems(source, tmp_path) == ['单位!3:D: "省" is not in the list of "Kind"']


def test_text_in_number_columns(tmp_path: Path) -> None:
    rows = [
        headers("funds"),
        ["2025-350203", "350203", "二〇二五", "十万", "是"],
        ["2024-350203", "350203", 2024.5, "1,000", "否"],
    ]
    source = book(tmp_path, units=units_rows(), funds=rows)
    assert problems(source, tmp_path) == [
        '专项经费!2:C: "二〇二五" is not a whole number',
        '专项经费!2:D: "十万" is not a number',
        '专项经费!3:C: "2024.5" is not a whole number',
        '专项经费!3:D: "1,000" is not a number',
    ]


def test_bad_boolean(tmp_path: Path) -> None:
    post = good_post()
    post[6] = "也许"
    source = book(tmp_path, units=units_rows(), persons=persons_rows(), posts=posts_rows(post))
    assert problems(source, tmp_path) == [
        '职务!2:G: "也许" is not yes/no (是/否, true/false, 1/0, Y/N)'
    ]


def test_every_problem_is_reported_in_sheet_and_row_order(tmp_path: Path) -> None:
    units = units_rows()
    units[2][4] = "999999"
    persons = [*persons_rows(), ["000001", "重复"]]
    bad_date, bad_role = good_post(), good_post()
    bad_date[4] = "去年"
    bad_role[0], bad_role[2] = "350203-x-1", "组长"
    source = book(tmp_path, units=units, persons=persons, posts=posts_rows(bad_date, bad_role))
    assert problems(source, tmp_path) == [
        '单位!3:E: no row with ID "999999" on sheet 单位',
        '人员!4:A: ID "000001" already used on row 2',
        '职务!2:E: "去年" is not a date (write 2025-03-01)',
        '职务!3:C: "组长" is not in the list of "Role"',
    ]


def test_messages_in_chinese(tmp_path: Path) -> None:
    post = good_post()
    post[1] = "350299"
    source = book(tmp_path, units=units_rows(), persons=persons_rows(), posts=posts_rows(post))
    assert problems(source, tmp_path, lang="zh") == [
        "职务!2:B: 工作表 单位 中没有编号为“350299”的行"
    ]


def test_csv_folder_problems_name_the_file(tmp_path: Path) -> None:
    units = [headers("units", "en"), *units_rows()[1:]]
    folder = write_csv(
        tmp_path / "csv",
        {
            "units.csv": units,
            "persons.csv": [headers("persons", "en"), ["000001", "陈明"], ["000001", "林芳"]],
            "posts.csv": [
                headers("posts", "en"),
                ["p1", "350203", "Main leader", "000003", "2024-02-30", None, "Y", None],
            ],
        },
    )
    assert problems(folder, tmp_path) == [
        'persons.csv!3:A: ID "000001" already used on row 2',
        'posts.csv!2:D: no row with ID "000003" on sheet persons.csv',
        'posts.csv!2:E: "2024-02-30" is not a date (write 2025-03-01)',
    ]


def test_unknown_csv_file(tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "csv", {"people.csv": persons_rows()})
    assert problems(folder, tmp_path) == [
        "people.csv: unknown sheet; the record sheets are listed on the Instructions sheet"
    ]


def test_an_existing_output_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "data.ttl"
    out.write_text("# earlier import\n", encoding="utf-8")
    source = book(tmp_path, units=units_rows(), persons=[["编号"], ["000001"]])
    with pytest.raises(WorkbookErrors):
        import_book(source, out=out)
    assert out.read_text(encoding="utf-8") == "# earlier import\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "data.ttl"]


def test_the_same_sheet_twice(tmp_path: Path) -> None:
    source = write_book(tmp_path / "book.xlsx", {"人员": persons_rows(), "Persons": persons_rows()})
    assert problems(source, tmp_path) == ["Persons: the same record type as sheet 人员"]


def test_a_csv_saved_by_chinese_excel_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    text = "编号,姓名\r\n000001,陈明\r\n000001,林芳\r\n"
    (folder / "persons.csv").write_bytes(text.encode("gb18030"))
    assert problems(folder, tmp_path) == ['persons.csv!3:A: ID "000001" already used on row 2']


def test_a_broken_header_is_reported_once_not_on_every_reference(tmp_path: Path) -> None:
    units = units_rows()
    units[0][3] = "种类"  # the Kind column misspelt
    posts = posts_rows(
        good_post(), ["p-2", "350200", "主要负责人", "000001", None, None, None, "350299"]
    )
    source = book(
        tmp_path, units=units, persons=[["编号", "名字"], ["000001", "陈明"]], posts=posts
    )
    assert problems(source, tmp_path) == [
        '单位!1: missing column "类型" (Kind)',
        '单位!1:D: unknown column "种类"',
        '人员!1: missing column "姓名" (Name)',
        '人员!1:B: unknown column "名字"',
        '职务!3:H: no row with ID "350299" on sheet 单位',
    ]
