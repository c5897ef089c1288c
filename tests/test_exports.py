"""Figures and tables to bytes: every format's bytes, the Thai font, formula neutralisation, safe file names."""

from __future__ import annotations

import io
import re
import shutil
import struct
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from indicators.present.exports import (
    DEMO_MARK,
    FIGURE_FORMATS,
    TABLE_FORMATS,
    export_file_name,
    figure_bytes,
    finish_figure,
    neutralise,
    neutralise_frame,
    table_bytes,
)
from tests._store import warm_up

HAS_CHROMIUM = Path("/usr/bin/chromium").exists() or shutil.which("chromium") is not None
needs_chromium = [pytest.mark.browser, pytest.mark.skipif(not HAS_CHROMIUM, reason="no chromium")]
INJECTIONS = ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(1)", "\tTAB", "\rCR"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="session")
def exporter():
    """kaleido's Chromium, started once for the whole session (about 2 s); later exports take about 0.15 s."""
    if not HAS_CHROMIUM:
        pytest.skip("no chromium")
    warm_up()


@pytest.fixture(scope="module")
def thai_figure() -> go.Figure:
    fig = go.Figure(go.Scatter(x=[2558, 2560, 2565, 2568], y=[6.8, 6.9, 7.0, 7.3], mode="lines+markers",
                               name="ค่าที่เกิดขึ้นจริง"))
    fig.update_layout(template="plotly_white", xaxis_title="ปี (พ.ศ.)", yaxis_title="คะแนน (0–10)")
    return finish_figure(fig, title="คะแนนความสุข", subtitle="อ.เมืองพัทลุง · พ.ศ. 2558–2568",
                         source="การสำรวจความสุขของสภาองค์กรชุมชน", demo=True, lang="th")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    return struct.unpack(">II", data[16:24])


# ---------------------------------------------------------------------------------------------- figures


@pytest.mark.browser
@pytest.mark.skipif(not HAS_CHROMIUM, reason="no chromium")
def test_png_at_twice_the_scale(exporter, thai_figure):
    data = figure_bytes(thai_figure, "png", width=800, height=450)
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 1024
    assert png_size(data) == (1600, 900)


@pytest.mark.browser
@pytest.mark.skipif(not HAS_CHROMIUM, reason="no chromium")
def test_svg_is_xml_with_thai_text(exporter, thai_figure):
    data = figure_bytes(thai_figure, "svg")
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "คะแนนความสุข" in text
    assert "ข้อมูลสาธิต" in text
    assert "Noto Sans Thai" in data.decode("utf-8")


@pytest.mark.browser
@pytest.mark.skipif(not HAS_CHROMIUM, reason="no chromium")
def test_pdf_has_a_page_and_embeds_noto_sans_thai(exporter, thai_figure):
    data = figure_bytes(thai_figure, "pdf")
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+NotoSansThai", data) or b"NotoSansThai" in data


def test_html_is_self_contained(thai_figure):
    data = figure_bytes(thai_figure, "html")
    page = data.decode("utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "plotly.js v" in page  # the library itself is inlined
    assert not re.search(r"<script[^>]+src\s*=\s*[\"']?(https?:)?//", page, re.I)
    assert not re.search(r"<link[^>]+href\s*=\s*[\"']?(https?:)?//", page, re.I)
    assert "<title>คะแนนความสุข</title>" in page
    assert "คะแนนความสุข" in page and '<meta charset="utf-8"' in page


def test_unknown_figure_format(thai_figure):
    with pytest.raises(ValueError, match="unknown figure format"):
        figure_bytes(thai_figure, "gif")
    assert FIGURE_FORMATS == ("png", "svg", "pdf", "html")


@pytest.mark.browser
@pytest.mark.skipif(not HAS_CHROMIUM, reason="no chromium")
def test_warm_export_is_fast(exporter, thai_figure):
    figure_bytes(thai_figure, "png")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        figure_bytes(thai_figure, "png")
        times.append(time.perf_counter() - start)
    # budget 0.5 s (benchmarks/bench_exports.py); generous here so that a loaded machine does not fail the suite
    assert min(times) < 1.5, times


@pytest.mark.browser
@pytest.mark.skipif(not HAS_CHROMIUM, reason="no chromium")
def test_exports_from_several_threads_do_not_mix(exporter, thai_figure):
    widths = [300, 400, 500, 600]
    results: dict[int, bytes] = {}

    def work(w: int) -> None:
        results[w] = figure_bytes(thai_figure, "png", width=w, height=200, scale=1)

    threads = [threading.Thread(target=work, args=(w,)) for w in widths]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert {w: png_size(results[w])[0] for w in widths} == {w: w for w in widths}


def test_finish_figure_adds_title_source_demo_and_font():
    base = go.Figure(go.Bar(x=["ก", "ข"], y=[1, 2]))
    out = finish_figure(base, title="ตัวชี้วัด", subtitle="อ.เมืองพัทลุง", source="กรมป่าไม้", demo=True, lang="th")
    assert "ตัวชี้วัด" in out.layout.title.text
    assert out.layout.title.subtitle.text == "อ.เมืองพัทลุง"
    notes = [a.text for a in out.layout.annotations]
    assert any("ที่มา: กรมป่าไม้" in n for n in notes)
    assert any(DEMO_MARK in n for n in notes)
    assert "Noto Sans Thai" in out.layout.font.family
    assert base.layout.title.text is None and not base.layout.annotations  # the input is left alone
    en = finish_figure(base, title="Indicator", source="Royal Forest Department", demo=False, lang="en")
    notes = [a.text for a in en.layout.annotations]
    assert notes == ["Source: Royal Forest Department"]


# ---------------------------------------------------------------------------------------------- neutralisation


@pytest.mark.parametrize("text", INJECTIONS)
def test_neutralise_dangerous_text(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-2, -2.5, 0, 3, np.float64(-1.5), np.int64(-7), None, "ปกติ", "a=b", "", "'=x"])
def test_neutralise_leaves_the_rest(value):
    assert neutralise(value) is value or neutralise(value) == value


