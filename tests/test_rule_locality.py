"""Which rules an incremental run may ask about some nodes alone, and which nodes a change
reaches: what :mod:`civgraph.rule_locality` reads from a query."""

from __future__ import annotations

import doctest
import shutil
from pathlib import Path

import pytest

from civgraph import rule_inputs, rule_locality, rule_order, rule_routes
from civgraph.api import IncrementalSession, check
from civgraph.rule_locality import locality
from civgraph.rules import load_rules
from tests.test_incremental import AS_OF, _keys

E = "urn:e:"
PREFIX = f"PREFIX e: <{E}> "


def _local(body: str) -> tuple[str, list[str], int, list[str]] | None:
    found = locality(PREFIX + body, context_class=f"{E}Context")
    if found is None:
        return None
    return (
        found.key,
        sorted(e.removeprefix(E) for e in found.edges),
        found.depth,
        sorted(i.removeprefix(E) for i in found.inbound),
    )


def test_a_rule_reading_its_own_node_is_local_with_no_tree() -> None:
    assert _local("CONSTRUCT { ?x e:late true } WHERE { ?x e:due ?d FILTER (?d < 3) }") == (
        "x",
        [],
        0,
        [],
    )


def test_a_pattern_inside_a_nested_not_exists_is_read() -> None:
    """rdflib keeps a translated EXISTS pattern as an attribute of its node and leaves the
    parsed one, its filters taken out, as the node's item: a walk over the items alone never
    sees the inner ``NOT EXISTS``, and took a rule reading other nodes for a local one."""
    nested = (
        "CONSTRUCT { ?x e:full ?q } WHERE { ?x e:quarter ?q FILTER NOT EXISTS {"
        " ?c e:in e:scheme FILTER NOT EXISTS { ?m e:about ?x ; e:role ?c } } }"
    )
    assert _local(nested) is None
    # the plan-gaps rule: a unit's plan without a task is read through the plan
    gaps = "CONSTRUCT { ?u e:gap ?p } WHERE { ?u e:plan ?p FILTER NOT EXISTS { ?p e:task ?t } }"
    assert _local(gaps) == ("u", ["plan"], 1, [])


def test_a_tree_hanging_from_the_key_is_walked_back_along_its_edges() -> None:
    leaders = (
        "CONSTRUCT { ?u e:leader ?who } WHERE { ?u e:post ?p . ?p e:holder ?who ; e:role e:main"
        " FILTER NOT EXISTS { ?u a e:HQ } }"
    )
    assert _local(leaders) == ("u", ["post"], 1, [])
    chain = "CONSTRUCT { ?a e:far ?z } WHERE { ?a e:next ?b . ?b e:next ?c . ?c e:name ?z }"
    assert _local(chain) == ("a", ["next"], 2, [])
    # a path in the middle of the tree cannot be walked back: the rule runs in full
    assert _local("CONSTRUCT { ?a e:far ?z } WHERE { ?a e:next/e:next ?c . ?c e:name ?z }") is None


def test_output_about_the_key_from_another_node_is_told_by_its_predicate() -> None:
    posts = (
        "CONSTRUCT { ?p e:holder ?who . ?u e:post ?p } WHERE { ?c a e:Context ; e:asOf ?d ."
        " ?p e:in ?u ; e:heldBy ?who }"
    )
    assert _local(posts) == ("p", [], 0, ["post"])
    # one predicate written both ways: whose output a triple is cannot be told
    both = "CONSTRUCT { ?p e:link ?who . ?who e:link ?p } WHERE { ?p e:heldBy ?who }"
    assert _local(both) is None
    # no variable every template triple is about
    neither = "CONSTRUCT { ?p e:a ?x . ?y e:b ?z } WHERE { ?p e:c ?x . ?y e:d ?z }"
    assert _local(neither) is None


def _routes(body: str) -> dict[str, list[str]] | None:
    """Each pattern's predicate and the steps from the node a changed triple binds to the key
    (``>p`` forwards, ``<p`` backwards); None where the query is not local."""
    found = locality(PREFIX + body, context_class=f"{E}Context")
    if found is None or found.readers is None:
        return None
    return {
        f"{r.predicate.removeprefix(E)} {end}": [
            ("> " if forwards else "< ") + p.removeprefix(E) for p, forwards in route
        ]
        for r in found.readers
        for end, route in (("subject", r.from_subject), ("object", r.from_object))
        if route is not None
    }


