"""Graph → workbook → graph gives the same graph; a filled template gives the expected triples."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from civgraph.namespaces import CIV, FOAF, ORG, ROLE, XM
from civgraph.spreadsheet.api import export_book, import_book, read_book, write_template
from civgraph.spreadsheet.mapping import load_mapping
from civgraph.spreadsheet.vocabulary import Vocabulary
from tests.spreadsheet.books import CITY

DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def merged(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def difference(expected: Graph, actual: Graph) -> str:
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = [f"- {t}" for t in sorted(only_expected)][:10] + [
        f"+ {t}" for t in sorted(only_actual)
    ][:10]
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_small_city_round_trips(tmp_path: Path, lang: str) -> None:
    book = tmp_path / "city.xlsx"
    result = export_book([CITY], out=book, lang=lang)
    assert result.notes == []
    out = tmp_path / "city.ttl"
    import_book(book, out=out)
    expected, actual = merged([CITY]), merged([out])
    assert isomorphic(expected, actual), difference(expected, actual)


@pytest.mark.slow
def test_demo_city_round_trips(tmp_path: Path, demo_dir: Path) -> None:
    files = sorted(demo_dir.glob("*.ttl"))
    assert files, "the demo wrote no Turtle"
    book = tmp_path / "demo.xlsx"
    result = export_book([demo_dir], out=book)
    assert result.notes == []
    out = tmp_path / "demo.ttl"
    import_book(book, out=out)
    expected, actual = merged(files), merged([out])
    assert isomorphic(expected, actual), difference(expected, actual)


def test_export_names_what_no_sheet_holds(tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix xm: <https://w3id.org/civgraph/id/xiamen/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'xm:unit-350203 skos:note "街道较多"@zh .\n'
        "<https://example.org/person-9> a <http://xmlns.com/foaf/0.1/Person> .\n",
        encoding="utf-8",
    )
    result = export_book([CITY, extra], out=tmp_path / "book.xlsx", lang="en")
    assert result.notes == [
        "Persons: https://example.org/person-9 is not of the form "
        "https://w3id.org/civgraph/id/xiamen/person-ID; left out",
        "1 triple(s) with http://www.w3.org/1999/02/22-rdf-syntax-ns#type are in no sheet, e.g. "
        "<https://example.org/person-9> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Person>",
        "1 triple(s) with http://www.w3.org/2004/02/skos/core#note are in no sheet, e.g. "
        "<https://w3id.org/civgraph/id/xiamen/unit-350203> "
        '<http://www.w3.org/2004/02/skos/core#note> "街道较多"@zh',
    ]


def test_exported_workbook_reads_like_a_clerk_would_write_it(tmp_path: Path) -> None:
    book = tmp_path / "city.xlsx"
    export_book([CITY], out=book, lang="zh")
    sheets = load_workbook(book)
    posts = sheets["职务"]
    assert [c.value for c in posts[1]] == [
        "编号",
        "所在单位",
        "角色",
        "任职人员",
        "任职开始日期",
        "任职结束日期",
        "是否在编",
        "抽调自",
    ]
    rows = {r[0]: r for r in posts.iter_rows(min_row=3, values_only=True)}
    assert rows["350203-main-leader-1"] == (
        "350203-main-leader-1",
        "350203",
        "主要负责人",
        "000001",
        dt.datetime(2024, 1, 1),
        dt.datetime(2025, 3, 31),
        "是",
        None,
    )
    assert rows["350200-cjb-staff-1"][6:] == ("否", "sys-transport")
    groups = sheets["工作组与督查组"]
    group_rows = {r[0]: r for r in groups.iter_rows(min_row=3, values_only=True)}
    assert group_rows["wg-01"] == ("wg-01", "hq", "sys-transport", "350203、350203001", None)
    indicators = {r[0]: r for r in sheets["测评指标"].iter_rows(min_row=3, values_only=True)}
    assert indicators == {"I01": ("I01", None, "wg-01"), "I01-01-01": ("I01-01-01", "350203", None)}
    funds = list(sheets["专项经费"].iter_rows(min_row=3, values_only=True))
    assert funds == [("2025-350203", "350203", 2025, 120000, "是")]


def test_filled_template_imports_cleanly(tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    write_template(template, lang="zh")
    book = load_workbook(template)
    book["单位"].append(["350200", "厦门市", "Xiamen", "市", None, None, None, None])
    book["单位"].append(
        [" 350203 ", "思明区", None, "District", "350200", None, None, dt.datetime(2024, 1, 1)]
    )
    book["人员"].append(["000001", " 陈明 "])
    book["职务"].append(
        [
            "350203-main-leader-1",
            "350203",
            "主要负责人",
            "000001",
            "２０２４年１月２日",
            "2025/3/1",
            "Y",
            None,
        ]
    )
    book["专项经费"].append(["2025-350203", "350203", "２０２５", "１２００００.５", "1"])
    book.save(template)

    graph = read_book(template)

    unit, district = XM["unit-350200"], XM["unit-350203"]
    post, person = XM["post-350203-main-leader-1"], XM["person-000001"]
    fund = XM["fund-2025-350203"]
    expected = {
        (unit, RDF.type, CIV.City),
        (unit, RDFS.label, Literal("厦门市", lang="zh")),
        (unit, RDFS.label, Literal("Xiamen", lang="en")),
        (district, RDF.type, CIV.District),
        (district, RDFS.label, Literal("思明区", lang="zh")),
        (district, ORG.subOrganizationOf, unit),
        (district, CIV.establishedOn, Literal(dt.date(2024, 1, 1))),
        (person, RDF.type, FOAF.Person),
        (person, FOAF.name, Literal("陈明", lang="zh")),
        (post, RDF.type, ORG.Post),
        (post, ORG.postIn, district),
        (post, ORG.role, ROLE["main-leader"]),
        (post, ORG.heldBy, person),
        (post, CIV.tenureStart, Literal(dt.date(2024, 1, 2))),
        (post, CIV.tenureEnd, Literal(dt.date(2025, 3, 1))),
        (post, CIV.establishment, Literal(True)),
        (fund, RDF.type, CIV.SpecialFund),
        (fund, CIV.fundOf, district),
        (fund, CIV.fiscalYear, Literal(2025)),
        (fund, CIV.amount, Literal("120000.5", datatype=DECIMAL)),
        (fund, CIV.inAnnualBudget, Literal(True)),
    }
    assert set(graph) == expected


def test_template_layout(tmp_path: Path) -> None:
    mapping = load_mapping()
    path = tmp_path / "template.xlsx"
    write_template(path, lang="en")
    book = load_workbook(path)
    assert book.sheetnames == ["Instructions", *[s.en for s in mapping.sheets], "Code lists"]
    posts = book["Posts"]
    assert posts.freeze_panes == "B3"
    assert [c.value for c in posts[1]][:3] == ["ID", "Unit", "Role"]
    assert [c.value for c in posts[2]][:3] == ["编号", "所在单位", "角色"]
    assert posts.max_row == 2
    assert posts.column_dimensions["B"].width >= 12
    assert posts["E1"].comment is not None and "2025-03-01" in posts["E1"].comment.text
    rules = {str(rule.sqref): rule for rule in posts.data_validations.dataValidation}
    role_rule = rules["C3:C2000"]
    assert role_rule.type == "list"
    assert rules["G3:G2000"].formula1 == '"yes,no"'
    # The role drop-down lists the English labels of role:scheme, read from the ontology.
    sheet_name, cells = role_rule.formula1.lstrip("=").split("!")
    first, last = cells.replace("$", "").split(":")
    codes = book[sheet_name.strip("'")]
    offered = [row[0].value for row in codes[f"{first}:{last}"]]
    vocabulary = Vocabulary.load()
    scheme = URIRef("https://w3id.org/civgraph/code/role/scheme")
    labels = {
        str(label)
        for concept in vocabulary.graph.subjects(SKOS.inScheme, scheme)
        for label in vocabulary.graph.objects(concept, SKOS.prefLabel)
        if isinstance(label, Literal) and label.language == "en"
    }
    assert sorted(offered) == sorted(labels)
    assert len(labels) == 8


def test_instructions_sheet_lists_every_sheet_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, lang="zh")
    instructions = load_workbook(path)["说明"]
    listed = {(r[0], r[1], r[2]) for r in instructions.iter_rows(values_only=True)}
    for sheet in load_mapping().sheets:
        assert (sheet.zh, sheet.en, sheet.csv_name) in listed


def test_csv_folder_imports_like_the_workbook(tmp_path: Path) -> None:
    from tests.spreadsheet.books import headers, write_csv

    folder = write_csv(
        tmp_path / "csv",
        {
            "units.csv": [
                headers("units", "en"),
                headers("units", "zh"),
                ["350200", "厦门市", "Xiamen", "City", None, None, None, None],
            ],
            "special-funds.csv": [
                headers("funds", "en"),
                ["2025-350200", "350200", "2025", "120000.50", "否"],
            ],
        },
    )
    graph = read_book(folder)
    fund = XM["fund-2025-350200"]
    # A number is written in the canonical xsd:decimal form, whatever the cell's digits.
    assert (fund, CIV.amount, Literal("120000.5", datatype=DECIMAL)) in graph
    assert (fund, CIV.inAnnualBudget, Literal(False)) in graph
    assert len(graph) == 8  # 3 about the city, 5 about the fund


_NAME = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=10, deadline=None)
@given(names=st.lists(_NAME, min_size=1, max_size=4))
def test_any_text_survives_a_round_trip(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        data = Graph()
        for number, name in enumerate(names, start=1):
            person = XM[f"person-{number:06d}"]
            data.add((person, RDF.type, FOAF.Person))
            data.add((person, FOAF.name, Literal(name, lang="zh")))
        source = tmp / "people.ttl"
        data.serialize(source, format="turtle")
        result = export_book([source], out=tmp / "people.xlsx")
        assert result.notes == []
        assert isomorphic(read_book(tmp / "people.xlsx"), data)
