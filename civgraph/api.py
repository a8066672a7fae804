"""The Python API behind ``civgraph check``: load → infer → validate → attribute → report.

>>> from datetime import date
>>> report = check([], as_of=date(2025, 12, 31), demo=True)  # doctest: +SKIP
>>> report.conforms  # doctest: +SKIP
False
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

from civgraph import __version__
from civgraph.attribution import (
    UNIT_FACT_PREDICATES,
    RawResult,
    attribute,
    attribute_each,
    attribution_paths,
    finding_order,
)
from civgraph.catalogue import ShapeIndex, load_shapes, obligations, resolve_codes
from civgraph.context import context_triples
from civgraph.due import DueQuery, answer_due, chosen_due_queries, find_due, sort_due
from civgraph.errors import InputError
from civgraph.findings import CheckReport, Due, Finding
from civgraph.labels import LABEL_PREDICATES, LabelCache, labels_for
from civgraph.loading import ensure_units, load_ontology, load_sources, rdf_files
from civgraph.namespaces import DERIVED_GRAPH
from civgraph.rules import apply_rules
from civgraph.settings import Settings
from civgraph.shacl_paths import path_to_sparql
from civgraph.store import OxigraphStore, RemoteStore, Store
from civgraph.store.threads import query_threads
from civgraph.teardown import release

if TYPE_CHECKING:
    from civgraph.incremental import IncrementalStats
    from civgraph.sparql_engine.model import ShapesModel

# The incremental machinery (civgraph.incremental, the query analyses and rdflib's SPARQL
# parser under them) is imported by the functions that use it: a plain check never needs it,
# and importing it cost every `civgraph check` about a tenth of a second at start.

Engine = Literal["pyshacl", "sparql", "auto"]
ENGINES: tuple[Engine, ...] = ("pyshacl", "sparql", "auto")


def prepare_store(
    sources: Sequence[Path],
    *,
    as_of: date,
    settings: Settings,
    demo: bool = False,
    store: Store | None = None,
    clock: _Stopwatch | None = None,
) -> tuple[Store, list[Path]]:
    """Load the data and the ontology, add the evaluation context, and apply ``rules/``.

    With no ``store`` the data goes into a fresh in-memory store. An on-disk
    :class:`OxigraphStore` given DATA has its data replaced by it; given none, it is checked as
    it stands. A :class:`RemoteStore` is checked where it lives and takes no DATA.
    """
    paths = list(sources)
    if demo:
        from civgraph.demo import ensure_demo

        paths.insert(0, ensure_demo())
    if store is None:
        if not paths:
            raise InputError("no data given: name files or folders, or use --demo")
        store = OxigraphStore()
        release(store)  # made here: under the console script the OS reclaims it at exit
    elif isinstance(store, RemoteStore) and paths:
        raise InputError("the data of a remote endpoint lives there: give no DATA with --endpoint")
    files: list[Path] = []
    if paths:
        files = rdf_files(paths)
        if not files:
            raise InputError(f"no RDF files found in {', '.join(str(p) for p in paths)}")
        if isinstance(store, OxigraphStore):
            store.clear()
        load_sources(store, files)
    ensure_units(store, where=", ".join(str(p) for p in paths) if paths else "the store")
    store.clear_graph(DERIVED_GRAPH)
    load_ontology(store, graph=DERIVED_GRAPH)
    store.add(context_triples(as_of=as_of, settings=settings), graph=DERIVED_GRAPH)
    if clock is not None:
        clock.lap("load")
    apply_rules(store)
    if clock is not None:
        clock.lap("rules")
    return store, files


def check(
    sources: Sequence[Path],
    *,
    as_of: date,
    settings: Settings | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    demo: bool = False,
    engine: Engine = "auto",
    store: Store | None = None,
    timings: dict[str, float] | None = None,
) -> CheckReport:
    """Check the data in ``sources`` (files or folders) as of ``as_of``.

    ``store`` is where the graph lives (default: a fresh in-memory store; see
    :func:`prepare_store`). A ``timings`` dict, when given, receives the seconds each step took:
    ``load``, ``rules``, ``validation``, ``attribution`` and ``report`` (what is due, labels).
    """
    clock = _Stopwatch(timings)
    settings = settings if settings is not None else Settings.defaults()
    codes = resolve_codes(select, ignore)
    shapes = load_shapes(codes)
    if isinstance(store, RemoteStore) and engine == "pyshacl":  # auto never falls back here
        raise InputError(
            "a remote endpoint is checked where it lives: use --engine sparql or auto "
            "(pySHACL would need the whole graph copied out)"
        )
    store, files = prepare_store(
        sources, as_of=as_of, settings=settings, demo=demo, store=store, clock=clock
    )
    notices: list[str] = []
    # What is due and the triple count read the same finished store as validation: where the
    # store answers queries side by side they run alongside it instead of after it.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="civgraph-due") as aside:
        if query_threads(store) > 1:
            due: Future[list[Due]] | None = aside.submit(find_due, store, codes)
            triples: Future[int] | None = aside.submit(store.triple_count)
        else:
            due = triples = None
        results = _validate(store, shapes, engine=engine, notices=notices)
        clock.lap("validation")
        report = build_report(
            results,
            store=store,
            shapes=shapes,
            codes=codes,
            as_of=as_of,
            engine=engine,
            sources=files,
            notices=notices,
            clock=clock,
            # waited for after attribution, which goes on beside them: they are report
            # material, and attribution's own queries need not wait behind them
            due=due,
            triples=triples,
        )
    clock.lap("report")
    return report


class _Stopwatch:
    """Seconds per step into a caller's dict (or nowhere)."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into = into
        self.last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        if self.into is not None:
            self.into[step] = self.into.get(step, 0.0) + now - self.last
        self.last = now


