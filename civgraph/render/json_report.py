"""JSON: the document described by ``civgraph/data/schema/check-report.schema.json``."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from civgraph.findings import CheckReport, Finding

SCHEMA_ID = "https://w3id.org/civgraph/schema/check-report.schema.json"


def _finding(report: CheckReport, finding: Finding, lang: str) -> dict[str, Any]:
    def named(iri: str | None) -> str | None:
        return None if iri is None else report.label(iri, lang)

    return {
        "key": finding.key,
        "code": finding.code,
        "severity": finding.severity,
        "focus": finding.focus,
        "focus_name": named(finding.focus),
        "path": finding.path,
        "value": finding.value,
        "message": finding.message.get(lang) or next(iter(finding.message.values()), ""),
        "messages": dict(sorted(finding.message.items())),
        "clause": finding.clause,
        "unit": finding.unit,
        "unit_name": named(finding.unit),
        "district": finding.district,
        "district_name": named(finding.district),
        "accountable": [
            {"role": a.role, "person": a.person, "name": report.label(a.person, lang)}
            for a in finding.accountable
        ],
        "pursued_by": [{"unit": u, "name": report.label(u, lang)} for u in finding.pursued_by],
        "sanctions": [{"sanction": s, "name": report.label(s, lang)} for s in finding.sanctions],
        "escalated": finding.escalated,
        "source_shape": finding.source_shape,
        "constraint_component": finding.constraint_component,
    }


def report_document(report: CheckReport, lang: str) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    return {
        "$schema": SCHEMA_ID,
        "civgraph": report.version,
        "as_of": report.as_of.isoformat(),
        "lang": lang,
        "engine": report.engine,
        "conforms": report.conforms,
        "sources": report.sources,
        "summary": {
            "total": len(report.findings),
            "by_severity": dict(sorted(Counter(f.severity for f in report.findings).items())),
            "by_code": dict(sorted(Counter(f.code for f in report.findings).items())),
        },
        "findings": [_finding(report, f, lang) for f in report.findings],
        "due": [
            {
                "code": d.code,
                "focus": d.focus,
                "focus_name": report.label(d.focus, lang),
                "due_by": d.due_by.isoformat(),
                "what": d.what.get(lang, ""),
            }
            for d in report.due
        ],
        "notices": report.notices,
    }


def render_json(report: CheckReport, lang: str) -> str:
    return json.dumps(report_document(report, lang), ensure_ascii=False, indent=2) + "\n"
