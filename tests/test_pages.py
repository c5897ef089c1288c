"""Every page of the dashboard in Streamlit's AppTest, on the demo store: no exception, key elements, language,
area choice and the ``?area=`` link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGES = [f"app_pages/{name}.py" for name in ("overview", "area", "compare", "map", "methods", "reporting", "tourism")]


@pytest.fixture
def app(monkeypatch, demo_db_session):
    """An AppTest of app.py reading the demo store (never written)."""
    monkeypatch.setenv("WELLBEING_DB", str(demo_db_session))
    return AppTest.from_file(str(APP), default_timeout=30)


def _run(at: AppTest, page: str | None = None, **params) -> AppTest:
    if page is not None:
        at.run()
        at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "success", "error"):
        parts += [str(el.value) for el in getattr(at, kind)]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_thai_with_banner_credit_and_a_chart_or_table(app, page):
    at = _run(app, page)
    text = _texts(at)
    assert at.title, "a page has a title"
    assert "ข้อมูลสาธิต" in text  # demo banner
    assert "GeoThai" in text  # footer credit
    assert _charts(at) or at.dataframe
    assert at.radio(key="lang").value == "th"


def test_overview_key_elements(app):
    at = _run(app)
    assert at.title[0].value == "พัทลุงมหานครแห่งความสุข"
    labels = [m.label for m in at.metric]
    assert any("HMI" in lab for lab in labels) and len(at.metric) == 4
    charts = _charts(at)
    heat = [c for c in charts if any(tr.get("type") == "heatmap" for tr in c["data"])]
    assert heat, "the status heat-map"
    cells = heat[0]["data"][0]
    assert cells["texttemplate"] == "%{text}"
    words = {w for row in cells["text"] for w in row}
    assert words & {"ตามเป้า", "ทรงตัว", "แย่ลง", "ดีขึ้น", "บรรลุ"}  # the status word in the cells
    assert cells["x"][-1] == "930307", "the model subdistrict is a column, keyed by its code"
    assert "โคกม่วง" in heat[0]["layout"]["xaxis"]["ticktext"][-1]
    assert "ปีล่าสุดที่ข้อมูลครบ" in labels
    assert "ปี 2569 สภาองค์กรชุมชนส่งข้อมูลแล้ว 55 จาก 65 ตำบล" in _texts(at).replace("**", "")
    assert "Noto Sans Thai" in heat[0]["layout"]["font"]["family"]
    text = _texts(at)
    assert "ตำบลต้นแบบ" in text and "นำเข้าครั้งล่าสุด" in text


def test_switching_language_changes_labels_and_persists_across_pages(app):
    at = _run(app)
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Phatthalung, Metropolis of Happiness"
    assert at.query_params.get("lang") == "en"
    assert "Demo data" in _texts(at)
    at.switch_page("app_pages/methods.py").run()
    assert not at.exception
    assert at.title[0].value == "Methods"
    assert at.radio(key="lang").value == "en"


def test_lang_query_parameter(app):
    at = _run(app, "app_pages/compare.py", lang="en")
    assert at.title[0].value == "Compare areas"


def test_area_query_parameter_opens_a_district(app):
    at = _run(app, "app_pages/area.py", area="9303")
    assert at.title[0].value == "อ.เขาชัยสน"
    assert at.selectbox(key="area").value == "9303"
    assert at.query_params.get("area") == "9303"
    assert len(_charts(at)) >= 5  # the subdistrict heat-map and one figure per domain
    table = at.dataframe[0].value
    assert "สถานะ" in table.columns and len(table) == 18


def test_choosing_an_area_changes_what_is_shown(app):
    at = _run(app, "app_pages/area.py")
    assert at.title[0].value == "จ.พัทลุง"
    province_table = at.dataframe[0].value
    at.selectbox(key="area").set_value("930307").run()
    assert not at.exception
    assert at.title[0].value == "ต.โคกม่วง"
    assert at.query_params.get("area") == "930307"
    assert not at.dataframe[0].value.equals(province_table)
    # a subdistrict has no subdistrict heat-map; a district has
    assert not any(tr.get("type") == "heatmap" for c in _charts(at) for tr in c["data"])


def test_language_switch_keeps_the_chosen_area(app):
    at = _run(app, "app_pages/area.py", area="9303")
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Khao Chaison"
    assert at.dataframe[0].value.columns[0] == "Indicator"
    assert at.query_params.get("area") == "9303" and at.query_params.get("lang") == "en"


def test_unknown_area_code_says_so(app):
    at = _run(app, "app_pages/area.py", area="9999")
    assert any("9999" in w.value for w in at.warning)
    assert at.title[0].value == "จ.พัทลุง"


def test_compare_districts_then_subdistricts(app):
    at = _run(app, "app_pages/compare.py")
    at.selectbox(key="indicator").set_value("happiness").run()
    bars = [c for c in _charts(at) if any(tr.get("type") == "bar" for tr in c["data"])]
    assert sum(len(tr["y"]) for tr in bars[0]["data"] if tr.get("type") == "bar") == 11
    at.radio(key="scope").set_value("subdistricts").run()
    at.selectbox(key="district").set_value("9303").run()
    assert not at.exception
    bars = [c for c in _charts(at) if any(tr.get("type") == "bar" for tr in c["data"])]
    n = sum(len(tr["y"]) for tr in bars[0]["data"] if tr.get("type") == "bar")
    assert 1 <= n < 20
    assert len(at.dataframe) == 2  # equity and sensitivity


def test_map_is_offline_small_and_says_shapes_are_schematic(app):
    at = _run(app, "app_pages/map.py")
    text = _texts(at)
    assert "แผนผัง" in text
    at.radio(key="map_level").set_value("subdistrict").run()
    at.selectbox(key="map_what").set_value("hotel_occupancy").run()
    at.radio(key="map_colour").set_value("status").run()
    assert not at.exception
    (fig,) = _charts(at)
    assert len(at.get("plotly_chart")[0].proto.spec.encode()) <= 500 * 1024
    assert not any(tr["type"] in {"choropleth", "scattergeo", "choroplethmap"} for tr in fig["data"])
    areas = [tr for tr in fig["data"] if tr.get("fill") == "toself"]
    assert len(areas) == 65
    assert all("<br>" in tr["text"] for tr in areas)  # hover: name, value, status


def test_methods_page_is_generated_from_the_registry(app):
    from indicators.registry import load_registry

    at = _run(app, "app_pages/methods.py")
    shown = "\n".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())
    for ind in load_registry().indicators.values():
        assert ind.name.th in shown
    text = _texts(at)
    assert "ตัวอย่างการคำนวณ" in text and "GeoThai" in text


def test_reporting_status_lists_missing_councils(app):
    at = _run(app, "app_pages/reporting.py")
    assert at.dataframe, "the councils with figures missing"
    at.selectbox(key="rep_district").set_value("9301").run()
    assert not at.exception
    assert len(_charts(at)) == 2


def test_reporting_grids_sum_many_subdistricts_into_districts(monkeypatch, demo_db):
    """Past MAX_GRID_ROWS subdistricts (a national store) the grids show districts, and the page says so."""
    from indicators.present import queries

    monkeypatch.setattr(queries, "MAX_GRID_ROWS", 20)
    monkeypatch.setenv("WELLBEING_DB", str(demo_db))
    at = _run(AppTest.from_file(str(APP), default_timeout=30), "app_pages/reporting.py", lang="en")
    assert "each row is a district" in _texts(at)
    by_measure, by_year = _charts(at)
    assert len(by_measure["data"][0]["y"]) == 11 and len(by_year["data"][0]["y"]) == 11
    at.selectbox(key="rep_district").set_value("9301").run()
    assert "each row is a district" not in _texts(at)


def test_the_overview_lists_the_statuses_the_last_upload_moved(demo_db, monkeypatch):
    from test_changes import _upload

    from indicators.present import queries

    _upload(demo_db, [("930101", "happiness_score", 2026, 10.0), ("930101", "population", 2026, 9000.0)])
    monkeypatch.setenv("WELLBEING_DB", str(demo_db))
    at = _run(AppTest.from_file(str(APP), default_timeout=30), lang="en")
    assert "Statuses that moved" in _texts(at)
    moved = next(d.value for d in at.dataframe if "Status now" in d.value.columns)
    label = queries.area_info(str(demo_db), "930101", "en")["label"]
    row = moved[(moved["Area"] == label) & (moved["Indicator"] == "Happiness score")]
    assert row["Status now"].tolist() == ["achieved"]
    assert row["Latest now"].tolist() == ["10"] and row["Year now"].tolist() == ["2569"]


def test_missing_database_is_a_message_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("WELLBEING_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    assert any("python -m loaders demo" in e.value for e in at.error)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_a_store_without_figures(monkeypatch, areas_db, page):
    """Official areas only (no observations, no shapes): every page says so instead of failing."""
    monkeypatch.setenv("WELLBEING_DB", str(areas_db))
    at = AppTest.from_file(str(APP), default_timeout=30)
    _run(at, page)
    assert at.title
