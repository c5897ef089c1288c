"""Everything in one zip (issue 18): every table and the registry as CSV, from the methods page and the command line;
the coverage table counted by hand."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.engine.tables import index_table, indicator_values, progress_table
from indicators.present import queries
from indicators.present.bundle import TABLES, coverage_table, everything_zip, table_frame
from indicators.registry import load_registry
from loaders.store import writer

ROOT = Path(__file__).resolve().parents[1]


def _csv(data: bytes) -> pd.DataFrame:
    """A table CSV as written: UTF-8 with BOM, one header row "ไทย / English"."""
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False, na_values=[""])


def test_coverage_counts_the_subdistricts_that_sent_anything(areas_db):
    # district 9303 (Khao Chaison) has 5 subdistricts; two send figures in 2025, one of them in 2024 too
    with writer(areas_db) as con:
        con.execute("INSERT INTO batches (id, kind, status, uploaded_at) VALUES (1, 'upload', 'loaded', now())")
        for code, year in (("930301", 2025), ("930302", 2025), ("930301", 2024)):
            con.execute("INSERT INTO observations (area_code, measure_id, year, value, batch_id) "
                        "VALUES (?, 'population', ?, 100, 1)", [code, year])
    c = coverage_table(areas_db).set_index(["area_code", "year"])
    assert c.loc[("9303", 2025), ["n_reporting", "n_expected", "share_pct"]].tolist() == [2, 5, 40.0]
    assert c.loc[("9303", 2024), ["n_reporting", "n_expected"]].tolist() == [1, 5]
    assert c.loc[("930301", 2024), "n_reporting"] == 1 and c.loc[("930302", 2024), "n_reporting"] == 0
    assert c.loc[("93", 2025), ["n_reporting", "n_expected"]].tolist() == [2, 65]
    assert c.loc[("9301", 2025), "n_reporting"] == 0 and c.loc[("93", 2025), "year_be"] == 2568


def test_the_zip_holds_every_table_whole(demo_db_session):
    data = everything_zip(demo_db_session, "en")
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = set(zf.namelist())
    assert {f"{t}.csv" for t in TABLES} | {"indicators.csv", "measures.csv", "README.txt"} <= names
    assert {"catalogue/indicators.yaml", "catalogue/measures.yaml", "catalogue/index.yaml"} <= names
    assert len(_csv(zf.read("values.csv"))) == len(indicator_values(demo_db_session))
    assert len(_csv(zf.read("progress.csv"))) == len(progress_table(demo_db_session))
    assert len(_csv(zf.read("index.csv"))) == len(index_table(demo_db_session))
    assert len(_csv(zf.read("indicators.csv"))) == len(load_registry().indicators)
    progress = _csv(zf.read("progress.csv"))
    assert "สถานะ / Status" in progress.columns and "ค่าล่าสุด / Latest" in progress.columns
    assert pd.api.types.is_float_dtype(progress["ค่าล่าสุด / Latest"])  # numbers stay numbers
    assert "Mueang Phatthalung" in set(progress["พื้นที่ / Area"])
    assert (ROOT / "indicators/catalogue/indicators.yaml").read_bytes() == zf.read("catalogue/indicators.yaml")
    assert "values.csv" in zf.read("README.txt").decode("utf-8")


def test_a_table_for_an_area_and_its_subdistricts(demo_db_session):
    frame = table_frame("coverage", db=demo_db_session, area="9303")
    inside = queries.areas(demo_db_session).query("parent_code == '9303'").code
    assert set(frame.area_code) == {"9303", *inside} and len(inside) == 5
    with pytest.raises(Exception, match="unknown area"):
        table_frame("coverage", db=demo_db_session, area="0000")


def test_the_methods_page_downloads_everything(monkeypatch, demo_db_session, deferred):
    monkeypatch.setenv("WELLBEING_DB", str(demo_db_session))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/methods.py").run()
    assert not at.exception
    button = next(b for b in at.get("download_button") if b.key == "dl_everything")
    assert button.proto.deferred_file_id, "made on click, not at page run"
    assert "ดาวน์โหลดข้อมูลทั้งหมด" in button.proto.label
    zf = zipfile.ZipFile(io.BytesIO(deferred[button].make()))
    assert "progress.csv" in zf.namelist() and deferred[button].file_name.endswith(".zip")


def test_the_command_line_writes_the_zip(demo_db_session, tmp_path):
    out = tmp_path / "all.zip"
    done = subprocess.run([sys.executable, "-m", "indicators", "export", "all", "-o", str(out), "--db",
                           str(demo_db_session), "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["format"] == "zip"
    assert "coverage.csv" in zipfile.ZipFile(out).namelist()
