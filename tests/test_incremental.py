"""Over random edits of the demo city and moves of the as-of date: an incremental check reports
exactly what a full check reports (the nightly run relies on it), and the compiled SPARQL
engine reports exactly what pySHACL, the reference, reports."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civgraph.api import IncrementalSession, check, check_incremental
from civgraph.errors import InputError
from civgraph.findings import CheckReport

AS_OF = date(2025, 12, 31)


def _keys(report: CheckReport) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    return sorted(
        (f.code, f.focus, f.value or "", f.source_shape, f.persons) for f in report.findings
    )


def _edit(folder: Path, kind: str, seed: int) -> None:
    rng = random.Random(seed)
    files = sorted(folder.glob("*.nt"))
    path = rng.choice(files)
    lines = path.read_text(encoding="utf-8").splitlines()
    if kind == "delete":  # a few triples vanish (a post's holder, a meeting's date, …)
        for index in sorted(rng.sample(range(len(lines)), min(5, len(lines))), reverse=True):
            del lines[index]
    elif kind == "rewire":  # a triple's object is replaced by another node of the same file
        index = rng.randrange(len(lines))
        subject, predicate, _ = lines[index].split(" ", 2)
        other = rng.choice(lines).split(" ")[0]
        lines[index] = f"{subject} {predicate} {other} ."
    elif kind == "redate":  # every date of one subject moves by a year
        subject = rng.choice(lines).split(" ")[0]
        lines = [
            line.replace('"2025-', '"2023-') if line.startswith(subject + " ") else line
            for line in lines
        ]
    elif kind == "reassign":  # who holds, leads or is linked moves round a few records
        predicate = rng.choice(
            [
                "<http://www.w3.org/ns/org#heldBy>",
                "<http://www.w3.org/ns/org#postIn>",
                "<https://w3id.org/civgraph/ns#linkedLeader>",
                "<https://w3id.org/civgraph/ns#linkedUnit>",
                "<https://w3id.org/civgraph/ns#hasTask>",
            ]
        )
        for candidate in files:
            found = _lines_of(candidate)
            chosen = [i for i, line in enumerate(found) if f" {predicate} " in line]
            if chosen:
                path, lines = candidate, found
                break
        else:
            return
        picked = rng.sample(chosen, min(4, len(chosen)))
        objects = [lines[i].rsplit(" ", 2)[1] for i in picked]
        for index, obj in zip(picked, objects[1:] + objects[:1], strict=True):
            lines[index] = f"{lines[index].rsplit(' ', 2)[0]} {obj} ."
    elif kind == "drop-file":  # never the units: a city without units is an input error
        rng.choice([f for f in files if f.name != "units.nt"]).unlink()
        return
    elif kind == "append":  # lines appended to a file (a daily export that grows)
        subject = rng.choice(lines).split(" ")[0]
        civ = "https://w3id.org/civgraph/ns#"
        node = f"<https://example.org/appended-{seed}>"
        extra = [
            f"{node} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{civ}PublicComplaint> .",
            f'{node} <{civ}deadline> "2025-0{1 + seed % 9}-01"'
            "^^<http://www.w3.org/2001/XMLSchema#date> .",
            f"{node} <{civ}handlingUnit> {subject} .",
        ]
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(extra) + "\n")
        return
    elif kind == "new-complaints":  # a new file of complaints: open, overdue, resolved
        units = sorted({line.split(" ")[0] for line in _lines_of(folder / "units.nt")})
        civ = "https://w3id.org/civgraph/ns#"
        xsd = "http://www.w3.org/2001/XMLSchema#"
        rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        added: list[str] = []
        for number in range(rng.randint(1, 4)):
            node = f"<https://example.org/complaint-{seed}-{number}>"
            deadline = date(2025, rng.randint(1, 12), rng.randint(1, 28))
            added += [
                f"{node} <{rdf}type> <{civ}PublicComplaint> .",
                f'{node} <{civ}receivedOn> "2025-01-01"^^<{xsd}date> .',
                f'{node} <{civ}deadline> "{deadline.isoformat()}"^^<{xsd}date> .',
                f"{node} <{civ}handlingUnit> {rng.choice(units)} .",
            ]
            if rng.random() < 0.3:
                added.append(f'{node} <{civ}resolvedOn> "{deadline.isoformat()}"^^<{xsd}date> .')
        (folder / f"zz-complaints-{seed}.nt").write_text("\n".join(added) + "\n", encoding="utf-8")
        return
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _step(data: Path, kind: str, seed: int, as_of: date) -> date:
    """Apply one edit; the as-of date it leaves (an "as-of" edit moves it back)."""
    if kind == "as-of":
        return as_of - timedelta(days=1 + seed % 200)
    _edit(data, kind, seed)
    return as_of


def _lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _due(report: CheckReport) -> list[tuple[str, str, date]]:
    return [(d.code, d.focus, d.due_by) for d in report.due]


EDIT = st.tuples(
    st.sampled_from(
        [
            "delete",
            "rewire",
            "redate",
            "append",
            "reassign",
            "drop-file",
            "new-complaints",
            "as-of",
        ]
    ),
    st.integers(min_value=0, max_value=10_000),
)
EDITS = st.lists(
    EDIT,
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_incremental_equals_full_after_random_edits(
    demo_ntriples: Path, tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int]]
) -> None:
    work = tmp_path_factory.mktemp("edits")
    data = work / "data"
    shutil.copytree(demo_ntriples, data)
    state = work / "state"
    as_of = AS_OF
    _, first = check_incremental([data], state_dir=state, as_of=as_of, engine="sparql")
    assert first.full
    for kind, seed in edits:
        as_of = _step(data, kind, seed, as_of)
        try:
            full = check([data], as_of=as_of, engine="sparql")
        except InputError as error:  # e.g. the file of units was dropped: both must refuse
            with pytest.raises(InputError, match=str(error).split(":")[0]):
                check_incremental([data], state_dir=state, as_of=as_of)
            return
        incremental, stats = check_incremental([data], state_dir=state, as_of=as_of)
        assert not stats.full, stats.reason
        assert _keys(incremental) == _keys(full), (kind, seed, stats)
        # every field, and what is due and the labels: a one-shot run starts from the store and
        # the memory (attribution, due, labels) the run before it left
        assert sorted(map(repr, incremental.findings)) == sorted(map(repr, full.findings))
        assert _due(incremental) == _due(full)
        named = {p for f in full.findings for p in f.persons}
        assert {i: incremental.labels.get(i) for i in named} == {
            i: full.labels.get(i) for i in named
        }


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(EDIT, min_size=2, max_size=5))
def test_a_session_kept_open_equals_full_after_random_edits(
    demo_ntriples: Path, tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int]]
) -> None:
    """A session kept open keeps one store in memory across runs, re-deriving only the rules a
    change reaches (a local rule only for the changed nodes): findings, what is due, labels
    and the triple count stay those of a full check."""
    work = tmp_path_factory.mktemp("session")
    data = work / "data"
    shutil.copytree(demo_ntriples, data)
    as_of = AS_OF
    with IncrementalSession([data], state_dir=work / "state") as session:
        _, first = session.check(as_of=as_of)
        assert first.full
        for kind, seed in edits:
            as_of = _step(data, kind, seed, as_of)
            try:
                full = check([data], as_of=as_of, engine="sparql")
            except InputError:
                return
            report, stats = session.check(as_of=as_of)
            assert not stats.full, stats.reason
            assert _keys(report) == _keys(full), (kind, seed, stats)
            # every field, attribution kept from the last check included
            assert sorted(map(repr, report.findings)) == sorted(map(repr, full.findings))
            assert _due(report) == _due(full)
            named = {p for f in full.findings for p in f.persons}
            assert {i: report.labels.get(i) for i in named} == {
                i: full.labels.get(i) for i in named
            }
            assert report.triples == session.checker.store.triple_count()


def test_new_complaints_rerun_one_rule_for_the_new_nodes_alone(
    demo_ntriples: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_ntriples, data)
    with IncrementalSession([data], state_dir=tmp_path / "s") as session:
        session.check(as_of=AS_OF)
        _edit(data, "new-complaints", 7)
        report, stats = session.check(as_of=AS_OF)
        assert stats.rules_run == ["deadlines"]
        assert _keys(report) == _keys(check([data], as_of=AS_OF, engine="sparql"))
        # the as-of date moving reaches every rule that reads it
        _, moved = session.check(as_of=AS_OF + timedelta(days=40))
        assert "current-posts" in moved.rules_run and "territory" not in moved.rules_run


def test_nodes_asked_about_in_runs_give_what_a_full_check_gives(
    demo_ntriples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rules, due queries, the walk back and validation ask about listed nodes in runs of
    CHUNK (a long list sends pyoxigraph's planner off a cliff): in runs of one node, a session
    still reports what a full check does."""
    from civgraph.sparql_engine import focus_filter

    monkeypatch.setattr(focus_filter, "CHUNK", 1)
    data = tmp_path / "data"
    shutil.copytree(demo_ntriples, data)
    with IncrementalSession([data], state_dir=tmp_path / "s") as session:
        session.check(as_of=AS_OF)
        for seed in (3, 4, 5):
            _edit(data, "new-complaints", seed)
        _edit(data, "rewire", 11)
        report, stats = session.check(as_of=AS_OF)
        assert not stats.full and stats.affected_nodes > 1
        full = check([data], as_of=AS_OF, engine="sparql")
        assert _keys(report) == _keys(full)
        assert _due(report) == _due(full)


