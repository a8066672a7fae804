"""A changed N-Triples file is diffed by its lines against its kept last version, only where
lines stand for triples one to one."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civgraph import file_versions
from civgraph.file_versions import FileVersions, _line_difference, stating

GRAPH = ox.NamedNode("urn:graph")
_XSD_STRING = "<http://www.w3.org/2001/XMLSchema#string>"
# a small vocabulary, so that edits repeat triples, in other forms too
LINES = [
    *(f"<urn:s{s}> <urn:p{p}> <urn:o{o}> ." for s in range(3) for p in range(2) for o in range(2)),
    '<urn:s0> <urn:p0> "x" .',
    f'<urn:s0> <urn:p0> "x"^^{_XSD_STRING} .',
    '<urn:s1> <urn:p1> "y"@en .',
    '<urn:s1>  <urn:p1>  "y"@en .',
    "<urn:s2> <urn:p0> _:b .",
    '<urn:s2> <urn:p1> "5"^^<http://www.w3.org/2001/XMLSchema#int> .',
    "# a comment",
    "",
    "<urn:s2> <urn:p1> not a term .",
]


#: Three versions of a one-triple file.
ONE_TRIPLE_VERSIONS = (
    b"<urn:a> <urn:p> <urn:b> .\n",
    b"<urn:a> <urn:p> <urn:c> .\n",
    b"<urn:a> <urn:p> <urn:d> .\n",
)


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _graph(data: bytes) -> set[str]:
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=GRAPH)
    return {str(q.triple) for q in store.quads_for_pattern(None, None, None, GRAPH)}


def _document(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode() if lines else b""


def _parses(data: bytes) -> bool:
    try:
        _graph(data)
    except SyntaxError:
        return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    versions_of_the_file=st.lists(
        st.tuples(st.lists(st.sampled_from(LINES), max_size=6), st.booleans()),
        min_size=2,
        max_size=5,
    )
)
def test_line_diffs_applied_run_after_run_give_the_graph_of_each_version(
    tmp_path_factory: pytest.TempPathFactory, versions_of_the_file: list[tuple[list[str], bool]]
) -> None:
    """As an incremental run does: a diff accepted is applied and the new version kept as it
    is; a diff refused means the graph is loaded from the file and its copy kept if its lines
    are its triples. After every version the graph is the file's."""
    versions = FileVersions(tmp_path_factory.mktemp("versions"))
    store = ox.Store()

    def present(triple: ox.Triple) -> bool:
        return ox.Quad(triple.subject, triple.predicate, triple.object, GRAPH) in store

    def reload(data: bytes) -> None:
        store.remove_graph(GRAPH)
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=GRAPH)
        count = sum(1 for _ in store.quads_for_pattern(None, None, None, GRAPH))
        versions.keep(_hash(data), data, triples=count)

    lines: list[str] = []
    data = b""
    for step, (more, appended) in enumerate(versions_of_the_file):
        lines = lines + more if appended else more
        new = _document(lines)
        if not _parses(new):
            lines = []
            continue  # a file that does not load stops the run before any diff
        diff = versions.diff(_hash(data), new, present=present) if step else None
        if diff is None:
            reload(new)
        else:
            for triple in ox.parse(b"\n".join(diff.removed) + b"\n", format=ox.RdfFormat.N_TRIPLES):
                store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, GRAPH))
            if diff.added:
                store.load(
                    b"\n".join(diff.added) + b"\n", format=ox.RdfFormat.N_TRIPLES, to_graph=GRAPH
                )
            versions.keep_diffed(_hash(data), _hash(new), new, diff)
            assert versions.kept(_hash(new)) == new, step
        data = new
        found = {str(q.triple) for q in store.quads_for_pattern(None, None, None, GRAPH)}
        if "_:" not in new.decode():  # a parser names blank nodes anew each time
            assert found == _graph(new), step


