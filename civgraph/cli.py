"""The ``civgraph`` command: a thin click layer over the Python API.

Each sub-command lives in its own module under :mod:`civgraph.commands` and exposes a click
``command`` (or a ``commands`` list); this module names them in :data:`COMMANDS`, imports only
the one a call runs, and turns civgraph's own errors into one-line messages with exit code 2.
Importing every command's module (the site's templates, the demo generator, the spreadsheet
reader…) cost each call about 0.3 s before it did anything; ``--help`` still imports them all.
"""

from __future__ import annotations

import importlib

import click

from civgraph import __version__
from civgraph.errors import CivgraphError
from civgraph.teardown import console_script, exit_process

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_USAGE = 2


#: Each sub-command's name and the module under :mod:`civgraph.commands` that defines it
#: (``tests/test_cli_commands.py`` checks this against the modules themselves).
COMMANDS: dict[str, str] = {
    "check": "check",
    "codes": "catalogue",
    "demo": "demo",
    "explain": "catalogue",
    "export": "spreadsheet",
    "import": "spreadsheet",
    "nightly": "nightly",
    "query": "query",
    "template": "spreadsheet",
    "watch": "watch",
}


def module_commands(module_name: str) -> list[click.Command]:
    """The click commands one module of :mod:`civgraph.commands` defines."""
    module = importlib.import_module(f"civgraph.commands.{module_name}")
    found = list(getattr(module, "commands", []))
    if hasattr(module, "command"):
        found.append(module.command)
    return found


class _LazyGroup(click.Group):
    """A group that imports a sub-command's module only when the command is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        return next((c for c in module_commands(module) if c.name == cmd_name), None)


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="civgraph")
def cli() -> None:
    """civgraph — checks the civilized-city long-term mechanism over a knowledge graph.

    Exit codes: 0 conforms, 1 violations found, 2 usage or input error.
    """


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    try:
        result = cli.main(args=argv, prog_name="civgraph", standalone_mode=False)
    except CivgraphError as exc:
        click.echo(f"civgraph: error: {exc}", err=True)
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("civgraph: aborted", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    # A command returns its exit code (0 conforms, 1 violations); click returns it from main().
    return result if isinstance(result, int) else EXIT_OK


def run() -> None:
    """The console script: :func:`main`, then the exit (see :mod:`civgraph.teardown`)."""
    console_script()
    exit_process(main())


if __name__ == "__main__":  # pragma: no cover
    run()
