"""Incremental checks: re-derive and re-validate only what a change can affect.

A state folder keeps a snapshot of the store (each data file in its own named graph, each
rule's output in a graph of its own) and the last run's raw validation results. On the next run:

1. files whose size, modification time and inode are as recorded (and were already still a
   tenth of a second before they were recorded) are not read at all; otherwise a file's
   content hash decides, and a changed file is diffed against its previous triples;
2. a rule runs again only if a changed triple — in the data, the evaluation context (the as-of
   date) or an earlier rule's output — has a predicate or class its query names (see
   :mod:`civgraph.rule_inputs`); its new output is diffed against its previous output, so a
   change that moves a derived fact elsewhere (a new main leader, a deadline passing because
   the as-of date moved) is seen as a change too;
3. the *affected* nodes are the subjects of every changed triple (and its object, where a
   shape reads the triple from that side: an inverse path or ``sh:targetObjectsOf``), widened
   backwards along every predicate the shapes' paths use (as many hops as the longest path),
   because a focus node's result reads only triples on its shapes' paths;
4. shapes whose checks are SPARQL-based (they may read anything) are re-run in full; every other
   shape is validated on the affected focus nodes only, and the previous results for unaffected
   focus nodes are kept;
5. attribution runs over all results again in a one-shot run; a session keeps a result's
   finding unless the change reaches its focus node along what attribution reads.

Anything that could change results wholesale — another civgraph version, other shapes, rules,
ontology, settings or codes — makes the run a full one. So does a state left *dirty* by a run
that was killed while it changed the store, and a change to files holding most of the data's
bytes (parsing them to diff costs about what loading them does, and the diff would then reach
most rules and nodes). A change whose widening would reach more than one node per 250
triples (at least 200) is validated in full: restricted queries cost more from there on.

The snapshot is an on-disk pyoxigraph (RocksDB) store. A full run works in memory (loading
and the rules are several times faster there) and then writes the snapshot whole; a one-shot
incremental run (``nightly --store``) opens the snapshot at once and changes it in place, so
a small change costs what it reaches, not a load. Only what a change reaches is read: a change
that makes a rule run over everything runs it on disk, several times slower than in memory.

A checker kept open across runs (:class:`civgraph.api.IncrementalSession`) starts with a full
run in memory (reading the on-disk store into memory would cost more than loading the files)
and keeps its store there: the next run starts from it, and the snapshot is written once,
when the checker is closed. Until then the state says the snapshot is stale, so another
process starting from the folder makes a full run: the snapshot is only a cache of the files,
never the data.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SH
from rdflib.term import BNode, Identifier, Node, URIRef
from rdflib.util import from_n3

from civgraph import __version__, atomic, locking, resources, rule_order, sparql_tokens, teardown
from civgraph import rule_inputs as inputs_module
from civgraph import rule_locality as locality_module
from civgraph import rule_routes as routes_module
from civgraph.attribution import RawResult
from civgraph.catalogue import shape_files
from civgraph.context import context_triples
from civgraph.due import load_due_queries
from civgraph.errors import CivgraphError, InputError
from civgraph.file_versions import (
    HELD_BYTES,
    N_TRIPLES,
    VERSIONS_DIR,
    FileVersions,
    has_blank,
)
from civgraph.loading import ensure_units, load_ontology, media_type_of, ontology_files, rdf_files
from civgraph.namespaces import CIV, DERIVED_GRAPH
from civgraph.rule_inputs import ChangedTerms, RuleInputs, changed_terms, rule_inputs
from civgraph.rule_locality import Locality, locality, restricted
from civgraph.rule_order import read_from_later, waits_for
from civgraph.rule_routes import Reader, Route
from civgraph.rules import Rule, apply_rules, derive, load_rules, reported_at
from civgraph.settings import Settings
from civgraph.sparql_engine.focus_filter import CHUNK, chunks
from civgraph.store import OxigraphStore

STATE_FILE = "state.json"
#: Held (flock) by the checker that works on the folder: one at a time (a watch, a nightly run).
LOCK_FILE = ".lock"
ONTOLOGY_GRAPH = "https://w3id.org/civgraph/graph/ontology"
#: The snapshot of the store: a pyoxigraph (RocksDB) folder.
SNAPSHOT_DIR = "store"
#: Where an older civgraph kept its snapshot (N-Quads); removed once a new one is written.
_OLD_SNAPSHOT_FILE = "graph.nq"
#: The layout of the state folder; another one (an older civgraph's) makes the run a full one.
STATE_FORMAT = 3
#: The evaluation context (the as-of date and the calendar), apart from the rules' output.
CONTEXT_GRAPH = f"{DERIVED_GRAPH}/context"
#: Above one changed subject per this many quads, a local rule or due query is run over
#: everything. Asked about listed nodes, it is asked in runs of at most
#: :data:`~civgraph.sparql_engine.focus_filter.CHUNK`: pyoxigraph answers the deadlines rule
#: for 1,000 listed nodes in 0.03 s, for 1,500 in 5 s (a join it plans otherwise past some
#: size), over everything in 0.4 s (1M triples).
_KEYS_SHARE = 100
#: A file's recorded size and times are trusted only if it had been still this long before.
_STILL_NS = 100_000_000
#: Above one affected node per this many quads, validating everything is cheaper (at 1M
#: triples: 0.4-0.5 s for everything; 0.09 s for 1,000 listed complaints, 0.16 s for 2,500,
#: each shape asked only about the listed nodes it targets) …
_WIDE_CHANGE = 250
#: … but a few hundred nodes are always cheap to validate on their own.
_FEW_NODES = 200
#: Above this share of the data's bytes in changed files, a full run is cheaper than a diff
#: (the diff reads each changed file's triples from the on-disk store and parses the file, and
#: such a change reaches most rules, which then run over everything on disk).
_MOST_OF_THE_DATA = 0.5


@dataclass(frozen=True, kw_only=True)
class Change:
    """What the last incremental run found changed: the triples (N-Triples lines, the data's
    and the derived ones) and their predicates and classes."""

    lines: frozenset[bytes]
    terms: ChangedTerms

    def subjects(self, predicates: Iterable[str]) -> set[str]:
        """The subject IRIs of changed triples with one of these predicates."""
        wanted = {f"<{p}>".encode() for p in predicates}
        found: set[str] = set()
        for line in self.lines:
            subject, predicate, _rest = line.split(b" ", 2)
            if predicate in wanted and subject.startswith(b"<"):
                found.add(subject[1:-1].decode("utf-8"))
        return found


@dataclass(kw_only=True)
class IncrementalStats:
    """What an incremental run did (for logs and the benchmark)."""

    full: bool
    reason: str
    files_changed: int = 0
    triples_changed: int = 0
    derived_changed: int = 0
    rules_run: list[str] = field(default_factory=list)
    affected_nodes: int = 0
    results_kept: int = 0
    results_new: int = 0
    shapes_in_full: list[str] = field(default_factory=list)


def file_graph(path: Path) -> str:
    """The named graph holding one data file's triples."""
    return path.resolve().as_uri()


