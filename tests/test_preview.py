"""The preview of an upload (issue 18): what a file's values meet in a known store (name → code, text → number, old →
new), the implausible-change warning, which rejects nothing, and the command line's dry run that prints it."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from _store import put, query_df

from loaders import preview as preview_module
from loaders.cli import main
from loaders.store import reader
from loaders.uploads import load_file

WARNING_TH = ("จำนวนประชากร ต.เขาชัยสน อ.เขาชัยสน ปี 2569: 18,003 → 8,912 (−50 %) ห่างจากค่าปี 2568 ของพื้นที่มาก: "
              "ตรวจว่าถูกต้อง")
WARNING_EN = ("Population, Khao Chaison Subdistrict (Khao Chaison District), 2569 BE: 18,003 → 8,912 (−50 %) is far "
              "from the area's value for 2568 BE: check that it is right")


@pytest.fixture
def known(areas_db):
    """The official areas and four stored values (years CE): 930301's population 18,003 in 2568 BE; 930302's 9,000
    (2568) and 9,100 (2569); 930302's households 2,500 (2569)."""
    put(areas_db, [("930301", "population", 2025, 18_003.0), ("930302", "population", 2025, 9_000.0),
                   ("930302", "population", 2026, 9_100.0), ("930302", "households", 2026, 2_500.0)])
    return areas_db


def _batch_of(db, area, measure, year):
    return int(query_df("SELECT batch_id FROM observations WHERE area_code = ? AND measure_id = ? AND year = ?",
                        [area, measure, year], db).batch_id[0])


FILE = ("area,year,measure,value\n"
        'ต.เขาชัยสน,2569,population,"8,912"\n'  # row 2: new cell; 2568 holds 18,003: a warning
        "ต.ควนขนุน อ.เขาชัยสน,2569,population,9150\n"  # row 3: replaces 9,100 (+0.5 %)
        "930302,2569,households,2500\n"  # row 4: the same as stored
        "930305,2568,population,4000\n").encode()  # row 5: nothing stored for the area


def test_dry_run_shows_matched_rows_replacements_and_the_warning(known):
    report = load_file(FILE, "f.csv", db=known, dry_run=True)
    assert (report.status, report.problem_count, report.warning_count) == ("checked", 0, 1)
    pv = report.preview
    assert (pv.values, pv.new, pv.replaced, pv.same) == (4, 2, 1, 1)
    expected = pd.DataFrame({
        "row": [2, 3, 4, 5],
        "area_written": ["ต.เขาชัยสน", "ต.ควนขนุน อ.เขาชัยสน", "930302", "930305"],
        "area_code": ["930301", "930302", "930302", "930305"],
        "name_th": ["เขาชัยสน", "ควนขนุน", "ควนขนุน", "จองถนน"],
        "measure_id": ["population", "population", "households", "population"],
        "year": [2026, 2026, 2026, 2025],  # CE: 2569 and 2568 BE as read
        "value_written": ["8,912", "9150", "2500", "4000"],
        "value": [8912.0, 9150.0, 2500.0, 4000.0],
        "old": [np.nan, 9100.0, 2500.0, np.nan],
        "implausible": [True, False, False, False],
    })
    got = pv.rows[list(expected.columns)].astype({"area_written": object, "value_written": object})
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert set(pv.rows.parent_th) == {"เขาชัยสน"} and set(pv.rows.level) == {"subdistrict"}

    test_batch = _batch_of(known, "930302", "population", 2026)
    rep = pv.replacements
    assert len(rep) == 1
    assert rep.iloc[0][["row", "area_code", "measure_id", "year", "old", "value", "old_batch", "implausible"]
                       ].tolist() == [3, "930302", "population", 2026, 9100.0, 9150.0, test_batch, False]

    (w,) = report.warnings
    assert (w.code, w.severity, w.row, w.value) == ("implausible-change", "warning", 2, "8,912")
    assert (w.message_th, w.message_en) == (WARNING_TH, WARNING_EN)
    data = report.to_dict()
    assert data["problems"] == [] and data["warning_count"] == 1
    assert data["warnings"][0]["severity"] == "warning" and data["warnings"][0]["message_th"] == WARNING_TH
    assert data["preview"] == {"values": 4, "new": 2, "replaced": 1, "same": 1, "replacements": [
        {"row": 3, "area_code": "930302", "measure_id": "population", "year_be": 2569, "old": 9100.0,
         "new": 9150.0, "old_batch": test_batch, "implausible": False}]}
    assert len(query_df("SELECT * FROM batches", path=known)) == 1, "a dry run writes nothing"