def test_a_rule_joining_other_nodes_reaches_its_keys_along_its_required_patterns() -> None:
    linked = (
        "CONSTRUCT { ?u e:linked ?who } WHERE { ?l e:unit ?u ; e:leader ?who ."
        " OPTIONAL { ?l e:from ?from } ?post e:holder ?who ; e:in ?seat"
        " FILTER (?seat = ?u || EXISTS { ?seat a e:Body }) }"
    )
    assert _routes(linked) == {
        "unit subject": ["> unit"],
        "unit object": [],
        "leader subject": ["> unit"],
        "leader object": ["< leader", "> unit"],
        "from subject": ["> unit"],  # OPTIONAL: read, but no step on a route
        "holder subject": ["> holder", "< leader", "> unit"],
        "holder object": ["< leader", "> unit"],
        "in subject": ["> holder", "< leader", "> unit"],
        "in object": ["< in", "> holder", "< leader", "> unit"],
        # inside EXISTS: reached through ?seat, bound by the required patterns
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type subject": [
            "< in",
            "> holder",
            "< leader",
            "> unit",
        ],
    }
    # answers a union, a limit or an aggregate gives for some keys are not theirs alone
    union = (
        "CONSTRUCT { ?u e:x ?w } WHERE { { ?l e:unit ?u ; e:leader ?w }"
        " UNION { ?l e:other ?u ; e:leader ?w } }"
    )
    assert _local(union) is None
    assert _local("CONSTRUCT { ?u e:x ?w } WHERE { ?l e:unit ?u ; e:leader ?w } LIMIT 5") is None
    counted = (
        "CONSTRUCT { ?u e:n ?n } WHERE { { SELECT ?u (COUNT(?l) AS ?n)"
        " WHERE { ?l e:unit ?u } GROUP BY ?u } }"
    )
    assert _local(counted) is None
    # a pattern joined to the key by no required pattern
    apart = "CONSTRUCT { ?u e:x ?w } WHERE { ?l e:unit ?u ; e:leader ?w . ?c e:in e:scheme }"
    assert _local(apart) is None


def test_the_city_rules_read_as_expected() -> None:
    found = {rule.id: locality(rule.query) for rule in load_rules()}
    assert found["current-posts"] is not None and found["current-posts"].key == "post"
    assert found["main-leaders"] is not None and found["main-leaders"].depth == 1
    linked = found["linked-leaders"]
    assert linked is not None and linked.readers is not None
    assert found["review-categories"] is None and found["territory"] is None


@pytest.mark.parametrize("change", ["task added", "holder changed", "linkage re-led"])
def test_a_change_deep_in_a_rules_tree_gives_what_a_full_check_gives(
    demo_ntriples: Path, tmp_path: Path, change: str
) -> None:
    """A task added to a plan reaches the unit whose plan it is (plan-gaps); a post's new
    holder reaches its unit's main leader and staff (current-posts, main-leaders,
    unit-staff); a linkage given another leader reaches its unit along the linkage
    (linked-leaders): each rule asked about the nodes the change reached."""
    data = tmp_path / "data"
    shutil.copytree(demo_ntriples, data)
    civ = "https://w3id.org/civgraph/ns#"
    org = "http://www.w3.org/ns/org#"
    lines = {path: path.read_text(encoding="utf-8").splitlines() for path in data.glob("*.nt")}
    with IncrementalSession([data], state_dir=tmp_path / "s") as session:
        first, _ = session.check(as_of=AS_OF)
        for path, text in lines.items():
            if change == "task added":  # every plan's tasks go, then one plan gets one back
                kept = [line for line in text if f"<{civ}hasTask>" not in line]
            elif change == "linkage re-led":  # six linkages' leaders move round
                held = [line for line in text if f"<{civ}linkedLeader>" in line][:6]
                units = [line.rsplit(" ", 2)[1] for line in held]
                moved = dict(zip(held, units[1:] + units[:1], strict=True))
                kept = [
                    f"{line.rsplit(' ', 2)[0]} {moved[line]} ." if line in moved else line
                    for line in text
                ]
            else:  # the units' main leaders move round, one unit to the next
                main = {
                    line.split(" ", 1)[0]
                    for line in text
                    if line.endswith("<https://w3id.org/civgraph/code/role/main-leader> .")
                }
                held = [
                    line
                    for line in text
                    if f"<{org}heldBy>" in line and line.split(" ", 1)[0] in main
                ][:6]  # few enough to be asked about node by node
                people = [line.rsplit(" ", 2)[1] for line in held]
                moved = dict(zip(held, people[1:] + people[:1], strict=True))
                kept = [
                    f"{line.rsplit(' ', 2)[0]} {moved[line]} ." if line in moved else line
                    for line in text
                ]
            path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        report, stats = session.check(as_of=AS_OF)
        assert _keys(report) == _keys(check([data], as_of=AS_OF, engine="sparql"))
        assert _keys(report) != _keys(first)
        assert not stats.full
        if change == "task added":
            plan_task = next(
                line for text in lines.values() for line in text if f"<{civ}hasTask>" in line
            )
            (data / "zz-task.nt").write_text(plan_task + "\n", encoding="utf-8")
            report, stats = session.check(as_of=AS_OF)
            assert "plan-gaps" in stats.rules_run
            assert _keys(report) == _keys(check([data], as_of=AS_OF, engine="sparql"))


@pytest.mark.parametrize("module", [rule_inputs, rule_locality, rule_order, rule_routes])
def test_the_examples_in_the_analyses_docs_hold(module: object) -> None:
    failed, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert tried and not failed
