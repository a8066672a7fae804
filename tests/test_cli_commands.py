"""The command table of the lazy ``civgraph`` group matches what the command modules define,
so a command added to :mod:`civgraph.commands` cannot be left out of the CLI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

from civgraph import commands
from civgraph.cli import COMMANDS, module_commands


def test_every_command_module_is_in_the_table_with_exactly_its_commands() -> None:
    defined = {
        command.name: info.name
        for info in pkgutil.iter_modules(commands.__path__)
        for command in module_commands(info.name)
    }
    assert defined == COMMANDS


def test_running_check_does_not_import_the_other_commands() -> None:
    # what a call imports is what it pays for at start: `check` needs none of the site's
    # templates, the demo generator or the spreadsheet reader
    probe = (
        "import sys\n"
        "from civgraph.cli import main\n"
        "main(['check', '--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('civgraph.commands.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "['civgraph.commands.check']"
