"""Documentation that cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

from civgraph.cli_reference import reference
from civgraph.settings import Settings
from tests.conftest import REPO


def test_cli_reference_is_current() -> None:
    current = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == reference(), "run: python -m civgraph.cli_reference > docs/cli.md"


def test_every_setting_is_documented() -> None:
    toml = (REPO / "civgraph" / "settings.toml").read_text(encoding="utf-8")
    for name in Settings.defaults().__dataclass_fields__:
        block = re.search(rf"((?:#.*\n)+){name} =", toml)
        assert block, f"setting {name} has no comment in settings.toml"


def test_readme_quick_start_matches_ci() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "civgraph check --demo" in readme
    assert "bash .ci/run" in readme
    assert "python -m pytest" in readme
    assert ci.rstrip().endswith("exec python -m pytest")
    assert Path(REPO / ".ci" / "run").stat().st_mode & 0o111
