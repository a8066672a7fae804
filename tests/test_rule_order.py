"""Rules run side by side only where the query text shows they do not depend on each other."""

from __future__ import annotations

import re
import threading
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from civgraph.context import context_triples
from civgraph.demo import ensure_demo
from civgraph.loading import load_ontology, load_sources
from civgraph.namespaces import DERIVED_GRAPH
from civgraph.rule_order import EVERYTHING, analyse, waits_for
from civgraph.rules import Rule, apply_rules, load_rules
from civgraph.settings import Settings
from civgraph.store import OxigraphStore

CIV = "https://w3id.org/civgraph/ns#"


def rule(rule_id: str, query: str) -> Rule:
    return Rule(id=rule_id, purpose="-", inputs="-", outputs="-", path=Path(rule_id), query=query)


def derived(workers: int) -> set[str]:
    store = OxigraphStore()
    load_sources(store, [ensure_demo()])
    load_ontology(store, graph=DERIVED_GRAPH)
    store.add(
        context_triples(as_of=date(2025, 12, 31), settings=Settings.defaults()),
        graph=DERIVED_GRAPH,
    )
    apply_rules(store, workers=workers)
    graph = ox.NamedNode(DERIVED_GRAPH)
    # the ontology's lists are blank nodes, named afresh by each load: compare the rest
    return {
        str(q)
        for q in store.native.quads_for_pattern(None, None, None, graph)
        if not isinstance(q.subject, ox.BlankNode)
    }


def test_side_by_side_derives_exactly_what_one_after_another_derives() -> None:
    one = derived(1)
    assert one == derived(4)
    assert any(f"<{CIV}mainLeader>" in quad for quad in one)


def test_the_shipped_rules_wait_for_what_they_read() -> None:
    waits = waits_for(load_rules())
    assert "current-posts" in waits["main-leaders"]
    assert "current-posts" in waits["linked-leaders"]
    assert "territory" in waits["territory-bodies"]
    assert "due-quarters" in waits["quarterly-meetings"]
    # and the heavy early rules do not wait for each other
    assert "current-posts" not in waits["territory"]
    assert "territory" not in waits["linked-leaders"]


def test_a_variable_predicate_writes_the_constants_given_to_it() -> None:
    access = analyse(
        "PREFIX e: <urn:e:> CONSTRUCT { ?x ?link ?y } WHERE {"
        " VALUES (?k ?link) { (e:A e:linkA) } ?x a ?k ; e:p ?y }"
    )
    assert {"urn:e:linkA", "urn:e:A"} <= access.writes
    assert "urn:e:p" in access.reads


def test_a_predicate_bound_from_the_data_writes_everything() -> None:
    first = rule("a", "PREFIX e: <urn:e:> CONSTRUCT { ?x ?p ?y } WHERE { ?x e:map ?p ; e:v ?y }")
    second = rule("b", "PREFIX e: <urn:e:> CONSTRUCT { ?x e:z ?y } WHERE { ?x e:other ?y }")
    assert waits_for([first, second])["b"] == {"a"}


def test_an_earlier_reader_finishes_before_a_later_writer_starts() -> None:
    reader = rule("a", "PREFIX e: <urn:e:> CONSTRUCT { ?x e:q ?y } WHERE { ?x e:late ?y }")
    writer = rule("b", "PREFIX e: <urn:e:> CONSTRUCT { ?x e:late ?y } WHERE { ?x e:p ?y }")
    assert waits_for([reader, writer])["b"] == {"a"}


def test_a_class_read_from_the_data_waits_for_any_class_written() -> None:
    typer = rule("a", "PREFIX e: <urn:e:> CONSTRUCT { ?x a e:New } WHERE { ?x e:p ?y }")
    reader = rule("b", "PREFIX e: <urn:e:> CONSTRUCT { ?x e:kind ?k } WHERE { ?x a ?k }")
    assert waits_for([typer, reader])["b"] == {"a"}


@pytest.mark.parametrize("workers", [1, 3])
def test_a_failing_rule_names_its_file_whatever_the_threads(workers: int) -> None:
    from civgraph.errors import InputError

    good = rule("a", "PREFIX e: <urn:e:> CONSTRUCT { ?x e:q ?y } WHERE { ?x e:p ?y }")
    bad = rule("b", "CONSTRUCT { ?x <urn:q> ?y } WHERE { ?x <urn:p> ?y")
    with pytest.raises(InputError, match=r"^b:"):
        apply_rules(OxigraphStore(), rules=[good, bad], workers=workers)


def test_derived_facts_about_blank_nodes_stay_attached_to_them() -> None:
    """Derived triples go into the store as N-Triples text, whose parser would rename blank
    nodes; a rule's output about a blank node must still join with that node's data."""
    store = OxigraphStore()
    store.native.add(ox.Quad(ox.BlankNode("anon"), ox.NamedNode("urn:e:p"), ox.Literal("x")))
    store.native.add(ox.Quad(ox.NamedNode("urn:e:a"), ox.NamedNode("urn:e:p"), ox.Literal("y")))
    added = store.derive("CONSTRUCT { ?s <urn:e:q> ?o } WHERE { ?s <urn:e:p> ?o }", graph="urn:g")
    assert added == 2
    rows = store.select("SELECT ?o WHERE { ?s <urn:e:p> ?o ; <urn:e:q> ?o }")
    assert sorted(str(r["o"]) for r in rows) == ["x", "y"]


def test_an_if_between_two_constants_writes_those_two() -> None:
    access = analyse(
        "PREFIX e: <urn:e:> CONSTRUCT { ?x ?mark true } WHERE { ?x e:due ?d ; e:cut ?c"
        " BIND (IF(?d < ?c, e:late, e:open) AS ?mark) }"
    )
    assert access.writes == {"urn:e:late", "urn:e:open"}
    computed = analyse(
        "PREFIX e: <urn:e:> CONSTRUCT { ?x ?p true } WHERE { ?x e:name ?n"
        " BIND (IRI(CONCAT('urn:e:', ?n)) AS ?p) }"
    )
    assert EVERYTHING in computed.writes


class _StartOrder:
    """A store whose rules record when they start; ``x1`` holds its thread until ``c`` starts."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.c_started = threading.Event()

    def derive(self, construct_query: str, *, graph: str) -> int | None:
        match = re.search(r"\?x e:(\w+)", construct_query)
        assert match is not None
        name = match.group(1)
        self.started.append(name)
        if name == "c":
            self.c_started.set()
        if name == "x1":
            assert self.c_started.wait(timeout=10)
        return 0


def test_a_rule_freed_by_a_finished_one_goes_ahead_of_rules_waiting_since_the_start() -> None:
    # "a" feeds "c"; four independent rules were ready from the start. Once "a" is done, "c"
    # (the deeper in its chain) takes the free thread before them, so chains do not end up
    # running alone on one core at the end.
    def make(rule_id: str, reads: str) -> Rule:
        query = f"PREFIX e: <urn:e:> CONSTRUCT {{ ?x e:{rule_id} ?y }} WHERE {{ ?x e:{reads} ?y }}"
        return rule(rule_id, query)

    rules = [make("a", "p"), *(make(f"x{n}", "p") for n in range(1, 5)), make("c", "a")]
    store = _StartOrder()
    apply_rules(store, rules=rules, workers=2)  # type: ignore[arg-type]
    assert store.started[:3] == ["a", "x1", "c"]
    assert sorted(store.started) == ["a", "c", "x1", "x2", "x3", "x4"]
