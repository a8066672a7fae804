"""The derivation rules (rules/*.rq) and the evaluation context they read."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from civgraph.context import context_triples, quarter_iri, year_iri
from civgraph.errors import InputError
from civgraph.namespaces import CIV, DERIVED_GRAPH, sparql_prefixes
from civgraph.rules import HEADER_FIELDS, apply_rules, load_rules
from civgraph.settings import Settings
from civgraph.store import OxigraphStore

FX = "https://example.org/fx/"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
PREFIXES = """
@prefix fx:   <https://example.org/fx/> .
@prefix civ:  <https://w3id.org/civgraph/ns#> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix role: <https://w3id.org/civgraph/code/role/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""


def fx(name: str) -> URIRef:
    return URIRef(FX + name)


def derive(turtle: str, *, as_of: date, settings: Settings | None = None) -> OxigraphStore:
    """A store with ``turtle`` (no ontology), the context as of ``as_of`` and the rules' output."""
    store = OxigraphStore()
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    store.add(graph)
    context = context_triples(as_of=as_of, settings=settings or Settings.defaults())
    store.add(context, graph=DERIVED_GRAPH)
    apply_rules(store)
    return store


def objects(store: OxigraphStore, subject: URIRef, prop: URIRef) -> set[str]:
    rows = store.select(f"SELECT ?o WHERE {{ <{subject}> <{prop}> ?o }}")
    return {str(row["o"]) for row in rows}


# --- the rule files --------------------------------------------------------------------------


def test_every_rule_file_has_the_header_and_a_unique_id() -> None:
    rules = load_rules()
    assert len(rules) >= 20
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        header = []
        for line in rule.query.splitlines():
            if not line.startswith("#"):
                break
            key = line[1:].split(":", 1)[0].strip()
            if key in HEADER_FIELDS:
                header.append(key)
        assert header == list(HEADER_FIELDS), f"{rule.path.name}: header {header}"
        assert all((rule.id, rule.purpose, rule.inputs, rule.outputs))
        assert rule.path.name[:3].isdigit(), f"{rule.path.name} has no order prefix"


def test_rules_are_standard_sparql_constructs() -> None:
    """Each rule parses with rdflib's SPARQL 1.1 parser too (no engine-specific syntax)."""
    for rule in load_rules():
        parsed = prepareQuery(rule.query)
        assert parsed.algebra.name == "ConstructQuery", rule.path.name
        assert "NOW()" not in rule.query.upper(), f"{rule.path.name} reads the wall clock"


def test_rules_run_on_an_empty_store() -> None:
    store = OxigraphStore()
    added = apply_rules(store)
    assert set(added) == {r.id for r in load_rules()}
    assert all(count == 0 for count in added.values())


def test_a_rule_without_a_header_field_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "010-ok.rq").write_text(
        "# id: ok\n# purpose: p\n# inputs: i\n# outputs: o\n"
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n",
        encoding="utf-8",
    )
    broken = tmp_path / "020-broken.rq"
    broken.write_text("# id: broken\n# purpose: p\n# outputs: o\nCONSTRUCT {} WHERE {}\n")
    with pytest.raises(InputError, match=r"020-broken\.rq.*inputs"):
        load_rules(tmp_path)


def test_rules_are_loaded_in_file_name_order(tmp_path: Path) -> None:
    for name in ("020-b.rq", "010-a.rq"):
        rid = name[4:-3]
        (tmp_path / name).write_text(
            f"# id: {rid}\n# purpose: p\n# inputs: i\n# outputs: o\n"
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n",
            encoding="utf-8",
        )
    assert [r.id for r in load_rules(tmp_path)] == ["a", "b"]


def test_rules_never_touch_the_asserted_data() -> None:
    store = derive(
        """
        fx:unit-d1 a civ:District .
        fx:post-1 org:postIn fx:unit-d1 ; org:role role:main-leader ; org:heldBy fx:person-1 ;
            civ:tenureStart "2020-01-01"^^xsd:date .
        """,
        as_of=date(2024, 7, 1),
    )
    default_graph = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(default_graph[0]["n"]) > 0  # everything the rules made is in the derived graph
    asserted = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
    )
    assert int(asserted[0]["n"]) == 5


