"""The demo: complete, plausible, reproducible, labelled as demo."""

from __future__ import annotations

import pandas as pd
import shapely

from indicators.registry import load_registry
from loaders.cli import main
from loaders.demo import MODEL_SUBDISTRICT, build_demo, demo_frame
from loaders.demo_shapes import SCHEMATIC
from loaders.geometry import read_shapes
from loaders.store import get_meta, reader

REQUIRED = {"households", "poor_households", "room_nights_sold", "room_nights_available", "visitors_thai",
            "visitors_foreign", "happiness_score"}


def test_same_seed_same_numbers_other_seed_other_numbers():
    _, a = demo_frame(7)
    _, b = demo_frame(7)
    _, c = demo_frame(8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["value"].equals(c["value"])


def test_every_measure_every_subdistrict_every_year():
    _, obs = demo_frame()
    assert set(obs.measure_id) == set(load_registry().council_measures) >= REQUIRED
    assert obs.area_code.nunique() == 65
    assert sorted(obs.year.unique() + 543) == list(range(2558, 2570))
    # gaps on purpose, but most cells present
    full = 65 * 12 * len(load_registry().council_measures)
    assert 0.85 * full < len(obs) < full
    assert not obs.duplicated(["area_code", "measure_id", "year"]).any()


def test_values_are_plausible():
    _, obs = demo_frame()
    wide = obs.pivot_table(index=["area_code", "year"], columns="measure_id", values="value")
    assert not (wide.poor_households > wide.households).any()  # NaN (a gap) compares False
    assert not (wide.room_nights_sold > wide.room_nights_available).any()
    assert not (wide.homes_repaired > wide.homes_needing_repair).any()
    assert not (wide.poor_income > wide.poor_people).any()
    assert wide.happiness_score.dropna().between(0, 10).all()
    by_year = obs.pivot_table(index="year", columns="measure_id", values="value", aggfunc="sum")
    pop = by_year.loc[2018, "population"]
    assert 480_000 < pop < 570_000  # about 525,000 in 2018
    visitors = by_year.visitors_thai + by_year.visitors_foreign
    assert visitors[2021] < 0.3 * visitors[2019]  # the 2564 collapse


def test_some_areas_improve_some_worsen():
    _, obs = demo_frame()
    share = obs.pivot_table(index=["area_code", "year"], columns="measure_id", values="value")
    share = (share.poor_households / share.households).unstack("year")
    change = share[2025] - share[2020]
    assert (change < -0.01).sum() >= 10 and (change > 0.005).sum() >= 3
    assert change[MODEL_SUBDISTRICT] < 0  # Khok Muang, the model subdistrict, improves


def test_build_demo_store(demo_db_session):
    with reader(demo_db_session) as con:
        assert get_meta(con, "demo") == "seed 2568"
        assert get_meta(con, "geometry_source") == SCHEMATIC
        batches = con.execute("SELECT kind, source, status FROM batches").fetchall()
        districts = read_shapes(con, "district")
        subs = read_shapes(con, "subdistrict")
    assert batches == [("demo", "demo", "loaded")]
    assert len(districts) == 11 and len(subs) == 65
    assert (subs.geometry_source == SCHEMATIC).all()
    assert subs.geometry.is_valid.all() and not subs.geometry.is_empty.any()
    # subdistricts tile their district exactly, and districts do not overlap
    for code, district in zip(districts.code, districts.geometry, strict=True):
        union = shapely.union_all(subs[subs.parent_code == code].geometry.to_numpy())
        assert abs(union.area - district.area) < 1e-9
    assert abs(districts.area_km2.sum() - subs.area_km2.sum()) < 1e-6
    assert 2_500 < subs.area_km2.sum() < 5_000


def test_rebuild_replaces_and_cli(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    first = build_demo(db)
    assert main(["demo", "--db", str(db)]) == 0
    with reader(db) as con:
        n = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
        hist = con.execute("SELECT count(*) FROM observation_history").fetchall()[0][0]
    assert n == first["observations"] and hist == 0
    assert "demo built" in capsys.readouterr().out
