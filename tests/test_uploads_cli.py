"""The upload commands through loaders.cli.main: csv, template, batches, undo, history; exit codes 0/2."""

from __future__ import annotations

import json

import openpyxl

from loaders import accounts
from loaders.cli import main


def run(capsys, *argv) -> tuple[int, dict | list | None, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "--json" in argv and out.strip() else None), err + out


def write(tmp_path, name, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_csv_loaded_rejected_duplicate(capsys, tmp_path, areas_db):
    db = str(areas_db)
    accounts.add_user("somchai", "council", scope="9303", email="somchai@example.org", db=areas_db)
    good = write(tmp_path, "good.csv", "ตำบล;ปี พ.ศ.;households\nโคกม่วง;๒๕๖๘;1,234\n".encode("cp874"))
    code, data, _ = run(capsys, "csv", good, "--db", db, "--user", "somchai", "--json")
    assert code == 0 and data["ok"] and data["status"] == "loaded"
    assert (data["rows_read"], data["rows_loaded"], data["values_changed"]) == (1, 1, 1)
    assert (data["encoding"], data["delimiter"], data["problems"], data["partial"]) == ("cp874", "semicolon", [],
                                                                                          False)
    code, data, _ = run(capsys, "csv", good, "--db", db, "--json")
    assert code == 0 and data["status"] == "duplicate" and "nothing added" in data["message_en"]

    bad = write(tmp_path, "bad.csv", b"area,year,households\n930307,2568,=1+1\n930101,2568,5\n")
    code, data, err = run(capsys, "csv", bad, "--db", db, "--json")
    assert code == 2 and data["ok"] is False and "rejected" in data["error"]
    assert data["problems"] == [{"row": 2, "column": "households", "column_number": 3, "value": "=1+1",
                                 "code": "type-error", "message_th": "'=1+1' ไม่ใช่ตัวเลข",
                                 "message_en": "'=1+1' is not a number"}]
    code, _, text = run(capsys, "csv", bad, "--db", db)
    assert code == 2 and "row 2, column 3 households: [type-error]" in text

    code, data, _ = run(capsys, "csv", bad, "--db", db, "--dry-run", "--skip-invalid", "--json")
    assert code == 0 and data["status"] == "checked" and data["batch_id"] is None
    code, data, _ = run(capsys, "csv", bad, "--db", db, "--skip-invalid", "--json")
    assert code == 0 and data["status"] == "partial" and data["rows_loaded"] == 1

    code, data, _ = run(capsys, "batches", "--db", db, "--json")
    assert code == 0 and [b["status"] for b in data] == ["partial", "rejected", "rejected", "loaded"]
    assert data[-1]["uploaded_by"] == "somchai" and len(data[-1]["sha256"]) == 64
    code, _, text = run(capsys, "batches", "--db", db)
    assert code == 0 and "good.csv" in text


def test_csv_xlsx_sheet_and_missing_file(capsys, tmp_path, areas_db):
    wb = openpyxl.Workbook()
    wb.active.title = "readme"
    ws = wb.create_sheet("data")
    ws.append(["area", "year", "measure", "value"])
    ws.append([930307, 2568, "households", 10])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    code, data, _ = run(capsys, "csv", str(path), "--db", str(areas_db), "--sheet", "data", "--json")
    assert code == 0 and data["sheet"] == "data" and data["values_loaded"] == 1
    code, _, err = run(capsys, "csv", str(tmp_path / "nope.csv"), "--db", str(areas_db))
    assert code == 2 and "No such file" in err


def test_template_undo_history(capsys, tmp_path, areas_db):
    db = str(areas_db)
    out = tmp_path / "t.xlsx"
    code, data, _ = run(capsys, "template", "--area", "9303", "--year", "2568", "--format", "xlsx", "-o", str(out),
                        "--db", db, "--json")
    assert code == 0 and out.exists() and data["bytes"] == out.stat().st_size
    code, _, _ = run(capsys, "template", "--area", "1234", "--year", "2568", "-o", str(tmp_path / "x.csv"), "--db", db)
    assert code == 2

    first = write(tmp_path, "a.csv", b"area,year,households\n930307,2568,100\n")
    second = write(tmp_path, "b.csv", b"area,year,households\n930307,2568,120\n")
    run(capsys, "csv", first, "--db", db)
    code, data, _ = run(capsys, "csv", second, "--db", db, "--json")
    batch = data["batch_id"]
    code, data, _ = run(capsys, "history", "--area", "TH930307", "--measure", "households", "--year", "2568",
                        "--db", db, "--json")
    assert code == 0 and [(h["value"], h["current"]) for h in data] == [(100.0, False), (120.0, True)]
    accounts.add_user("admin", "admin", email="admin@example.org", db=db)
    code, data, _ = run(capsys, "undo", str(batch), "--user", "admin", "--db", db, "--json")
    assert code == 0 and data["restored"] == 1
    code, data, err = run(capsys, "undo", str(batch), "--db", db, "--json")
    assert code == 2 and "already undone" in data["error"]
    code, _, text = run(capsys, "history", "--area", "930307", "--measure", "households", "--db", db)
    assert code == 0 and "current" in text and "100.00" in text
