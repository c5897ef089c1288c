"""Downloads in the dashboard (issue 7): every chart and table on every page has its download menu, the bytes are
made only on click, and clicking (running the very callable the page gave the button) gives valid files:
a finished PNG, a CSV with a BOM, an xlsx openpyxl opens, Parquet, and the one-click area report."""

from __future__ import annotations

import io
import json
import re
import struct
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.present import exports
from tests.test_browser import server  # noqa: F401 - the demo server fixture, reused
from tests.test_pages import APP, PAGES, _run

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def app(monkeypatch, demo_db_session, deferred):
    monkeypatch.setenv("WELLBEING_DB", str(demo_db_session))
    return AppTest.from_file(str(APP), default_timeout=60)


def _buttons(at: AppTest) -> dict:
    return {b.key: b for b in at.get("download_button")}


def _click(at: AppTest, deferred: dict, key: str) -> bytes:
    """What the browser gets when the button ``key`` is clicked: Streamlit runs the registered callable."""
    button = _buttons(at)[key]
    assert button.proto.deferred_file_id, f"{key}: the bytes must be made on click, not at page run"
    data = deferred[button].make()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_and_table_has_its_downloads(app, page):
    at = _run(app, page, area="9303") if page.endswith("area.py") else _run(app, page)
    keys = set(_buttons(at))
    charts = at.get("plotly_chart")
    figure_keys = {k.rsplit("_", 1)[0] for k in keys if k.startswith("dl_") and k.endswith("_png")}
    assert len(figure_keys) == len(charts), (page, sorted(figure_keys))
    for k in figure_keys:
        assert {f"{k}_{f}" for f in exports.FIGURE_FORMATS} <= keys
    table_keys = {k.rsplit("_", 1)[0] for k in keys if k.startswith("dl_") and k.endswith("_xlsx")}
    assert len(table_keys - figure_keys) == len(at.dataframe), (page, sorted(table_keys))
    for k in table_keys:
        assert {f"{k}_{f}" for f in exports.TABLE_FORMATS} <= keys
    # every button is lazy, and they sit in compact "ดาวน์โหลด" menus
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))
    menus = [b for b in at.get("popover")]
    assert menus and all("ดาวน์โหลด" in m.proto.popover.label for m in menus)


