"""Duties not yet past as of the date (``rules/due/CODE.rq``): shown as *due*, never violations.

Each file is a SELECT of ``?focus ?dueBy`` with a header naming its ``code`` and saying, in zh and
en, ``what`` is due.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Literal

from civgraph import resources
from civgraph.errors import InputError
from civgraph.findings import Due
from civgraph.store.protocol import Store
from civgraph.store.threads import query_threads


@dataclass(frozen=True, kw_only=True)
class DueQuery:
    code: str
    what: dict[str, str]
    path: Path
    query: str


def load_due_queries(folder: Path | None = None) -> list[DueQuery]:
    folder = folder if folder is not None else resources.folder("rules") / "due"
    found: list[DueQuery] = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header: dict[str, str] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            key, sep, value = line[1:].partition(":")
            if sep:
                header[key.strip()] = value.strip()
        missing = [k for k in ("code", "what", "what@en") if k not in header]
        if missing:
            raise InputError(f"{path}: header lacks {', '.join(missing)}")
        found.append(
            DueQuery(
                code=header["code"],
                what={"zh": header["what"], "en": header["what@en"]},
                path=path,
                query=text,
            )
        )
    return found


def find_due(store: Store, codes: Iterable[str]) -> list[Due]:
    """What is due, for the selected codes."""
    wanted = set(codes)
    chosen = [q for q in load_due_queries() if q.code in wanted]
    with ThreadPoolExecutor(max_workers=query_threads(store)) as pool:
        answers = list(pool.map(lambda q: store.select(q.query), chosen))
    items: list[Due] = []
    for due_query, rows in zip(chosen, answers, strict=True):
        for row in rows:
            due_by = row.get("dueBy")
            focus = row.get("focus")
            if focus is None or not isinstance(due_by, Literal):
                continue
            value = due_by.toPython()
            if not isinstance(value, date):
                continue
            items.append(
                Due(code=due_query.code, focus=str(focus), due_by=value, what=due_query.what)
            )
    items.sort(key=lambda d: (d.due_by, d.code, d.focus))
    return items
