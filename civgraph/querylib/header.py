"""The comment header of a ``.rq`` file: its title, description and parameters.

A query file starts with comment lines; of these, only five keys mean anything::

    # title: 无现任联络员的单位
    # title@en: Units without a current liaison
    # description: …(Chinese)
    # description@en: …(English)
    # param: as_of date - 评估日期 / the as-of date

``param`` is ``name type default description``; ``type`` is one of :data:`PARAM_TYPES`;
a default of ``-`` means the parameter must be given. Repeated ``description`` lines are joined.
Every other comment line is a comment. The header ends at the first line that is neither a
comment nor blank, so a ``# param:`` inside the query body is never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from civgraph.errors import InputError

#: The parameter types a header may declare (each maps to an XSD datatype, see params.py).
PARAM_TYPES = ("date", "integer", "decimal", "string", "iri", "boolean")

#: A default of this token means "no default: the parameter is required".
REQUIRED = "-"

_KEY = re.compile(r"^#\s*(title|title@en|description|description@en|param)\s*:\s?(.*)$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, kw_only=True)
class Param:
    """One declared parameter of a query."""

    name: str
    type: str
    default: str | None  #: the default as written (a lexical value), or None when required
    description: str


@dataclass(frozen=True, kw_only=True)
class Header:
    """What the comment header of a query file declares."""

    title: dict[str, str]
    description: dict[str, str]
    params: tuple[Param, ...]


def parse_header(text: str, *, source: str | Path) -> Header:
    """Read the header of a query file's ``text``; ``source`` names it in errors.

    >>> text = "# title: 例\\n# param: n integer 3 how many\\nSELECT ?n {}"
    >>> h = parse_header(text, source="x.rq")
    >>> h.title, h.params[0].default
    ({'zh': '例'}, '3')
    >>> parse_header("SELECT * {}", source="x.rq")
    Traceback (most recent call last):
    ...
    civgraph.errors.InputError: x.rq: no '# title:' line in the query's comment header
    """
    titles: dict[str, str] = {}
    descriptions: dict[str, list[str]] = {}
    params: list[Param] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        match = _KEY.match(line)
        if match is None:
            continue
        key, value = match.group(1), match.group(2).strip()
        lang = "en" if key.endswith("@en") else "zh"
        if key.startswith("title"):
            if lang in titles:
                raise InputError(f"{source}:{number}: a second '# {key}:' line")
            if not value:
                raise InputError(f"{source}:{number}: '# {key}:' is empty")
            titles[lang] = value
        elif key.startswith("description"):
            descriptions.setdefault(lang, []).append(value)
        else:
            param = _parse_param(value, source=f"{source}:{number}")
            if any(p.name == param.name for p in params):
                raise InputError(f"{source}:{number}: parameter {param.name!r} declared twice")
            params.append(param)
    if "zh" not in titles:
        raise InputError(f"{source}: no '# title:' line in the query's comment header")
    return Header(
        title=titles,
        description={lang: " ".join(lines).strip() for lang, lines in descriptions.items()},
        params=tuple(params),
    )


def _parse_param(value: str, *, source: str) -> Param:
    parts = value.split(None, 3)
    if len(parts) < 3:
        raise InputError(
            f"{source}: '# param:' needs 'name type default description', got {value!r}"
        )
    name, kind, default = parts[0], parts[1], parts[2]
    description = parts[3] if len(parts) > 3 else ""
    if not _NAME.match(name):
        raise InputError(f"{source}: parameter name {name!r} is not a SPARQL variable name")
    if kind not in PARAM_TYPES:
        raise InputError(
            f"{source}: parameter {name!r} has unknown type {kind!r}; "
            f"known types: {', '.join(PARAM_TYPES)}"
        )
    return Param(
        name=name,
        type=kind,
        default=None if default == REQUIRED else default,
        description=description,
    )