def check_incremental(
    sources: Sequence[Path],
    *,
    state_dir: Path,
    as_of: date,
    settings: Settings | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    engine: Engine = "sparql",
) -> tuple[CheckReport, IncrementalStats]:
    """Like :func:`check`, but keeps the data in ``state_dir`` and re-validates only the focus
    nodes a change since the last run can affect (see :mod:`civgraph.incremental`).

    The findings are the same as a full check's. Incremental validation needs the SPARQL engine;
    with ``engine="pyshacl"`` every run is a full one.
    """
    with IncrementalSession(
        sources,
        state_dir=state_dir,
        settings=settings,
        select=select,
        ignore=ignore,
        engine=engine,
        snapshot="every-run",
    ) as session:
        return session.check(as_of=as_of)


class IncrementalSession:
    """Incremental checks of the same sources, run again and again by one process.

    The store stays in memory between :meth:`check` calls, so a run after a small change costs
    about what the change reaches (see :mod:`civgraph.incremental`). With
    ``snapshot="on-close"`` (the default) the store's snapshot is written once, when the
    session closes; ``"every-run"`` writes it after each check.
    """

    def __init__(
        self,
        sources: Sequence[Path],
        *,
        state_dir: Path,
        settings: Settings | None = None,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        engine: Engine = "sparql",
        snapshot: Literal["every-run", "on-close"] = "on-close",
    ) -> None:
        from civgraph.incremental import IncrementalChecker, predicates_of

        self.sources = list(sources)
        if not self.sources:
            raise InputError("no data given: name files or folders")
        self.settings = settings if settings is not None else Settings.defaults()
        self.codes = resolve_codes(select, ignore)
        self.shapes = load_shapes(self.codes)
        self.engine: Engine = engine
        self.checker = IncrementalChecker(state_dir, snapshot=snapshot)
        # what the report reads besides the results, kept while the store changes little
        self._labels = LabelCache()
        self._due: dict[Path, list[Due]] = {}
        #: Whether the memory an earlier process left (civgraph.session_memory) was looked for.
        self._recalled = False
        self._model: ShapesModel | None = None  # the shapes as read for validation, kept
        self._index = ShapeIndex.build(self.shapes)
        #: Each result's finding in the last check (attribution is redone only where needed).
        self._attributed: dict[RawResult, Finding] = {}
        #: The predicates attribution reads forwards and backwards (see :meth:`_attribution`).
        forward, self._attribution_inverse, _longest = predicates_of(
            self.shapes, attribution_paths(self.shapes)
        )
        self._attribution_forward = forward | set(UNIT_FACT_PREDICATES)

    def __enter__(self) -> IncrementalSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Write the snapshot still owed (if any) and what the session knows, and let the
        store go."""
        run = self.checker.current_run
        owed = not self.checker.snapshot_each_run
        self.checker.close()
        if owed and run is not None and self.checker.saved_run() == run:
            self._remember(run)

    def _remember(self, run: str) -> None:
        """Leave what the session knows for the next process to start from (see
        :mod:`civgraph.session_memory`)."""
        from civgraph.session_memory import SessionMemory, write_memory

        labels, asked = self._labels.known()
        memory = SessionMemory(
            run=run,
            due=self._due,
            attributed=self._attributed,
            labels=labels,
            labels_asked=asked,
        )
        write_memory(self.checker.state_dir, memory)

    def _recall(self) -> None:
        """Start from what the process before left, if it left it for the state the store is
        in now; the first check of the session then asks only about what changed since."""
        from civgraph.session_memory import read_memory

        self._recalled = True
        run = self.checker.saved_run()
        memory = read_memory(self.checker.state_dir, run=run) if run is not None else None
        if memory is not None:
            self._due = memory.due
            self._attributed = memory.attributed
            self._labels = LabelCache.recalled(memory.labels, memory.labels_asked)

    def check(self, *, as_of: date) -> tuple[CheckReport, IncrementalStats]:
        """Check the sources as they are now, as of ``as_of``."""
        notices: list[str] = []
        shapes, engine = self.shapes, self.engine
        if not self._recalled:
            self._recall()
        # What is due and which findings keep their attribution depend on the change alone,
        # known once the rules have run: they are asked while the validation runs
        aside = ThreadPoolExecutor(max_workers=2, thread_name_prefix="civgraph-session")
        early: list[Future[Any]] = []

        def validate_on(
            store: Store, focus: set[Identifier] | None, full_shapes: set[Node]
        ) -> list[RawResult]:
            early.extend([aside.submit(self._due_now), aside.submit(self._attribution)])
            if engine == "pyshacl" or focus is None:
                return _validate(store, shapes, engine=engine, notices=notices)
            if self._model is None:
                from civgraph.sparql_engine.model import ShapesModel

                self._model = ShapesModel(shapes)
            return _validate(
                store,
                shapes,
                engine=engine,
                notices=notices,
                focus=focus,
                full_shapes=full_shapes,
                model=self._model,
            )

        try:
            results, stats = self.checker.run(
                self.sources,
                as_of=as_of,
                settings=self.settings,
                shapes=shapes,
                codes=self.codes,
                validate_on=validate_on,
            )
            due: list[Due] = early[0].result() if early else self._due_now()
            attribute_with: Callable[[Sequence[RawResult]], list[Finding]] = (
                early[1].result() if early else self._attribution()
            )
        finally:
            aside.shutdown(wait=True)
        report = build_report(
            results,
            store=self.checker.store,
            shapes=shapes,
            codes=self.codes,
            as_of=as_of,
            engine=engine,
            sources=rdf_files(self.sources),
            notices=notices,
            due=due,
            labels=self._labels.labels,
            attribute_with=attribute_with,
            triples=self.checker.triples,
        )
        run = self.checker.current_run
        if self.checker.snapshot_each_run and run is not None:
            self._remember(run)
        return report, stats

    def _attribution(self) -> Callable[[Sequence[RawResult]], list[Finding]]:
        """Attribution that keeps a result's finding from the last check unless the change
        reaches its focus node along a path attribution reads (the shapes' unit and person
        paths, then the unit's leaders, pursuers and district): walked back from every changed
        subject (and object, for a path read against its direction)."""
        from civgraph.incremental import node_limit, node_tokens

        change, checker = self.checker.change, self.checker
        keep: dict[RawResult, Finding] = {}
        if change is not None and self._attributed and checker.triples is not None:
            inverse = self._attribution_inverse
            nodes = node_tokens(change.lines, {str(p) for p in inverse})
            reached = checker.walk_back(
                nodes,
                self._attribution_forward,
                inverse,
                depth=64,
                limit=node_limit(checker.triples),
            )
            if reached is not None:
                keep = {
                    result: finding
                    for result, finding in self._attributed.items()
                    if isinstance(result.focus, URIRef) and f"<{result.focus}>" not in reached
                }

        def attribute_with(results: Sequence[RawResult]) -> list[Finding]:
            fresh = [r for r in results if r not in keep]
            mapping = dict(keep)
            mapping.update(
                zip(
                    fresh,
                    attribute_each(fresh, store=checker.store, index=self._index),
                    strict=True,
                )
            )
            self._attributed = {r: mapping[r] for r in results}
            return sorted((mapping[r] for r in results), key=finding_order)

        return attribute_with

    def _due_now(self) -> list[Due]:
        """What is due: only the due queries that read what changed are asked again, and a
        query whose answer for a node reads only that node's triples only about the nodes
        that changed (see :mod:`civgraph.rule_locality`)."""
        from civgraph.incremental import local_keys, narrowed
        from civgraph.rule_inputs import rule_inputs
        from civgraph.rule_locality import locality

        change = self.checker.change
        queries = chosen_due_queries(self.codes)
        if change is None:
            self._labels.forget()
            self._due.clear()
        else:
            self._labels.forget(change.subjects(str(p) for p in LABEL_PREDICATES))
        whole: list[DueQuery] = []
        for query in queries:
            if query.path not in self._due:
                whole.append(query)
            elif change is not None and rule_inputs(query.query).sees(change.terms):
                local = locality(query.query, key="focus")
                keys = local_keys(
                    local, change.terms, change.lines, triples=self.checker.triples or 0
                )
                if keys is None:
                    whole.append(query)
                    continue
                asked = [replace(query, query=q) for q in narrowed(query.query, "focus", keys)]
                changed = set(keys)
                kept = [d for d in self._due[query.path] if d.focus not in changed]
                self._due[query.path] = kept + answer_due(self.checker.store, asked)[query.path]
        if whole:
            self._due.update(answer_due(self.checker.store, whole))
        return sort_due(self._due[q.path] for q in queries)


def build_report(
    results: Sequence[RawResult],
    *,
    store: Store,
    shapes: Graph,
    codes: Sequence[str],
    as_of: date,
    engine: str,
    sources: Sequence[Path],
    notices: list[str],
    clock: _Stopwatch | None = None,
    due: list[Due] | Future[list[Due]] | None = None,
    labels: Callable[[Store, Iterable[str]], dict[str, dict[str, str]]] = labels_for,
    attribute_with: Callable[[Sequence[RawResult]], list[Finding]] | None = None,
    triples: int | Future[int] | None = None,
) -> CheckReport:
    """Attribute raw results, find what is due, gather labels: the report of one check.

    ``due`` and ``triples``, when the caller has them already or is having them worked out
    (a future, waited for once the results are attributed), are what is due and the store's
    triple count; ``labels`` looks labels up (a cache may stand in for the store).
    """
    index = ShapeIndex.build(shapes)
    findings = (
        attribute_with(results)
        if attribute_with is not None
        else attribute(results, store=store, index=index)
    )
    if clock is not None:
        clock.lap("attribution")
    declared = obligations(shapes)
    if isinstance(due, Future):
        due = due.result()
    if isinstance(triples, Future):
        triples = triples.result()
    if due is None:
        due = find_due(store, codes)
    iris: set[str] = {d.focus for d in due}
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
        labels=labels(store, iris),
        due=due,
        sources=[str(f) for f in sources],
        engine=engine,
        version=__version__,
        triples=store.triple_count() if triples is None else triples,
        notices=notices,
    )


def _validate(
    store: Store,
    shapes: Graph,
    *,
    engine: Engine,
    notices: list[str],
    focus: set[Identifier] | None = None,
    full_shapes: set[Node] | None = None,
    model: ShapesModel | None = None,
) -> list[RawResult]:
    """Validate with the chosen engine: pySHACL (the reference) or the SPARQL compiler.

    Under ``auto`` a shape the compiler cannot handle is validated by pySHACL and a notice
    names it; under ``sparql`` nothing falls back and such a shape is an error.
    """
    if engine == "pyshacl":
        from civgraph.validate_pyshacl import validate

        return validate(store.to_rdflib(), shapes)
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    from civgraph.sparql_engine import validate as sparql_validate

    fallback: Literal["never", "pyshacl"] = "pyshacl" if engine == "auto" else "never"
    if focus is None:
        outcome = sparql_validate(store, shapes, fallback=fallback)
    else:
        outcome = sparql_validate(
            store,
            shapes,
            fallback=fallback,
            focus_nodes=focus,
            unrestricted=full_shapes or set(),
            model=model,
        )
    notices.extend(outcome.notices)
    return [
        RawResult(
            focus=r.focus,
            path=None
            if r.path is None
            else str(r.path)
            if isinstance(r.path, URIRef)
            else path_to_sparql(shapes, r.path),
            value=r.value,
            source_shape=r.source_shape,
            component=r.constraint_component,
            severity=r.severity,
            messages=tuple(r.messages),
        )
        for r in outcome.results
        if isinstance(r.focus, Identifier)
    ]