def test_lines_appended_are_the_change_and_nothing_else(tmp_path: Path) -> None:
    old = b"<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> <urn:c> .\n"
    versions = FileVersions(tmp_path)
    versions.keep(_hash(old), old, triples=2)
    new = old + b'<urn:d> <urn:p>   "x"@en .\n'
    diff = versions.diff(_hash(old), new, present=lambda _t: False)
    assert diff is not None
    assert diff.removed == set() and diff.added == {b'<urn:d> <urn:p> "x"@en .'}
    versions.keep_diffed(_hash(old), _hash(new), new, diff)
    assert versions.kept(_hash(new)) == new  # the old copy grew into the new one
    assert versions.kept_size(_hash(old)) is None


def test_an_append_is_told_from_the_file_alone_and_a_rewrite_is_not_taken_for_one(
    tmp_path: Path,
) -> None:
    old = b"<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> <urn:c> .\n"
    versions = FileVersions(tmp_path)
    versions.keep(_hash(old), old, triples=2)
    # the same size, other first lines, one more line: a set difference, not an append
    rewritten = b"<urn:a> <urn:p> <urn:X> .\n<urn:a> <urn:p> <urn:c> .\n<urn:d> <urn:p> <urn:e> .\n"
    diff = versions.diff(_hash(old), rewritten, present=lambda _t: False)
    assert diff is not None and diff.tail is None
    assert diff.removed == {b"<urn:a> <urn:p> <urn:b> ."}
    assert diff.added == {b"<urn:a> <urn:p> <urn:X> .", b"<urn:d> <urn:p> <urn:e> ."}
    # a copy without a newline at its end: what follows it joins its last line, whose line
    # then no longer stands for one triple
    last = b"<urn:a> <urn:p> <urn:b> ."
    versions.keep(_hash(last), last, triples=1)
    joined = last + b"<urn:d> <urn:p> <urn:e> .\n"
    assert versions.diff(_hash(last), joined, present=lambda _t: False) is None


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        (
            b'<urn:a> <urn:p> "x" .\n',
            b'<urn:a> <urn:p> "x"^^' + _XSD_STRING.encode() + b" .\n",
            "one triple written another way",
        ),
        (b"<urn:a> <urn:p> <urn:b> .\n", b"<urn:a> <urn:p> _:n .\n", "a blank node"),
        (
            b"<urn:a> <urn:p> <urn:b> .\n",
            b"<urn:a> <urn:p> nonsense .\n",
            "a line that does not parse",
        ),
        (
            b"<urn:a> <urn:p> <urn:b> .\n",
            b"<urn:a> <urn:p> <urn:b> .\n<urn:a>  <urn:p> <urn:b> .\n",
            "a triple stated twice",
        ),
        (
            b"<urn:a> <urn:p> <urn:b> .\n",
            b'<urn:a> <urn:p> "5"^^<http://www.w3.org/2001/XMLSchema#int> .\n',
            "a datatype the store rewrites",
        ),
    ],
)
def test_lines_that_do_not_stand_for_triples_are_refused(
    tmp_path: Path, old: bytes, new: bytes, why: str
) -> None:
    versions = FileVersions(tmp_path)
    versions.keep(_hash(old), old, triples=1)
    graph = _graph(old)
    diff = versions.diff(_hash(old), new, present=lambda t: str(t) in graph)
    assert diff is None, why


def test_a_copy_is_kept_only_if_its_lines_are_its_triples_and_only_while_whole(
    tmp_path: Path,
) -> None:
    versions = FileVersions(tmp_path, held_bytes=0)  # what another process finds on disk
    repeated = b"<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> <urn:b> .\n"
    versions.keep(_hash(repeated), repeated, triples=1)
    assert versions.kept(_hash(repeated)) == repeated  # the same line twice is one line
    respaced = b"<urn:a> <urn:p> <urn:b> .\n<urn:a>  <urn:p> <urn:b> .\n"
    versions.keep(_hash(respaced), respaced, triples=1)
    assert versions.kept(_hash(respaced)) is None  # two lines, one triple
    whole = b"<urn:a> <urn:p> <urn:b> .\n"
    versions.keep(_hash(whole), whole, triples=1)
    assert versions.kept(_hash(whole)) == whole
    (tmp_path / f"{_hash(whole)}.nt").write_bytes(b"<urn:a> <urn:p> <urn:X> .\n")
    assert versions.kept(_hash(whole)) is None  # damaged: no longer what its name says
    versions.sweep([])
    assert list(tmp_path.iterdir()) == []


