"""Writes the demo city: the Turtle files of design.md's demo folder, the manifest and a README.

The generator streams: every record is formatted and written as soon as it is made; only the
organisation of the real city (a few thousand units and posts) and the manifest stay in memory.
Synthetic districts of a scaled run are built in a child model that is dropped once written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from civgraph.demo import citywide, records, structure
from civgraph.demo.context import FILES, Context
from civgraph.demo.indicator_tree import load_tree
from civgraph.demo.model import AS_OF, Model
from civgraph.demo.readme import readme_text
from civgraph.demo.xiamen import CITY_DEPARTMENTS, DISTRICTS
from civgraph.errors import InputError

MANIFEST = "expected-violations.json"
README = "README.md"
DEFAULT_SEED = 2025
#: Sub-districts per synthetic district of a scaled run.
SYNTHETIC_PLACES = 20
#: Measured triples of the demo city and of one synthetic district (used to size a scaled run).
BASE_TRIPLES = 25_730
TRIPLES_PER_DISTRICT = 9_830


@dataclass(frozen=True)
class GenerationSummary:
    """What :func:`generate` wrote."""

    out_dir: Path
    files: tuple[str, ...]
    triples: int
    violations: int
    complaints: int
    districts: int
    seed: int
    scale: int | None

    def line(self) -> str:
        size = "demo city" if self.scale is None else f"scale {self.scale}"
        return (
            f"wrote {len(self.files)} files to {self.out_dir} ({size}, seed {self.seed}): "
            f"{self.triples} triples, {self.districts} districts, {self.complaints} "
            f"complaints, {self.violations} planted violations"
        )


def synthetic_districts_for(scale: int | None) -> int:
    if scale is None:
        return 0
    return max(0, round((scale - BASE_TRIPLES) / TRIPLES_PER_DISTRICT))


def _code_key(entry: dict[str, object]) -> tuple[tuple[int, ...], str, str]:
    code = str(entry["code"])
    numbers = tuple(int(n) for n in re.findall(r"\d+", code))
    return numbers, str(entry["focus"]), str(entry["note"])


def generate(
    out_dir: Path, *, scale: int | None = None, seed: int = DEFAULT_SEED
) -> GenerationSummary:
    """Write the demo city (``scale=None``) or a synthetic city of about ``scale`` triples."""
    if scale is not None and scale <= 0:
        raise InputError(f"scale must be a positive number of triples, got {scale}")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        ctx = Context(out_dir, seed=seed, tree=load_tree())
    except OSError as exc:
        raise InputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    departments = [f"dept-{short}" for short, *_ in CITY_DEPARTMENTS]
    extra = synthetic_districts_for(scale)
    try:
        city = structure.build_city(ctx)
        citywide.assign_indicators(ctx)
        citywide.city_unit_records(ctx)
        real = []
        for index, info in enumerate(DISTRICTS):
            district = structure.build_district(ctx, ctx.model, info, city, index)
            records.district_records(ctx, ctx.model, district, info.zh, departments)
            real.append(district)
        for number in range(1, extra + 1):
            child = Model(base=ctx.model)
            info = structure.synthetic_district(number, ctx, SYNTHETIC_PLACES)
            district = structure.build_district(ctx, child, info, city, len(DISTRICTS) + number)
            records.district_records(ctx, child, district, info.zh, departments)
        citywide.three_year_plan(ctx)
        citywide.indicator_assessments(ctx)
        problem_units = [d.key for d in real] + [p for d in real for p in d.places[:2]]
        citywide.meetings(ctx, city, problem_units + departments[:4])
        citywide.accountability(ctx)
        citywide.inspections(ctx, [d.key for d in real])
    finally:
        ctx.close()
    manifest = sorted(ctx.manifest, key=_code_key)
    (out_dir / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    summary = GenerationSummary(
        out_dir=out_dir,
        files=(*FILES, MANIFEST, README),
        triples=ctx.triples,
        violations=len(manifest),
        complaints=ctx.complaints,
        districts=len(DISTRICTS) + extra,
        seed=seed,
        scale=scale,
    )
    (out_dir / README).write_text(
        readme_text(
            summary=summary, manifest=manifest, as_of=AS_OF, tree_from_file=ctx.tree.from_file
        ),
        encoding="utf-8",
    )
    return summary
