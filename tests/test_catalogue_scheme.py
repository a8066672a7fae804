"""The obligations catalogue as SKOS (``obl:catalogue`` in ontology/codelists.ttl) holds exactly
the codes of the written catalogue, ../shared/spec/obligations.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from civgraph.namespaces import OBL, SRC

REPO = Path(__file__).resolve().parents[1]
CODELISTS = REPO / "ontology" / "codelists.ttl"
CATALOGUE = REPO.parent / "shared" / "spec" / "obligations.md"
CODE = re.compile(r"\bCIV-\d+\.\d+\b")


def written_codes() -> set[str]:
    """The codes the written catalogue defines: those in the first column of its tables."""
    if not CATALOGUE.is_file():
        pytest.skip(f"obligations catalogue not found at {CATALOGUE}")
    codes = set()
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and CODE.fullmatch(cells[0]):
            codes.add(cells[0])
    return codes


def scheme_concepts() -> dict[URIRef, str]:
    graph = Graph().parse(CODELISTS, format="turtle")
    found: dict[URIRef, str] = {}
    for concept in graph.subjects(SKOS.inScheme, OBL.catalogue):
        assert isinstance(concept, URIRef)
        notations = list(graph.objects(concept, SKOS.notation))
        assert len(notations) == 1, concept
        found[concept] = str(notations[0])
    return found


def test_scheme_notations_equal_the_written_codes() -> None:
    codes = written_codes()
    assert len(codes) == 25
    assert set(scheme_concepts().values()) == codes


def test_each_obligation_concept_is_named_by_its_code_and_cites_its_clause() -> None:
    graph = Graph().parse(CODELISTS, format="turtle")
    for concept, notation in scheme_concepts().items():
        assert concept == OBL[notation]
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert graph.value(concept, SKOS.notation) == Literal(notation)
        clause = notation.removeprefix("CIV-").split(".")[0]
        assert list(graph.objects(concept, DCTERMS.source)) == [SRC[f"clause-{clause}"]]