# --- the evaluation context ------------------------------------------------------------------


def test_context_dates_follow_the_settings() -> None:
    triples = context_triples(
        as_of=date(2024, 7, 1),
        settings=Settings.defaults().with_overrides(
            ["long_unresolved_days=10", "assessment_grace_days=31", "circulation_grace_days=1"]
        ),
    )
    graph = Graph()
    for triple in triples:
        graph.add(triple)

    def value(prop: URIRef) -> object:
        found = graph.value(CIV.context, prop)
        assert isinstance(found, Literal)
        return found.toPython()

    assert value(CIV.asOf) == date(2024, 7, 1)
    assert value(CIV.currentYear) == 2024
    assert value(CIV.currentYearStart) == date(2024, 1, 1)
    assert value(CIV.longUnresolvedCutoff) == date(2024, 6, 21)
    assert value(CIV.assessmentGraceCutoff) == date(2024, 2, 1)
    assert value(CIV.circulationCutoff) == date(2024, 6, 30)
    assert graph.value(CIV.context, CIV.asOf).datatype == XSD_DATE  # type: ignore[union-attr]


def test_calendar_covers_ten_years_up_to_the_as_of_year() -> None:
    graph = Graph()
    for triple in context_triples(as_of=date(2024, 2, 29), settings=Settings.defaults()):
        graph.add(triple)
    years = sorted(int(y) for y in graph.objects(None, CIV.year))
    assert min(years) == 2015 and max(years) == 2024
    assert len(set(graph.subjects(CIV.quarterNumber, None))) == 40
    q1 = quarter_iri(2024, 1)
    assert graph.value(q1, CIV.periodStart) == Literal("2024-01-01", datatype=XSD_DATE)
    assert graph.value(q1, CIV.periodEnd) == Literal("2024-03-31", datatype=XSD_DATE)
    assert graph.value(quarter_iri(2023, 4), CIV.periodEnd) == Literal(
        "2023-12-31", datatype=XSD_DATE
    )
    assert graph.value(year_iri(2020), CIV.periodEnd) == Literal("2020-12-31", datatype=XSD_DATE)
    assert (quarter_iri(2014, 4), CIV.year, None) not in graph


# --- derived facts ---------------------------------------------------------------------------


def test_a_person_who_left_is_no_longer_the_current_holder() -> None:
    store = derive(
        """
        fx:unit-d1 a civ:District .
        fx:post-old org:postIn fx:unit-d1 ; org:role role:main-leader ; org:heldBy fx:person-old ;
            civ:tenureStart "2019-01-01"^^xsd:date ; civ:tenureEnd "2024-06-30"^^xsd:date .
        fx:post-new org:postIn fx:unit-d1 ; org:role role:main-leader ; org:heldBy fx:person-new ;
            civ:tenureStart "2024-07-01"^^xsd:date .
        fx:post-next org:postIn fx:unit-d1 ; org:role role:liaison ; org:heldBy fx:person-next ;
            civ:tenureStart "2024-07-02"^^xsd:date .
        """,
        as_of=date(2024, 7, 1),
    )
    assert objects(store, fx("unit-d1"), CIV.mainLeader) == {FX + "person-new"}
    assert objects(store, fx("post-old"), CIV.currentHolder) == set()
    assert objects(store, fx("unit-d1"), CIV.currentPost) == {FX + "post-new"}
    assert objects(store, fx("unit-d1"), CIV.currentLiaison) == set()


def test_the_commander_is_the_main_leader_of_the_headquarters() -> None:
    store = derive(
        """
        fx:unit-hq a civ:CommandHeadquarters .
        fx:post-c org:postIn fx:unit-hq ; org:role role:commander ; org:heldBy fx:person-c .
        fx:post-m org:postIn fx:unit-hq ; org:role role:main-leader ; org:heldBy fx:person-m .
        """,
        as_of=date(2024, 7, 1),
    )
    assert objects(store, fx("unit-hq"), CIV.mainLeader) == {FX + "person-c"}


