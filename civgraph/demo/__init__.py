"""The demo city (厦门市) and its generator.

>>> from civgraph.demo import generate  # doctest: +SKIP
>>> generate(Path("demo"))  # doctest: +SKIP

:func:`generate` writes the Turtle files of design.md's demo folder, ``expected-violations.json``
and ``README.md``; :func:`ensure_demo` gives other commands (``civgraph check --demo``) the default
demo in a folder.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from civgraph.demo.generator import DEFAULT_SEED, MANIFEST, GenerationSummary, generate

__all__ = [
    "DEFAULT_SEED",
    "MANIFEST",
    "GenerationSummary",
    "demo_files",
    "ensure_demo",
    "generate",
]


_CACHED: list[Path] = []


def ensure_demo(dir: Path | None = None) -> Path:
    """Generate the default demo city into ``dir`` and return the folder.

    Without ``dir`` the demo goes into a temporary folder made once per process, reused by later
    calls (the demo is deterministic, so the files would be the same) and removed at exit.
    """
    if dir is not None:
        generate(dir)
        return dir
    if _CACHED and (_CACHED[0] / MANIFEST).is_file():
        return _CACHED[0]
    target = Path(tempfile.mkdtemp(prefix="civgraph-demo-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    generate(target)
    _CACHED[:] = [target]
    return target


def demo_files(dir: Path | None = None) -> list[Path]:
    """The Turtle files of the default demo city (generated into ``dir`` or a temporary folder)."""
    folder = ensure_demo(dir)
    return sorted(folder.glob("*.ttl"))
