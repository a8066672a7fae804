"""Analyst queries are read-only: only a SPARQL SELECT passes, judged by parsing, never by
looking for words (a comment or a string literal holding ``DROP`` is harmless; ``drop all`` in
lower case is not)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from civgraph.errors import InputError

# rdflib's names for the update operations, as the user wrote them.
_UPDATE_NAMES = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}


@dataclass(frozen=True, kw_only=True)
class Checked:
    """A query that passed: what it projects, in order (empty for ``SELECT *``)."""

    columns: tuple[str, ...]
    select_all: bool


def check_select(text: str, *, source: str) -> Checked:
    """Parse ``text``; anything but one SPARQL 1.1 SELECT is an :class:`InputError`.

    Refused: every update form (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH …),
    CONSTRUCT/ASK/DESCRIBE, federated ``SERVICE`` calls (queries never reach the network), and
    text that is not SPARQL. ``source`` names the text in errors.

    >>> check_select("SELECT ?s WHERE { ?s ?p ?o }", source="q").columns
    ('s',)
    >>> check_select("# SELECT\\n drop   ALL", source="q.rq")
    Traceback (most recent call last):
    ...
    civgraph.errors.InputError: q.rq: is a SPARQL update (DROP); analyst queries are read-only
    """
    return _check_select(text, source)


@lru_cache(maxsize=256)
def _check_select(text: str, source: str) -> Checked:
    """:func:`check_select`, remembered per text: rdflib's parser takes 0.1 s or more a query."""
    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        _refuse_update(text, source=source)
        raise InputError(
            f"{source}:{exc.lineno}:{exc.col}: not a valid SPARQL query: {exc.msg}"
        ) from None
    except Exception as exc:  # rdflib raises plain exceptions for some malformed input
        raise InputError(f"{source}: not a valid SPARQL query: {exc}") from None
    form = parsed[1]
    if not isinstance(form, CompValue) or form.name != "SelectQuery":
        kind = form.name.removesuffix("Query").upper() if isinstance(form, CompValue) else "?"
        raise InputError(f"{source}: is not a SELECT but {kind}; the query library runs SELECTs")
    if _contains(parsed, "ServiceGraphPattern"):
        raise InputError(f"{source}: uses SERVICE; queries run on the loaded data only")
    try:
        algebra = translateQuery(parsed).algebra
    except Exception as exc:
        raise InputError(f"{source}: not a valid SPARQL query: {exc}") from None
    columns = tuple(str(v) for v in algebra["PV"])
    return Checked(columns=columns, select_all="projection" not in form)


def _refuse_update(text: str, *, source: str) -> None:
    """Raise if ``text`` parses as a SPARQL update with at least one operation."""
    try:
        update = parseUpdate(text)
    except Exception:
        return
    operations = [r.name for r in (update.request or []) if isinstance(r, CompValue)]
    if operations:
        named = ", ".join(dict.fromkeys(_UPDATE_NAMES.get(op, op) for op in operations))
        raise InputError(f"{source}: is a SPARQL update ({named}); analyst queries are read-only")


def _contains(node: object, name: str) -> bool:
    """Whether a CompValue called ``name`` occurs anywhere in a parse tree."""
    if isinstance(node, CompValue):
        if node.name == name:
            return True
        return any(_contains(value, name) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_contains(item, name) for item in node)
    if hasattr(node, "asList") and not isinstance(node, str):
        return any(_contains(item, name) for item in node)  # type: ignore[attr-defined]
    return False
