"""The analysts' query library (queries/*.rq) and ``civgraph query``.

Fixture answers are written next to the data in tests/queries_fixtures/*.ttl (as of 2024-06-30);
the demo city must give every query at least one row and agree with its manifest.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.term import Identifier

from civgraph.errors import InputError
from civgraph.loading import load_ontology, load_sources
from civgraph.querylib import (
    Query,
    check_select,
    find_query,
    library,
    load_query,
    parse_header,
    run_query,
)
from civgraph.querylib.docs import BEGIN, END, doc_path, library_markdown
from civgraph.querylib.output import json_value
from civgraph.sparql_text import inject_values
from civgraph.store import OxigraphStore

FIXTURES = Path(__file__).parent / "queries_fixtures"
AS_OF = "2024-06-30"
XM = "https://w3id.org/civgraph/id/xiamen/"
CIV = "https://w3id.org/civgraph/ns#"

Cli = Callable[..., tuple[int, str, str]]
Demo = tuple[OxigraphStore, str, list[dict[str, object]]]
# The store fixture is module-scoped and never changed, so sharing it across examples is safe.
FIXTURE_CHECK = HealthCheck.function_scoped_fixture


# ---- helpers and fixtures


def local(term: Identifier | None) -> object:
    """An xm:/civ: IRI as its local name, any other term as its JSON value."""
    if isinstance(term, URIRef):
        text = str(term)
        for base in (XM, CIV):
            if text.startswith(base):
                return text[len(base) :]
        return text.rsplit("/", 1)[-1]
    return json_value(term)


def snapshot(store: OxigraphStore) -> frozenset[object]:
    return frozenset(store.native)


@pytest.fixture(scope="module")
def fixture_city() -> tuple[OxigraphStore, frozenset[object]]:
    """The ontology and tests/queries_fixtures in a store, and its quads as loaded."""
    store = OxigraphStore()
    load_ontology(store)
    load_sources(store, [FIXTURES])
    return store, snapshot(store)


@pytest.fixture(scope="module")
def store(fixture_city: tuple[OxigraphStore, frozenset[object]]) -> OxigraphStore:
    return fixture_city[0]


@pytest.fixture(scope="module")
def pristine(fixture_city: tuple[OxigraphStore, frozenset[object]]) -> frozenset[object]:
    """The fixture store's quads before any query ran on it."""
    return fixture_city[1]


def rows(store: OxigraphStore, name: str, **values: str) -> list[dict[str, object]]:
    result = run_query(find_query(name), store, values=values)
    return [{k: local(v) for k, v in row.items()} for row in result.rows]


def keys(store: OxigraphStore, name: str, *columns: str, **values: str) -> set[object]:
    found = rows(store, name, **values)
    if len(columns) == 1:
        return {r.get(columns[0]) for r in found}
    return {tuple(r.get(c) for c in columns) for r in found}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run the real ``civgraph`` entry point; returns (exit code, stdout, stderr)."""
    from civgraph.cli import main

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo city generated once: its store, its as-of date and its manifest."""
    demo_module = pytest.importorskip("civgraph.demo")
    folder = Path(demo_module.ensure_demo(tmp_path_factory.mktemp("demo")))
    manifest = json.loads((folder / "expected-violations.json").read_text(encoding="utf-8"))
    store = OxigraphStore()
    load_ontology(store)
    load_sources(store, [folder])
    as_of = str(manifest[0]["as_of"])
    return store, as_of, manifest


EXAMPLE_VALUES = {"string": "思明", "iri": "xm:unit-350203", "integer": "90", "boolean": "true"}


def example_values(query: Query, as_of: str) -> dict[str, str]:
    """Values for a query's required parameters."""
    return {
        p.name: as_of if p.type == "date" else EXAMPLE_VALUES[p.type]
        for p in query.params
        if p.default is None
    }


LIBRARY = library()
NAMES = [q.name for q in LIBRARY]


# ---- the library


def test_library_has_at_least_twelve_queries() -> None:
    assert len(LIBRARY) >= 12


@pytest.mark.parametrize("query", LIBRARY, ids=NAMES)
def test_every_query_has_bilingual_title_and_description(query: Query) -> None:
    assert query.header.title.keys() == {"zh", "en"}
    assert query.header.description.keys() == {"zh", "en"}
    assert re.search(r"[\u4e00-\u9fff]", query.title("zh"))
    assert re.search(r"[\u4e00-\u9fff]", query.description("zh"))
    assert not re.search(r"[\u4e00-\u9fff]", query.title("en"))


