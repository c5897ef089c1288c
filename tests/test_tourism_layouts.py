"""The ministry's tourism table as republished (issue 14): ``travel_date``, provinces by Thai or English name (trailing
spaces, any case, the ministry's romanisations), and the long layout ``date, province, variable, value``; both load as
the same values and are checked the same way."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders.areas import official_areas, upsert_areas
from loaders.numbers import fmt_number
from loaders.sources import adapters, load_source
from loaders.sources.mots_tourism import province_by_name
from loaders.store import reader, writer

SPEC = adapters()["mots-tourism"]
VARIABLES = ["no_tourist_all", "no_tourist_thai", "no_tourist_foreign", "no_tourist_stay", "ratio_tourist_stay",
             "revenue_all", "revenue_thai", "revenue_foreign"]
WIDE_HEADER = "travel_date,province_th,province_en," + ",".join(VARIABLES)
# (month, Thai name, English name, the eight figures as published: persons, %, baht)
ROWS = [
    ("2024-01-01", "พัทลุง ", "Phatthalung ", "1000", "900", "100", "500", "50.5", "2000000", "1500000", "500000"),
    ("2024-02-01", "", "PHATTHALUNG  ", "1200", "1150", "50", "640", "61.25", "3250000", "3000000", "250000"),
    ("2024-01-01", "สงขลา", "Songkhla", "5000", "4000", "1000", "2000", "70", "9000000", "8000000", "1000000"),
    ("2024-01-01", "", "Phang Nga ", "3000", "1000", "2000", "1500", "80", "7000000", "3000000", "4000000"),
]
# what the two Phatthalung rows store: persons as published, the rate as published, baht / 1,000,000
EXPECTED = {
    ("visitors_thai", 1): 900, ("visitors_foreign", 1): 100, ("guests_staying", 1): 500,
    ("occupancy_rate", 1): 50.5, ("tourism_revenue", 1): 2.0, ("tourism_revenue_thai", 1): 1.5,
    ("tourism_revenue_foreign", 1): 0.5,
    ("visitors_thai", 2): 1150, ("visitors_foreign", 2): 50, ("guests_staying", 2): 640,
    ("occupancy_rate", 2): 61.25, ("tourism_revenue", 2): 3.25, ("tourism_revenue_thai", 2): 3.0,
    ("tourism_revenue_foreign", 2): 0.25,
}


def _wide(rows=ROWS, header: str = WIDE_HEADER) -> bytes:
    return ("\n".join([header, *(",".join(r) for r in rows)]) + "\n").encode()


def _long_lines(rows=ROWS) -> list[str]:
    """The same rows in the long layout with the republished region columns: one line per variable."""
    return [f"{r[0]},{r[1]},{r[2]},ภาคใต้,south,{var},{value}" for r in rows for var, value in zip(VARIABLES, r[3:],
                                                                                                   strict=True)]


LONG_HEADER = "date,province_thai,province_eng,region_thai,region_eng,variable,value"


def _long(lines: list[str], header: str = LONG_HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def _stored(db) -> dict[tuple[str, int], float]:
    with reader(db) as con:
        rows = con.execute("""SELECT measure_id, month, value FROM official_observations
                              WHERE area_code = '93' AND year = 2024 AND source = 'ministry'""").fetchall()
    return {(m, month): v for m, month, v in rows}


def _all_stored(db) -> pd.DataFrame:
    with reader(db) as con:
        return con.execute("""SELECT area_code, measure_id, source, year, month, value FROM official_observations
                              ORDER BY ALL""").df()


def _areas_store(path: Path) -> Path:
    """A second store like ``areas_db`` (Phatthalung's official areas, nothing else)."""
    with writer(path) as con:
        upsert_areas(con, official_areas())
    return path


def _codes(report) -> list[tuple[str, int | None, str | None]]:
    return [(p.code, p.row, p.column) for p in report.problems]


# --- province names ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, code", [
    ("พัทลุง", "93"), (" พัทลุง ", "93"), ("จังหวัดพัทลุง", "93"), ("จ.พัทลุง", "93"), ("Phatthalung ", "93"),
    ("PHATTHALUNG", "93"), ("phatthalung province", "93"), ("93", "93"), ("TH93", "93"), ("93.0", "93"),
    # the ministry's romanisations beside geothai's: Phang-nga, Lop Buri, Chai Nat, Buri Ram, Si Sa Ket
    ("Phang Nga", "82"), ("Phang-nga", "82"), ("Phangnga", "82"), ("Lopburi ", "16"), ("Lop Buri", "16"),
    ("Chainat", "18"), ("Buriram", "31"), ("Sisaket", "33"), ("Nong Bua Lamphu", "39"), ("Ayutthaya", "14"),
    # misspellings in the ministry's own sheets
    ("ประจวบศีรีขันธ์", "77"), ("ศรีษะเกษ", "33"),
    ("Atlantis", None), ("พัทลุงใต้", None), ("", None),
])
def test_province_names(text, code):
    assert province_by_name(text) == code


