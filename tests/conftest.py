"""Shared fixtures: where the repository, the shared catalogue and the demo city are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CATALOGUE = SHARED / "spec" / "obligations.md"
OBLIGATION_FIXTURES = Path(__file__).resolve().parent / "obligations"


def catalogue_codes() -> list[str]:
    """The codes of ../shared/spec/obligations.md, in catalogue order (empty when absent)."""
    if not CATALOGUE.is_file():
        return []
    codes = dict.fromkeys(re.findall(r"\bCIV-\d+\.\d+\b", CATALOGUE.read_text(encoding="utf-8")))
    return sorted(codes, key=lambda c: tuple(int(x) for x in c[4:].split(".")))


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo city, generated once per test session."""
    from civgraph.demo import generate

    folder = tmp_path_factory.mktemp("demo")
    generate(folder)
    return folder


@pytest.fixture(scope="session")
def demo_ntriples(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo city as one N-Triples file per record family (so edits are line edits)."""
    import pyoxigraph as ox

    folder = tmp_path_factory.mktemp("demo-nt")
    for path in sorted(demo_dir.glob("*.ttl")):
        quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        ox.serialize(quads, str(folder / f"{path.stem}.nt"), format=ox.RdfFormat.N_TRIPLES)
    return folder
