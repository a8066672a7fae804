"""City-wide records: the three-year plan, indicators, meetings, accountability, supervision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from civgraph.demo import plants
from civgraph.demo import turtle as ttl
from civgraph.demo.context import START, Context, node, person, quarter_day, unit
from civgraph.demo.model import AS_OF
from civgraph.demo.records import annual, letters, task, unit_plans
from civgraph.demo.structure import (
    CITY,
    GROUP_UNITS,
    HQ,
    SUPERVISION_GROUP,
    SUPERVISION_MEMBERS,
    CityPeople,
    funds,
    group_key,
)
from civgraph.demo.xiamen import CITY_DEPARTMENTS, SYSTEMS, WORK_GROUPS

#: Quarters with meetings: 2024-Q1 … 2025-Q4 (2025-Q4 has not ended as of 2025-12-31).
QUARTERS: tuple[tuple[int, int], ...] = tuple((y, q) for y in (2024, 2025) for q in (1, 2, 3, 4))
CATEGORIES = ("npc-deputy", "cppcc-member", "journalist", "citizen")


def city_unit_keys() -> list[str]:
    return [f"sys-{local}" for local, *_ in SYSTEMS] + [f"dept-{s}" for s, *_ in CITY_DEPARTMENTS]


def _names() -> dict[str, str]:
    found = {f"sys-{local}": zh for local, zh, _ in SYSTEMS}
    found.update({f"dept-{s}": zh for s, zh, _ in CITY_DEPARTMENTS})
    return found


def assign_indicators(ctx: Context) -> None:
    """Give each leaf a responsible unit from the work group owning its top-level item."""
    areas = ctx.f("indicators.ttl")
    for number, (item, leaves) in enumerate(ctx.tree.leaves):
        group = number % 8
        areas.block(unit(group_key(group)), [("civ:ownsArea", f"ind:{item}")])
        leads, members = GROUP_UNITS[group]
        candidates = [*leads, *members]
        for position, leaf in enumerate(leaves):
            last = position == len(leaves) - 1
            if last and number in (0, 4):
                ctx.plant(
                    "CIV-1.4",
                    f"ind:{leaf}",
                    ctx.model.accountable(leads[0]),
                    "Assessable indicator with no responsible unit.",
                )
                continue
            responsible = candidates[position % len(candidates)]
            ctx.indicator_units.setdefault(responsible, []).append(leaf)
            areas.block(f"ind:{leaf}", [("civ:responsibleUnit", unit(responsible))])


def indicator_assessments(ctx: Context) -> None:
    out = ctx.f("indicators.ttl")
    responsible = {leaf: u for u, leaves in ctx.indicator_units.items() for leaf in leaves}
    for number, (_item, leaves) in enumerate(ctx.tree.leaves):
        for position, leaf in enumerate(leaves):
            grades = {2024: "B" if position % 7 == 3 else "A", 2025: "A"}
            note = ""
            if position == 0 and number == 1:
                grades[2025] = "B"
                note = "Latest assessment (2025-11-15) of the indicator is grade B."
            if position == 0 and number == 2:
                del grades[2025]
                note = "Indicator assessed in 2024 (grade A) but not yet in 2025."
            for year, grade in grades.items():
                out.block(
                    node("assessment", f"{leaf}-{year}"),
                    [
                        ("a", "civ:IndicatorAssessment"),
                        ("civ:assessedIndicator", f"ind:{leaf}"),
                        ("civ:grade", f"grade:{grade}"),
                        ("civ:assessedOn", ttl.date(dt.date(year, 11, 15))),
                        ("civ:assessedBy", unit(f"{CITY}-wmb")),
                    ],
                )
            if note:
                ctx.plant("CIV-1.5", f"ind:{leaf}", ctx.model.accountable(responsible[leaf]), note)


def city_unit_records(ctx: Context) -> None:
    """Plans, tasks, letters, funds and annual assessments of the city and its systems/depts."""
    names = _names()
    funds(ctx, CITY)
    for key in city_unit_keys():
        name = names[key]
        covers = [task(ctx, f"3y-{key}", f"{name}牵头落实本系统创建任务", key)]
        ctx.three_year_tasks.append(covers[0])
        covers += [f"ind:{leaf}" for leaf in ctx.indicator_units.get(key, [])]
        upper_2025 = HQ if key == plants.LETTER_WRONG_UPPER else None
        letters(ctx, key, CITY, covers, upper_2025=upper_2025)
        if upper_2025 is not None:
            ctx.plant(
                "CIV-4.1",
                unit(key),
                ctx.model.accountable(key),
                "The department's 2025 responsibility letter was signed with the command "
                "headquarters, not with the city directly above it.",
            )
        no_plan = key == plants.NO_CREATION_PLAN
        unit_plans(ctx, key, name, creation=not no_plan)
        if no_plan:
            ctx.plant(
                "CIV-1.2",
                unit(key),
                ctx.model.accountable(key),
                "Work-group member unit with work programmes but no creation plan.",
            )
        without = key == plants.ANNUAL_WITHOUT_CREATION
        annual(ctx, key, creation_work=not without)
        if without:
            ctx.plant(
                "CIV-6.5",
                unit(key),
                ctx.model.accountable(key),
                "The department's 2024 annual target assessment does not include creation work.",
            )

    for key, name in zip(SUPERVISION_MEMBERS, ("市创建办", "市纪委监委"), strict=True):
        unit_plans(ctx, key, name)


def three_year_plan(ctx: Context) -> None:
    unassigned = [
        task(ctx, "3y-unassigned", "建立全市文明交通志愿服务常态化机制", None),
        task(ctx, "3y-unassigned-2", "完善背街小巷常态化管理机制", None),
    ]
    for number in range(len(unassigned)):  # one finding per task without a responsible unit
        ctx.plant(
            "CIV-1.1",
            unit(CITY),
            ctx.model.accountable(f"{CITY}-cjb", *ctx.model.main_leaders(HQ)),
            f"Task {number + 1} of 2 of the current three-year plan without a responsible unit.",
        )
    ctx.f("plans-letters.ttl").block(
        node("plan", "3y-2024-2026"),
        [
            ("a", "civ:ThreeYearPlan"),
            (
                "rdfs:label",
                [
                    ttl.zh("厦门市创建全国文明城市三年规划（2024—2026年）"),
                    ttl.en("Xiamen three-year plan for the National Civilized City (2024–2026)"),
                ],
            ),
            ("civ:planOf", unit(CITY)),
            ("civ:validFrom", ttl.date(START)),
            ("civ:validUntil", ttl.date(dt.date(2026, 12, 31))),
            ("civ:hasTask", [*ctx.three_year_tasks, *unassigned]),
        ],
    )


def _qlabel(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def meetings(ctx: Context, city: CityPeople, problem_units: Sequence[str]) -> None:
    out = ctx.f("meetings.ttl")
    m = ctx.model
    outsiders = {cat: [ctx.new_person() for _ in range(4)] for cat in CATEGORIES}
    hq_leaders = [city.commander, *city.deputy_commanders]
    for index, (year, quarter) in enumerate(QUARTERS):
        q = (year, quarter)
        label = _qlabel(year, quarter)
        # work meeting of the HQ
        held = quarter_day(year, quarter, 2, 10)
        if q == plants.NO_WORK_MEETING:
            ctx.plant("CIV-2.1", unit(HQ), m.accountable(HQ), f"No HQ work meeting in {label}.")
        else:
            if q == plants.WORK_MEETING_WRONG_CHAIR:
                chair = city.creation_director
                ctx.plant(
                    "CIV-2.1",
                    unit(HQ),
                    m.accountable(HQ),
                    f"The only HQ work meeting in {label} was chaired by the creation "
                    "office director, who is neither commander nor deputy commander.",
                )
            else:
                chair = hq_leaders[index % len(hq_leaders)].holder_on(held)[0]
            out.block(
                node("meeting", f"work-{label}"),
                [
                    ("a", "civ:WorkMeeting"),
                    ("rdfs:label", ttl.zh(f"市创建文明城市指挥部{year}年第{quarter}季度工作例会")),
                    ("civ:convenedBy", unit(HQ)),
                    ("civ:heldOn", ttl.date(held)),
                    ("civ:chair", person(chair)),
                    ("civ:reportingUnit", [unit(group_key(g)) for g in range(10)]),
                ],
            )
        # joint meetings of the work groups
        for group, (leads, members) in enumerate(GROUP_UNITS):
            key = group_key(group)
            if (key, q) == plants.NO_JOINT_MEETING:
                ctx.plant(
                    "CIV-2.2",
                    unit(key),
                    m.accountable(leads[0]),
                    f"No joint meeting of the work group in {label}.",
                )
                continue
            reporting = list(members)
            if (key, q) == plants.JOINT_MEETING_NO_MEMBER_REPORT:
                reporting = ["350203"]
                ctx.plant(
                    "CIV-2.2",
                    unit(key),
                    m.accountable(leads[0]),
                    f"The work group's {label} joint meeting heard no member unit (only "
                    "a district reported).",
                )
            chair_unit = leads[0] if leads else members[0]
            out.block(
                node("meeting", f"joint-{key}-{label}"),
                [
                    ("a", "civ:JointMeeting"),
                    (
                        "rdfs:label",
                        ttl.zh(f"指挥部{WORK_GROUPS[group][0]}{year}年第{quarter}季度联席会"),
                    ),
                    ("civ:convenedBy", unit(key)),
                    ("civ:heldOn", ttl.date(quarter_day(year, quarter, 2, 12 + group))),
                    ("civ:chair", person(m.main_leaders(chair_unit)[0])),
                    ("civ:reportingUnit", [unit(u) for u in reporting]),
                ],
            )
        # review meeting with outside reviewers, raising problems
        if q == plants.NO_REVIEW_MEETING:
            ctx.plant("CIV-2.3", unit(HQ), m.accountable(HQ), f"No review meeting in {label}.")
            continue
        _review(ctx, city, q, index, outsiders, problem_units)


def _review(
    ctx: Context,
    city: CityPeople,
    q: tuple[int, int],
    index: int,
    outsiders: dict[str, list[str]],
    problem_units: Sequence[str],
) -> None:
    m = ctx.model
    year, quarter = q
    label = _qlabel(year, quarter)
    held = quarter_day(year, quarter, 3, 5)
    key = f"review-{label}"
    categories: tuple[str, ...] = CATEGORIES
    if q == plants.REVIEW_MEETING_NO_OUTSIDERS:
        categories = ()
        ctx.plant(
            "CIV-2.3",
            unit(HQ),
            m.accountable(HQ),
            f"The {label} review meeting had no outside reviewer.",
        )
    if q == plants.REVIEW_MEETING_NO_JOURNALIST:
        categories = tuple(c for c in CATEGORIES if c != "journalist")
        ctx.plant(
            "CIV-2.3",
            unit(HQ),
            m.accountable(HQ),
            f"The {label} review meeting had NPC deputies, CPPCC members and citizens "
            "but no journalist.",
            severity="Warning",
        )
    assocs = []
    for cat in categories:
        for n in range(1 + (index + len(cat)) % 2):
            akey = f"{key}-{cat}-{n + 1}"
            assocs.append(node("assoc", akey))
            ctx.f("meetings.ttl").block(
                node("assoc", akey),
                [
                    ("a", "prov:Association"),
                    ("prov:agent", person(outsiders[cat][(index + n) % 4])),
                    ("prov:hadRole", f"pcat:{cat}"),
                ],
            )
    problems = []
    for n in (1, 2):
        pkey = f"problem-{label}-{n:02d}"
        problems.append(node("problem", pkey[len("problem-") :]))
        assignee = problem_units[(2 * index + n) % len(problem_units)]
        if pkey == plants.PROBLEM_NOT_RECTIFIED:
            assignee = "350211"
        if pkey == plants.PROBLEM_RECTIFIED_LATE:
            assignee = "350203004"
        if pkey == plants.PROBLEM_NO_DEADLINE:
            assignee = "dept-cgzf"
        deadline = held + dt.timedelta(days=45)
        rectified: dt.date | None = held + dt.timedelta(days=10 + 7 * n)
        note = ""
        if pkey == plants.PROBLEM_NOT_RECTIFIED:
            rectified = None
            note = (
                f"Problem raised at the {label} review meeting, deadline {deadline}, "
                "never rectified."
            )
        elif pkey == plants.PROBLEM_RECTIFIED_LATE:
            rectified = deadline + dt.timedelta(days=20)
            note = f"Problem rectified on {rectified}, after its deadline {deadline}."
        elif pkey == plants.PROBLEM_NO_DEADLINE:
            note = "Problem assigned to a unit but given no deadline."
        elif rectified is not None and rectified > AS_OF:
            rectified = None
        pairs: list[ttl.Pair] = [
            ("a", "civ:Problem"),
            ("dcterms:description", ttl.zh(f"{label}点评会指出的问题{n}")),
            ("civ:assignedTo", unit(assignee)),
        ]
        if pkey != plants.PROBLEM_NO_DEADLINE:
            pairs.append(("civ:deadline", ttl.date(deadline)))
        if rectified is not None:
            pairs.append(("civ:rectifiedOn", ttl.date(rectified)))
        ctx.f("meetings.ttl").block(node("problem", pkey[len("problem-") :]), pairs)
        if note:
            ctx.plant(
                "CIV-2.4", node("problem", pkey[len("problem-") :]), m.accountable(assignee), note
            )
    chair = [city.commander, *city.deputy_commanders][index % 4].holder_on(held)[0]
    ctx.f("meetings.ttl").block(
        node("meeting", key),
        [
            ("a", "civ:ReviewMeeting"),
            ("rdfs:label", ttl.zh(f"市创建文明城市{year}年第{quarter}季度点评会")),
            ("civ:convenedBy", unit(HQ)),
            ("civ:heldOn", ttl.date(held)),
            ("civ:chair", person(chair)),
            ("civ:reportingUnit", [unit(u) for u in problem_units[:6]]),
            ("prov:qualifiedAssociation", assocs),
            ("civ:raisesProblem", problems),
        ],
    )


#: Accountability cases: key, concerned unit, deciding unit, year, decided on, complete?, sanction
CASES: tuple[tuple[str, str, str, dt.date, str, str], ...] = (
    (
        "2024-01",
        "dept-whly",
        f"{CITY}-jw",
        dt.date(2024, 9, 10),
        "no-obligation",
        "circulated-criticism",
    ),
    ("2024-02", "350203-cg", "350203-jw", dt.date(2024, 11, 5), "no-person", "accountability"),
    ("2024-03", "dept-mz", f"{CITY}-jw", dt.date(2024, 6, 18), "", "circulated-criticism"),
    ("2025-01", "dept-ga", f"{CITY}-jw", dt.date(2025, 5, 20), "title", "accountability"),
    ("2025-02", "350206-scjg", "350206-jw", dt.date(2025, 7, 15), "title-late", "title-revocation"),
    ("2025-03", "dept-szyl", f"{CITY}-jw", dt.date(2025, 4, 10), "", "title-revocation"),
    ("2025-04", "350211-cg", "350211-jw", dt.date(2025, 9, 1), "", "party-discipline"),
)
#: Civilized-unit titles: unit, valid from, valid until, revoked on
TITLES: tuple[tuple[str, dt.date, dt.date, dt.date | None], ...] = (
    ("dept-ga", dt.date(2023, 1, 1), dt.date(2025, 12, 31), None),
    ("350206-scjg", dt.date(2024, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 1, 15)),
    ("dept-szyl", dt.date(2023, 1, 1), dt.date(2025, 12, 31), dt.date(2025, 8, 1)),
    ("dept-mz", dt.date(2024, 1, 1), dt.date(2026, 12, 31), None),
    ("sys-education", dt.date(2024, 1, 1), dt.date(2026, 12, 31), None),
    ("350203", dt.date(2023, 1, 1), dt.date(2025, 12, 31), None),
)


def accountability(ctx: Context) -> None:
    m = ctx.model
    out = ctx.f("accountability.ttl")
    for key, concerned, decider, decided, flag, sanction in CASES:
        held = m.main_leaders(concerned)
        pairs: list[ttl.Pair] = [("a", "civ:AccountabilityCase")]
        if flag != "no-obligation":
            pairs.append(("civ:answersObligation", "obl:CIV-6.2"))
        pairs += [
            ("civ:decidedBy", unit(decider)),
            ("civ:concernsUnit", unit(concerned)),
            ("civ:sanction", f"sanction:{sanction}"),
            ("civ:decidedOn", ttl.date(decided)),
        ]
        if flag != "no-person":
            pairs.append(("civ:heldAccountable", [person(p) for p in held]))
        out.block(node("case", key), pairs)
        iri = node("case", key)
        if flag == "no-obligation":
            ctx.plant(
                "CIV-5.1",
                iri,
                m.accountable(decider),
                "Accountability case that names no obligation.",
            )
        if flag == "no-person":
            ctx.plant(
                "CIV-5.1",
                iri,
                m.accountable(decider),
                "Accountability case that names no person held accountable.",
            )
        office = (
            f"{CITY}-wmb"
            if concerned.startswith(("dept-", "sys-"))
            else f"{concerned.split('-')[0]}-wmb"
        )
        if flag == "title":
            ctx.plant(
                "CIV-5.2",
                unit(concerned),
                m.accountable(office),
                "Unit held accountable on 2025-05-20 still holds a valid civilized-unit title.",
            )
        if flag == "title-late":
            ctx.plant(
                "CIV-5.2",
                unit(concerned),
                m.accountable(office),
                "Unit held accountable on 2025-07-15; its civilized-unit title is revoked "
                "only on 2026-01-15, after the as-of date.",
            )
    for awarded, start, end, revoked in TITLES:
        pairs = [
            ("a", "civ:CivilizedUnitTitle"),
            ("civ:awardedTo", unit(awarded)),
            ("civ:validFrom", ttl.date(start)),
            ("civ:validUntil", ttl.date(end)),
        ]
        if revoked is not None:
            pairs.append(("civ:revokedOn", ttl.date(revoked)))
        out.block(node("title", awarded), pairs)


def inspections(ctx: Context, districts: Sequence[str]) -> None:
    out = ctx.f("supervision.ttl")
    accountable = ctx.model.accountable(SUPERVISION_GROUP)
    for year, quarter in QUARTERS:
        for number, district in enumerate(districts):
            key = f"inspection-{year}-Q{quarter}-{district}"
            held = quarter_day(year, quarter, 2, 20 + number)
            circulated: dt.date | None = held + dt.timedelta(days=8)
            note = ""
            if key == plants.INSPECTION_NOT_CIRCULATED:
                held, circulated = dt.date(2025, 10, 15), None
                note = "Inspection held on 2025-10-15 whose result was never circulated."
            elif key == plants.INSPECTION_CIRCULATED_AFTER:
                circulated = dt.date(2026, 1, 5)
                note = (
                    "Inspection held in 2025-Q2 whose result is circulated only on "
                    "2026-01-05, after the as-of date."
                )
            pairs: list[ttl.Pair] = [
                ("a", "civ:Inspection"),
                ("civ:conductedBy", unit(SUPERVISION_GROUP)),
                ("civ:inspectedUnit", unit(district)),
                ("civ:heldOn", ttl.date(held)),
            ]
            if circulated is not None:
                pairs.append(("civ:circulatedOn", ttl.date(circulated)))
            out.block(node(*key.split("-", 1)), pairs)
            if note:
                ctx.plant("CIV-6.4", node(*key.split("-", 1)), accountable, note)
    # a recent inspection whose circulation is not yet due
    out.block(
        node("inspection", "2025-12-followup"),
        [
            ("a", "civ:Inspection"),
            ("civ:conductedBy", unit(SUPERVISION_GROUP)),
            ("civ:inspectedUnit", unit(districts[0])),
            ("civ:heldOn", ttl.date(dt.date(2025, 12, 10))),
        ],
    )
