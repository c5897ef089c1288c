"""``python -m indicators``: progress, index and list, with --json, --db and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from indicators.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_progress_json(capsys, demo_db_session):
    code, out, _ = run(capsys, "progress", "--db", str(demo_db_session), "--level", "district", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 11 * 18
    first = rows[0]
    for key in ("area_code", "indicator", "status", "baseline", "latest", "target", "target_year", "progress_pct",
                "observed_slope", "required_slope", "ratio", "projected_year", "n_years", "slope_se",
                "projected_low", "projected_high", "confidence", "projection", "n_subdistricts", "n_expected",
                "complete", "estimated"):
        assert key in first
    assert {r["area_code"] for r in rows} == {f"93{i:02d}" for i in range(1, 12)}
    assert {r["confidence"] for r in rows} <= {"firm", "uncertain", "none"}
    ranged = [r for r in rows if r["projection"] == "interval"]
    assert ranged and all(r["projected_low"] <= r["projected_year"] <= r["projected_high"] for r in ranged)


def test_progress_filters_and_text(capsys, demo_db_session):
    code, out, _ = run(capsys, "progress", "--db", str(demo_db_session), "--area", "930307",
                       "--indicator", "happiness")
    assert code == 0
    assert "930307" in out and "happiness" in out and "1 rows" in out
    assert "2575" in out  # target year shown in BE


def test_unknown_names_exit_2(capsys, demo_db_session):
    code, _, err = run(capsys, "progress", "--db", str(demo_db_session), "--indicator", "nope")
    assert code == 2 and "unknown indicator" in err
    code, out, err = run(capsys, "progress", "--db", str(demo_db_session), "--area", "99", "--json")
    assert code == 2 and json.loads(out)["ok"] is False and "unknown area" in err
    code, _, err = run(capsys, "index", "--db", str(demo_db_session), "--area", "12")
    assert code == 2


def test_missing_database_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "progress", "--db", str(tmp_path / "none.duckdb"))
    assert code == 2 and "no database" in err


def test_index(capsys, demo_db_session):
    code, out, _ = run(capsys, "index", "--db", str(demo_db_session), "--level", "district", "--year", "2568",
                       "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 11 * 5
    assert {r["domain"] for r in rows} == {"poverty", "tourism", "resources", "well-being", "hmi"}
    assert {r["year"] for r in rows} == {2025}
    assert all(0 <= r["score"] <= 100 for r in rows if r["score"] is not None)
    code, out, _ = run(capsys, "index", "--db", str(demo_db_session), "--level", "province", "--method", "geometric")
    assert code == 0 and "hmi" in out and "2568" in out and "geometric" in out


def test_list(capsys):
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 18 and {"indicator", "direction", "formula", "target", "in_index"} <= set(rows[0])
    code, out, _ = run(capsys, "list")
    assert code == 0 and "hotel_occupancy" in out and "อัตราการเข้าพักโรงแรม" in out


def test_module_entry_point():
    done = subprocess.run([sys.executable, "-m", "indicators", "list", "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and len(json.loads(done.stdout)) == 18
    done = subprocess.run([sys.executable, "-m", "indicators"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2


def test_changes_lists_the_statuses_the_latest_upload_moved(capsys, demo_db):
    from test_changes import _upload

    from indicators.engine.changes import status_changes

    batch = _upload(demo_db, [("930101", "happiness_score", 2026, 10.0)])
    code, out, _ = run(capsys, "changes", "--db", str(demo_db), "--json")
    assert code == 0
    rows = json.loads(out)
    want = status_changes(demo_db, batch)
    assert [(r["area_code"], r["indicator"], r["status_after"]) for r in rows] == list(
        zip(want.area_code, want.indicator_id, want.status_after, strict=True))
    assert {"area_code": "930101", "indicator": "happiness", "status_after": "achieved"}.items() <= next(
        r for r in rows if r["area_code"] == "930101" and r["indicator"] == "happiness").items()
    code, out, _ = run(capsys, "changes", "--db", str(demo_db))
    assert code == 0 and f"batch {batch}" in out and "achieved" in out and "10.00 (2569)" in out
    code, _, err = run(capsys, "changes", "--db", str(demo_db), "--batch", str(batch - 1))
    assert code == 2 and "latest batch" in err