def test_a_process_diffs_against_the_copies_it_holds_within_its_budget(
    tmp_path: Path,
) -> None:
    first, second, third = ONE_TRIPLE_VERSIONS
    versions = FileVersions(tmp_path, held_bytes=len(first) + len(second))
    for data in (first, second):
        versions.keep(_hash(data), data, triples=1)
    # the copy this process wrote is what it diffs against, whatever became of the file
    (tmp_path / f"{_hash(second)}.nt").write_bytes(third)
    assert versions.kept(_hash(second)) == second
    gone = versions.diff(_hash(second), third, present=lambda t: False)
    assert gone is not None and gone.removed == {second.strip()} and gone.added == {third.strip()}
    # past the budget the oldest copy is let go, and read back (and vouched for) from disk
    versions.keep(_hash(third), third, triples=1)
    (tmp_path / f"{_hash(first)}.nt").write_bytes(second)
    assert versions.kept(_hash(first)) is None
    assert versions.kept(_hash(third)) == third
    # a copy too large for the budget is not held at all
    small = FileVersions(tmp_path, held_bytes=len(first) - 1)
    small.keep(_hash(first), first, triples=1)
    (tmp_path / f"{_hash(first)}.nt").write_bytes(second)
    assert small.kept(_hash(first)) is None


def test_a_session_writes_the_copies_it_holds_when_it_flushes_and_the_oldest_past_its_budget(
    tmp_path: Path,
) -> None:
    first, second, third = ONE_TRIPLE_VERSIONS
    versions = FileVersions(tmp_path, held_bytes=2 * len(first), write_on_flush=True)
    versions.keep(_hash(first), first, triples=1)
    edit = versions.diff(_hash(first), second, present=lambda t: False)
    assert edit is not None and edit.added == {second.strip()}  # diffed against the held copy
    versions.keep_diffed(_hash(first), _hash(second), second, edit)
    grown = versions.diff(_hash(second), second + third, present=lambda t: False)
    assert grown is not None and grown.tail == third
    versions.keep_diffed(_hash(second), _hash(second + third), second + third, grown)
    assert list(tmp_path.glob("*.nt")) == []  # nothing written yet, each change held
    assert versions.kept(_hash(second + third)) == second + third
    # a copy let go past the budget is written first, and read back from disk later
    versions.keep(_hash(first), first, triples=1)
    assert [p.name for p in tmp_path.glob("*.nt")] == [f"{_hash(second + third)}.nt"]
    assert versions.kept(_hash(second + third)) == second + third
    versions.flush()
    assert sorted(p.name for p in tmp_path.glob("*.nt")) == sorted(
        f"{_hash(data)}.nt" for data in (first, second + third)
    )
    another_process = FileVersions(tmp_path, held_bytes=0)
    assert another_process.kept(_hash(first)) == first
    assert another_process.kept(_hash(second + third)) == second + third


@settings(max_examples=100, deadline=None)
@given(
    kept=st.lists(st.sampled_from(LINES[:8]), max_size=5),
    now=st.lists(st.sampled_from(LINES[:8]), max_size=5),
    appended=st.booleans(),
    held=st.booleans(),
)
def test_the_hashes_of_a_file_are_its_own_however_they_are_found(
    kept: list[str], now: list[str], appended: bool, held: bool
) -> None:
    """Going on from a held copy's hash gives the hash of the whole file, and the hash of its
    first bytes is the copy's only where the file begins with the copy."""
    old = _document(kept)
    new = old + _document(now) if appended else _document(now)
    with tempfile.TemporaryDirectory() as folder:
        versions = FileVersions(Path(folder), held_bytes=1 << 20 if held else 0)
        versions.digests(old, None)
        versions.keep(_hash(old), old, triples=None)
        whole, head = versions.digests(new, _hash(old))
    assert whole == _hash(new)
    if new.startswith(old):
        assert head == _hash(old)
    else:
        assert head is None or head == _hash(new[: len(old)]) != _hash(old)


