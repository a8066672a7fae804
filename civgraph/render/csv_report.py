"""CSV: one row per finding and accountable person (a finding with nobody named: one row)."""

from __future__ import annotations

import csv
import io

from civgraph.findings import CheckReport

COLUMNS = (
    "key",
    "code",
    "severity",
    "focus",
    "focus_name",
    "path",
    "value",
    "message",
    "unit",
    "unit_name",
    "district_name",
    "role",
    "person",
    "person_name",
    "pursued_by",
    "sanctions",
    "escalated",
)


def render_csv(report: CheckReport, lang: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in report.findings:
        common = {
            "key": f.key,
            "code": f.code,
            "severity": f.severity,
            "focus": f.focus,
            "focus_name": report.label(f.focus, lang),
            "path": f.path or "",
            "value": f.value or "",
            "message": f.message.get(lang, ""),
            "unit": f.unit or "",
            "unit_name": report.label(f.unit, lang),
            "district_name": report.label(f.district, lang),
            "pursued_by": "; ".join(report.label(u, lang) for u in f.pursued_by),
            "sanctions": "; ".join(report.label(s, lang) for s in f.sanctions),
            "escalated": "true" if f.escalated else "false",
        }
        people = f.accountable or ()
        rows = [
            {"role": a.role, "person": a.person, "person_name": report.label(a.person, lang)}
            for a in people
        ] or [{"role": "", "person": "", "person_name": ""}]
        for person in rows:
            merged = common | person
            writer.writerow([merged[c] for c in COLUMNS])
    return buffer.getvalue()
