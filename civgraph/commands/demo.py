"""``civgraph demo DIR``: write the demo city (or a scaled synthetic city) into a folder."""

from __future__ import annotations

from pathlib import Path

import click

from civgraph.demo import DEFAULT_SEED, generate
from civgraph.errors import InputError


def _whole_number(value: str, *, option: str, positive: bool) -> int:
    try:
        number = int(value.replace("_", ""))
    except ValueError:
        raise InputError(f"{option} needs a whole number, got {value!r}") from None
    if positive and number <= 0:
        raise InputError(f"{option} must be a positive number of triples, got {number}")
    return number


@click.command(name="demo")
@click.argument("directory", metavar="DIR", required=False)
@click.option(
    "--scale",
    "scale",
    metavar="N",
    default=None,
    help="Write a synthetic city of about N triples instead of the demo city.",
)
@click.option(
    "--seed",
    "seed",
    metavar="S",
    default=str(DEFAULT_SEED),
    show_default=True,
    help="Random seed; the same seed and scale give byte-identical files.",
)
def command(directory: str | None, scale: str | None, seed: str) -> int:
    """Write the demo city of Xiamen (厦门市) into DIR, with its manifest of planted defects.

    The files are the Turtle files of the demo folder, expected-violations.json (what
    `civgraph check DIR --as-of 2025-12-31` must find) and a README.
    """
    if not directory:
        raise InputError("name the folder to write the demo into: civgraph demo DIR")
    size = None if scale is None else _whole_number(scale, option="--scale", positive=True)
    number = _whole_number(seed, option="--seed", positive=False)
    summary = generate(Path(directory), scale=size, seed=number)
    click.echo(summary.line())
    return 0