def rule_graph(rule: Rule) -> str:
    """The named graph holding one rule's output, so a rule can be re-run on its own."""
    return f"{DERIVED_GRAPH}/rule/{rule.id}"


def _file_stat(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _configuration(codes: Sequence[str], settings: Settings) -> str:
    """A digest of everything besides the data that results depend on."""
    digest = hashlib.sha256(__version__.encode())
    files = [shape_files()[c] for c in codes]
    files += sorted(resources.folder("rules").rglob("*.rq")) + ontology_files()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(settings.__dict__, sort_keys=True).encode())
    digest.update(",".join(codes).encode())
    return digest.hexdigest()


def encode_result(result: RawResult) -> dict[str, Any]:
    """A raw result as JSON, its terms written as N-Triples terms (see :func:`decode_result`)."""
    return {
        "focus": _written(result.focus),
        "path": result.path,
        "value": None if result.value is None else _written(result.value),
        "shape": _written(result.source_shape),
        "component": _written(result.component),
        "severity": _written(result.severity),
        "messages": [_written(m) for m in result.messages],
    }


@lru_cache(maxsize=8192)  # shapes, components, severities and messages repeat across results
def _written(term: Node) -> str:
    return term.n3()


@lru_cache(maxsize=8192)  # shapes, components, severities and messages repeat across results
def _term(text: str) -> Node:
    if text.startswith("<") and text.endswith(">") and "\\" not in text:
        return URIRef(text[1:-1])  # most terms: read at once, not by rdflib's general parser
    term = from_n3(text)
    if not isinstance(term, Node):
        raise InputError(f"corrupt incremental state: cannot read term {text!r}")
    return term


def decode_result(data: dict[str, Any]) -> RawResult:
    """The inverse of :func:`encode_result`."""
    focus = _term(data["focus"])
    assert isinstance(focus, Identifier)
    messages = tuple(m for m in (_term(t) for t in data["messages"]) if isinstance(m, Literal))
    return RawResult(
        focus=focus,
        path=data["path"],
        value=None if data["value"] is None else _term(data["value"]),
        source_shape=_term(data["shape"]),
        component=_term(data["component"]),
        severity=_term(data["severity"]),
        messages=messages,
    )


def _path_predicates(shapes: Graph) -> tuple[set[URIRef], set[URIRef], int]:
    """Predicates walked forwards and backwards by the shapes' paths, and the longest path."""
    return predicates_of(shapes, set(shapes.objects(None, SH.path)))


def predicates_of(shapes: Graph, paths: Iterable[Node]) -> tuple[set[URIRef], set[URIRef], int]:
    """Predicates walked forwards and backwards by these SHACL paths, and the longest path."""
    forward: set[URIRef] = set()
    inverse: set[URIRef] = set()

    def walk(node: Node, flipped: bool) -> int:
        if isinstance(node, URIRef):
            (inverse if flipped else forward).add(node)
            return 1
        if not isinstance(node, BNode):
            return 0
        inner = shapes.value(node, SH.inversePath)
        if inner is not None:
            return walk(inner, not flipped)
        alternatives = shapes.value(node, SH.alternativePath)
        if alternatives is not None:
            return max((walk(m, flipped) for m in shapes.items(alternatives)), default=0)
        for repeat in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
            inner = shapes.value(node, repeat)
            if inner is not None:
                walk(inner, flipped)
                return 64  # unbounded repetition: widen as far as it reaches
        return sum(walk(m, flipped) for m in shapes.items(node))

    longest = 1
    for path in paths:
        longest = max(longest, walk(path, False))
    return forward, inverse, longest


def _sparql_shapes(shapes: Graph) -> set[Node]:
    """Node shapes whose results may depend on anything (SPARQL constraints or targets)."""
    found: set[Node] = set()
    for shape in set(shapes.subjects(SH.sparql, None)) | set(shapes.subjects(SH.target, None)):
        found.add(shape)
    # a property shape with a SPARQL constraint belongs to its node shape: widen to the owner
    for owner, prop in shapes.subject_objects(SH.property):
        if prop in found:
            found.add(owner)
    return found


