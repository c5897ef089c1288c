"""Reading and checking council files: long and wide, Thai headers, every problem code with its row and column."""

from __future__ import annotations

import io

import openpyxl
import pytest

from indicators.registry import load_registry
from loaders.area_names import AreaIndex
from loaders.areas import official_areas
from loaders.council_files import check_table, read_table
from loaders.decoding import FileRefused


@pytest.fixture(scope="module")
def index() -> AreaIndex:
    return AreaIndex(official_areas())


def check(text_or_bytes, index, name="f.csv", scope=None, **kw):
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    table = read_table(data, name, **kw)
    return check_table(table, load_registry(), index, scope=scope)


def values(checked) -> dict:
    f = checked.frame
    return {(r.area_code, r.measure_id, int(r.year)): r.value for r in f.itertuples()}


def codes(checked) -> list[tuple]:
    return [(p.row, p.column_number, p.code) for p in checked.problems.sorted()]


def test_long_form_thai_headers_be_years_thai_digits(index):
    text = ("ตำบล,อำเภอ,ปี พ.ศ.,ตัวชี้วัด,ค่า\n"
            "ต.โคกม่วง,เขาชัยสน,๒๕๖๘,households,\"1,234\"\n"
            "ดอนทราย,ปากพะยูน,2568,จำนวนครัวเรือน ,๒๐๐\n"
            "TH930101,,2024,Poor_Households, 12 \n"
            "930101,,2567,Population,\n")  # blank value: missing, not zero, not an error
    c = check(text, index)
    assert codes(c) == []
    assert c.form == "long" and c.rows_read == 4 and c.header_row == 1
    assert values(c) == {("930307", "households", 2025): 1234.0, ("930607", "households", 2025): 200.0,
                         ("930101", "poor_households", 2024): 12.0}


def test_wide_form_english_and_thai_names(index):
    text = ("Area,Year,Households,จำนวนประชากร,happiness_score\n"
            "Khok Muang,2568,300,1000,7.5\n"
            "Tamnan,2568,,900,\n")
    c = check(text, index)
    assert codes(c) == []
    assert c.form == "wide"
    assert values(c) == {("930307", "households", 2025): 300.0, ("930307", "population", 2025): 1000.0,
                         ("930307", "happiness_score", 2025): 7.5, ("930110", "population", 2025): 900.0}
    assert c.columns["จำนวนประชากร"] == "population"


def test_cp874_semicolon_file(index):
    text = "ตำบล;ปี;households\nโคกม่วง;2568;1,234\nตำนาน;2568;12,345\n"
    table = read_table(text.encode("cp874"), "f.csv")
    assert (table.encoding, table.delimiter) == ("cp874", ";")
    c = check_table(table, load_registry(), index)
    assert values(c) == {("930307", "households", 2025): 1234.0, ("930110", "households", 2025): 12345.0}


def test_tab_file_with_bom(index):
    text = "\ufeffarea\tyear\thouseholds\n930307\t2568\t1,234\n"
    table = read_table(text.encode("utf-8"), "f.txt")
    assert (table.encoding, table.delimiter) == ("utf-8-sig", "\t")
    assert values(check_table(table, load_registry(), index)) == {("930307", "households", 2025): 1234.0}


def test_title_rows_above_the_header(index):
    text = "ข้อมูลตำบลโคกม่วง ปี 2568,,\n,,\nตำบล,ปี,households\nโคกม่วง,2568,abc\n"
    c = check(text, index)
    assert c.header_row == 3
    assert codes(c) == [(4, 3, "type-error")]


def test_header_and_delimiter_overrides(index):
    text = "area;year;households\n930307;2568;1,234\n"
    table = read_table(text.encode(), "f.csv", delimiter=";")
    assert table.delimiter == ";"
    c = check_table(read_table(b"x,y\narea,year,households\n930307,2568,5\n", "f.csv"), load_registry(), index,
                    header_row=2)
    assert c.header_row == 2 and values(c) == {("930307", "households", 2025): 5.0}


def test_years(index):
    text = ("area,year,households\n"
            "930307,2539,1\n"   # BE below 2540
            "930307,2601,1\n"   # BE above 2600
            "930307,1990,1\n"   # CE 1990 = 2533 BE
            "930307,2568.5,1\n"
            "930307,,1\n"
            "930307,2025,1\n"   # CE: stored as 2025
            "930101,2540,1\n"
            "930103,2600,1\n")
    c = check(text, index)
    assert codes(c) == [(2, 2, "year-out-of-range"), (3, 2, "year-out-of-range"), (4, 2, "year-out-of-range"),
                        (5, 2, "type-error"), (6, 2, "type-error")]
    assert values(c) == {("930307", "households", 2025): 1.0, ("930101", "households", 1997): 1.0,
                         ("930103", "households", 2057): 1.0}


