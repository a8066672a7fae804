"""Benchmark: civgraph's SPARQL engine against pySHACL (the reference), side by side, in one run.

    python bench/run.py [--sizes 100000,1000000,10000000] [--repeat 3] [--pyshacl-limit 600]
                        [--short-from 5000000] [--memory-gb GB] [--out FILE]

For each size it generates a synthetic city (``civgraph.demo.generate(scale=N, seed=7)``),
converts it to N-Triples (so the 1 % change can edit lines), and times, each in a fresh
process with its peak memory:

- ``load``        the floor: the bare pyoxigraph load of the data;
- ``sparql``      civgraph's full check with the SPARQL engine (load, rules, all obligations,
                  attribution);
- ``pyshacl``     the same check with pySHACL (stopped after ``--pyshacl-limit`` seconds; the
                  ratio is then a lower bound, printed with ``>``);
- ``incremental`` one-shot incremental checks (``check_incremental``, what ``nightly --store``
                  runs), each a process of its own starting from the on-disk store the one
                  before left: the first (a full run that also writes that store), then after
                  1 % of the triples changed over every file, a new file of 0.1 % (new
                  complaints), a new file of 1 % copied from the city's own complaints, a new
                  file of 1 % (all open, overdue complaints), 0.1 % appended to the largest
                  file, and a post's new holder (a change that makes rules run over
                  everything); each next to a full SPARQL check of
                  the changed data (the two must report the same findings);
- ``session``     one process keeps an ``IncrementalSession`` (what ``civgraph watch`` runs)
                  open across changes — a new file of 0.1 % of the triples, another one, a new
                  file of 1 % (all open, overdue complaints), a new file of 1 % copied from the
                  city's own complaints, 1 % spread over every file, 0.1 % appended to the
                  largest file, then a post's new holder —
                  each timed, and each checked against a full check of the changed data;
                  ``--repeat`` sessions, each from its own copy of the data, the median time of
                  each change reported.

Sizes of ``--short-from`` triples or more (:data:`LARGE`, 5M) take a shorter plan, each
step once: the load, the SPARQL check, the one-shot runs of the first night, a new file of
0.1 % and a new file of 1 % copied from the city's complaints, and one session through those
two changes, lines appended and a post's new holder. A size runs only where the machine's
available memory (or ``--memory-gb``) holds its check (about 0.65 KB a triple; a session,
compared with a full check, twice that), and pySHACL only where it holds pySHACL's (about
3.2 KB a triple: 32 GB at 10M); what is left out says so in the table, with the memory it
would need.

It prints a table of times, ratios and peak memory, and whether the engines' findings matched.
Absolute times on a 2-core machine are noisy; the ratios are what to read. The two quick
measurements, ``load`` and ``sparql``, are each the median of ``--repeat`` runs, taken in turns
(load, sparql, load, sparql, …) so that neither one slow run nor a drift of the machine's speed
swings their ratio; pySHACL and the one-shot incremental runs are timed once.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

AS_OF = "2025-12-31"
#: From this many triples a size takes the shorter plan (see the module's docstring).
LARGE = 5_000_000
#: Peak memory a check needs per triple, measured at 1M and 10M triples (SPARQL: 0.60 and
#: 0.54 KB; pySHACL: 3.0 KB at 1M), with some room.
KB_PER_TRIPLE = {"sparql": 0.65, "pyshacl": 3.2}


# -- workers (run in a fresh process each) ---------------------------------------------------
def _digest(report: Any) -> str:
    import hashlib

    rows = sorted(
        "|".join((f.code, f.focus, f.value or "", f.source_shape, ",".join(f.persons)))
        for f in report.findings
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]


def worker(task: str, args: list[str]) -> dict[str, Any]:
    from datetime import date

    started = time.perf_counter()
    if task not in ("load", "session"):  # importing civgraph is part of a check's time
        from civgraph.teardown import console_script

        # Each check runs as the `civgraph` console script does: a store it is done with is
        # left for the operating system at exit (civgraph.teardown), so freeing it is not
        # timed, as the load floor's store is not freed before its time is taken either.
        console_script()
    finished: float | None = None
    out: dict[str, Any] = {}
    if task == "load":
        import pyoxigraph as ox

        bare = ox.Store()
        for path in sorted(Path(args[0]).glob("*.nt")):
            bare.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        finished = time.perf_counter()  # the floor is the load alone, not the count below
        out["triples"] = len(bare)
    elif task == "check":
        from civgraph.api import check

        steps: dict[str, float] = {}
        report = check(
            [Path(args[0])],
            as_of=date.fromisoformat(AS_OF),
            engine=args[1],  # type: ignore[arg-type]
            timings=steps,
        )
        out["steps"] = steps
        out["findings"] = len(report.findings)
        out["digest"] = _digest(report)
    elif task == "incremental":
        from civgraph.api import check_incremental

        report, stats = check_incremental(
            [Path(args[0])], state_dir=Path(args[1]), as_of=date.fromisoformat(AS_OF)
        )
        out["findings"] = len(report.findings)
        out["digest"] = _digest(report)
        out["full"] = stats.full
        out["reason"] = stats.reason
        out["affected"] = stats.affected_nodes
    elif task == "session":
        out["rows"] = _session(Path(args[0]), Path(args[1]), int(args[2]), short=args[3] == "short")
    else:
        raise SystemExit(f"unknown task {task}")
    out["seconds"] = (finished or time.perf_counter()) - started
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _session(data: Path, state: Path, triples: int, *, short: bool) -> list[dict[str, Any]]:
    """One process keeps an incremental session open across changes; after each, the change's
    run is timed, then the same data is checked in full, untimed, to compare the findings.

    The process does not run as the console script does: the full checks free their stores
    (untimed), rather than leave them beside the session's for the rest of the run. The
    full check the ratio is taken against is the median one of the main table."""
    from datetime import date

    from civgraph.api import IncrementalSession, check

    as_of = date.fromisoformat(AS_OF)
    confined = max(4, triples // 1000)
    changes: list[tuple[str, Callable[[], int]]] = [
        ("one new file", lambda: add_one_file(data, triples=confined, tag="first")),
        ("another new file", lambda: add_one_file(data, triples=confined, tag="second")),
        (
            "a new file of 1 % of the triples",
            lambda: add_one_file(data, triples=triples // 100, tag="third"),
        ),
        (
            "a new file of 1 %, complaints copied from the city's",
            lambda: add_city_like_file(data, triples=triples // 100, tag="fourth"),
        ),
        ("1 % spread over every file", lambda: change_one_percent(data, seed=23)),
        (
            "lines appended to the largest file",
            lambda: append_to_largest_file(data, triples=confined, tag="grown"),
        ),
        ("a post's holder changes", lambda: change_post_holders(data, seed=9)),
    ]
    if short:
        changes = [changes[0], changes[3], changes[5], changes[6]]
    rows: list[dict[str, Any]] = []
    with IncrementalSession([data], state_dir=state) as session:
        session.check(as_of=as_of)  # the first run is a full one
        for name, change in changes:
            size = change()
            started = time.perf_counter()
            report, stats = session.check(as_of=as_of)
            spent = time.perf_counter() - started
            full = check([data], as_of=as_of, engine="sparql")
            rows.append(
                {
                    "change": f"{name} ({size:,} triples)",
                    "seconds": spent,
                    "match": _digest(report) == _digest(full),
                    "rules": len(stats.rules_run),
                    "run": "full" if stats.full else stats.reason,
                }
            )
    return rows


def _one_shot_runs(
    data: Path, state: Path, triples: int, *, short: bool
) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Each change, then a one-shot incremental run and a full check of the changed data (each
    a process of its own): the change, the incremental run and the full check."""
    changes: list[tuple[str, Callable[[], int]]] = [
        ("first run: no state yet", lambda: 0),
        ("1 % spread over every file", lambda: change_one_percent(data)),
        (
            "{:,} triples in one new file",
            lambda: add_one_file(data, triples=max(4, triples // 1000)),
        ),
        (
            "a new file of 1 %, complaints copied from the city's ({:,} triples)",
            lambda: add_city_like_file(data, triples=triples // 100, tag="city"),
        ),
        (
            "a new file of 1 % of the triples ({:,} triples)",
            lambda: add_one_file(data, triples=triples // 100, tag="all-late"),
        ),
        (
            "{:,} triples appended to the largest file",
            lambda: append_to_largest_file(data, triples=max(4, triples // 1000), tag="grown"),
        ),
        ("a post's holder changes ({:,} triples)", lambda: change_post_holders(data)),
    ]
    if short:
        changes = changes[:1] + changes[2:4]
    found: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for change, edit in changes:
        size = edit()
        run = run_worker("incremental", str(data), str(state))
        found.append((change.format(size), run, run_worker("check", str(data), "sparql")))
    return found


def _median_sessions(
    times: int, data: Path, work: Path, triples: int, *, short: bool
) -> list[dict[str, Any]]:
    """Each change's row of :func:`_session`, its time the median of ``times`` sessions run one
    after the other, each from its own copy of ``data``; a change matches if it did in all."""
    sessions: list[list[dict[str, Any]]] = []
    for number in range(max(1, times)):
        copy = work / f"session-data-{number}"
        shutil.copytree(data, copy)
        try:
            found = run_worker(
                "session",
                str(copy),
                str(work / f"session-{number}"),
                str(triples),
                "short" if short else "full",
            )
        finally:
            shutil.rmtree(copy, ignore_errors=True)
        sessions.append(found["rows"])
    rows: list[dict[str, Any]] = []
    for runs in zip(*sessions, strict=True):
        ordered = sorted(runs, key=_seconds)
        middle = dict(ordered[len(ordered) // 2])
        middle["spread"] = f"{ordered[0]['seconds']:.2f}–{ordered[-1]['seconds']:.2f}"
        middle["match"] = all(run["match"] for run in runs)
        rows.append(middle)
    return rows


def median_runs(times: int, *workers: tuple[str, ...]) -> list[dict[str, Any]]:
    """For each worker (task and arguments), the run with the median time of ``times`` runs.

    The workers take turns (A, B, A, B, …) so that a drift of the machine's speed during the
    bench weighs on each of them alike and leaves their ratio alone.
    """
    runs: list[list[dict[str, Any]]] = [[] for _ in workers]
    for _ in range(max(1, times)):
        for index, (task, *args) in enumerate(workers):
            runs[index].append(run_worker(task, *args))
    return [sorted(each, key=_seconds)[len(each) // 2] for each in runs]


def _seconds(run: dict[str, Any]) -> float:
    return float(run["seconds"])


def run_worker(task: str, *args: str, limit: float | None = None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", task, *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return {"timeout": True, "seconds": limit}
    if done.returncode != 0:
        raise SystemExit(f"{task} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- data -------------------------------------------------------------------------------------
def make_city(size: int, folder: Path) -> tuple[Path, float]:
    """Generate a city of about ``size`` triples as N-Triples files; returns (folder, seconds)."""
    import pyoxigraph as ox

    from civgraph.demo import generate

    turtle = folder / "ttl"
    started = time.perf_counter()
    generate(turtle, scale=size, seed=7)
    seconds = time.perf_counter() - started
    ntriples = folder / "nt"
    ntriples.mkdir()
    for path in sorted(turtle.glob("*.ttl")):
        with (ntriples / (path.stem + ".nt")).open("wb") as out:
            ox.serialize(
                ox.parse(path=str(path), format=ox.RdfFormat.TURTLE),
                out,
                format=ox.RdfFormat.N_TRIPLES,
            )
    return ntriples, seconds


def change_one_percent(folder: Path, *, seed: int = 11) -> int:
    """Delete 0.5 % of the triples and add as many new ones (new open complaints resolved)."""
    rng = random.Random(seed)
    files = sorted(folder.glob("*.nt"))
    lines = {p: p.read_text(encoding="utf-8").splitlines() for p in files}
    total = sum(len(v) for v in lines.values())
    budget = max(2, total // 200)
    deleted = 0
    for path in files:
        share = budget * len(lines[path]) // total
        for index in sorted(
            rng.sample(range(len(lines[path])), min(share, len(lines[path]))), reverse=True
        ):
            del lines[path][index]
            deleted += 1
        path.write_text("\n".join(lines[path]) + "\n", encoding="utf-8")
    added = _new_complaints(budget // 4, prefix="complaint-bench")
    (folder / "zz-changes.nt").write_text("\n".join(added) + "\n", encoding="utf-8")
    return deleted + len(added)


def change_post_holders(folder: Path, *, count: int = 1, seed: int = 5) -> int:
    """A structural change: ``count`` posts get another holder (a person who holds another
    post), which reaches rules that run over everything (who holds which post, main leaders,
    linked leaders). Returns the triples changed (one removed and one added per post)."""
    rng = random.Random(seed)
    held = "<http://www.w3.org/ns/org#heldBy>"
    for path in sorted(folder.glob("*.nt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        holding = [index for index, line in enumerate(lines) if f" {held} " in line]
        if len(holding) < 2:
            continue
        people = [lines[index].split(" ")[2] for index in holding]
        for index in rng.sample(holding, min(count, len(holding))):
            subject, predicate, person = lines[index].split(" ")[:3]
            other = rng.choice([p for p in people if p != person] or [person])
            lines[index] = f"{subject} {predicate} {other} ."
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return 2 * min(count, len(holding))
    return 0


def append_to_largest_file(folder: Path, *, triples: int, tag: str) -> int:
    """A change to an existing file: about ``triples`` triples of new open complaints appended
    to the largest file (a daily export that grows)."""
    added = _new_complaints(max(1, triples // 4), prefix=f"complaint-{tag}")
    largest = max(folder.glob("*.nt"), key=lambda path: path.stat().st_size)
    with largest.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(added) + "\n")
    return len(added)


def add_one_file(folder: Path, *, triples: int, tag: str = "new") -> int:
    """A change confined to one new file: about ``triples`` triples of new open complaints."""
    added = _new_complaints(max(1, triples // 4), prefix=f"complaint-{tag}")
    (folder / f"zz-{tag}-complaints.nt").write_text("\n".join(added) + "\n", encoding="utf-8")
    return len(added)


def add_city_like_file(folder: Path, *, triples: int, tag: str) -> int:
    """A change confined to one new file, drawn like the city's own data: about ``triples``
    triples of the city's complaints (every triple of each), each under a new IRI. They are
    as often open, late or resolved as the city's (about 1 % still open), where
    :func:`add_one_file`'s complaints are all open and overdue."""
    marker = "/complaint-"
    by_subject: dict[str, list[str]] = {}
    with (folder / "complaints.nt").open(encoding="utf-8") as source:
        for line in source:
            subject = line.split(" ", 1)[0]
            if marker in subject:
                by_subject.setdefault(subject, []).append(line.rstrip("\n"))
    added: list[str] = []
    for number, (subject, lines) in enumerate(by_subject.items()):
        if len(added) >= triples:
            break
        renamed = subject.replace(marker, f"{marker}{tag}-{number:06d}-")
        added += [renamed + line[len(subject) :] for line in lines]
    (folder / f"zz-{tag}-complaints.nt").write_text("\n".join(added) + "\n", encoding="utf-8")
    return len(added)


def _new_complaints(count: int, *, prefix: str) -> list[str]:
    civ = "https://w3id.org/civgraph/ns#"
    lines: list[str] = []
    for number in range(count):
        node = f"<https://w3id.org/civgraph/id/xiamen/{prefix}-{number:06d}>"
        lines += [
            f"{node} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{civ}PublicComplaint> .",
            f'{node} <{civ}receivedOn> "2025-10-01"^^<http://www.w3.org/2001/XMLSchema#date> .',
            f'{node} <{civ}deadline> "2025-11-01"^^<http://www.w3.org/2001/XMLSchema#date> .',
            f"{node} <{civ}handlingUnit> <https://w3id.org/civgraph/id/xiamen/unit-350203> .",
        ]
    return lines


# -- the run ----------------------------------------------------------------------------------
def bench(
    sizes: list[int],
    pyshacl_limit: float,
    repeat: int = 3,
    *,
    short_from: int = LARGE,
    memory_gb: float | None = None,
) -> str:
    rows: list[str] = []
    machine = (
        f"{platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {_cores()} cores"
    )
    rows.append(
        f"machine: {machine}; as of {AS_OF}; load and sparql: median of {max(1, repeat)} runs each,"
        " in turns"
    )
    rows.append("")
    header = (
        "| triples | generate s | load s (floor) | sparql s | pyshacl s | pyshacl/sparql |"
        " sparql/load | one-shot s: 1 % new file | full/one-shot | one-shot s: 1 % spread |"
        " full/one-shot | findings match | peak MB sparql | peak MB pyshacl |"
    )
    rows += [header, "|" + "---|" * 14]
    steps: list[str] = [
        "",
        "Per step (seconds; the same load and rules feed both engines, then each validates):",
        "",
        "| triples | engine | load | rules | validation | attribution | report | total |",
        "|---|---|---|---|---|---|---|---|",
    ]
    increments: list[str] = [
        "",
        "One-shot incremental runs (`check_incremental`, as `nightly --store` runs it: a process",
        "of its own, each after the one before, from the on-disk store the one before left) next",
        "to a full check of the same data, also a process of its own:",
        "",
        "| triples | change | run | incremental s | full s | full/incremental | findings match |",
        "|---|---|---|---|---|---|---|",
    ]
    session_rows: list[str] = [
        "",
        "A session kept open (`IncrementalSession`: the store stays in memory between runs),",
        "each change after the one before; incremental s is the median of as many sessions as",
        "load and sparql have runs, each from a copy of the same data (the fastest and slowest",
        "in brackets); full s is the median full check of the first table, and the findings",
        "are compared with a full check of the changed data in every session:",
        "",
        "| triples | change | run | rules re-run | incremental s (range) | full s |"
        " full/incremental | findings match |",
        "|---|---|---|---|---|---|---|---|",
    ]
    available = memory_gb if memory_gb is not None else available_gb()
    for size in sizes:
        short = size >= short_from
        times = 1 if short else repeat
        if needed_gb(size, "sparql") > available:
            rows.append(
                f"| ~{size:,} | not run: its check needs about {needed_gb(size, 'sparql'):.0f} GB"
                f" of memory, {available:.0f} GB are available |" + " – |" * 12
            )
            continue
        work = Path(tempfile.mkdtemp(prefix=f"civgraph-bench-{size}-"))
        try:
            data, generated = make_city(size, work)
            load, sparql = median_runs(times, ("load", str(data)), ("check", str(data), "sparql"))
            if needed_gb(size, "pyshacl") > available:
                reference: dict[str, Any] = {"skipped": needed_gb(size, "pyshacl")}
            else:
                reference = run_worker("check", str(data), "pyshacl", limit=pyshacl_limit)
            # the sessions first, from the data as generated; then the one-shot runs, which
            # change it
            # a session compares each change with a full check: two stores at once
            session_found = (
                _median_sessions(times, data, work, load["triples"], short=short)
                if 2 * needed_gb(size, "sparql") <= available
                else []
            )
            if not session_found:
                session_rows.append(
                    f"| ~{size:,} | not run: a session and the full check it is compared with"
                    f" need about {2 * needed_gb(size, 'sparql'):.0f} GB |" + " – |" * 6
                )
            one_shot = _one_shot_runs(data, work / "state", load["triples"], short=short)
            spread = _change(one_shot, "1 % spread")
            city = _change(one_shot, "a new file of 1 %, complaints")
            for row in session_found:
                session_rows.append(
                    f"| {load['triples']:,} | {row['change']} | {row['run']} | {row['rules']} |"
                    f" {row['seconds']:.2f} ({row['spread']}) | {sparql['seconds']:.2f} |"
                    f" {sparql['seconds'] / row['seconds']:.1f}× |"
                    f" {'yes' if row['match'] else 'NO'} |"
                )
            for change, run, full in one_shot:
                increments.append(
                    f"| {load['triples']:,} | {change} |"
                    f" {'full (' + run['reason'] + ')' if run['full'] else 'diff'} |"
                    f" {run['seconds']:.2f} | {full['seconds']:.2f} |"
                    f" {full['seconds'] / run['seconds']:.1f}× |"
                    f" {'yes' if run['digest'] == full['digest'] else 'NO'} |"
                )
            if reference.get("timeout"):
                ratio = f"> {pyshacl_limit / sparql['seconds']:.0f}×"
                pyshacl_s = f"> {pyshacl_limit:.0f}"
                matched = "pyshacl stopped"
                pyshacl_mb = "–"
            elif "skipped" in reference:
                ratio = "–"
                pyshacl_s = (
                    f"not run: needs about {reference['skipped']:.0f} GB,"
                    f" {available:.0f} GB available"
                )
                matched = "pyshacl not run"
                pyshacl_mb = "–"
            else:
                ratio = f"{reference['seconds'] / sparql['seconds']:.1f}×"
                pyshacl_s = f"{reference['seconds']:.1f}"
                matched = "yes" if reference["digest"] == sparql["digest"] else "NO"
                pyshacl_mb = f"{reference['peak_mb']:.0f}"
            incremental_match = all(run["digest"] == full["digest"] for _, run, full in one_shot)
            rows.append(
                f"| {load['triples']:,} | {generated:.1f} | {load['seconds']:.2f} |"
                f" {sparql['seconds']:.2f} | {pyshacl_s} | {ratio} |"
                f" {sparql['seconds'] / load['seconds']:.1f}× | {_against_full(city)} |"
                f" {_against_full(spread)} |"
                f" {matched}; incremental {'yes' if incremental_match else 'NO'} |"
                f" {sparql['peak_mb']:.0f} | {pyshacl_mb} |"
            )
            print(rows[-1], flush=True)
            for name, run in (("sparql", sparql), ("pyshacl", reference)):
                if "steps" in run:
                    step = run["steps"]
                    steps.append(
                        f"| {load['triples']:,} | {name} | {step['load']:.2f} |"
                        f" {step['rules']:.2f} | {step['validation']:.2f} |"
                        f" {step['attribution']:.2f} | {step['report']:.2f} |"
                        f" {run['seconds']:.2f} |"
                    )
            if "steps" in reference:
                ours, theirs = sparql["steps"], reference["steps"]
                alone = theirs["validation"] / ours["validation"]
                with_attribution = (theirs["validation"] + theirs["attribution"]) / (
                    ours["validation"] + ours["attribution"]
                )
                steps.append(
                    f"| {load['triples']:,} | pyshacl/sparql: the 25 obligations |  |  |"
                    f" {alone:.0f}× |  |  |  |"
                )
                steps.append(
                    f"| {load['triples']:,} | pyshacl/sparql: the 25 obligations plus attribution"
                    f" |  |  | {with_attribution:.0f}× (validation + attribution) |  |  |  |"
                )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return "\n".join(rows + steps + increments + session_rows) + "\n"


def _change(
    runs: list[tuple[str, dict[str, Any], dict[str, Any]]], name: str
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The one-shot run and full check of the change named ``name…`` (None: not in the plan)."""
    return next(((run, full) for change, run, full in runs if change.startswith(name)), None)


def _against_full(found: tuple[dict[str, Any], dict[str, Any]] | None) -> str:
    """Two cells of the first table: a one-shot run's seconds and the full check's ratio."""
    if found is None:
        return "not in this size's plan | –"
    run, full = found
    return f"{run['seconds']:.2f} | {full['seconds'] / run['seconds']:.1f}×"


def needed_gb(size: int, engine: str) -> float:
    """About how much memory a check of ``size`` triples takes with ``engine``."""
    return size * KB_PER_TRIPLE[engine] / 1024 / 1024


def available_gb() -> float:
    """The memory this machine has available now (Linux: MemAvailable)."""
    import os

    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES") / 1024**3


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        print(json.dumps(worker(sys.argv[2], sys.argv[3:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--pyshacl-limit", type=float, default=600.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs of load and sparql (median)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--short-from", type=int, default=LARGE, help="sizes from which the shorter plan runs"
    )
    parser.add_argument(
        "--memory-gb",
        type=float,
        default=None,
        help="the memory to plan for (default: what the machine has available)",
    )
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",") if s.strip()]
    table = bench(
        sizes,
        options.pyshacl_limit,
        options.repeat,
        short_from=options.short_from,
        memory_gb=options.memory_gb,
    )
    print(table)
    if options.out:
        options.out.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