def test_a_session_not_closed_leaves_no_snapshot_to_trust(
    demo_ntriples: Path, tmp_path: Path
) -> None:
    """The snapshot is written when a session closes; a process that died before then is
    followed by a full run, never by a diff against a stale store."""
    state = tmp_path / "s"
    died = subprocess.run(  # a process that checks, then dies without closing its session
        [
            sys.executable,
            "-c",
            "import os, sys; from datetime import date; from pathlib import Path;"
            "from civgraph.api import IncrementalSession;"
            "s = IncrementalSession([Path(sys.argv[1])], state_dir=Path(sys.argv[2]));"
            "s.check(as_of=date(2025, 12, 31)); os._exit(0)",
            str(demo_ntriples),
            str(state),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert died.returncode == 0, died.stderr
    _, stats = check_incremental([demo_ntriples], state_dir=state, as_of=AS_OF)
    assert stats.full and stats.reason == "the last run's store was not saved"
    with IncrementalSession([demo_ntriples], state_dir=state) as again:
        _, first = again.check(as_of=AS_OF)
        assert first.full and first.reason == "a session starts in memory, from the files"
        _, warm = again.check(as_of=AS_OF)
        assert not warm.full
    _, after = check_incremental([demo_ntriples], state_dir=state, as_of=AS_OF)
    assert not after.full  # closing wrote the snapshot


def test_one_checker_at_a_time_works_on_a_store(demo_ntriples: Path, tmp_path: Path) -> None:
    """A watch holds its store; a nightly run on the same folder is refused, not interleaved."""
    state = tmp_path / "s"
    with IncrementalSession([demo_ntriples], state_dir=state) as session:
        session.check(as_of=AS_OF)
        with pytest.raises(InputError, match="another civgraph run works on this store"):
            check_incremental([demo_ntriples], state_dir=state, as_of=AS_OF)
    _, after = check_incremental([demo_ntriples], state_dir=state, as_of=AS_OF)
    assert not after.full  # the watch's snapshot, written when it ended


def test_unchanged_data_rechecks_nothing(demo_ntriples: Path, tmp_path: Path) -> None:
    check_incremental([demo_ntriples], state_dir=tmp_path / "s", as_of=AS_OF)
    report, stats = check_incremental([demo_ntriples], state_dir=tmp_path / "s", as_of=AS_OF)
    assert not stats.full
    assert stats.affected_nodes == 0
    assert stats.results_kept == len(report.findings) > 0


def test_an_interrupted_run_forces_a_full_one(demo_ntriples: Path, tmp_path: Path) -> None:
    state = tmp_path / "s"
    check_incremental([demo_ntriples], state_dir=state, as_of=AS_OF)
    marker = state / "state.json"
    marker.write_text('{"dirty": true}', encoding="utf-8")
    _, stats = check_incremental([demo_ntriples], state_dir=state, as_of=AS_OF)
    assert stats.full
    assert stats.reason == "the previous run was interrupted"


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_sparql_engine_equals_pyshacl_on_mutated_cities(
    demo_ntriples: Path, tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int]]
) -> None:
    """Differential test of the two engines, result for result, on randomly broken cities."""
    data = tmp_path_factory.mktemp("mutated") / "data"
    shutil.copytree(demo_ntriples, data)
    as_of = AS_OF
    for kind, seed in edits:
        as_of = _step(data, kind, seed, as_of)
    compiled = check([data], as_of=as_of, engine="sparql")
    reference = check([data], as_of=as_of, engine="pyshacl")
    assert _keys(compiled) == _keys(reference)
    assert [f.severity for f in compiled.findings] == [f.severity for f in reference.findings]