@pytest.fixture
def risky() -> pd.DataFrame:
    return pd.DataFrame({
        "area_code": ["930101", "930102", "930103", "930104", "930105", "930106"],
        "note": INJECTIONS,
        "value": [-2.0, -5.5, 0.0, 1.25, np.nan, 1e6],
        "count": pd.array([-3, 4, None, 6, 7, 8], dtype="Int64"),
        "name": ["ตำบลคูหาสวรรค์", "ตำบลเขาเจียก", "ท่ามิหรำ", "ตำบลโคกชะงาย", "นาท่อม", "ปรางหมู่"],
    })


def test_neutralise_frame_only_touches_text(risky):
    out = neutralise_frame(risky)
    assert out["note"].tolist() == ["'" + s for s in INJECTIONS]
    assert out["value"].dtype == np.float64 and out["value"].iloc[0] == -2.0
    assert risky["note"].tolist() == INJECTIONS  # not in place


# ---------------------------------------------------------------------------------------------- tables


def test_csv_has_bom_round_trips_and_is_neutralised(risky):
    data = table_bytes(risky, "csv", header_style="names")
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"area_code": str}, keep_default_na=True)
    assert back.columns.tolist() == risky.columns.tolist()
    assert back["area_code"].tolist() == risky["area_code"].tolist()
    assert back["name"].tolist() == risky["name"].tolist()
    assert back["note"].tolist() == ["'" + s for s in INJECTIONS]
    assert back["value"].iloc[0] == -2.0 and back["value"].iloc[1] == -5.5  # numbers stay numbers
    assert pd.isna(back["value"].iloc[4])
    assert back["count"].iloc[0] == -3
    for line in data.decode("utf-8-sig").splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell


def test_csv_headers_in_thai_and_english(risky):
    data = table_bytes(risky, "csv", headers={"note": ("หมายเหตุ", "Note")})
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[0] == "รหัสพื้นที่ / Area code"
    assert header[1] == "หมายเหตุ / Note"
    assert header[4] == "name"  # unknown column: its own name


def test_xlsx_two_header_rows_widths_and_neutralised(risky):
    data = table_bytes(risky, "xlsx", headers={"note": ("หมายเหตุ", "Note")}, sheet_name="progress/2568")
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "progress-2568"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("รหัสพื้นที่", "หมายเหตุ", "ค่า")
    assert rows[1][:3] == ("Area code", "Note", "Value")
    assert ws.freeze_panes == "A3"
    body = rows[2:]
    # XML turns a bare CR into LF when read back; what matters is the leading apostrophe
    assert [r[1].replace("\n", "\r") for r in body] == ["'" + s for s in INJECTIONS]
    assert [r[0] for r in body] == risky["area_code"].tolist()  # codes stay text (leading digits kept)
    assert body[0][2] == -2.0 and isinstance(body[0][2], int | float)  # a number, not text
    assert body[1][2] == -5.5
    assert body[4][2] is None  # NaN → empty cell
    assert body[0][3] == -3 and body[2][3] is None
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert all(8 <= w <= 60 for w in widths.values())
    assert widths["B"] > widths["C"]  # the long formula text is wider than the numbers
    for r in ws.iter_rows(min_row=3):
        for cell in r:
            assert cell.data_type != "f"  # no formula anywhere


