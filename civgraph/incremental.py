"""Incremental checks: re-validate only the focus nodes a change can affect.

A state folder keeps a snapshot of the store (each data file in its own named graph, the facts
the rules derived) and the last run's raw validation results. On the next run:

1. files whose content hash is unchanged are not read at all; a changed file is diffed against
   its previous triples (added and removed triples, set-based in the store);
2. the rules are re-run and their output diffed against the previous derived facts, so a change
   that moves a derived fact elsewhere (a new main leader, a deadline passing because the as-of
   date moved) is seen as a change too;
3. the *affected* nodes are the subjects and objects of every changed triple, widened backwards
   along every predicate the shapes' paths use (as many hops as the longest path), because a
   focus node's result reads only triples on its shapes' paths;
4. shapes whose checks are SPARQL-based (they may read anything) are re-run in full; every other
   shape is validated on the affected focus nodes only, and the previous results for unaffected
   focus nodes are kept;
5. attribution runs over all results again (the people in charge may have changed even where
   the violation did not).

Anything that could change results wholesale — another civgraph version, other shapes, rules,
ontology, settings or codes — makes the run a full one. So does a state left *dirty* by a run
that was killed while it changed the store, and a change to files holding most of the data's
bytes (reading the snapshot back to diff them would cost more than loading the files).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import SH
from rdflib.term import BNode, Identifier, Node, URIRef
from rdflib.util import from_n3

from civgraph import __version__, atomic, resources, teardown
from civgraph.attribution import RawResult
from civgraph.catalogue import shape_files
from civgraph.context import context_triples
from civgraph.errors import InputError
from civgraph.loading import ensure_units, load_ontology, media_type_of, ontology_files, rdf_files
from civgraph.namespaces import DERIVED_GRAPH
from civgraph.rules import apply_rules
from civgraph.settings import Settings
from civgraph.store import OxigraphStore

STATE_FILE = "state.json"
ONTOLOGY_GRAPH = "https://w3id.org/civgraph/graph/ontology"
SNAPSHOT_FILE = "graph.nq"
#: Above one affected node per this many quads, validating everything is cheaper.
_WIDE_CHANGE = 20
#: Above this share of the data's bytes in changed files, a full run is cheaper than a diff
#: (the diff reads the snapshot back, then parses every changed file as well).
_MOST_OF_THE_DATA = 0.5


@dataclass(kw_only=True)
class IncrementalStats:
    """What an incremental run did (for logs and the benchmark)."""

    full: bool
    reason: str
    files_changed: int = 0
    triples_changed: int = 0
    derived_changed: int = 0
    affected_nodes: int = 0
    results_kept: int = 0
    results_new: int = 0
    shapes_in_full: list[str] = field(default_factory=list)


def file_graph(path: Path) -> str:
    """The named graph holding one data file's triples."""
    return path.resolve().as_uri()


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


def _encode(result: RawResult) -> dict[str, Any]:
    return {
        "focus": result.focus.n3(),
        "path": result.path,
        "value": None if result.value is None else result.value.n3(),
        "shape": result.source_shape.n3(),
        "component": result.component.n3(),
        "severity": result.severity.n3(),
        "messages": [m.n3() for m in result.messages],
    }


def _term(text: str) -> Node:
    term = from_n3(text)
    if not isinstance(term, Node):
        raise InputError(f"corrupt incremental state: cannot read term {text!r}")
    return term


