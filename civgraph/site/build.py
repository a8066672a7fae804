"""Building the static site: two language trees (``zh/`` default, ``en/``), written atomically.

Layout of a site folder::

    index.html                 → zh/index.html
    zh/index.html              overview: counts, trend chart, changes since the previous run
    zh/codes.html, zh/units.html, zh/people.html
    zh/code/CIV-3.5.html       one page per obligation (clause quoted)
    zh/district/<name>.html    one page per district with findings
    zh/unit/<name>.html        one page per unit in charge of a finding
    zh/person/<name>.html      one page per accountable person
    en/…                       the same pages in English
    static/site.css            the only style sheet (no fonts, scripts or images from elsewhere)
    reports/                   the report files (SHACL Turtle, JSON, CSV)

Every page links to the same page in the other language. File names come from IRIs
(:mod:`civgraph.site.names`). Templates run with autoescaping on, so every string from the
data is HTML-escaped.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from civgraph import atomic
from civgraph.findings import CheckReport, Due, Finding, Obligation
from civgraph.history import Comparison, Tracked, TrendPoint
from civgraph.progress import Progress
from civgraph.site.chart import layout
from civgraph.site.names import code_page_name, page_name

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
_SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}
_CODE = re.compile(r"^CIV-(\d+)\.(\d+)$")
#: The overview lists at most this many findings per table (the rest are on the other pages).
OVERVIEW_ROWS = 100


@dataclass(frozen=True, kw_only=True)
class SiteInput:
    """What one site shows: a run's report, its comparison with history, the trend."""

    report: CheckReport
    comparison: Comparison
    trend: Sequence[TrendPoint]
    #: files published under ``reports/`` (name → bytes)
    downloads: Mapping[str, bytes] = field(default_factory=dict)


def code_order(code: str) -> tuple[int, int, str]:
    match = _CODE.match(code)
    return (int(match.group(1)), int(match.group(2)), code) if match else (999, 999, code)


def messages() -> dict[str, dict[str, str]]:
    """The site's own words, per language (``messages.toml``)."""
    text = resources.files("civgraph.site").joinpath("messages.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    return {lang: {str(k): str(v) for k, v in raw[lang].items()} for lang in LANGS}


def environment() -> jinja2.Environment:
    """The template environment: autoescape on for everything, undefined names are errors."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("civgraph.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass
class _Groups:
    """The run's findings grouped the ways the pages need them."""

    by_district: dict[str | None, list[Tracked]] = field(default_factory=lambda: defaultdict(list))
    by_unit: dict[str, list[Tracked]] = field(default_factory=lambda: defaultdict(list))
    by_person: dict[str, list[Tracked]] = field(default_factory=lambda: defaultdict(list))
    by_code: dict[str, list[Tracked]] = field(default_factory=lambda: defaultdict(list))
    unit_district: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, tracked: Iterable[Tracked]) -> _Groups:
        groups = cls()
        for item in tracked:
            finding = item.finding
            groups.by_district[finding.district].append(item)
            groups.by_code[finding.code].append(item)
            if finding.unit is not None:
                groups.by_unit[finding.unit].append(item)
                groups.unit_district.setdefault(finding.unit, finding.district)
            for person in finding.persons:
                groups.by_person[person].append(item)
        return groups