class IncrementalChecker:
    """Checks data kept in ``state_dir`` and re-validates only what a change can affect.

    ``snapshot="every-run"`` writes the store's snapshot after each run (a nightly process
    that exits); ``"on-close"`` keeps the store in memory across runs and writes the snapshot
    once, in :meth:`close` (a long-lived process, see :class:`civgraph.api.IncrementalSession`).
    """

    def __init__(self, state_dir: Path, *, snapshot: str = "every-run") -> None:
        if snapshot not in ("every-run", "on-close"):
            raise ValueError(f"snapshot must be 'every-run' or 'on-close', not {snapshot!r}")
        self.state_dir = state_dir
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{state_dir}: cannot create state folder: {exc.strerror}") from None
        self._lock = _hold(state_dir)
        self.state_path = state_dir / STATE_FILE
        self.snapshot_dir = state_dir / SNAPSHOT_DIR
        self.snapshot_each_run = snapshot == "every-run"
        #: The N-Triples data files as last loaded, to diff a changed one by its lines.
        #: A checker kept open (a session) also holds the copies in memory; a one-shot
        #: run's process ends before it could use them.
        self.versions = FileVersions(
            state_dir / VERSIONS_DIR,
            held_bytes=0 if self.snapshot_each_run else HELD_BYTES,
            # written when the checker closes, with the snapshot (see FileVersions.flush)
            write_on_flush=not self.snapshot_each_run,
        )
        #: Changed N-Triples files read whole to hash them, with the hash of their first
        #: bytes (as many as their kept copy's), for the diff of the same run to use.
        self._read: dict[str, tuple[bytes, str | None]] = {}
        # A full run works in memory (pyoxigraph loads and runs the rules several times
        # faster there than on disk). Between processes the store lives on disk, in a
        # pyoxigraph (RocksDB) folder replaced atomically: it opens at once, where reading
        # back a copy costs about what loading the data does. The snapshot is read only by an
        # incremental run: a full one starts from the files.
        self.store = OxigraphStore()
        #: The store's triple count after the last run (None before the first).
        self.triples: int | None = None
        #: What the last run changed, or None after a full run (everything may have).
        self.change: Change | None = None
        #: The run id of the last run this checker saved while its store stayed current.
        self._current: str | None = None
        self._snapshot_stale = False
        #: The last run's results while the store stays current (not decoded again).
        self._results: list[RawResult] | None = None
        #: The as-of date and settings whose evaluation context this checker put in the store.
        self._context: tuple[date, Settings] | None = None

    @property
    def current_run(self) -> str | None:
        """The id of this checker's last run while its store stays as that run left it."""
        return self._current

    def saved_run(self) -> str | None:
        """The id of the last run the folder records as finished (None: none, or interrupted)."""
        state = self._read_state()
        run = None if state is None or state.get("dirty") else state.get("run")
        return run if isinstance(run, str) else None

    def read_snapshot(self) -> bool:
        """Open the last run's store; False (and no state) if the snapshot is unreadable.

        The run works on it in place: it changes only what changed, and the snapshot is
        current again once the store is flushed."""
        self._let_go()
        self._context = None  # the snapshot's context is compared with the run's, not trusted
        try:
            if not (self.snapshot_dir / "CURRENT").is_file():
                raise InputError(f"{self.snapshot_dir}: no store")
            self.store = OxigraphStore(path=self.snapshot_dir)
        except InputError:
            self.store = OxigraphStore()
            self.state_path.unlink(missing_ok=True)
            return False
        return True

    def _let_go(self) -> None:
        """Drop the store: an on-disk one is flushed and closed (its folder may be replaced
        next), an in-memory one is left to :func:`civgraph.teardown.release`."""
        store = self.__dict__.pop("store", None)
        if isinstance(store, OxigraphStore) and store.path is not None:
            store.native.flush()
            del store  # the last reference: pyoxigraph closes the folder
        else:
            teardown.release(store)

    def close(self) -> None:
        """Write a snapshot still owed, then let go of the store now (see
        :func:`civgraph.teardown.release`)."""
        self.versions.flush()  # content-addressed: right to write whatever the run left
        if self._snapshot_stale and self._current is not None:
            state = self._read_state()
            if state is not None and state.get("run") == self._current:
                self._write_snapshot()
                results = [encode_result(r) for r in self._results or []]
                self._write_state({**state, "snapshot": True, "results": results})
            self._snapshot_stale = False
        self._current = None
        self._let_go()
        self._lock.close()  # lets the next checker of the folder in

    def _write_snapshot(self) -> None:
        if self.store.path == self.snapshot_dir:  # the run changed the snapshot itself
            self.store.native.flush()
            return
        atomic.sweep_scratch(self.state_dir, name=SNAPSHOT_DIR)
        scratch = atomic.scratch_dir(self.state_dir, SNAPSHOT_DIR)
        disk = ox.Store(str(scratch))
        disk.bulk_extend(self.store.native)
        disk.flush()
        del disk  # closed before its folder is moved
        atomic.fsync_tree(scratch)
        atomic.swap_directory(scratch, self.snapshot_dir)
        (self.state_dir / _OLD_SNAPSHOT_FILE).unlink(missing_ok=True)

    # -- state ----------------------------------------------------------------------------------
    def _read_state(self) -> dict[str, Any] | None:
        if not self.state_path.is_file():
            return None
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        return data if isinstance(data, dict) else None

    def _write_state(self, state: dict[str, Any]) -> None:
        atomic.write_file_atomic(
            self.state_path, json.dumps(state, ensure_ascii=False).encode("utf-8")
        )

    def _hashes(
        self, files: Sequence[Path], previous: dict[str, Any] | None
    ) -> tuple[dict[str, str], dict[str, list[int]], dict[str, int]]:
        """Each file's content hash, read again only where its size or times say it changed;
        the size and times to trust next time; each file's size."""
        old_hashes: dict[str, str] = (previous or {}).get("files", {})
        old_stats: dict[str, list[int]] = (previous or {}).get("stats", {})
        looked = time.time_ns()
        hashes: dict[str, str] = {}
        stats: dict[str, list[int]] = {}
        sizes: dict[str, int] = {}
        self._read = {}
        budget = HELD_BYTES if previous is not None else 0  # a first run diffs nothing
        for path in files:
            graph = file_graph(path)
            stat = _file_stat(path)
            sizes[graph] = stat[0]
            if graph in old_hashes and old_stats.get(graph) == stat:
                hashes[graph] = old_hashes[graph]
            elif stat[0] <= budget and media_type_of(path) == N_TRIPLES:
                # read once for the hash and the diff: the hash of the first bytes tells
                # lines appended, in the same pass (see FileVersions.diff)
                data = path.read_bytes()
                hashes[graph], prefix_hash = self.versions.digests(data, old_hashes.get(graph))
                self._read[graph] = (data, prefix_hash)
                budget -= len(data)
            else:
                hashes[graph] = _sha256(path)
            if stat[1] < looked - _STILL_NS:  # trusted next time only if it was still already
                stats[graph] = stat
        return hashes, stats, sizes

    # -- the run --------------------------------------------------------------------------------
    def run(
        self,
        sources: Sequence[Path],
        *,
        as_of: date,
        settings: Settings,
        shapes: Graph,
        codes: Sequence[str],
        validate_on: Any,
    ) -> tuple[list[RawResult], IncrementalStats]:
        """Bring the store up to date with ``sources`` and return the raw results.

        ``validate_on(store, focus_nodes, full_shapes)`` validates: ``focus_nodes=None`` means all.
        """
        files = rdf_files(sources)
        if not files:
            raise InputError("no RDF files found in " + ", ".join(str(p) for p in sources))
        previous = self._read_state()
        warm = self._current is not None and (previous or {}).get("run") == self._current
        self._current = None  # until this run is saved, the store may be half changed
        if not warm:
            self._results = None
        hashes, stats, sizes = self._hashes(files, previous)
        paths = {file_graph(f): f for f in files}
        configuration = _configuration(codes, settings)
        if previous is not None and previous.get("configuration") == configuration:
            _recall_analyses(previous.get("analysis"))
        reason = ""
        if previous is None:
            reason = "no previous state"
        elif previous.get("dirty"):
            reason = "the previous run was interrupted"
        elif previous.get("format") != STATE_FORMAT or not isinstance(previous.get("triples"), int):
            reason = "the state was written by another civgraph"
        elif previous.get("configuration") != configuration:
            reason = "shapes, rules, ontology, settings or version changed"
        elif not warm and not previous.get("snapshot"):
            reason = "the last run's store was not saved"
        elif not warm and not self.snapshot_each_run:
            # a checker kept open works in memory, where its later runs are several times
            # faster; copying the on-disk store into memory costs more than loading the files
            reason = "a session starts in memory, from the files"
        elif _changed_share(sizes, hashes, previous.get("files", {})) > _MOST_OF_THE_DATA:
            # parsing the changed files to diff them costs about what loading them does, and
            # the diff then reaches most rules and nodes: a full run is cheaper
            reason = "most of the data changed"
        elif not warm and not self.read_snapshot():
            reason = "the previous run's store is unreadable"
        try:
            if reason:
                return self._full(
                    paths, hashes, stats, as_of, settings, configuration, validate_on, reason
                )
            assert previous is not None
            return self._incremental(
                previous, paths, hashes, stats, as_of, settings, configuration, shapes, validate_on
            )
        finally:
            self._read = {}  # the files' bytes are not held past the run

    def _load(self, graph: str, path: Path) -> None:
        self.store.load_file(path, media_type=media_type_of(path), graph=graph)

    def _full(
        self,
        paths: dict[str, Path],
        hashes: dict[str, str],
        stats: dict[str, list[int]],
        as_of: date,
        settings: Settings,
        configuration: str,
        validate_on: Any,
        reason: str,
    ) -> tuple[list[RawResult], IncrementalStats]:
        self._write_state({"dirty": True})
        if self.store.path is not None:  # the snapshot, read by an earlier run: start afresh
            self._let_go()
            self.store = OxigraphStore()
        else:
            self.store.clear()
        # what the rules read, worked out (in rdflib, once a process) while pyoxigraph parses
        # the files without the interpreter lock, rather than in the first incremental run
        warming = threading.Thread(target=_analyse_rules, name="civgraph-rule-analysis")
        warming.start()
        # each file's copy is kept (read, hashed, written or held) while pyoxigraph parses the
        # next one: both let go of the interpreter lock, so the copies cost a second core
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="civgraph-keep") as keeper:
            keeping = []
            for graph, path in sorted(paths.items()):
                self._load(graph, path)
                if media_type_of(path) == N_TRIPLES:
                    keeping.append(keeper.submit(self._keep, graph, path, hashes[graph]))
            for kept in keeping:
                kept.result()
        warming.join()
        ensure_units(self.store, where=", ".join(str(p) for p in paths.values()))
        # the ontology in a graph of its own: it only changes with the configuration, and a
        # reload would give its blank nodes new names (a change that is none)
        load_ontology(self.store, graph=ONTOLOGY_GRAPH)
        self.store.add(context_triples(as_of=as_of, settings=settings), graph=CONTEXT_GRAPH)
        self._context = (as_of, settings)
        apply_rules(
            self.store, runner=lambda store, rule: derive(store, rule, graph=rule_graph(rule))
        )
        # that everything changed is known before the validation (a session asks what is due
        # while it runs); what the store holds is counted beside it, as a full check does:
        # with no change to size up, nothing asks the count before the run is saved
        self.change = None
        self.triples = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="civgraph-count") as counter:
            counting = counter.submit(self.store.triple_count)
            results: list[RawResult] = list(validate_on(self.store, None, set()))
            self.triples = counting.result()
        self._save(hashes, stats, configuration, as_of, results)
        return results, IncrementalStats(full=True, reason=reason, results_new=len(results))

    def _save(
        self,
        hashes: dict[str, str],
        stats: dict[str, list[int]],
        configuration: str,
        as_of: date,
        results: list[RawResult],
    ) -> None:
        # state.json says "dirty" from before the store changed until both files are written:
        # a run killed in between is followed by a full one.
        if self.snapshot_each_run:
            self._write_snapshot()
        self.versions.sweep(hashes.values())
        run = secrets.token_hex(8)
        self._write_state(
            {
                "format": STATE_FORMAT,
                "dirty": False,
                "run": run,
                "snapshot": self.snapshot_each_run,
                "configuration": configuration,
                "as_of": as_of.isoformat(),
                "triples": self.triples,
                "files": hashes,
                "stats": stats,
                # without a snapshot the results are of no use to another process: they are
                # kept in memory and written with the snapshot, when the checker closes
                "results": [encode_result(r) for r in results] if self.snapshot_each_run else [],
                "analysis": _analyses(),
            }
        )
        self._current = run
        self._results = results
        self._snapshot_stale = not self.snapshot_each_run

    def _lines(self, graph: str) -> set[bytes]:
        """One named graph as a set of N-Triples lines (compared as text: fast, and exact)."""
        dump = self.store.native.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        return set(dump.splitlines()) if dump else set()

    def _holds(self, graph: str) -> Callable[[ox.Triple], bool]:
        """Whether one named graph holds a triple."""
        native, named = self.store.native, ox.NamedNode(graph)
        return lambda t: ox.Quad(t.subject, t.predicate, t.object, named) in native

    def _keep(self, graph: str, path: Path, content_hash: str) -> None:
        """Keep a copy of a file loaded whole into ``graph`` (its graph is not written to
        while this runs: it may run beside the load of another file)."""
        self.versions.keep_file(content_hash, path, triples=self._size(graph))

    def _size(self, graph: str) -> int:
        """How many triples one named graph holds."""
        answer = self.store.native.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        )
        assert isinstance(answer, ox.QuerySolutions)
        count = next(iter(answer))["n"]
        return int(count.value) if isinstance(count, ox.Literal) else 0

    @staticmethod
    def _file_lines(path: Path) -> set[bytes]:
        """A data file as N-Triples lines, literals written as the store keeps them."""
        scratch = OxigraphStore()
        scratch.load_file(path, media_type=media_type_of(path))
        dump = scratch.native.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return set(dump.splitlines()) if dump else set()

    def _apply(self, graph: str, path: Path, removed: set[bytes], added: set[bytes]) -> None:
        """Bring one file's graph up to date by its difference only."""
        if any(has_blank(line) for line in removed | added) or self.store.records_written_types(
            path, media_type=media_type_of(path)
        ):
            # blank nodes cannot be named in DELETE DATA, and literals whose datatype the store
            # rewrites must be recorded as written (see civgraph.store.written_datatypes):
            # reload the file's graph whole
            self.store.clear_graph(graph)
            self._load(graph, path)
            return
        self._apply_lines(graph, removed, added)

    def _apply_lines(self, graph: str, removed: set[bytes], added: set[bytes]) -> None:
        """Remove and add these N-Triples lines (no blank nodes) in one file's graph."""
        native = self.store.native
        named = ox.NamedNode(graph)
        # the lines parsed as N-Triples, not sent as SPARQL updates: a DELETE/INSERT DATA of
        # 10,000 triples costs 0.08 s to parse as a query
        if removed:
            for triple in ox.parse(b"\n".join(removed) + b"\n", format=ox.RdfFormat.N_TRIPLES):
                native.remove(ox.Quad(triple.subject, triple.predicate, triple.object, named))
        if added:
            native.load(b"\n".join(added) + b"\n", format=ox.RdfFormat.N_TRIPLES, to_graph=named)

    def _rederive(
        self, as_of: date, settings: Settings, changed: set[bytes], *, triples: int
    ) -> tuple[set[bytes], list[str], ChangedTerms, int]:
        """Run again the rules a change can reach (in a store of about ``triples``); the derived
        triples that changed, the rules that ran, the terms of every changed triple, and how
        many triples more the store has."""
        derived: set[bytes] = set()
        growth = 0
        if self._context != (as_of, settings):  # else the store holds this context already
            before = self._lines(CONTEXT_GRAPH)
            self.store.clear_graph(CONTEXT_GRAPH)
            self.store.add(context_triples(as_of=as_of, settings=settings), graph=CONTEXT_GRAPH)
            self._context = (as_of, settings)
            after = self._lines(CONTEXT_GRAPH)
            derived = before ^ after
            growth = len(after) - len(before)
        seen = self._with_superclasses(changed_terms(changed | derived))
        rules = load_rules()
        by_id = {rule.id: rule for rule in rules}
        # a rule must not see what a later rule derives (the rules run as if in file order):
        # when it runs again, so must every later rule it reads from, after their outputs
        # are set aside
        access = {rule.id: rule_inputs(rule.query) for rule in rules}
        waits = waits_for(rules)
        position = {rule.id: index for index, rule in enumerate(rules)}
        later_feeders = {
            rule.id: {
                other
                for other in waits
                if rule.id in waits[other] and position[other] > position[rule.id]
            }
            for rule in rules
        }
        # a rule asked about some nodes alone sees the later rules' output as it stands
        sees_later = read_from_later(rules)
        forced: set[str] = set()
        set_aside: dict[str, set[bytes]] = {}
        ran: list[str] = []
        lock = threading.Lock()

        def runner(store: Any, rule: Rule) -> int | None:
            nonlocal seen, derived, growth
            local = locality(rule.query)
            with lock:
                again = rule.id in forced or access[rule.id].sees(seen)
                keys = (
                    None
                    if not again or rule.id in forced or sees_later[rule.id]
                    else local_keys(local, seen, changed | derived, triples=triples)
                )
            if not again:
                return None
            if keys is not None and local is not None and local.readers is not None:
                with lock:
                    lines = changed | derived
                keys = self._reach(local.readers, lines, limit=key_limit(triples))
            elif keys is not None and local is not None and local.edges:
                keys = self._walk_back(keys, local, limit=key_limit(triples))
            if keys is not None:
                assert local is not None
                difference, grown = self._rederive_for(rule, local, keys)
                terms = self._with_superclasses(changed_terms(difference))
                with lock:
                    derived |= difference
                    growth += grown
                    seen = seen | terms
                    ran.append(rule.id)
                return None
            for later in sorted(later_feeders[rule.id]):
                graph = rule_graph(by_id[later])
                with lock:
                    forced.add(later)
                    set_aside.setdefault(later, self._lines(graph))
                self.store.clear_graph(graph)
            graph = rule_graph(rule)
            with lock:
                old = set_aside.pop(rule.id, None)
            if old is None:
                old = self._lines(graph)
            self.store.clear_graph(graph)
            with reported_at(rule):
                new = self.store.derive_lines(rule.query, graph=graph)
            difference = old ^ new
            terms = self._with_superclasses(changed_terms(difference))
            with lock:
                derived |= difference
                growth += len(new) - len(old)
                seen = seen | terms
                ran.append(rule.id)
            return len(new)

        apply_rules(self.store, rules=rules, runner=runner)
        return derived, [rule.id for rule in rules if rule.id in ran], seen, growth

    def _walk_back(self, keys: list[str], local: Locality, *, limit: int) -> list[str] | None:
        """The keys whose tree (see :class:`~civgraph.rule_locality.Locality`) holds one of
        the changed subjects ``keys``: walked back along its edges, as deep as it goes; None
        past ``limit`` nodes or at a blank node (the rule then runs in full)."""
        native = self.store.native
        edges = [ox.NamedNode(p) for p in sorted(local.edges)]
        found = set(keys)
        frontier = set(keys)
        for _step in range(local.depth):
            reached: set[str] = set()
            for node in frontier:
                target = ox.NamedNode(node)
                for edge in edges:
                    for quad in native.quads_for_pattern(None, edge, target, None):
                        if not isinstance(quad.subject, ox.NamedNode):
                            return None
                        reached.add(quad.subject.value)
            frontier = reached - found
            found |= frontier
            if len(found) > limit:
                return None
            if not frontier:
                break
        return sorted(found)

    def _reach(
        self, readers: tuple[Reader, ...], lines: Iterable[bytes], *, limit: int
    ) -> list[str] | None:
        """The keys the changed triples ``lines`` reach along the rule's routes (see
        :mod:`civgraph.rule_routes`); None past ``limit`` nodes, or where a blank node is on
        the way (the rule then runs in full)."""
        by_predicate: dict[bytes, list[Reader]] = {}
        for reader in readers:
            by_predicate.setdefault(f"<{reader.predicate}>".encode(), []).append(reader)
        relevant = [line for line in lines if _predicate_token(line) in by_predicate]
        if any(has_blank(line) for line in relevant):
            return None
        starts: dict[Route, set[ox.NamedNode | ox.Literal]] = {}
        for triple in ox.parse(b"\n".join(relevant) + b"\n", format=ox.RdfFormat.N_TRIPLES):
            for reader in by_predicate[f"<{triple.predicate.value}>".encode()]:
                if reader.from_subject is not None and isinstance(triple.subject, ox.NamedNode):
                    starts.setdefault(reader.from_subject, set()).add(triple.subject)
                if reader.from_object is not None and isinstance(
                    triple.object, (ox.NamedNode, ox.Literal)
                ):
                    starts.setdefault(reader.from_object, set()).add(triple.object)
        native = self.store.native
        keys: set[ox.NamedNode | ox.Literal] = set()
        for route, nodes in starts.items():
            for predicate, forwards in route:
                step = ox.NamedNode(predicate)
                reached: set[ox.NamedNode | ox.Literal] = set()
                for node in nodes:
                    if forwards and isinstance(node, ox.NamedNode):
                        found = (q.object for q in native.quads_for_pattern(node, step, None))
                    elif not forwards:
                        found = (q.subject for q in native.quads_for_pattern(None, step, node))
                    else:
                        continue
                    for term in found:
                        if isinstance(term, ox.BlankNode):
                            return None
                        if isinstance(term, (ox.NamedNode, ox.Literal)):
                            reached.add(term)
                if len(reached) > limit:
                    return None
                nodes = reached
            keys |= nodes
            if len(keys) > limit:
                return None
        # a key bound to a literal cannot be asked about in VALUES as an IRI
        if any(not isinstance(key, ox.NamedNode) for key in keys):
            return None
        return sorted(key.value for key in keys)

    def _rederive_for(self, rule: Rule, local: Locality, keys: list[str]) -> tuple[set[bytes], int]:
        """Run a local rule again for the ``keys`` alone: its output about them (see
        :class:`~civgraph.rule_locality.Locality`) is replaced. The derived triples that
        changed, and how many triples more the store has."""
        graph = ox.NamedNode(rule_graph(rule))
        native = self.store.native
        inbound = [ox.NamedNode(p) for p in sorted(local.inbound)]
        old_quads = [
            quad
            for node in keys
            for quad in native.quads_for_pattern(ox.NamedNode(node), None, None, graph)
            if quad.predicate.value not in local.inbound
        ] + [
            quad
            for node in keys
            for predicate in inbound
            for quad in native.quads_for_pattern(None, predicate, ox.NamedNode(node), graph)
        ]
        old_text = ox.serialize([q.triple for q in old_quads], format=ox.RdfFormat.N_TRIPLES)
        old = set(old_text.splitlines()) if old_text else set()
        for quad in old_quads:
            native.remove(quad)
        new: set[bytes] = set()
        for query in narrowed(rule.query, local.key, keys):
            answer = native.query(query, use_default_graph_as_union=True)
            if not isinstance(answer, ox.QueryTriples):
                raise InputError(f"{rule.path}: a rule must be a SPARQL CONSTRUCT query")
            text = answer.serialize(format=ox.RdfFormat.N_TRIPLES)
            new.update(text.splitlines() if text else ())
        if new:
            native.load(  # lenient: the rule's own output, written by pyoxigraph
                b"\n".join(sorted(new)) + b"\n",
                format=ox.RdfFormat.N_TRIPLES,
                to_graph=graph,
                lenient=True,
            )
        return old ^ new, len(new) - len(old)

    def _with_superclasses(self, terms: ChangedTerms) -> ChangedTerms:
        """``terms`` and every superclass of its classes (rules may read ``a/rdfs:subClassOf*``)."""
        if not terms.classes:
            return terms
        values = " ".join(f"<{c}>" for c in sorted(terms.classes))
        solutions = self.store.native.query(
            f"SELECT DISTINCT ?super WHERE {{ VALUES ?class {{ {values} }} "
            f"?class <{RDFS.subClassOf}>+ ?super }}",
            use_default_graph_as_union=True,
        )
        assert isinstance(solutions, ox.QuerySolutions)
        supers = {row["super"].value for row in solutions if isinstance(row["super"], ox.NamedNode)}
        return terms | ChangedTerms(predicates=frozenset(), classes=frozenset(supers))

    def _incremental(
        self,
        previous: dict[str, Any],
        paths: dict[str, Path],
        hashes: dict[str, str],
        stats_now: dict[str, list[int]],
        as_of: date,
        settings: Settings,
        configuration: str,
        shapes: Graph,
        validate_on: Any,
    ) -> tuple[list[RawResult], IncrementalStats]:
        old_hashes: dict[str, str] = previous.get("files", {})
        stats = IncrementalStats(full=False, reason="incremental")
        changed_lines: set[bytes] = set()
        triples: int = previous["triples"]  # kept up to date below: counting costs a full walk
        self._write_state({**previous, "dirty": True})
        for graph in sorted(set(old_hashes) - set(hashes)):  # removed files
            gone = self._lines(graph)
            triples -= len(gone)
            changed_lines |= gone
            stats.files_changed += 1
            self.store.clear_graph(graph)
        for graph in sorted(hashes):
            if old_hashes.get(graph) == hashes[graph]:
                continue
            stats.files_changed += 1
            path = paths[graph]
            read = self._read.pop(graph, None)
            data = path.read_bytes() if read is None and media_type_of(path) == N_TRIPLES else None
            prefix_hash: str | None = None
            if read is not None:  # read once, when it was hashed
                data, prefix_hash = read
            elif data is not None:
                whole, prefix_hash = self.versions.digests(data, old_hashes.get(graph))
                if whole != hashes[graph]:
                    data = None  # changed again since it was hashed: no line diff, no copy kept
            if graph not in old_hashes:  # a new file: loaded once, straight into its graph
                self._load(graph, path)
                added = self._lines(graph)
                triples += len(added)
                changed_lines |= added
                if data is not None:
                    self.versions.keep(hashes[graph], data, triples=len(added))
                continue
            by_lines = (
                self.versions.diff(
                    old_hashes[graph], data, present=self._holds(graph), prefix_hash=prefix_hash
                )
                if data is not None
                else None
            )
            if by_lines is not None:  # the lines that differ from the file's kept last version
                removed, added = by_lines.removed, by_lines.added
                self._apply_lines(graph, removed, added)
                triples += len(added) - len(removed)
                changed_lines |= removed | added
                assert data is not None
                self.versions.keep_diffed(old_hashes[graph], hashes[graph], data, by_lines)
                continue
            before = self._lines(graph)
            after = self._file_lines(path)
            removed, added = before - after, after - before
            self._apply(graph, path, removed, added)
            triples += len(after) - len(before)
            changed_lines |= removed | added
            if data is not None:
                self.versions.keep(hashes[graph], data, triples=len(after))
        stats.triples_changed = len(changed_lines)
        ensure_units(self.store, where=", ".join(str(p) for p in paths.values()))
        derived_difference, stats.rules_run, terms, growth = self._rederive(
            as_of, settings, changed_lines, triples=triples
        )
        stats.derived_changed = len(derived_difference)
        self.change = Change(lines=frozenset(changed_lines | derived_difference), terms=terms)
        # a triple's object is a changed node only where some focus node reads the triple from
        # the object's side; every other reader reaches the triple through its subject
        forward, inverse, depth = _path_predicates(shapes)
        objects_of = _object_predicates(shapes, inverse)
        changed = node_tokens(changed_lines, objects_of) | node_tokens(
            derived_difference, objects_of
        )
        self.triples = triples + growth
        limit = node_limit(self.triples)
        # a changed class hierarchy moves instances in and out of targets wholesale
        hierarchy = str(RDFS.subClassOf) in terms.predicates
        # A changed rdf:type makes its subject a changed node already; walking back from a class
        # to all its instances is needed only if a shape's path itself uses rdf:type.
        reach = (
            None
            if hierarchy
            else self.walk_back(changed, forward, inverse, depth=depth, limit=limit)
        )
        affected = _identifiers(reach) if reach is not None else set()
        stats.affected_nodes = len(affected) if reach is not None else self.triples
        if reach is None or len(affected) > limit:
            # restricting every query to so many nodes costs more than checking them all
            stats.reason = "incremental diff, full validation (the change reached too much)"
            results = list(validate_on(self.store, None, set()))
            stats.results_new = len(results)
            self._save(hashes, stats_now, configuration, as_of, results)
            return results, stats
        full_shapes = _sparql_shapes(shapes)
        stats.shapes_in_full = sorted(str(s) for s in full_shapes)
        fresh: list[RawResult] = list(validate_on(self.store, affected, full_shapes))
        owner = _owners(shapes)
        last = self._results
        if last is None:
            last = [decode_result(d) for d in previous.get("results", [])]
        kept = [
            r
            for r in last
            if r.focus not in affected and owner.get(r.source_shape) not in full_shapes
        ]
        stats.results_kept, stats.results_new = len(kept), len(fresh)
        results = kept + fresh
        self._save(hashes, stats_now, configuration, as_of, results)
        return results, stats

    def walk_back(
        self,
        nodes: set[str],
        forward: Iterable[Node],
        inverse: Iterable[Node],
        *,
        depth: int,
        limit: int,
    ) -> set[str] | None:
        """``nodes`` (N-Triples tokens) and every node reaching one of them in at most
        ``depth`` steps, each along a ``forward`` predicate or against an ``inverse`` one;
        None as soon as the walk would reach more than ``limit`` nodes."""
        affected = set(nodes)
        frontier = {n for n in nodes if n.startswith("<")}
        steps = [f"<{p}>" for p in sorted(map(str, forward))]
        inverse_steps = [f"^<{p}>" for p in sorted(map(str, inverse))]
        steps += inverse_steps
        native = self.store.native
        for _ in range(depth):
            if len(affected) > limit:
                return None
            if not frontier or not steps:
                break
            # a query per hop (per run of CHUNK frontier nodes), every predicate a branch of
            # one path: an index lookup per changed node and predicate, without a query per
            # predicate to parse and plan, and no further than one node past the limit
            reached: set[str] = set()
            for part in chunks(
                self._pointed_at(frontier) if not inverse_steps else sorted(frontier)
            ):
                room = limit - len(affected | reached)
                query = (
                    f"SELECT DISTINCT ?f WHERE {{ VALUES ?n {{ {' '.join(part)} }} "
                    f"?f ({'|'.join(steps)}) ?n FILTER(!isLiteral(?f)) }} LIMIT {room + 1}"
                )
                solutions = native.query(query, use_default_graph_as_union=True)
                assert isinstance(solutions, ox.QuerySolutions)
                rows = 0
                for row in solutions:
                    rows += 1
                    term = row["f"]
                    if isinstance(term, ox.NamedNode):
                        reached.add(f"<{term.value}>")
                    elif isinstance(term, ox.BlankNode):
                        reached.add(f"_:{term.value}")
                if rows > room or len(affected | reached) > limit:  # cut short: too far
                    return None
            frontier = {n for n in reached - affected if n.startswith("<")}
            affected |= reached
        return affected if len(affected) <= limit else None

    def _pointed_at(self, nodes: Iterable[str]) -> list[str]:
        """Those of ``nodes`` (IRIs as N-Triples tokens) that some triple has as its object.

        A walk back along forward steps starts only from these: asking each predicate of the
        walk about a node nothing points at (a new complaint, say) is a lookup per predicate
        for nothing, where this is one lookup a node."""
        found: list[str] = []
        native = self.store.native
        for part in chunks(sorted(nodes)):
            listed = " ".join(part)
            query = f"SELECT ?n WHERE {{ VALUES ?n {{ {listed} }} FILTER EXISTS {{ ?s ?p ?n }} }}"
            solutions = native.query(query, use_default_graph_as_union=True)
            assert isinstance(solutions, ox.QuerySolutions)
            found += [f"<{row['n'].value}>" for row in solutions]
        return found


