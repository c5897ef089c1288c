"""What the pages read (indicators.present.queries) and the figures they draw (indicators.present.charts), on the
demo store."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from indicators.engine.tables import index_table, progress_table
from indicators.present import charts, colours, queries
from indicators.present.views import TableView
from indicators.registry import STATUSES, load_registry
from loaders.demo import YEARS as DEMO_YEARS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(demo_db_session) -> str:
    return str(demo_db_session)


def test_indicators_package_is_streamlit_free():
    for f in (ROOT / "indicators").glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", f.read_text(encoding="utf-8"), re.M), f.name


def test_data_stamp_follows_the_file(demo_db):
    before = queries.data_stamp(demo_db)
    os.utime(demo_db, ns=(before[0] + 10**9, before[0] + 10**9))
    assert queries.data_stamp(demo_db) != before


def test_meta_and_areas(db):
    m = queries.meta(db)
    assert m["demo"] and m["schematic"]
    choices = queries.area_choices(db, "th")
    assert len(choices) == 77 and next(iter(choices)) == "93"
    assert choices["9303"] == "อ.เขาชัยสน"
    assert "ต.โคกม่วง" in choices["930307"] and "อ.เขาชัยสน" in choices["930307"]
    assert queries.area_choices(db, "en")["9303"] == "Khao Chaison"
    info = queries.area_info(db, "9303", "en")
    assert info["level"] == "district" and info["parent_code"] == "93" and len(info["children"]) > 1
    assert queries.area_info(db, "9999", "th") is None


def test_headline_matches_index_and_progress(db):
    h = queries.headline(db, "93", "en")
    hmi = index_table(db, area="93")
    hmi = hmi[(hmi.domain == "hmi") & hmi.score.notna()].sort_values("year")
    assert h["hmi"] == round(float(hmi.score.iloc[-1]), 1)
    assert h["hmi_year"] == str(int(hmi.year.iloc[-1]) + 543)
    p = progress_table(db, area="93")
    assert h["total"] == len(p) and h["good"] == int(p.status.isin(["achieved", "on_track"]).sum())
    assert h["latest_year"] == str(DEMO_YEARS[-1] + 543)


def test_status_heatmap_cells_are_the_progress_statuses(db):
    fig = queries.status_heatmap_figure(db, "en")
    heat = fig.data[0]
    assert heat.type == "heatmap" and heat.texttemplate == "%{text}"
    assert len(heat.y) == len(load_registry().indicators) and len(heat.x) == 12  # 11 districts + model
    # columns keyed by code, labelled by name; the model subdistrict last, starred
    assert list(heat.x) == [f"93{k:02d}" for k in range(1, 12)] + ["930307"]
    assert list(fig.layout.xaxis.tickvals) == list(heat.x) and fig.layout.xaxis.ticktext[-1].startswith("★")
    assert len(set(fig.layout.xaxis.ticktext)) == 12
    p = progress_table(db, level="district", indicator="happiness").set_index("area_code")
    row = list(heat.y).index("Happiness score")
    for j, code in enumerate(heat.x[:-1]):
        status, sure = p.at[code, "status"], p.at[code, "confidence"]
        word = charts.status_word(status, "en", short=True)
        # an uncertain status keeps its word, marked, and its hover names every status the interval spans
        assert heat.text[row][j] == (f"{word} ?" if sure == "uncertain" else word)
        if sure == "uncertain":
            assert "uncertain:" in heat.customdata[row][j] and " or " in heat.customdata[row][j]
    marked = sum(str(x).endswith(" ?") for line in heat.text for x in line)
    frames = [sh for sh in fig.layout.shapes if sh.line.dash == "dot"]
    assert marked == len(frames) > 0
    assert any(s.type == "rect" for s in fig.layout.shapes)  # the model column is framed


def test_status_colours_one_scheme_for_every_status():
    assert set(STATUSES) <= set(colours.STATUS_COLOURS)
    assert len(set(colours.STATUS_COLOURS.values())) == len(colours.STATUS_COLOURS)
    assert set(colours.STATUS_COLOURS) == set(colours.STATUS_TEXT)


def test_progress_view_shows_every_input_in_be(db):
    v = queries.progress_view(db, "930307", "en")
    assert len(v) == len(load_registry().indicators)
    shown = v.shown()
    for col in ("Baseline", "Latest", "Observed slope per year", "Required slope per year",
                "Ratio (observed/required)", "Projected year", "Status"):
        assert col in shown.columns
    assert set(shown["Latest year"]) <= {str(y + 543) for y in DEMO_YEARS}
    assert set(shown["Status"]) <= {charts.status_word(s, "en") for s in STATUSES}
    assert v.status_header == "Status"
    # the numbers stay numbers: the export takes them as computed, never parsed back from text
    p = progress_table(db, area="930307").set_index("indicator_id")
    frame, headers = v.exported()
    happiness = load_registry().indicator("happiness").name.en
    row = frame[frame["Indicator"] == happiness].iloc[0]
    assert row["Latest"] == p.at["happiness", "latest"]
    assert row["Ratio (observed/required)"] == pytest.approx(p.at["happiness", "ratio"], nan_ok=True)
    assert row["Latest year"] == p.at["happiness", "latest_year"] + 543
    assert frame["Latest"].dtype == "float64" and str(frame["Latest year"].dtype) == "Int64"
    assert headers["Latest"] == ("ค่าล่าสุด", "Latest")


def test_trajectories_one_figure_per_domain_with_path_and_target(db):
    figs = queries.trajectory_figures(db, "9303", "th")
    assert len(figs) == 4
    _, fig = figs[0]
    xs = [x for tr in fig.data for x in (tr.x or []) if x is not None]
    assert min(xs) >= 2558 and max(xs) <= 2575  # years in BE
    assert any(tr.line.dash == "dash" for tr in fig.data if tr.mode == "lines")
    assert "Noto Sans Thai" in fig.layout.font.family


@pytest.mark.parametrize("indicator", ["happiness", "poor_household_share"])
def test_ranking_best_first(db, indicator):
    r = queries.ranking(db, indicator, None, None, "th")
    assert len(r) == 11 and list(r["rank"]) == list(range(1, 12))
    ascending = load_registry().indicators[indicator].direction == "lower"
    assert list(r.value) == sorted(r.value, reverse=not ascending)
    subs = queries.ranking(db, indicator, "9303", None, "th")
    assert 1 <= len(subs) <= len(queries.area_info(db, "9303", "th")["children"])


def test_map_offline_small_with_no_data_grey(db):
    out = queries.map_figure(db, "hotel_occupancy", "subdistrict", None, "value", "en")
    fig = out["figure"]
    doc = json.loads(fig.to_json())
    assert out["kb"] <= 500 and len(fig.to_json()) <= 500 * 1024
    assert "geo" not in doc["layout"]
    assert not any(tr["type"] in {"choropleth", "scattergeo", "choroplethmap"} for tr in doc["data"])
    empty = queries.map_figure(db, "fund_coverage", "district", 2015, "value", "en")  # the fund began in 2021
    areas = [tr for tr in empty["figure"].data if tr.fill == "toself"]
    assert empty["no_data"] == 11 and all("no data" in tr.text for tr in areas)
    assert all(tr.fillcolor == "#d9d9d9" for tr in areas)
    status = queries.map_figure(db, "happiness", "district", None, "status", "th")
    fills = {tr.fillcolor for tr in status["figure"].data if tr.fill == "toself"}
    assert fills <= set(colours.STATUS_COLOURS.values())
    assert "แผนผัง" in status["figure"].layout.annotations[0].text  # the schematic note


def test_coverage_counts_observations(db):
    from tests._store import query_df

    s = queries.coverage_summary(db, 2025, None, "en")
    n = query_df("SELECT count(*) AS n FROM observations WHERE year = 2025", path=db).n.iloc[0]
    assert s["sent"] == n and s["expected"] == 65 * len(load_registry().council_measures)
    missing = queries.missing_view(db, 2025, None, "en")
    assert len(missing) == s["subs"] - s["complete"]
    fig = queries.coverage_by_measure_figure(db, 2025, "9303", "en")
    assert fig.data[0].z.shape[1] == len(load_registry().council_measures)


def test_many_subdistricts_are_summed_into_districts_or_provinces(demo_db, monkeypatch):
    """A national store has 7,436 subdistricts: the reporting grids then show a row per district or province."""
    from loaders.store import writer
    from tests._store import query_df

    db = str(demo_db)
    measures = list(load_registry().council_measures)
    subs = query_df("SELECT code FROM areas WHERE parent_code = '9301' ORDER BY code", path=db).code.tolist()
    with writer(db) as con:  # district 9301 in 2026: three figures from two subdistricts, nothing else
        con.execute("DELETE FROM observations WHERE year = 2026 AND area_code IN (SELECT code FROM areas "
                    "WHERE parent_code = '9301')")
        con.execute("INSERT INTO observations (area_code, measure_id, year, value, batch_id) VALUES "
                    f"('{subs[0]}', '{measures[0]}', 2026, 1, 1), ('{subs[0]}', '{measures[1]}', 2026, 1, 1), "
                    f"('{subs[1]}', '{measures[0]}', 2026, 1, 1)")
    assert queries.coverage_grid_level(db, None) == "subdistrict"  # 65 fit
    monkeypatch.setattr(queries, "MAX_GRID_ROWS", 20)
    assert queries.coverage_grid_level(db, None) == "district"  # 65 subdistricts > 20 ≥ 11 districts
    assert queries.coverage_grid_level(db, "9301") == "subdistrict"
    n = len(subs)
    by_measure = queries._coverage_shares(db, None, "district", 2026)
    assert list(by_measure.columns) == measures and by_measure.index[0] == "9301" and len(by_measure) == 11
    assert by_measure.loc["9301", measures[0]] == pytest.approx(100 * 2 / n)
    assert by_measure.loc["9301", measures[1]] == pytest.approx(100 * 1 / n)
    assert by_measure.loc["9301", measures[2]] == 0
    by_year = queries._coverage_shares(db, None, "district", None)
    assert by_year.loc["9301", 2026] == pytest.approx(100 * 3 / (n * len(measures)))
    fig = queries.coverage_by_measure_figure(db, 2026, None, "en")
    assert len(fig.data[0].y) == 11 and fig.data[0].text[0][0] == f"{int(100 * 2 / n)}"
    monkeypatch.setattr(queries, "MAX_GRID_ROWS", 5)
    assert queries.coverage_grid_level(db, None) == "province"
    fig = queries.coverage_by_year_figure(db, None, "th")
    assert list(fig.data[0].y) == ["93"] and list(fig.layout.yaxis.ticktext) == ["จ.พัทลุง"]
    whole = query_df("SELECT count(*) AS n FROM observations o JOIN areas a ON a.code = o.area_code "
                     f"WHERE a.level = 'subdistrict' AND o.year = 2025 AND list_contains({measures}, o.measure_id)",
                     path=db).n.iloc[0]
    assert fig.data[0].z[0][-2] == pytest.approx(100 * whole / (65 * len(measures)))


def test_a_store_of_several_provinces_shows_phatthalung_or_the_chosen_one(tmp_path, monkeypatch):
    """A national store (``loaders init --province all``): the overview is about Phatthalung unless
    WELLBEING_PROVINCE names another, and its heat-map shows that province's districts only."""
    from benchmarks.generate import generate

    db = str(tmp_path / "two.duckdb")
    generate(db, "90,93", years=3, seed=1)
    assert queries.province_code(db) == "93"
    fig = queries.status_heatmap_figure(db, "en")
    districts_93 = [c for c in queries.areas(db).query("level == 'district'").code if c.startswith("93")]
    assert len(fig.data[0].x) == len(districts_93) + 1 == 12  # and the model subdistrict, framed
    # the compare page: the province's districts are ranked, shown, compared
    ranked = queries.ranking(db, "happiness", None, None, "en")
    assert len(ranked) == 11 and all(c.startswith("93") for c in ranked.area_code)
    panels = queries.multiples_figure(db, "happiness", None, "en")
    assert len({tr.xaxis for tr in panels.data}) == 11
    table, _ = queries.sensitivity_view(db, "en")
    assert len(table) == 11
    from indicators.engine.tables import equity_table

    eq = equity_table(db, province="93")
    assert eq.indicator_id.is_unique and (eq.n_districts <= 11).all() and eq.province_value.notna().all()
    assert all(str(c).startswith("93") for c in (*eq.best_area, *eq.worst_area))
    everywhere = equity_table(db)  # two provinces, none chosen: every district, no single province value
    assert everywhere.indicator_id.is_unique and (everywhere.n_districts == 27).all()
    assert everywhere.province_value.isna().all()
    # the map: the province's districts, not the country's
    import geopandas as gpd
    from shapely.geometry import box

    from loaders.geometry import store_geometries
    from loaders.store import writer

    upper = queries.areas(db).query("level != 'subdistrict'").reset_index(drop=True)  # a box for each
    boxes = [box(99 + 0.1 * i, 7, 99.09 + 0.1 * i, 7.09) for i in range(len(upper))]
    with writer(db) as con:
        store_geometries(con, gpd.GeoDataFrame(upper[["code"]], geometry=boxes, crs="EPSG:4326"), "test")
    drawn = queries.map_figure(db, "happiness", "district", None, "value", "en")["figure"]
    assert len([tr for tr in drawn.data if tr.fill == "toself"]) == 11  # Phatthalung's, not Songkhla's 16
    monkeypatch.setenv("WELLBEING_PROVINCE", "90")
    assert queries.province_code(db) == "90"
    fig = queries.status_heatmap_figure(db, "en")
    n_90 = int((queries.areas(db).query("level == 'district'").code.str.startswith("90")).sum())
    assert len(fig.data[0].x) == n_90 == 16  # Songkhla's 16 districts, no Phatthalung model column
    monkeypatch.setenv("WELLBEING_PROVINCE", "99")  # not in the store: back to Phatthalung
    assert queries.province_code(db) == "93"