def test_every_province_by_thai_and_english_name():
    import geothai

    provinces = geothai.provinces()
    assert len(provinces) == 77
    for p in provinces:
        assert province_by_name(p.name_th) == p.code
        assert province_by_name(f" {p.name_en.upper()}  ") == p.code


# --- the wide layout with travel_date and names -----------------------------------------------------------------


def test_wide_with_travel_date_and_names(areas_db):
    report = load_source(SPEC, _wide(), "mots.csv", db=areas_db)
    assert report.status == "loaded", report.to_dict()["problems"]
    assert report.rows_read == 2 and report.rows_loaded == 2 and report.values_loaded == 14
    assert report.skipped_rows == 2 and report.skipped_areas == ["82", "90"]
    assert report.periods == ["2024-01", "2024-02"] and report.areas_loaded == ["93"]
    assert report.columns["travel_date"] == "period" and report.columns["province_en"] == "area_name"
    assert report.columns["no_tourist_all"] == "total of visitors_thai+visitors_foreign"
    assert _stored(areas_db) == pytest.approx(EXPECTED)


def test_a_code_column_wins_over_names(areas_db):
    rows = [("2024-01-01", "93", "สงขลา", *ROWS[0][3:])]  # the code is the key; the name is a label
    report = load_source(SPEC, _wide(rows, "date,province_code,province_th," + ",".join(VARIABLES)), "m.csv",
                         db=areas_db)
    assert report.status == "loaded" and report.columns["province_th"] == "ignored"
    assert _stored(areas_db)[("visitors_thai", 1)] == 900


def test_excel_with_datetime_cells_and_english_names(areas_db):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(WIDE_HEADER.split(","))
    for r in ROWS[:2]:
        month = dt.datetime.fromisoformat(r[0])
        ws.append([month, r[1] or None, r[2], *(float(x) for x in r[3:])])
    out = io.BytesIO()
    wb.save(out)
    report = load_source(SPEC, out.getvalue(), "mots.xlsx", db=areas_db)
    assert report.status == "loaded", report.to_dict()["problems"]
    assert _stored(areas_db) == pytest.approx(EXPECTED)


@pytest.mark.parametrize("rows, code, row, column, says", [
    ([("2024-01-01", "", "Atlantis", *ROWS[0][3:])], "unknown-area", 2, "province_en",
     "unknown area 'Atlantis' (not a province name)"),
    ([("2024-01-01", "", "", *ROWS[0][3:])], "unknown-area", 2, "province_th", "unknown area '' (blank)"),
    ([("2024-01-01", "พัทลุง", "Songkhla", *ROWS[0][3:])], "unknown-area", 2, "province_th",
     "unknown area 'พัทลุง' (it disagrees with 'Songkhla' in column province_en)"),
    ([ROWS[0], ROWS[0][:1] + ("", "phatthalung") + ROWS[0][3:]], "duplicate-row", 3, "travel_date",
     "the same area, measure and year appear again in row(s) 2"),
    ([ROWS[0][:3] + ("1244000", "1234567", "10000") + ROWS[0][6:]], "out-of-range", 2, "no_tourist_all",
     "'1244000': the total of visitors differs from the sum of its parts (1,244,567)"),
    ([ROWS[0][:4] + ("200000000",) + ROWS[0][5:]], "out-of-range", 2, "no_tourist_thai",
     "'200000000': Thai visitors must lie between 0 and 100,000,000 visits"),
])
def test_wide_names_problems(areas_db, rows, code, row, column, says):
    report = load_source(SPEC, _wide(rows), "mots.csv", db=areas_db)
    assert report.status == "rejected"
    found = [p for p in report.problems if p.code == code]
    assert found and (found[0].row, found[0].column) == (row, column), _codes(report)
    assert found[0].message_en == says and found[0].message_th
    assert _all_stored(areas_db).empty


