"""The published site in a real browser: headless Chromium (Debian's), driven by Playwright.

CI installs ``chromium``; without it this test fails with the reason rather than skipping.
"""

from __future__ import annotations

import functools
import http.server
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_history import CHEN, HULI, NIGHTS, SIMING, ZHANG, run_night

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def served_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Three nightly runs published, served on 127.0.0.1 by a local http.server."""
    for day, _ in NIGHTS:
        run_night(tmp_path, day)
    site = tmp_path / "site"
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", site
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.browser
def test_overview_to_unit_and_person_pages_in_chromium(
    served_site: tuple[str, Path], tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package to run this test")
    from playwright.sync_api import sync_playwright

    base, _site = served_site
    problems: list[str] = []
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.on(
            "console",
            lambda m: (
                problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
            ),
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on(
            "request",
            lambda r: outside.append(r.url) if not r.url.startswith(base) else None,
        )

        page.goto(base)  # the root redirects to the Chinese overview
        page.wait_for_url("**/zh/index.html")
        assert page.locator("html").get_attribute("lang") == "zh"
        assert page.locator("#count-new").inner_text() == "1"
        assert page.locator("#count-recurring").inner_text() == "1"
        assert page.locator("#count-escalated").inner_text() == "2"
        assert page.locator("figure.trend svg g.run").count() == len(NIGHTS)
        page.screenshot(path=str(tmp_path / "overview-zh.png"), full_page=True)

        # overview → unit, from the escalated findings (思明区: the 35-day-old liaison finding)
        page.locator("table.list td a[href*='/unit/']", has_text="思明区").first.click()
        page.wait_for_url(re.compile(r".*/zh/unit/unit-350203-[0-9a-f]{8}\.html(#f-[0-9a-f]+)?$"))
        assert page.locator("h1").inner_text() == "思明区"
        unit_text = page.locator("main").inner_text()
        assert SIMING in unit_text
        assert "各区、各部门要确定一名联络员。" in unit_text  # the clause, quoted
        assert "35 天" in unit_text  # age from the history
        assert "撤职" in unit_text  # escalated sanction
        assert "张伟" in unit_text and "主要负责人" in unit_text

        # unit → the accountable person's page
        page.get_by_role("link", name="张伟").first.click()
        page.wait_for_url("**/zh/person/*.html")
        assert page.locator("h1").inner_text() == "张伟"
        assert ZHANG in page.locator("main").inner_text()
        page.screenshot(path=str(tmp_path / "person-zh.png"), full_page=True)

        # switch to English on the same page
        page.get_by_role("link", name="English").click()
        page.wait_for_url("**/en/person/*.html")
        assert page.locator("html").get_attribute("lang") == "en"
        assert "A liaison is designated" in page.locator("main").inner_text()

        # English overview → the Huli district page (by-district table) → its new finding's person
        page.goto(base + "en/index.html")
        page.locator("#by-district a", has_text="Huli District").click()
        page.wait_for_url("**/en/district/*.html")
        district_text = page.locator("main").inner_text()
        assert HULI in district_text
        assert "Lujiang Road noise complaint" in district_text
        assert "14 days (first seen 2025-01-31)" in district_text
        page.screenshot(path=str(tmp_path / "huli-en.png"), full_page=True)
        page.get_by_role("link", name="陈磊").first.click()
        page.wait_for_url("**/en/person/*.html")
        assert CHEN in page.locator("main").inner_text()
        assert "responsible person" in page.locator("main").inner_text()
        browser.close()

    assert problems == []
    assert outside == []
    assert (tmp_path / "overview-zh.png").stat().st_size > 10_000
