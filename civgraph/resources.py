"""Where the project's declarative files live: ``ontology/``, ``shapes/``, ``rules/``, ``queries/``.

In a source checkout (or an editable install) they are the top-level folders of the repository.
A built wheel carries a copy under ``civgraph/resources/`` (see ``setup.py``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_KINDS = ("ontology", "shapes", "rules", "queries")


@cache
def root() -> Path:
    """The folder that holds ``ontology/``, ``shapes/``, ``rules/`` and ``queries/``."""
    here = Path(__file__).resolve().parent
    checkout = here.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "shapes").is_dir():
        return checkout
    bundled = here / "resources"
    if (bundled / "shapes").is_dir():
        return bundled
    raise FileNotFoundError(
        f"civgraph resources not found: neither {checkout}/shapes nor {bundled}/shapes exists"
    )


def folder(kind: str) -> Path:
    """One of the resource folders, by name (``"shapes"``, ``"rules"``, …)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown resource folder {kind!r}; expected one of {', '.join(_KINDS)}")
    return root() / kind


def examples_folder() -> Path:
    """Each obligation's conforming and violating examples (``tests/obligations/``)."""
    base = root()
    checkout = base / "tests" / "obligations"
    return checkout if checkout.is_dir() else base / "examples"


def data_folder() -> Path:
    """Data shipped inside the package itself (the demo city, JSON schemas)."""
    return Path(__file__).resolve().parent / "data"
