"""The demo city checked as of its manifest's date yields exactly the planted violations."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from civgraph.api import check, prepare_store
from civgraph.catalogue import load_shapes, resolve_codes
from civgraph.findings import CheckReport
from civgraph.render import render_json
from civgraph.resources import data_folder
from civgraph.settings import Settings
from civgraph.validate_pyshacl import validate


@pytest.fixture(scope="module")
def manifest(demo_dir: Path) -> list[dict[str, object]]:
    data = json.loads((demo_dir / "expected-violations.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def as_of(manifest: list[dict[str, object]]) -> date:
    dates = {str(entry["as_of"]) for entry in manifest}
    assert len(dates) == 1, f"the manifest mixes as-of dates: {sorted(dates)}"
    return date.fromisoformat(dates.pop())


@pytest.fixture(scope="module")
def report(demo_dir: Path, as_of: date) -> CheckReport:
    return check([demo_dir], as_of=as_of)


def test_demo_yields_exactly_the_manifest(
    report: CheckReport, manifest: list[dict[str, object]]
) -> None:
    got = Counter((f.code, f.focus) for f in report.findings)
    want = Counter((str(e["code"]), str(e["focus"])) for e in manifest)
    missing = want - got
    extra = got - want
    assert not missing and not extra, (
        f"missing {sorted(missing.elements())[:20]}; unexpected {sorted(extra.elements())[:20]}"
    )


def test_demo_names_the_manifest_accountable_persons(
    report: CheckReport, manifest: list[dict[str, object]]
) -> None:
    got: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for f in report.findings:
        got.setdefault((f.code, f.focus), set()).add(f.persons)
    wrong = []
    for entry in manifest:
        key = (str(entry["code"]), str(entry["focus"]))
        accountable = entry["accountable"]
        assert isinstance(accountable, list)
        want = tuple(sorted(str(p) for p in accountable))
        if want not in got.get(key, set()):
            wrong.append((key, want, sorted(got.get(key, set()))))
    assert not wrong, wrong[:10]


def test_demo_severities_match_the_manifest(
    report: CheckReport, manifest: list[dict[str, object]]
) -> None:
    got = Counter((f.code, f.focus, f.severity) for f in report.findings)
    want = Counter(
        (str(e["code"]), str(e["focus"]), str(e.get("severity", "Violation"))) for e in manifest
    )
    assert got == want


def test_findings_correspond_one_to_one_to_pyshacl_results(
    demo_dir: Path, as_of: date, report: CheckReport
) -> None:
    store, _ = prepare_store([demo_dir], as_of=as_of, settings=Settings.defaults())
    raw = validate(store.to_rdflib(), load_shapes(resolve_codes()))
    raw_keys = Counter((str(r.focus), str(r.source_shape), str(r.value)) for r in raw)
    found_keys = Counter((f.focus, f.source_shape, str(f.value)) for f in report.findings)
    assert raw_keys == found_keys


def test_json_report_validates_against_the_shipped_schema(report: CheckReport) -> None:
    schema = json.loads(
        (data_folder() / "schema" / "check-report.schema.json").read_text(encoding="utf-8")
    )
    for lang in ("zh", "en"):
        document = json.loads(render_json(report, lang))
        jsonschema.validate(document, schema)
        assert document["conforms"] is False
        assert document["summary"]["total"] == len(report.findings)
    roles = {a.role for f in report.findings for a in f.accountable}
    assert {"main_leader", "linked_leader", "responsible_person"} <= roles


def test_turtle_report_is_a_shacl_report_with_each_finding_and_who_answers(
    report: CheckReport,
) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SH

    from civgraph.namespaces import CIV
    from civgraph.render import render_turtle

    graph = Graph().parse(data=render_turtle(report), format="turtle")
    (root,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(root, SH.conforms) == Literal(False)
    results = list(graph.objects(root, SH.result))
    assert len(results) == len(report.findings)
    written = {
        str(graph.value(node, CIV.findingKey)): (
            str(graph.value(node, CIV.code)),
            str(graph.value(node, SH.focusNode)),
            sorted(
                (
                    str(graph.value(holder, CIV.accountableRole)),
                    str(graph.value(holder, CIV.person)),
                )
                for holder in graph.objects(node, CIV.accountable)
            ),
            sorted(str(m) for m in graph.objects(node, SH.resultMessage)),
        )
        for node in results
    }
    assert written == {
        f.key: (
            f.code,
            f.focus,
            sorted((a.role, a.person) for a in f.accountable),
            sorted(f.message.values()),
        )
        for f in report.findings
    }
    values = [f for f in report.findings if f.value_term and f.value_term.startswith("<")]
    assert values and all(
        (None, SH.value, URIRef(f.value_term[1:-1])) in graph for f in values if f.value_term
    )


def test_every_obligation_runs_on_the_sparql_engine_without_fallback(report: CheckReport) -> None:
    assert report.engine == "auto"
    assert report.notices == [], "a shape fell back to pySHACL"
