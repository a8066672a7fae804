"""The ``civgraph`` command: a thin click layer over the Python API.

Each sub-command lives in its own module under :mod:`civgraph.commands` and exposes a click
``command`` (or a ``commands`` list); this module only gathers them and turns civgraph's own errors
into one-line messages with exit code 2.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

from civgraph import __version__, commands
from civgraph.errors import CivgraphError
from civgraph.teardown import console_script, exit_process

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_USAGE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="civgraph")
def cli() -> None:
    """civgraph — checks the civilized-city long-term mechanism over a knowledge graph.

    Exit codes: 0 conforms, 1 violations found, 2 usage or input error.
    """


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        found = list(getattr(module, "commands", []))
        if hasattr(module, "command"):
            found.append(module.command)
        for command in found:
            cli.add_command(command)


_register()


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