def test_xlsx_handles_dates_with_time_zones_and_objects():
    frame = pd.DataFrame({
        "uploaded_at": pd.to_datetime(["2026-11-24 10:00"]).tz_localize("Asia/Bangkok"),
        "batch_id": [3],
        "problems": [["a", "b"]],
    })
    wb = load_workbook(io.BytesIO(table_bytes(frame, "xlsx")))
    row = list(wb.active.iter_rows(min_row=3, values_only=True))[0]
    assert row[0].year == 2026 and row[1] == 3 and "a" in row[2]


def test_parquet_keeps_types_and_values(risky):
    data = table_bytes(risky, "parquet")
    table = pq.read_table(io.BytesIO(data))
    assert table.column_names == risky.columns.tolist()
    back = table.to_pandas()
    assert back["note"].tolist() == INJECTIONS  # parquet is not a spreadsheet: values kept as they are
    assert back["value"].dtype == np.float64
    assert str(table.schema.field("count").type) == "int64"
    assert back["name"].tolist() == risky["name"].tolist()


def test_unknown_table_format(risky):
    with pytest.raises(ValueError, match="unknown table format"):
        table_bytes(risky, "xls")
    assert TABLE_FORMATS == ("csv", "xlsx", "parquet")


def test_empty_table_exports(risky):
    empty = risky.iloc[0:0]
    for fmt in TABLE_FORMATS:
        assert table_bytes(empty, fmt)


# ---------------------------------------------------------------------------------------------- file names


@pytest.mark.parametrize(("kind", "area", "indicator", "fmt", "expected"), [
    ("chart", "9301", "happiness", "png", "wellbeing_chart_9301_happiness.png"),
    ("table", None, None, ".XLSX", "wellbeing_table.xlsx"),
    ("report", "93", None, "pdf", "wellbeing_report_93.pdf"),
])
def test_export_file_name(kind, area, indicator, fmt, expected):
    assert export_file_name(kind, area, indicator, fmt) == expected


@pytest.mark.parametrize("evil", ["../../etc/passwd", "a/b\\c", "..", "con:nul", "อำเภอ เมือง", "\x00x", "~/x"])
def test_export_file_name_has_no_path_characters(evil):
    name = export_file_name(evil, evil, evil, "csv")
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.csv", name), name
    assert ".." not in name and not name.startswith(".")


def test_download_specs_are_lazy_and_named(risky, thai_figure):
    from indicators.present.exports import figure_downloads, table_downloads

    specs = figure_downloads(thai_figure, area="9301", indicator="happiness")
    assert [s["label"] for s in specs] == ["PNG", "SVG", "PDF", "HTML"]
    assert specs[0]["file_name"] == "wellbeing_chart_9301_happiness.png" and specs[0]["mime"] == "image/png"
    assert callable(specs[3]["data"]) and b"plotly.js v" in specs[3]["data"]()
    tables = table_downloads(risky, kind="progress", area="9301")
    assert [s["file_name"] for s in tables] == [
        "wellbeing_progress_9301.csv", "wellbeing_progress_9301.xlsx", "wellbeing_progress_9301.parquet"]
    assert tables[0]["data"]().startswith(b"\xef\xbb\xbf")


def test_a_stuck_exporter_times_out_and_is_abandoned(monkeypatch, thai_figure):
    import types

    from indicators.present import exports

    server = types.SimpleNamespace(_initialized=True)
    fake = types.SimpleNamespace(calc_fig_sync=lambda *a, **k: time.sleep(3), _global_server=server)
    monkeypatch.setattr(exports, "_kaleido_server", lambda: fake)
    monkeypatch.setattr(exports, "EXPORT_TIMEOUT", 0.2)
    with pytest.raises(exports.ExportError, match="did not answer"):
        figure_bytes(thai_figure, "png")
    assert server._initialized is False  # the next export starts a fresh server


def test_exporter_errors_are_passed_on(monkeypatch, thai_figure):
    import types

    from indicators.present import exports

    def boom(*a, **k):
        raise ValueError("bad figure")

    monkeypatch.setattr(exports, "_kaleido_server", lambda: types.SimpleNamespace(calc_fig_sync=boom))
    with pytest.raises(ValueError, match="bad figure"):
        figure_bytes(thai_figure, "svg")


def test_no_chromium_is_a_clear_error(monkeypatch):
    from choreographer.browsers.chromium import Chromium

    from indicators.present import exports

    monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **k: None))
    monkeypatch.setattr(exports.shutil, "which", lambda name: None)
    with pytest.raises(exports.ExportError, match="Chromium not found"):
        exports.find_chromium()