def _hold(folder: Path) -> IO[str]:
    """Take the folder's lock (see :mod:`civgraph.locking`), or say who holds it."""
    return locking.hold(
        folder / LOCK_FILE,
        what="the store",
        busy=lambda who: InputError(
            f"{folder}: another civgraph run works on this store{who}; nothing was changed"
        ),
    )


def _analyse_rules() -> None:
    try:
        for rule in load_rules():
            rule_inputs(rule.query)
            locality(rule.query)
        for due_query in load_due_queries():
            rule_inputs(due_query.query)
            locality(due_query.query, key="focus")
    except (CivgraphError, SyntaxError, ParseException):
        pass  # the run itself meets the same error and reports it where it belongs


def _predicate_token(line: bytes) -> bytes:
    """The predicate of an N-Triples line as the store writes it (one space between terms)."""
    parts = line.split(b" ", 2)
    return parts[1] if len(parts) > 1 else b""


def local_keys(
    local: Locality | None, seen: ChangedTerms, lines: Iterable[bytes], *, triples: int
) -> list[str] | None:
    """The nodes a local query must be asked about again after a change (the subjects of the
    changed triples), or None when it must run in full: it is not local, the change reaches
    the context or the far end of one of its paths, a changed subject is a blank node, or
    there are more changed subjects than :func:`key_limit` allows a store of ``triples``."""
    if local is None or seen.everything or str(CIV.EvaluationContext) in seen.classes:
        return None
    if seen.predicates & (local.context | local.beyond) or seen.classes & local.beyond:
        return None
    tokens = {line.split(b" ", 1)[0] for line in lines}
    if any(not token.startswith(b"<") for token in tokens):
        return None
    # so many runs over listed nodes cost more than one run over everything
    if len(tokens) > key_limit(triples):
        return None
    return sorted(token[1:-1].decode("utf-8") for token in tokens)


