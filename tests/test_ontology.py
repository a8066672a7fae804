"""The knowledge model in ``ontology/``: it parses, it is labelled, it is consistent (HermiT),
it matches the contract in docs/design.md, and its source clauses are verbatim."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import owlready2
import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from civgraph import __version__
from civgraph.model_diagram import embedded_diagram, load_model, mermaid_diagram
from civgraph.namespaces import CIV, CIVSYS, IND, INDLEVEL, PREFIXES, SRC

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY = REPO / "ontology"
DESIGN = REPO / "docs" / "design.md"
MODEL_PAGE = REPO / "docs" / "model.md"
SEED = REPO.parent / "shared" / "seed" / "000_2eaa47f7f7c0310f.txt"
REASONED_FILES = ("civgraph.ttl", "codelists.ttl", "indicators.ttl")
LANGUAGES = ("zh", "en")
DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)
#: The datatypes of the OWL 2 datatype map that the ontology may use as ranges, plus xsd:date,
#: which the contract needs but OWL 2 does not define (HermiT is told to ignore it, see below).
ALLOWED_RANGES = {
    URIRef(f"http://www.w3.org/2001/XMLSchema#{name}")
    for name in ("boolean", "integer", "decimal", "string", "date")
}


def _parse(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(ONTOLOGY / name, format="turtle")
    return graph


def _ttl(text: str) -> Graph:
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    return Graph().parse(data=prefixes + text, format="turtle")


def label_problems(
    graph: Graph, subjects: Iterable[URIRef], *, label: URIRef, definition: URIRef
) -> list[str]:
    """One line per subject that lacks exactly one ``label`` and one ``definition`` in each of
    ``zh`` and ``en`` (any other language tag, or an untagged value, is a problem too)."""
    problems: list[str] = []
    for subject in sorted(subjects):
        for predicate in (label, definition):
            values = list(graph.objects(subject, predicate))
            for lang in LANGUAGES:
                count = sum(1 for v in values if isinstance(v, Literal) and v.language == lang)
                if count != 1:
                    problems.append(f"{subject} has {count} {predicate} @{lang}")
            stray = [v for v in values if not (isinstance(v, Literal) and v.language in LANGUAGES)]
            problems.extend(f"{subject} has {predicate} {v!r} not tagged zh or en" for v in stray)
    return problems


def civ_terms(graph: Graph) -> set[URIRef]:
    """Every ``civ:`` term the graph declares (class, property or named individual)."""
    return {
        s
        for t in DECLARATION_TYPES
        for s in graph.subjects(RDF.type, t)
        if isinstance(s, URIRef) and s.startswith(str(CIV))
    }


def concepts(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(ONTOLOGY.glob("*.ttl")), ids=lambda p: p.name)
def test_every_ontology_file_parses_with_rdflib_and_pyoxigraph(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(graph) > 0
    assert len(store) == len(graph)


def test_the_four_ontology_files_exist() -> None:
    names = {p.name for p in ONTOLOGY.glob("*.ttl")}
    assert {"civgraph.ttl", "codelists.ttl", "indicators.ttl", "source.ttl"} <= names


# --- labels and definitions ------------------------------------------------------------------


def test_every_civ_term_has_one_label_and_definition_per_language() -> None:
    graph = _parse("civgraph.ttl")
    terms = civ_terms(graph)
    assert len(terms) > 100
    assert label_problems(graph, terms, label=RDFS.label, definition=SKOS.definition) == []


def test_every_concept_and_scheme_has_one_label_and_definition_per_language() -> None:
    graph = _parse("codelists.ttl", "indicators.ttl")
    schemes = {s for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)}
    subjects = concepts(graph) | schemes
    assert len(subjects) > 100
    assert label_problems(graph, subjects, label=SKOS.prefLabel, definition=SKOS.definition) == []


def test_label_check_reports_missing_duplicate_and_mistagged_values() -> None:
    broken = _ttl(
        """
        civ:Fine a owl:Class ; rdfs:label "好"@zh , "Fine"@en ;
            skos:definition "好。"@zh , "Fine."@en .
        civ:NoEnglish a owl:Class ; rdfs:label "无英文"@zh ;
            skos:definition "无英文。"@zh , "No English."@en .
        civ:TwoChinese a owl:Class ; rdfs:label "甲"@zh , "乙"@zh , "Two"@en ;
            skos:definition "两个。"@zh , "Two."@en .
        civ:Hans a owl:Class ; rdfs:label "简体"@zh-Hans , "Hans"@en ;
            skos:definition "简体。"@zh , "Hans."@en , "untagged" .
        """
    )
    problems = label_problems(
        broken, civ_terms(broken), label=RDFS.label, definition=SKOS.definition
    )
    assert not any("Fine" in p for p in problems)
    assert f"{CIV.NoEnglish} has 0 {RDFS.label} @en" in problems
    assert f"{CIV.TwoChinese} has 2 {RDFS.label} @zh" in problems
    assert f"{CIV.Hans} has 0 {RDFS.label} @zh" in problems
    assert any(p.startswith(f"{CIV.Hans} has {RDFS.label}") and "zh-Hans" in p for p in problems)
    assert any(
        p.startswith(f"{CIV.Hans} has {SKOS.definition}") and "untagged" in p for p in problems
    )


# --- the contract: design.md -----------------------------------------------------------------


def test_every_civ_name_in_design_md_is_declared() -> None:
    graph = _parse("civgraph.ttl")
    declared = {str(t).removeprefix(str(CIV)) for t in civ_terms(graph)}
    named = set(re.findall(r"\bciv:([A-Za-z][A-Za-z0-9]*)", DESIGN.read_text(encoding="utf-8")))
    assert named, "docs/design.md names no civ: terms"
    assert sorted(named - declared) == []


def test_every_civ_term_used_anywhere_in_ontology_is_declared() -> None:
    declared = civ_terms(_parse("civgraph.ttl"))
    used = {
        node
        for name in ("codelists.ttl", "indicators.ttl", "source.ttl")
        for triple in _parse(name)
        for node in triple
        if isinstance(node, URIRef) and node.startswith(str(CIV))
    }
    assert sorted(used - declared) == []


def _design_code_lists() -> dict[str, set[str]]:
    """``prefix -> local names`` from the "Code list members" bullets of docs/design.md."""
    text = DESIGN.read_text(encoding="utf-8")
    section = text.split("Code list members", 1)[1].split("\n## ", 1)[0]
    members: dict[str, set[str]] = {}
    for bullet in re.split(r"\n- ", section)[1:]:
        head = re.match(r"`([a-z]+):`", bullet)
        if head:
            names = re.findall(r"`([A-Za-z][A-Za-z0-9-]*)`", bullet[head.end() :])
            members[head.group(1)] = set(names)
    return members


def test_code_lists_hold_exactly_the_members_design_md_lists() -> None:
    graph = _parse("codelists.ttl")
    expected = _design_code_lists()
    assert set(expected) == {
        "civsys",
        "role",
        "ukind",
        "body",
        "mkind",
        "pcat",
        "grade",
        "sanction",
        "indlevel",
    }
    for prefix, names in expected.items():
        namespace = str(PREFIXES[prefix])
        scheme = URIRef(namespace + "scheme")
        in_scheme = {str(c).removeprefix(namespace) for c in graph.subjects(SKOS.inScheme, scheme)}
        assert in_scheme == names, prefix
        for name in names:
            concept = URIRef(namespace + name)
            assert (concept, RDF.type, SKOS.Concept) in graph
            assert (concept, SKOS.topConceptOf, scheme) in graph
            assert graph.value(concept, SKOS.notation) == Literal(name), concept


def test_the_eight_systems_carry_the_names_of_clause_3() -> None:
    graph = _parse("codelists.ttl")
    names = {_zh(graph, c) for c in graph.subjects(SKOS.inScheme, CIVSYS.scheme)}
    clause_3 = (
        "市直机关党工委、市交通委、市发改委、市经发局、市建设局、市国资委、市教育局、市政法委"
    )
    assert names == set(clause_3.split("、"))


def _zh(graph: Graph, subject: Node) -> str:
    values = [
        str(v)
        for v in graph.objects(subject, SKOS.prefLabel)
        if isinstance(v, Literal) and v.language == "zh"
    ]
    assert len(values) == 1, subject
    return values[0]


def test_roles_are_org_roles_and_kinds_point_at_declared_classes() -> None:
    graph = _parse("civgraph.ttl", "codelists.ttl")
    org_role = URIRef("http://www.w3.org/ns/org#Role")
    roles = set(graph.subjects(SKOS.inScheme, URIRef(str(PREFIXES["role"]) + "scheme")))
    assert roles and all((r, RDF.type, org_role) in graph for r in roles)
    for prefix in ("ukind", "mkind"):
        scheme = URIRef(str(PREFIXES[prefix]) + "scheme")
        for concept in graph.subjects(SKOS.inScheme, scheme):
            classes = list(graph.objects(concept, CIV.correspondingClass))
            assert len(classes) == 1, concept
            assert (classes[0], RDF.type, OWL.Class) in graph, concept


def test_grades_rank_a_best_and_levels_have_depths() -> None:
    graph = _parse("codelists.ttl")
    grade = PREFIXES["grade"]
    ranks = {
        str(c).removeprefix(str(grade)): graph.value(c, CIV.gradeRank)
        for c in graph.subjects(SKOS.inScheme, grade.scheme)
    }
    assert {k: int(v) for k, v in ranks.items() if isinstance(v, Literal)} == {
        "A": 1,
        "B": 2,
        "C": 3,
        "D": 4,
    }
    depths = {
        c: graph.value(c, CIV.levelDepth) for c in graph.subjects(SKOS.inScheme, INDLEVEL.scheme)
    }
    assert {c: int(v) for c, v in depths.items() if isinstance(v, Literal)} == {
        INDLEVEL.item: 1,
        INDLEVEL.content: 2,
        INDLEVEL.standard: 3,
    }


def test_properties_used_on_several_kinds_of_node_have_no_narrow_domain() -> None:
    graph = _parse("civgraph.ttl")
    for shared in (
        CIV.responsibleUnit,
        CIV.validFrom,
        CIV.validUntil,
        CIV.heldOn,
        CIV.year,
        CIV.linkedLeader,
        CIV.inDistrict,
        CIV.deadline,
        CIV.rectifiedOn,
        CIV.pastDeadline,
    ):
        assert list(graph.objects(shared, RDFS.domain)) == [], shared


def test_shape_annotations_are_annotation_properties() -> None:
    graph = _parse("civgraph.ttl")
    for name in (
        "code",
        "obligation",
        "clauseQuote",
        "unitPath",
        "responsiblePersonPath",
        "otherAccountable",
        "accountableRole",
        "path",
        "recommendedSanction",
        "escalatedSanction",
        "escalates",
        "correspondingClass",
    ):
        assert (CIV[name], RDF.type, OWL.AnnotationProperty) in graph, name


def test_each_civ_property_has_exactly_one_owl_property_type() -> None:
    graph = _parse("civgraph.ttl")
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for term in civ_terms(graph):
        types = [k for k in kinds if (term, RDF.type, k) in graph]
        is_class = (term, RDF.type, OWL.Class) in graph
        is_individual = (term, RDF.type, OWL.NamedIndividual) in graph
        assert len(types) + is_class + is_individual == 1, term


def test_datatype_ranges_are_known_and_nothing_is_imported() -> None:
    graph = _parse(*REASONED_FILES)
    assert list(graph.subject_objects(OWL.imports)) == []
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        for range_ in graph.objects(prop, RDFS.range):
            assert range_ in ALLOWED_RANGES, (prop, range_)


# --- the indicator tree ----------------------------------------------------------------------


def test_indicator_tree_has_three_levels_with_consistent_broader_links() -> None:
    graph = _parse("codelists.ttl", "indicators.ttl")
    nodes = set(graph.subjects(SKOS.inScheme, IND.scheme))
    depth: dict[Node | None, int] = {
        lvl: int(d.toPython())
        for lvl, d in graph.subject_objects(CIV.levelDepth)
        if isinstance(d, Literal)
    }
    tops = [n for n in nodes if (n, SKOS.topConceptOf, IND.scheme) in graph]
    assert 6 <= len(tops) <= 12
    for node in nodes:
        assert (node, RDF.type, CIV.Indicator) in graph and (node, RDF.type, SKOS.Concept) in graph
        assert graph.value(node, CIV.illustrative) == Literal(True), node
        assert graph.value(node, SKOS.notation) == Literal(str(node).removeprefix(str(IND)))
        level = graph.value(node, CIV.indicatorLevel)
        parents = list(graph.objects(node, SKOS.broader))
        if node in tops:
            assert parents == [] and level == INDLEVEL.item, node
            assert re.fullmatch(r"I\d\d", str(node).removeprefix(str(IND)))
        else:
            assert len(parents) == 1 and parents[0] in nodes, node
            assert depth[level] == depth[graph.value(parents[0], CIV.indicatorLevel)] + 1, node
            assert str(node).startswith(str(parents[0]) + "-"), node
    leaves = [n for n in nodes if not list(graph.subjects(SKOS.broader, n))]
    assert all(graph.value(n, CIV.indicatorLevel) == INDLEVEL.standard for n in leaves)
    assert 40 <= len(leaves) <= 70


def test_indicator_scheme_says_it_is_illustrative_in_both_languages() -> None:
    graph = _parse("indicators.ttl")
    assert graph.value(IND.scheme, CIV.illustrative) == Literal(True)
    notes = {
        v.language for v in graph.objects(IND.scheme, SKOS.scopeNote) if isinstance(v, Literal)
    }
    assert notes == {"zh", "en"}


# --- the source document ---------------------------------------------------------------------


def test_source_has_two_parts_and_six_clauses() -> None:
    graph = _parse("source.ttl")
    dcterms = PREFIXES["dcterms"]
    for n in range(1, 7):
        clause = SRC[f"clause-{n}"]
        part = SRC["part-1"] if n <= 3 else SRC["part-2"]
        assert (clause, dcterms.isPartOf, part) in graph
        assert graph.value(clause, CIV.number) == Literal(n)
        titles = {
            v.language for v in graph.objects(clause, dcterms.title) if isinstance(v, Literal)
        }
        assert titles == {"zh", "en"}
        [text] = list(graph.objects(clause, CIV.verbatimText))
        [english] = list(graph.objects(clause, CIV.englishRendering))
        assert isinstance(text, Literal) and text.language == "zh"
        assert isinstance(english, Literal) and english.language == "en"
    assert (SRC["part-1"], dcterms.isPartOf, SRC.policy) in graph
    assert (SRC["part-2"], dcterms.isPartOf, SRC.policy) in graph


def test_clause_texts_occur_verbatim_in_the_seed() -> None:
    if not SEED.is_file():
        pytest.skip(f"seed not found at {SEED}")
    seed = SEED.read_text(encoding="utf-8")
    graph = _parse("source.ttl")
    texts = {s: str(o) for s, o in graph.subject_objects(CIV.verbatimText)}
    assert {SRC[f"clause-{n}"] for n in range(1, 7)} <= set(texts)
    for subject, text in texts.items():
        assert text in seed, subject
        assert not text[0].isdigit(), f"{subject} still starts with its clause number"
        zh_title = next(
            str(t)
            for t in graph.objects(subject, PREFIXES["dcterms"].title)
            if isinstance(t, Literal) and t.language == "zh"
        )
        if str(subject).startswith(str(SRC) + "clause-"):
            assert text.startswith(zh_title + "。"), subject


# --- HermiT ----------------------------------------------------------------------------------


def _reason(graph: Graph) -> owlready2.World:
    """Load ``graph`` into a fresh owlready2 World and classify it with HermiT.

    xsd:date is not in the OWL 2 datatype map, so HermiT is told to ignore unsupported
    datatypes; ``test_datatype_ranges_are_known_and_nothing_is_imported`` keeps that exception to
    xsd:date alone. Raises when Java or HermiT cannot run, so the test fails, never skips.
    """
    java = shutil.which(owlready2.JAVA_EXE) or shutil.which("java")
    if java is None:
        pytest.fail(f"HermiT needs Java: {owlready2.JAVA_EXE!r} not found and no 'java' on PATH")
    owlready2.JAVA_EXE = java
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load(format="ntriples")
        owlready2.sync_reasoner_hermit(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )
    return world


def _unsatisfiable(world: owlready2.World) -> list[str]:
    """The named classes HermiT found equivalent to owl:Nothing (owl:Nothing itself left out)."""
    return sorted(c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing))


def test_hermit_finds_the_model_consistent_with_no_unsatisfiable_class() -> None:
    world = _reason(_parse(*REASONED_FILES))
    assert _unsatisfiable(world) == []
    assert world[str(CIV.City)] is not None


def test_hermit_check_detects_a_class_made_unsatisfiable_by_our_disjointness() -> None:
    graph = _parse("civgraph.ttl")
    graph += _ttl("civ:CityDistrict a owl:Class ; rdfs:subClassOf civ:City , civ:District .")
    world = _reason(graph)
    assert _unsatisfiable(world) == [str(CIV.CityDistrict)]


def test_hermit_check_detects_a_person_that_is_a_unit() -> None:
    graph = _parse("civgraph.ttl")
    graph += _ttl("<urn:x:p> a foaf:Person , civ:District .")
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(graph)


# --- the diagram -----------------------------------------------------------------------------


def test_model_page_embeds_the_generated_diagram() -> None:
    generated = mermaid_diagram(load_model())
    embedded = embedded_diagram(MODEL_PAGE.read_text(encoding="utf-8"))
    assert embedded is not None, f"{MODEL_PAGE} has no diagram between the markers"
    assert embedded == generated, "regenerate it: python -m civgraph.model_diagram"


def test_diagram_draws_subclasses_and_domain_range_edges() -> None:
    text = mermaid_diagram(load_model())
    assert "civ_Unit <|-- civ_TerritorialUnit" in text
    assert "org_Organization <|-- civ_Unit" in text
    assert "civ_Plan --> civ_Unit : planOf" in text
    assert "civ_ResponsibilityArea --> foaf_Person : responsiblePerson" in text


# --- the city guide --------------------------------------------------------------------------


def test_city_guide_example_parses_and_uses_only_declared_terms() -> None:
    page = (REPO / "docs" / "describing-your-city.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```turtle\n(.*?)```", page, flags=re.DOTALL)
    assert len(blocks) == 1
    example = Graph().parse(data=blocks[0], format="turtle")
    model = _parse("civgraph.ttl", "codelists.ttl")
    known = civ_terms(model) | concepts(model)
    used = {
        node
        for triple in example
        for node in triple
        if isinstance(node, URIRef)
        and (node.startswith(str(CIV)) or node.startswith(str(PREFIXES["role"])))
    }
    assert used and sorted(used - known) == []
    assert not any(isinstance(node, BNode) for triple in example for node in triple)


def test_ontology_version_is_the_package_version() -> None:
    graph = _parse("civgraph.ttl")
    header = URIRef("https://w3id.org/civgraph/ns")
    assert (header, RDF.type, OWL.Ontology) in graph
    # the package's one version: pyproject.toml takes it from civgraph.__version__
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'version = { attr = "civgraph.__version__" }' in pyproject
    assert graph.value(header, OWL.versionInfo) == Literal(__version__)
    assert graph.value(header, OWL.versionIRI) == URIRef(f"{header}/{__version__}")


def test_rules_shapes_and_queries_use_only_declared_civ_terms() -> None:
    declared = {str(t).removeprefix(str(CIV)) for t in civ_terms(_parse("civgraph.ttl"))}
    undeclared: dict[str, set[str]] = {}
    for folder in ("rules", "shapes", "queries"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix not in {".rq", ".ttl"}:
                continue
            for name in re.findall(r"\bciv:([A-Za-z][A-Za-z0-9]*)", path.read_text("utf-8")):
                if name not in declared:
                    undeclared.setdefault(name, set()).add(str(path.relative_to(REPO)))
    assert undeclared == {}, "declare these in ontology/civgraph.ttl (and docs/design.md)"