def test_ended_quarters_are_due_from_the_quarter_of_establishment() -> None:
    store = derive(
        'fx:unit-hq a civ:CommandHeadquarters ; civ:establishedOn "2023-08-20"^^xsd:date .',
        as_of=date(2024, 4, 1),
    )
    due = objects(store, fx("unit-hq"), CIV.dueQuarter)
    assert due == {str(quarter_iri(2023, 3)), str(quarter_iri(2023, 4)), str(quarter_iri(2024, 1))}


def test_a_quarter_ending_on_the_day_before_as_of_is_due_but_the_running_one_is_not() -> None:
    turtle = 'fx:unit-wg a civ:WorkGroup ; civ:establishedOn "2024-01-01"^^xsd:date .'
    on_last_day = derive(turtle, as_of=date(2024, 3, 31))
    day_after = derive(turtle, as_of=date(2024, 4, 1))
    assert objects(on_last_day, fx("unit-wg"), CIV.dueQuarter) == set()
    assert objects(day_after, fx("unit-wg"), CIV.dueQuarter) == {str(quarter_iri(2024, 1))}


@settings(max_examples=25, deadline=None)
@given(
    as_of=st.dates(min_value=date(2016, 1, 1), max_value=date(2030, 12, 31)),
    age=st.integers(min_value=0, max_value=3000),
)
def test_due_quarters_are_exactly_the_ended_ones_since_establishment(as_of: date, age: int) -> None:
    established = as_of - timedelta(days=age)
    store = derive(
        f'fx:unit-hq a civ:CommandHeadquarters ; civ:establishedOn "{established}"^^xsd:date .',
        as_of=as_of,
    )
    got = objects(store, fx("unit-hq"), CIV.dueQuarter)
    want = set()
    for year in range(as_of.year - 9, as_of.year + 1):
        for number in range(1, 5):
            end = (date(year, 3 * number, 1) + timedelta(days=31)).replace(day=1) - timedelta(
                days=1
            )
            if established <= end < as_of:
                want.add(str(quarter_iri(year, number)))
    assert got == want


def test_complaints_overdue_long_unresolved_and_not_yet_due() -> None:
    store = derive(
        """
        fx:c-due-today a civ:PublicComplaint ; civ:deadline "2024-07-01"^^xsd:date .
        fx:c-overdue a civ:PublicComplaint ; civ:deadline "2024-06-30"^^xsd:date .
        fx:c-at-cutoff a civ:PublicComplaint ; civ:deadline "2024-04-02"^^xsd:date .
        fx:c-long a civ:PublicComplaint ; civ:deadline "2024-04-01"^^xsd:date .
        fx:c-resolved-late a civ:PublicComplaint ; civ:deadline "2024-05-01"^^xsd:date ;
            civ:resolvedOn "2024-06-01"^^xsd:date .
        fx:c-resolved-later a civ:PublicComplaint ; civ:deadline "2024-05-01"^^xsd:date ;
            civ:resolvedOn "2024-07-02"^^xsd:date .
        fx:p-late a civ:Problem ; civ:deadline "2024-05-01"^^xsd:date ;
            civ:rectifiedOn "2024-05-02"^^xsd:date .
        fx:p-on-time a civ:Problem ; civ:deadline "2024-05-01"^^xsd:date ;
            civ:rectifiedOn "2024-05-01"^^xsd:date .
        fx:m-no-record a civ:MediaExposure ; civ:deadline "2024-05-01"^^xsd:date ;
            civ:rectifiedOn "2024-04-20"^^xsd:date .
        """,
        as_of=date(2024, 7, 1),
    )
    rows = store.select(
        sparql_prefixes()
        + "SELECT ?item ?marker WHERE { VALUES ?marker { civ:pastDeadline civ:longUnresolved }"
        " ?item ?marker true }"
    )
    marks = {(str(r["item"])[len(FX) :], str(r["marker"]).rsplit("#", 1)[1]) for r in rows}
    assert marks == {
        ("c-overdue", "pastDeadline"),
        ("c-at-cutoff", "pastDeadline"),
        ("c-long", "longUnresolved"),
        ("c-resolved-later", "pastDeadline"),
        ("p-late", "pastDeadline"),
        ("m-no-record", "pastDeadline"),
    }