def test_worked_example_uses_the_progress_row(db):
    ex = queries.worked_example(db, "en")
    assert "Khok Muang" in ex["title"]
    p = progress_table(db, area="930307", indicator="poor_household_share").iloc[0]
    assert f"**{p.latest:.2f}**" in ex["text"] or f"**{p.latest:.1f}**" in ex["text"]
    assert charts.status_word(p.status, "en") in ex["text"]


def test_catalogues_come_from_the_registry():
    reg = load_registry()
    rows = sum(len(queries.indicator_catalogue("en", d)) for d in ("poverty", "tourism", "resources", "well-being"))
    assert rows == len(reg.indicators)
    m = queries.measure_catalogue("th")
    assert len(m) == len(reg.measures) and m["แหล่งข้อมูล"].str.len().min() > 0


def test_equity_and_sensitivity_views(db):
    e = queries.equity_view(db, "en")
    assert len(e) and {"Best", "Worst", "Gap"} <= set(e.shown().columns)
    frame, _ = e.exported()
    assert frame["Gap"].dtype == "float64" and (frame["Gap"].dropna() >= 0).all()
    table, fig = queries.sensitivity_view(db, "en")
    assert len(table) == 11 and len(fig.data) >= 1


def test_last_upload_describes_the_demo_batch(db):
    u = queries.last_upload(db, "en")
    assert "demo" in u["text"] and "65 subdistricts" in u["scope"]
    assert isinstance(u["replaced"], TableView) and u["replaced"].empty


