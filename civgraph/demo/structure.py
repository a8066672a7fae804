"""The organisation: the city, its leadership, HQ, offices, systems, departments and districts.

Everything here is written as it is created; the model keeps what attribution needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from civgraph.demo import plants
from civgraph.demo import turtle as ttl
from civgraph.demo.context import START, Context, unit
from civgraph.demo.model import Model, Position
from civgraph.demo.xiamen import (
    BODIES,
    CITY_CODE,
    CITY_DEPARTMENTS,
    CITY_EN,
    CITY_ZH,
    DISTRICT_DEPARTMENTS,
    PLACE_FIRST,
    PLACE_SECOND,
    SYSTEMS,
    WORK_GROUPS,
    DistrictInfo,
    Place,
)

CITY = CITY_CODE
HQ = "hq"
SUPERVISION_GROUP = "dcz"
SUPERVISION_MEMBERS = (f"{CITY}-cjb", f"{CITY}-jw")

#: Work groups: (lead units, member units); wg-09 and wg-10 carry the CIV-1.3 defects.
GROUP_UNITS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("sys-party-work-committee",), ("sys-development-reform", "dept-cz")),
    (("sys-political-legal",), ("dept-ga", "dept-mz")),
    (("dept-scjg",), ("dept-sw", "sys-economic-development", "sys-development-reform")),
    (("dept-xcb",), ("dept-whly", "sys-education")),
    (("sys-education",), ("dept-mz", "dept-wjw")),
    (("dept-cgzf",), ("dept-szyl", "sys-construction", "sys-transport", "dept-ga")),
    (("dept-sthj",), ("dept-sl", "dept-szyl")),
    (("dept-whly",), ("sys-state-assets", "dept-xcb")),
    (("dept-cz", "dept-sw"), ("sys-state-assets",)),
    ((), ("dept-mz", "dept-xcb")),
)


def group_key(index: int) -> str:
    return f"wg-{index + 1:02d}"


@dataclass
class CityPeople:
    """Leaders of the city the rest of the generator refers to."""

    secretary: str
    commander: Position
    deputy_commanders: list[Position]
    district_linkers: list[Position]
    creation_director: str
    bodies: dict[str, str] = field(default_factory=dict)


@dataclass
class DistrictPeople:
    key: str
    places: list[str]
    towns: list[str]
    communities: list[str]
    departments: list[str]
    names: dict[str, str] = field(default_factory=dict)


def _body_label(place_zh: str, kind: str, *, city: bool) -> str:
    prefix = place_zh if city else f"厦门市{place_zh}"
    return {
        "party-committee": f"中共{place_zh}委",
        "npc-standing-committee": f"{place_zh}人大常委会",
        "government": f"{place_zh}人民政府",
        "cppcc": f"政协{prefix}委员会",
    }[kind]


def _bodies(
    ctx: Context, model: Model, place: str, place_zh: str, place_en: str, *, city: bool
) -> dict[str, str]:
    keys: dict[str, str] = {}
    for kind, _zh, en_suffix, short in BODIES:
        key = f"{place}-{short}"
        keys[kind] = key
        ctx.add_unit(
            model,
            key,
            "LeadershipBody",
            _body_label(place_zh, kind, city=city),
            f"{place_en} {en_suffix}",
            place,
            [("civ:bodyKind", f"body:{kind}")],
        )
    model.bodies[place] = [keys[kind] for kind, *_ in BODIES]
    return keys


def _fund(ctx: Context, owner: str, year: int, amount: int, *, in_budget: bool = True) -> None:
    ctx.f("funds-sites.ttl").block(
        f"xm:fund-{owner}-{year}",
        [
            ("a", "civ:SpecialFund"),
            ("civ:fundOf", unit(owner)),
            ("civ:fiscalYear", ttl.integer(year)),
            ("civ:amount", ttl.decimal(amount)),
            ("civ:inAnnualBudget", ttl.boolean(in_budget)),
        ],
    )


def _site(ctx: Context, owner: str, label: str, area: int) -> list[ttl.Pair]:
    key = f"xm:site-{owner}"
    ctx.f("funds-sites.ttl").block(
        key,
        [
            ("a", "civ:OfficeSpace"),
            ("rdfs:label", ttl.zh(label)),
            ("civ:floorArea", ttl.decimal(area)),
        ],
    )
    return [("org:hasSite", key)]


def funds(
    ctx: Context, owner: str, *, years: tuple[int, ...] = (2024, 2025), in_budget_2025: bool = True
) -> None:
    for year in years:
        amount = ctx.rng.randrange(20, 400) * 10_000
        _fund(ctx, owner, year, amount, in_budget=in_budget_2025 or year != 2025)


def build_city(ctx: Context) -> CityPeople:
    m = ctx.model
    ctx.add_unit(m, CITY, "City", CITY_ZH, CITY_EN, None)
    bodies = _bodies(ctx, m, CITY, CITY_ZH, CITY_EN, city=True)
    secretary = ctx.new_person()
    ctx.add_position(m, CITY, "main-leader", [(secretary, START, None)])
    ctx.add_position(m, bodies["party-committee"], "main-leader", [(secretary, START, None)])
    pc_deputy = ctx.staff(m, bodies["party-committee"], "deputy-leader")
    propaganda = ctx.staff(m, bodies["party-committee"], "deputy-leader")
    ctx.staff(m, bodies["npc-standing-committee"], "main-leader")
    npc_deputy = ctx.staff(m, bodies["npc-standing-committee"], "deputy-leader")
    mayor = ctx.staff(m, bodies["government"], "main-leader")
    vice_1 = ctx.staff(
        m, bodies["government"], "deputy-leader", left_on=dt.date(2025, 5, 31), successor=True
    )
    vice_2 = ctx.staff(m, bodies["government"], "deputy-leader")
    vice_3 = ctx.staff(m, bodies["government"], "deputy-leader")
    ctx.staff(m, bodies["cppcc"], "main-leader")
    cppcc_deputy = ctx.staff(m, bodies["cppcc"], "deputy-leader")

    # the command headquarters (创建文明城市指挥部)
    ctx.add_unit(
        m,
        HQ,
        "CommandHeadquarters",
        "厦门市创建全国文明城市指挥部",
        "Xiamen Command Headquarters for Creating the National Civilized City",
        CITY,
        [("civ:establishedOn", ttl.date(START))],
    )
    commander = ctx.add_position(m, HQ, "commander", [(secretary, START, None)])
    deputies = [
        ctx.add_position(m, HQ, "deputy-commander", [(mayor.tenures[0].person, START, None)]),
        ctx.add_position(m, HQ, "deputy-commander", [(propaganda.tenures[0].person, START, None)]),
        ctx.add_position(
            m,
            HQ,
            "deputy-commander",
            [
                (vice_2.tenures[0].person, START, dt.date(2024, 12, 31)),
                (vice_3.tenures[0].person, dt.date(2025, 1, 1), None),
            ],
        ),
    ]

    # offices of the city
    creation = f"{CITY}-cjb"
    ctx.add_unit(
        m,
        creation,
        "CreationOffice",
        "厦门市创建文明城市工作办公室",
        "Xiamen Civilized City Creation Office",
        CITY,
        _site(ctx, creation, "市创建办集中办公场所", 420),
    )
    director = ctx.staff(m, creation, "main-leader").tenures[0].person
    ctx.staff(m, creation, "staff", seconded_from="sys-construction")
    ctx.staff(m, creation, "staff", seconded_from="dept-cgzf")
    funds(ctx, creation)
    office = f"{CITY}-wmb"
    ctx.add_unit(
        m,
        office,
        "CivilizationOffice",
        "厦门市精神文明建设办公室",
        "Xiamen Civilization Office",
        CITY,
    )
    ctx.staff(m, office, "main-leader")
    ctx.staff(m, office, "staff", establishment=False)
    for short, zh, en in (
        ("pc", "中共厦门市委督查室", "Supervision Office of the Party Committee"),
        ("gov", "厦门市人民政府督查室", "Supervision Office of the Government"),
    ):
        key = f"{CITY}-{short}-dcs"
        ctx.add_unit(m, key, "SupervisionOffice", zh, f"Xiamen {en}", f"{CITY}-{short}")
        ctx.staff(m, key, "main-leader")
    ctx.add_unit(
        m,
        f"{CITY}-jw",
        "DisciplineInspection",
        "中共厦门市纪委 厦门市监委",
        "Xiamen Commission for Discipline Inspection and Supervision",
        CITY,
    )
    ctx.staff(m, f"{CITY}-jw", "main-leader")
    # members of the supervision group get what work-group members have (a liaison, plans), so
    # the demo conforms whichever way a shape reads "member unit"
    for member in SUPERVISION_MEMBERS:
        ctx.staff(m, member, "liaison")
    ctx.add_unit(
        m,
        f"{CITY}-xnb",
        "EfficiencyOffice",
        "厦门市机关效能建设办公室",
        "Xiamen Efficiency Office",
        CITY,
    )
    ctx.staff(m, f"{CITY}-xnb", "main-leader")
    members: list[str] = []
    if not plants.SUPERVISION_GROUP_WITHOUT_MEMBERS:
        members += [unit(f"{CITY}-jw"), unit(creation)]
    ctx.add_unit(
        m,
        SUPERVISION_GROUP,
        "SupervisionGroup",
        "厦门市创建工作督查组",
        "Xiamen Creation Supervision Group",
        CITY,
        [
            ("civ:ledBy", [unit(f"{CITY}-pc-dcs"), unit(f"{CITY}-gov-dcs")]),
            ("civ:memberUnit", members),
        ],
    )
    ctx.staff(m, SUPERVISION_GROUP, "main-leader")
    if plants.SUPERVISION_GROUP_WITHOUT_MEMBERS:
        for missing in ("discipline inspection", "the creation office"):
            ctx.plant(
                "CIV-6.1",
                unit(CITY),
                m.accountable(CITY),
                "The supervision group is led by both supervision offices but has no member "
                f"units: {missing} is missing.",
            )

    # the 8 city-level systems
    for local, zh, en in SYSTEMS:
        key = f"sys-{local}"
        extra: list[ttl.Pair] = [("civ:systemCode", f"civsys:{local}")]
        if key != plants.SYSTEM_NO_SITE:
            extra += _site(ctx, key, f"{zh}文明办办公室", ctx.rng.randrange(30, 90))
        ctx.add_unit(m, key, "CitySystem", zh, en, CITY, extra)
        ctx.staff(m, key, "main-leader")
        ctx.staff(m, key, "deputy-leader")
        ctx.staff(m, key, "liaison")
        ctx.staff(
            m, key, "civilization-staff", establishment=key != plants.SYSTEM_STAFF_NOT_ESTABLISHMENT
        )
        funds(ctx, key)
        if key == plants.SYSTEM_NO_SITE:
            ctx.plant(
                "CIV-3.3",
                unit(key),
                m.accountable(key),
                "City-level system without dedicated office space (no org:hasSite).",
            )
        if key == plants.SYSTEM_STAFF_NOT_ESTABLISHMENT:
            ctx.plant(
                "CIV-3.3",
                unit(key),
                m.accountable(key),
                "The system's civilization-office staff post is a non-establishment post, "
                "so no establishment post is adjusted for civilization work.",
            )

    # other city departments
    for short, zh, en in CITY_DEPARTMENTS:
        key = f"dept-{short}"
        ctx.add_unit(m, key, "Department", zh, en, CITY)
        if key == plants.MAIN_LEADER_CHANGED[0]:
            ctx.staff(m, key, "main-leader", left_on=plants.MAIN_LEADER_CHANGED[1], successor=True)
        else:
            ctx.staff(m, key, "main-leader")
        ctx.staff(m, key, "deputy-leader")
        if key == plants.LIAISON_LEFT:
            ctx.staff(m, key, "liaison", left_on=plants.LIAISON_LEFT_ON)
            ctx.plant(
                "CIV-3.5",
                unit(key),
                m.accountable(key),
                "The department's only liaison left on 2025-09-30 and no successor was named.",
            )
        else:
            ctx.staff(m, key, "liaison")

    # work groups of the HQ
    for index, ((zh, en), (leads, members_)) in enumerate(
        zip(WORK_GROUPS, GROUP_UNITS, strict=True)
    ):
        key = group_key(index)
        ctx.add_unit(
            m,
            key,
            "WorkGroup",
            f"指挥部{zh}",
            f"HQ {en}",
            None,
            [
                ("civ:workGroupOf", unit(HQ)),
                ("civ:establishedOn", ttl.date(START)),
                ("civ:leadUnit", [unit(u) for u in leads]),
                ("civ:memberUnit", [unit(u) for u in members_]),
            ],
        )
        if key == plants.TWO_LEAD_UNITS:
            ctx.plant(
                "CIV-1.3",
                unit(key),
                m.accountable(HQ),
                "Work group with two lead units (市财政局 and 市商务局).",
            )
        if key == plants.NO_LEAD_UNIT:
            ctx.plant(
                "CIV-1.3",
                unit(key),
                m.accountable(HQ),
                "Work group with member units but no lead unit.",
            )

    people = CityPeople(
        secretary,
        commander,
        deputies,
        [vice_1, vice_2, vice_3, pc_deputy, npc_deputy, cppcc_deputy],
        director,
        bodies,
    )
    return people


def _community_names(ctx: Context, count: int, suffix: str) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = ctx.rng.choice(PLACE_FIRST) + ctx.rng.choice(PLACE_SECOND) + suffix
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def synthetic_district(number: int, ctx: Context, places: int) -> DistrictInfo:
    code = f"359{number:04d}"
    names = _community_names(ctx, places, "街道")
    return DistrictInfo(
        code,
        f"示例第{number}区",
        f"Synthetic District {number}",
        tuple(
            Place(f"{i + 1:03d}", name, f"Synthetic Subdistrict {number}-{i + 1}", False)
            for i, name in enumerate(names)
        ),
    )


def build_district(
    ctx: Context, model: Model, info: DistrictInfo, city: CityPeople, index: int
) -> DistrictPeople:
    key = info.code
    ctx.add_unit(model, key, "District", info.zh, info.en, CITY)
    bodies = _bodies(ctx, model, key, info.zh, info.en, city=False)
    secretary = ctx.new_person()
    ctx.add_position(model, key, "main-leader", [(secretary, START, None)])
    ctx.add_position(model, bodies["party-committee"], "main-leader", [(secretary, START, None)])
    pc_deputy = ctx.staff(model, bodies["party-committee"], "deputy-leader")
    ctx.staff(model, bodies["npc-standing-committee"], "main-leader")
    ctx.staff(model, bodies["government"], "main-leader")
    gov_deputies = [ctx.staff(model, bodies["government"], "deputy-leader") for _ in range(2)]
    ctx.staff(model, bodies["cppcc"], "main-leader")
    ctx.staff(model, key, "liaison")
    linkers = city.district_linkers
    ctx.link(model, key, linkers[index % len(linkers)])
    ctx.link(model, key, linkers[(index + 3) % len(linkers)])
    district_leaders = [pc_deputy, *gov_deputies]

    # offices of the district
    creation = f"{key}-cjb"
    site = (
        []
        if creation == plants.CREATION_OFFICE_NO_SITE
        else _site(ctx, creation, f"{info.zh}创建办集中办公场所", ctx.rng.randrange(120, 300))
    )
    ctx.add_unit(
        model,
        creation,
        "CreationOffice",
        f"{info.zh}创建文明城市工作办公室",
        f"{info.en} Creation Office",
        key,
        site,
    )
    ctx.staff(model, creation, "main-leader")
    left = plants.SECONDED_LEFT_ON if creation == plants.CREATION_OFFICE_SECONDED_LEFT else None
    ctx.staff(model, creation, "staff", seconded_from=f"{key}-cg", left_on=left)
    funds(ctx, creation)
    office = f"{key}-wmb"
    ctx.add_unit(
        model,
        office,
        "CivilizationOffice",
        f"{info.zh}精神文明建设办公室",
        f"{info.en} Civilization Office",
        key,
    )
    ctx.staff(model, office, "main-leader")
    if office == plants.CIV_OFFICE_STAFF_LEFT:
        ctx.staff(model, office, "staff", establishment=False, left_on=plants.CIV_STAFF_LEFT_ON)
    elif office != plants.CIV_OFFICE_NO_STAFF:
        ctx.staff(model, office, "staff", establishment=False)
    ctx.add_unit(
        model,
        f"{key}-jw",
        "DisciplineInspection",
        f"{info.zh}纪委监委",
        f"{info.en} Commission for Discipline Inspection",
        key,
    )
    ctx.staff(model, f"{key}-jw", "main-leader")
    ctx.add_unit(
        model,
        f"{key}-xnb",
        "EfficiencyOffice",
        f"{info.zh}效能办",
        f"{info.en} Efficiency Office",
        key,
    )
    ctx.staff(model, f"{key}-xnb", "main-leader")
    gov_key = bodies["government"]
    if creation == plants.CREATION_OFFICE_NO_SITE:
        ctx.plant(
            "CIV-3.1",
            unit(creation),
            model.accountable(gov_key),
            "District creation office without dedicated office space.",
        )
    if creation == plants.CREATION_OFFICE_SECONDED_LEFT:
        ctx.plant(
            "CIV-3.1",
            unit(creation),
            model.accountable(gov_key),
            "The creation office's only seconded staff member left on 2025-06-30.",
        )
    if office == plants.CIV_OFFICE_NO_STAFF:
        ctx.plant(
            "CIV-3.2",
            unit(office),
            model.accountable(office),
            "District civilization office without any non-establishment staff.",
        )
    if office == plants.CIV_OFFICE_STAFF_LEFT:
        ctx.plant(
            "CIV-3.2",
            unit(office),
            model.accountable(office),
            "The civilization office's non-establishment staff member left on "
            "2025-03-31 and was not replaced.",
        )

    departments = []
    result_names: dict[str, str] = {}
    for short, zh, en in DISTRICT_DEPARTMENTS:
        dept = f"{key}-{short}"
        departments.append(dept)
        ctx.add_unit(model, dept, "Department", f"{info.zh}{zh}", f"{info.en} {en}", key)
        result_names[dept] = f"{info.zh}{zh}"
        ctx.staff(model, dept, "main-leader")
        ctx.staff(model, dept, "liaison")

    result = DistrictPeople(key, [], [], [], departments, result_names)
    for number, place in enumerate(info.places):
        _build_place(
            ctx, model, key, place, district_leaders[number % len(district_leaders)], result
        )
    return result


def _build_place(
    ctx: Context,
    model: Model,
    district: str,
    place: Place,
    linker: Position,
    result: DistrictPeople,
) -> None:
    key = district + place.code
    cls = "Town" if place.town else "SubDistrict"
    ctx.add_unit(model, key, cls, place.zh, place.en, district)
    (result.towns if place.town else result.places).append(key)
    result.names[key] = place.zh
    if key == plants.SUBDISTRICT_LEADER_CHANGED[0]:
        main = ctx.staff(
            model, key, "main-leader", left_on=plants.SUBDISTRICT_LEADER_CHANGED[1], successor=True
        )
    else:
        main = ctx.staff(model, key, "main-leader")
    if key == plants.TOWN_DEPUTY_CHANGED[0]:
        deputy = ctx.staff(
            model, key, "deputy-leader", left_on=plants.TOWN_DEPUTY_CHANGED[1], successor=True
        )
    else:
        deputy = ctx.staff(model, key, "deputy-leader")
    if key != plants.NO_LIAISON:
        ctx.staff(model, key, "liaison")
    if key not in plants.NO_NON_ESTABLISHMENT:
        ctx.staff(model, key, "staff", establishment=False)
    if key == plants.LINKAGE_EXPIRED:
        ctx.link(model, key, linker, end=plants.LINKAGE_EXPIRED_ON)
    else:
        ctx.link(model, key, linker)

    if key == plants.NO_LIAISON:
        ctx.plant(
            "CIV-3.5",
            unit(key),
            model.accountable(key),
            "Sub-district that never designated a liaison.",
        )
    if key in plants.NO_NON_ESTABLISHMENT:
        ctx.plant(
            "CIV-3.4",
            unit(key),
            model.accountable(key),
            f"{'Town' if place.town else 'Sub-district'} without non-establishment staff.",
            severity="Warning",
        )
    if key == plants.LINKAGE_EXPIRED:
        ctx.plant(
            "CIV-4.2",
            unit(key),
            model.accountable(district),
            "The sub-district's only leader linkage expired on 2025-06-30.",
        )

    suffix = "村" if place.town else "社区"
    count = ctx.rng.randint(9, 13) if place.town else ctx.rng.randint(8, 12)
    for number, name in enumerate(_community_names(ctx, count, suffix), start=1):
        child = f"{key}{number:03d}"
        ctx.add_unit(model, child, "Village" if place.town else "Community", name, None, key)
        result.communities.append(child)
        ctx.staff(model, child, "main-leader")
        if child == plants.COMMUNITY_NO_LINKAGE:
            ctx.plant(
                "CIV-4.2",
                unit(child),
                model.accountable(key),
                "Community with no leader linkage at all.",
            )
        elif key == plants.VILLAGE_LEADER_LEFT_TOWN and number == 1:
            old = deputy.tenures[0]
            ctx.add_linkage(model, child, old.person, old.start, dt.date(2026, 12, 31))
            ctx.plant(
                "CIV-4.2",
                unit(child),
                model.accountable(key),
                "The village's linkage is still valid but its leader left the town's "
                "deputy post on 2025-04-30, so no current leader is linked.",
            )
        else:
            ctx.link(model, child, main if number % 2 else deputy)
