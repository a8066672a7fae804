"""Run the W3C SHACL test suite against pySHACL or the SPARQL engine.

``python -m civgraph.conformance PATH [--engine pyshacl|sparql]`` where PATH is the suite folder
holding ``manifest.ttl``. Prints one line per failing test and ends with ``N passed, M failed``.

How results are compared: a test passes when the ``sh:conforms`` flags agree and the two sets of
results are *isomorphic* as RDF graphs, where each result keeps only its focus node, result path
(with the structure of a complex path), value, source shape, constraint component and severity —
plus its messages when the expected report states any message. Every result is its own blank
node, so the comparison counts duplicates (a multiset); blank nodes among the terms (data nodes,
shapes, paths) match any blank node, consistently across all results of the test. Literals are
compared in the canonical form pyoxigraph stores them in (``"4.0"^^xsd:decimal`` equals
``"4"^^xsd:decimal``; language tags in lower case), since the SPARQL engine can only report what
the store keeps. Test files are parsed as written (rdflib's literal normalisation, which turns
``"1"^^xsd:boolean`` into ``"true"``, is switched off while parsing). A test whose expected
result is ``sht:Failure`` passes when the engine rejects the shapes graph.
"""

from __future__ import annotations

import logging
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as TypingLiteral

import click
import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH, Namespace
from rdflib.term import BNode, Literal, Node, URIRef

from civgraph.errors import CivgraphError, InputError
from civgraph.sparql_engine import ValidationResult, validate
from civgraph.sparql_engine.errors import ShapesGraphError
from civgraph.sparql_engine.paths import write_path
from civgraph.sparql_engine.pyshacl_fallback import results_from_report
from civgraph.store import OxigraphStore
from civgraph.store.oxigraph_store import to_oxigraph, to_rdflib

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

Engine = TypingLiteral["pyshacl", "sparql"]


@dataclass(frozen=True)
class ConformanceTest:
    """One ``sht:Validate`` entry of the suite."""

    name: str
    data: Path
    shapes: Path
    manifest: rdflib.Graph
    expected: Node | None  # the expected sh:ValidationReport; None when sht:Failure is expected


@dataclass(frozen=True)
class Outcome:
    conforms: bool
    results: list[ValidationResult]
    structure: rdflib.Graph  # where the blank-node paths of ``results`` are described


class Rejected(Exception):
    """The engine refused the shapes graph (what a ``sht:Failure`` test expects)."""


def _file(uri: Node) -> Path:
    text = str(uri)
    if not text.startswith("file://"):
        raise InputError(f"{text}: test suite files must be local")
    return Path(text.removeprefix("file://")).resolve()


def load_tests(manifest: Path) -> list[ConformanceTest]:
    """Every test of ``manifest`` and the manifests it includes, in file order."""
    if not manifest.is_file():
        raise InputError(f"{manifest}: no such manifest")
    graph = rdflib.Graph()
    graph.parse(manifest, format="turtle", publicID=manifest.resolve().as_uri())
    tests: list[ConformanceTest] = []
    me = URIRef(manifest.resolve().as_uri())
    for included in sorted(graph.objects(me, MF.include), key=str):
        tests += load_tests(_file(included))
    for entries in graph.objects(me, MF.entries):
        for entry in rdflib.collection.Collection(graph, entries):
            if (entry, RDF.type, SHT.Validate) not in graph:
                continue
            action = graph.value(entry, MF.action)
            result = graph.value(entry, MF.result)
            data = graph.value(action, SHT.dataGraph)
            shapes = graph.value(action, SHT.shapesGraph)
            if data is None or shapes is None or result is None:
                raise InputError(f"{manifest}: test {entry} lacks data, shapes or result")
            tests.append(
                ConformanceTest(
                    name=str(entry).rsplit("/tests/", 1)[-1],
                    data=_file(data),
                    shapes=_file(shapes),
                    manifest=graph,
                    expected=None if result == SHT.Failure else result,
                )
            )
    return tests


def _parse(path: Path) -> rdflib.Graph:
    """The graph as written: rdflib would otherwise rewrite ``"1"^^xsd:boolean`` as ``"true"``."""
    graph = rdflib.Graph()
    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        graph.parse(path, format="turtle", publicID=path.resolve().as_uri())
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    return graph


def run_pyshacl(test: ConformanceTest) -> Outcome:
    shapes = _parse(test.shapes)
    try:
        conforms, report, _ = pyshacl.validate(_parse(test.data), shacl_graph=shapes)
    except Exception as exc:  # pySHACL signals ill-formed shapes with several exception types
        raise Rejected(str(exc)) from exc
    if not isinstance(report, rdflib.Graph):  # pySHACL returns a ValidationFailure instead
        raise Rejected(str(report))
    return Outcome(bool(conforms), results_from_report(report, shapes), shapes)


