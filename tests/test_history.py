"""The nightly history: comparison across runs, crash safety, the lock.

The reports here are built by hand (``make_report``) so that each run's findings are exactly
what the scenario says: the city's data changes between nights, some defects are fixed, new ones
appear, one is fixed and then broken again.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civgraph.findings import Accountable, CheckReport, Finding, Obligation
from civgraph.history import History, HistoryLocked, PastRun, compare, trend
from civgraph.nightly import NightlyResult, run_nightly
from civgraph.settings import Settings

XM = "https://w3id.org/civgraph/id/xiamen/"
CIV = "https://w3id.org/civgraph/ns#"
SHAPES = "https://w3id.org/civgraph/shapes/"
SANCTION = "https://w3id.org/civgraph/code/sanction/"
SRC = "https://w3id.org/civgraph/source/xm2009/"
SH = "http://www.w3.org/ns/shacl#"

SIMING = XM + "unit-350203"
HULI = XM + "unit-350206"
ZHONGHUA = XM + "unit-350203001"
TRANSPORT = XM + "unit-sys-transport"
HQ = XM + "unit-hq"
ZHANG, LI, WANG, CHEN = (XM + f"person-00010{i}" for i in range(1, 5))

LABELS: dict[str, dict[str, str]] = {
    SIMING: {"zh": "思明区", "en": "Siming District"},
    HULI: {"zh": "湖里区", "en": "Huli District"},
    ZHONGHUA: {"zh": "中华街道", "en": "Zhonghua Sub-district"},
    TRANSPORT: {"zh": "市交通委", "en": "Municipal Transport Commission"},
    HQ: {"zh": "创建文明城市指挥部", "en": "Civilized City Command Headquarters"},
    ZHANG: {"zh": "张伟"},
    LI: {"zh": "李娜"},
    WANG: {"zh": "王芳"},
    CHEN: {"zh": "陈磊"},
    SANCTION + "circulated-criticism": {"zh": "通报批评", "en": "circulated criticism"},
    SANCTION + "accountability": {"zh": "追究责任", "en": "accountability"},
    SANCTION + "dismissal": {"zh": "撤职", "en": "dismissal"},
    SRC + "clause-3": {"zh": "第三条", "en": "Clause 3"},
    SRC + "clause-6": {"zh": "第六条", "en": "Clause 6"},
    SRC + "clause-1": {"zh": "第一条", "en": "Clause 1"},
    XM + "complaint-2025-000017": {"zh": "鹭江道噪音投诉", "en": "Lujiang Road noise complaint"},
}

OBLIGATIONS: dict[str, Obligation] = {
    "CIV-3.5": Obligation(
        code="CIV-3.5",
        shape=SHAPES + "CIV-3.5",
        severity="Violation",
        name={"zh": "确定联络员", "en": "A liaison is designated"},
        comment={"zh": "每个单位须有现任联络员。", "en": "Each unit has a current liaison."},
        clause=SRC + "clause-3",
        clause_quote={
            "zh": "各区、各部门要确定一名联络员。",
            "en": "Each district and department shall designate one liaison.",
        },
        sanctions=(SANCTION + "circulated-criticism",),
        escalated_sanctions=(SANCTION + "accountability", SANCTION + "dismissal"),
    ),
    "CIV-3.4": Obligation(
        code="CIV-3.4",
        shape=SHAPES + "CIV-3.4",
        severity="Warning",
        name={"zh": "街镇适当配备非在编人员", "en": "Non-establishment staff in sub-districts"},
        comment={"zh": "街道和镇宜配备非在编人员。", "en": "Sub-districts should have staff."},
        clause=SRC + "clause-3",
        clause_quote={"zh": "街（镇）可适当配备非在编人员。", "en": "Streets may add staff."},
        sanctions=(),
        escalated_sanctions=(),
    ),
    "CIV-6.2": Obligation(
        code="CIV-6.2",
        shape=SHAPES + "CIV-6.2",
        severity="Violation",
        name={"zh": "群众反映问题按期解决", "en": "Public complaints resolved on time"},
        comment={"zh": "投诉须在期限内解决。", "en": "Complaints are resolved by the deadline."},
        clause=SRC + "clause-6",
        clause_quote={
            "zh": "对群众反映强烈但长期得不到解决的问题，要追究有关人员责任。",
            "en": "Where problems the public strongly complains about go unresolved for long, "
            "those responsible shall be held accountable.",
        },
        sanctions=(SANCTION + "circulated-criticism",),
        escalated_sanctions=(SANCTION + "dismissal",),
    ),
    "CIV-1.6": Obligation(
        code="CIV-1.6",
        shape=SHAPES + "CIV-1.6",
        severity="Violation",
        name={"zh": "设立创建专项经费", "en": "A special creation fund in the budget"},
        comment={"zh": "本年度预算须有专项经费。", "en": "A fund in this year's budget."},
        clause=SRC + "clause-1",
        clause_quote={
            "zh": "市、区、街设立创建专项经费。",
            "en": "City, districts and streets set up special creation funds.",
        },
        sanctions=(SANCTION + "circulated-criticism",),
        escalated_sanctions=(SANCTION + "accountability",),
    ),
}


def make_finding(
    code: str,
    focus: str,
    *,
    unit: str | None,
    district: str | None,
    people: Sequence[tuple[str, str]] = (),
    path: str | None = None,
    value: str | None = None,
    severity: str | None = None,
    message: dict[str, str] | None = None,
) -> Finding:
    """A finding as attribution would produce it for ``code`` at ``focus``."""
    obligation = OBLIGATIONS[code]
    return Finding(
        code=code,
        severity=severity or obligation.severity,
        focus=focus,
        path=path,
        value=value,
        value_term=None if value is None else f"<{value}>",
        message=message or dict(obligation.name),
        source_shape=obligation.shape,
        constraint_component=SH + "MinCountConstraintComponent",
        clause=obligation.clause,
        unit=unit,
        district=district,
        accountable=tuple(Accountable(role=role, person=person) for role, person in people),
        pursued_by=(XM + "unit-350203-discipline",),
        sanctions=obligation.sanctions,
    )


def make_report(
    as_of: date,
    findings: Iterable[Finding],
    *,
    labels: dict[str, dict[str, str]] | None = None,
    sources: Sequence[Path] = (),
) -> CheckReport:
    return CheckReport(
        as_of=as_of,
        findings=list(findings),
        obligations=dict(OBLIGATIONS),
        labels=labels if labels is not None else dict(LABELS),
        sources=[str(p) for p in sources],
        version="0.1.0",
    )


# The defects of the demo scenario, by letter (see the module docstring).
A = make_finding(
    "CIV-3.5",
    SIMING,
    unit=SIMING,
    district=SIMING,
    people=[("main_leader", ZHANG)],
    path=XM + "no-such-path-liaison",
)
B = make_finding(
    "CIV-3.5",
    TRANSPORT,
    unit=TRANSPORT,
    district=None,
    people=[("main_leader", LI), ("linked_leader", ZHANG)],
)
C = make_finding(
    "CIV-1.6",
    ZHONGHUA,
    unit=ZHONGHUA,
    district=SIMING,
    people=[("main_leader", WANG)],
)
D = make_finding(
    "CIV-3.4",
    ZHONGHUA,
    unit=ZHONGHUA,
    district=SIMING,
    people=[("main_leader", WANG)],
)
E = make_finding(
    "CIV-6.2",
    XM + "complaint-2025-000017",
    unit=HULI,
    district=HULI,
    people=[("responsible_person", CHEN), ("main_leader", LI)],
    path=CIV + "resolvedOn",
)
F = make_finding("CIV-3.5", HULI, unit=HULI, district=HULI, people=[("main_leader", CHEN)])

#: The three nights: the findings the check reports on each.
NIGHTS: list[tuple[date, list[Finding]]] = [
    (date(2025, 1, 10), [A, B, C, D]),
    (date(2025, 1, 31), [A, B, E]),  # C and D fixed, E new
    (date(2025, 2, 14), [A, E, C, F]),  # B fixed, C broken again, F new
]


class FakeCheck:
    """Stands in for civgraph.api.check: returns the prepared report for the date asked."""

    def __init__(self, nights: Sequence[tuple[date, Sequence[Finding]]]) -> None:
        self.nights = {day: list(found) for day, found in nights}
        self.calls: list[date] = []

    def __call__(
        self,
        sources: Sequence[Path],
        *,
        as_of: date,
        settings: Settings | None = None,
        demo: bool = False,
    ) -> CheckReport:
        self.calls.append(as_of)
        return make_report(as_of, self.nights[as_of], sources=sources)


def run_night(
    tmp: Path,
    day: date,
    check: FakeCheck | None = None,
    *,
    settings: Settings | None = None,
) -> NightlyResult:
    """One nightly run over the scenario's data into ``tmp/history`` and ``tmp/site``."""
    return run_nightly(
        [],
        history=tmp / "history",
        site=tmp / "site",
        as_of=day,
        check=check or FakeCheck(NIGHTS),
        settings=settings,
    )