def test_many_areas_become_the_best_and_worst_panels(db, monkeypatch):
    """Never hundreds of panels (a national store has 928 districts): the best and worst, with a note saying so."""
    monkeypatch.setattr(queries, "MAX_PANELS", 4)
    fig = queries.multiples_figure(db, "hotel_occupancy", None, "en")
    p = progress_table(db, level="district", indicator="hotel_occupancy").sort_values("latest")
    names = queries.areas(db).set_index("code").name_en
    shown = [a.text.split("<br>")[0] for a in fig.layout.annotations if "<br>" in a.text]
    assert sorted(shown) == sorted(names[c] for c in [*p.area_code[:2], *p.area_code[-2:]])  # 2 worst, 2 best
    assert any("Showing the 4 best and worst of 11 areas" in a.text for a in fig.layout.annotations)


def test_grid_of_many_rows_is_drawable():
    panels = [{"title": str(i), "unit": "", "series": pd.DataFrame({"year": [2020], "value": [1.0]}),
               "progress": None} for i in range(120)]
    fig = charts.trajectory_grid(panels, "th", cols=4)
    assert len(fig.layout.annotations) == 120


def test_area_axes_are_keyed_by_code_and_no_label_repeats(demo_db_session):
    """The reporting grids once grouped rows by name: ต.ดอนทราย (930510 and 930607) and ต.ควนขนุน (930302, 930501)
    merged and the labels, numbers and colours after the first repeat belonged to other subdistricts."""
    from tests._store import query_df

    db = demo_db_session
    subs = queries.areas(db)
    subs = subs[subs.level == "subdistrict"]
    for lang in ("th", "en"):
        for fig in (queries.coverage_by_year_figure(db, None, lang),
                    queries.coverage_by_measure_figure(db, 2026, None, lang)):
            y, ticks = list(fig.data[0].y), list(fig.layout.yaxis.ticktext)
            assert y == subs.code.tolist()  # one row per subdistrict, by code, in code order
            assert list(fig.layout.yaxis.tickvals) == y and len(set(ticks)) == len(ticks) == 65
        labels = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
        assert labels["930510"] != labels["930607"] and labels["930302"] != labels["930501"]
    # a row's numbers are its own subdistrict's: the count of measures 930607 sent in 2568
    fig = queries.coverage_by_year_figure(db, None, "th")
    row = list(fig.data[0].y).index("930607")
    col = list(fig.data[0].x).index("2568")
    sent = query_df("SELECT count(DISTINCT measure_id) AS n FROM observations WHERE area_code = '930607' "
                    "AND year = 2025", path=db).n.iloc[0]
    assert fig.data[0].z[row][col] == sent
    assert "930607" not in str(fig.data[0].customdata[row][col][0]) and "ดอนทราย" in fig.data[0].customdata[row][col][0]