def test_long_unresolved_threshold_is_a_setting() -> None:
    turtle = 'fx:c a civ:PublicComplaint ; civ:deadline "2024-06-20"^^xsd:date .'
    default = derive(turtle, as_of=date(2024, 7, 1))
    short = derive(
        turtle,
        as_of=date(2024, 7, 1),
        settings=Settings.defaults().with_overrides(["long_unresolved_days=5"]),
    )
    assert objects(default, fx("c"), CIV.longUnresolved) == set()
    assert objects(short, fx("c"), CIV.longUnresolved) == {"true"}


def test_linked_leader_must_hold_a_leading_post_one_level_up() -> None:
    store = derive(
        """
        fx:unit-city a civ:City .
        fx:unit-body a civ:LeadershipBody ; org:subOrganizationOf fx:unit-city .
        fx:unit-d1 a civ:District ; org:subOrganizationOf fx:unit-city .
        fx:unit-sd1 a civ:SubDistrict ; org:subOrganizationOf fx:unit-d1 .
        fx:post-deputy org:postIn fx:unit-body ; org:role role:deputy-leader ;
            org:heldBy fx:deputy .
        fx:post-d1 org:postIn fx:unit-d1 ; org:role role:main-leader ; org:heldBy fx:d1-head .
        fx:link-1 a civ:LeaderLinkage ; civ:linkedLeader fx:deputy ; civ:linkedUnit fx:unit-d1 .
        fx:link-2 a civ:LeaderLinkage ; civ:linkedLeader fx:d1-head ; civ:linkedUnit fx:unit-sd1 ;
            civ:validUntil "2024-06-30"^^xsd:date .
        fx:link-3 a civ:LeaderLinkage ; civ:linkedLeader fx:d1-head ; civ:linkedUnit fx:unit-d1 .
        """,
        as_of=date(2024, 7, 1),
    )
    assert objects(store, fx("unit-d1"), CIV.linkedLeader) == {FX + "deputy"}
    assert objects(store, fx("unit-sd1"), CIV.linkedLeader) == set()


def test_territory_and_its_offices_else_the_citys() -> None:
    store = derive(
        """
        fx:unit-city a civ:City .
        fx:unit-city-di a civ:DisciplineInspection ; org:subOrganizationOf fx:unit-city .
        fx:unit-d1 a civ:District ; org:subOrganizationOf fx:unit-city .
        fx:unit-d1-di a civ:DisciplineInspection ; org:subOrganizationOf fx:unit-d1 .
        fx:unit-d1-dept a civ:Department ; org:subOrganizationOf fx:unit-d1 .
        fx:unit-d2 a civ:District ; org:subOrganizationOf fx:unit-city .
        fx:unit-d2-sd a civ:SubDistrict ; org:subOrganizationOf fx:unit-d2 .
        """,
        as_of=date(2024, 7, 1),
    )
    assert objects(store, fx("unit-d1-dept"), CIV.territory) == {FX + "unit-d1"}
    assert objects(store, fx("unit-d1"), CIV.territory) == {FX + "unit-d1"}
    assert objects(store, fx("unit-d1-dept"), CIV.disciplineInspection) == {FX + "unit-d1-di"}
    assert objects(store, fx("unit-d2-sd"), CIV.disciplineInspection) == {FX + "unit-city-di"}


def test_latest_assessment_ignores_those_after_as_of() -> None:
    store = derive(
        """
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        fx:area a civ:Indicator .
        fx:leaf a civ:Indicator ; skos:broader fx:area .
        fx:group civ:ownsArea fx:area .
        fx:a1 a civ:IndicatorAssessment ; civ:assessedIndicator fx:leaf ;
            civ:assessedOn "2023-05-01"^^xsd:date .
        fx:a2 a civ:IndicatorAssessment ; civ:assessedIndicator fx:leaf ;
            civ:assessedOn "2023-09-01"^^xsd:date .
        fx:a3 a civ:IndicatorAssessment ; civ:assessedIndicator fx:leaf ;
            civ:assessedOn "2024-09-01"^^xsd:date .
        """,
        as_of=date(2024, 7, 1),
    )
    assert objects(store, fx("leaf"), CIV.latestAssessment) == {FX + "a2"}
    assert objects(store, fx("area"), CIV.latestAssessment) == set()
    assert objects(store, fx("leaf"), CIV.owningWorkGroup) == {FX + "group"}
    assert objects(store, fx("leaf"), CIV.assessmentMissingYear) == {str(year_iri(2024))}
    before_grace = derive(
        "fx:leaf a civ:Indicator . fx:group civ:ownsArea fx:leaf .", as_of=date(2024, 3, 30)
    )
    assert objects(before_grace, fx("leaf"), CIV.assessmentMissingYear) == set()


