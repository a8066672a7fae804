"""``civgraph codes`` and ``civgraph explain``: the catalogue as the shapes declare it."""

from __future__ import annotations

import click

from civgraph.cli_options import lang_option
from civgraph.explain import codes_table, explain_page


@click.command("codes")
@lang_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
def codes(*, lang: str, output_format: str) -> int:
    """List every obligation code with its severity, clause and name."""
    click.echo(codes_table(lang=lang, as_json=output_format == "json"), nl=False)
    return 0


@click.command("explain")
@click.argument("code")
@lang_option
def explain(*, code: str, lang: str) -> int:
    """Print one obligation's page: clause, what is checked, who answers, examples."""
    click.echo(explain_page(code.strip().upper(), lang=lang), nl=False)
    return 0


commands = [codes, explain]