def test_page_runs_make_no_file(app, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an export was made during a page run")

    monkeypatch.setattr(exports, "figure_bytes", refuse)
    monkeypatch.setattr(exports, "table_bytes", refuse)
    for page in PAGES:
        _run(app, page)


def _layout(html: str) -> dict:
    """The layout of the figure in a plotly HTML export: ``Plotly.newPlot("id", [data], {layout}, {config})``."""
    decoder = json.JSONDecoder()
    start = html.index("[", html.index("Plotly.newPlot("))
    _data, end = decoder.raw_decode(html, start)
    layout, _ = decoder.raw_decode(html, html.index("{", end))
    return layout


def _png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


def test_chart_png_is_finished_for_a_report(app, deferred):
    at = _run(app)
    png = _click(at, deferred, "dl_trend_png")
    assert png.startswith(PNG_SIGNATURE)
    w, h = _png_size(png)
    assert w >= 1500 and h >= 500  # drawn at 2×
    # what the figure carries (the HTML export shows the same finished figure, as text)
    html = _click(at, deferred, "dl_trend_html").decode("utf-8")
    spec = _layout(html)
    text = json.dumps(spec, ensure_ascii=False)
    assert "ดัชนี" in spec["title"]["text"]  # the section title, in Thai
    assert "จ.พัทลุง" in spec["title"]["subtitle"]["text"]  # the area
    assert re.search(r"พ\.ศ\. 25\d\d–25\d\d", spec["title"]["subtitle"]["text"])  # BE years
    assert "ที่มา:" in text and "ข้อมูลสาธิต / demo data" in text  # source line and demo mark
    assert "Noto Sans Thai" in spec["font"]["family"]
    assert "<script" in html and not re.search(r"<script[^>]+src=", html)  # plotly inlined: opens offline


def test_indicator_chart_in_english_names_indicator_unit_and_source(app, deferred):
    at = _run(app, "app_pages/compare.py", lang="en")  # the first indicator, every district
    html = _click(at, deferred, "dl_ranking_html").decode("utf-8")
    assert "Ranking," in html and "Unit:" in html and " BE" in html and "Source:" in html
    svg = _click(at, deferred, "dl_ranking_svg")
    assert b"<svg" in svg[:2000]
    table = pd.read_csv(io.BytesIO(_click(at, deferred, "dl_ranking_csv")), encoding="utf-8-sig")
    assert len(table) == 11 and table.iloc[0, 0] == 1  # rank 1 first, every district


def test_area_tables_download_as_csv_xlsx_and_parquet(app, deferred):
    from openpyxl import load_workbook

    at = _run(app, "app_pages/area.py", area="9303")
    csv = _click(at, deferred, "dl_progress_csv")
    assert csv.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows Thai
    frame = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert len(frame) == 18 and "ตัวชี้วัด / Indicator" in frame.columns

    wb = load_workbook(io.BytesIO(_click(at, deferred, "dl_progress_xlsx")))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "ตัวชี้วัด" and rows[1][0] == "Indicator"  # Thai header above English
    assert len(rows) == 2 + 18
    years = rows[0].index("ปีล่าสุด")
    assert all(isinstance(r[years], int) for r in rows[2:])  # numbers are numbers, not text

    parquet = pd.read_parquet(io.BytesIO(_click(at, deferred, "dl_progress_parquet")))
    assert len(parquet) == 18

    values = pd.read_parquet(io.BytesIO(_click(at, deferred, "dl_traj_poverty_parquet")))
    assert set(values.area_code) == {"9303"} and values.year_be.min() >= 2500
    assert {"indicator_name", "unit", "value"} <= set(values.columns)


def test_area_report_buttons(app, deferred):
    at = _run(app, "app_pages/area.py", area="9303")
    buttons = _buttons(at)
    assert {"report_pdf", "report_html"} <= set(buttons)
    pdf = deferred[buttons["report_pdf"]]
    assert pdf.file_name == "wellbeing_report_th_9303.pdf"
    assert pdf.mime == "application/pdf"
    html = _click(at, deferred, "report_html").decode("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "เขาชัยสน" in html and 'lang="th"' in html
    at.radio(key="lang").set_value("en").run()
    html = _click(at, deferred, "report_html").decode("utf-8")
    assert 'lang="en"' in html and "Khao Chaison" in html


def test_report_buttons_for_the_province_and_a_subdistrict(app, deferred):
    at = _run(app, "app_pages/area.py")
    assert {"report_pdf", "report_html"} <= set(_buttons(at))  # the province, by default
    at.selectbox(key="area").set_value("930307").run()
    assert not at.exception
    assert "โคกม่วง" in _click(at, deferred, "report_html").decode("utf-8")


@pytest.mark.slow
def test_area_report_pdf(app, deferred):
    at = _run(app, "app_pages/area.py", area="9303")
    pdf = _click(at, deferred, "report_pdf")
    assert pdf.startswith(b"%PDF-") and re.search(rb"/Type\s*/Page\b", pdf)


# ---------------------------------------------------------------------------------------------- in a real browser


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium is absent")
def test_download_menu_in_the_browser(server, browser):  # noqa: F811 - the imported fixture
    """The area page with its closed menus (they must not clutter it), one menu open, and a real PNG download."""
    from tests.test_browser import ARTIFACTS

    page = browser.new_page(viewport={"width": 1400, "height": 2600}, accept_downloads=True)
    try:
        page.goto(f"{server}/area?area=9303", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=30_000)
        page.wait_for_timeout(1500)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "downloads_area_9303.png"))
        menus = page.locator("[data-testid='stPopover'] button", has_text="ดาวน์โหลด")
        assert menus.count() >= 3  # the heat-map, the trajectories (open tab), the progress table
        assert page.get_by_role("button", name=re.compile("รายงานพื้นที่ · PDF")).count() == 1
        menus.first.click()
        button = page.get_by_role("button", name=re.compile(r"PNG \(ความละเอียด 2 เท่า\)"))
        button.first.wait_for(timeout=10_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "downloads_menu_open.png"))
        with page.expect_download(timeout=60_000) as info:
            button.first.click()
        download = info.value
        assert download.suggested_filename == "wellbeing_sub_heatmap_9303.png"
        data = Path(download.path()).read_bytes()
        assert data.startswith(PNG_SIGNATURE) and _png_size(data)[0] >= 1500
    finally:
        page.close()