def test_ranking_is_keyed_by_code_and_marks_incomplete_values(demo_db_session):
    fig = queries.ranking_figure(demo_db_session, "happiness", None, None, "en")
    codes = [c for trace in fig.data for c in trace.y]
    assert sorted(codes) == [f"93{k:02d}" for k in range(1, 12)]
    assert len(set(fig.layout.yaxis.ticktext)) == 11
    r = queries.ranking(demo_db_session, "happiness", None, None, "en")
    assert r.complete.any() and r.coverage.str.contains("subdistricts").all()


def test_overview_headline_matches_the_index_worked_by_hand(db):
    """Issue 18: every number of the headline from the index table and the observations, computed here apart."""
    import numpy as np

    from loaders.store import reader

    h = queries.overview_headline(db, "en")
    idx = index_table(db)
    hmi = idx[(idx.domain == "hmi") & idx.score.notna() & idx.complete]
    prov = hmi[hmi.area_code == "93"].sort_values("year")
    year = int(prov.year.iloc[-1])
    score = float(prov.score.iloc[-1])
    assert (h.year, h.target, h.target_year) == (year, 80.0, 2032)
    assert h.score == pytest.approx(score) and h.gap == pytest.approx(80 - score)
    assert h.years_left == 2032 - year and h.pace_needed == pytest.approx((80 - score) / (2032 - year))
    last5 = prov.tail(5)
    assert (h.pace_first, h.pace_last, h.pace_n) == (int(last5.year.iloc[0]), year, 5)
    assert h.pace_observed == pytest.approx(np.polyfit(last5.year, last5.score, 1)[0])
    ratio = h.pace_observed / h.pace_needed
    assert h.status == ("on_track" if ratio >= 0.95 else "moderately_improving" if ratio >= 0.5 else
                        "stagnating" if ratio >= 0 else "worsening")
    assert h.projected_year == year + int(np.ceil((80 - score) / h.pace_observed))
    assert h.previous == pytest.approx(float(prov.score.iloc[-2]))
    # every district of the province that year, highest first; the three lowest named, lowest first
    d = idx[(idx.domain == "hmi") & (idx.level == "district") & (idx.year == year) & idx.score.notna()]
    ranked = d.sort_values("score", ascending=False)
    assert [x.code for x in h.districts] == ranked.area_code.tolist() and len(h.districts) == 11
    lowest = d[d.complete].nsmallest(3, "score")
    assert [x.code for x in h.behind] == lowest.area_code.tolist()
    assert [x.gap for x in h.behind] == pytest.approx((80 - lowest.score).tolist())
    assert h.behind[0].label == queries.area_info(db, lowest.area_code.iloc[0], "en")["label"]
    # the councils of the latest year: subdistricts with any council figure
    measures = list(load_registry().council_measures)
    with reader(db) as con:
        latest, sent = con.execute(
            "SELECT max(year), count(DISTINCT area_code) FILTER (WHERE year = (SELECT max(year) FROM observations)) "
            "FROM observations o JOIN areas a ON a.code = o.area_code WHERE a.level = 'subdistrict' "
            "AND list_contains(?, o.measure_id)", [measures]).fetchall()[0]
    assert (h.report_year, h.reported, h.councils) == (latest, sent, 65)
    # what fed the province's index that year: the in-index indicators' reporting subdistricts
    from indicators.engine.tables import indicator_values

    v = indicator_values(db, area="93")
    ids = [i for i, ind in load_registry().indicators.items() if ind.in_index]
    v = v[(v.year == year) & v.indicator_id.isin(ids)]
    assert (h.fed_low, h.fed_high, h.fed_expected) == (v.n_subdistricts.min(), v.n_subdistricts.max(), 65)


