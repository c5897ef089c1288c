"""The project's tables equal a plain pandas reference (benchmarks/pandas_reference.py) on the demo store.

Speed is measured by ``make bench`` (benchmarks/indicators.py), never asserted here.
"""

from __future__ import annotations

import os

from benchmarks.pandas_reference import compare, compute, project
from indicators.engine import tables as V
from indicators.engine import values
from indicators.engine.tables import indicator_values, progress_table
from loaders.store import writer


def test_project_equals_pandas_reference(demo_db_session):
    V.clear_cache()
    assert compare(project(demo_db_session), compute(demo_db_session)) == []


def test_equal_with_target_overrides_and_an_uploaded_district_figure(demo_db):
    with writer(demo_db) as con:
        con.execute("INSERT INTO targets (indicator_id, area_code, target, target_year, set_by) VALUES "
                    "('happiness', '', 9.5, 2035, 'test'), ('happiness', '9301', 7.0, 2030, 'test'), "
                    "('hotel_occupancy', '930101', 99.0, 2032, 'test')")
        # a district's own figure beats the roll-up; a subdistrict's happiness without its population weight
        con.execute("INSERT OR REPLACE INTO observations (area_code, measure_id, year, value, batch_id) VALUES "
                    "('9302', 'room_nights_sold', 2024, 1000, 1), ('9302', 'room_nights_available', 2024, 4000, 1)")
        con.execute("DELETE FROM observations WHERE area_code = '930101' AND measure_id = 'population' "
                    "AND year = 2024")
    V.clear_cache()
    assert compare(project(demo_db), compute(demo_db)) == []


def test_cache_follows_the_store(demo_db):
    """A computation is reused while the file is unchanged and recomputed after a write."""
    V.clear_cache()
    old = 1_600_000_000
    os.utime(demo_db, (old, old))  # an old, settled file: eligible for the cache
    first = indicator_values(demo_db, area="9301", indicator="happiness")
    assert V._CACHE, "a settled store is cached"
    assert first.equals(indicator_values(demo_db, area="9301", indicator="happiness"))
    year = int(first.year.max())
    with writer(demo_db) as con:
        con.execute("INSERT OR REPLACE INTO observations (area_code, measure_id, year, value, batch_id) VALUES "
                    f"('9301', 'happiness_score', {year}, 1.0, 1), ('9301', 'population', {year}, 1000, 1)")
    after = indicator_values(demo_db, area="9301", indicator="happiness")
    assert after.value.iloc[-1] == 1.0 and first.value.iloc[-1] != 1.0
    assert progress_table(demo_db, area="9301", indicator="happiness").latest.iloc[0] == 1.0


def test_sql_form_gives_the_same_values(demo_db_session):
    """values_sql (the SQL a server engine would run) and the dense engine agree."""
    from benchmarks.pandas_reference import _compare_frame
    from indicators.engine.values import COLUMNS, fetch_frame, values_sql
    from loaders.store import reader

    with reader(demo_db_session) as con:
        sql = fetch_frame(con, f"SELECT * FROM ({values_sql()}) ORDER BY CASE level WHEN 'province' THEN 0 "
                               "WHEN 'district' THEN 1 ELSE 2 END, area_code, indicator_id, year")[COLUMNS]
    keys = ["area_code", "level", "parent_code", "indicator_id", "year"]
    assert _compare_frame("values", indicator_values(demo_db_session), sql, keys, 1e-9) == []


def test_a_store_without_figures_gives_empty_tables(areas_db):
    from indicators.engine import index as I
    from indicators.engine import progress as P
    from indicators.engine import tables as TB

    V.clear_cache()
    assert list(indicator_values(areas_db).columns) == values.COLUMNS and indicator_values(areas_db).empty
    assert list(progress_table(areas_db).columns) == P.COLUMNS and progress_table(areas_db).empty
    assert list(TB.index_table(areas_db).columns) == I.COLUMNS and TB.index_table(areas_db).empty
    assert TB.equity_table(areas_db).empty and TB.sensitivity_table(areas_db).empty


def test_filtered_calls_are_slices_of_the_full_tables(demo_db_session):
    from indicators.engine.tables import index_table

    V.clear_cache()
    db = demo_db_session
    full_v, full_p, full_i = indicator_values(db), progress_table(db), index_table(db)

    def same(got, want):
        assert got.reset_index(drop=True).equals(want.reset_index(drop=True))

    for level in ("province", "district", "subdistrict"):
        same(indicator_values(db, level=level), full_v[full_v.level == level])
        same(progress_table(db, level=level), full_p[full_p.level == level])
        same(index_table(db, level=level), full_i[full_i.level == level])
    for area in ("93", "9301", "930101"):
        same(indicator_values(db, area=area), full_v[full_v.area_code == area])
        same(progress_table(db, area=area, indicator="happiness"),
             full_p[(full_p.area_code == area) & (full_p.indicator_id == "happiness")])
        same(index_table(db, area=area), full_i[full_i.area_code == area])
    year = int(full_i.year.max())
    same(index_table(db, level="district", year=year), full_i[(full_i.level == "district") & (full_i.year == year)])
    same(indicator_values(db, indicator="hotel_occupancy", level="district"),
         full_v[(full_v.indicator_id == "hotel_occupancy") & (full_v.level == "district")])
