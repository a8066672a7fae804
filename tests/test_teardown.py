"""Big stores are left to the operating system only when the console script runs."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from civgraph import teardown


class _Big:
    """Stands for an in-memory store (anything a weak reference can watch)."""


def test_a_library_caller_s_store_is_freed_as_usual(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(teardown, "_CONSOLE", [False])
    monkeypatch.setattr(teardown, "_KEPT", [])
    thing = _Big()
    watch = weakref.ref(thing)
    teardown.release(thing)
    del thing
    gc.collect()
    assert watch() is None


def test_under_the_console_script_a_released_store_waits_for_the_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(teardown, "_CONSOLE", [False])
    monkeypatch.setattr(teardown, "_KEPT", [])
    teardown.console_script()
    thing = _Big()
    watch = weakref.ref(thing)
    teardown.release(thing)
    del thing
    gc.collect()
    assert watch() is not None


@pytest.mark.slow
def test_an_incremental_nightly_run_of_the_console_script_ends_whole(
    demo_dir: Path, tmp_path: Path
) -> None:
    """`nightly --store` lets its store go to the OS at exit: the exit code, the summary line,
    the history and the published reports are still all there, run after run."""
    command = [sys.executable, "-c", "from civgraph.cli import run; run()", "nightly"]
    args = ["--data", str(demo_dir), "--history", str(tmp_path / "h"), "--site"]
    args += [str(tmp_path / "site"), "--store", str(tmp_path / "state")]
    for day in ("2025-12-30", "2025-12-31"):
        done = subprocess.run(
            [*command, *args, "--as-of", day], capture_output=True, text=True, check=False
        )
        assert done.returncode == 1, done.stderr
        assert done.stdout.strip()
    runs = sorted((tmp_path / "h").rglob("run.ttl"))
    assert len(runs) == 2
    report = json.loads((tmp_path / "site" / "reports" / "report.en.json").read_text("utf-8"))
    assert report["findings"]
    assert any(notice.startswith("incremental:") for notice in report["notices"])