def run_sparql(test: ConformanceTest) -> Outcome:
    shapes = _parse(test.shapes)
    store = OxigraphStore()
    store.load_file(test.data, media_type="text/turtle")
    try:
        outcome = validate(store, shapes, fallback="never")
    except ShapesGraphError as exc:
        raise Rejected(str(exc)) from exc
    return Outcome(outcome.conforms, list(outcome.results), shapes)


def _canonical(term: Node) -> Node:
    """A literal in the canonical form the store keeps (``"4.0"^^xsd:decimal`` becomes ``"4"``)."""
    if not isinstance(term, Literal):
        return term
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), to_oxigraph(term)))
    return to_rdflib(next(iter(store)).object)


def _reduced(
    results: list[ValidationResult], structure: rdflib.Graph, messages: bool
) -> rdflib.Graph:
    graph = rdflib.Graph()
    for result in results:
        node = BNode()
        graph.add((node, SH.focusNode, _canonical(result.focus)))
        graph.add((node, SH.sourceShape, result.source_shape))
        graph.add((node, SH.sourceConstraintComponent, result.constraint_component))
        graph.add((node, SH.resultSeverity, result.severity))
        if result.path is not None:
            graph.add((node, SH.resultPath, write_path(structure, result.path, graph)))
        if result.value is not None:
            graph.add((node, SH.value, _canonical(result.value)))
        if messages:
            for message in result.messages:
                graph.add((node, SH.resultMessage, message))
    return graph


def check(test: ConformanceTest, engine: Engine) -> str | None:
    """None when the test passes, else why it failed."""
    runner = run_pyshacl if engine == "pyshacl" else run_sparql
    try:
        outcome = runner(test)
    except Rejected as exc:
        return None if test.expected is None else f"shapes rejected: {exc}"
    except CivgraphError as exc:
        return f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a crash is a failed test, reported on its line
        return f"error {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    if test.expected is None:
        return "expected the shapes graph to be rejected"
    report = test.manifest
    expected_conforms = report.value(test.expected, SH.conforms)
    if (
        not isinstance(expected_conforms, Literal)
        or bool(expected_conforms.toPython()) != outcome.conforms
    ):
        return f"conforms is {outcome.conforms}, expected {expected_conforms}"
    expected_results = []
    for node in report.objects(test.expected, SH.result):
        focus = report.value(node, SH.focusNode)
        shape = report.value(node, SH.sourceShape)
        component = report.value(node, SH.sourceConstraintComponent)
        assert focus is not None and shape is not None and component is not None
        expected_results.append(
            ValidationResult(
                focus=focus,
                path=report.value(node, SH.resultPath),
                value=report.value(node, SH.value),
                source_shape=shape,
                constraint_component=component,
                severity=report.value(node, SH.resultSeverity) or SH.Violation,
                messages=tuple(
                    m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)
                ),
            )
        )
    messages = any(r.messages for r in expected_results)
    want = _reduced(expected_results, report, messages)
    got = _reduced(outcome.results, outcome.structure, messages)
    if not isomorphic(want, got):
        return f"{len(outcome.results)} results, expected {len(expected_results)}; they differ"
    return None


def run_suite(root: Path, engine: Engine) -> tuple[int, list[tuple[str, str]]]:
    """(number passed, [(test, reason)] for each failure)."""
    manifest = root / "manifest.ttl" if root.is_dir() else root
    passed = 0
    failures: list[tuple[str, str]] = []
    for test in load_tests(manifest):
        reason = check(test, engine)
        if reason is None:
            passed += 1
        else:
            failures.append((test.name, reason))
    return passed, failures


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--engine", type=click.Choice(["pyshacl", "sparql"]), default="pyshacl", show_default=True
)
def main(path: Path, engine: Engine) -> None:
    """Run the W3C SHACL test suite in PATH with ENGINE."""
    # the suite holds ill-typed literals and odd shapes on purpose: keep the output to the results
    for noisy in ("rdflib.term", "pyshacl"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    # pySHACL resets the level of its logger on every call; a filter stays
    logging.getLogger("pyshacl-validate").addFilter(lambda _record: False)
    warnings.filterwarnings("ignore", module="rdflib")
    warnings.filterwarnings("ignore", module="pyshacl")
    try:
        passed, failures = run_suite(path, engine)
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for name, reason in failures:
        click.echo(f"FAIL {name}: {reason}")
    click.echo(f"{passed} passed, {len(failures)} failed")
    sys.exit(0 if not failures else 1)


if __name__ == "__main__":
    main()
