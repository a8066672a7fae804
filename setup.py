"""Copy the top-level declarative folders into the wheel as ``civgraph/resources/``.

The project keeps ``ontology/``, ``shapes/``, ``rules/`` and ``queries/`` at the top level (they
are the product, not Python), yet a plain ``pip install .`` must carry them; everything else is in
pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = ("ontology", "shapes", "rules", "queries")


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        here = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "civgraph" / "resources"
        for name in RESOURCES:
            source = here / name
            if source.is_dir():
                shutil.copytree(source, target / name, dirs_exist_ok=True)
        examples = here / "tests" / "obligations"
        if examples.is_dir():
            shutil.copytree(examples, target / "examples", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithResources})
