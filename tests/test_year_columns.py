"""Tables with years as columns (issue 14): ``area, [measure,] 2545, 2546, …``, the measure named by a column, the
``measure`` argument (``--measure``) or the sheet's name; year headers with no measure are one problem that says how
to fix the file; every check of a value still applies, at the value's own cell."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from indicators.registry import load_registry
from loaders.area_names import AreaIndex
from loaders.areas import official_areas
from loaders.batches import batch_problems
from loaders.cli import main
from loaders.council_files import check_table, read_table, year_header
from loaders.store import reader
from loaders.uploads import load_file

REG = load_registry()
AREAS = AreaIndex(official_areas())


def _check(text: str, **kw):
    return check_table(read_table(text.encode(), "t.csv"), REG, AREAS, **kw)


def _xlsx(sheet: str, rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _values(checked) -> list[tuple]:
    f = checked.frame
    return sorted(zip(f.area_code, f.measure_id, f.year.astype(int), f.value, f.row.astype(int), strict=True))


@pytest.mark.parametrize(("text", "be"), [("2545", 2545), ("ปี 2545", 2545), ("พ.ศ. 2545", 2545), ("ปีพ.ศ.2545", 2545),
                                          ("ปี พ.ศ. ๒๕๔๕", 2545), ("2002", 2545), ("2545.0", 2545), (" 2560 ", 2560),
                                          ("2530", 2530)])
def test_year_headers(text, be):
    assert year_header(text) == be


@pytest.mark.parametrize("text", ["ปี", "population", "x2545", "2545a", "25450", "1800", "ตำบล"])
def test_not_year_headers(text):
    assert year_header(text) is None


def test_measure_named_by_the_argument():
    c = _check("ตำบล,2545,2546,ปี 2547\nโคกม่วง,100,110,\n930301,1,2,3\n", measure="households")
    assert (c.form, c.measure, c.measure_from, c.problems.total) == ("years", "households", "argument", 0)
    assert c.columns == {"ตำบล": "area", "2545": "year 2545", "2546": "year 2546", "ปี 2547": "year 2547"}
    # each (row, year column) is one value; a blank cell is missing, not zero; years are kept in CE
    assert _values(c) == [("930301", "households", 2002, 1.0, 3), ("930301", "households", 2003, 2.0, 3),
                          ("930301", "households", 2004, 3.0, 3), ("930307", "households", 2002, 100.0, 2),
                          ("930307", "households", 2003, 110.0, 2)]
    assert c.rows_read == 2 and c.rows_valid == 2


def test_the_measure_argument_may_be_a_name_and_an_unknown_one_is_a_problem():
    c = _check("ตำบล,2560\nโคกม่วง,7\n", measure="จำนวนประชากร")
    assert c.measure == "population" and _values(c) == [("930307", "population", 2017, 7.0, 2)]
    c = _check("ตำบล,2560\nโคกม่วง,7\n", measure="rainfall")
    assert [(p.code, p.value) for p in c.problems.sorted()] == [("unknown-measure", "rainfall")]
    assert c.frame.empty


def test_measure_named_by_a_column_and_part_exceeds_whole_at_the_cell():
    text = ("area,measure,2560,2561\n"
            "930301,households,200,210\n"
            "930301,poor_households,20,260\n"
            "930302,ครัวเรือนที่มีรายได้ต่ำกว่าเกณฑ์ จปฐ.,5,\n"
            "930305,rainfall,1,2\n")
    c = _check(text, measure="population")  # the file's column wins over the argument
    assert (c.form, c.measure, c.measure_from) == ("years", None, "column")
    got = [(p.row, p.column, p.column_number, p.code, p.value) for p in c.problems.sorted()]
    assert got == [(3, "2561", 4, "part-exceeds-whole", "260"), (5, "measure", 2, "unknown-measure", "rainfall")]
    assert "260" in c.problems.sorted()[0].message_en and "(row 2)" in c.problems.sorted()[0].message_en
    # rows 3 and 5 have problems: rows 2 and 4 load, with their own measure
    assert _values(c) == [("930301", "households", 2017, 200.0, 2), ("930301", "households", 2018, 210.0, 2),
                          ("930302", "poor_households", 2017, 5.0, 4)]


def test_measure_named_by_the_sheet():
    rows = [["ตำบล", 2560, 2561], ["โคกม่วง", 1500, 1510], ["หานโพธิ์", 900, None]]
    for sheet in ("population", "จำนวนประชากร", "Population"):
        c = check_table(read_table(_xlsx(sheet, rows), "p.xlsx"), REG, AREAS)
        assert (c.form, c.measure, c.measure_from, c.problems.total) == ("years", "population", "sheet", 0), sheet
        assert _values(c) == [("930306", "population", 2017, 900.0, 3), ("930307", "population", 2017, 1500.0, 2),
                              ("930307", "population", 2018, 1510.0, 2)]
    # the argument wins over the sheet's name
    c = check_table(read_table(_xlsx("population", rows), "p.xlsx"), REG, AREAS, measure="households")
    assert c.measure_from == "argument" and set(c.frame.measure_id) == {"households"}


def test_year_headers_without_a_measure_are_one_problem_that_says_how_to_fix_the_file():
    header = "ตำบล," + ",".join(str(y) for y in range(2545, 2557))
    rows = "\n".join(f"{a},{','.join('10' for _ in range(12))}" for a in ("โคกม่วง", "หานโพธิ์"))
    c = _check(f"{header}\n{rows}\n")
    (p,) = c.problems.sorted()  # one problem, not one "unknown measure" per year
    assert p.code == "years-as-columns" and p.row is None and c.problems.fatal and c.frame.empty
    assert "2545, 2546, …, 2556 (12 columns)" in p.message_en
    assert "2545, 2546, …, 2556 (12 คอลัมน์)" in p.message_th
    for fix in ("add a measure column", "name the sheet after the measure", "--measure ID"):
        assert fix in p.message_en
    for fix in ("เพิ่มคอลัมน์ ตัวชี้วัด", "ตั้งชื่อชีต", "--measure"):
        assert fix in p.message_th
    # a sheet whose name is no measure does not name it either
    c = check_table(read_table(_xlsx("Sheet1", [["ตำบล", 2560], ["โคกม่วง", 5]]), "s.xlsx"), REG, AREAS)
    assert [p.code for p in c.problems.sorted()] == ["years-as-columns"]
    assert "2560 (1 columns)" in c.problems.sorted()[0].message_en


def test_every_check_applies_per_value_at_its_cell():
    text = ("area,flag,2560,2561,2530\n"
            "930301,E,-5,12,\n"  # a negative count in the 2560 cell
            "930302,P,abc,7,\n"  # not a number
            "930305,,8,9,\n"
            "930305,,8,,\n"  # the same area again: a duplicate of 2560 only
            "930101,,1,1,\n")  # outside the scope
    c = _check(text, measure="households", scope={"9303"})
    got = [(p.row, p.column, p.column_number, p.code) for p in c.problems.sorted()]
    assert got == [(1, "2530", 5, "year-out-of-range"), (2, "2560", 3, "out-of-range"), (3, "2560", 3, "type-error"),
                   (4, "2560", 3, "duplicate-row"), (5, "2560", 3, "duplicate-row"), (6, "area", 1, "outside-scope")]
    assert c.frame.empty  # every data row has a problem
    # valid rows only: a flag applies to every value of its row
    c = _check("area,flag,2560,2561\n930301,E,5,6\n930302,,7,\n", measure="households")
    f = c.frame.sort_values(["area_code", "year"])
    assert list(zip(f.area_code, f.year, f.flag.fillna("-"), strict=True)) == [
        ("930301", 2017, "E"), ("930301", 2018, "E"), ("930302", 2017, "-")]


def test_other_layouts_are_unchanged():
    # a year column too: a year-looking header is an unknown measure, as before
    c = _check("area,year,households,2560\n930301,2560,5,6\n")
    assert c.form == "wide" and [(p.code, p.column) for p in c.problems.sorted()] == [("unknown-measure", "2560")]
    # measures and years both as columns: one problem of the layout
    c = _check("area,households,2560\n930301,5,6\n", measure="population")
    (p,) = c.problems.sorted()
    assert p.code == "file-format" and "both year columns (2560) and measure columns (households)" in p.message_en
    # the measure argument does not change a long or wide file
    c = _check("area,year,households\n930301,2560,5\n", measure="population")
    assert c.form == "wide" and _values(c) == [("930301", "households", 2017, 5.0, 2)]


def test_a_title_row_above_a_years_header_is_skipped():
    c = _check("จำนวนประชากรรายตำบล จังหวัดพัทลุง,,\nตำบล,2560,2561\nโคกม่วง,5,6\n", measure="population")
    assert c.header_row == 2 and c.problems.total == 0
    assert _values(c) == [("930307", "population", 2017, 5.0, 3), ("930307", "population", 2018, 6.0, 3)]


def test_load_file_reports_the_form_and_writes_each_value(areas_db):
    data = "ตำบล,2566,2567\nโคกม่วง,4100,4150\nหานโพธิ์,3000,\n".encode()
    r = load_file(data, "pop.csv", db=areas_db, measure="population")
    assert (r.status, r.form, r.measure, r.measure_from, r.values_loaded, r.rows_loaded) == \
        ("loaded", "years", "population", "argument", 3, 2)
    assert r.to_dict()["form"] == "years" and r.to_dict()["measure"] == "population"
    with reader(areas_db) as con:
        got = con.execute("SELECT area_code, year + 543, value FROM observations WHERE measure_id = 'population' "
                          "ORDER BY 1, 2").fetchall()
    assert got == [("930306", 2566, 3000.0), ("930307", 2566, 4100.0), ("930307", 2567, 4150.0)]
    r = load_file(b"area,2566\n930301,1\n", "no_measure.csv", db=areas_db)
    assert r.status == "rejected" and [p.code for p in r.problems] == ["years-as-columns"]
    assert batch_problems(r.batch_id, areas_db).code.tolist() == ["years-as-columns"]  # kept for the council


def test_command_line_measure(capsys, tmp_path, areas_db):
    path = tmp_path / "dopa.csv"
    path.write_bytes("ตำบล,ปี 2566,ปี 2567\nโคกม่วง,4100,4150\n".encode())
    assert main(["csv", str(path), "--db", str(areas_db), "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in out["problems"]] == ["years-as-columns"] and "--measure" in out["problems"][0][
        "message_en"]
    assert main(["csv", str(path), "--db", str(areas_db), "--measure", "population"]) == 0
    text = capsys.readouterr().out
    assert "read as years form" in text and "measure population (from the argument)" in text
    with reader(areas_db) as con:
        assert con.execute("SELECT count(*) FROM observations WHERE measure_id = 'population'").fetchall()[0][0] == 2


def test_the_issues_example_a_province_with_years_as_columns(areas_db):
    """``จังหวัด, 2545, …, 2556`` as DOPA publishes population: one problem with the fix, then, with the measure,
    one value per year for the province."""
    years = list(range(2545, 2557))
    data = ("จังหวัด," + ",".join(map(str, years)) + "\n"
            + "พัทลุง," + ",".join(f"\"{500_000 + 1_000 * k:,}\"" for k in range(12)) + "\n").encode()  # "500,000"
    r = load_file(data, "dopa.csv", db=areas_db, dry_run=True)
    assert [p.code for p in r.problems] == ["years-as-columns"] and "2545, 2546, …, 2556 (12 columns)" in \
        r.problems[0].message_en
    r = load_file(data, "dopa.csv", db=areas_db, measure="population")
    assert (r.status, r.form, r.values_loaded) == ("loaded", "years", 12), r.to_dict()["problems"]
    with reader(areas_db) as con:
        got = con.execute("SELECT area_code, year + 543, value FROM observations ORDER BY 2").fetchall()
    assert got == [("93", be, 500_000.0 + 1_000 * k) for k, be in enumerate(years)]