@pytest.mark.parametrize("query", LIBRARY, ids=NAMES)
def test_as_of_is_never_defaulted_to_the_clock(query: Query) -> None:
    for param in query.params:
        if param.type == "date":
            assert param.default is None, f"{query.name}: {param.name} must be given explicitly"
        assert re.search(rf"\${param.name}\b", query.text), "parameters are written $name"


def test_query_list_shows_every_query(cli: Cli) -> None:
    code, out, _ = cli("query", "list")
    assert code == 0
    for query in LIBRARY:
        assert query.name in out
        assert query.title("zh") in out
    code, out, _ = cli("query", "list", "--format", "json")
    listing = json.loads(out)
    assert code == 0
    assert [q["name"] for q in listing] == NAMES
    assert len(listing) >= 12
    liaison = next(q for q in listing if q["name"] == "units-without-liaison")
    assert liaison["params"] == [
        {
            "name": "as_of",
            "type": "date",
            "default": None,
            "description": liaison["params"][0]["description"],
        }
    ]


# ---- answers on the fixture city (as of 2024-06-30)


def test_units_without_liaison(store: OxigraphStore) -> None:
    assert keys(store, "units-without-liaison", "unit", as_of=AS_OF) == {
        "unit-350206",
        "unit-sys-education",
        "unit-dept-gardens",
    }
    # Half a year earlier 湖里区's liaison was still in office and 中华街道's not yet.
    assert keys(store, "units-without-liaison", "unit", as_of="2024-01-15") == {
        "unit-350203001",
        "unit-sys-education",
        "unit-dept-gardens",
    }


def test_city_systems_staff(store: OxigraphStore) -> None:
    found = rows(store, "city-systems-staff", as_of=AS_OF)
    assert len(found) == 8
    assert {r["system_name"] for r in found} >= {"市交通委", "市教育局", "市政法委"}
    by_system = {r["system"]: r for r in found}
    assert by_system["transport"]["holder"] == "person-000032"
    assert by_system["transport"]["establishment"] is True
    assert by_system["education"]["unit"] == "unit-sys-education"
    assert by_system["education"].get("holder") is None
    assert by_system["political-legal"].get("unit") is None
    earlier = {r["system"]: r for r in rows(store, "city-systems-staff", as_of="2023-06-30")}
    assert earlier["education"]["holder"] == "person-000042"


def test_overdue_complaints_with_days(store: OxigraphStore) -> None:
    assert keys(
        store, "overdue-complaints", "complaint", "district", "days_overdue", as_of=AS_OF
    ) == {
        ("complaint-2024-000001", "unit-350203", 10),
        ("complaint-2024-000002", "unit-350203", 150),
        ("complaint-2024-000003", "unit-350206", 121),
    }
    by_district = keys(
        store,
        "overdue-complaints-by-district",
        "district",
        "overdue",
        "long_unresolved",
        as_of=AS_OF,
    )
    assert by_district == {("unit-350203", 2, 1), ("unit-350206", 1, 1)}


def test_long_unresolved_threshold_is_a_parameter(store: OxigraphStore) -> None:
    assert keys(store, "long-unresolved-complaints", "complaint", "main_leader", as_of=AS_OF) == {
        ("complaint-2024-000002", "person-000010"),
        ("complaint-2024-000003", "person-000020"),
    }
    assert keys(store, "long-unresolved-complaints", "complaint", as_of=AS_OF, days="130") == {
        "complaint-2024-000002"
    }
    assert rows(store, "long-unresolved-complaints", as_of=AS_OF, days="150") == []