class _Site:
    def __init__(self, data: SiteInput) -> None:
        self.data = data
        self.report = data.report
        self.env = environment()
        self.words = messages()
        self.tracked = sorted(data.comparison.tracked, key=self._order)
        self.groups = _Groups.of(self.tracked)
        codes = set(self.report.obligations) | set(self.groups.by_code)
        self.codes = sorted(codes, key=code_order)
        #: Each finding's card, by language, the pages' depth and the finding's key: a finding
        #: is shown on its code's page, its unit's, its districts' and each accountable
        #: person's, and its card reads the same on each (4,000 findings: 20 s → 4 s).
        self._cards: dict[tuple[str, str, str], str] = {}
        self._card_makers: dict[tuple[str, str], Callable[[Tracked], str]] = {}

    def _order(self, item: Tracked) -> tuple[Any, ...]:
        f = item.finding
        return (
            _SEVERITY_RANK.get(f.severity, 9),
            code_order(f.code),
            self.report.label(f.focus, DEFAULT_LANG),
            f.key,
        )

    # -- helpers handed to the templates ----------------------------------------------------

    def context(self, lang: str, page: str) -> dict[str, Any]:
        depth = page.count("/")
        root = "../" * (depth + 1)
        other = next(x for x in LANGS if x != lang)
        words = self.words[lang]
        report = self.report

        def label(iri: str | None) -> str:
            return report.label(iri, lang)

        def short(iri: str) -> str:
            """The label, else the IRI's last segment (``clause-6``) rather than the whole IRI."""
            name = label(iri)
            return name if name != iri else re.split(r"[/#]", iri.rstrip("/#"))[-1]

        def link(kind: str, key: str) -> str:
            name = code_page_name(key) if kind == "code" else page_name(key)
            return f"{root}{lang}/{kind}/{name}.html"

        def message(finding: Finding) -> str:
            return finding.message.get(lang) or next(iter(finding.message.values()), "")

        def role(name: str) -> str:
            return words.get(f"role_{name}", name)

        def text(pick: Mapping[str, str]) -> str:
            return pick.get(lang) or next(iter(pick.values()), "")

        def obligation(code: str) -> Obligation | None:
            return report.obligations.get(code)

        def roles_of(finding: Finding, person: str) -> list[str]:
            return [role(a.role) for a in finding.accountable if a.person == person]

        values: dict[str, Any] = {
            "lang": lang,
            "other": other,
            "other_name": self.words[other]["lang_name"],
            "page": page,
            "root": root,
            "t": words,
            "report": report,
            "comparison": self.data.comparison,
            "label": label,
            "short": short,
            "link": link,
            "message": message,
            "role": role,
            "text": text,
            "obligation": obligation,
            "roles_of": roles_of,
            "has_page": self._has_page,
        }

        def card(item: Tracked) -> str:
            key = (lang, root, item.key)
            if key not in self._cards:
                maker = self._card_makers.get((lang, root))
                if maker is None:
                    module = self.env.get_template("_finding.html").make_module(values)
                    maker = self._card_makers[(lang, root)] = module.card  # type: ignore[attr-defined]
                self._cards[key] = maker(item)
            return self._cards[key]

        values["card"] = card
        return values

    def _has_page(self, kind: str, key: str | None) -> bool:
        if key is None:
            return False
        if kind == "district":
            return key in self.groups.by_district
        if kind == "unit":
            return key in self.groups.by_unit
        if kind == "person":
            return key in self.groups.by_person
        return kind == "code"

    # -- writing ----------------------------------------------------------------------------

    def render(self, folder: Path, template: str, lang: str, page: str, **values: Any) -> None:
        html = self.env.get_template(template).render(**self.context(lang, page), **values)
        path = folder / lang / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")

    def write(self, folder: Path, *, progress: Progress | None = None) -> list[Path]:
        """Write every page of both languages into ``folder``; returns the pages written."""
        static = folder / "static"
        static.mkdir(parents=True)
        source = resources.files("civgraph.site").joinpath("static")
        for item in source.iterdir():
            if item.is_file():
                (static / item.name).write_bytes(item.read_bytes())
        reports = folder / "reports"
        reports.mkdir()
        for name, data in self.data.downloads.items():
            (reports / name).write_bytes(data)
        (folder / "index.html").write_text(
            self.env.get_template("redirect.html").render(
                target=f"{DEFAULT_LANG}/index.html", words=self.words
            ),
            encoding="utf-8",
        )
        chart = layout(self.data.trend)
        severities = Counter(t.finding.severity for t in self.tracked)
        code_counts = {
            code: Counter(t.finding.severity for t in self.groups.by_code.get(code, []))
            for code in self.codes
        }
        district_rows = sorted(
            self.groups.by_district.items(),
            key=lambda kv: (kv[0] is None, self.report.label(kv[0], DEFAULT_LANG)),
        )
        due_rows = _due_by_code(self.report)
        jobs: list[tuple[str, str, str, dict[str, Any]]] = []
        for lang in LANGS:
            pages: list[tuple[str, str, dict[str, Any]]] = [
                (
                    "overview.html",
                    "index.html",
                    {
                        "chart": chart,
                        "severities": severities,
                        "code_counts": code_counts,
                        "codes": self.codes,
                        "district_rows": district_rows,
                        "downloads": sorted(self.data.downloads),
                        "changed": [t for t in self.tracked if t.status != "persisting"],
                        "escalated": [t for t in self.tracked if t.escalation is not None],
                        "limit": OVERVIEW_ROWS,
                        "due_rows": due_rows,
                    },
                ),
                ("codes.html", "codes.html", {"codes": self.codes, "code_counts": code_counts}),
                (
                    "units.html",
                    "units.html",
                    {
                        "units": self._sorted_keys(self.groups.by_unit, lang),
                        "groups": self.groups,
                    },
                ),
                (
                    "people.html",
                    "people.html",
                    {
                        "people": self._sorted_keys(self.groups.by_person, lang),
                        "groups": self.groups,
                    },
                ),
            ]
            for code in self.codes:
                pages.append(
                    (
                        "code.html",
                        f"code/{code_page_name(code)}.html",
                        {"code": code, "items": self.groups.by_code.get(code, [])},
                    )
                )
            for kind, grouped in (
                ("district", self.groups.by_district),
                ("unit", self.groups.by_unit),
                ("person", self.groups.by_person),
            ):
                for key, items in grouped.items():
                    if key is None:
                        continue
                    pages.append(
                        (
                            "entity.html",
                            f"{kind}/{page_name(key)}.html",
                            {"kind": kind, "key": key, "items": items, "groups": self.groups},
                        )
                    )
            jobs.extend((lang, template, page, values) for template, page, values in pages)
        written: list[Path] = []
        steps = (
            progress.track(jobs, description="writing the site's pages")
            if progress is not None
            else jobs
        )
        for lang, template, page, values in steps:
            self.render(folder, template, lang, page, **values)
            written.append(folder / lang / page)
        return written

    def _sorted_keys(self, grouped: Mapping[str, Sequence[Tracked]], lang: str) -> list[str]:
        return sorted(grouped, key=lambda iri: (self.report.label(iri, lang), iri))


