"""The README written into every demo folder."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from civgraph.demo.generator import GenerationSummary


def readme_text(
    *,
    summary: GenerationSummary,
    manifest: Sequence[dict[str, object]],
    as_of: dt.date,
    tree_from_file: bool,
) -> str:
    counts = Counter(str(entry["code"]) for entry in manifest)
    codes = sorted(counts, key=lambda c: tuple(int(n) for n in c[4:].split(".")))
    rows = "\n".join(f"| {code} | {counts[code]} |" for code in codes)
    size = (
        "the demo city"
        if summary.scale is None
        else f"a synthetic city of about {summary.scale} triples"
    )
    tree = (
        "`ontology/indicators.ttl`"
        if tree_from_file
        else "a fallback tree (ontology/indicators.ttl was missing when this was written)"
    )
    return f"""# civgraph demo city: 厦门市 (Xiamen)

This folder is {size}, written by `civgraph demo` (seed {summary.seed}). It is synthetic
data about a real structure: Xiamen's city government, its {summary.districts} districts with
their real sub-districts (街道) and towns (镇), generated communities (社区) and villages (村),
the 8 city-level systems, city and district departments, the four leadership bodies of the city
and of each district, the creation command headquarters (指挥部) and its work groups, the
creation, civilization, supervision, discipline-inspection and efficiency offices, and the
supervision group. **Every person is fictional.**

It records two full years of activity, 2024-01-01 to 2025-12-31, and is meant to be judged
**as of {as_of.isoformat()}**: quarters up to 2025-Q3 and the year 2024 have ended; 2025-Q4 has
not. Indicator responsibilities and assessments follow {tree}.

| file | what |
|---|---|
| `units.ttl` | units, hierarchy (`org:subOrganizationOf`), HQ, work groups, offices |
| `people-posts.ttl` | persons (`foaf:name`) and posts with tenures |
| `plans-letters.ttl` | three-year plan, creation plans, work programmes, tasks, letters |
| `funds-sites.ttl` | special funds and office space |
| `meetings.ttl` | work, joint and review meetings, outside reviewers, problems raised |
| `indicators.ttl` | work-group areas, responsible units, indicator assessments |
| `linkage.ttl` | leader linkages |
| `zones.ttl` | key zones and road sections |
| `complaints.ttl` | {summary.complaints} public complaints and media exposures |
| `accountability.ttl` | accountability cases and civilized-unit titles |
| `supervision.ttl` | inspections and annual target assessments |
| `expected-violations.json` | the defects planted on purpose (the manifest) |

{summary.triples} triples. The data conforms to every obligation except the
{len(manifest)} planted defects listed in `expected-violations.json`, one entry per
(code, focus, quarter), with the persons accountable and the severity:

| code | planted |
|---|---|
{rows}

Check it:

    civgraph check . --as-of {as_of.isoformat()}

The findings should match the manifest exactly.
"""
