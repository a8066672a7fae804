"""What an incremental session knows besides the store, kept for the next process.

A session (:class:`civgraph.api.IncrementalSession`) keeps, between its checks, what is due per
due query, each result's finding (attribution) and the labels it looked up; after a small
change it asks again only about what the change reaches. A one-shot run (``nightly --store``)
is a session of one check: without this file it would ask every due query and attribute every
finding again (1.5 s and 0.3 s at 1M triples on the on-disk store), however small the change.

The file is written beside the snapshot, atomically, with the run id of the state it belongs
to; it is trusted only by a run that starts from that same state (see
:mod:`civgraph.incremental`). Anything else — a missing, damaged or older file — is ignored,
and the session asks the store as if it had never run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from civgraph import atomic
from civgraph.attribution import RawResult
from civgraph.errors import InputError
from civgraph.findings import Due, Finding
from civgraph.history.records import finding_from_json, finding_to_json
from civgraph.incremental import decode_result, encode_result

MEMORY_FILE = "session.json"
#: Bumped when the layout below changes: an older file is then ignored.
MEMORY_FORMAT = 1


@dataclass(kw_only=True)
class SessionMemory:
    """A session's caches as of the run ``run`` (the state's run id)."""

    run: str
    due: dict[Path, list[Due]]
    attributed: dict[RawResult, Finding]
    labels: dict[str, dict[str, str]]
    labels_asked: set[str]


def write_memory(folder: Path, memory: SessionMemory) -> None:
    """Replace the folder's memory file with ``memory`` (atomically)."""
    data = {
        "format": MEMORY_FORMAT,
        "run": memory.run,
        "due": {
            str(path): [
                {"code": d.code, "focus": d.focus, "due_by": d.due_by.isoformat(), "what": d.what}
                for d in items
            ]
            for path, items in memory.due.items()
        },
        "attributed": [
            [encode_result(result), finding_to_json(finding)]
            for result, finding in memory.attributed.items()
        ],
        "labels": memory.labels,
        "labels_asked": sorted(memory.labels_asked),
    }
    atomic.write_file_atomic(
        folder / MEMORY_FILE, json.dumps(data, ensure_ascii=False).encode("utf-8")
    )


def read_memory(folder: Path, *, run: str) -> SessionMemory | None:
    """The folder's memory if it was written for the run ``run``, else None."""
    try:
        data = json.loads((folder / MEMORY_FILE).read_text(encoding="utf-8"))
        if data.get("format") != MEMORY_FORMAT or data.get("run") != run:
            return None
        return SessionMemory(
            run=run,
            due={Path(path): [_due(item) for item in items] for path, items in data["due"].items()},
            attributed={
                decode_result(result): finding_from_json(finding)
                for result, finding in data["attributed"]
            },
            labels={
                str(k): {str(a): str(b) for a, b in v.items()} for k, v in data["labels"].items()
            },
            labels_asked={str(iri) for iri in data["labels_asked"]},
        )
    # a term decode_result cannot read is an InputError
    except (OSError, ValueError, TypeError, KeyError, AttributeError, InputError):
        return None


def _due(item: dict[str, Any]) -> Due:
    return Due(
        code=str(item["code"]),
        focus=str(item["focus"]),
        due_by=date.fromisoformat(item["due_by"]),
        what={str(k): str(v) for k, v in item["what"].items()},
    )