def test_meeting_calendar_and_gaps(store: OxigraphStore) -> None:
    calendar = keys(
        store,
        "meeting-calendar",
        "body",
        "period",
        "work_meetings",
        "joint_meetings",
        "review_meetings",
        as_of=AS_OF,
    )
    assert calendar == {
        ("unit-hq", "2023-Q3", 1, 0, 1),
        ("unit-hq", "2023-Q4", 1, 0, 0),
        ("unit-hq", "2024-Q1", 0, 0, 1),
        ("unit-hq", "2024-Q2", 1, 0, 0),
        ("unit-wg-01", "2023-Q3", 0, 1, 0),
    }
    gaps = keys(store, "meeting-gaps", "body", "required_meeting", "period", as_of=AS_OF)
    assert gaps == {
        ("unit-hq", "ReviewMeeting", "2023-Q4"),
        ("unit-hq", "WorkMeeting", "2024-Q1"),
        ("unit-wg-01", "JointMeeting", "2023-Q4"),
        ("unit-wg-01", "JointMeeting", "2024-Q1"),
    }
    # On 2024-07-01 the second quarter has ended too, and it had a work meeting but no review.
    later = keys(store, "meeting-gaps", "body", "required_meeting", "period", as_of="2024-07-01")
    assert later - gaps == {
        ("unit-hq", "ReviewMeeting", "2024-Q2"),
        ("unit-wg-01", "JointMeeting", "2024-Q2"),
    }


def test_indicators_below_grade_a(store: OxigraphStore) -> None:
    assert keys(
        store, "indicators-below-grade-a", "indicator", "work_group", "grade", as_of=AS_OF
    ) == {("I01-01-02", "unit-wg-01", "C")}
    # Before the 2024-05-10 grade A, I01-01-01's latest grade was B.
    assert keys(store, "indicators-below-grade-a", "indicator", as_of="2024-04-01") == {
        "I01-01-01",
        "I01-01-02",
    }


def test_leader_linkages(store: OxigraphStore) -> None:
    assert keys(store, "leader-linkages", "leader", "unit", "leader_in_office", as_of=AS_OF) == {
        ("person-000002", "unit-350203", True),
        ("person-000003", "unit-350206", False),
        ("person-000010", "unit-350203001", True),
    }
    assert keys(store, "units-without-linked-leader", "unit", "has_linkage", as_of=AS_OF) == {
        ("unit-350206", True),
        ("unit-350203001001", False),
    }


def test_missing_responsibility_letters(store: OxigraphStore) -> None:
    found = keys(
        store,
        "missing-responsibility-letters",
        "level",
        "unit",
        "letter_with_other_party",
        as_of=AS_OF,
    )
    assert found == {("District", "unit-350206", True), ("Department", "unit-dept-gardens", False)}
    # In 2023 no letter was current at all, so 思明区 lacked one as well.
    earlier = keys(store, "missing-responsibility-letters", "unit", as_of="2023-06-30")
    assert "unit-350203" in earlier


def test_accountable_open_issues(store: OxigraphStore) -> None:
    found = rows(store, "accountable-open-issues", as_of=AS_OF)
    assert [(r["person"], r["open_issues"]) for r in found] == [
        ("person-000010", 3),
        ("person-000020", 2),
    ]
    assert (found[0]["complaints"], found[0]["review_problems"]) == (2, 1)
    assert (found[1]["complaints"], found[1]["media_exposures"]) == (1, 1)


def test_areas_titles_funds_problems(store: OxigraphStore) -> None:
    assert keys(store, "areas-without-responsible-person", "area", "missing") == {
        ("zone-2", "person"),
        ("zone-3", "unit, person"),
    }
    assert keys(store, "titles-to-revoke", "unit", "title", "case", as_of=AS_OF) == {
        ("unit-350206", "title-1", "case-1")
    }
    # 思明区's title was revoked on 2024-05-01; before that it should have been revoked too.
    assert "unit-350203" in keys(store, "titles-to-revoke", "unit", as_of="2024-04-15")
    assert keys(
        store, "special-funds", "level", "fiscal_year", "funds", "total_amount", "in_budget_amount"
    ) == {
        ("City", 2024, 1, 500000, 500000),
        ("District", 2023, 1, 180000, 180000),
        ("District", 2024, 2, 350000, 200000),
    }
    assert keys(store, "overdue-problems", "problem", "status", as_of=AS_OF) == {
        ("problem-1", "overdue"),
        ("problem-2", "no-deadline"),
    }


def test_find_by_name_and_unit_posts(store: OxigraphStore) -> None:
    assert keys(store, "find-by-name", "thing", text="湖里") == {"unit-350206", "zone-2"}
    # Quotes and braces in a value are plain text: they match a name that has them.
    assert keys(store, "find-by-name", "thing", text='"示范" 段 { }') == {"zone-4"}
    assert keys(store, "find-by-name", "thing", text='"示范" } #') == set()
    assert keys(store, "unit-posts", "post", unit="xm:unit-350206", as_of=AS_OF) == {
        "post-350206-head"
    }
    assert keys(store, "unit-posts", "post", unit=f"<{XM}unit-350206>", as_of="2024-01-15") == {
        "post-350206-head",
        "post-350206-liaison",
    }