def test_the_issues_population_warns_when_it_replaces_and_not_for_a_small_move(known):
    dropped = b"area,year,measure,value\n930301,2568,population,8912\n"
    (w,) = load_file(dropped, "d.csv", db=known, dry_run=True).warnings
    assert w.message_th == ("จำนวนประชากร ต.เขาชัยสน อ.เขาชัยสน ปี 2568: 18,003 → 8,912 (−50 %) ห่างจากค่าเดิมของพื้นที่มาก: "
                            "ตรวจว่าถูกต้อง")
    assert "far from the area's value already stored" in w.message_en
    small = load_file(b"area,year,measure,value\n930301,2568,population,18100\n", "s.csv", db=known, dry_run=True)
    assert (small.warning_count, small.warnings, small.preview.replaced) == (0, [], 1)
    assert small.preview.replacements[["old", "value"]].iloc[0].tolist() == [18_003.0, 18_100.0]


def test_warnings_do_not_reject_and_the_file_loads(known):
    report = load_file(FILE, "f.csv", db=known, user="clerk")
    assert (report.status, report.problem_count, report.warning_count) == ("loaded", 0, 1)
    assert report.values_changed == 3, "two new values and one replaced; the equal one is left alone"
    with reader(known) as con:
        assert con.execute("SELECT value FROM observations WHERE area_code = '930301' AND year = 2026"
                           ).fetchall() == [(8912.0,)]
    assert query_df("SELECT problem_count FROM batches WHERE id = ?", [report.batch_id], known).problem_count[0] == 0


def test_a_rejected_file_still_says_its_warnings(known):
    data = FILE + b"930399,2569,population,5\n"
    report = load_file(data, "r.csv", db=known, dry_run=True)
    assert report.status == "rejected" and [p.code for p in report.problems] == ["unknown-area"]
    assert [w.code for w in report.warnings] == ["implausible-change"]


def test_big_files_are_listed_up_to_a_bound_and_counted(known, monkeypatch):
    monkeypatch.setattr(preview_module, "PREVIEW_VALUES", 2)
    monkeypatch.setattr(preview_module, "LISTED_REPLACEMENTS", 1)
    data = (b"area,year,measure,value\n930301,2568,population,18000\n930302,2568,population,9001\n"
            b"930302,2569,population,9101\n")
    pv = load_file(data, "b.csv", db=known, dry_run=True).preview
    assert (pv.values, pv.replaced, len(pv.rows), len(pv.replacements)) == (3, 3, 2, 1)
    assert list(pv.rows.row) == [2, 3] and list(pv.replacements.row) == [2]


def test_agency_figures_meet_the_agencys_own_values(known):
    """An agency's file is compared with that agency's figures, not the councils'."""
    report = load_file(b"area,year,measure,value\n930301,2568,population,8912\n", "a.csv", db=known,
                       dry_run=True, source="dopa")
    assert (report.preview.new, report.preview.replaced, report.warning_count) == (1, 0, 0)


def test_the_command_lines_dry_run_prints_the_warning(known, capsys, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(FILE)
    assert main(["csv", str(path), "--db", str(known), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"row 2: warning [implausible-change] {WARNING_EN} / {WARNING_TH}" in out
    assert "2 new value(s), 1 replacing a stored value, 1 equal to the stored value" in out
    assert main(["csv", str(path), "--db", str(known), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["status"] == "checked" and data["warning_count"] == 1
    assert data["warnings"][0]["code"] == "implausible-change" and data["warnings"][0]["row"] == 2