def _decode(data: dict[str, Any]) -> RawResult:
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
    for path in set(shapes.objects(None, SH.path)):
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
    """Checks data kept in ``state_dir`` and re-validates only what a change can affect."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{state_dir}: cannot create state folder: {exc.strerror}") from None
        self.state_path = state_dir / STATE_FILE
        self.snapshot_path = state_dir / SNAPSHOT_FILE
        # The store works in memory (pyoxigraph answers the rules several times faster there
        # than on disk); between runs it lives in one N-Quads snapshot, replaced atomically.
        # The snapshot is read only by an incremental run: a full one starts from the files.
        self.store = OxigraphStore()
        #: The store's triple count once an incremental run has counted it (else None).
        self.triples: int | None = None

    def read_snapshot(self) -> bool:
        """Bring the last run's store back; False (and no state) if the snapshot is unreadable."""
        try:
            self.store.native.bulk_load(path=str(self.snapshot_path), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError):
            self.store = OxigraphStore()
            self.state_path.unlink(missing_ok=True)
            return False
        return True

    def close(self) -> None:
        """Let go of the in-memory store now (see :func:`civgraph.teardown.release`)."""
        teardown.release(self.__dict__.pop("store", None))

    def _write_snapshot(self) -> None:
        scratch = self.snapshot_path.with_name(f"{atomic.SCRATCH_PREFIX}{SNAPSHOT_FILE}")
        with scratch.open("wb") as handle:  # streamed: the snapshot may be gigabytes
            self.store.native.dump(handle, format=ox.RdfFormat.N_QUADS)
            handle.flush()
            os.fsync(handle.fileno())
        atomic.replace(scratch, self.snapshot_path)

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
        hashes = {file_graph(f): _sha256(f) for f in files}
        paths = {file_graph(f): f for f in files}
        configuration = _configuration(codes, settings)
        previous = self._read_state()
        reason = ""
        if previous is None:
            reason = "no previous state"
        elif previous.get("dirty"):
            reason = "the previous run was interrupted"
        elif previous.get("configuration") != configuration:
            reason = "shapes, rules, ontology, settings or version changed"
        elif _changed_share(paths, hashes, previous.get("files", {})) > _MOST_OF_THE_DATA:
            # reading the snapshot back and diffing would cost more than loading the files
            reason = "most of the data changed"
        elif not self.read_snapshot():
            reason = "the previous run's store is unreadable"
        if reason:
            return self._full(paths, hashes, as_of, settings, configuration, validate_on, reason)
        assert previous is not None
        return self._incremental(
            previous, paths, hashes, as_of, settings, configuration, shapes, validate_on
        )

    def _load(self, graph: str, path: Path) -> None:
        self.store.load_file(path, media_type=media_type_of(path), graph=graph)

    def _derive(self, as_of: date, settings: Settings) -> None:
        self.store.clear_graph(DERIVED_GRAPH)
        self.store.add(context_triples(as_of=as_of, settings=settings), graph=DERIVED_GRAPH)
        apply_rules(self.store)

    def _full(
        self,
        paths: dict[str, Path],
        hashes: dict[str, str],
        as_of: date,
        settings: Settings,
        configuration: str,
        validate_on: Any,
        reason: str,
    ) -> tuple[list[RawResult], IncrementalStats]:
        self._write_state({"dirty": True})
        self.store.clear()
        for graph, path in sorted(paths.items()):
            self._load(graph, path)
        ensure_units(self.store, where=", ".join(str(p) for p in paths.values()))
        # the ontology in a graph of its own: it only changes with the configuration, and a
        # reload would give its blank nodes new names (a change that is none)
        load_ontology(self.store, graph=ONTOLOGY_GRAPH)
        self._derive(as_of, settings)
        results: list[RawResult] = list(validate_on(self.store, None, set()))
        self._save(hashes, configuration, as_of, results)
        return results, IncrementalStats(full=True, reason=reason, results_new=len(results))

    def _save(
        self, hashes: dict[str, str], configuration: str, as_of: date, results: list[RawResult]
    ) -> None:
        # state.json says "dirty" from before the store changed until both files are written:
        # a run killed in between is followed by a full one.
        self._write_snapshot()
        self._write_state(
            {
                "dirty": False,
                "configuration": configuration,
                "as_of": as_of.isoformat(),
                "files": hashes,
                "results": [_encode(r) for r in results],
            }
        )

    def _lines(self, graph: str) -> set[bytes]:
        """One named graph as a set of N-Triples lines (compared as text: fast, and exact)."""
        dump = self.store.native.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        return set(dump.splitlines()) if dump else set()

    @staticmethod
    def _file_lines(path: Path) -> set[bytes]:
        """A data file as N-Triples lines, literals written as the store keeps them."""
        scratch = OxigraphStore()
        scratch.load_file(path, media_type=media_type_of(path))
        dump = scratch.native.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return set(dump.splitlines()) if dump else set()

    def _apply(self, graph: str, path: Path, removed: set[bytes], added: set[bytes]) -> None:
        """Bring one file's graph up to date by its difference only."""
        if any(_has_blank(line) for line in removed | added) or self.store.records_written_types(
            path, media_type=media_type_of(path)
        ):
            # blank nodes cannot be named in DELETE DATA, and literals whose datatype the store
            # rewrites must be recorded as written (see civgraph.store.written_datatypes):
            # reload the file's graph whole
            self.store.clear_graph(graph)
            self._load(graph, path)
            return
        native = self.store.native
        if removed:
            body = b"\n".join(sorted(removed)).decode("utf-8")
            native.update(f"DELETE DATA {{ GRAPH <{graph}> {{ {body} }} }}")
        if added:
            body = b"\n".join(sorted(added)).decode("utf-8")
            native.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}")

    def _incremental(
        self,
        previous: dict[str, Any],
        paths: dict[str, Path],
        hashes: dict[str, str],
        as_of: date,
        settings: Settings,
        configuration: str,
        shapes: Graph,
        validate_on: Any,
    ) -> tuple[list[RawResult], IncrementalStats]:
        old_hashes: dict[str, str] = previous.get("files", {})
        stats = IncrementalStats(full=False, reason="incremental")
        changed: set[str] = set()
        self._write_state({**previous, "dirty": True})
        for graph in sorted(set(old_hashes) - set(hashes)):  # removed files
            gone = self._lines(graph)
            changed |= _node_tokens(gone)
            stats.triples_changed += len(gone)
            stats.files_changed += 1
            self.store.clear_graph(graph)
        for graph in sorted(hashes):
            if old_hashes.get(graph) == hashes[graph]:
                continue
            stats.files_changed += 1
            before = self._lines(graph)
            after = self._file_lines(paths[graph])
            removed, added = before - after, after - before
            self._apply(graph, paths[graph], removed, added)
            changed |= _node_tokens(removed) | _node_tokens(added)
            stats.triples_changed += len(removed) + len(added)
        ensure_units(self.store, where=", ".join(str(p) for p in paths.values()))
        derived_before = self._lines(DERIVED_GRAPH)
        self._derive(as_of, settings)
        derived_after = self._lines(DERIVED_GRAPH)
        derived_difference = derived_before ^ derived_after
        stats.derived_changed = len(derived_difference)
        changed |= _node_tokens(derived_difference)

        # counted once: the report reuses it (the store does not change after the rules)
        self.triples = self.store.triple_count()
        limit = self.triples // _WIDE_CHANGE
        affected = _identifiers(self._widen(changed, shapes, limit=limit))
        stats.affected_nodes = len(affected)
        if len(affected) > limit:
            # restricting every query to so many nodes costs more than checking them all
            stats.reason = "incremental diff, full validation (the change reached too much)"
            results = list(validate_on(self.store, None, set()))
            stats.results_new = len(results)
            self._save(hashes, configuration, as_of, results)
            return results, stats
        full_shapes = _sparql_shapes(shapes)
        stats.shapes_in_full = sorted(str(s) for s in full_shapes)
        fresh: list[RawResult] = list(validate_on(self.store, affected, full_shapes))
        owner = _owners(shapes)
        kept = [
            r
            for r in (_decode(d) for d in previous.get("results", []))
            if r.focus not in affected and owner.get(r.source_shape) not in full_shapes
        ]
        stats.results_kept, stats.results_new = len(kept), len(fresh)
        results = kept + fresh
        self._save(hashes, configuration, as_of, results)
        return results, stats

    def _widen(self, nodes: set[str], shapes: Graph, *, limit: int) -> set[str]:
        """``nodes`` (N-Triples tokens) and every node that reaches one of them along the
        shapes' paths, as many hops as the longest path; the walk stops as soon as more than
        ``limit`` nodes are reached (everything is then validated)."""
        # A changed rdf:type makes its subject a changed node already; walking back from a class
        # to all its instances is needed only if a shape's path itself uses rdf:type.
        forward, inverse, depth = _path_predicates(shapes)
        affected = set(nodes)
        frontier = {n for n in nodes if n.startswith("<")}
        native = self.store.native
        for _ in range(depth):
            if not frontier or len(affected) > limit:
                break
            values = " ".join(sorted(frontier))
            reached: set[str] = set()
            # one query per predicate: each is an index lookup per changed node
            steps = [(p, "?f <{p}> ?n") for p in sorted(forward)]
            steps += [(p, "?n <{p}> ?f") for p in sorted(inverse)]
            for predicate, pattern in steps:
                query = (
                    f"SELECT DISTINCT ?f WHERE {{ VALUES ?n {{ {values} }} "
                    f"{pattern.format(p=predicate)} FILTER(!isLiteral(?f)) }}"
                )
                solutions = native.query(query, use_default_graph_as_union=True)
                assert isinstance(solutions, ox.QuerySolutions)
                for row in solutions:
                    term = row["f"]
                    if isinstance(term, ox.NamedNode):
                        reached.add(f"<{term.value}>")
                    elif isinstance(term, ox.BlankNode):
                        reached.add(f"_:{term.value}")
                if len(affected) + len(reached) > limit:  # past the limit: no need to walk on
                    return affected | reached
            frontier = {n for n in reached - affected if n.startswith("<")}
            affected |= reached
        return affected


def _changed_share(paths: dict[str, Path], hashes: dict[str, str], old: dict[str, str]) -> float:
    """The share of the data's bytes that lies in files added or changed since the last run."""
    sizes = {graph: path.stat().st_size for graph, path in paths.items()}
    total = sum(sizes.values())
    changed = sum(size for graph, size in sizes.items() if old.get(graph) != hashes[graph])
    return changed / total if total else 0.0


def _has_blank(line: bytes) -> bool:
    return line.startswith(b"_:") or b" _:" in line.split(b'"', 1)[0]


def _node_tokens(lines: Iterable[bytes]) -> set[str]:
    """Subjects and non-literal objects of N-Triples lines, as N-Triples tokens."""
    nodes: set[str] = set()
    for line in lines:
        text = line.decode("utf-8")
        subject, _predicate, rest = text.split(" ", 2)
        nodes.add(subject)
        if rest.startswith(("<", "_:")):
            nodes.add(rest[:-2] if rest.endswith(" .") else rest)
    return nodes


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
