"""The query library: the named ``.rq`` files under ``queries/``, loaded, checked and run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib.term import Identifier

from civgraph import resources
from civgraph.errors import InputError
from civgraph.querylib.header import Header, Param, parse_header
from civgraph.querylib.params import bind, to_term
from civgraph.querylib.readonly import check_select
from civgraph.store.protocol import Row, Store

SUFFIX = ".rq"


@dataclass(frozen=True, kw_only=True)
class Query:
    """One query file: its header, its text and the columns it returns."""

    name: str
    path: Path
    text: str
    header: Header
    columns: tuple[str, ...]
    select_all: bool

    @property
    def params(self) -> tuple[Param, ...]:
        return self.header.params

    def title(self, lang: str = "zh") -> str:
        return self.header.title.get(lang) or self.header.title["zh"]

    def description(self, lang: str = "zh") -> str:
        return self.header.description.get(lang) or self.header.description.get("zh", "")


@dataclass(frozen=True, kw_only=True)
class QueryResult:
    """The rows of one run, with the columns in the query's order and the bindings used."""

    query: Query
    columns: tuple[str, ...]
    rows: list[Row]
    bindings: dict[str, Identifier]


def library_folder() -> Path:
    """The folder of the shipped queries."""
    return resources.folder("queries")


@dataclass(frozen=True, kw_only=True)
class Entry:
    """A query file as ``query list`` shows it: its name and header, not yet parsed as SPARQL."""

    name: str
    path: Path
    header: Header

    def title(self, lang: str = "zh") -> str:
        return self.header.title.get(lang) or self.header.title["zh"]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _name(path: Path) -> str:
    return path.name.removesuffix(SUFFIX) if path.name.endswith(SUFFIX) else path.name


def entries() -> list[Entry]:
    """Every shipped query's name and header (fast: the SPARQL is not parsed)."""
    return [
        Entry(name=_name(p), path=p, header=parse_header(_read(p), source=p))
        for p in sorted(library_folder().glob(f"*{SUFFIX}"))
    ]


def load_query(path: Path) -> Query:
    """Read, parse and check one query file (header, SELECT-only, parameters)."""
    text = _read(path)
    header = parse_header(text, source=path)
    checked = check_select(text, source=str(path))
    name = _name(path)
    for param in header.params:
        if param.default is not None:
            to_term(param, param.default, source=f"{path}: default of")
        if param.name not in checked.columns:
            raise InputError(
                f"{path}: parameter {param.name} is declared but ?{param.name} is not in the "
                "SELECT list (the store binds parameters as projected variables)"
            )
    return Query(
        name=name,
        path=path,
        text=text,
        header=header,
        columns=checked.columns,
        select_all=checked.select_all,
    )


def library() -> list[Query]:
    """Every shipped query, by name."""
    return [load_query(p) for p in sorted(library_folder().glob(f"*{SUFFIX}"))]


def find_query(name_or_file: str) -> Query:
    """A shipped query by name, or any ``.rq`` file by path."""
    candidate = Path(name_or_file)
    if name_or_file.endswith(SUFFIX) or "/" in name_or_file:
        if not candidate.is_file():
            raise InputError(f"{name_or_file}: no such query file")
        return load_query(candidate)
    path = library_folder() / f"{name_or_file}{SUFFIX}"
    if not path.is_file():
        names = ", ".join(p.stem for p in sorted(library_folder().glob(f"*{SUFFIX}")))
        raise InputError(f"unknown query {name_or_file!r}; the library has: {names}")
    return load_query(path)


def run_query(query: Query, store: Store, *, values: Mapping[str, str]) -> QueryResult:
    """Run ``query`` on ``store`` with ``values`` (``{name: text}``) for its parameters.

    Parameter values are bound as typed RDF terms by the store; they never enter the query text.
    """
    bindings = bind(query.params, values, query=query.name)
    try:
        rows = store.select(query.text, bindings=bindings)
    except (SyntaxError, RuntimeError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"query {query.name}: the store could not run it: {message}") from None
    return QueryResult(query=query, columns=_columns(query, rows), rows=rows, bindings=bindings)


def _columns(query: Query, rows: list[Row]) -> tuple[str, ...]:
    if not query.select_all:
        return query.columns
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    seen.update(dict.fromkeys(sorted(query.columns)))
    return tuple(seen)
