"""The published static site: complete, bilingual, escaped, self-contained, written atomically."""

from __future__ import annotations

import re
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

from test_history import (
    LABELS,
    NIGHTS,
    OBLIGATIONS,
    SIMING,
    XM,
    FakeCheck,
    make_finding,
    make_report,
    run_night,
)

from civgraph.history import compare
from civgraph.site import SiteInput, code_page_name, page_name, write_site


class Links(HTMLParser):
    """Collects every src/href of a page and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.fixture
def three_nights(tmp_path: Path) -> Path:
    for day, _ in NIGHTS:
        result = run_night(tmp_path, day)
    assert result.report.findings
    return tmp_path / "site"


def test_a_page_for_every_district_unit_code_and_person_in_both_languages(
    three_nights: Path,
) -> None:
    _day, findings = NIGHTS[-1]
    districts = {f.district for f in findings if f.district}
    units = {f.unit for f in findings if f.unit}
    people = {a.person for f in findings for a in f.accountable}
    for lang in ("zh", "en"):
        root = three_nights / lang
        assert (root / "index.html").is_file()
        for district in districts:
            assert (root / "district" / f"{page_name(district)}.html").is_file()
        for unit in units:
            page = root / "unit" / f"{page_name(unit)}.html"
            assert LABELS[unit][lang] in page.read_text(encoding="utf-8")
        for code in OBLIGATIONS:
            page = root / "code" / f"{code_page_name(code)}.html"
            assert OBLIGATIONS[code].clause_quote[lang] in page.read_text(encoding="utf-8")
        for person in people:
            page = root / "person" / f"{page_name(person)}.html"
            assert LABELS[person]["zh"] in page.read_text(encoding="utf-8")
    # exactly those: no page for the unit whose only finding was resolved
    assert len(list((three_nights / "zh" / "unit").iterdir())) == len(units)
    assert len(list((three_nights / "zh" / "person").iterdir())) == len(people)


def test_every_link_resolves_and_every_page_links_to_its_other_language(
    three_nights: Path,
) -> None:
    for page in pages(three_nights):
        links = parse(page)
        for url in links.urls:
            if url.startswith("data:"):
                continue
            target = (page.parent / unquote(urlsplit(url).path)).resolve()
            assert target.is_file(), f"{page}: broken link {url}"
        relative = page.relative_to(three_nights)
        if relative.parts[0] in ("zh", "en"):
            other = "en" if relative.parts[0] == "zh" else "zh"
            twin = Path(other, *relative.parts[1:])
            assert any(
                (page.parent / u).resolve() == (three_nights / twin).resolve() for u in links.urls
            ), f"{page} has no link to {twin}"


def test_no_page_loads_anything_from_elsewhere(three_nights: Path) -> None:
    checked = 0
    for page in [*pages(three_nights), *three_nights.rglob("*.css")]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", text, re.I), page
        assert not re.search(r"url\(\s*[\"']?(https?:)?//", text, re.I), page
        assert "@import" not in text and "@font-face" not in text
        checked += 1
    assert checked > 20


def test_strings_from_the_data_are_escaped(tmp_path: Path) -> None:
    evil_unit = XM + "unit-350299"
    evil_person = XM + "person-000666"
    labels = dict(LABELS)
    labels[evil_unit] = {"zh": "<script>alert('区')</script> & 公司", "en": "<b>bold</b> & co"}
    labels[evil_person] = {"zh": '张"三"<img src=x onerror=alert(1)>'}
    finding = make_finding(
        "CIV-3.5",
        evil_unit,
        unit=evil_unit,
        district=evil_unit,
        people=[("main_leader", evil_person)],
        value="<script>x</script>",
        message={"zh": "缺少联络员 <script>alert(2)</script>", "en": "no liaison & <i>x</i>"},
    )
    report = make_report(date(2025, 5, 1), [finding], labels=labels)
    comparison = compare(
        as_of=report.as_of,
        findings=report.findings,
        past=[],
        previous_findings=[],
        obligations=report.obligations,
        persisting_escalation_days=30,
    )
    site = tmp_path / "site"
    write_site(site, SiteInput(report=report, comparison=comparison, trend=[]))
    for page in pages(site):
        links = parse(page)
        assert links.scripts == 0, page
        html = page.read_text(encoding="utf-8")
        assert "<script>" not in html and "<img" not in html and "<b>" not in html
    unit_page = (site / "zh" / "unit" / f"{page_name(evil_unit)}.html").read_text("utf-8")
    assert "&lt;script&gt;alert(&#39;区&#39;)&lt;/script&gt; &amp; 公司" in unit_page
    assert "缺少联络员 &lt;script&gt;alert(2)&lt;/script&gt;" in unit_page
    person_page = site / "zh" / "person" / f"{page_name(evil_person)}.html"
    assert "张&#34;三&#34;&lt;img src=x onerror=alert(1)&gt;" in person_page.read_text("utf-8")
    en_unit = (site / "en" / "unit" / f"{page_name(evil_unit)}.html").read_text("utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in en_unit
    assert "no liaison &amp; &lt;i&gt;x&lt;/i&gt;" in en_unit
    # and the text a reader sees is the label itself
    assert "<script>alert('区')</script> & 公司" in "".join(parse(site / "zh" / "units.html").text)


def test_file_names_are_stable_slugs_with_a_short_hash() -> None:
    name = page_name(SIMING)
    assert re.fullmatch(r"unit-350203-[0-9a-f]{8}", name)
    assert page_name(SIMING) == name
    assert page_name(SIMING + "x") != name
    assert page_name(XM + "unit/350203") != page_name(XM + "unit-350203")
    assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{8}", page_name("urn:x:中文/路径?a=<b>"))
    assert code_page_name("CIV-3.5") == "CIV-3.5"


def test_overview_shows_counts_by_severity_and_code_and_the_trend(three_nights: Path) -> None:
    overview = parse(three_nights / "en" / "index.html")
    text = " ".join(" ".join(overview.text).split())
    assert "as of 2025-02-14" in text
    assert "New, resolved and open findings per run" in text
    html = (three_nights / "en" / "index.html").read_text(encoding="utf-8")
    assert html.count('<g class="run">') == len(NIGHTS)
    assert "2025-01-10 — new 4, resolved 0, open 4" in html
    assert "2025-01-31 — new 1, resolved 2, open 3" in html
    assert "2025-02-14 — new 2, resolved 1, open 4" in html  # F new, C back
    by_code = html[html.index('id="by-code"') :]
    assert re.search(
        r"CIV-3\.5</a></td><td>A liaison is designated</td><td class=\"num\">2<", by_code
    )
    zh = (three_nights / "zh" / "index.html").read_text(encoding="utf-8")
    assert "趋势" in zh and "确定联络员" in zh


def test_the_report_files_are_published_with_the_site(three_nights: Path) -> None:
    reports = three_nights / "reports"
    assert sorted(p.name for p in reports.iterdir()) == [
        "report.en.csv",
        "report.en.json",
        "report.ttl",
        "report.zh.csv",
        "report.zh.json",
    ]
    import json

    document = json.loads((reports / "report.zh.json").read_text(encoding="utf-8"))
    assert document["as_of"] == "2025-02-14"
    escalated = {f["key"] for f in document["findings"] if f["escalated"]}
    assert len(escalated) == 2
    assert "撤职" in (reports / "report.zh.csv").read_text(encoding="utf-8")


def test_a_failed_build_leaves_the_published_site_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = FakeCheck(NIGHTS)
    run_night(tmp_path, NIGHTS[0][0], check)
    site = tmp_path / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    import civgraph.site.build as build

    def broken(self: object, folder: Path, *args: object, **kwargs: object) -> None:
        (folder / "zh").mkdir(exist_ok=True)
        (folder / "zh" / "index.html").write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(build._Site, "render", broken)
    with pytest.raises(OSError, match="disk full"):
        run_night(tmp_path, NIGHTS[1][0], check)
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")] == []
    from civgraph.history import History

    assert [e.as_of for e in History(tmp_path / "history").entries()] == [NIGHTS[0][0]]


def test_a_site_reached_through_a_symlink_is_updated_and_the_link_kept(tmp_path: Path) -> None:
    check = FakeCheck(NIGHTS)
    real = tmp_path / "www" / "civgraph-2025"
    real.mkdir(parents=True)
    (tmp_path / "site").symlink_to(real, target_is_directory=True)
    run_night(tmp_path, NIGHTS[0][0], check)
    run_night(tmp_path, NIGHTS[1][0], check)
    assert (tmp_path / "site").is_symlink()
    assert "2025-01-31" in (real / "zh" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "www").iterdir()) == ["civgraph-2025"]


@given(st.text(min_size=1, max_size=200), st.text(min_size=1, max_size=200))
@settings(max_examples=300)
def test_any_iri_gives_a_safe_stable_name(first: str, second: str) -> None:
    name = page_name(first)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*-[0-9a-f]{8}|item-[0-9a-f]{8}", name)
    assert len(name) <= 48 + 9
    assert page_name(first) == name
    if first != second:
        assert page_name(second) != name


def test_the_site_speaks_both_languages_with_the_same_words() -> None:
    from civgraph.site.build import messages

    words = messages()
    assert words["zh"].keys() == words["en"].keys()
    assert all(words["zh"].values()) and all(words["en"].values())
    assert words["zh"]["overview"] != words["en"]["overview"]
