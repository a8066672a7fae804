"""The derivation rules: ``rules/NNN-name.rq``, standard SPARQL 1.1 CONSTRUCT queries.

Each file starts with a comment header::

    # id: current-holders
    # purpose: …
    # inputs: …
    # outputs: …

and then the query (with its own PREFIX lines). The rules run once, as if in file-name order;
each CONSTRUCT's output is added to :data:`civgraph.namespaces.DERIVED_GRAPH`, so a later rule
sees what an earlier one derived (rules that do not depend on each other run side by side).
Rules only add facts: they never remove or rewrite what the data asserts, and they
read the as-of date from the evaluation context
(``?ctx a civ:EvaluationContext ; civ:asOf ?asOf``, see :mod:`civgraph.context`).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from civgraph import resources
from civgraph.errors import InputError
from civgraph.namespaces import DERIVED_GRAPH
from civgraph.rule_order import waits_for
from civgraph.store.protocol import Store
from civgraph.store.threads import query_threads

HEADER_FIELDS = ("id", "purpose", "inputs", "outputs")
_HEADER_LINE = re.compile(r"^#\s*(?P<key>[a-z]+)\s*:\s*(?P<value>.*?)\s*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One derivation rule: its header and its CONSTRUCT query."""

    id: str
    purpose: str
    inputs: str
    outputs: str
    path: Path
    query: str


def parse_rule(path: Path) -> Rule:
    """Read one rule file; a missing or empty header field is an :class:`InputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    header: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if match and match.group("key") in HEADER_FIELDS and match.group("key") not in header:
            last = match.group("key")
            header[last] = match.group("value")
        elif last is not None:  # a continuation line of the previous field
            more = stripped.lstrip("#").strip()
            if more:
                header[last] = f"{header[last]} {more}".strip()
    for key in HEADER_FIELDS:
        if not header.get(key):
            raise InputError(f"{path}: rule header lacks '# {key}: …'")
    if not _ID.match(header["id"]):
        raise InputError(f"{path}: rule id {header['id']!r} is not lower-case words joined by -")
    if "CONSTRUCT" not in text.upper():
        raise InputError(f"{path}: a rule must be a SPARQL CONSTRUCT query")
    return Rule(
        id=header["id"],
        purpose=header["purpose"],
        inputs=header["inputs"],
        outputs=header["outputs"],
        path=path,
        query=text,
    )


def load_rules(folder: Path | None = None) -> list[Rule]:
    """Every ``*.rq`` file of ``folder`` (default: the shipped ``rules/``), in file-name order."""
    where = folder if folder is not None else resources.folder("rules")
    if not where.is_dir():
        raise InputError(f"{where}: no such rules folder")
    rules = [parse_rule(path) for path in sorted(where.glob("*.rq"))]
    seen: dict[str, Path] = {}
    for rule in rules:
        if rule.id in seen:
            raise InputError(f"{rule.path}: rule id {rule.id!r} already used by {seen[rule.id]}")
        seen[rule.id] = rule.path
    return rules


#: Runs one rule on a store and says how many triples it derived (None: cannot tell).
RuleRunner = Callable[[Store, Rule], int | None]


def apply_rules(
    store: Store,
    *,
    rules: list[Rule] | None = None,
    workers: int | None = None,
    runner: RuleRunner | None = None,
) -> dict[str, int | None]:
    """Run the rules once, as if in file order, adding each one's output to the derived graph.

    Rules that neither feed nor read each other run side by side on ``workers`` threads
    (default: :func:`~civgraph.store.threads.query_threads`; see :mod:`civgraph.rule_order`);
    the derived graph is the same as a run one after another. Returns how many distinct
    triples each rule derived (by rule id, in file order; None where the store cannot tell).

    ``runner`` runs one rule (default: :func:`derive`, into the derived graph); it is called
    only once every earlier rule the rule reads from or writes for has finished, so it may
    decide from their outcome (see :mod:`civgraph.incremental`).
    """
    chosen = rules if rules is not None else load_rules()
    threads = workers if workers is not None else query_threads(store)
    run = runner if runner is not None else _apply_one
    if threads <= 1 or len(chosen) <= 1:
        return {rule.id: run(store, rule) for rule in chosen}
    waits = waits_for(chosen)
    unlocks = _unlocks(waits)
    added: dict[str, int | None] = {}
    running: dict[Future[int | None], Rule] = {}
    waiting = list(chosen)
    ready: list[tuple[int, int, int, Rule]] = []
    wave = 0
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="civgraph-rule") as pool:
        while waiting or running or ready:
            for rule in [r for r in waiting if waits[r.id] <= added.keys()]:
                waiting.remove(rule)
                heapq.heappush(ready, (-unlocks[rule.id], -wave, chosen.index(rule), rule))
            wave += 1
            # only as many at once as there are threads, so the order below decides
            while ready and len(running) < threads:
                rule = heapq.heappop(ready)[-1]
                running[pool.submit(run, store, rule)] = rule
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                rule = running.pop(future)
                added[rule.id] = future.result()  # a failed rule raises here; the rest stop
    return {rule.id: added[rule.id] for rule in chosen}


def _unlocks(waits: dict[str, frozenset[str]]) -> dict[str, int]:
    """How many rules wait, directly or not, for each rule.

    A rule free to run starts before others when more rules wait for it, then when it became
    free later (it lies deeper in a chain), then in file order: the long chains of rules start
    early and the cores are not left idle at the end while one of them runs alone.

    >>> sorted(_unlocks({"a": frozenset(), "b": frozenset({"a"}), "c": frozenset({"b"})}).items())
    [('a', 2), ('b', 1), ('c', 0)]
    """
    feeds: dict[str, set[str]] = {rule: set() for rule in waits}
    for rule, earlier in waits.items():
        for other in earlier:
            feeds[other].add(rule)
    below: dict[str, frozenset[str]] = {}

    def after(rule: str) -> frozenset[str]:
        if rule not in below:
            found: set[str] = set()
            for later in feeds[rule]:
                found |= {later} | after(later)
            below[rule] = frozenset(found)
        return below[rule]

    return {rule: len(after(rule)) for rule in waits}


def _apply_one(store: Store, rule: Rule) -> int | None:
    return derive(store, rule, graph=DERIVED_GRAPH)


def derive(store: Store, rule: Rule, *, graph: str) -> int | None:
    """One rule through the store's own ``derive``, its output added to ``graph``: pyoxigraph
    keeps the triples in its terms, a remote endpoint runs the rule as ``INSERT … WHERE``
    where the data lives."""
    with reported_at(rule):
        return store.derive(rule.query, graph=graph)


@contextmanager
def reported_at(rule: Rule) -> Iterator[None]:
    """A rule's query the store cannot run is an :class:`InputError` naming the rule's file."""
    try:
        yield
    except SyntaxError as exc:
        raise InputError(f"{rule.path}: {str(exc).splitlines()[0]}") from None
    except TypeError:
        raise InputError(f"{rule.path}: a rule must be a SPARQL CONSTRUCT query") from None
