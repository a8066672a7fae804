"""Reading single cells: every accepted way of writing a value, and what is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civgraph.spreadsheet import cells


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_every_written_form_of_a_date_reads_as_that_date(day: dt.date) -> None:
    y, m, d = day.year, day.month, day.day
    forms: list[object] = [
        day.isoformat(),
        f"{y}-{m}-{d}",
        f"{y}/{m}/{d}",
        f"{y}年{m}月{d}日",
        f" {y}.{m:02d}.{d} ",
        f"{y}-{m}-{d}".translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789-"}),
        dt.datetime(y, m, d),
        day,
    ]
    assert {cells.read_date(form) for form in forms} == {day}


@pytest.mark.parametrize(
    "text", ["2025-02-29", "2025-13-01", "25-3-1", "2025年3月", "3/1/2025", "明天", "45000"]
)
def test_what_is_not_a_date(text: str) -> None:
    with pytest.raises(cells.CellError) as caught:
        cells.read_date(text)
    assert (caught.value.key, caught.value.value) == ("bad_date", text)


def test_a_date_cell_with_a_time_is_refused() -> None:
    with pytest.raises(cells.CellError):
        cells.read_date(dt.datetime(2025, 3, 1, 9, 30))


def test_a_number_cell_is_not_a_date() -> None:
    with pytest.raises(cells.CellError):
        cells.read_date(45717)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("否", False),
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("Y", True),
        ("n", False),
        ("yes", True),
        (True, True),
        (0, False),
        ("　是 ", True),
    ],
)
def test_yes_no(value: object, expected: bool) -> None:
    assert cells.read_boolean(value) is expected


@pytest.mark.parametrize("value", ["对", "2", "yes!", 2])
def test_not_yes_no(value: object) -> None:
    with pytest.raises(cells.CellError):
        cells.read_boolean(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("２０２５", 2025),
        (" 12 ", 12),
        (2025, 2025),
        (2025.0, 2025),
        ("-3", -3),
    ],
)
def test_whole_numbers(value: object, expected: int) -> None:
    assert cells.read_integer(value) == expected


@pytest.mark.parametrize("value", ["12.5", "1,000", "一百", True, 12.5, "1e3"])
def test_not_whole_numbers(value: object) -> None:
    with pytest.raises(cells.CellError):
        cells.read_integer(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("１２０．５", "120.5"),
        ("120.50", "120.5"),
        (12000, "12000.0"),
        (85.5, "85.5"),
        (Decimal("0.10"), "0.1"),
        (".5", "0.5"),
        ("-0", "0.0"),
    ],
)
def test_decimals_are_written_in_canonical_form(value: object, expected: str) -> None:
    assert cells.read_decimal(value) == expected


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
    )
)
def test_canonical_decimal_keeps_the_value(number: Decimal) -> None:
    text = cells.canonical_decimal(number)
    assert Decimal(text) == number
    assert cells.read_decimal(text) == text


@pytest.mark.parametrize("value", ["12,5", "十万", "1e5", "", True, float("nan")])
def test_not_decimals(value: object) -> None:
    with pytest.raises(cells.CellError):
        cells.read_decimal(value)


def test_ids_are_normalised_and_checked() -> None:
    assert cells.read_key(" ０００１２３ ") == "000123"
    assert cells.read_key(350203.0) == "350203"
    for bad in ("a b", "单位1", "a/b", "x#1", ""):
        with pytest.raises(cells.CellError):
            cells.read_key(bad)


def test_several_values_in_one_cell() -> None:
    assert cells.split_values("350203、350206；350211; ") == ["350203", "350206", "350211"]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_text_keeps_its_characters_but_not_surrounding_spaces(text: str) -> None:
    assert cells.read_text(text) == text.strip()
