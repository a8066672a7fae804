"""``civgraph nightly`` end to end: the real check over a small city edited between nights."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from civgraph.cli import main
from civgraph.history import History
from civgraph.progress import Progress, configure_logging

XM = "https://w3id.org/civgraph/id/xiamen/"
SIMING, HULI = XM + "unit-350203", XM + "unit-350206"
COMPLAINT = XM + "complaint-2025-000001"

CITY = """\
@prefix xm: <https://w3id.org/civgraph/id/xiamen/> .
@prefix civ: <https://w3id.org/civgraph/ns#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix role: <https://w3id.org/civgraph/code/role/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

xm:unit-350200 a civ:City ; rdfs:label "厦门市"@zh, "Xiamen"@en .
xm:unit-350203 a civ:District ; org:subOrganizationOf xm:unit-350200 ;
    rdfs:label "思明区"@zh, "Siming District"@en .
xm:unit-350206 a civ:District ; org:subOrganizationOf xm:unit-350200 ;
    rdfs:label "湖里区"@zh, "Huli District"@en .

xm:person-000001 a foaf:Person ; foaf:name "张伟"@zh .
xm:person-000002 a foaf:Person ; foaf:name "李娜"@zh .
xm:person-000003 a foaf:Person ; foaf:name "王芳"@zh .
xm:person-000004 a foaf:Person ; foaf:name "陈磊"@zh .

xm:post-350203-main-leader-1 a org:Post ; org:postIn xm:unit-350203 ; org:role role:main-leader ;
    org:heldBy xm:person-000001 ; civ:tenureStart "2024-01-01"^^xsd:date ;
    civ:establishment true .
xm:post-350206-main-leader-1 a org:Post ; org:postIn xm:unit-350206 ; org:role role:main-leader ;
    org:heldBy xm:person-000002 ; civ:tenureStart "2024-01-01"^^xsd:date ;
    civ:establishment true .
xm:post-350203-liaison-1 a org:Post ; org:postIn xm:unit-350203 ; org:role role:liaison ;
    org:heldBy xm:person-000003 ; civ:tenureStart "2024-01-01"^^xsd:date ;
    civ:establishment true .

xm:complaint-2025-000001 a civ:PublicComplaint ;
    dcterms:description "鹭江道夜间施工噪音"@zh ;
    civ:receivedOn "2024-12-20"^^xsd:date ;
    civ:deadline "2025-01-05"^^xsd:date ;
    civ:handlingUnit xm:unit-350206 ;
    civ:handler xm:person-000002 ;
    civ:inDistrict xm:unit-350206 .
"""

HULI_LIAISON = """
xm:post-350206-liaison-1 a org:Post ; org:postIn xm:unit-350206 ; org:role role:liaison ;
    org:heldBy xm:person-000004 ; civ:tenureStart "2025-01-15"^^xsd:date ;
    civ:establishment true .
"""


def night_1(city: Path) -> None:
    """Huli has no liaison; the complaint is open past its deadline."""
    city.write_text(CITY, encoding="utf-8")


def night_2(city: Path) -> None:
    """Huli appoints a liaison (fixed); Siming's liaison leaves on 2025-01-20 (new)."""
    text = CITY.replace(
        'org:heldBy xm:person-000003 ; civ:tenureStart "2024-01-01"^^xsd:date ;',
        'org:heldBy xm:person-000003 ; civ:tenureStart "2024-01-01"^^xsd:date ;\n'
        '    civ:tenureEnd "2025-01-20"^^xsd:date ;',
    )
    assert text != CITY
    city.write_text(text + HULI_LIAISON, encoding="utf-8")


def night_3(city: Path) -> None:
    """Huli's liaison leaves on 2025-02-01 (broken again); the complaint is resolved."""
    night_2(city)
    text = city.read_text(encoding="utf-8")
    text = text.replace(
        'civ:tenureStart "2025-01-15"^^xsd:date ;',
        'civ:tenureStart "2025-01-15"^^xsd:date ; civ:tenureEnd "2025-02-01"^^xsd:date ;',
    ).replace(
        'civ:deadline "2025-01-05"^^xsd:date ;',
        'civ:deadline "2025-01-05"^^xsd:date ; civ:resolvedOn "2025-02-12"^^xsd:date ;',
    )
    city.write_text(text, encoding="utf-8")


def nightly(tmp: Path, as_of: str, *extra: str) -> list[str]:
    return [
        "nightly",
        "--data",
        str(tmp / "data"),
        "--history",
        str(tmp / "history"),
        "--site",
        str(tmp / "site"),
        "--as-of",
        as_of,
        *extra,
    ]


def run_statuses(
    history: History, index: int
) -> dict[tuple[str, str], tuple[str, int, str | None]]:
    """(code, focus) → (status, age, escalation) for a stored run (codes with one value only)."""
    entry = history.entries()[index]
    found: dict[tuple[str, str], tuple[str, int, str | None]] = {}
    for item in history.tracked(entry):
        f = item.finding
        found[(f.code, f.focus)] = (item.status, item.age_days, item.escalation)
    return found


