"""The Python API behind ``civgraph check``: load → infer → validate → attribute → report.

>>> from datetime import date
>>> report = check([], as_of=date(2025, 12, 31), demo=True)  # doctest: +SKIP
>>> report.conforms  # doctest: +SKIP
False
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from civgraph import __version__
from civgraph.attribution import RawResult, attribute
from civgraph.catalogue import ShapeIndex, load_shapes, obligations, resolve_codes
from civgraph.context import context_triples
from civgraph.errors import InputError
from civgraph.findings import CheckReport
from civgraph.labels import labels_for
from civgraph.loading import load_ontology, load_sources
from civgraph.namespaces import DERIVED_GRAPH, sparql_prefixes
from civgraph.rules import apply_rules
from civgraph.settings import Settings
from civgraph.store import OxigraphStore, Store

Engine = Literal["pyshacl"]

_HAS_UNITS = sparql_prefixes() + "ASK { ?unit a ?kind . ?kind rdfs:subClassOf* civ:Unit }"


def prepare_store(
    sources: Sequence[Path],
    *,
    as_of: date,
    settings: Settings,
    demo: bool = False,
    store: Store | None = None,
) -> tuple[Store, list[Path]]:
    """Load the data and the ontology, add the evaluation context, and apply ``rules/``."""
    store = store if store is not None else OxigraphStore()
    paths = list(sources)
    if demo:
        from civgraph.demo import ensure_demo

        paths.insert(0, ensure_demo())
    if not paths:
        raise InputError("no data given: name files or folders, or use --demo")
    files = load_sources(store, paths)
    if not files:
        raise InputError(f"no RDF files found in {', '.join(str(p) for p in paths)}")
    load_ontology(store)
    if not store.ask(_HAS_UNITS):
        raise InputError(
            "the data describes no units (nothing typed civ:Unit or a subclass): "
            "nothing to check in " + ", ".join(str(p) for p in paths)
        )
    store.clear_graph(DERIVED_GRAPH)
    store.add(context_triples(as_of=as_of, settings=settings), graph=DERIVED_GRAPH)
    apply_rules(store)
    return store, files


def check(
    sources: Sequence[Path],
    *,
    as_of: date,
    settings: Settings | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    demo: bool = False,
    engine: Engine = "pyshacl",
) -> CheckReport:
    """Check the data in ``sources`` (files or folders) as of ``as_of``."""
    settings = settings if settings is not None else Settings.defaults()
    codes = resolve_codes(select, ignore)
    shapes = load_shapes(codes)
    store, files = prepare_store(sources, as_of=as_of, settings=settings, demo=demo)
    results = _validate(store, shapes, engine=engine)
    index = ShapeIndex.build(shapes)
    findings = attribute(results, store=store, index=index)
    declared = obligations(shapes)
    iris: set[str] = set()
    for finding in findings:
        iris.update(p.person for p in finding.accountable)
        iris.update(finding.pursued_by)
        iris.update(finding.sanctions)
        iris.update(x for x in (finding.focus, finding.unit, finding.district) if x)
        if finding.value and finding.value_term and finding.value_term.startswith("<"):
            iris.add(finding.value)
    for obligation in declared.values():
        iris.update(obligation.sanctions + obligation.escalated_sanctions)
        if obligation.clause:
            iris.add(obligation.clause)
    return CheckReport(
        as_of=as_of,
        findings=findings,
        obligations=declared,
        labels=labels_for(store, iris),
        sources=[str(f) for f in files],
        engine=engine,
        version=__version__,
        triples=store.triple_count(),
    )


def _validate(store: Store, shapes: object, *, engine: Engine) -> list[RawResult]:
    from rdflib import Graph

    from civgraph.validate_pyshacl import validate

    assert isinstance(shapes, Graph)
    if engine != "pyshacl":
        raise InputError(f"unknown engine {engine!r}")
    return validate(store.to_rdflib(), shapes)