# ---- the demo city


@pytest.mark.parametrize("query", LIBRARY, ids=NAMES)
def test_every_query_has_rows_on_the_demo(query: Query, demo: Demo) -> None:
    store, as_of, _ = demo
    result = run_query(query, store, values=example_values(query, as_of))
    assert len(result.rows) >= 1


# query → (the obligation whose planted defects it lists, the column naming the focus)
AGREES_WITH_MANIFEST = {
    "units-without-liaison": ("CIV-3.5", "unit"),
    "missing-responsibility-letters": ("CIV-4.1", "unit"),
    "units-without-linked-leader": ("CIV-4.2", "unit"),
    "areas-without-responsible-person": ("CIV-4.3", "area"),
    "titles-to-revoke": ("CIV-5.2", "unit"),
    "overdue-problems": ("CIV-2.4", "problem"),
}


@pytest.mark.parametrize("name", sorted(AGREES_WITH_MANIFEST))
def test_gap_queries_agree_with_the_demo_manifest(name: str, demo: Demo) -> None:
    store, as_of, manifest = demo
    code, column = AGREES_WITH_MANIFEST[name]
    query = find_query(name)
    result = run_query(query, store, values=example_values(query, as_of))
    found = {str(row[column]) for row in result.rows}
    planted = {str(e["focus"]) for e in manifest if e["code"] == code}
    assert found == planted


def test_overdue_complaints_agree_with_the_demo_manifest(
    demo: Demo,
) -> None:
    store, as_of, manifest = demo
    result = run_query(find_query("overdue-complaints"), store, values={"as_of": as_of})
    found = {str(row["complaint"]) for row in result.rows}
    planted = {
        str(e["focus"])
        for e in manifest
        if e["code"] == "CIV-6.2" and "without a deadline" not in str(e["note"])
    }
    assert found == planted


# ---- bindings, VALUES and injection


def as_set(result_rows: list[dict[str, Identifier]]) -> list[tuple[tuple[str, str], ...]]:
    return sorted(tuple(sorted((k, v.n3()) for k, v in row.items())) for row in result_rows)


@pytest.mark.parametrize("query", LIBRARY, ids=NAMES)
def test_values_block_gives_the_same_rows_as_bindings(query: Query, store: OxigraphStore) -> None:
    """What the remote store sends (a VALUES block first in the outer WHERE group, see
    civgraph.sparql_text) gives the same rows as the embedded store's bindings."""
    bound = run_query(query, store, values=example_values(query, AS_OF))
    inline = store.select(inject_values(query.text, bound.bindings))
    assert as_set(inline) == as_set(bound.rows)


BREAKOUTS = [
    'x" } ; DROP ALL ; #',
    "x' } UNION { ?thing ?class ?name } #",
    '"""\n} } DROP ALL\n#',
    '区") || true || ("',
    '\\" . ?thing a ?class } #',
    "<http://x> } UNION { ?s ?p ?o",
    "$text ?text } ; CLEAR DEFAULT",
]


@pytest.mark.parametrize("value", BREAKOUTS)
def test_string_parameter_cannot_break_out(value: str, store: OxigraphStore) -> None:
    before = snapshot(store)
    harmless = rows(store, "find-by-name", text="no-such-name-anywhere")
    attempt = run_query(find_query("find-by-name"), store, values={"text": value})
    assert [r for r in attempt.rows if value.lower() not in str(r["name"]).lower()] == []
    assert attempt.rows == [] and harmless == []
    assert attempt.bindings["text"] == Literal(value)
    assert snapshot(store) == before
    # The VALUES form the remote store sends is a valid SELECT with the same (empty) answer.
    sent = inject_values(attempt.query.text, attempt.bindings)
    assert check_select(sent, source="inline").columns == attempt.columns
    assert store.select(sent) == []


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        ("unit-posts", "unit", "<http://x> } UNION { ?s ?p ?o"),
        ("unit-posts", "unit", XM + "unit-350203> . ?s ?p ?o } #"),
        ("unit-posts", "unit", "xm:unit-350203 } ; DROP ALL"),
        ("unit-posts", "as_of", '2024-06-30"^^xsd:date } UNION { ?s ?p ?o } #'),
        ("long-unresolved-complaints", "days", "90) || true || (1"),
        ("long-unresolved-complaints", "as_of", "2024-06-30 ; DROP ALL"),
    ],
)
def test_typed_parameter_breakout_is_an_error_naming_it(
    name: str, param: str, value: str, store: OxigraphStore
) -> None:
    before = snapshot(store)
    values = {"as_of": AS_OF}
    if name == "unit-posts":
        values["unit"] = "xm:unit-350203"
    values[param] = value
    with pytest.raises(InputError, match=rf"--param {param}: .* is not "):
        run_query(find_query(name), store, values=values)
    assert snapshot(store) == before


