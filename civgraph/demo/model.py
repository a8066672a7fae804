"""What the generator remembers about the organisation while it writes: units, posts, linkages.

It is enough to name, for any planted defect, the persons design.md's attribution names: the
current main leader of the unit in charge and its current linked leaders (as of the demo's as-of
date). Synthetic districts live in a child model that is dropped once written, so memory does not
grow with the triples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

AS_OF = dt.date(2025, 12, 31)
LEADER_ROLES = ("main-leader", "deputy-leader")


def is_current(start: dt.date, end: dt.date | None, *, as_of: dt.date = AS_OF) -> bool:
    """design.md: current iff start ≤ D and (no end or end ≥ D)."""
    return start <= as_of and (end is None or end >= as_of)


@dataclass
class Tenure:
    person: str  # person key, e.g. "000123"
    start: dt.date
    end: dt.date | None
    post: str  # post key


@dataclass
class Position:
    unit: str
    role: str
    tenures: list[Tenure] = field(default_factory=list)

    def current_holders(self) -> list[str]:
        return [t.person for t in self.tenures if is_current(t.start, t.end)]

    def holder_on(self, day: dt.date) -> list[str]:
        return [t.person for t in self.tenures if is_current(t.start, t.end, as_of=day)]


@dataclass
class UnitRec:
    key: str
    cls: str  # civ: class local name
    parent: str | None


@dataclass
class Linkage:
    person: str
    unit: str
    start: dt.date
    end: dt.date | None


class Model:
    """Units, positions and linkages; a child model falls back to its base for lookups."""

    def __init__(self, base: Model | None = None) -> None:
        self.base = base
        self.units: dict[str, UnitRec] = {}
        self.positions: dict[str, list[Position]] = {}
        self.linkages: dict[str, list[Linkage]] = {}
        self.bodies: dict[str, list[str]] = {}

    def unit(self, key: str) -> UnitRec:
        found = self.units.get(key)
        if found is None:
            if self.base is None:
                raise KeyError(key)
            return self.base.unit(key)
        return found

    def positions_of(self, key: str) -> list[Position]:
        if key in self.positions:
            return self.positions[key]
        return self.base.positions_of(key) if self.base is not None else []

    def linkages_of(self, key: str) -> list[Linkage]:
        if key in self.linkages:
            return self.linkages[key]
        return self.base.linkages_of(key) if self.base is not None else []

    def bodies_of(self, key: str) -> list[str]:
        if key in self.bodies:
            return self.bodies[key]
        return self.base.bodies_of(key) if self.base is not None else []

    def position(self, unit: str, role: str) -> Position:
        """The first position of a role in a unit (posts are written by the generator)."""
        for pos in self.positions_of(unit):
            if pos.role == role:
                return pos
        raise KeyError(f"{unit} has no {role} position")

    def main_leaders(self, key: str) -> list[str]:
        """civ:mainLeader: current main-leader holders (commander for the HQ)."""
        role = "commander" if self.unit(key).cls == "CommandHeadquarters" else "main-leader"
        return [
            p for pos in self.positions_of(key) if pos.role == role for p in pos.current_holders()
        ]

    def _leaders_of_level(self, parent: str) -> list[str]:
        units = [parent, *self.bodies_of(parent)]
        return [
            p
            for u in units
            for pos in self.positions_of(u)
            if pos.role in LEADER_ROLES
            for p in pos.current_holders()
        ]

    def linked_leaders(self, key: str) -> list[str]:
        """civ:linkedLeader: current linkage whose leader holds a leader post one level up."""
        parent = self.unit(key).parent
        if parent is None:
            return []
        level = self._leaders_of_level(parent)
        return [
            link.person
            for link in self.linkages_of(key)
            if is_current(link.start, link.end) and link.person in level
        ]

    def accountable(self, unit: str | None, *persons: str) -> list[str]:
        """Person keys named for a finding whose unit in charge is ``unit``."""
        found = set(persons)
        if unit is not None:
            found.update(self.main_leaders(unit))
            found.update(self.linked_leaders(unit))
        return sorted(found)