def test_value_rules(index):
    text = ("area,year,households,poor_households,water_quality_index,happiness_score\n"
            "930307,2568,-5,,,\n"          # negative count
            "930101,2568,,,101,\n"         # above the valid range
            "930103,2568,,,101%,\n"        # a rate above 100
            "930104,2568,,,50%,11\n"       # 50% fine, happiness 0-10
            "930105,2568,nan,inf,1e309,\n"
            "930106,2568,1_000,abc,,\n"
            "930107,2568,100,100,,\n")     # part equal to its whole is fine
    c = check(text, index)
    got = codes(c)
    assert got == [(2, 3, "out-of-range"), (3, 5, "out-of-range"), (4, 5, "out-of-range"), (5, 6, "out-of-range"),
                   (6, 3, "type-error"), (6, 4, "type-error"), (6, 5, "type-error"), (7, 3, "type-error"),
                   (7, 4, "type-error")]
    msgs = {(p.row, p.column_number): p for p in c.problems.sorted()}
    assert "cannot be negative" in msgs[(2, 3)].message_en and "ติดลบ" in msgs[(2, 3)].message_th
    assert "above 100%" in msgs[(4, 5)].message_en
    assert msgs[(6, 3)].value == "nan"
    assert values(c) == {("930107", "households", 2025): 100.0, ("930107", "poor_households", 2025): 100.0}


def test_part_exceeds_whole_same_row_and_same_file(index):
    text = ("area,year,measure,value\n"
            "930307,2568,households,100\n"
            "930307,2568,poor_households,150\n"   # larger than its whole two rows up
            "930101,2568,poor_households,10\n"    # no whole in the file: nothing to compare
            "930307,2567,member_households,5\n")
    c = check(text, index)
    assert codes(c) == [(3, 4, "part-exceeds-whole")]
    p = c.problems.sorted()[0]
    assert "(row 2)" in p.message_en and p.value == "150"
    wide = check("area,year,households,poor_households\n930307,2568,10,11\n", index)
    assert codes(wide) == [(2, 4, "part-exceeds-whole")]


def test_duplicate_rows_all_reported(index):
    text = ("area,year,measure,value\n"
            "930307,2568,households,100\n"
            "โคกม่วง,2025,จำนวนครัวเรือน,100\n"   # same cell written another way
            "930101,2568,households,1\n")
    c = check(text, index)
    assert codes(c) == [(2, 4, "duplicate-row"), (3, 4, "duplicate-row")]
    assert "row(s) 3" in c.problems.sorted()[0].message_en
    assert values(c) == {("930101", "households", 2025): 1.0}


def test_areas_unknown_ambiguous_and_settled(index):
    text = ("ตำบล,อำเภอ,ปี,households\n"
            "ดอนทราย,,2568,1\n"
            "ดอนทราย,ปากพะยูน,2568,2\n"
            "ดอนทราย,อ.ควนขนุน,2568,3\n"
            "ไม่มีจริง,,2568,4\n"
            ",,2568,5\n")
    c = check(text, index)
    assert codes(c) == [(2, 1, "ambiguous-area"), (5, 1, "unknown-area"), (6, 1, "unknown-area")]
    assert values(c) == {("930607", "households", 2025): 2.0, ("930510", "households", 2025): 3.0}
    assert "930510" in c.problems.sorted()[0].message_en and "930607" in c.problems.sorted()[0].message_th


def test_outside_scope(index):
    c = check("area,year,households\n930307,2568,1\n930101,2568,2\n", index, scope={"9303"})
    assert codes(c) == [(3, 1, "outside-scope")]
    assert values(c) == {("930307", "households", 2025): 1.0}


def test_unknown_measures_and_headers(index):
    c = check("area,year,measure,value\n930307,2568,bananas,1\n930307,2568,households,x\n", index)
    assert codes(c) == [(2, 3, "unknown-measure"), (3, 4, "type-error")]
    w = check("area,year,bananas,households,,households\n930307,2568,1,2,3,4\n", index)
    assert codes(w) == [(1, 3, "unknown-measure"), (1, 5, "blank-header"), (1, 6, "duplicate-header")]
    assert values(w) == {("930307", "households", 2025): 2.0}  # header problems: the row itself is fine


