"""Issue 14 in AppTest: the upload page's choice of the measure for a file with years as columns, and the
Administration page's form that loads a council-shaped file as an agency's figures (checked first, then loaded)."""

from __future__ import annotations

import hashlib

import _apptest
from _apptest import app, ok, texts

from loaders import audit
from loaders.batches import list_batches
from loaders.store import reader

fast_hashing, store = _apptest.fast_hashing, _apptest.store

YEARS = "ตำบล,2569,2570\nโคกม่วง,4100,4150\nหานโพธิ์,3000,\n".encode()


def _key(prefix: str, data: bytes) -> str:
    return f"{prefix}_{hashlib.sha256(data).hexdigest()[:16]}"


def _codes(at) -> list[str]:
    frames = [df.value for df in at.dataframe if "รหัสปัญหา" in df.value.columns]
    return frames[0]["รหัสปัญหา"].tolist() if frames else []


def test_upload_page_offers_the_measure_of_a_years_file(store):
    at = app("somchai", "app_pages/upload.py")
    at.file_uploader[0].set_value(("dopa.csv", YEARS, "text/csv"))
    ok(at.run())
    assert _codes(at) == ["years-as-columns"] and at.button(key="upload_confirm").disabled
    choice = at.selectbox(key=_key("upload_measure", YEARS))
    assert choice.value == "" and choice.options[0] == "— เลือกตัวชี้วัด —"
    assert "จำนวนประชากร (population)" in choice.options  # councils' measures only: no agency-only rate
    assert not any("(occupancy_rate)" in o for o in choice.options)
    n = len(list_batches(store))
    ok(choice.set_value("population").run())
    assert _codes(at) == [] and not at.button(key="upload_confirm").disabled
    facts = texts(at)
    assert "รูปแบบตาราง: ปีเป็นคอลัมน์" in facts and "ตัวชี้วัดของคอลัมน์ปี: จำนวนประชากร" in facts
    assert len(list_batches(store)) == n, "the check wrote nothing"
    ok(at.button(key="upload_confirm").click().run())
    with reader(store) as con:
        got = con.execute("""SELECT o.area_code, o.year + 543, o.value FROM observations o JOIN batches b
                             ON b.id = o.batch_id WHERE b.file_name = 'dopa.csv' ORDER BY 1, 2""").fetchall()
    assert got == [("930306", 2569, 3000.0), ("930307", 2569, 4100.0), ("930307", 2570, 4150.0)]
    assert list_batches(store).iloc[0].uploaded_by == "somchai"


def test_upload_page_names_the_form_in_english(store):
    at = app("somchai")
    ok(at.radio(key="lang").set_value("en").run())
    ok(at.switch_page("app_pages/upload.py").run())
    at.file_uploader[0].set_value(("long.csv", b"area,year,measure,value\n930301,2569,population,5\n", "text/csv"))
    ok(at.run())
    assert "layout: long (area, year, measure, value)" in texts(at)
    at.file_uploader[0].set_value(("dopa.csv", YEARS, "text/csv"))
    ok(at.run())
    choice = at.selectbox(key=_key("upload_measure", YEARS))
    assert choice.label == "Measure of the year columns" and choice.options[0] == "— choose a measure —"
    assert "Households (households)" in choice.options
    ok(choice.set_value("households").run())
    assert "layout: years as columns" in texts(at) and "measure of the year columns: Households" in texts(at)


def test_admin_loads_a_council_shaped_file_as_an_agencys_figures(store):
    at = app("boss", "app_pages/admin.py")
    ok(at.selectbox(key="af_source").set_value("dopa").run())
    at.file_uploader(key="af_file_0").set_value(("dopa.csv", YEARS, "text/csv"))
    ok(at.run())
    assert at.button(key="af_load").disabled and "years-as-columns" in _codes(at)
    ok(at.selectbox(key=_key("af_measure", YEARS)).set_value("population").run())
    assert not at.button(key="af_load").disabled
    with reader(store) as con:
        before = con.execute("SELECT count(*) FROM official_observations").fetchall()[0][0]
        council = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    assert before == 0, "checked, not loaded"
    ok(at.button(key="af_load").click().run())
    assert at.success, texts(at)
    with reader(store) as con:
        got = con.execute("""SELECT area_code, source, year + 543, month, value FROM official_observations
                             ORDER BY 1, 3""").fetchall()
        batch = con.execute("SELECT kind, source, uploaded_by FROM batches ORDER BY id DESC LIMIT 1").fetchall()[0]
        assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] == council
    assert got == [("930306", "dopa", 2569, 0, 3000.0), ("930307", "dopa", 2569, 0, 4100.0),
                   ("930307", "dopa", 2570, 0, 4150.0)]
    assert batch == ("source", "dopa", "boss")
    assert "source" in set(audit.write_log(store).action)
    assert at.file_uploader(key="af_file_1").value is None, "a fresh file picker after loading"
