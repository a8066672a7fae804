"""The demo city: it loads, it has Xiamen's shape, its manifest is complete, it is deterministic."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from civgraph.cli import main
from civgraph.demo import ensure_demo, generate
from civgraph.demo.turtle import TurtleFile, text
from civgraph.namespaces import sparql_prefixes

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = REPO.parent / "shared" / "spec" / "obligations.md"
AS_OF = "2025-12-31"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def store(demo: Path) -> ox.Store:
    graph = ox.Store()
    for path in sorted(demo.glob("*.ttl")):
        graph.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return graph


def _select(store: ox.Store, query: str) -> list[list[str]]:
    rows = store.query(sparql_prefixes() + query)
    assert isinstance(rows, ox.QuerySolutions)
    return [[term.value for term in row] for row in rows]


def _catalogue_codes() -> list[str]:
    if CATALOGUE.is_file():
        found = re.findall(r"^\| (CIV-\d+\.\d+)", CATALOGUE.read_text(encoding="utf-8"), re.M)
    else:
        graph = rdflib.Graph()
        for path in (REPO / "ontology").glob("*.ttl"):
            graph.parse(path, format="turtle")
        found = [
            str(n) for n in graph.objects(None, rdflib.SKOS.notation) if str(n).startswith("CIV-")
        ]
    return sorted(set(found))


def _manifest(folder: Path) -> list[dict[str, object]]:
    data = json.loads((folder / "expected-violations.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_every_file_of_the_demo_folder_is_written(demo: Path) -> None:
    names = {p.name for p in demo.iterdir()}
    assert names == {
        "units.ttl",
        "people-posts.ttl",
        "plans-letters.ttl",
        "funds-sites.ttl",
        "meetings.ttl",
        "indicators.ttl",
        "linkage.ttl",
        "zones.ttl",
        "complaints.ttl",
        "accountability.ttl",
        "supervision.ttl",
        "expected-violations.json",
        "README.md",
    }
    assert AS_OF in (demo / "README.md").read_text(encoding="utf-8")


def test_rdflib_and_pyoxigraph_read_the_same_triples(demo: Path, store: ox.Store) -> None:
    graph = rdflib.Graph()
    for path in sorted(demo.glob("*.ttl")):
        graph.parse(path, format="turtle")
    assert len(graph) == len(store) > 20_000
    assert not any(isinstance(term, rdflib.BNode) for triple in graph for term in triple)


def test_the_six_real_districts(store: ox.Store) -> None:
    rows = _select(
        store,
        "SELECT ?name WHERE { ?d a civ:District ; rdfs:label ?name FILTER(lang(?name) = 'zh') }",
    )
    assert sorted(r[0] for r in rows) == sorted(
        ["思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"]
    )
    codes = _select(
        store,
        "SELECT ?d WHERE { xm:unit-350203 a civ:District ; rdfs:label '思明区'@zh BIND(1 AS ?d) }",
    )
    assert codes == [["1"]]


def test_sub_districts_towns_communities_and_villages(store: ox.Store) -> None:
    streets = _select(
        store,
        "SELECT (COUNT(?u) AS ?n) WHERE { { ?u a civ:SubDistrict } UNION "
        "{ ?u a civ:Town } ?u org:subOrganizationOf/a civ:District }",
    )
    assert int(streets[0][0]) >= 38
    gulangyu = _select(
        store,
        "SELECT ?u WHERE { ?u a civ:SubDistrict ; "
        "rdfs:label '鼓浪屿街道'@zh ; org:subOrganizationOf xm:unit-350203 }",
    )
    assert len(gulangyu) == 1
    local = _select(
        store,
        "SELECT (COUNT(?u) AS ?n) WHERE { { ?u a civ:Community } UNION { ?u a civ:Village } }",
    )
    assert int(local[0][0]) >= 300


def test_the_eight_city_level_systems(store: ox.Store) -> None:
    rows = _select(
        store,
        "SELECT ?name ?code WHERE { ?s a civ:CitySystem ; civ:systemCode ?code ;"
        " rdfs:label ?name FILTER(lang(?name) = 'zh') }",
    )
    assert sorted(r[0] for r in rows) == sorted(
        [
            "市直机关党工委",
            "市交通委",
            "市发改委",
            "市经发局",
            "市建设局",
            "市国资委",
            "市教育局",
            "市政法委",
        ]
    )
    assert len({r[1] for r in rows}) == 8


def test_at_least_a_thousand_complaints_over_two_years(store: ox.Store) -> None:
    rows = _select(
        store,
        "SELECT (COUNT(?c) AS ?n) (MIN(?r) AS ?first) (MAX(?r) AS ?last) "
        "WHERE { ?c a civ:PublicComplaint ; civ:receivedOn ?r }",
    )
    count, first, last = rows[0]
    assert int(count) >= 1000
    assert first.startswith("2024-01") and last.startswith("2025-12")


def test_hq_commander_is_the_city_party_secretary(store: ox.Store) -> None:
    rows = _select(
        store,
        """SELECT DISTINCT ?p WHERE {
        ?c org:postIn xm:unit-hq ; org:role role:commander ; org:heldBy ?p .
        ?m org:postIn xm:unit-350200 ; org:role role:main-leader ; org:heldBy ?p .
        ?b org:postIn xm:unit-350200-pc ; org:role role:main-leader ; org:heldBy ?p . }""",
    )
    assert len(rows) == 1


def test_manifest_plants_every_catalogue_code(demo: Path) -> None:
    codes = _catalogue_codes()
    assert len(codes) == 25
    counts = Counter(str(entry["code"]) for entry in _manifest(demo))
    assert set(counts) == set(codes)
    for code in codes:
        assert counts[code] >= 2, code


def test_manifest_entries_are_well_formed(demo: Path) -> None:
    for entry in _manifest(demo):
        assert set(entry) == {"code", "focus", "accountable", "as_of", "severity", "note"}
        assert entry["as_of"] == AS_OF
        accountable = entry["accountable"]
        assert isinstance(accountable, list) and accountable == sorted(accountable)
        assert accountable, entry
        warning = entry["code"] == "CIV-3.4" or (
            entry["code"] == "CIV-2.3" and "no journalist" in str(entry["note"])
        )
        assert entry["severity"] == ("Warning" if warning else "Violation"), entry


def test_every_manifest_iri_is_in_the_data(demo: Path, store: ox.Store) -> None:
    for entry in _manifest(demo):
        accountable = entry["accountable"]
        assert isinstance(accountable, list)
        for iri in [str(entry["focus"]), *accountable]:
            node = ox.NamedNode(iri)
            assert any(True for _ in store.quads_for_pattern(node, None, None)) or any(
                True for _ in store.quads_for_pattern(None, None, node)
            ), iri
        for person in accountable:
            assert next(
                iter(
                    store.quads_for_pattern(
                        ox.NamedNode(person), ox.NamedNode("http://xmlns.com/foaf/0.1/name"), None
                    )
                )
            )


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_files(demo: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again")
    assert _digest(tmp_path / "again") == _digest(demo)
    generate(tmp_path / "other", seed=7)
    other = _digest(tmp_path / "other")
    assert other["people-posts.ttl"] != _digest(demo)["people-posts.ttl"]


def test_scaled_city_is_near_its_target_and_plants_every_code(tmp_path: Path) -> None:
    target = 60_000
    summary = generate(tmp_path, scale=target)
    graph = ox.Store()
    for path in sorted(tmp_path.glob("*.ttl")):
        graph.load(path=str(path), format=ox.RdfFormat.TURTLE)
    assert len(graph) == summary.triples
    assert 0.8 * target <= len(graph) <= 1.2 * target
    counts = Counter(str(entry["code"]) for entry in _manifest(tmp_path))
    assert set(counts) == set(_catalogue_codes())


def test_demo_command_prints_one_line_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "triples" in out[0] and "planted violations" in out[0]


@pytest.mark.parametrize(
    "args",
    [
        ["--scale", "0"],
        ["--scale", "-3"],
        ["--scale", "many"],
        ["--seed", "x"],
    ],
)
def test_demo_command_rejects_bad_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert main(["demo", str(tmp_path / "out"), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("civgraph: error:")
    assert not (tmp_path / "out").exists()


def test_demo_command_without_a_folder_says_so_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "DIR" in err[0]


def test_demo_command_rejects_a_file_or_unwritable_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "taken.ttl"
    file.write_text("", encoding="utf-8")
    for target in (file, file / "below"):
        assert main(["demo", str(target)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and str(file) in err[0]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_literals_are_escaped_so_they_read_back_unchanged(
    tmp_path_factory: pytest.TempPathFactory, value: str
) -> None:
    path = tmp_path_factory.mktemp("lit") / "one.ttl"
    with TurtleFile(path) as out:
        out.block("xm:unit-1", [("rdfs:label", text(value))])
    graph = ox.Store()
    graph.load(path=str(path), format=ox.RdfFormat.TURTLE)
    (quad,) = list(graph)
    assert isinstance(quad.object, ox.Literal) and quad.object.value == value


def test_ensure_demo_without_a_folder_reuses_one_generated_folder() -> None:
    first = ensure_demo()
    assert (first / "expected-violations.json").is_file()
    assert ensure_demo() == first