def statuses(result: NightlyResult) -> dict[str, set[str]]:
    """Status → finding keys for one run, with the keys the run resolved under "resolved"."""
    found: dict[str, set[str]] = {}
    for item in result.comparison.tracked:
        found.setdefault(item.status, set()).add(item.key)
    found["resolved"] = {f.key for f in result.comparison.resolved}
    return found


def keys(*findings: Finding) -> set[str]:
    return {f.key for f in findings}


def test_three_nights_classify_new_resolved_persisting_recurring(tmp_path: Path) -> None:
    check = FakeCheck(NIGHTS)
    first = run_night(tmp_path, NIGHTS[0][0], check)
    assert statuses(first) == {"new": keys(A, B, C, D), "resolved": set()}
    assert first.comparison.previous is None

    second = run_night(tmp_path, NIGHTS[1][0], check)
    assert statuses(second) == {
        "new": keys(E),
        "persisting": keys(A, B),
        "resolved": keys(C, D),
    }
    ages = {t.key: t.age_days for t in second.comparison.tracked}
    assert ages[A.key] == 21 and ages[E.key] == 0
    # 21 days < 30 (persisting_escalation_days): nothing escalates yet
    assert second.comparison.escalated == []

    third = run_night(tmp_path, NIGHTS[2][0], check)
    assert statuses(third) == {
        "new": keys(F),
        "persisting": keys(A, E),
        "recurring": keys(C),
        "resolved": keys(B),
    }
    by_key = third.comparison.by_key()
    assert by_key[A.key].first_seen == date(2025, 1, 10)
    assert by_key[A.key].age_days == 35
    assert by_key[E.key].first_seen == date(2025, 1, 31)
    assert by_key[E.key].age_days == 14
    assert by_key[C.key].earliest_seen == date(2025, 1, 10)
    assert by_key[C.key].age_days == 0
    counts = third.comparison.counts()
    assert (counts["new"], counts["resolved"], counts["persisting"], counts["recurring"]) == (
        1,
        1,
        2,
        1,
    )