def test_three_nights_over_edited_data_with_the_real_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data").mkdir()
    city = tmp_path / "data" / "city.ttl"

    night_1(city)
    assert main(nightly(tmp_path, "2025-01-10", "--quiet")) == 1
    out = capsys.readouterr().out
    assert re.search(
        r"^as of 2025-01-10: \d+ findings .*new \d+, resolved 0, .*\(first run\)$", out
    )

    night_2(city)
    assert main(nightly(tmp_path, "2025-01-31", "--quiet")) == 1
    night_3(city)
    assert main(nightly(tmp_path, "2025-02-14", "--quiet")) == 1
    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert "(vs 2025-01-31)" in out

    history = History(tmp_path / "history")
    assert [e.as_of.isoformat() for e in history.entries()] == [
        "2025-01-10",
        "2025-01-31",
        "2025-02-14",
    ]
    second = run_statuses(history, 1)
    assert second[("CIV-3.5", SIMING)] == ("new", 0, None)
    assert ("CIV-3.5", HULI) not in second
    assert second[("CIV-6.2", COMPLAINT)] == ("persisting", 21, None)

    third = run_statuses(history, 2)
    assert third[("CIV-3.5", HULI)] == ("recurring", 0, "recurring")
    assert third[("CIV-3.5", SIMING)] == ("persisting", 14, None)
    assert ("CIV-6.2", COMPLAINT) not in third
    assert third[("CIV-6.1", XM + "unit-350200")] == ("persisting", 35, "persisting")
    counts = history.entries()[2].counts
    assert counts["recurring"] == 1
    assert counts["resolved"] == 1  # the complaint
    assert counts["new"] == 0
    # every persisting finding but Siming's 14-day-old one (35 days ≥ 30), and the recurring one
    assert counts["escalated"] == counts["persisting"] - 1 + 1

    # the published reports carry the escalation; the site has the runs' trend
    report = json.loads((tmp_path / "site" / "reports" / "report.en.json").read_text("utf-8"))
    escalated = {(f["code"], f["focus"]) for f in report["findings"] if f["escalated"]}
    assert ("CIV-3.5", HULI) in escalated and ("CIV-3.5", SIMING) not in escalated
    overview = (tmp_path / "site" / "zh" / "index.html").read_text("utf-8")
    assert overview.count('<g class="run">') == 3
    assert "湖里区" in overview


def test_rerunning_a_date_replaces_it_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data").mkdir()
    night_1(tmp_path / "data" / "city.ttl")
    assert main(nightly(tmp_path, "2025-01-10", "--quiet")) == 1
    assert main(nightly(tmp_path, "2025-01-10", "--quiet")) == 1
    out = capsys.readouterr().out
    assert out.count("replaced the earlier run for this date") == 1
    assert len(History(tmp_path / "history").entries()) == 1


def test_in_cron_steps_are_iso_timestamped_log_lines(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    night_1(tmp_path / "data" / "city.ttl")
    done = subprocess.run(
        [sys.executable, "-m", "civgraph", *nightly(tmp_path, "2025-01-10")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} INFO civgraph: "
    assert all(re.match(stamp, line) for line in lines), lines
    assert any(re.match(stamp + "checking the data done in", line) for line in lines)
    assert "\x1b[" not in done.stderr  # no terminal control codes
    assert done.stdout.startswith("as of 2025-01-10: ")

    quiet = subprocess.run(
        [sys.executable, "-m", "civgraph", *nightly(tmp_path, "2025-01-11", "--quiet")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert quiet.returncode == 1
    assert quiet.stderr == ""
    assert quiet.stdout.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--history", "h", "--site", "s"], "needs --data PATH"),
        (["--demo", "--history", "h", "--site", "s", "--setting", "nope=1"], "unknown setting"),
        (["--data", "missing.ttl", "--history", "h", "--site", "s"], "missing.ttl"),
        (["--data", "d", "--history", "same", "--site", "same/site"], "separate folders"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_changes_nothing(
    tmp_path: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "civgraph", "nightly", *args, "--as-of", "2025-01-10", "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert not (tmp_path / "s").exists() and not (tmp_path / "same" / "site").exists()
    assert not (tmp_path / "h" / "index.json").exists()


def test_progress_logs_plain_lines_when_not_on_a_terminal() -> None:
    stream = io.StringIO()
    configure_logging(quiet=False, stream=stream)
    progress = Progress.create(interactive=False)
    assert not progress.live
    with progress.step("loading"):
        pass
    assert list(progress.track(range(3), description="pages", total=3)) == [0, 1, 2]
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4
    assert all(
        re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} INFO civgraph: ", x) for x in lines
    )
    assert lines[-1].endswith(" s") and "pages: 3 done" in lines[-1]


def test_progress_draws_on_a_terminal_and_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    screen = io.StringIO()
    progress = Progress(console=Console(file=screen, force_terminal=True, width=80))
    assert progress.live
    with caplog.at_level(logging.INFO, logger="civgraph"):
        with progress.step("checking the data"):
            pass
        assert list(progress.track([1, 2], description="pages")) == [1, 2]
    assert "checking the data" in screen.getvalue()
    assert caplog.records == []
    assert not Progress.create(interactive=True, quiet=True).live