def test_breakout_through_the_command_line(cli: Cli) -> None:
    code, out, err = cli(
        "query",
        "run",
        "find-by-name",
        str(FIXTURES),
        "--param",
        'text=x" } ; DROP ALL ; #',
        "--format",
        "json",
    )
    assert (code, json.loads(out), err) == (0, [], "")
    code, _, err = cli(
        "query",
        "run",
        "unit-posts",
        str(FIXTURES),
        "--param",
        "as_of=2024-06-30",
        "--param",
        "unit=<http://x> } UNION { ?s ?p ?o",
    )
    assert code == 2
    assert err.startswith("civgraph: error: --param unit:") and err.count("\n") == 1


@settings(max_examples=120, deadline=None, suppress_health_check=[FIXTURE_CHECK])
@given(text=st.text())
def test_any_text_as_a_string_parameter_is_harmless(
    text: str, store: OxigraphStore, pristine: frozenset[object]
) -> None:
    try:
        result = run_query(find_query("find-by-name"), store, values={"text": text})
    except InputError as exc:
        assert "--param text" in str(exc)
    else:
        for row in result.rows:
            assert text.lower() in str(row["name"]).lower()
    assert snapshot(store) == pristine


@settings(max_examples=80, deadline=None, suppress_health_check=[FIXTURE_CHECK])
@given(text=st.text())
def test_any_text_as_a_date_parameter_is_a_date_or_an_error(
    text: str, store: OxigraphStore, pristine: frozenset[object]
) -> None:
    try:
        run_query(find_query("units-without-liaison"), store, values={"as_of": text})
    except InputError as exc:
        assert "--param as_of" in str(exc) and "date" in str(exc)
    else:
        assert re.fullmatch(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*", text)
    assert snapshot(store) == pristine


@pytest.mark.remote
def test_every_query_gives_the_same_rows_on_a_sparql_server(
    store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Every query on a real SPARQL server (oxigraph, via RemoteStore) equals the embedded run."""
    from civgraph.loading import ontology_files, rdf_files
    from civgraph.store import RemoteStore
    from tests.oxigraph_server import running_server

    graph = "urn:civgraph:test-queries"
    files = [*ontology_files(), *rdf_files([FIXTURES])]
    with running_server(tmp_path_factory.mktemp("server") / "db", files, graph=graph) as server:
        remote = RemoteStore(server.query, graphs=[graph])
        for query in LIBRARY:
            values = example_values(query, AS_OF)
            there = run_query(query, remote, values=values)
            here = run_query(query, store, values=values)
            assert there.rows, query.name
            assert as_set(there.rows) == as_set(here.rows), query.name


# ---- read-only: every update form is refused

UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?o ?p ?s } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "CLEAR DEFAULT",
    "DROP ALL",
    "DROP GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "MOVE DEFAULT TO <urn:g>",
    "COPY DEFAULT TO <urn:g>",
]


def variants(update: str) -> Iterator[tuple[str, str]]:
    yield "upper", update
    yield "lower", update.lower()
    yield "spaced", "\n\t " + re.sub(r" ", "  \n ", update) + "\n"
    yield "commented", f"# title: 试试\n# SELECT * WHERE {{ ?s ?p ?o }}\n{update} # SELECT\n"
    yield "prefixed", f"PREFIX ex: <http://example.org/>\n{update.lower()} ;\nCLEAR SILENT DEFAULT"
    yield "after-select", f"# title: 试试\nSELECT * WHERE {{ ?s ?p ?o }} ;\n{update}"
    yield "before-select", f"# title: 试试\n{update} ;\nSELECT * WHERE {{ ?s ?p ?o }}"


UPDATE_CASES = [
    (f"{u.split()[0]}-{i}-{kind}", text)
    for i, u in enumerate(UPDATES)
    for kind, text in variants(u)
]


@pytest.mark.parametrize(("case", "text"), UPDATE_CASES, ids=[c for c, _ in UPDATE_CASES])
def test_updates_are_refused(case: str, text: str) -> None:
    with pytest.raises(InputError) as info:
        check_select(text, source="q.rq")
    if not case.endswith(("after-select", "before-select")):
        assert "read-only" in str(info.value)


@pytest.mark.parametrize("update", UPDATES)
def test_update_file_exits_2_without_traceback(update: str, tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "sneaky.rq"
    text = f"# title: 偷偷更新\n# SELECT * WHERE {{ ?s ?p ?o }}\n{update.lower()} # ok\n"
    path.write_text(text, encoding="utf-8")
    code, out, err = cli("query", "run", str(path), str(FIXTURES))
    assert code == 2 and out == ""
    assert "read-only" in err and "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "not a SELECT"),
        ("ASK { ?s ?p ?o }", "not a SELECT"),
        ("DESCRIBE <urn:a>", "not a SELECT"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { ?s ?p ?o ", "not a valid SPARQL query"),
    ],
)
def test_other_forms_are_refused(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_select(text, source="q.rq")


def test_update_words_in_comments_and_strings_are_harmless(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "words.rq"
    path.write_text(
        "# title: 含有更新关键词的查询\n"
        "# DROP ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> }\n"
        'SELECT ?text WHERE { BIND("DROP ALL ; CLEAR DEFAULT" AS ?text) } # DELETE WHERE {}\n',
        encoding="utf-8",
    )
    code, out, err = cli("query", "run", str(path), str(FIXTURES), "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == [{"text": "DROP ALL ; CLEAR DEFAULT"}]


# ---- ad-hoc files, headers, parameters


def test_ad_hoc_query_file_runs_with_its_parameters(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "districts.rq"
    path.write_text(
        "# title: 某日之后到期的投诉\n"
        "# title@en: Complaints due after a day\n"
        "# param: after date - 日期 / the day\n"
        "# param: limit integer 2 最多几行 / at most this many rows\n"
        "PREFIX civ: <https://w3id.org/civgraph/ns#>\n"
        "SELECT ?complaint ?deadline $after $limit WHERE {\n"
        "  ?complaint civ:deadline ?deadline . FILTER(?deadline > $after)\n"
        "} ORDER BY ?deadline\n",
        encoding="utf-8",
    )
    code, out, err = cli(
        "query", "run", str(path), str(FIXTURES), "--param", "after=2024-05-01", "--format", "csv"
    )
    assert (code, err) == (0, "")
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["complaint", "deadline", "after", "limit"]
    assert [r[0].rsplit("/", 1)[1] for r in table[1:]] == [
        "complaint-2024-000001",
        "complaint-2024-000005",
    ]
    assert {r[3] for r in table[1:]} == {"2"}


def test_missing_title_is_an_error_naming_the_file(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "untitled.rq"
    path.write_text("# title@en: only English\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    code, _, err = cli("query", "run", str(path), str(FIXTURES))
    assert code == 2
    assert str(path) in err and "title" in err


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# param: n number 3 x", "unknown type 'number'"),
        ("# param: n integer three x", "not a whole number"),
        ("# param: 1n integer 3 x", "not a SPARQL variable name"),
        ("# param: n integer", "needs 'name type default description'"),
        ("# param: n integer 3 x\n# param: n integer 4 y", "declared twice"),
        ("# param: other integer 3 x", "not in the SELECT list"),
    ],
)
def test_bad_headers_name_the_file(header: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(f"# title: 坏\n{header}\nSELECT $n WHERE {{ }}\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_query(path)
    assert str(path) in str(info.value)


def test_header_ends_at_the_query() -> None:
    header = parse_header(
        "# title: 例\n# description: 一\n# description: 二\n# just a comment: here\n"
        "SELECT * {}\n# param: later integer 1 not read\n",
        source="x.rq",
    )
    assert header.params == ()
    assert header.description == {"zh": "一 二"}


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("units-without-liaison", {"as_of": "30/06/2024"}, "--param as_of: .* is not a date"),
        ("units-without-liaison", {"as_of": "2024-02-30"}, "--param as_of: .* is not a date"),
        ("long-unresolved-complaints", {"as_of": AS_OF, "days": "ninety"}, "days: .* whole number"),
        ("long-unresolved-complaints", {"as_of": AS_OF, "days": "9.5"}, "days: .* whole number"),
        ("unit-posts", {"as_of": AS_OF, "unit": "unit-350203"}, "unit: .* IRI"),
        ("unit-posts", {"as_of": AS_OF, "unit": "nope:x"}, "unit: .* IRI"),
        ("unit-posts", {"as_of": AS_OF, "unit": "http://x y"}, "unit: .* IRI"),
        (
            "units-without-liaison",
            {"as_of": AS_OF, "asof": AS_OF},
            "unknown parameter 'asof'.*as_of",
        ),
        ("units-without-liaison", {}, "parameter as_of is required"),
        ("special-funds", {"year": "2024"}, "unknown parameter 'year'; its parameters: none"),
    ],
)
def test_bad_parameters_name_the_parameter(
    name: str, values: dict[str, str], message: str, store: OxigraphStore
) -> None:
    with pytest.raises(InputError, match=message):
        run_query(find_query(name), store, values=values)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-query"], "unknown query 'no-such-query'; the library has: "),
        (["missing.rq"], "missing.rq: no such query file"),
        (["units-without-liaison", "--param", "as_of"], "is not of the form key=value"),
        (["units-without-liaison", "--param", "as_of=1", "--param", "as_of=2"], "given twice"),
    ],
)
def test_command_line_usage_errors_exit_2(args: list[str], message: str, cli: Cli) -> None:
    code, out, err = cli("query", "run", *args, str(FIXTURES))
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_no_data_is_a_usage_error(cli: Cli) -> None:
    code, _, err = cli("query", "run", "special-funds")
    assert code == 2 and "no data given" in err


# ---- output


def test_json_keeps_numbers_and_booleans(cli: Cli) -> None:
    code, out, _ = cli("query", "run", "special-funds", str(FIXTURES), "--format", "json")
    assert code == 0
    first = json.loads(out)[0]
    assert first["level"] == f"{CIV}City"
    assert (first["fiscal_year"], first["total_amount"]) == (2024, 500000)
    code, out, _ = cli(
        "query",
        "run",
        "city-systems-staff",
        str(FIXTURES),
        "--param",
        f"as_of={AS_OF}",
        "--format",
        "json",
    )
    systems = json.loads(out)
    assert [s["establishment"] for s in systems if s["holder"]] == [True]
    assert sum(1 for s in systems if s["unit"] is None) == 6


def test_zero_rows_exit_0_and_csv_header(cli: Cli) -> None:
    code, out, err = cli(
        "query",
        "run",
        "long-unresolved-complaints",
        str(FIXTURES),
        "--param",
        f"as_of={AS_OF}",
        "--param",
        "days=1000",
        "--format",
        "csv",
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "complaint,description,district,handling_unit,unit_name,main_leader,main_leader_name,"
        "received_on,deadline,days_overdue,as_of,days"
    ]


def test_table_output_and_output_file(tmp_path: Path, cli: Cli) -> None:
    code, out, _ = cli(
        "query", "run", "units-without-liaison", str(FIXTURES), "--param", f"as_of={AS_OF}"
    )
    assert code == 0
    assert "无现任联络员的单位" in out and "湖里区" in out and "xm:unit-350206" in out
    target = tmp_path / "liaison.csv"
    code, out, _ = cli(
        "query",
        "run",
        "units-without-liaison",
        str(FIXTURES),
        "--param",
        f"as_of={AS_OF}",
        "--format",
        "csv",
        "--output",
        str(target),
    )
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("unit,unit_name,unit_class,")


# ---- documentation


def test_docs_list_every_query_as_generated() -> None:
    page = doc_path().read_text(encoding="utf-8")
    generated = page[page.index(BEGIN) + len(BEGIN) : page.index(END)]
    assert generated.strip() == library_markdown(LIBRARY).strip(), (
        "docs/queries.md is out of date: run python -m civgraph.querylib.docs"
    )
    for query in LIBRARY:
        assert f"### `{query.name}` — {query.title('zh')}" in page
        for param in query.params:
            assert f"| `{param.name}` | {param.type} |" in page