def test_ragged_rows(index):
    c = check("area,year,households\n930307,2568,1,9\n930101,2568\n930103,2568,3,,\n", index)
    assert codes(c) == [(2, 4, "extra-cell"), (3, 3, "missing-cell")]
    assert values(c) == {("930103", "households", 2025): 3.0}


def test_missing_columns(index):
    c = check("area,households\n930307,1\n", index)
    assert [p.code for p in c.problems.sorted()] == ["missing-column"]
    assert "year" in c.problems.sorted()[0].message_en
    c = check("area,year,measure\n930307,2568,households\n", index)
    assert "value" in c.problems.sorted()[0].message_en
    c = check("area,year\n930307,2568\n", index)
    assert c.problems.fatal


def test_flags_and_notes(index):
    text = ("area,year,measure,value,flag,note\n"
            "930307,2568,households,1,E,survey not finished\n"
            "930101,2568,households,2,p,\n"
            "930103,2568,households,3,X,\n"
            "930104,2568,households,4,,=cmd|' /C calc'!A0\n")
    c = check(text, index)
    assert codes(c) == [(4, 5, "type-error")]
    f = c.frame.set_index("area_code")
    assert f.loc["930307", "flag"] == "E" and f.loc["930307", "note"] == "survey not finished"
    assert f.loc["930101", "flag"] == "P"
    assert f.loc["930104", "note"] == "=cmd|' /C calc'!A0"  # kept as text, never evaluated


def test_formula_like_cells_stay_text(index):
    c = check("area,year,households\n@SUM(A1),2568,1\n930307,2568,=1+2\n930101,+2568,-1\n", index)
    problems = {(p.row, p.column_number): p for p in c.problems.sorted()}
    assert problems[(2, 1)].code == "unknown-area" and problems[(2, 1)].value == "@SUM(A1)"
    assert problems[(3, 3)].code == "type-error" and problems[(3, 3)].value == "=1+2"
    assert problems[(4, 3)].code == "out-of-range" and problems[(4, 3)].value == "-1"


def test_problem_list_is_capped_at_1000_but_every_row_is_checked(index):
    text = "area,year,households\n" + "930307,2568,x\n" * 1500
    c = check(text, index)
    assert c.problems.total == 1500 and len(c.problems.listed) == 1000 and c.problems.partial
    assert c.frame.empty and c.rows_read == 1500


def test_empty_file(index):
    c = check("\n\n", index)
    assert [p.code for p in c.problems.sorted()] == ["empty-file"]


def _xlsx(rows, title="Sheet", extra=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    if extra:
        ws2 = wb.create_sheet(extra[0])
        for r in extra[1]:
            ws2.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_wide_with_numbers_formulas_and_gaps(index):
    data = _xlsx([["ตำบล", "ปี พ.ศ.", "จำนวนครัวเรือน", "poor_households"],
                  [930307, 2568, 1234, 12.0],
                  [None, None, None, None],
                  ["ตำนาน", "๒๕๖๘", "=C2*2", None]])
    c = check(data, index, name="book.xlsx")
    assert codes(c) == [(4, 3, "type-error")]
    assert c.problems.sorted()[0].value == "=C2*2"
    assert values(c) == {("930307", "households", 2025): 1234.0, ("930307", "poor_households", 2025): 12.0}


def test_xlsx_sheet_choice(index):
    data = _xlsx([["notes"]], extra=("ข้อมูล", [["area", "year", "measure", "value"], ["930307", 2568, "population",
                                                                                       "5,000"]]))
    c = check(data, index, name="book.xlsx", sheet="ข้อมูล")
    assert values(c) == {("930307", "population", 2025): 5000.0}
    with pytest.raises(FileRefused) as exc:
        read_table(data, "book.xlsx", sheet="missing")
    assert "ข้อมูล" in exc.value.problem.message_en


def test_damaged_xlsx_refused():
    data = _xlsx([["a"]])
    with pytest.raises(FileRefused) as exc:
        read_table(data[: len(data) // 2], "book.xlsx")
    assert exc.value.problem.code == "file-format"


def test_row_limit():
    with pytest.raises(FileRefused) as exc:
        read_table(("area,year,households\n" + "930307,2568,1\n" * 50).encode(), "f.csv", max_rows=10)
    assert exc.value.problem.code == "too-many-rows"
    with pytest.raises(FileRefused):
        read_table(_xlsx([["area", "year", "households"]] + [["930307", 2568, 1]] * 50), "f.xlsx", max_rows=10)
