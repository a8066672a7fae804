"""Findings: the plain typed records every renderer, the history and the site consume.

A :class:`Finding` is one validation result with clause 5 applied to it: who is accountable,
who pursues it, what the text prescribes. Terms are kept as IRIs (strings); human-readable names
live once in :attr:`CheckReport.labels`, per language.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True, kw_only=True)
class Accountable:
    """A person named for a finding, and in which capacity."""

    role: str  #: ``responsible_person``, ``main_leader``, ``linked_leader``, ``commander`` …
    person: str  #: the person's IRI


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One violation (or warning) of one obligation at one focus node."""

    code: str
    severity: str
    focus: str
    path: str | None
    value: str | None  #: the offending value: an IRI, or a literal's lexical form
    value_term: str | None  #: the same value as an N-Triples term (keeps datatype and language)
    message: dict[str, str]
    source_shape: str
    constraint_component: str
    clause: str | None
    unit: str | None
    district: str | None
    accountable: tuple[Accountable, ...]
    pursued_by: tuple[str, ...]
    sanctions: tuple[str, ...]
    escalated: bool = False

    @property
    def key(self) -> str:
        """A stable identity across runs: the same defect keeps the same key."""
        raw = "\x1f".join(
            (self.code, self.focus, self.path or "", self.value or "", self.source_shape)
        )
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]

    @property
    def persons(self) -> tuple[str, ...]:
        """The accountable persons' IRIs, each once, in a stable order."""
        return tuple(sorted({a.person for a in self.accountable}))


@dataclass(frozen=True, kw_only=True)
class Due:
    """A duty not yet past as of the date: shown, never counted as a violation."""

    code: str
    focus: str
    due_by: date
    what: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class Obligation:
    """What the shapes declare about one catalogue code (for reports and ``explain``)."""

    code: str
    shape: str
    severity: str
    name: dict[str, str]
    comment: dict[str, str]
    clause: str | None
    clause_quote: dict[str, str]
    sanctions: tuple[str, ...]
    escalated_sanctions: tuple[str, ...]


@dataclass(kw_only=True)
class CheckReport:
    """The outcome of one check, as of one date."""

    as_of: date
    findings: list[Finding]
    obligations: dict[str, Obligation]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    due: list[Due] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    engine: str = "pyshacl"
    version: str = ""
    triples: int = 0
    notices: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when nothing of severity Violation was found."""
        return not any(f.severity == "Violation" for f in self.findings)

    def label(self, iri: str | None, lang: str) -> str:
        """The label of ``iri`` in ``lang`` (falling back to the other language, then the IRI)."""
        if iri is None:
            return ""
        names = self.labels.get(iri, {})
        return names.get(lang) or names.get("zh") or names.get("en") or iri