@dataclass(frozen=True, kw_only=True)
class DueRow:
    """The duties of one code that are not yet due: how many, and the earliest."""

    code: str
    count: int
    first: Due


def _due_by_code(report: CheckReport) -> list[DueRow]:
    grouped: dict[str, list[Due]] = defaultdict(list)
    for due in report.due:
        grouped[due.code].append(due)
    return [
        DueRow(code=code, count=len(items), first=min(items, key=lambda d: d.due_by))
        for code, items in sorted(grouped.items(), key=lambda kv: code_order(kv[0]))
    ]


def render_site(folder: Path, data: SiteInput, *, progress: Progress | None = None) -> list[Path]:
    """Write the site into an empty or new ``folder`` (not atomic; see :func:`write_site`)."""
    folder.mkdir(parents=True, exist_ok=True)
    return _Site(data).write(folder, progress=progress)


def write_site(
    target: Path,
    data: SiteInput,
    *,
    before_swap: Callable[[], None] | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Build the site beside ``target`` and swap it in, so readers never see half a site.

    ``before_swap`` runs after the new tree is complete and flushed and before it replaces the
    old one (the nightly run commits its history there). Returns the pages written.
    """
    if target.is_symlink():
        # a published folder reached through a symlink: replace the folder it points to, and
        # keep the link (and the web server's configuration) as it is
        target = target.resolve()
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_dir():
        from civgraph.errors import InputError

        raise InputError(f"{target}: the site must be a folder")
    atomic.sweep_scratch(parent, name=target.name)
    scratch = atomic.scratch_dir(parent, target.name)
    try:
        pages = render_site(scratch, data, progress=progress)
        atomic.fsync_tree(scratch)
        if before_swap is not None:
            before_swap()
        atomic.swap_directory(scratch, target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return [target / p.relative_to(scratch) for p in pages]