def test_a_work_group_without_its_own_date_is_judged_from_its_headquarters() -> None:
    store = derive(
        """
        fx:unit-hq a civ:CommandHeadquarters ; civ:establishedOn "2024-02-01"^^xsd:date .
        fx:unit-wg a civ:WorkGroup ; civ:workGroupOf fx:unit-hq .
        """,
        as_of=date(2024, 10, 1),
    )
    assert objects(store, fx("unit-wg"), CIV.dueQuarter) == {
        str(quarter_iri(2024, 1)),
        str(quarter_iri(2024, 2)),
        str(quarter_iri(2024, 3)),
    }


class _PlainStore:
    """A store seen only through the protocol (like a remote endpoint): the generic path."""

    def __init__(self) -> None:
        self.inner = OxigraphStore()

    def construct(self, query: str) -> list[tuple[object, object, object]]:
        return self.inner.construct(query)  # type: ignore[return-value]

    def add(self, triples: object, *, graph: str | None = None) -> int:
        return self.inner.add(triples, graph=graph)  # type: ignore[arg-type]

    def derive(self, construct_query: str, *, graph: str) -> int:
        triples = list(dict.fromkeys(self.construct(construct_query)))
        return self.add(triples, graph=graph)


def test_any_store_gets_the_same_derived_facts_as_the_embedded_one() -> None:
    turtle = """
        fx:unit-city a civ:City .
        fx:unit-hq a civ:CommandHeadquarters ; org:subOrganizationOf fx:unit-city ;
            civ:establishedOn "2023-05-01"^^xsd:date .
        fx:post-c org:postIn fx:unit-hq ; org:role role:commander ; org:heldBy fx:person-c .
        fx:c a civ:PublicComplaint ; civ:deadline "2024-01-20"^^xsd:date .
    """
    embedded = derive(turtle, as_of=date(2024, 7, 1))
    plain = _PlainStore()
    plain.inner.add(Graph().parse(data=PREFIXES + turtle, format="turtle"))
    plain.inner.add(
        context_triples(as_of=date(2024, 7, 1), settings=Settings.defaults()), graph=DERIVED_GRAPH
    )
    counts = apply_rules(plain)  # type: ignore[arg-type]
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }}"
    assert {tuple(r.values()) for r in plain.inner.select(query)} == {
        tuple(r.values()) for r in embedded.select(query)
    }
    assert counts["due-quarters"] == 5 and counts["deadlines"] == 1


@settings(max_examples=40, deadline=None)
@given(
    as_of=st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)),
    deadline_offset=st.integers(min_value=-200, max_value=30),
    resolved_offset=st.one_of(st.none(), st.integers(min_value=-250, max_value=60)),
)
def test_a_complaint_is_marked_once_and_exactly_when_open_past_its_deadline(
    as_of: date, deadline_offset: int, resolved_offset: int | None
) -> None:
    deadline = as_of + timedelta(days=deadline_offset)
    resolved = (
        ""
        if resolved_offset is None
        else (f'; civ:resolvedOn "{deadline + timedelta(days=resolved_offset)}"^^xsd:date')
    )
    store = derive(
        f'fx:c a civ:PublicComplaint ; civ:deadline "{deadline}"^^xsd:date {resolved} .',
        as_of=as_of,
    )
    is_open = resolved_offset is None or deadline + timedelta(days=resolved_offset) > as_of
    cutoff = as_of - timedelta(days=Settings.defaults().long_unresolved_days)
    past = objects(store, fx("c"), CIV.pastDeadline)
    long = objects(store, fx("c"), CIV.longUnresolved)
    assert not (past and long)
    assert bool(long) == (is_open and deadline < cutoff)
    assert bool(past) == (is_open and cutoff <= deadline < as_of)
