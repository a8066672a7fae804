"""The W3C SHACL test suite, run with pySHACL and with the SPARQL engine."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from civgraph.conformance import main, run_suite

REPO = Path(__file__).resolve().parent.parent
SUITE = REPO.parent / "shared" / "conformance" / "w3c-shacl" / "tests"
FLOOR_FILE = Path(__file__).with_name("conformance_floor.txt")

for _noisy in ("rdflib.term", "pyshacl"):  # the suite holds ill-typed literals on purpose
    logging.getLogger(_noisy).setLevel(logging.CRITICAL)
logging.getLogger("pyshacl-validate").addFilter(lambda _record: False)


def _floors() -> dict[str, int]:
    floors: dict[str, int] = {}
    for line in FLOOR_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            engine, count = line.split()
            floors[engine] = int(count)
    return floors


@pytest.fixture(scope="module")
def suite() -> Path:
    if not (SUITE / "manifest.ttl").is_file():
        pytest.skip(f"the W3C SHACL test suite is not at {SUITE}")
    return SUITE


@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
def test_suite_passes_at_least_the_recorded_floor(suite: Path, engine: str) -> None:
    passed, failures = run_suite(suite, engine)  # type: ignore[arg-type]
    assert passed + len(failures) == 120
    assert passed >= _floors()[engine], "\n".join(f"{name}: {why}" for name, why in failures)


def test_command_prints_failures_and_the_count(suite: Path) -> None:
    result = CliRunner().invoke(main, [str(suite / "sparql" / "pre-binding"), "--engine", "sparql"])
    lines = result.output.strip().splitlines()
    assert lines[-1] == "13 passed, 1 failed"
    assert any("shapesGraph-001" in line for line in lines[:-1])
    assert result.exit_code == 1


def test_command_rejects_a_missing_suite(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such manifest" in result.output
