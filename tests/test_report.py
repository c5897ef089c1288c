"""The trajectory chart, chart_figure for one area or small multiples, and the district report (HTML and PDF)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from indicators.engine.values import UnknownName
from indicators.present.exports import DEMO_MARK
from indicators.present.i18n import fmt_num
from indicators.present.report import (
    chart_figure,
    district_report,
    html_to_pdf,
    methods_lines,
    report_html,
    trajectory_figure,
)
from indicators.registry import load_registry
from loaders.demo import YEARS as DEMO_YEARS
from loaders.errors import InputRejected
from tests._store import warm_up

LAST_BE = int(DEMO_YEARS[-1]) + 543

HAS_CHROMIUM = Path("/usr/bin/chromium").exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def exporter():
    if not HAS_CHROMIUM:
        pytest.skip("no chromium")
    warm_up()


def _row(**kw):
    base = {"status": "moderately_improving", "baseline_year": 2025, "baseline": 7.0, "latest_year": 2025,
            "latest": 7.0, "target": 8.0, "target_year": 2032, "observed_slope": 0.05}
    base.update(kw)
    return pd.Series(base)


def test_trajectory_figure_in_be_with_path_trend_and_target():
    ind = load_registry().indicator("happiness")
    values = pd.DataFrame({"year": [2015, 2016, 2018, 2025], "value": [6.5, 6.6, None, 7.0]})
    fig = trajectory_figure(values, _row(), ind, "th")
    by_name = {tr.name: tr for tr in fig.data}
    observed = by_name["ค่าที่วัดได้"]  # the dashboard's words: one vocabulary
    assert list(observed.x) == [2558, 2559, 2568]  # BE, gap year dropped
    path = by_name["เส้นทางสู่เป้าหมาย"]
    assert list(path.x) == [2568, 2575] and list(path.y) == [7.0, 8.0]
    trend = by_name["แนวโน้ม"]
    assert trend.y[1] == pytest.approx(7.0 + 0.05 * 7)
    target = by_name["เป้าหมาย"]
    assert list(target.x) == [2575] and target.marker.symbol == "star"
    assert fig.layout.yaxis.title.text == "คะแนน (0–10)"
    assert fig.layout.xaxis.title.text == "ปี (พ.ศ.)"
    en = trajectory_figure(values, _row(), ind, "en")
    assert {tr.name for tr in en.data} >= {"observed", "Target", "path to target", "trend"}


def test_trajectory_figure_without_progress_or_values():
    ind = load_registry().indicator("fund_coverage")
    fig = trajectory_figure(pd.DataFrame({"year": [2024], "value": [5.0]}), None, ind, "en")
    assert [tr.name for tr in fig.data] == ["observed", "no data"]  # no progress row: the pages' word
    empty = trajectory_figure(pd.DataFrame({"year": [], "value": []}), None, ind, "th")
    assert len(empty.data) == 1


def test_the_report_formats_numbers_as_the_pages_do():
    assert fmt_num(128524.739) == "128,525"
    assert fmt_num(958.46) == "958"  # the report rounded this to 958.5 while the page showed 958
    assert fmt_num(7.2578) == "7.26"
    assert fmt_num(0.0) == "0" and fmt_num(80) == "80"
    assert fmt_num(None) == "–" and fmt_num(float("nan")) == "–" and fmt_num(pd.NA) == "–"
    import indicators.present.i18n as i18n
    import indicators.present.report as report

    assert report.fmt_num is i18n.fmt_num and not hasattr(report, "be")  # one formatter


def test_the_report_methods_use_the_dashboards_status_words():
    from indicators.registry import STATUSES
    from indicators.words import t

    for lang in ("th", "en"):
        text = " ".join(methods_lines(lang))
        for s in STATUSES:
            assert f"{t(f'status.{s}', lang)} ({t(f'methods.rule.{s}', lang)})" in text
    assert "บรรลุเป้าหมายแล้ว" not in " ".join(methods_lines("th"))


def test_chart_figure_for_a_district(demo_db_session):
    fig = chart_figure("9301", "happiness", db=demo_db_session, lang="th")
    assert "คะแนนความสุข" in fig.layout.title.text
    assert "อ.เมืองพัทลุง" in fig.layout.title.subtitle.text
    assert f"พ.ศ. 2558–{LAST_BE}" in fig.layout.title.subtitle.text
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert DEMO_MARK in notes and "ที่มา:" in notes
    en = chart_figure("9301", "happiness", db=demo_db_session, lang="en")
    assert "Mueang Phatthalung district" in en.layout.title.subtitle.text
    assert "Source:" in " ".join(a.text for a in en.layout.annotations)


def test_chart_figure_small_multiples(demo_db_session):
    fig = chart_figure("9301", "hotel_occupancy", db=demo_db_session, lang="en", level="subdistrict")
    panel_titles = [a.text for a in fig.layout.annotations if " subdistrict<br>" in (a.text or "")]
    assert len(panel_titles) == 14  # Mueang Phatthalung has 14 subdistricts
    assert "14 subdistricts" in fig.layout.title.subtitle.text


@pytest.mark.parametrize(("area", "indicator", "level", "match"), [
    ("9301", "nope", None, "unknown indicator"),
    ("0000", "happiness", None, "unknown area"),
    ("930307", "happiness", "district", "must be subdistrict or below"),
    ("9301", "happiness", "village", "unknown level"),
])
def test_chart_figure_rejects(demo_db_session, area, indicator, level, match):
    with pytest.raises(UnknownName, match=match) as info:
        chart_figure(area, indicator, db=demo_db_session, level=level)
    assert isinstance(info.value, InputRejected)  # the command line turns it into exit 2


@pytest.fixture(scope="module")
def report_th(demo_db_session) -> str:
    if not HAS_CHROMIUM:
        pytest.skip("no chromium")
    warm_up()
    return report_html("9301", db=demo_db_session, lang="th")


@pytest.mark.browser
@pytest.mark.skipif(not HAS_CHROMIUM, reason="no chromium")
def test_report_html_has_everything_and_needs_nothing_from_outside(report_th):
    page = report_th
    assert page.startswith("<!doctype html>") and '<html lang="th">' in page
    assert "อ.เมืองพัทลุง" in page
    assert "ดัชนีพัทลุงมหานครแห่งความสุข" in page and f"ดัชนีปี {LAST_BE}:" in page
    assert "สถานะตัวชี้วัด" in page and "วิธีการ" in page and "แหล่งข้อมูล" in page
    assert "ข้อมูลสาธิต" in page  # the demo store says so
    assert "GeoThai" in page
    registry = load_registry()
    for ind in registry.indicators.values():
        assert ind.name.th in page
    # one inline SVG for the index and one per indicator with data (all 18 in the demo)
    assert page.count("<svg") >= 1 + len(registry.indicators)
    assert "@font-face" in page and "data:font/ttf;base64," in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "@import" not in page


@pytest.mark.browser
@pytest.mark.skipif(not HAS_CHROMIUM, reason="no chromium")
def test_report_pdf_in_english_embeds_thai_font_and_renders(exporter, demo_db_session, tmp_path):
    data = district_report("9301", db=demo_db_session, lang="en", fmt="pdf")
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 3
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+NotoSans", data)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Mueang Phatthalung district" in text and "Happiness Metropolis Index" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
                       check=True, capture_output=True, timeout=60)
        pngs = list(tmp_path.glob("page*.png"))
        assert pngs and pngs[0].stat().st_size > 5_000


@pytest.mark.browser
@pytest.mark.skipif(not HAS_CHROMIUM, reason="no chromium")
def test_report_thai_pdf_embeds_noto_sans_thai(report_th):
    data = html_to_pdf(report_th)
    assert data.startswith(b"%PDF")
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+NotoSansThai", data)


def test_report_rejects_unknown_area_language_and_format(demo_db_session):
    with pytest.raises(UnknownName, match="unknown area"):
        district_report("0000", db=demo_db_session, fmt="html")
    with pytest.raises(UnknownName, match="unknown language"):
        district_report("9301", db=demo_db_session, lang="fr", fmt="html")
    with pytest.raises(ValueError, match="unknown report format"):
        district_report("9301", db=demo_db_session, fmt="docx")