def test_no_area_and_no_values_columns_are_named(areas_db):
    report = load_source(SPEC, b"travel_date,region_eng,visitors\n2024-01-01,south,5\n", "m.csv", db=areas_db)
    says = sorted(p.message_en for p in report.problems)
    assert report.status == "rejected" and len(says) == 2
    assert says[0].startswith("no area code or province name column (accepted headers include province_code")
    assert says[1].startswith("no value column") and "variable + value" in says[1]
    thai = sorted(p.message_th for p in report.problems)
    assert any("รหัสพื้นที่หรือชื่อจังหวัด" in t for t in thai)


# --- the long layout ---------------------------------------------------------------------------------------------


def test_long_layout_stores_the_same_values_as_the_wide(areas_db, tmp_path):
    long = load_source(SPEC, _long(_long_lines()), "long.csv", db=areas_db)
    assert long.status == "loaded", long.to_dict()["problems"]
    assert long.rows_read == 16  # 2 months × 8 variables of Phatthalung
    assert long.skipped_rows == 16 and long.skipped_areas == ["82", "90"]
    assert long.values_loaded == 14 and long.rows_loaded == 14  # the total of visitors is checked, not stored
    assert long.columns == {"date": "period", "province_thai": "area_name", "province_eng": "area_name",
                            "region_thai": "ignored", "region_eng": "ignored", "variable": "variable",
                            "value": "value"}
    assert _stored(areas_db) == pytest.approx(EXPECTED)

    other = _areas_store(tmp_path / "wide.duckdb")
    assert load_source(SPEC, _wide(), "wide.csv", db=other).status == "loaded"
    pd.testing.assert_frame_equal(_all_stored(areas_db), _all_stored(other))


def test_long_layout_as_republished(areas_db):
    """The repository's own four columns: ``date, province, variable, value``, Thai names, any row order."""
    lines = []
    for k, var in enumerate(VARIABLES):  # by variable, then province and month
        for r in ROWS[:3]:
            lines.append(f"{r[0]},{r[1].strip() or 'พัทลุง'},{var},{r[3 + k]}")
    report = load_source(SPEC, _long(lines, "date,province,variable,value"), "long.csv", db=areas_db)
    assert report.status == "loaded", report.to_dict()["problems"]
    assert report.skipped_areas == ["90"] and report.columns["province"] == "area_name"
    assert _stored(areas_db) == pytest.approx(EXPECTED)


def _replace(lines: list[str], start: str, new: str) -> list[str]:
    """The lines with the first one that starts with ``start`` replaced by ``new``."""
    k = next(i for i, line in enumerate(lines) if line.startswith(start))
    return [*lines[:k], new, *lines[k + 1:]]


JAN = "2024-01-01,พัทลุง ,Phatthalung ,ภาคใต้,south,"


