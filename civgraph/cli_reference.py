"""The command reference in ``docs/cli.md``, generated from ``--help`` so it cannot drift.

``python -m civgraph.cli_reference > docs/cli.md`` rewrites it; a test compares the two.
"""

from __future__ import annotations

import click

from civgraph.cli import cli


def _walk(command: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        with click.Context(command) as ctx:  # a lazy group names its commands through ctx
            for name in sorted(command.list_commands(ctx)):
                sub = command.get_command(ctx, name)
                assert sub is not None, f"{' '.join(path)} lists {name} but has no such command"
                found.extend(_walk(sub, [*path, name]))
    return found


def reference() -> str:
    lines = [
        "# Command reference",
        "",
        "Generated from `--help` by `python -m civgraph.cli_reference`; a test keeps it current.",
        "",
    ]
    for path, command in _walk(cli, ["civgraph"]):
        with click.Context(
            command,
            info_name=" ".join(path),
            terminal_width=100,
            max_content_width=100,
            help_option_names=["-h", "--help"],
        ) as ctx:
            text = command.get_help(ctx)
        lines += [f"## `{' '.join(path)}`", "", "```text", text.rstrip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    click.echo(reference(), nl=False)