def test_district_bar_is_keyed_by_code_ranked_with_the_target_and_the_gap_on_each_bar(db):
    h = queries.overview_headline(db, "th")
    fig = queries.district_index_figure(db, "th")
    codes = ["93", *[d.code for d in h.districts]]
    assert list(fig.layout.yaxis.categoryarray) == codes and list(fig.layout.yaxis.tickvals) == codes
    assert fig.layout.yaxis.ticktext[0] == "จ.พัทลุง" and "อ.เมืองพัทลุง" in fig.layout.yaxis.ticktext
    bars = {y: (x, text) for tr in fig.data if tr.type == "bar" and tr.y is not None and tr.y[0] is not None
            for y, x, text in zip(tr.y, tr.x, tr.text, strict=True)}
    assert set(bars) == set(codes)  # every bar keyed by its code, never by a name
    for d in h.districts:
        x, text = bars[d.code]
        assert x == pytest.approx(d.score) and text == f"{d.score:.1f} · ขาด {80 - d.score:.1f}"
    behind = next(tr for tr in fig.data if tr.name == "3 อำเภอที่ห่างเป้าหมายมากที่สุด")
    assert set(behind.y) == {d.code for d in h.behind}
    assert any(s.x0 == 80 and s.x1 == 80 for s in fig.layout.shapes)  # the target line
    assert any("เป้าหมาย 80 (2575)" in a.text for a in fig.layout.annotations)
    assert fig.layout.meta["years_be"] == [h.year + 543, h.year + 543]