@pytest.mark.parametrize("lines, code, row, column, says", [
    # line 2 is the first data line: January's no_tourist_all, then _thai, _foreign, _stay, ratio, revenue_all …
    (_replace(_long_lines(), JAN + "no_tourist_all", JAN + "no_tourist_all,1200"), "out-of-range", 2, "value",
     "'1200': the total of visitors differs from the sum of its parts (1,000)"),
    (_replace(_long_lines(), JAN + "revenue_thai", JAN + "revenue_thai,2500000"), "part-exceeds-whole", 8, "value",
     "Tourism revenue from Thai visitors (2.5) is larger than Tourism revenue (2) for the same area and year (row 7)"),
    (_replace(_long_lines(), JAN + "ratio_tourist_stay", JAN + "ratio_tourist_stay,150"), "out-of-range", 6,
     "value", "'150': Occupancy rate (published) must lie between 0 and 100 %"),
    (_replace(_long_lines(), JAN + "no_tourist_stay", JAN + "no_tourist_thai,900"), "duplicate-row", 5, "variable",
     "the same area, measure and year appear again in row(s) 3"),
    (_replace(_long_lines(), JAN + "no_tourist_stay", JAN + "no_tourist_sleep,500"), "unknown-measure", 5,
     "variable", "unknown measure 'no_tourist_sleep'"),
    (_replace(_long_lines(), JAN + "no_tourist_stay", JAN + "no_tourist_stay,many"), "type-error", 5, "value",
     "'many' is not a number"),
    ([*_long_lines(), "2024-01-01,,Atlantis ,ภาคใต้,south,no_tourist_thai,5"], "unknown-area", 34, "province_eng",
     "unknown area 'Atlantis ' (not a province name)"),
    ([*_long_lines(), "next month,พัทลุง,Phatthalung,ภาคใต้,south,no_tourist_thai,5"], "type-error", 34, "date",
     "'next month' is not a month (e.g. 2019-01 or 2562-01)"),
])
def test_long_layout_problems(areas_db, lines, code, row, column, says):
    report = load_source(SPEC, _long(lines), "long.csv", db=areas_db)
    assert report.status == "rejected" and report.problem_count == 1, _codes(report)
    p = report.problems[0]
    assert (p.code, p.row, p.column) == (code, row, column)
    assert p.message_en == says and p.message_th
    assert _all_stored(areas_db).empty


def test_long_layout_skip_invalid_drops_the_whole_month(areas_db):
    """A problem in one variable drops that province's month (as a bad wide row does); the other month loads."""
    lines = _replace(_long_lines(), JAN + "ratio_tourist_stay", JAN + "ratio_tourist_stay,150")
    report = load_source(SPEC, _long(lines), "long.csv", db=areas_db, skip_invalid=True)
    assert report.status == "partial" and report.problem_count == 1
    assert report.values_loaded == 7 and report.periods == ["2024-02", "2024-02"]
    assert _stored(areas_db) == pytest.approx({k: v for k, v in EXPECTED.items() if k[1] == 2})


# --- the real file ---------------------------------------------------------------------------------------------


def test_real_file_wide_and_long_store_the_same_values(areas_db, real_file, tmp_path):
    wide = load_source(SPEC, real_file.read_bytes(), real_file.name, db=areas_db)
    assert wide.status == "loaded" and wide.rows_loaded == 50 and wide.values_loaded == 350

    raw = pd.read_csv(real_file, dtype=str)
    raw["province_en"] = raw["province_en"] + "  "  # as republished: names with trailing spaces, no code
    melted = raw.drop(columns="province_code").melt(id_vars=["date", "province_th", "province_en"],
                                                    var_name="variable", value_name="value")
    melted = melted.rename(columns={"date": "travel_date"}).sample(frac=1, random_state=7)  # any row order
    assert len(melted) == 50 * 8
    other = _areas_store(tmp_path / "long.duckdb")
    long = load_source(SPEC, melted.to_csv(index=False).encode(), "long.csv", db=other)
    assert long.status == "loaded", long.to_dict()["problems"][:3]
    assert long.rows_read == 400 and long.values_loaded == 350 and long.periods == ["2019-01", "2023-02"]
    pd.testing.assert_frame_equal(_all_stored(areas_db), _all_stored(other))  # exactly, not approximately


def test_fmt_number():
    assert fmt_number(1e6) == "1,000,000" and fmt_number(13834594.19) == "13,834,594.19"
    assert fmt_number(0.5) == "0.5" and fmt_number(2.0) == "2" and fmt_number(-1500.25) == "-1,500.25"
    # a small number is never written as 0 (a bound "between 0 and 0" would mislead)
    assert fmt_number(1.005e-3) == "0.001" and fmt_number(-0.001) == "-0.001" and fmt_number(-0.0) == "0"
