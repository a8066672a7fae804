"""Every catalogue code: its violating fixture yields exactly the expected findings (code, focus,
severity, accountable persons and roles), its conforming fixture yields none for that code."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from civgraph.api import Engine, check
from civgraph.catalogue import shape_files
from tests.conftest import CATALOGUE, OBLIGATION_FIXTURES, catalogue_codes

CODES = catalogue_codes() or sorted(shape_files())
RAN: set[str] = set()


def _expected(code: str) -> dict[str, object]:
    data = json.loads((OBLIGATION_FIXTURES / code / "expected.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _as_of(code: str) -> date:
    return date.fromisoformat(str(_expected(code)["as_of"]))


@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
@pytest.mark.parametrize("code", CODES)
def test_violating_fixture_yields_expected_findings(code: str, engine: Engine) -> None:
    folder = OBLIGATION_FIXTURES / code
    assert (folder / "violates.ttl").is_file(), f"{code}: no violating fixture"
    report = check([folder / "violates.ttl"], as_of=_as_of(code), select=[code], engine=engine)
    got = sorted(
        (f.focus, f.severity, tuple(sorted((a.role, a.person) for a in f.accountable)))
        for f in report.findings
    )
    violations = _expected(code)["violations"]
    assert isinstance(violations, list)
    want = sorted(
        (
            v["focus"],
            v.get("severity", "Violation"),
            tuple(sorted((a["role"], a["person"]) for a in v["accountable"])),
        )
        for v in violations
    )
    assert want, f"{code}: expected.json lists no violation"
    assert got == want
    assert {f.code for f in report.findings} == {code}
    RAN.add(f"{code}/{engine}")


@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
@pytest.mark.parametrize("code", CODES)
def test_conforming_fixture_yields_nothing_for_its_code(code: str, engine: Engine) -> None:
    folder = OBLIGATION_FIXTURES / code
    assert (folder / "conforms.ttl").is_file(), f"{code}: no conforming fixture"
    report = check([folder / "conforms.ttl"], as_of=_as_of(code), select=[code], engine=engine)
    assert [f for f in report.findings if f.code == code] == []
    RAN.add(f"{code}/conforms/{engine}")


def test_every_code_ran_both_fixtures(request: pytest.FixtureRequest) -> None:
    """Fewer fixtures run than codes exist is a failure, not a quiet pass."""
    collected = {item.name for item in request.session.items}
    wanted = {
        f"test_violating_fixture_yields_expected_findings[{c}-{e}]"
        for c in CODES
        for e in ("pyshacl", "sparql")
    }
    if not wanted <= collected:
        pytest.skip("only part of the fixture tests was selected; run the whole module")
    missing = [
        f"{c} ({e})"
        for c in CODES
        for e in ("pyshacl", "sparql")
        if f"{c}/{e}" not in RAN or f"{c}/conforms/{e}" not in RAN
    ]
    assert not missing, f"fixtures did not run (or failed) for: {', '.join(missing)}"


def test_catalogue_and_shapes_agree() -> None:
    if not CATALOGUE.is_file():
        pytest.skip(f"catalogue {CATALOGUE} is absent")
    shapes = set(shape_files())
    catalogue = set(catalogue_codes())
    assert catalogue - shapes == set(), "catalogue codes with no shape file"
    assert shapes - catalogue == set(), "shape files for codes not in the catalogue"
    assert len(catalogue) == 25


def test_every_code_has_fixture_folder() -> None:
    folders = {p.name for p in Path(OBLIGATION_FIXTURES).iterdir() if p.is_dir()}
    assert set(CODES) <= folders
