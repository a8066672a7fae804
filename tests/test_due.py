"""Duties not yet past are listed as due, never as violations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from civgraph.api import check
from civgraph.due import load_due_queries
from civgraph.findings import CheckReport


@pytest.fixture(scope="module")
def mid_quarter(demo_dir: Path) -> CheckReport:
    """The demo as of a day inside a quarter: that quarter's meetings are due, not missed."""
    return check([demo_dir], as_of=date(2025, 11, 15))


def test_every_due_query_names_a_catalogue_code_and_says_what_in_both_languages() -> None:
    queries = load_due_queries()
    assert queries
    for query in queries:
        assert query.code.startswith("CIV-")
        assert query.what["zh"] and query.what["en"]


def test_due_items_are_never_findings(mid_quarter: CheckReport) -> None:
    assert mid_quarter.due, "the demo has open complaints whose deadline has not passed"
    assert all(d.due_by >= mid_quarter.as_of for d in mid_quarter.due)
    # a unit may have missed an earlier quarter (a finding) and owe the running one (due)
    running = ("https://w3id.org/civgraph/time/2025-Q4", "https://w3id.org/civgraph/time/2025")
    assert not [f for f in mid_quarter.findings if f.value in running]
    complaints = {d.focus for d in mid_quarter.due if d.code == "CIV-6.2"}
    assert not [f for f in mid_quarter.findings if f.code == "CIV-6.2" and f.focus in complaints]


def test_the_running_year_is_due_not_missed(mid_quarter: CheckReport) -> None:
    annual = [d for d in mid_quarter.due if d.code == "CIV-6.5"]
    assert annual, "annual target assessments of 2025 are due by 2025-12-31"
    assert {d.due_by for d in annual} == {date(2025, 12, 31)}
    missed = [f for f in mid_quarter.findings if f.code == "CIV-6.5"]
    assert missed and all(f.value == "https://w3id.org/civgraph/time/2024" for f in missed)


def test_the_text_report_lists_what_is_due(demo_dir: Path, mid_quarter: CheckReport) -> None:
    from civgraph.render import render_text

    text = render_text(mid_quarter, "en")
    assert "Due, not yet past (not violations)" in text
    assert "CIV-6.2" in text.split("Due, not yet past")[1]