def test_a_literal_the_store_rewrites_is_recorded_as_written_after_a_change(
    demo_ntriples: Path, tmp_path: Path
) -> None:
    """``"5"^^xsd:int`` is kept as ``xsd:integer`` by the store; its written type must be on
    record after an incremental run too, as after a full one (sh:datatype reads the record)."""
    from civgraph.incremental import IncrementalChecker

    data = tmp_path / "data"
    shutil.copytree(demo_ntriples, data)
    state = tmp_path / "s"
    check_incremental([data], state_dir=state, as_of=AS_OF)
    with (data / "zones.nt").open("a", encoding="utf-8") as handle:
        handle.write(
            "<https://example.org/z> <https://example.org/floors> "
            '"5"^^<http://www.w3.org/2001/XMLSchema#int> .\n'
        )
    _, stats = check_incremental([data], state_dir=state, as_of=AS_OF)
    assert not stats.full
    checker = IncrementalChecker(state)
    try:
        assert checker.read_snapshot()
        assert checker.store.has_written_datatypes()
    finally:
        checker.close()


def test_a_change_to_most_of_the_data_is_checked_in_full_without_the_snapshot(
    demo_ntriples: Path, tmp_path: Path
) -> None:
    """Reading the last store back and diffing would cost more than loading the files: when
    files holding most of the data's bytes changed, the run is a full one, and still right."""
    data = tmp_path / "data"
    shutil.copytree(demo_ntriples, data)
    state = tmp_path / "s"
    check_incremental([data], state_dir=state, as_of=AS_OF)
    files = sorted(data.glob("*.nt"), key=lambda p: p.stat().st_size, reverse=True)
    total = sum(p.stat().st_size for p in files)
    touched = 0
    for path in files:  # drop the last triple of the largest files, past half of the bytes
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
        touched += path.stat().st_size
        if touched > total * 0.6:
            break
    report, stats = check_incremental([data], state_dir=state, as_of=AS_OF)
    assert stats.full
    assert stats.reason == "most of the data changed"
    assert _keys(report) == _keys(check([data], as_of=AS_OF, engine="sparql"))
    # and the next, small change is incremental again
    with (data / files[-1].name).open("a", encoding="utf-8") as handle:
        handle.write("<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n")
    _, stats = check_incremental([data], state_dir=state, as_of=AS_OF)
    assert not stats.full, stats.reason


