"""The benchmark is one command: on a small city it runs every measurement end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def _bench(folder: Path, *options: str) -> str:
    """The table ``bench/run.py`` writes with these options (it must succeed)."""
    out = folder / "bench.md"
    done = subprocess.run(
        [sys.executable, str(BENCH), *options, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_bench_runs_both_engines_and_the_incremental_check_and_they_agree(
    tmp_path: Path,
) -> None:
    table = _bench(tmp_path, "--sizes", "3000", "--repeat", "1")
    size_row = next(line for line in table.splitlines() if line.startswith("| ") and "yes" in line)
    assert "yes; incremental yes" in size_row  # the engines agree, and incremental equals full
    assert "| pyshacl/sparql: the 25 obligations plus attribution |" in table
    steps = [line for line in table.splitlines() if "| sparql |" in line or "| pyshacl |" in line]
    assert len(steps) == 2
    changes = [
        line
        for line in table.splitlines()
        if line.startswith("| ")
        and not line.startswith("| triples ")
        and any(kind in line for kind in ("1 % spread", "new file", "holder changes", "appended"))
    ]
    assert len(changes) == 13  # six one-shot incremental runs, seven in a session kept open
    assert all(line.endswith("| yes |") for line in changes)  # incremental equals full


@pytest.mark.slow
def test_a_large_size_takes_the_short_plan_and_what_memory_cannot_hold_is_left_out(
    tmp_path: Path,
) -> None:
    # 3,000 triples planned as a large size on a machine of 5 MB: the SPARQL check (2 MB)
    # and a session beside a full check (4 MB) fit, pySHACL (9 MB) does not; 10M does not
    table = _bench(
        tmp_path,
        *("--sizes", "3000,10000000", "--repeat", "3", "--short-from", "1000"),
        *("--memory-gb", "0.005"),
    ).splitlines()
    size_row = next(line for line in table if "pyshacl not run" in line)
    assert "not run: needs about 0 GB" in size_row and "not in this size's plan" in size_row
    assert "yes" in size_row.split("pyshacl not run; incremental ")[1][:3]
    assert any(
        line.startswith("| ~10,000,000 | not run: its check needs about 6 GB") for line in table
    )
    one_shot = [line for line in table if line.count("|") == 8 and "| diff |" in line]
    session = [line for line in table if "| incremental |" in line]
    assert len(one_shot) == 2 and len(session) == 4  # the short plan, each step once
    assert all(line.endswith("| yes |") for line in one_shot + session)