def test_a_triple_added_in_a_second_form_is_refused_so_removing_one_form_later_keeps_it(
    tmp_path: Path,
) -> None:
    """v1 states T; v2 adds T in another form; v3 drops the first form. Had v2's diff been
    taken, its copy would have two lines for T, and v3's diff would remove T."""
    plain = b'<urn:a> <urn:p> "x" .\n'
    typed = b'<urn:a> <urn:p> "x"^^' + _XSD_STRING.encode() + b" .\n"
    versions = FileVersions(tmp_path)
    versions.keep(_hash(plain), plain, triples=1)
    held = _graph(plain)
    assert versions.diff(_hash(plain), plain + typed, present=lambda t: str(t) in held) is None


def test_a_file_read_in_blocks_is_kept_when_its_lines_are_its_triples(tmp_path: Path) -> None:
    data = b"<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> <urn:c> ."  # no newline at the end
    source = tmp_path / "data.nt"
    source.write_bytes(data)
    versions = FileVersions(tmp_path / "versions")
    versions.keep_file(_hash(data), source, triples=2)
    assert versions.kept(_hash(data)) == data
    spaced = b"<urn:a> <urn:p> <urn:b> .\n\n"
    source.write_bytes(spaced)
    versions.keep_file(_hash(spaced), source, triples=1)
    assert versions.kept(_hash(spaced)) is None  # a blank line: not told apart in blocks
    versions.keep_file("0" * 64, source, triples=2)
    assert versions.kept("0" * 64) is None and list((tmp_path / "versions").glob(".*")) == []


def test_a_session_holds_a_file_it_keeps_whole_until_it_flushes(tmp_path: Path) -> None:
    first, second, _third = ONE_TRIPLE_VERSIONS
    source = tmp_path / "data.nt"
    source.write_bytes(first)
    versions = FileVersions(tmp_path / "versions", write_on_flush=True)
    versions.keep_file(_hash(first), source, triples=1)
    assert list((tmp_path / "versions").glob("*")) == []  # held, not written
    assert versions.kept(_hash(first)) == first
    # the held copy's hash goes on over what was appended: the same hash as a whole pass
    assert versions.digests(first + second, _hash(first)) == (_hash(first + second), _hash(first))
    versions.flush()
    assert FileVersions(tmp_path / "versions", held_bytes=0).kept(_hash(first)) == first


@settings(max_examples=300, deadline=None)
@given(
    head=st.lists(st.sampled_from(LINES[:8]), max_size=4),
    old_lines=st.lists(st.sampled_from([*LINES[:8], "", "# c"]), max_size=12),
    edits=st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 3), st.lists(st.sampled_from(LINES[:8]))),
        max_size=3,
    ),
    foot=st.lists(st.sampled_from(LINES[:8]), max_size=4),
    ends_with_newline=st.booleans(),
    block=st.sampled_from([1 << 20, 64, 7, 1]),
)
def test_lines_compared_around_the_change_are_the_set_difference_of_all_lines(
    head: list[str],
    old_lines: list[str],
    edits: list[tuple[int, int, list[str]]],
    foot: list[str],
    ends_with_newline: bool,
    block: int,
) -> None:
    """Comparing only the lines between the first and last byte that differ, then looking
    the few changed lines up in the rest of the file, gives what comparing every line does,
    lines stated twice (before, within and after the change) included."""
    new_lines = list(old_lines)
    for at, cut, put in edits:
        new_lines[at : at + cut] = put
    # many lines the same before and after: the change is a small part of the file
    same = [f"<urn:same{n}> <urn:p0> <urn:o0> ." for n in range(60)]
    old_doc, new_doc = [*same, *head, *old_lines, *foot, *same], [*same, *head, *new_lines]
    new_doc += [*foot, *same]
    old = ("\n".join(old_doc) + "\n").encode()
    new = ("\n".join(new_doc) + ("\n" if ends_with_newline else "")).encode()
    before, after = set(old.splitlines()), set(new.splitlines())
    kept_block = file_versions._SPAN_BLOCK
    file_versions._SPAN_BLOCK = block  # the bytes compared a block at a time, blocks of any size
    try:
        found = _line_difference(old, new)
    finally:
        file_versions._SPAN_BLOCK = kept_block
    assert found == (stating(before - after), stating(after - before))
