"""The generator's running state: output files, the random source, the model, the manifest."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path

from civgraph.demo import turtle as ttl
from civgraph.demo.indicator_tree import IndicatorTree
from civgraph.demo.model import AS_OF, Linkage, Model, Position, Tenure, UnitRec
from civgraph.demo.xiamen import GIVEN, SURNAMES
from civgraph.namespaces import IND, XM

FILES: tuple[str, ...] = (
    "units.ttl",
    "people-posts.ttl",
    "plans-letters.ttl",
    "funds-sites.ttl",
    "meetings.ttl",
    "indicators.ttl",
    "linkage.ttl",
    "zones.ttl",
    "complaints.ttl",
    "accountability.ttl",
    "supervision.ttl",
)

START = dt.date(2024, 1, 1)
END_2024 = dt.date(2024, 12, 31)
START_2025 = dt.date(2025, 1, 1)
END_2025 = dt.date(2025, 12, 31)
PLAN_END = dt.date(2026, 12, 31)

#: A tenure: (person key, start, end or None)
TenureSpec = tuple[str, dt.date, dt.date | None]


def unit(key: str) -> str:
    return f"xm:unit-{key}"


def person(key: str) -> str:
    return f"xm:person-{key}"


def node(kind: str, key: str) -> str:
    return f"xm:{kind}-{key}"


def full(prefixed: str) -> str:
    """A prefixed ``xm:``/``ind:`` name as a full IRI (for the manifest)."""
    prefix, _, local = prefixed.partition(":")
    base = {"xm": str(XM), "ind": str(IND)}[prefix]
    return base + local


def quarter_day(year: int, quarter: int, month_in_quarter: int, day: int) -> dt.date:
    return dt.date(year, 3 * quarter - 3 + month_in_quarter, day)


class Context:
    def __init__(self, out_dir: Path, *, seed: int, tree: IndicatorTree) -> None:
        self.rng = random.Random(seed)
        self.files = {name: ttl.TurtleFile(out_dir / name) for name in FILES}
        self.model = Model()
        self.tree = tree
        self.persons = 0
        self.manifest: list[dict[str, object]] = []
        self.three_year_tasks: list[str] = []
        self.indicator_units: dict[str, list[str]] = {}
        self.complaint_index = 0
        self.complaint_seq: dict[int, int] = {}
        self.media_seq: dict[int, int] = {}
        self.complaints = 0

    # -- output -------------------------------------------------------------------------------
    def f(self, name: str) -> ttl.TurtleFile:
        return self.files[name]

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()

    @property
    def triples(self) -> int:
        return sum(handle.triples for handle in self.files.values())

    # -- people and units ---------------------------------------------------------------------
    def person_name(self) -> str:
        given = self.rng.choice(GIVEN)
        if self.rng.random() < 0.7:
            given += self.rng.choice(GIVEN)
        return self.rng.choice(SURNAMES) + given

    def new_person(self, name: str | None = None) -> str:
        self.persons += 1
        key = f"{self.persons:06d}"
        self.f("people-posts.ttl").block(
            person(key),
            [
                ("a", "foaf:Person"),
                ("foaf:name", ttl.zh(name if name is not None else self.person_name())),
            ],
        )
        return key

    def add_unit(
        self,
        model: Model,
        key: str,
        cls: str,
        zh: str,
        en: str | None,
        parent: str | None,
        extra: Sequence[ttl.Pair] = (),
    ) -> UnitRec:
        rec = UnitRec(key, cls, parent)
        model.units[key] = rec
        labels = [ttl.zh(zh)] + ([ttl.en(en)] if en else [])
        pairs: list[ttl.Pair] = [("a", f"civ:{cls}"), ("rdfs:label", labels)]
        if parent is not None:
            pairs.append(("org:subOrganizationOf", unit(parent)))
        pairs.extend(extra)
        self.f("units.ttl").block(unit(key), pairs)
        return rec

    def add_position(
        self,
        model: Model,
        unit_key: str,
        role: str,
        tenures: Sequence[TenureSpec],
        *,
        establishment: bool = True,
        seconded_from: str | None = None,
    ) -> Position:
        positions = model.positions.setdefault(unit_key, [])
        pos = Position(unit_key, role)
        positions.append(pos)
        used = sum(len(p.tenures) for p in positions if p.role == role)
        for number, (holder, start, end) in enumerate(tenures, start=used + 1):
            post_key = f"{unit_key}-{role}-{number}"
            pos.tenures.append(Tenure(holder, start, end, post_key))
            pairs: list[ttl.Pair] = [
                ("a", "org:Post"),
                ("org:postIn", unit(unit_key)),
                ("org:role", f"role:{role}"),
                ("org:heldBy", person(holder)),
                ("civ:tenureStart", ttl.date(start)),
            ]
            if end is not None:
                pairs.append(("civ:tenureEnd", ttl.date(end)))
            pairs.append(("civ:establishment", ttl.boolean(establishment)))
            if seconded_from is not None:
                pairs.append(("civ:secondedFrom", unit(seconded_from)))
            self.f("people-posts.ttl").block(node("post", post_key), pairs)
        return pos

    def staff(
        self,
        model: Model,
        unit_key: str,
        role: str,
        *,
        left_on: dt.date | None = None,
        successor: bool = False,
        establishment: bool = True,
        seconded_from: str | None = None,
        holder: str | None = None,
    ) -> Position:
        """A position held by a new person from START; optionally left on a date (with a successor
        from the next day on a new post node)."""
        tenures: list[TenureSpec] = [(holder or self.new_person(), START, left_on)]
        if left_on is not None and successor:
            tenures.append((self.new_person(), left_on + dt.timedelta(days=1), None))
        return self.add_position(
            model, unit_key, role, tenures, establishment=establishment, seconded_from=seconded_from
        )

    def link(
        self,
        model: Model,
        unit_key: str,
        leader: Position,
        *,
        end: dt.date | None = None,
    ) -> None:
        """Linkages of ``unit_key`` to each tenure of a leader position (same dates)."""
        links = model.linkages.setdefault(unit_key, [])
        for tenure in leader.tenures:
            tenure_end = tenure.end if tenure.end is not None else PLAN_END
            until = min(tenure_end, end) if end is not None else tenure_end
            self.add_linkage(model, unit_key, tenure.person, tenure.start, until, links)

    def add_linkage(
        self,
        model: Model,
        unit_key: str,
        person_key: str,
        start: dt.date,
        end: dt.date,
        links: list[Linkage] | None = None,
    ) -> None:
        links = links if links is not None else model.linkages.setdefault(unit_key, [])
        links.append(Linkage(person_key, unit_key, start, end))
        self.f("linkage.ttl").block(
            node("linkage", f"{unit_key}-{len(links)}"),
            [
                ("a", "civ:LeaderLinkage"),
                ("civ:linkedLeader", person(person_key)),
                ("civ:linkedUnit", unit(unit_key)),
                ("civ:validFrom", ttl.date(start)),
                ("civ:validUntil", ttl.date(end)),
            ],
        )

    # -- manifest -----------------------------------------------------------------------------
    def plant(
        self,
        code: str,
        focus: str,
        persons: Sequence[str],
        note: str,
        *,
        severity: str = "Violation",
    ) -> None:
        self.manifest.append(
            {
                "code": code,
                "focus": full(focus),
                "accountable": sorted(full(person(p)) for p in set(persons)),
                "as_of": AS_OF.isoformat(),
                "severity": severity,
                "note": note,
            }
        )
