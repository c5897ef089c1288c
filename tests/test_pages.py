"""Every page of the dashboard in Streamlit's AppTest, on the demo store: no exception, key elements, language,
area choice and the ``?area=`` link."""

from __future__ import annotations

import json
import re
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


def _by_hand(db) -> dict:
    """The overview's headline numbers worked out from the index table and the observations, apart from the code
    that makes them: the latest complete year, its index and gap to 80 by 2575, the pace needed and the least-squares
    slope of the last five complete years, the three lowest districts, the councils that sent the latest year."""
    import numpy as np

    from indicators.engine.tables import index_table
    from indicators.registry import load_registry
    from loaders.store import reader

    idx = index_table(db)
    hmi = idx[(idx.domain == "hmi") & idx.score.notna() & idx.complete]
    prov = hmi[hmi.area_code == "93"].sort_values("year")
    year, score = int(prov.year.iloc[-1]), float(prov.score.iloc[-1])
    last5 = prov.tail(5)
    d = hmi[(hmi.level == "district") & (hmi.year == year)].nsmallest(3, "score")
    with reader(db) as con:
        names = dict(con.execute("SELECT code, name_en FROM areas").fetchall())
        th = dict(con.execute("SELECT code, name_th FROM areas").fetchall())
        latest, sent = con.execute(
            "SELECT max(year), count(DISTINCT area_code) FILTER (WHERE year = (SELECT max(year) FROM observations)) "
            "FROM observations o JOIN areas a ON a.code = o.area_code WHERE a.level = 'subdistrict' "
            "AND list_contains(?, o.measure_id)", [list(load_registry().council_measures)]).fetchall()[0]
    return {"year": year + 543, "score": f"{score:.1f}", "gap": f"{80 - score:.1f}",
            "needed": f"{(80 - score) / (2032 - year):.1f}", "left": 2032 - year,
            "observed": f"{np.polyfit(last5.year, last5.score, 1)[0]:.1f}", "first": int(last5.year.iloc[0]) + 543,
            "behind": [(names[c], th[c], f"{v:.1f}", f"{80 - v:.1f}") for c, v in
                       zip(d.area_code, d.score, strict=True)],
            "councils": (latest + 543, sent)}


@pytest.mark.parametrize("lang", ["th", "en"])
def test_overview_headline_says_the_numbers_worked_by_hand(app, demo_db_session, lang):
    """Issue 18: the first screen says where the province stands against 80 by 2575, the pace it needs and has kept,
    which districts lag and how many councils have reported, every number as worked out by hand."""
    at = _run(app, lang=lang)
    x = _by_hand(demo_db_session)
    headline = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", at.markdown[0].value).replace("**", "")  # as read
    if lang == "en":
        assert (f"In {x['year']} Phatthalung's happiness index stood at {x['score']} against the target of 80 by "
                f"2575: {x['gap']} points to go.") in headline
        assert (f"That needs +{x['needed']} points a year for the {x['left']} years left; over "
                f"{x['first']}–{x['year']} it moved +{x['observed']} points a year") in headline
        assert "Districts furthest behind: " + ", ".join(f"{n} {v} ({g} short)" for n, _, v, g in x["behind"]) \
            in headline
        assert f"{x['councils'][0]}: {x['councils'][1]} of 65 community councils have reported so far." in headline
    else:
        assert (f"ปี {x['year']} ดัชนีความสุขของ จ.พัทลุง อยู่ที่ {x['score']} จากเป้าหมาย 80 ในปี 2575 "
                f"ยังขาดอีก {x['gap']} คะแนน") in headline
        assert (f"ต้องเพิ่มปีละ {x['needed']} คะแนน ตลอด {x['left']} ปีที่เหลือ ที่ผ่านมา ({x['first']}–{x['year']}) "
                f"เพิ่มปีละ {x['observed']} คะแนน") in headline
        assert "อำเภอที่ห่างเป้าหมายมากที่สุด: " + " ".join(f"อ.{n} {v} (ขาด {g})" for _, n, v, g in x["behind"]) \
            in headline
        assert f"ปี {x['councils'][0]} สภาองค์กรชุมชนส่งข้อมูลแล้ว {x['councils'][1]} จาก 65 ตำบล" in headline
    # the ranked bar comes next, keyed by codes; the latest complete year's card says what fed it
    bar = _charts(at)[0]
    assert bar["layout"]["yaxis"]["tickvals"][0] == "93" and len(bar["layout"]["yaxis"]["tickvals"]) == 12
    assert all(str(c).startswith("93") for tr in bar["data"] for c in (tr.get("y") or []) if c is not None)
    card = next(m for m in at.metric if m.label == ("Latest complete year" if lang == "en" else "ปีล่าสุดที่ข้อมูลครบ"))
    assert card.value == str(x["year"])
    assert ("subdistricts reported" if lang == "en" else "ตำบล") in card.proto.delta
    # the status words are explained where they are shown
    legend = "\n".join(m.value for m in at.markdown)
    assert ("fast enough to reach the target in time" if lang == "en" else "เร็วพอจะถึงเป้าหมายทันเวลา") in legend


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