def key_limit(triples: int) -> int:
    """How many changed subjects a local query is still asked about rather than run in full."""
    return max(triples // _KEYS_SHARE, CHUNK)


def narrowed(query: str, key: str, keys: Sequence[str]) -> list[str]:
    """``query`` asked about ``keys`` alone (see :func:`restricted`), in runs of at most
    :data:`CHUNK` keys."""
    return [restricted(query, key, list(part)) for part in chunks(keys)]


def _changed_share(sizes: dict[str, int], hashes: dict[str, str], old: dict[str, str]) -> float:
    """The share of the data's bytes that lies in files added or changed since the last run."""
    total = sum(sizes.values())
    changed = sum(size for graph, size in sizes.items() if old.get(graph) != hashes[graph])
    return changed / total if total else 0.0


@lru_cache(maxsize=1)  # the code does not change while a process runs
def _analysis_code() -> str:
    """A digest of the code that analyses queries: answers it gave are recalled only from a
    state written by the same code."""
    digest = hashlib.sha256()
    for module in (inputs_module, locality_module, routes_module, rule_order, sparql_tokens):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def _analyses() -> dict[str, Any]:
    """What the rules and due queries read (see :mod:`civgraph.rule_inputs` and
    :mod:`civgraph.rule_locality`), as JSON for the next process."""
    return {
        "code": _analysis_code(),
        "inputs": {
            digest: [sorted(found.names), found.any_predicate, found.any_class]
            for digest, found in inputs_module.known_inputs().items()
        },
        "locality": {
            digest: None
            if found is None
            else [
                found.key,
                sorted(found.context),
                sorted(found.beyond),
                sorted(found.edges),
                found.depth,
                sorted(found.inbound),
                None
                if found.readers is None
                else [
                    [r.predicate, _route_json(r.from_subject), _route_json(r.from_object)]
                    for r in found.readers
                ],
            ]
            for digest, found in locality_module.known_localities().items()
        },
    }


def _route_json(route: Route | None) -> list[list[Any]] | None:
    return None if route is None else [[predicate, forwards] for predicate, forwards in route]


def _route(data: Any) -> Route | None:
    return None if data is None else tuple((str(p), bool(forwards)) for p, forwards in data)


def _recall_analyses(data: Any) -> None:
    """Take the answers :func:`_analyses` wrote, if the same code wrote them; a damaged
    record is ignored (the queries are analysed again)."""
    if not isinstance(data, dict) or data.get("code") != _analysis_code():
        return
    try:
        found_inputs = {
            str(digest): RuleInputs(
                names=frozenset(str(n) for n in names),
                any_predicate=bool(any_predicate),
                any_class=bool(any_class),
            )
            for digest, (names, any_predicate, any_class) in data["inputs"].items()
        }
        found_localities = {
            str(digest): None
            if found is None
            else Locality(
                key=str(found[0]),
                context=frozenset(str(c) for c in found[1]),
                beyond=frozenset(str(b) for b in found[2]),
                edges=frozenset(str(e) for e in found[3]),
                depth=int(found[4]),
                inbound=frozenset(str(i) for i in found[5]),
                readers=None
                if found[6] is None
                else tuple(
                    Reader(str(predicate), _route(subject_route), _route(object_route))
                    for predicate, subject_route, object_route in found[6]
                ),
            )
            for digest, found in data["locality"].items()
        }
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return
    inputs_module.recall_inputs(found_inputs)
    locality_module.recall_localities(found_localities)


def node_tokens(lines: Iterable[bytes], objects_of: set[str] | None = None) -> set[str]:
    """Subjects and non-literal objects of N-Triples lines, as N-Triples tokens; with
    ``objects_of``, objects only of triples with one of those predicates (full IRIs)."""
    wanted = None if objects_of is None else {f"<{p}>".encode() for p in objects_of}
    tokens: set[bytes] = set()
    for line in lines:
        subject, predicate, rest = line.split(b" ", 2)
        tokens.add(subject)
        if rest.startswith((b"<", b"_:")) and (wanted is None or predicate in wanted):
            tokens.add(rest[:-2] if rest.endswith(b" .") else rest)
    return {token.decode("utf-8") for token in tokens}


def node_limit(triples: int) -> int:
    """How many affected nodes are still worth listing in restricted queries."""
    return max(triples // _WIDE_CHANGE, _FEW_NODES)


def _object_predicates(shapes: Graph, inverse: Iterable[Node]) -> set[str]:
    """The predicates whose triples a focus node can read from the object's side: walked
    backwards by a path (``sh:inversePath``), or making their objects focus nodes
    (``sh:targetObjectsOf``; ``inverse``: the predicates the shapes' paths walk backwards). A
    changed triple with another predicate is read only by the nodes that reach its subject,
    so its object is not a changed node.

    >>> g = Graph().parse(format="turtle", data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <urn:s> sh:targetObjectsOf <urn:t> ; sh:property [ sh:path [ sh:inversePath <urn:i> ] ] ;
    ...   sh:property [ sh:path <urn:f> ] .''')
    >>> sorted(_object_predicates(g, _path_predicates(g)[1]))
    ['urn:i', 'urn:t']
    """
    found = {str(p) for p in inverse}
    found |= {str(p) for p in shapes.objects(None, SH.targetObjectsOf) if isinstance(p, URIRef)}
    return found


def _identifiers(tokens: Iterable[str]) -> set[Identifier]:
    found: set[Identifier] = set()
    for token in tokens:
        if token.startswith("<"):
            found.add(URIRef(token[1:-1]))
        elif token.startswith("_:"):
            found.add(BNode(token[2:]))
    return found


def _owners(shapes: Graph) -> dict[Node, Node]:
    """Each property shape's node shape (a node shape owns itself)."""
    owners: dict[Node, Node] = {}
    for node in set(shapes.subjects(SH.property, None)):
        owners[node] = node
        for prop in shapes.objects(node, SH.property):
            owners[prop] = node
    for node in set(shapes.subjects(SH.targetClass, None)) | set(shapes.subjects(SH.sparql, None)):
        owners.setdefault(node, node)
    return owners
