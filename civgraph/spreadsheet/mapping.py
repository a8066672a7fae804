"""The declarative sheet ↔ RDF mapping (``mapping.toml`` beside this module), read and checked.

The file says, per record type, the sheet's names, its columns (headers, RDF property, datatype),
which column is the ID key, and the rdf:type of its rows. Nothing here knows a particular sheet.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import URIRef

from civgraph.namespaces import PREFIXES

MAPPING_FILE = Path(__file__).with_name("mapping.toml")

#: Column datatypes the mapping may name.
TYPES = ("key", "text", "date", "integer", "decimal", "boolean", "ref", "concept", "class")
LANGS = ("zh", "en")


class MappingError(ValueError):
    """The mapping file itself is wrong (a bug in civgraph, not in the user's workbook)."""


def expand(curie: str) -> URIRef:
    """``civ:Task`` → the full IRI, using civgraph's prefixes."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        raise MappingError(f"mapping: {curie!r} is not a CURIE with a known prefix")
    return URIRef(str(PREFIXES[prefix]) + local)


@dataclass(frozen=True, kw_only=True)
class Column:
    """One column of a sheet."""

    name: str
    zh: str
    en: str
    type: str
    property: URIRef | None = None
    lang: str | None = None
    ref: str | None = None
    scheme: URIRef | None = None
    scheme_curie: str = ""
    classes: tuple[URIRef, ...] = ()
    show: str = "label"
    multi: bool = False
    inverse: bool = False
    required: bool = False
    width: int = 14

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, kw_only=True)
class Check:
    """``column`` may not hold a date before ``not_before`` on the same row."""

    column: str
    not_before: str


@dataclass(frozen=True, kw_only=True)
class Sheet:
    """One record type: a sheet of the workbook, a CSV file of a folder."""

    name: str
    zh: str
    en: str
    kind: str | None
    key: str
    rdf_class: URIRef | None
    columns: tuple[Column, ...]
    checks: tuple[Check, ...]
    note_zh: str
    note_en: str

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def key_column(self) -> Column:
        return self.column(self.key)

    @property
    def class_column(self) -> Column | None:
        return next((c for c in self.columns if c.type == "class"), None)

    @property
    def csv_name(self) -> str:
        """The CSV file of this sheet in a folder: the English name, e.g. ``persons.csv``."""
        return self.en.lower().replace(" ", "-") + ".csv"


@dataclass(frozen=True, kw_only=True)
class Mapping:
    sheets: tuple[Sheet, ...]
    instructions: dict[str, str]
    codes: dict[str, str]
    words: dict[str, str]
    messages: dict[str, dict[str, str]]

    def sheet(self, name: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)

    def message(self, key: str, lang: str, **params: object) -> str:
        return self.messages[lang][key].format(**params)


def _column(sheet: str, raw: dict[str, Any]) -> Column:
    where = f"mapping: sheet {sheet}, column {raw.get('name')!r}"
    kind = raw.get("type")
    if kind not in TYPES:
        raise MappingError(f"{where}: unknown type {kind!r}")
    lang = raw.get("lang")
    if lang is not None and lang not in LANGS:
        raise MappingError(f"{where}: lang must be zh or en")
    prop = raw.get("property")
    scheme = raw.get("scheme")
    classes = tuple(expand(c) for c in raw.get("classes", []))
    if kind == "concept" and scheme is None:
        raise MappingError(f"{where}: a concept column needs a scheme")
    if kind == "class" and (scheme is None) == (not classes):
        raise MappingError(f"{where}: a class column needs a scheme or classes (one of them)")
    if kind == "ref" and not raw.get("ref"):
        raise MappingError(f"{where}: a ref column needs ref = the sheet it names")
    show = raw.get("show", "label")
    if show not in ("label", "notation"):
        raise MappingError(f"{where}: show must be label or notation")
    return Column(
        name=raw["name"],
        zh=raw["zh"],
        en=raw["en"],
        type=kind,
        property=expand(prop) if prop else None,
        lang=lang,
        ref=raw.get("ref"),
        scheme=expand(scheme) if scheme else None,
        scheme_curie=scheme or "",
        classes=classes,
        show=show,
        multi=bool(raw.get("multi", False)),
        inverse=bool(raw.get("inverse", False)),
        required=bool(raw.get("required", False)),
        width=int(raw.get("width", 14)),
    )


def _sheet(raw: dict[str, Any]) -> Sheet:
    name = raw["name"]
    columns = tuple(_column(name, c) for c in raw["columns"])
    sheet = Sheet(
        name=name,
        zh=raw["zh"],
        en=raw["en"],
        kind=raw.get("kind"),
        key=raw["key"],
        rdf_class=expand(raw["class"]) if "class" in raw else None,
        columns=columns,
        checks=tuple(
            Check(column=c["column"], not_before=c["not_before"]) for c in raw.get("checks", [])
        ),
        note_zh=raw.get("note_zh", ""),
        note_en=raw.get("note_en", ""),
    )
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise MappingError(f"mapping: sheet {name}: two columns share a name")
    key = sheet.key_column
    if sheet.kind is not None and key.type != "key":
        raise MappingError(f"mapping: sheet {name}: a sheet with a kind needs a key column")
    if sheet.kind is None and key.type not in ("ref", "concept"):
        raise MappingError(f"mapping: sheet {name}: without a kind, the key is a ref or concept")
    for column in columns:
        needs_property = column is not key and column.type != "class"
        if needs_property and column.property is None:
            raise MappingError(f"mapping: sheet {name}, column {column.name}: needs a property")
    for check in sheet.checks:
        for col in (check.column, check.not_before):
            if col not in names or sheet.column(col).type != "date":
                raise MappingError(f"mapping: sheet {name}: check names {col}, not a date column")
    return sheet


def parse_mapping(raw: dict[str, Any]) -> Mapping:
    sheets = tuple(_sheet(s) for s in raw["sheets"])
    by_name = {s.name: s for s in sheets}
    if len(by_name) != len(sheets):
        raise MappingError("mapping: two sheets share a name")
    titles = [t for s in sheets for t in (s.zh, s.en)]
    if len(set(titles)) != len(titles):
        raise MappingError("mapping: two sheets share a title")
    for sheet in sheets:
        for column in sheet.columns:
            if column.type == "ref":
                target = by_name.get(column.ref or "")
                if target is None or target.kind is None:
                    raise MappingError(
                        f"mapping: sheet {sheet.name}, column {column.name}: "
                        f"ref {column.ref!r} is not a sheet with a kind"
                    )
    messages = raw["messages"]
    if set(messages["zh"]) != set(messages["en"]):
        raise MappingError("mapping: the zh and en messages differ in their keys")
    return Mapping(
        sheets=sheets,
        instructions=dict(raw["instructions"]),
        codes=dict(raw["codes"]),
        words=dict(raw["words"]),
        messages={lang: dict(messages[lang]) for lang in LANGS},
    )


@cache
def load_mapping(path: Path = MAPPING_FILE) -> Mapping:
    """The mapping shipped with civgraph (or another file in the same format)."""
    with path.open("rb") as handle:
        return parse_mapping(tomllib.load(handle))
