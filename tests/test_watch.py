"""``civgraph watch``: the findings follow the files as they change, a bad file is reported
without ending the watch, and what each check reports is what a full check reports."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from civgraph.api import check
from civgraph.cli import main
from civgraph.watching import WatchRun, watch

AS_OF = date(2025, 12, 31)
CIV = "https://w3id.org/civgraph/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _keys(run: WatchRun) -> list[str]:
    assert run.report is not None, run.error
    return sorted(f.key for f in run.report.findings)


def _overdue_complaint(folder: Path) -> None:
    unit = "<https://w3id.org/civgraph/id/xiamen/unit-350203>"  # Siming district's government
    node = "<https://example.org/watch/complaint-1>"
    (folder / "zz-complaint.nt").write_text(
        f"{node} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{CIV}PublicComplaint> .\n"
        f'{node} <{CIV}receivedOn> "2025-03-01"^^<{XSD}date> .\n'
        f'{node} <{CIV}deadline> "2025-04-01"^^<{XSD}date> .\n'
        f"{node} <{CIV}handlingUnit> {unit} .\n",
        encoding="utf-8",
    )


def test_the_findings_follow_the_files_and_a_bad_file_does_not_end_the_watch(
    demo_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    runs: list[WatchRun] = []

    def after(run: WatchRun) -> None:
        runs.append(run)
        if run.number == 1:
            _overdue_complaint(data)
        elif run.number == 2:
            (data / "zz-broken.ttl").write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
        elif run.number == 3:
            (data / "zz-broken.ttl").unlink()

    last = watch(
        [data], state_dir=tmp_path / "s", as_of=AS_OF, on_run=after, runs=4, sleep=lambda _: None
    )
    assert [r.number for r in runs] == [1, 2, 3, 4] and last is runs[-1]
    first, added, broken, mended = runs
    assert first.stats is not None and first.stats.full
    # one new overdue complaint: one more finding, found by re-running one rule for one node
    assert added.stats is not None and not added.stats.full
    assert added.stats.rules_run == ["deadlines"]
    assert (added.new, added.resolved) == (1, 0)
    assert broken.report is None and broken.error is not None and "zz-broken.ttl" in broken.error
    assert _keys(mended) == _keys(added)
    assert _keys(mended) == sorted(f.key for f in check([data], as_of=AS_OF).findings)


def test_nothing_changed_means_no_new_check(demo_dir: Path, tmp_path: Path) -> None:
    looks: list[int] = []
    runs: list[WatchRun] = []
    watch(
        [demo_dir],
        state_dir=tmp_path / "s",
        as_of=AS_OF,
        on_run=runs.append,
        sleep=lambda _: looks.append(1),
        should_stop=lambda: len(looks) >= 3,
    )
    assert len(runs) == 1 and len(looks) == 3


def test_the_command_writes_the_report_and_says_what_ran(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    code = main(
        [
            "watch",
            str(demo_dir),
            "--store",
            str(tmp_path / "s"),
            "--as-of",
            "2025-12-31",
            "--runs",
            "1",
            "--format",
            "json",
            "-o",
            str(out),
        ]
    )
    assert code == 1  # the demo city has violations
    report = json.loads(out.read_text(encoding="utf-8"))
    assert len(report["findings"]) == len(check([demo_dir], as_of=AS_OF).findings)
    assert "civgraph: watch: check 1 (full," in capsys.readouterr().err


def test_the_command_needs_an_explicit_date(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["watch", str(demo_dir), "--store", str(tmp_path / "s"), "--runs", "1"])
    assert code == 2
    assert "--as-of" in capsys.readouterr().err