def test_clause5_escalation_by_age_and_recurrence_adds_escalated_sanctions(
    tmp_path: Path,
) -> None:
    check = FakeCheck(NIGHTS)
    for day, _ in NIGHTS:
        result = run_night(tmp_path, day, check)
    by_key = result.comparison.by_key()
    assert {t.key: t.escalation for t in result.comparison.escalated} == {
        A.key: "persisting",  # 35 days ≥ 30
        C.key: "recurring",  # fixed on 1-31, back on 2-14
    }
    escalated_a = by_key[A.key].finding
    assert escalated_a.escalated
    assert escalated_a.sanctions == (
        SANCTION + "circulated-criticism",
        SANCTION + "accountability",
        SANCTION + "dismissal",
    )
    assert not by_key[E.key].finding.escalated  # 14 days
    # the published report carries the escalation too
    assert {f.key for f in result.report.findings if f.escalated} == keys(A, C)


def test_threshold_is_a_setting(tmp_path: Path) -> None:
    check = FakeCheck(NIGHTS)
    strict = Settings.defaults().with_overrides(["persisting_escalation_days=14"])
    for day, _ in NIGHTS:
        result = run_night(tmp_path, day, check, settings=strict)
    assert {t.key for t in result.comparison.escalated} == keys(A, C, E)
    entry = History(tmp_path / "history").entries()[-1]
    assert entry.settings["persisting_escalation_days"] == 14  # the index says what was used


