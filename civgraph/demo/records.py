"""Records about units: plans, tasks, letters, funds, annual assessments, zones, complaints, media.

Written per district (real or synthetic) and for the city-level systems and departments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from civgraph.demo import plants
from civgraph.demo import turtle as ttl
from civgraph.demo.context import (
    END_2024,
    END_2025,
    PLAN_END,
    START,
    START_2025,
    Context,
    node,
    person,
    unit,
)
from civgraph.demo.model import AS_OF, Model
from civgraph.demo.structure import CITY, DistrictPeople, funds
from civgraph.demo.xiamen import COMPLAINT_TOPICS, MEDIA_OUTLETS

LONG_UNRESOLVED_CUTOFF = AS_OF - dt.timedelta(days=90)
#: complaints per sub-district or town over the two years
COMPLAINTS_PER_PLACE = 30


def task(ctx: Context, key: str, description: str, responsible: str | None) -> str:
    iri = node("task", key)
    pairs: list[ttl.Pair] = [("a", "civ:Task"), ("dcterms:description", ttl.zh(description))]
    if responsible is not None:
        pairs.append(("civ:responsibleUnit", unit(responsible)))
    ctx.f("plans-letters.ttl").block(iri, pairs)
    return iri


def plan(
    ctx: Context,
    key: str,
    cls: str,
    owner: str,
    label: str,
    start: dt.date,
    end: dt.date,
    tasks: Sequence[str] = (),
) -> None:
    ctx.f("plans-letters.ttl").block(
        node("plan", key),
        [
            ("a", f"civ:{cls}"),
            ("rdfs:label", ttl.zh(label)),
            ("civ:planOf", unit(owner)),
            ("civ:validFrom", ttl.date(start)),
            ("civ:validUntil", ttl.date(end)),
            ("civ:hasTask", list(tasks)),
        ],
    )


def unit_plans(
    ctx: Context,
    owner: str,
    name: str,
    *,
    tasks: Sequence[str] = (),
    creation: bool = True,
    programme_2025: bool = True,
) -> None:
    """A creation plan 2024–2026 and a work programme for each year."""
    if creation:
        plan(
            ctx,
            f"{owner}-creation",
            "CreationPlan",
            owner,
            f"{name}创建全国文明城市规划",
            START,
            PLAN_END,
            tasks,
        )
    plan(
        ctx,
        f"{owner}-programme-2024",
        "WorkProgramme",
        owner,
        f"{name}2024年创建工作方案",
        START,
        END_2024,
    )
    if programme_2025:
        plan(
            ctx,
            f"{owner}-programme-2025",
            "WorkProgramme",
            owner,
            f"{name}2025年创建工作方案",
            START_2025,
            END_2025,
        )


def letters(
    ctx: Context,
    lower: str,
    upper: str,
    covers: Sequence[str],
    *,
    upper_2025: str | None = None,
    with_2025: bool = True,
    cover_2025: bool = True,
) -> None:
    """Responsibility letters for 2024 and 2025 with the unit directly above."""
    years = ((2024, START, END_2024), (2025, START_2025, END_2025))
    for year, start, end in years:
        if year == 2025 and not with_2025:
            continue
        pairs: list[ttl.Pair] = [
            ("a", "civ:ResponsibilityLetter"),
            ("civ:upperParty", unit(upper_2025 if year == 2025 and upper_2025 else upper)),
            ("civ:lowerParty", unit(lower)),
            ("civ:signedOn", ttl.date(start + dt.timedelta(days=14))),
            ("civ:validFrom", ttl.date(start)),
            ("civ:validUntil", ttl.date(end)),
        ]
        if year == 2024 or cover_2025:
            pairs.append(("civ:coversTask", [c for c in covers if c.startswith("xm:")]))
            pairs.append(("civ:coversIndicator", [c for c in covers if c.startswith("ind:")]))
        ctx.f("plans-letters.ttl").block(node("letter", f"{lower}-{year}"), pairs)


def annual(ctx: Context, assessed: str, *, creation_work: bool = True) -> None:
    ctx.f("supervision.ttl").block(
        node("annual", f"2024-{assessed}"),
        [
            ("a", "civ:AnnualTargetAssessment"),
            ("civ:assessedUnit", unit(assessed)),
            ("civ:year", ttl.integer(2024)),
            ("civ:includesCreationWork", ttl.boolean(creation_work)),
        ],
    )


def current_holder(model: Model, unit_key: str, role: str) -> str | None:
    for pos in model.positions_of(unit_key):
        if pos.role == role:
            holders = pos.current_holders()
            if holders:
                return holders[0]
    return None


def handler_of(model: Model, unit_key: str) -> str:
    found = current_holder(model, unit_key, "liaison") or current_holder(
        model, unit_key, "main-leader"
    )
    if found is None:
        raise ValueError(f"unit {unit_key} has no current liaison or main leader")
    return found


def district_records(
    ctx: Context, model: Model, district: DistrictPeople, name: str, city_departments: Sequence[str]
) -> None:
    key = district.key
    places = [*district.places, *district.towns]
    # three-year-plan task of the district, letters district ← city
    city_task = task(ctx, f"3y-{key}", f"{name}完成全国文明城市测评体系分解任务", key)
    ctx.three_year_tasks.append(city_task)
    expired = key == plants.LETTER_EXPIRED
    letters(ctx, key, CITY, [city_task], with_2025=not expired)
    if expired:
        ctx.plant(
            "CIV-4.1",
            unit(key),
            model.accountable(key),
            "The district's 2025 responsibility letter was never signed; the 2024 letter "
            "expired on 2024-12-31.",
        )
    # the district's creation plan: one task per sub-district, town and department
    tasks: list[str] = []
    for lower in [*places, *district.departments]:
        lower_task = task(
            ctx, f"{key}-{lower}", f"{district.names[lower]}落实{name}创建任务分解", lower
        )
        tasks.append(lower_task)
        blank = lower == plants.LETTER_COVERS_NOTHING
        letters(ctx, lower, key, [lower_task], cover_2025=not blank)
        if blank:
            ctx.plant(
                "CIV-4.1",
                unit(lower),
                model.accountable(lower),
                "The sub-district's 2025 responsibility letter with its district covers "
                "no task and no indicator.",
            )
    no_programme = key == plants.NO_WORK_PROGRAMME
    unit_plans(ctx, key, name, tasks=tasks, programme_2025=not no_programme)
    if no_programme:
        ctx.plant(
            "CIV-1.2",
            unit(key),
            model.accountable(key),
            "The district has a creation plan but its only work programme expired on 2024-12-31.",
        )
    # special funds: district and sub-districts (towns too, though not required)
    no_fund = key == plants.NO_FUND_2025
    funds(ctx, key, years=(2024,) if no_fund else (2024, 2025))
    if no_fund:
        ctx.plant(
            "CIV-1.6",
            unit(key),
            model.accountable(key),
            "The district has a 2024 special creation fund but none for 2025.",
        )
    for place in places:
        outside = place == plants.FUND_NOT_IN_BUDGET
        funds(ctx, place, in_budget_2025=not outside)
        if outside:
            ctx.plant(
                "CIV-1.6",
                unit(place),
                model.accountable(place),
                "The sub-district's 2025 special fund is not in the annual budget.",
            )
    # annual target assessments 2024
    for assessed in [key, *places, *district.departments]:
        if assessed == plants.NO_ANNUAL:
            ctx.plant(
                "CIV-6.5",
                unit(assessed),
                model.accountable(assessed),
                "Town with no 2024 annual target assessment.",
            )
            continue
        annual(ctx, assessed)
    _zones(ctx, model, key, district.names, places)
    _complaints(ctx, model, key, places, district.departments, city_departments)
    _media(ctx, model, key, places)


def _zones(
    ctx: Context, model: Model, district: str, names: dict[str, str], places: Sequence[str]
) -> None:
    kinds = (
        ("KeyZone", "重点片区"),
        ("KeyZone", "重点区域"),
        ("KeyRoadSection", "主干道重点路段"),
        ("KeyRoadSection", "商业街重点路段"),
    )
    for number, (cls, label) in enumerate(kinds, start=1):
        key = f"zone-{district}-{number:02d}"
        place = places[(number - 1) % len(places)]
        responsible = current_holder(model, place, "deputy-leader")
        assert responsible is not None
        pairs: list[ttl.Pair] = [
            ("a", f"civ:{cls}"),
            ("rdfs:label", ttl.zh(f"{names[place]}{label}")),
            ("civ:inDistrict", unit(district)),
        ]
        if key != plants.ROAD_NO_UNIT:
            pairs.append(("civ:responsibleUnit", unit(place)))
        if key != plants.ZONE_NO_PERSON:
            pairs.append(("civ:responsiblePerson", person(responsible)))
        ctx.f("zones.ttl").block(node("zone", key[len("zone-") :]), pairs)
        if key == plants.ZONE_NO_PERSON:
            ctx.plant(
                "CIV-4.3",
                node("zone", key[len("zone-") :]),
                model.accountable(place),
                "Key zone with a responsible unit but no responsible person.",
            )
        if key == plants.ROAD_NO_UNIT:
            ctx.plant(
                "CIV-4.3",
                node("zone", key[len("zone-") :]),
                model.accountable(district, responsible),
                "Key road section with a responsible person but no responsible unit.",
            )


def _day(ctx: Context, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=ctx.rng.randrange((last - first).days + 1))


def _complaints(
    ctx: Context,
    model: Model,
    district: str,
    places: Sequence[str],
    departments: Sequence[str],
    city_departments: Sequence[str],
) -> None:
    out = ctx.f("complaints.ttl")
    for _ in range(COMPLAINTS_PER_PLACE * len(places)):
        ctx.complaint_index += 1
        draw = ctx.rng.random()
        if draw < 0.8:
            handling = places[ctx.rng.randrange(len(places))]
        elif draw < 0.92:
            handling = departments[ctx.rng.randrange(len(departments))]
        else:
            handling = city_departments[ctx.rng.randrange(len(city_departments))]
        received = _day(ctx, START, dt.date(2025, 12, 20))
        days = ctx.rng.choice((7, 15, 30))
        deadline: dt.date | None = received + dt.timedelta(days=days)
        resolved: dt.date | None
        assert deadline is not None
        if deadline < AS_OF:
            if ctx.rng.random() < 0.88:
                resolved = received + dt.timedelta(days=ctx.rng.randint(1, days))
            else:
                resolved = min(deadline + dt.timedelta(days=ctx.rng.randint(1, 20)), AS_OF)
        elif ctx.rng.random() < 0.5:
            resolved = None
        else:
            resolved = min(received + dt.timedelta(days=ctx.rng.randint(1, days)), AS_OF)
        planted = ""
        if ctx.complaint_index % plants.COMPLAINT_PLANT_EVERY == plants.COMPLAINT_PLANT_OFFSET:
            kind = (ctx.complaint_index // plants.COMPLAINT_PLANT_EVERY) % 4
            if kind == 0:
                received = _day(ctx, dt.date(2025, 3, 1), dt.date(2025, 8, 31))
                deadline, resolved = received + dt.timedelta(days=30), None
                planted = (
                    f"Complaint still open; its deadline {deadline} is before the "
                    "long-unresolved cutoff 2025-10-02 (escalated)."
                )
            elif kind == 1:
                received = _day(ctx, dt.date(2025, 10, 20), dt.date(2025, 12, 1))
                deadline, resolved = received + dt.timedelta(days=15), None
                planted = f"Complaint still open after its deadline {deadline}."
            elif kind == 2:
                received = _day(ctx, dt.date(2025, 9, 1), dt.date(2025, 11, 30))
                deadline, resolved = received + dt.timedelta(days=15), dt.date(2026, 1, 6)
                planted = (
                    f"Complaint past its deadline {deadline}, resolved only on "
                    "2026-01-06, after the as-of date."
                )
            else:
                deadline = None
                planted = "Complaint recorded without a deadline."
        year = received.year
        seq = ctx.complaint_seq.get(year, 0) + 1
        ctx.complaint_seq[year] = seq
        iri = node("complaint", f"{year}-{seq:06d}")
        handler = handler_of(model, handling)
        pairs: list[ttl.Pair] = [
            ("a", "civ:PublicComplaint"),
            ("dcterms:description", ttl.zh(ctx.rng.choice(COMPLAINT_TOPICS))),
            ("civ:receivedOn", ttl.date(received)),
            ("civ:handlingUnit", unit(handling)),
            ("civ:handler", person(handler)),
            ("civ:inDistrict", unit(district)),
        ]
        if deadline is not None:
            pairs.append(("civ:deadline", ttl.date(deadline)))
        if resolved is not None:
            pairs.append(("civ:resolvedOn", ttl.date(resolved)))
        out.block(iri, pairs)
        ctx.complaints += 1
        if planted:
            ctx.plant("CIV-6.2", iri, model.accountable(handling, handler), planted)


def _media(ctx: Context, model: Model, district: str, places: Sequence[str]) -> None:
    for number in range(2):
        handling = places[(number * 3) % len(places)]
        received = _day(ctx, START, dt.date(2025, 9, 30))
        deadline = received + dt.timedelta(days=30)
        rectified: dt.date | None = received + dt.timedelta(days=ctx.rng.randint(5, 25))
        record: str | None = "已完成整改并在原媒体回应"
        planted = ""
        if (district, number) == plants.MEDIA_RECTIFIED_LATE:
            rectified = deadline + dt.timedelta(days=12)
            planted = f"Media-exposed problem rectified on {rectified}, after its deadline."
        if (district, number) == plants.MEDIA_NO_RECORD:
            record = None
            planted = "Media-exposed problem rectified in time but with no rectification record."
        year = received.year
        seq = ctx.media_seq.get(year, 0) + 1
        ctx.media_seq[year] = seq
        iri = node("media", f"{year}-{seq:04d}")
        handler = handler_of(model, handling)
        pairs: list[ttl.Pair] = [
            ("a", "civ:MediaExposure"),
            ("dcterms:description", ttl.zh(ctx.rng.choice(COMPLAINT_TOPICS))),
            ("civ:outlet", ttl.zh(ctx.rng.choice(MEDIA_OUTLETS))),
            ("civ:receivedOn", ttl.date(received)),
            ("civ:handlingUnit", unit(handling)),
            ("civ:handler", person(handler)),
            ("civ:deadline", ttl.date(deadline)),
            ("civ:inDistrict", unit(district)),
        ]
        if rectified is not None:
            pairs.append(("civ:rectifiedOn", ttl.date(rectified)))
        if record is not None:
            pairs.append(("civ:rectificationRecord", ttl.zh(record)))
        ctx.f("complaints.ttl").block(iri, pairs)
        if planted:
            ctx.plant("CIV-6.3", iri, model.accountable(handling, handler), planted)
