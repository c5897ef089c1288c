"""Agency tables (issue 10): the ministry's monthly provincial tourism table, years derived the registry's way,
partial years, sources kept apart, and the same problem report as council files."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.engine.official import yearly_frame, yearly_from_monthly
from indicators.engine.tables import indicator_values, progress_table
from indicators.registry import load_registry
from loaders.batches import batch_problems
from loaders.sources import adapters, load_source
from loaders.store import reader
from loaders.uploads import load_file

FILE = "phatthalung_tourism_monthly_2019_2023.csv"
SPEC = adapters()["mots-tourism"]
ROOT = Path(__file__).resolve().parents[1]


def _load(db, data: bytes, name: str = "mots.csv", **kw):
    return load_source(SPEC, data, name, db=db, **kw)


def _small_csv(rows: list[str], header: str | None = None) -> bytes:
    header = header or ("date,province_code,province_th,province_en,no_tourist_all,no_tourist_thai,"
                        "no_tourist_foreign,no_tourist_stay,ratio_tourist_stay,revenue_all,revenue_thai,revenue_foreign")
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD_ROW = "2024-01-01,93,พัทลุง,Phatthalung,1000,900,100,500,50.5,2000000,1500000,500000"


def test_real_file_loads_and_matches_the_file(areas_db, real_file):
    raw = pd.read_csv(real_file)
    report = _load(areas_db, real_file.read_bytes(), real_file.name)
    assert report.status == "loaded", report.to_dict()["problems"][:3]
    assert report.rows_loaded == len(raw) == 50
    assert report.periods == ["2019-01", "2023-02"] and report.areas_loaded == ["93"]
    with reader(areas_db) as con:
        months = con.execute("""SELECT count(DISTINCT (year, month)) FROM official_observations
                                WHERE source = 'ministry' AND area_code = '93'""").fetchall()[0][0]
        batch_source = con.execute("SELECT kind, source FROM batches WHERE id = ?", [report.batch_id]).fetchall()[0]
        council = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    assert months == 50 and batch_source == ("source", "ministry") and council == 0

    raw["year"] = raw.date.str[:4].astype(int)
    visitors_2019 = raw.loc[raw.year == 2019, "no_tourist_all"].sum()
    occupancy_2021 = raw.loc[raw.year == 2021, "ratio_tourist_stay"].mean()
    revenue_2020 = raw.loc[raw.year == 2020, "revenue_all"].sum() / 1e6
    v = indicator_values(areas_db, area="93").set_index(["indicator_id", "year"])
    assert v.at[("visitors_total", 2019), "value"] == pytest.approx(visitors_2019)
    assert 1.6e6 < visitors_2019 < 1.65e6  # the file's own figure, not a hard-coded one
    assert v.at[("hotel_occupancy", 2021), "value"] == pytest.approx(occupancy_2021)
    assert v.at[("tourism_revenue", 2020), "value"] == pytest.approx(revenue_2020)
    assert v.at[("visitors_foreign", 2022), "value"] == pytest.approx(
        raw.loc[raw.year == 2022, "no_tourist_foreign"].sum())
    # the partial year 2023 (two months) is never an indicator's year
    assert 2023 not in v.index.get_level_values("year")
    with reader(areas_db) as con:
        years = yearly_frame(con).set_index(["measure_id", "year"])
    assert years.at[("visitors_thai", 2023), "n_months"] == 2 and not years.at[("visitors_thai", 2023), "complete"]
    assert years.at[("visitors_thai", 2023), "value"] == raw.loc[raw.year == 2023, "no_tourist_thai"].sum()
    assert years.at[("occupancy_rate", 2022), "complete"]
    # progress at province level uses the ministry's four complete years
    p = progress_table(areas_db, area="93").set_index("indicator_id")
    assert p.at["hotel_occupancy", "n_years"] == 4 and p.at["hotel_occupancy", "latest_year"] == 2022
    assert p.at["hotel_occupancy", "latest"] == pytest.approx(raw.loc[raw.year == 2022, "ratio_tourist_stay"].mean())


def test_reimport_adds_nothing(areas_db, real_file):
    data = real_file.read_bytes()
    first = _load(areas_db, data, real_file.name)
    again = _load(areas_db, data, real_file.name)
    assert again.status == "duplicate" and again.duplicate_of == first.batch_id
    # the same figures in other bytes (an Excel copy) load as a batch that changes nothing
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    with real_file.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            cells = line.rstrip("\n").split(",")
            ws.append(cells if i == 0 else [cells[0], int(cells[1]), *cells[2:4], *map(float, cells[4:])])
    out = io.BytesIO()
    wb.save(out)
    xlsx = _load(areas_db, out.getvalue(), "mots.xlsx")
    assert xlsx.status == "loaded" and xlsx.values_loaded == 350 and xlsx.values_changed == 0
    with reader(areas_db) as con:
        assert con.execute("SELECT count(*) FROM official_observations").fetchall()[0][0] == 350
        assert con.execute("SELECT count(*) FROM official_history").fetchall()[0][0] == 0


def test_all_provinces_filtered_to_the_store(areas_db):
    rows = [GOOD_ROW, GOOD_ROW.replace(",93,พัทลุง,Phatthalung", ",10,กรุงเทพมหานคร,Bangkok"),
            GOOD_ROW.replace(",93,พัทลุง,Phatthalung", ",90,สงขลา,Songkhla")]
    report = _load(areas_db, _small_csv(rows))
    assert report.status == "loaded" and report.rows_loaded == 1 and report.skipped_rows == 2
    assert report.skipped_areas == ["10", "90"]
    with reader(areas_db) as con:
        got = con.execute("""SELECT measure_id, value FROM official_observations ORDER BY measure_id""").fetchall()
    got = dict(got)
    assert got["tourism_revenue"] == pytest.approx(2.0) and got["tourism_revenue_thai"] == pytest.approx(1.5)
    assert got["occupancy_rate"] == 50.5 and got["guests_staying"] == 500 and "visitors_total" not in got


@pytest.mark.parametrize("data, code, column", [
    (_small_csv([GOOD_ROW.replace("2024-01-01,", "")], "province_code,province_th,province_en,no_tourist_all,"
                "no_tourist_thai,no_tourist_foreign,no_tourist_stay,ratio_tourist_stay,revenue_all,revenue_thai,"
                "revenue_foreign"), "missing-column", None),
    (_small_csv([GOOD_ROW, GOOD_ROW.replace("2024-01-01,93,", "2024-02-01,99,")]), "unknown-area", "province_code"),
    (_small_csv([GOOD_ROW, GOOD_ROW.replace(",900,", ",many,").replace("2024-01", "2024-02")]), "type-error",
     "no_tourist_thai"),
    (_small_csv([GOOD_ROW, GOOD_ROW.replace("2024-01-01", "next month")]), "type-error", "date"),
    (_small_csv([GOOD_ROW, GOOD_ROW]), "duplicate-row", "date"),
    (_small_csv([GOOD_ROW.replace(",1000,", ",1200,")]), "out-of-range", "no_tourist_all"),
    (_small_csv([GOOD_ROW.replace(",50.5,", ",150,")]), "out-of-range", "ratio_tourist_stay"),
    (_small_csv([GOOD_ROW.replace(",1500000,", ",2500000,")]), "part-exceeds-whole", "revenue_thai"),
])
def test_malformed_table_rejected_with_the_problem_report(areas_db, data, code, column):
    report = _load(areas_db, data)
    assert report.status == "rejected" and not report.ok
    found = [p for p in report.problems if p.code == code]
    assert found, report.to_dict()["problems"]
    assert all(p.message_th and p.message_en for p in report.problems)
    if column:
        assert found[0].column == column and found[0].row >= 2
    with reader(areas_db) as con:
        assert con.execute("SELECT count(*) FROM official_observations").fetchall()[0][0] == 0
    kept = batch_problems(report.batch_id, areas_db)  # kept in the store, as for council files
    assert code in set(kept.code)
    # the same report shape as a council file's
    council = load_file(b"area,year,households\n930307,2568,abc\n", "c.csv", db=areas_db)
    assert set(report.to_dict()["problems"][0]) == set(council.to_dict()["problems"][0])
    assert set(council.to_dict()) <= set(report.to_dict())


def test_skip_invalid_loads_the_good_rows(areas_db):
    data = _small_csv([GOOD_ROW, GOOD_ROW.replace("2024-01-01,93,", "2024-02-01,99,")])
    report = _load(areas_db, data, skip_invalid=True)
    assert report.status == "partial" and report.rows_loaded == 1 and report.problem_count == 1


def test_periods_in_be_and_month_year():
    from loaders.sources import parse_period

    assert parse_period("2562-03", "month") == (2019, 3)
    assert parse_period("03/2019", "month") == (2019, 3)
    assert parse_period("๒๕๖๒-๐๓-๐๑", "month") == (2019, 3)
    assert parse_period("2019-13", "month") is None and parse_period("March", "month") is None
    import datetime as dt

    assert parse_period(dt.datetime(2020, 5, 1), "month") == (2020, 5)


def test_monthly_to_yearly_by_hand():
    reg = load_registry()
    rows = []
    for m in range(1, 13):
        rows += [("93", "visitors_thai", "ministry", 2020, m, 100.0 * m),
                 ("93", "occupancy_rate", "ministry", 2020, m, 10.0 if m <= 6 else 40.0)]
    rows += [("93", "visitors_thai", "ministry", 2021, 1, 7.0), ("93", "visitors_thai", "ministry", 2021, 2, 8.0)]
    monthly = pd.DataFrame(rows, columns=["area_code", "measure_id", "source", "year", "month", "value"])
    y = yearly_from_monthly(monthly, reg).set_index(["measure_id", "year"])
    assert y.at[("visitors_thai", 2020), "value"] == 100 * 78  # 100 × (1 + … + 12)
    assert y.at[("occupancy_rate", 2020), "value"] == 25.0  # plain mean: (6 × 10 + 6 × 40) / 12
    assert y.at[("visitors_thai", 2021), "value"] == 15.0 and y.at[("visitors_thai", 2021), "n_months"] == 2
    assert not y.at[("visitors_thai", 2021), "complete"] and y.at[("visitors_thai", 2020), "complete"]
    # a guest-weighted mean, were a measure declared so: Σ(rate × guests) / Σ guests
    weighted = reg.measures["occupancy_rate"].model_copy(update={"monthly_to_yearly": "weighted_mean",
                                                                 "monthly_weight": "guests_staying"})
    reg2 = reg.model_copy(update={"measures": {**reg.measures, "occupancy_rate": weighted}})
    guests = pd.DataFrame([("93", "guests_staying", "ministry", 2020, m, 1.0 if m <= 6 else 3.0)
                           for m in range(1, 13)], columns=monthly.columns)
    y2 = yearly_from_monthly(pd.concat([monthly, guests]), reg2).set_index(["measure_id", "year"])
    assert y2.at[("occupancy_rate", 2020), "value"] == pytest.approx((6 * 10 * 1 + 6 * 40 * 3) / (6 + 18))
    assert y2.at[("guests_staying", 2020), "value"] == 24.0


def test_sources_never_mixed_on_the_demo(demo_db, real_file):
    before = indicator_values(demo_db, indicator="visitors_total")
    report = _load(demo_db, real_file.read_bytes(), real_file.name)
    assert report.status == "loaded"
    after = indicator_values(demo_db, indicator="visitors_total")
    prov_before = before[before.level == "province"]
    prov = after[after.level == "province"].set_index("year")
    # the province's series is the ministry's complete years only, not joined to the council roll-up
    assert list(prov.index) == [2019, 2020, 2021, 2022] and (prov.n_subdistricts == 0).all()
    assert len(prov_before) > 4
    # districts and subdistricts are the councils' figures, unchanged
    keep = ["area_code", "year", "value"]
    pd.testing.assert_frame_equal(before.loc[before.level != "province", keep].reset_index(drop=True),
                                  after.loc[after.level != "province", keep].reset_index(drop=True))
    # an indicator that prefers councils (visitors per resident) keeps the roll-up at the province
    vpr = indicator_values(demo_db, indicator="visitors_per_resident", area="93")
    assert (vpr.n_subdistricts > 0).all()


def test_cli_source(areas_db, real_file):
    env_cmd = [sys.executable, "-m", "loaders", "source", "mots-tourism"]
    done = subprocess.run([*env_cmd, str(real_file), "--db", str(areas_db), "--json"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["status"] == "loaded" and out["source"] == "ministry" and out["rows_loaded"] == 50
    bad = areas_db.parent / "bad.csv"
    bad.write_bytes(_small_csv([GOOD_ROW.replace(",900,", ",n/a,")]))
    done = subprocess.run([*env_cmd, str(bad), "--db", str(areas_db), "--json"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 2
    out = json.loads(done.stdout)
    assert out["ok"] is False and out["problems"][0]["code"] == "type-error"
    assert np.isfinite(out["problem_count"])


def test_undo_an_agency_batch(areas_db):
    from loaders.batches import undo_batch

    first = _load(areas_db, _small_csv([GOOD_ROW]))
    second = _load(areas_db, _small_csv([GOOD_ROW.replace(",50.5,", ",60,")]))
    assert second.values_changed == 1
    with pytest.raises(Exception, match="undo those first"):
        undo_batch(first.batch_id, db=areas_db)
    assert undo_batch(second.batch_id, db=areas_db)["restored"] == 1
    with reader(areas_db) as con:
        rate = con.execute("SELECT value FROM official_observations WHERE measure_id = 'occupancy_rate'").fetchall()
    assert rate == [(50.5,)]
    assert undo_batch(first.batch_id, db=areas_db)["removed"] == 7
    with reader(areas_db) as con:
        assert con.execute("SELECT count(*) FROM official_observations").fetchall()[0][0] == 0
        assert con.execute("SELECT count(*) FROM official_history").fetchall()[0][0] == 1 + 1 + 7