def test_a_warning_never_escalates_and_a_recurred_violation_stays_escalated(
    tmp_path: Path,
) -> None:
    nights = [
        (date(2025, 3, 1), [C, D]),
        (date(2025, 3, 2), []),
        (date(2025, 3, 3), [C, D]),  # both recur
        (date(2025, 3, 4), [C, D]),  # both persist
    ]
    check = FakeCheck(nights)
    for day, _ in nights:
        result = run_night(tmp_path, day, check)
    by_key = result.comparison.by_key()
    assert by_key[C.key].status == "persisting"
    assert by_key[C.key].escalation == "recurring"
    assert by_key[D.key].escalation is None  # CIV-3.4 is a Warning


def test_rerunning_a_date_replaces_its_run_and_compares_with_the_run_before(
    tmp_path: Path,
) -> None:
    check = FakeCheck(NIGHTS)
    run_night(tmp_path, NIGHTS[0][0], check)
    run_night(tmp_path, NIGHTS[1][0], check)
    check.nights[NIGHTS[1][0]] = [A]  # the data was corrected and the night re-run
    again = run_night(tmp_path, NIGHTS[1][0], check)
    assert again.replaced
    assert statuses(again) == {"persisting": keys(A), "resolved": keys(B, C, D)}
    history = History(tmp_path / "history")
    assert [e.as_of for e in history.entries()] == [NIGHTS[0][0], NIGHTS[1][0]]
    assert history.keys(history.entries()[1]) == keys(A)
    # the replaced run's folder is gone; only listed runs remain
    assert len(list((tmp_path / "history" / "runs").iterdir())) == 2


def test_history_records_prov_metadata(tmp_path: Path) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import PROV, RDF, XSD

    data = tmp_path / "data.ttl"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    check = FakeCheck(NIGHTS)
    result = run_nightly(
        [data],
        history=tmp_path / "history",
        site=tmp_path / "site",
        as_of=NIGHTS[0][0],
        check=check,
    )
    folder = tmp_path / "history" / result.run.folder
    graph = Graph().parse(folder / "run.ttl", format="turtle")
    run = next(graph.subjects(RDF.type, PROV.Activity))
    assert graph.value(run, URIRef(CIV + "asOf")) == Literal(NIGHTS[0][0], datatype=XSD.date)
    assert graph.value(run, PROV.startedAtTime) is not None
    assert graph.value(run, PROV.endedAtTime) is not None
    used = set(graph.objects(run, PROV.used))
    assert URIRef(data.resolve().as_uri()) in used
    checksums = {
        str(v) for v in graph.objects(None, URIRef("http://spdx.org/rdf/terms#checksumValue"))
    }
    import hashlib

    assert hashlib.sha256(data.read_bytes()).hexdigest() in checksums
    assert next(graph.objects(run, PROV.generated), None) is not None
    agent = graph.value(run, PROV.wasAssociatedWith)
    assert agent is not None and "0.1.0" in str(agent)
    index = json.loads((tmp_path / "history" / "index.json").read_text(encoding="utf-8"))
    assert index["runs"][0]["as_of"] == "2025-01-10"
    assert index["runs"][0]["counts"]["new"] == 4


