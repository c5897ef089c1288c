"""End to end: `streamlit run app.py` on a free local port, opened in real headless Chromium (Playwright).

Screenshots go to tests/artifacts/ (git-ignored).  Skipped when /usr/bin/chromium or Playwright is absent.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from _browser import ARTIFACTS, CHROMIUM, NEEDS_CHROMIUM, streamlit_server

from indicators.present.i18n import t

pytestmark = NEEDS_CHROMIUM
__all__ = ["CHROMIUM", "server"]  # imported by other browser tests


@pytest.fixture(scope="module")
def server(demo_db_session, tmp_path_factory):
    """A streamlit server on the demo store; always stopped at the end."""
    with streamlit_server(demo_db_session, tmp_path_factory.mktemp("server")) as (base, _log):
        yield base


def _open(browser, url: str, shot: str, wait_table: bool = False) -> tuple[str, int]:
    """Load a page, wait for charts to draw, save a screenshot; return the page text and the number of charts."""
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        if wait_table:
            page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=30_000)
        page.wait_for_timeout(1500)  # let the last charts lay out
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / shot))
        text = page.inner_text("body")
        charts = page.locator(".js-plotly-plot").count()
        return text, charts
    finally:
        page.close()


# What a visitor who has not signed in finds in the sidebar: (title key, URL path), in this order, each once.
VIEWER_NAVIGATION = [("nav.overview", "/"), ("nav.area", "/area"), ("nav.compare", "/compare"), ("nav.map", "/map"),
                     ("nav.tourism", "/tourism"), ("nav.reporting", "/reporting"), ("nav.methods", "/methods"),
                     ("nav.sign_in", "/signin")]


def test_deep_links_of_a_fresh_server_open_their_page_and_list_only_the_navigation(demo_db_session, tmp_path,
                                                                                   browser):
    """The first sessions of a fresh server process, each opened by a deep link, draw the linked page under app.py's
    frame; the sidebar lists exactly app.py's pages.  (With a ``pages/`` folder beside app.py, Streamlit's legacy
    mode would run the first session: "Page not found" over the page, and helper files reachable as pages.)"""
    links = [("/area?area=9303", "อ.เขาชัยสน", "th"), ("/signin", t("auth.title", "th"), "th"),
             ("/methods?lang=en", t("methods.title", "en"), "en")]
    with streamlit_server(demo_db_session, tmp_path, drop_env=("WELLBEING_REQUIRE_LOGIN",)) as (base, _log):
        for link, heading, lang in links:
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            try:
                page.goto(f"{base}{link}", wait_until="domcontentloaded")
                page.wait_for_selector("h1", timeout=60_000)
                page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                       timeout=60_000)
                page.wait_for_timeout(1000)  # a late navigation message or dialog would have come by now
                assert urlparse(page.url).path == urlparse(link).path
                assert page.locator("h1").first.inner_text() == heading
                assert page.locator("[role='dialog']").count() == 0, page.locator("[role='dialog']").all_inner_texts()
                entries = page.locator("[data-testid='stSidebarNav'] [data-testid='stSidebarNavLink']")
                titles = entries.locator("[data-testid='stMarkdownContainer']").all_inner_texts()
                paths = [urlparse(href).path for href in entries.evaluate_all("links => links.map(a => a.href)")]
                assert titles == [t(key, lang) for key, _ in VIEWER_NAVIGATION]
                assert paths == [path for _, path in VIEWER_NAVIGATION]
            finally:
                page.close()


def test_district_page(server, browser):
    """A deep link to the district page, with its table."""
    text, charts = _open(browser, f"{server}/area?area=9303", "district_9303.png", wait_table=True)
    assert "อ.เขาชัยสน" in text
    assert "ตารางความก้าวหน้า" in text
    assert charts > 0


def test_overview_in_thai(server, browser):
    text, charts = _open(browser, f"{server}/", "overview.png")
    assert "พัทลุงมหานครแห่งความสุข" in text
    assert "สถานะรายอำเภอ" in text  # the heat-map's heading
    assert charts > 0


def test_english_map(server, browser):
    text, charts = _open(browser, f"{server}/map?lang=en", "map_en.png")
    assert "schematic" in text
    assert charts > 0


@pytest.mark.parametrize("path,shot,expect", [
    ("/compare", "compare.png", "เปรียบเทียบพื้นที่"),
    ("/reporting", "reporting.png", "สถานะการรายงานของตำบล"),
    ("/methods?lang=en", "methods_en.png", "Worked example"),
])
def test_other_pages(server, browser, path, shot, expect):
    text, charts = _open(browser, f"{server}{path}", shot)
    assert expect in text
    assert charts > 0


@pytest.mark.parametrize("width,lang", [(1440, "th"), (390, "en")])
def test_incomplete_years_are_drawn_hollow(server, browser, width, lang):
    """District 9311: one of its councils has sent the happiness survey only this year, so earlier years of its
    district score are incomplete: hollow points beside the line, with the coverage in the hover."""
    page = browser.new_page(viewport={"width": width, "height": 3000})
    try:
        page.goto(f"{server}/area?area=9311&lang={lang}", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        hollow = page.wait_for_function("""() => {
            for (const gd of document.querySelectorAll('.js-plotly-plot')) {
                for (const tr of gd.data || []) {
                    if (tr.marker && tr.marker.symbol === 'circle-open' && tr.x && tr.x.length) {
                        return {n: tr.x.length, hover: String(tr.customdata && tr.customdata[0]),
                                legend: tr.name};
                    }
                }
            }
            return null;
        }""", timeout=60_000).json_value()
        assert hollow["n"] >= 1
        assert ("subdistricts" in hollow["hover"]) if lang == "en" else ("ตำบล" in hollow["hover"])
        page.wait_for_timeout(1500)  # let the last charts lay out
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"incomplete_9311_{lang}_{width}.png"))
    finally:
        page.close()


@pytest.mark.parametrize("width,height,lang", [(1440, 900, "th"), (1440, 900, "en"), (390, 844, "th"),
                                               (390, 844, "en")])
def test_overview_headline_and_district_bar_come_first(server, browser, width, height, lang):
    """Issue 18: the first screen says where the province stands and which districts lag.  At 1440 px the headline
    and the ranked district bar are above the fold; at 390 px the headline fills the first screen and the bar comes
    next, its names taking well under two thirds of its width.  Screenshots of the first screen and the page."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{server}/?lang={lang}", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        page.wait_for_timeout(1500)  # let the last charts lay out
        box = page.locator(".st-key-headline")  # the headline's container (st.container(key="headline"))
        text = box.inner_text(timeout=5_000)
        assert ("Districts furthest behind" if lang == "en" else "อำเภอที่ห่างเป้าหมายมากที่สุด") in text
        assert ("community councils have reported" if lang == "en" else "สภาองค์กรชุมชนส่งข้อมูลแล้ว") in text
        head = box.bounding_box()
        assert head["y"] + head["height"] <= height, "the whole headline is on the first screen"
        bar = page.evaluate("""() => {
            for (const gd of document.querySelectorAll('.js-plotly-plot')) {
                if ((gd.data || []).some(tr => tr.type === 'bar' && (tr.y || []).includes('93'))) {
                    const r = gd.getBoundingClientRect();
                    const ticks = [...gd.querySelectorAll('.yaxislayer-above .ytick text')].map(
                        e => e.getBoundingClientRect());
                    return {top: r.top, width: r.width, keys: gd.layout.yaxis.tickvals,
                            labels: Math.max(...ticks.map(b => b.right)) - Math.min(...ticks.map(b => b.left))};
                }
            }
            return null;
        }""")
        assert bar is not None, "the ranked district bar"
        assert bar["keys"][0] == "93" and len(bar["keys"]) == 12 and all(k.startswith("93") for k in bar["keys"])
        assert bar["labels"] < bar["width"] * 2 / 3 * (0.6 if width > 1000 else 1)
        if width > 1000:
            assert bar["top"] < height - 200, "the bar starts above the fold"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"overview_{lang}_{width}.png"))
    finally:
        page.close()
