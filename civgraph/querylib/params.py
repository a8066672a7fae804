"""``--param key=value`` into typed RDF terms, as the query header declares them.

A value becomes one RDF term (a typed literal or an IRI) and reaches the store as a binding, never
as query text, so nothing a user types can change the shape of a query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from civgraph.errors import InputError
from civgraph.namespaces import PREFIXES
from civgraph.querylib.header import Param

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PREFIXED = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):([A-Za-z0-9_.-]*)$")
# Characters an IRI may not contain (RFC 3987 plus SPARQL's IRIREF rule).
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')

_EXPECTED = {
    "date": "a date YYYY-MM-DD",
    "integer": "a whole number",
    "decimal": "a decimal number",
    "string": "text",
    "iri": "an absolute IRI or a known prefixed name (e.g. xm:unit-350203)",
    "boolean": "true or false",
}


class _BadValue(ValueError):
    """A value that does not fit its declared type."""


def _date(text: str) -> Identifier:
    if not _DATE.match(text):
        raise _BadValue
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise _BadValue from None
    return Literal(value.isoformat(), datatype=XSD.date)


def _integer(text: str) -> Identifier:
    if not _INTEGER.match(text):
        raise _BadValue
    return Literal(str(int(text)), datatype=XSD.integer)


def _decimal(text: str) -> Identifier:
    if not _DECIMAL.match(text):
        raise _BadValue
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise _BadValue from None
    return Literal(format(value, "f"), datatype=XSD.decimal)


def _string(text: str) -> Identifier:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _BadValue from None
    return Literal(text)


def _iri(text: str) -> Identifier:
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    else:
        # A bare ``name:local`` is a prefixed name: its prefix must be one of civgraph's
        # (``urn:`` aside). ``<nope:x>`` still passes as a full IRI.
        prefixed = _PREFIXED.match(text)
        if prefixed and prefixed.group(1) != "urn":
            if prefixed.group(1) not in PREFIXES:
                raise _BadValue
            text = str(PREFIXES[prefixed.group(1)]) + prefixed.group(2)
    if not _SCHEME.match(text) or _IRI_FORBIDDEN.search(text):
        raise _BadValue
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _BadValue from None
    return URIRef(text)


def _boolean(text: str) -> Identifier:
    lowered = text.lower()
    if lowered in ("true", "1"):
        return Literal(True)
    if lowered in ("false", "0"):
        return Literal(False)
    raise _BadValue


_CONVERTERS: dict[str, Callable[[str], Identifier]] = {
    "date": _date,
    "integer": _integer,
    "decimal": _decimal,
    "string": _string,
    "iri": _iri,
    "boolean": _boolean,
}


def to_term(param: Param, text: str, *, source: str = "--param") -> Identifier:
    """The RDF term for ``text`` as a value of ``param``; a bad value names both.

    >>> from civgraph.querylib.header import Param
    >>> to_term(Param(name="as_of", type="date", default=None, description=""), "2024-06-30")
    rdflib.term.Literal('2024-06-30', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date'))
    >>> to_term(Param(name="as_of", type="date", default=None, description=""), "June")
    Traceback (most recent call last):
    ...
    civgraph.errors.InputError: --param as_of: 'June' is not a date YYYY-MM-DD
    """
    converter = _CONVERTERS[param.type]
    try:
        return converter(text.strip() if param.type != "string" else text)
    except _BadValue:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise InputError(
            f"{source} {param.name}: {shown!r} is not {_EXPECTED[param.type]}"
        ) from None


def split_pairs(pairs: Sequence[str]) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` → ``{"a": "1", "b": "x=y"}``; a pair without ``=`` is an error."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"--param {pair!r} is not of the form key=value")
        if key in values:
            raise InputError(f"--param {key} given twice")
        values[key] = value
    return values


def bind(
    params: Sequence[Param], values: Mapping[str, str], *, query: str
) -> dict[str, Identifier]:
    """The bindings for one run: every declared parameter, from ``values`` or its default.

    An unknown name is an error listing the known ones; a required parameter left out is an
    error naming it.
    """
    known = {p.name: p for p in params}
    for name in values:
        if name not in known:
            listing = ", ".join(sorted(known)) if known else "none"
            raise InputError(
                f"query {query}: unknown parameter {name!r}; its parameters: {listing}"
            )
    bindings: dict[str, Identifier] = {}
    for param in params:
        if param.name in values:
            bindings[param.name] = to_term(param, values[param.name])
        elif param.default is not None:
            bindings[param.name] = to_term(
                param, param.default, source=f"query {query}: default of"
            )
        else:
            raise InputError(
                f"query {query}: parameter {param.name} is required "
                f"(--param {param.name}=<{_EXPECTED[param.type]}>)"
            )
    return bindings
