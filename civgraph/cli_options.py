"""Options shared by several commands, so each means the same everywhere."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from civgraph import atomic
from civgraph.errors import InputError
from civgraph.store.protocol import Store

F = TypeVar("F", bound=Callable[..., Any])


class DateType(click.ParamType):  # type: ignore[type-arg]
    """An ISO date, ``YYYY-MM-DD``."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date of the form YYYY-MM-DD", param, ctx)


DATE = DateType()


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of",
        "as_of",
        type=DATE,
        default=None,
        help="Judge the data as of this date (default: today). Quarters, years and deadlines "
        "not yet past by then are never violations.",
    )(func)


def data_arguments(func: F) -> F:
    func = click.argument(
        "data", nargs=-1, type=click.Path(path_type=Path, exists=False, dir_okay=True)
    )(func)
    return click.option(
        "--demo", is_flag=True, help="Use the built-in demo city (Xiamen) as data."
    )(func)


def lang_option(func: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default="zh",
        show_default=True,
        help="Language of messages and names.",
    )(func)


def report_format_option(func: F) -> F:
    from civgraph.render import RENDERERS

    return click.option(
        "--format",
        "output_format",
        type=click.Choice(sorted(RENDERERS)),
        default="text",
        show_default=True,
        help="text: grouped by district and unit; json: the shipped schema; csv: one row per "
        "finding and person; ttl: a SHACL validation report with accountability.",
    )(func)


def code_options(func: F) -> F:
    """``--select`` and ``--ignore``: which obligation codes to check."""
    func = click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes.")(func)
    return click.option(
        "--select", multiple=True, metavar="CODES", help="Only these codes (CIV-3.5,CIV-4)."
    )(func)


def setting_option(func: F) -> F:
    return click.option(
        "--setting",
        "settings",
        multiple=True,
        metavar="KEY=VALUE",
        help="Override a threshold from settings.toml (repeatable).",
    )(func)


def output_option(func: F) -> F:
    return click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Write to this file (atomically) instead of standard output.",
    )(func)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the whole new one, never half."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: folder {folder} does not exist")
    try:
        atomic.write_file_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def emit(text: str, output: Path | None) -> None:
    """Print ``text`` or write it to ``output``."""
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)


def engine_option(func: F) -> F:
    return click.option(
        "--engine",
        type=click.Choice(["pyshacl", "sparql", "auto"]),
        default="auto",
        show_default=True,
        help="sparql: shapes compiled to set-based SPARQL and run in the store (an uncompilable "
        "shape is an error); pyshacl: the reference engine, over an in-memory copy; auto: sparql, "
        "with pySHACL taking over any shape the compiler cannot handle (with a notice).",
    )(func)


@dataclass(frozen=True, kw_only=True)
class StoreChoice:
    """Where the graph lives, as the store options say."""

    store_path: Path | None
    endpoint: str | None
    graphs: tuple[str, ...]
    update_endpoint: str | None
    scratch_graph: str | None
    timeout: float

    def open(self, *, allow_path: bool = True) -> Store | None:
        """The store named (``None``: a fresh in-memory store is made by the API)."""
        from civgraph.store import OxigraphStore, RemoteStore

        if self.endpoint and self.store_path:
            raise InputError("give --store or --endpoint, not both")
        if self.endpoint:
            if not self.endpoint.startswith(("http://", "https://")):
                raise InputError(f"--endpoint {self.endpoint!r} is not an http(s) URL")
            return RemoteStore(
                self.endpoint,
                graphs=self.graphs,
                update_endpoint=self.update_endpoint,
                scratch_graph=self.scratch_graph,
                timeout=self.timeout,
            )
        if self.graphs or self.update_endpoint or self.scratch_graph:
            raise InputError("--graph, --update-endpoint and --scratch-graph go with --endpoint")
        if self.store_path is not None and allow_path:
            try:
                self.store_path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"{self.store_path}: cannot open store: {exc.strerror}") from None
            return OxigraphStore(path=self.store_path)
        return None


_STORE_KEYS = ("store_path", "endpoint", "graphs", "update_endpoint", "scratch_graph", "timeout")


def store_options(func: F) -> F:
    """Where the graph lives: memory (default), an on-disk store, or a remote endpoint.

    The command receives them bundled as ``store_choice: StoreChoice``.
    """
    options = [
        click.option(
            "--store",
            "store_path",
            type=click.Path(path_type=Path, file_okay=False),
            default=None,
            help="An on-disk store (created if absent). DATA given replaces its data; "
            "without DATA the store is used as it stands.",
        ),
        click.option(
            "--endpoint",
            default=None,
            metavar="URL",
            help="A SPARQL 1.1 query endpoint holding the data (credentials from "
            "CIVGRAPH_ENDPOINT_USER/_PASSWORD or CIVGRAPH_ENDPOINT_TOKEN).",
        ),
        click.option(
            "--graph",
            "graphs",
            multiple=True,
            metavar="IRI",
            help="A named graph of the endpoint holding the data (repeatable; default: the "
            "endpoint's default graph).",
        ),
        click.option(
            "--update-endpoint",
            default=None,
            metavar="URL",
            help="The endpoint's SPARQL Update URL, for writing into --scratch-graph.",
        ),
        click.option(
            "--scratch-graph",
            default=None,
            metavar="IRI",
            help="A named graph civgraph may overwrite with what it derives (needed to check "
            "at an endpoint).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=1),
            default=120.0,
            show_default=True,
            help="Seconds to wait for each endpoint request.",
        ),
    ]

    @functools.wraps(func)
    def bundled(**kwargs: Any) -> Any:
        choice = StoreChoice(**{key: kwargs.pop(key) for key in _STORE_KEYS})
        return func(store_choice=choice, **kwargs)

    command: Any = bundled
    for option in reversed(options):
        command = option(command)
    return cast(F, command)
