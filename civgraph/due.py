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
    return sort_due(answer_due(store, chosen_due_queries(codes)).values())


def chosen_due_queries(codes: Iterable[str]) -> list[DueQuery]:
    """The due queries of the selected codes."""
    wanted = set(codes)
    return [q for q in load_due_queries() if q.code in wanted]


def sort_due(groups: Iterable[list[Due]]) -> list[Due]:
    """Every group's items in one list, soonest first."""
    items = [item for group in groups for item in group]
    items.sort(key=lambda d: (d.due_by, d.code, d.focus))
    return items


def answer_due(store: Store, chosen: list[DueQuery]) -> dict[Path, list[Due]]:
    """What each due query finds (by its file), the queries run side by side."""
    with ThreadPoolExecutor(max_workers=query_threads(store)) as pool:
        answers = list(pool.map(lambda q: store.select(q.query), chosen))
    found: dict[Path, list[Due]] = {}
    for due_query, rows in zip(chosen, answers, strict=True):
        items = found.setdefault(due_query.path, [])
        seen: set[tuple[str, date]] = set()
        for row in rows:
            due_by = row.get("dueBy")
            focus = row.get("focus")
            if focus is None or not isinstance(due_by, Literal):
                continue
            value = due_by.toPython()
            # a fact found twice (a triple in the data and derived, or in two files) is due once
            if not isinstance(value, date) or (str(focus), value) in seen:
                continue
            seen.add((str(focus), value))
            items.append(
                Due(code=due_query.code, focus=str(focus), due_by=value, what=due_query.what)
            )
    return found
