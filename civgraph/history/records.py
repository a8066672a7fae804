"""How findings and runs are written in the history folder (plain JSON, one schema version).

These are the history's own storage records, read back by later runs; the published report
formats (SHACL Turtle, the shipped JSON schema, CSV) come from :mod:`civgraph.render`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from typing import Any

from civgraph.errors import InputError
from civgraph.findings import Accountable, Finding

#: Written into every index and findings file; bumped when the layout changes.
FORMAT = "civgraph-history/1"

#: The states of a finding in a run, relative to the run before it (by as-of date).
NEW = "new"
PERSISTING = "persisting"
RECURRING = "recurring"
RESOLVED = "resolved"
STATUSES = (NEW, PERSISTING, RECURRING)

#: Why a finding is escalated (clause 5).
BY_ENGINE = "engine"  #: the shape's own escalating case (e.g. a long-unresolved complaint)
BY_AGE = "persisting"  #: open for at least ``persisting_escalation_days``
BY_RECURRENCE = "recurring"  #: fixed once, then broken again


#: Each field of a finding, and whether it has no default (read once, not per finding).
_FINDING_FIELDS = tuple((item.name, item.default is MISSING) for item in fields(Finding))
_ACCOUNTABLE_ORDER = tuple(item.name for item in fields(Accountable))
_ACCOUNTABLE_FIELDS = frozenset(_ACCOUNTABLE_ORDER)


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """A finding as a JSON object: every field of :class:`Finding`, plus its ``key``."""
    data: dict[str, Any] = {"key": finding.key}
    for name, _required in _FINDING_FIELDS:
        value = getattr(finding, name)
        if name == "accountable":
            value = [{f: getattr(a, f) for f in _ACCOUNTABLE_ORDER} for a in value]
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dict):
            value = dict(value)
        data[name] = value
    return data


def finding_from_json(raw: Mapping[str, Any]) -> Finding:
    """The inverse of :func:`finding_to_json` (a field missing from older files stays unset)."""
    values: dict[str, Any] = {}
    for name, required in _FINDING_FIELDS:
        if name not in raw:
            if required:
                values[name] = None
            continue
        value = raw[name]
        if name == "accountable":
            value = tuple(
                Accountable(**{k: v for k, v in dict(a).items() if k in _ACCOUNTABLE_FIELDS})
                for a in value
            )
        elif name == "message":
            value = {str(k): str(v) for k, v in dict(value).items()}
        elif isinstance(value, list):
            value = tuple(map(str, value))
        values[name] = value
    return Finding(**values)


@dataclass(frozen=True, kw_only=True)
class Tracked:
    """A finding of this run with what the history says about it."""

    finding: Finding  #: with clause-5 escalation applied (sanctions include the escalated ones)
    status: str  #: :data:`NEW`, :data:`PERSISTING` or :data:`RECURRING`
    first_seen: date  #: first run of the current unbroken streak (this run if new/recurring)
    earliest_seen: date  #: first run that ever had it
    age_days: int  #: as-of minus ``first_seen``, in days
    escalation: str | None  #: :data:`BY_ENGINE`, :data:`BY_AGE`, :data:`BY_RECURRENCE` or None

    @property
    def key(self) -> str:
        return self.finding.key


def tracked_to_json(item: Tracked) -> dict[str, Any]:
    data = finding_to_json(item.finding)
    data.update(
        status=item.status,
        first_seen=item.first_seen.isoformat(),
        earliest_seen=item.earliest_seen.isoformat(),
        age_days=item.age_days,
        escalation=item.escalation,
    )
    return data


def tracked_from_json(raw: Mapping[str, Any]) -> Tracked:
    return Tracked(
        finding=finding_from_json(raw),
        status=str(raw["status"]),
        first_seen=date.fromisoformat(str(raw["first_seen"])),
        earliest_seen=date.fromisoformat(str(raw["earliest_seen"])),
        age_days=int(raw["age_days"]),
        escalation=None if raw.get("escalation") is None else str(raw["escalation"]),
    )


@dataclass(frozen=True, kw_only=True)
class RunEntry:
    """One run as listed in the history index."""

    as_of: date
    run_id: str
    folder: str  #: relative to the history folder, e.g. ``runs/2024-05-01--20261128T0500Z-1a2b``
    started: str  #: wall-clock ISO 8601 timestamps: metadata only, never used for evaluation
    ended: str
    version: str
    conforms: bool
    counts: dict[str, int] = field(default_factory=dict)
    settings: dict[str, int] = field(default_factory=dict)  #: the thresholds the run used

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "run_id": self.run_id,
            "folder": self.folder,
            "started": self.started,
            "ended": self.ended,
            "version": self.version,
            "conforms": self.conforms,
            "counts": dict(self.counts),
            "settings": dict(self.settings),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> RunEntry:
        return cls(
            as_of=date.fromisoformat(str(raw["as_of"])),
            run_id=str(raw["run_id"]),
            folder=str(raw["folder"]),
            started=str(raw["started"]),
            ended=str(raw["ended"]),
            version=str(raw["version"]),
            conforms=bool(raw["conforms"]),
            counts={str(k): int(v) for k, v in dict(raw.get("counts", {})).items()},
            settings={str(k): int(v) for k, v in dict(raw.get("settings", {})).items()},
        )


def dumps(data: object) -> bytes:
    """Stable, readable JSON (sorted keys, UTF-8, Chinese kept as is)."""
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def loads(data: bytes, *, origin: str) -> Any:
    """Parse a history JSON file; a damaged one is an input error naming it."""
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{origin}: not a readable civgraph history file ({exc})") from None
