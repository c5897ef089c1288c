"""Indicator values at every level, checked against numbers computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.engine.tables import indicator_values
from indicators.engine.values import COLUMNS, UnknownName, values_sql
from indicators.registry import load_registry
from loaders.demo import YEARS as DEMO_YEARS
from loaders.store import reader
from tests._store import put

A, B, C = "930101", "930103", "930104"  # three subdistricts of district 9301 (Mueang Phatthalung)
E = "930201"  # a subdistrict of district 9302



def one(frame: pd.DataFrame, area: str, indicator: str, year: int = 2025) -> pd.Series:
    rows = frame[(frame.area_code == area) & (frame.indicator_id == indicator) & (frame.year == year)]
    assert len(rows) == 1, f"expected one row for {area} {indicator} {year}, got {len(rows)}"
    return rows.iloc[0]


def test_columns_and_levels(demo_db_session):
    frame = indicator_values(demo_db_session)
    assert list(frame.columns) == COLUMNS
    assert set(frame.level) == {"province", "district", "subdistrict"}
    assert frame.year.between(DEMO_YEARS[0], DEMO_YEARS[-1]).all()
    assert set(frame.indicator_id) <= set(load_registry().indicators)
    assert not frame.duplicated(["area_code", "indicator_id", "year"]).any()


def test_ratio_of_sums_not_mean_of_rates(areas_db):
    # A: 90 / 100 room-nights = 90 %;  B: 100 / 1000 = 10 %.
    # The mean of the two rates would be 50 %; the district's occupancy is (90 + 100) / (100 + 1000) = 190 / 1100
    # = 17.272727… %.
    put(areas_db, [
        (A, "room_nights_sold", 2025, 90), (A, "room_nights_available", 2025, 100),
        (B, "room_nights_sold", 2025, 100), (B, "room_nights_available", 2025, 1000),
    ])
    frame = indicator_values(areas_db, indicator="hotel_occupancy")
    assert one(frame, A, "hotel_occupancy").value == pytest.approx(90.0)
    assert one(frame, B, "hotel_occupancy").value == pytest.approx(10.0)
    district = one(frame, "9301", "hotel_occupancy")
    assert district.value == pytest.approx(100 * 190 / 1100)
    assert district.value != pytest.approx(50.0)
    assert (district.numerator, district.denominator, district.n_subdistricts) == (190, 1100, 2)
    assert district.level == "district" and district.parent_code == "93"
    province = one(frame, "93", "hotel_occupancy")
    assert province.value == pytest.approx(17.272727272727)
    assert province.n_subdistricts == 2


def test_partial_subdistrict_is_left_out_of_the_roll_up(areas_db):
    # C reported room-nights sold but not available: its own value is NULL and the district uses A and B only.
    put(areas_db, [
        (A, "room_nights_sold", 2025, 90), (A, "room_nights_available", 2025, 100),
        (B, "room_nights_sold", 2025, 100), (B, "room_nights_available", 2025, 1000),
        (C, "room_nights_sold", 2025, 500),
    ])
    frame = indicator_values(areas_db, indicator="hotel_occupancy")
    c = one(frame, C, "hotel_occupancy")
    assert math.isnan(c.value) and c.numerator == 500 and math.isnan(c.denominator) and c.n_subdistricts == 0
    district = one(frame, "9301", "hotel_occupancy")
    assert district.numerator == 190 and district.n_subdistricts == 2  # not 690


def test_weighted_mean_uses_the_measures_weight(areas_db):
    # happiness: A scores 8 with 1,000 people, B scores 6 with 3,000 people.
    # District = (8 × 1000 + 6 × 3000) / (1000 + 3000) = 26000 / 4000 = 6.5  (the plain mean would be 7).
    # C scores 9 but has no population figure: its own value is 9, and it cannot feed the district.
    put(areas_db, [
        (A, "happiness_score", 2025, 8), (A, "population", 2025, 1000),
        (B, "happiness_score", 2025, 6), (B, "population", 2025, 3000),
        (C, "happiness_score", 2025, 9),
    ])
    frame = indicator_values(areas_db, indicator="happiness")
    assert one(frame, A, "happiness").value == 8
    assert one(frame, C, "happiness").value == 9
    assert one(frame, C, "happiness").n_subdistricts == 0
    district = one(frame, "9301", "happiness")
    assert district.value == pytest.approx(6.5)
    assert (district.numerator, district.denominator, district.n_subdistricts) == (26000, 4000, 2)


def test_subtracted_terms_totals_and_zero_denominators(areas_db):
    put(areas_db, [
        # youth_return = 1000 × (in − out) / population = 1000 × (30 − 50) / 2000 = −10 per 1,000
        (A, "youth_in", 2025, 30), (A, "youth_out", 2025, 50), (A, "population", 2025, 2000),
        # visitors_total = thai + foreign; B lacks foreign visitors, so its total is unknown (not 700)
        (A, "visitors_thai", 2025, 1000), (A, "visitors_foreign", 2025, 50),
        (B, "visitors_thai", 2025, 700),
        # a zero denominator gives no value: 0 poor households of 0 households
        (C, "poor_households", 2025, 0), (C, "households", 2025, 0),
    ])
    frame = indicator_values(areas_db)
    assert one(frame, A, "youth_return").value == pytest.approx(-10.0)
    assert one(frame, A, "youth_return").numerator == -20
    assert one(frame, A, "visitors_total").value == 1050
    assert math.isnan(one(frame, A, "visitors_total").denominator)
    assert math.isnan(one(frame, B, "visitors_total").value)
    assert one(frame, "9301", "visitors_total").value == 1050  # B is not complete: left out
    assert math.isnan(one(frame, C, "poor_household_share").value)
    assert math.isnan(one(frame, "9301", "poor_household_share").value)
    # visitors per resident: A has both parts (1050 / 2000); B has no population
    assert one(frame, A, "visitors_per_resident").value == pytest.approx(0.525)


def test_a_figure_for_the_district_itself_beats_the_roll_up(areas_db):
    # District 9302 reported its own occupancy parts (60 / 100); its subdistrict E says 10 / 100.
    put(areas_db, [
        ("9302", "room_nights_sold", 2025, 60), ("9302", "room_nights_available", 2025, 100),
        (E, "room_nights_sold", 2025, 10), (E, "room_nights_available", 2025, 100),
    ])
    frame = indicator_values(areas_db, indicator="hotel_occupancy")
    own = one(frame, "9302", "hotel_occupancy")
    assert own.value == pytest.approx(60.0) and own.n_subdistricts == 0
    assert one(frame, E, "hotel_occupancy").value == pytest.approx(10.0)
    # the province is still the roll-up of its subdistricts: 10 / 100
    assert one(frame, "93", "hotel_occupancy").value == pytest.approx(10.0)


def test_filters_and_unknown_names(demo_db_session):
    districts = indicator_values(demo_db_session, level="district", indicator="hotel_occupancy")
    assert set(districts.level) == {"district"} and set(districts.indicator_id) == {"hotel_occupancy"}
    assert districts.area_code.nunique() == 11
    with pytest.raises(UnknownName, match="unknown indicator"):
        indicator_values(demo_db_session, indicator="no_such_thing")
    with pytest.raises(UnknownName, match="unknown level"):
        indicator_values(demo_db_session, level="village")
    with pytest.raises(UnknownName, match="unknown area"):
        indicator_values(demo_db_session, area="99")


def test_district_rates_are_sums_over_subdistricts_in_the_demo(demo_db_session):
    """Recompute every district ratio from the subdistrict parts with pandas: same numbers."""
    frame = indicator_values(demo_db_session)
    registry = load_registry()
    ratios = [i.id for i in registry.indicators.values() if i.formula.kind == "ratio"]
    subs = frame[(frame.level == "subdistrict") & frame.indicator_id.isin(ratios) & (frame.n_subdistricts == 1)]
    sums = subs.groupby(["parent_code", "indicator_id", "year"])[["numerator", "denominator"]].sum().reset_index()
    scale = sums.indicator_id.map({i: registry.indicator(i).formula.scale for i in ratios})
    sums["expected"] = scale * sums.numerator / sums.denominator
    # (values with estimates carry earlier figures of the silent subdistricts: test_coverage checks those)
    got = frame[(frame.level == "district") & (frame.n_estimated == 0)].merge(
        sums, left_on=["area_code", "indicator_id", "year"], right_on=["parent_code", "indicator_id", "year"])
    assert len(got) > 900
    assert (got.value - got.expected).abs().max() < 1e-9


def test_values_sql_is_one_query(demo_db_session):
    sql = values_sql(load_registry())
    assert sql.count("SELECT") > 1 and "UNION ALL" in sql
    with reader(demo_db_session) as con:
        n = con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
    assert n == len(indicator_values(demo_db_session))


def test_text_columns_are_categoricals_that_sort_like_text(demo_db_session):
    """Millions of rows without copying strings; sorting, comparing and exporting behave as for text."""
    from indicators.engine.progress import STATUSES
    from indicators.engine.tables import progress_table

    v = indicator_values(demo_db_session)
    for col in ("area_code", "parent_code", "indicator_id"):
        assert isinstance(v[col].dtype, pd.CategoricalDtype)
        cats = list(v[col].cat.categories)
        assert cats == sorted(cats)
    assert list(v.level.cat.categories) == ["province", "district", "subdistrict"]
    codes = v.area_code.astype(str)
    assert v.sort_values("area_code", kind="stable").area_code.astype(str).tolist() == sorted(codes)
    assert (v.area_code == "9301").sum() == (codes == "9301").sum() > 0
    assert v.loc[v.level == "province", "parent_code"].isna().all()
    p = progress_table(demo_db_session)
    assert list(p.status.cat.categories) == list(STATUSES)
    assert set(p.status.astype(str)) <= set(STATUSES)


def test_the_sql_form_for_one_area_reads_only_its_part_and_gives_the_same_rows(demo_db_session):
    from indicators.engine.values import fetch_frame, filtered_values_sql

    with reader(demo_db_session) as con:
        for area in ("93", "9303", "930307"):
            sql, params = filtered_values_sql(load_registry(), area=area)
            assert "scoped" in sql
            part = fetch_frame(con, sql, params).sort_values(["indicator_id", "year"]).reset_index(drop=True)
            whole = fetch_frame(con, f"SELECT * FROM ({values_sql()}) WHERE area_code = ?", [area])
            whole = whole.sort_values(["indicator_id", "year"]).reset_index(drop=True)
            assert len(part) > 0
            pd.testing.assert_frame_equal(part, whole)