def test_a_damaged_index_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    from civgraph.errors import InputError

    (tmp_path / "history").mkdir()
    (tmp_path / "history" / "index.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"index\.json"):
        run_night(tmp_path, NIGHTS[0][0])
    assert not (tmp_path / "site").exists()


# -- the lock ---------------------------------------------------------------------------------


def test_second_run_while_the_first_holds_the_lock_exits_3(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    history = History(tmp_path / "history")
    with history.locked():
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "civgraph",
                "nightly",
                "--data",
                str(data),
                "--history",
                str(tmp_path / "history"),
                "--site",
                str(tmp_path / "site"),
                "--as-of",
                "2025-01-10",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "another civgraph nightly run holds the history lock" in lines[0]
    assert f"process {os.getpid()}" in lines[0]
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "history" / "index.json").exists()


def test_lock_is_released_after_a_run_and_blocks_inside_one(tmp_path: Path) -> None:
    run_night(tmp_path, NIGHTS[0][0])
    history = History(tmp_path / "history")
    with history.locked(), pytest.raises(HistoryLocked):
        run_night(tmp_path, NIGHTS[1][0])
    assert [e.as_of for e in history.entries()] == [NIGHTS[0][0]]
    run_night(tmp_path, NIGHTS[1][0])  # free again


# -- killed mid-write ---------------------------------------------------------------------------

# The child process: one nightly run whose crash-relevant operations (every fsynced write,
# directory flush, rename and the site build) announce themselves on stdout; at step
# ``stop_at`` it stops and waits to be killed. A write stopped at its step has written only
# half its bytes.
CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    import test_history as th
    from civgraph import atomic
    import civgraph.site.build as build
    from civgraph.nightly import NightlyResult, run_nightly

    stop_at, root, day = int(sys.argv[1]), Path(sys.argv[2]), date.fromisoformat(sys.argv[3])
    count = 0

    quiet = []  # inside fsync_tree (a scratch folder only): one step, not one per folder

    def gate(name):
        global count
        if quiet:
            return
        count += 1
        print("step", count, name, flush=True)
        if count == stop_at:
            time.sleep(600)

    def wrap(module, name):
        original = getattr(module, name)
        def wrapped(*args, **kwargs):
            gate(name + " before")
            quiet.extend([True] if name == "fsync_tree" else [])
            try:
                result = original(*args, **kwargs)
            finally:
                if name == "fsync_tree":
                    quiet.pop()
            gate(name + " after")
            return result
        setattr(module, name, wrapped)

    for name in ("fsync_dir", "replace", "swap_directory", "fsync_tree", "scratch_dir"):
        wrap(atomic, name)
    wrap(build, "render_site")
    original_write = atomic.write_bytes
    def half_write(path, data):
        with path.open("wb") as handle:
            handle.write(data[: len(data) // 2])
            handle.flush()
        gate("write_bytes half " + path.name)
        original_write(path, data)
    atomic.write_bytes = half_write

    result = run_nightly([], history=root / "history", site=root / "site", as_of=day,
                         check=th.FakeCheck(th.NIGHTS))
    print("done", result.run.folder, flush=True)
    """
)


def snapshot(root: Path) -> dict[str, bytes]:
    """What a reader of the history and the site sees: the index, every run it lists, the site."""
    files: dict[str, bytes] = {}
    history = root / "history"
    index = history / "index.json"
    if index.exists():
        files["history/index.json"] = index.read_bytes()
        for run in json.loads(index.read_bytes())["runs"]:
            for path in sorted((history / run["folder"]).iterdir()):
                files[f"history/{run['folder']}/{path.name}"] = path.read_bytes()
    site = root / "site"
    if site.exists():
        for path in sorted(site.rglob("*")):
            if path.is_file():
                files[f"site/{path.relative_to(site)}"] = path.read_bytes()
    return files


def start_child(root: Path, stop_at: int, day: date) -> subprocess.Popen[str]:
    script = CHILD.format(tests=str(Path(__file__).parent))
    args = [sys.executable, "-c", script, str(stop_at), str(root), day.isoformat()]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def kill_at(child: subprocess.Popen[str], stop_at: int) -> list[str]:
    """Wait until ``child`` announces step ``stop_at`` (where it stops), then SIGKILL it."""
    seen: list[str] = []
    assert child.stdout is not None
    for line in child.stdout:
        seen.append(line.strip())
        if line.startswith(f"step {stop_at} "):
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    if child.stderr is not None:
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL, "\n".join(seen)
    assert seen and seen[-1].startswith(f"step {stop_at} "), "\n".join(seen)
    return seen


@pytest.mark.slow
def test_a_run_killed_at_any_step_leaves_history_and_site_as_before_or_after(
    tmp_path: Path,
) -> None:
    base = tmp_path / "base"
    for day, _ in NIGHTS[:2]:
        run_night(base, day)
    before = snapshot(base)
    day = NIGHTS[2][0]

    # A full run (no kill) counts the steps and gives the "after" state to compare with.
    full = tmp_path / "full"
    shutil.copytree(base, full)
    child = start_child(full, 0, day)
    stdout, _ = child.communicate(timeout=300)
    assert child.returncode == 0
    steps = [line for line in stdout.splitlines() if line.startswith("step ")]
    assert len(steps) > 20
    after_entries = History(full / "history").entries()
    assert [e.as_of for e in after_entries] == [d for d, _ in NIGHTS]

    # Kill a copy at every step; a few children at a time, each stopped at its own step.
    points = range(1, len(steps) + 1)
    for batch in [points[i : i + 8] for i in range(0, len(points), 8)]:
        children = {}
        for stop_at in batch:
            shutil.copytree(base, tmp_path / f"kill-{stop_at}")
            children[stop_at] = start_child(tmp_path / f"kill-{stop_at}", stop_at, day)
        for stop_at, child in children.items():
            kill_at(child, stop_at)

    outcomes = {"before": 0, "after": 0}
    for stop_at in points:
        root = tmp_path / f"kill-{stop_at}"
        now = snapshot(root)
        history = History(root / "history")
        if now == before:
            outcomes["before"] += 1
        else:
            # exactly as after: the old runs untouched, the new run listed and whole
            entries = history.entries()
            assert [e.as_of for e in entries] == [d for d, _ in NIGHTS], steps[stop_at - 1]
            for name, data in before.items():
                if name.startswith("history/runs/"):
                    assert now[name] == data, name
            assert history.keys(entries[-1]) == keys(A, E, C, F)
            assert len(history.tracked(entries[-1])) == 4
            assert (root / "history" / entries[-1].folder / "run.ttl").read_bytes() == now[
                f"history/{entries[-1].folder}/run.ttl"
            ]
            # the site is the old one or the new one, each whole
            old_site = {k: v for k, v in before.items() if k.startswith("site/")}
            new_site = {k: v for k, v in now.items() if k.startswith("site/")}
            if new_site != old_site:
                overview = new_site["site/zh/index.html"].decode("utf-8")
                assert "2025-02-14" in overview
                assert {"site/zh/index.html", "site/en/index.html"} <= set(new_site)
            outcomes["after"] += 1
        # the next run recovers: it completes and sweeps every leftover
        run_night(root, day)
        leftovers = [p for p in root.rglob(".tmp-*")]
        assert leftovers == []
        listed = {Path(e.folder).name for e in history.entries()}
        assert {p.name for p in (root / "history" / "runs").iterdir()} == listed
    assert outcomes["before"] > 0 and outcomes["after"] > 0


# -- comparison as a property over any sequence of nights -------------------------------------

POOL = [A, B, C, D, E, F]


@given(
    nights=st.lists(
        st.tuples(st.integers(min_value=1, max_value=20), st.sets(st.integers(0, len(POOL) - 1))),
        min_size=1,
        max_size=8,
    ),
    threshold=st.integers(min_value=0, max_value=60),
)
@settings(max_examples=150, deadline=None)
def test_comparison_agrees_with_a_plain_reading_of_the_history(
    nights: list[tuple[int, set[int]]], threshold: int
) -> None:
    day = date(2025, 1, 1)
    past: list[PastRun] = []
    previous: list[Finding] = []
    for gap, chosen in nights:
        day = day + timedelta(days=gap)
        found = [POOL[i] for i in sorted(chosen)]
        result = compare(
            as_of=day,
            findings=found,
            past=past,
            previous_findings=previous,
            obligations=OBLIGATIONS,
            persisting_escalation_days=threshold,
        )
        seen = [run.keys for run in past]
        for item in result.tracked:
            key = item.key
            if not any(key in s for s in seen):
                assert item.status == "new" and item.age_days == 0
            elif key in seen[-1]:
                assert item.status == "persisting"
                streak = [run for run in past if key in run.keys]
                start = past[-1].as_of
                for run in reversed(past):
                    if key not in run.keys:
                        break
                    start = run.as_of
                assert item.first_seen == start and item.age_days == (day - start).days
                assert item.earliest_seen == streak[0].as_of
            else:
                assert item.status == "recurring" and item.age_days == 0
            recurred = item.status == "recurring" or item.earliest_seen < item.first_seen
            violation = item.finding.severity == "Violation"
            expected = violation and (
                recurred or (item.age_days >= threshold and item.status == "persisting")
            )
            assert (item.escalation is not None) == expected
            escalated = OBLIGATIONS[item.finding.code].escalated_sanctions
            assert set(escalated) <= set(item.finding.sanctions) or not expected
        assert {f.key for f in result.resolved} == ({f.key for f in previous} - keys(*found))
        assert len(result.tracked) == len(found)
        past.append(PastRun(as_of=day, keys=frozenset(keys(*found))))
        previous = found
    points = trend(past)
    assert [p.open for p in points] == [len(r.keys) for r in past]
    assert sum(p.new for p in points) - sum(p.resolved for p in points) == points[-1].open
