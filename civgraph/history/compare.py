"""Comparing a run with the history before it: new, resolved, persisting, recurring, escalated.

Runs are ordered by their as-of date; "the previous run" is the latest stored run with an earlier
as-of date. A finding's identity is :attr:`civgraph.findings.Finding.key`.

- **new**: not in any earlier run.
- **persisting**: in the previous run too. Its *first seen* date is the as-of date of the first
  run of its current unbroken streak of runs, and its *age* is as-of minus that date, in days.
- **recurring**: not in the previous run, but in some earlier one (fixed, then broken again).
- **resolved**: in the previous run, not in this one.

Clause 5 (“造成较大影响的…追究责任”) escalates a finding of severity Violation that has persisted
at least ``persisting_escalation_days`` days, or that recurred (it stays escalated for as long as
the recurred defect stays open): its recommended sanctions gain the obligation's
``civ:escalatedSanction``. A finding the engine already escalated keeps that reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from civgraph.findings import Finding, Obligation
from civgraph.history.records import (
    BY_AGE,
    BY_ENGINE,
    BY_RECURRENCE,
    NEW,
    PERSISTING,
    RECURRING,
    Tracked,
)


@dataclass(frozen=True, kw_only=True)
class PastRun:
    """What comparison needs of a stored run: its date and the keys of its findings."""

    as_of: date
    keys: frozenset[str]


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """This run's findings with their history, and what the previous run had that is gone."""

    as_of: date
    previous: date | None
    tracked: tuple[Tracked, ...]
    resolved: tuple[Finding, ...]

    def with_status(self, status: str) -> list[Tracked]:
        return [t for t in self.tracked if t.status == status]

    @property
    def escalated(self) -> list[Tracked]:
        return [t for t in self.tracked if t.escalation is not None]

    @property
    def findings(self) -> list[Finding]:
        """This run's findings with escalation applied, in the order the check gave them."""
        return [t.finding for t in self.tracked]

    def by_key(self) -> dict[str, Tracked]:
        return {t.key: t for t in self.tracked}

    def counts(self) -> dict[str, int]:
        """The summary numbers printed by ``civgraph nightly`` and kept in the index."""
        severities: dict[str, int] = {}
        for item in self.tracked:
            severities[item.finding.severity] = severities.get(item.finding.severity, 0) + 1
        return {
            "findings": len(self.tracked),
            **severities,
            NEW: len(self.with_status(NEW)),
            "resolved": len(self.resolved),
            PERSISTING: len(self.with_status(PERSISTING)),
            RECURRING: len(self.with_status(RECURRING)),
            "escalated": len(self.escalated),
        }


def compare(
    *,
    as_of: date,
    findings: Sequence[Finding],
    past: Iterable[PastRun],
    previous_findings: Sequence[Finding],
    obligations: Mapping[str, Obligation],
    persisting_escalation_days: int,
) -> Comparison:
    """Classify ``findings`` (as of ``as_of``) against the stored runs in ``past``.

    ``past`` may hold runs on any date; only those before ``as_of`` count. ``previous_findings``
    are the findings of the latest of those (to list what was resolved).
    """
    earlier = sorted((r for r in past if r.as_of < as_of), key=lambda r: r.as_of)
    previous = earlier[-1] if earlier else None
    tracked: list[Tracked] = []
    for finding in findings:
        key = finding.key
        seen = [r.as_of for r in earlier if key in r.keys]
        earliest = seen[0] if seen else as_of
        if previous is not None and key in previous.keys:
            status = PERSISTING
            first = _streak_start(key, earlier)
        elif seen:
            status, first = RECURRING, as_of
        else:
            status, first = NEW, as_of
        age = (as_of - first).days
        reason = _escalation(
            finding,
            status=status,
            recurred=earliest < first,
            age=age,
            threshold=persisting_escalation_days,
        )
        if reason is not None:
            finding = _escalate(finding, obligations.get(finding.code))
        tracked.append(
            Tracked(
                finding=finding,
                status=status,
                first_seen=first,
                earliest_seen=earliest,
                age_days=age,
                escalation=reason,
            )
        )
    current = {f.key for f in findings}
    resolved = tuple(f for f in previous_findings if f.key not in current)
    return Comparison(
        as_of=as_of,
        previous=previous.as_of if previous else None,
        tracked=tuple(tracked),
        resolved=resolved,
    )


def _streak_start(key: str, earlier: Sequence[PastRun]) -> date:
    start = earlier[-1].as_of
    for run in reversed(earlier):
        if key not in run.keys:
            break
        start = run.as_of
    return start


def _escalation(
    finding: Finding, *, status: str, recurred: bool, age: int, threshold: int
) -> str | None:
    if finding.escalated:
        return BY_ENGINE
    if finding.severity != "Violation":
        return None
    if status == RECURRING or (status == PERSISTING and recurred):
        return BY_RECURRENCE
    if status == PERSISTING and age >= threshold:
        return BY_AGE
    return None


def _escalate(finding: Finding, obligation: Obligation | None) -> Finding:
    extra = obligation.escalated_sanctions if obligation is not None else ()
    sanctions = finding.sanctions + tuple(s for s in extra if s not in finding.sanctions)
    return replace(finding, escalated=True, sanctions=sanctions)


@dataclass(frozen=True, kw_only=True)
class TrendPoint:
    """One run on the overview chart."""

    as_of: date
    new: int
    resolved: int
    open: int


def trend(runs: Iterable[PastRun]) -> list[TrendPoint]:
    """New, resolved and open findings per run, oldest first (each against the run before)."""
    points: list[TrendPoint] = []
    before: frozenset[str] = frozenset()
    for run in sorted(runs, key=lambda r: r.as_of):
        points.append(
            TrendPoint(
                as_of=run.as_of,
                new=len(run.keys - before),
                resolved=len(before - run.keys),
                open=len(run.keys),
            )
        )
        before = run.keys
    return points