def _counting_attribution(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many results each attribution call in civgraph.api was given."""
    import civgraph.api

    given: list[int] = []
    original = civgraph.api.attribute_each

    def counted(results: Any, **kwargs: Any) -> Any:
        given.append(len(results))
        return original(results, **kwargs)

    monkeypatch.setattr(civgraph.api, "attribute_each", counted)
    return given


def test_a_one_shot_run_starts_from_what_the_last_one_left(
    demo_ntriples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A nightly run after a small change opens the last run's on-disk store in place and
    starts from its due duties, findings and labels: it attributes only the new results."""
    data = tmp_path / "data"
    shutil.copytree(demo_ntriples, data)
    state = tmp_path / "s"
    check_incremental([data], state_dir=state, as_of=AS_OF)
    assert (state / "store" / "CURRENT").is_file()
    attributed = _counting_attribution(monkeypatch)
    _edit(data, "new-complaints", 5)
    report, stats = check_incremental([data], state_dir=state, as_of=AS_OF)
    full = check([data], as_of=AS_OF, engine="sparql")
    assert not stats.full and stats.rules_run == ["deadlines"]
    assert _keys(report) == _keys(full) and _due(report) == _due(full)
    assert report.labels == full.labels
    assert sum(attributed) == stats.results_new < len(report.findings)


def test_what_a_run_leaves_is_trusted_only_by_the_run_after_it(
    demo_ntriples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory left by an older run (or damaged) is ignored: the run asks the store afresh."""
    data = tmp_path / "data"
    shutil.copytree(demo_ntriples, data)
    state = tmp_path / "s"
    check_incremental([data], state_dir=state, as_of=AS_OF)
    older = (state / "session.json").read_bytes()
    _edit(data, "new-complaints", 8)
    check_incremental([data], state_dir=state, as_of=AS_OF)
    attributed = _counting_attribution(monkeypatch)
    for memory in (older, b'{"format": 1, "run": "x", "due": '):
        (state / "session.json").write_bytes(memory)
        _edit(data, "rewire", len(memory))
        report, stats = check_incremental([data], state_dir=state, as_of=AS_OF)
        full = check([data], as_of=AS_OF, engine="sparql")
        assert not stats.full
        assert _keys(report) == _keys(full) and _due(report) == _due(full)
        assert attributed[-1] == len(report.findings)  # every result attributed again


def test_a_damaged_store_is_rebuilt_from_the_files(demo_ntriples: Path, tmp_path: Path) -> None:
    state = tmp_path / "s"
    check_incremental([demo_ntriples], state_dir=state, as_of=AS_OF)
    for entry in (state / "store").iterdir():
        if entry.is_file():
            entry.write_bytes(b"not a store")
    report, stats = check_incremental([demo_ntriples], state_dir=state, as_of=AS_OF)
    assert stats.full and stats.reason == "the previous run's store is unreadable"
    assert _keys(report) == _keys(check([demo_ntriples], as_of=AS_OF, engine="sparql"))
    _, after = check_incremental([demo_ntriples], state_dir=state, as_of=AS_OF)
    assert not after.full  # the store was written again
