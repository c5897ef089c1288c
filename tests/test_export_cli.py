"""``export chart|table|report`` on the command line: files written, --json, exit codes."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from indicators.export_cli import add_export_parser, cmd_export_chart, main

ROOT = Path(__file__).resolve().parents[1]
HAS_CHROMIUM = Path("/usr/bin/chromium").exists() or shutil.which("chromium") is not None


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.browser
@pytest.mark.skipif(not HAS_CHROMIUM, reason="no chromium")
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_export_chart_static(capsys, demo_db_session, tmp_path, fmt):
    out_file = tmp_path / f"happy.{fmt}"
    code, out, _ = run(capsys, "export", "chart", "--indicator", "happiness", "--area", "9301",
                       "-o", str(out_file), "--db", str(demo_db_session), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc == {"path": str(out_file), "bytes": out_file.stat().st_size, "format": fmt}
    data = out_file.read_bytes()
    assert data[:4] in (b"\x89PNG", b"%PDF") or b"<svg" in data[:400]
    assert not list(tmp_path.glob("*.part"))


def test_export_chart_html_small_multiples(capsys, demo_db_session, tmp_path):
    out_file = tmp_path / "chart.out"
    code, out, _ = run(capsys, "export", "chart", "--indicator", "happiness", "--area", "9301", "--level",
                       "subdistrict", "--format", "html", "--lang", "en", "-o", str(out_file), "--db",
                       str(demo_db_session))
    assert code == 0 and "wrote" in out
    page = out_file.read_text(encoding="utf-8")
    assert "plotly.js v" in page and "Happiness score" in page and "Khuha Sawan" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_table_progress(capsys, demo_db_session, tmp_path, fmt):
    out_file = tmp_path / f"progress.{fmt}"
    code, out, _ = run(capsys, "export", "table", "--what", "progress", "--area", "9301", "-o", str(out_file),
                       "--db", str(demo_db_session), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["format"] == fmt and doc["bytes"] == out_file.stat().st_size
    assert doc["rows"] == 15 * 18  # the district and its 14 subdistricts, 18 indicators each
    data = out_file.read_bytes()
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
        assert frame.columns[0] == "รหัสพื้นที่ / Area code"
        assert "เมืองพัทลุง" in set(frame.iloc[:, 1])
    elif fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
        assert rows[0][0] == "รหัสพื้นที่" and rows[1][0] == "Area code"
        assert len(rows) == 2 + doc["rows"]
    else:
        table = pq.read_table(io.BytesIO(data))
        assert table.num_rows == doc["rows"] and "status" in table.column_names


def test_export_table_values_and_index(capsys, demo_db_session, tmp_path):
    code, out, _ = run(capsys, "export", "table", "--what", "values", "--level", "district", "--indicator",
                       "happiness", "--lang", "en", "-o", str(tmp_path / "v.parquet"), "--db", str(demo_db_session),
                       "--json")
    assert code == 0
    frame = pq.read_table(tmp_path / "v.parquet").to_pandas()
    assert set(frame.level) == {"district"} and set(frame.indicator_id) == {"happiness"}
    assert "Mueang Phatthalung" in set(frame.area_name) and set(frame.indicator_name) == {"Happiness score"}
    code, out, _ = run(capsys, "export", "table", "--what", "index", "--area", "93", "--level", "district",
                       "-o", str(tmp_path / "i.csv"), "--db", str(demo_db_session), "--json")
    assert code == 0 and json.loads(out)["rows"] > 0


def test_export_report_wiring(capsys, demo_db_session, tmp_path, monkeypatch):
    """The command passes area, language and format through (the report itself is tested in test_report.py)."""
    calls = []

    def fake_report(area, *, db=None, lang="th", fmt="pdf"):
        calls.append((area, str(db), lang, fmt))
        return b"%PDF-1.4 fake" if fmt == "pdf" else b"<!doctype html>"

    monkeypatch.setattr("indicators.export_cli.district_report", fake_report)
    out_file = tmp_path / "report.PDF"
    code, out, _ = run(capsys, "export", "report", "--area", "9302", "--lang", "en", "-o", str(out_file),
                       "--db", str(demo_db_session), "--json")
    assert code == 0, out
    assert json.loads(out) == {"path": str(out_file), "bytes": 13, "format": "pdf"}
    assert calls == [("9302", str(demo_db_session), "en", "pdf")]
    assert out_file.read_bytes().startswith(b"%PDF")
    code, _, _ = run(capsys, "export", "report", "--area", "93", "--format", "html", "-o", str(tmp_path / "r"),
                     "--db", str(demo_db_session))
    assert code == 0 and calls[-1] == ("93", str(demo_db_session), "th", "html")


@pytest.mark.parametrize(("argv", "message"), [
    (["chart", "--indicator", "nope", "--area", "9301", "-o", "{tmp}/a.png"], "unknown indicator 'nope'"),
    (["chart", "--indicator", "happiness", "--area", "0000", "-o", "{tmp}/a.png"], "unknown area code '0000'"),
    (["chart", "--indicator", "happiness", "--area", "9301", "-o", "{tmp}/missing/a.png"], "no such folder"),
    (["chart", "--indicator", "happiness", "--area", "9301", "-o", "{tmp}"], "is a folder"),
    (["chart", "--indicator", "happiness", "--area", "9301", "-o", "{tmp}/a.gif"], "unsupported format 'gif'"),
    (["table", "--what", "progress", "--area", "0000", "-o", "{tmp}/a.csv"], "unknown area code"),
    (["table", "--what", "values", "--indicator", "nope", "-o", "{tmp}/a.csv"], "unknown indicator"),
    (["table", "--what", "index", "-o", "{tmp}/a.docx"], "unsupported format 'docx'"),
    (["report", "--area", "0000", "-o", "{tmp}/r.pdf"], "unknown area code"),
    (["report", "--area", "9301", "-o", "{tmp}/r.docx"], "unsupported format 'docx'"),
])
def test_rejected_exit_2_and_nothing_written(capsys, demo_db_session, tmp_path, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, out, err = run(capsys, "export", *argv, "--db", str(demo_db_session), "--json")
    assert code == 2
    assert message in err
    assert json.loads(out)["ok"] is False
    assert [p for p in tmp_path.iterdir()] == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder_is_rejected(capsys, demo_db_session, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, _, err = run(capsys, "export", "table", "--what", "values", "-o", str(folder / "v.csv"),
                           "--db", str(demo_db_session))
    finally:
        folder.chmod(0o700)
    assert code == 2 and "cannot write" in err


def test_bad_arguments_exit_2(capsys, demo_db_session):
    with pytest.raises(SystemExit) as info:
        main(["export", "chart", "--indicator", "happiness", "--area", "9301", "--level", "village", "-o", "x.png"])
    assert info.value.code == 2
    assert main([]) == 2  # no subcommand: the help, exit 2


def test_add_export_parser_on_another_cli():
    parser = argparse.ArgumentParser(prog="python -m indicators")
    sub = parser.add_subparsers()
    add_export_parser(sub)
    args = parser.parse_args(["export", "chart", "--indicator", "happiness", "--area", "9301", "-o", "x.svg",
                              "--json", "--db", "x.duckdb"])
    assert args.func is cmd_export_chart and args.json and args.db == "x.duckdb" and args.scale == 2


def test_runs_as_a_module(demo_db_session, tmp_path):
    out_file = tmp_path / "values.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "indicators.export_cli", "export", "table", "--what", "values", "--area", "930307",
         "-o", str(out_file), "--db", str(demo_db_session), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["path"] == str(out_file)
    assert out_file.read_bytes().startswith(b"\xef\xbb\xbf")
