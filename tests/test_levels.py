"""Figures at every level (issue 14): names carry their level, codes of any level, district and province figures
stored at their level, ranges that scale with the area, aliases and "did you mean"."""

from __future__ import annotations

import pytest

from loaders.area_names import AreaIndex, level_word, parse_name
from loaders.areas import official_areas, upsert_areas
from loaders.store import reader, writer
from loaders.uploads import load_file
from tests._store import put

DOPA_DISTRICTS = ("พื้นที่,ปี,จำนวนประชากร\nอ.กงหรา,2566,\"32,100\"\nอำเภอเขาชัยสน,2566,\"47,210\"\n"
                  "อ.ปากพะยูน,2566,\"55,300\"\n")
BARE_DISTRICTS = "พื้นที่,ปี,จำนวนประชากร\nกงหรา,2566,32100\nเขาชัยสน,2566,47210\nปากพะยูน,2566,55300\n"


def stored(db) -> dict:
    with reader(db) as con:
        rows = con.execute("SELECT area_code, measure_id, year, value FROM observations ORDER BY 1, 2, 3").fetchall()
    return {(a, m, y): v for a, m, y, v in rows}


@pytest.fixture(scope="module")
def index() -> AreaIndex:
    return AreaIndex(official_areas())


def test_district_prefixes_store_district_figures(areas_db):
    r = load_file(DOPA_DISTRICTS.encode(), "dopa.csv", db=areas_db)
    assert r.status == "loaded", r.problems
    assert stored(areas_db) == {("9302", "population", 2023): 32100.0, ("9303", "population", 2023): 47210.0,
                                ("9306", "population", 2023): 55300.0}
    assert r.levels == {"district": 3} and r.level is None


def test_bare_names_that_fit_two_levels_are_ambiguous(areas_db):
    r = load_file(BARE_DISTRICTS.encode(), "bare.csv", db=areas_db)
    assert r.status == "rejected" and [p.code for p in r.problems] == ["ambiguous-level"] * 3
    first = r.problems[0]
    assert first.row == 2 and first.value == "กงหรา"
    assert "9302 อ.กงหรา" in first.message_th and "930201 ต.กงหรา อ.กงหรา" in first.message_th
    assert "9302 Kong Ra District" in first.message_en and "930201 Kong Ra Subdistrict" in first.message_en
    assert stored(areas_db) == {}


@pytest.mark.parametrize("how", ["argument", "header", "level column"])
def test_the_level_set_for_the_file_settles_bare_names(areas_db, how):
    text = {"argument": BARE_DISTRICTS,
            "header": BARE_DISTRICTS.replace("พื้นที่,", "อำเภอ,"),
            "level column": BARE_DISTRICTS.replace("พื้นที่,ปี,", "พื้นที่,ระดับ,ปี,").replace(",2566", ",อำเภอ,2566")}[how]
    r = load_file(text.encode(), "bare.csv", db=areas_db, level="district" if how == "argument" else None)
    assert r.status == "loaded", r.problems
    assert set(stored(areas_db)) == {("9302", "population", 2023), ("9303", "population", 2023),
                                     ("9306", "population", 2023)}


def test_a_subdistrict_header_keeps_bare_names_at_subdistricts(areas_db):
    r = load_file(BARE_DISTRICTS.replace("พื้นที่,", "ตำบล,").encode(), "tambon.csv", db=areas_db)
    assert r.status == "loaded" and r.level == "subdistrict"
    assert set(stored(areas_db)) == {("930201", "population", 2023), ("930301", "population", 2023),
                                     ("930601", "population", 2023)}


def test_province_row_by_name_and_by_code_in_windows_874(areas_db):
    by_name = load_file("จังหวัด,ปี,จำนวนครัวเรือน\nพัทลุง,2567,\"180,500\"\n".encode("cp874"), "p.csv", db=areas_db)
    by_code = load_file("รหัสพื้นที่,ปี,จำนวนครัวเรือน\n93,2568,181000\nTH93,2566,179000\n".encode("cp874"), "c.csv",
                        db=areas_db)
    assert (by_name.status, by_code.status, by_name.encoding) == ("loaded", "loaded", "cp874")
    assert stored(areas_db) == {("93", "households", 2023): 179000.0, ("93", "households", 2024): 180500.0,
                                ("93", "households", 2025): 181000.0}
    assert by_name.levels == {"province": 1} and by_name.level == "province"


def test_national_table_with_province_sized_values(tmp_path):
    db = tmp_path / "two.duckdb"
    with writer(db) as con:
        upsert_areas(con, official_areas(["10", "93"]))
    text = "จังหวัด,ปี,จำนวนครัวเรือน\nกรุงเทพมหานคร,2566,\"3,034,567\"\nจ.พัทลุง,2566,\"179,000\"\n"
    r = load_file(text.encode(), "national.csv", db=db)
    assert r.status == "loaded", r.problems
    assert stored(db) == {("10", "households", 2023): 3034567.0, ("93", "households", 2023): 179000.0}


def test_district_range_scales_and_numbers_read_as_people_write_them(areas_db):
    # 9303 holds 5 subdistricts: households up to 5 × 1,000,000
    ok = load_file("อำเภอ,ปี,จำนวนครัวเรือน\n9303,2568,\"4,999,999\"\n".encode(), "ok.csv", db=areas_db)
    assert ok.status == "loaded"
    bad = load_file("อำเภอ,ปี,จำนวนครัวเรือน\nเขาชัยสน,2568,\"13,834,594.19\"\n".encode(), "bad.csv", db=areas_db)
    (p,) = bad.problems
    assert p.code == "out-of-range"
    assert p.message_en == ("'13,834,594.19': Households must lie between 0 and 5,000,000 households "
                            "(area 9303 holds 5 subdistricts)")
    assert p.message_th == "'13,834,594.19': จำนวนครัวเรือน ต้องอยู่ระหว่าง 0 ถึง 5,000,000 ครัวเรือน (พื้นที่ 9303 มี 5 ตำบล)"
    sub = load_file("ตำบล,ปี,จำนวนครัวเรือน\nโคกม่วง,2568,1000001\n".encode(), "sub.csv", db=areas_db)
    assert "between 0 and 1,000,000 households" in sub.problems[0].message_en


def test_a_districts_own_figure_replaces_its_roll_up(areas_db):
    from indicators.engine.tables import indicator_values

    put(areas_db, [("930307", "households", 2025, 500), ("930307", "poor_households", 2025, 250)])
    r = load_file("อำเภอ,ปี,households,poor_households\nอ.เขาชัยสน,2568,1000,100\n".encode(), "d.csv", db=areas_db)
    assert r.status == "loaded"
    (v,) = indicator_values(areas_db, level="district", indicator="poor_household_share", area="9303").itertuples()
    assert (v.value, v.n_subdistricts, v.complete) == (pytest.approx(10.0), 0, True)
    (s,) = indicator_values(areas_db, indicator="poor_household_share", area="930307").itertuples()
    assert s.value == pytest.approx(50.0)


def test_scope_covers_a_councils_own_district_not_the_province(areas_db):
    text = "พื้นที่,ปี,จำนวนครัวเรือน\nอ.เขาชัยสน,2568,900\nจ.พัทลุง,2568,180000\n930307,2568,300\n".encode()
    r = load_file(text, "mixed.csv", db=areas_db, scope={"9303"}, skip_invalid=True)
    assert r.status == "partial" and [(p.row, p.code) for p in r.problems] == [(3, "outside-scope")]
    assert stored(areas_db) == {("9303", "households", 2025): 900.0, ("930307", "households", 2025): 300.0}
    assert r.levels == {"district": 1, "subdistrict": 1}
    narrow = load_file(text + b"\n", "other.csv", db=areas_db, scope={"930307"}, dry_run=True)
    assert [(p.row, p.code) for p in narrow.problems] == [(2, "outside-scope"), (3, "outside-scope")]


def test_dopa_spelling_and_romanisations_are_declared_aliases(index):
    assert index.resolve("อ. ป่าพยอม").code == "9310"
    assert index.resolve("ต.ป่าพยอม").code == "931001"
    assert index.resolve("Tapaen").code == "930703"
    assert index.resolve("Tamod", level="district").code == "9304"


def test_unknown_name_gets_did_you_mean_in_both_languages(areas_db):
    r = load_file("ตำบล,ปี,จำนวนครัวเรือน\nโคกมวง,2568,10\n".encode(), "typo.csv", db=areas_db)
    (p,) = r.problems
    assert p.code == "unknown-area"
    assert p.message_th == "ไม่รู้จักพื้นที่ 'โคกมวง' (หรือหมายถึง 930307 ต.โคกม่วง อ.เขาชัยสน?)"
    assert p.message_en == ("unknown area 'โคกมวง' (did you mean 930307 Khok Muang Subdistrict "
                            "(Khao Chaison District)?)")


def test_suggestions_look_within_the_district_first(index):
    # นาโหนด (930114) is in Mueang; within Tamot the closest is ตะโหมด
    m = index.resolve("ตะโหนด", "ตะโหมด")
    assert m.problem == "unknown-area" and "930402 ต.ตะโหมด" in m.why_th and "930114" not in m.why_th


def test_a_name_at_another_level_says_where_it_is(index):
    m = index.resolve("โคกม่วง", level="district")
    assert m.problem == "unknown-area"
    assert m.why_en == " (no district of that name; there is 930307 Khok Muang Subdistrict (Khao Chaison District))"


@pytest.mark.parametrize(("text", "key", "level", "qualifiers"), [
    ("อ.กงหรา", "กงหรา", "district", ()),
    ("ต.ดอนทราย อ.ควนขนุน", "ดอนทราย", "subdistrict", (("district", "ควนขนุน"),)),
    ("อ.เมือง จ.พัทลุง", "เมือง", "district", (("province", "พัทลุง"),)),
    ("Khao Chaison District", "khaochaison", "district", ()),
    ("Khok Muang Subdistrict, Khao Chaison District", "khokmuang", "subdistrict", (("district", "khaochaison"),)),
    ("Changwat Phatthalung", "phatthalung", "province", ()),
    ("กงหรา", "กงหรา", None, ()),
])
def test_parse_name(text, key, level, qualifiers):
    assert parse_name(text) == (p := parse_name(text)) and (p.key, p.level, p.qualifiers) == (key, level, qualifiers)


def test_qualifiers_settle_names(index):
    assert index.resolve("ดอนทราย อ.ปากพะยูน").code == "930607"
    assert index.resolve("Don Sai, Khuan Khanun District").code == "930510"
    assert index.resolve("ท่ามิหรำ อ.เมือง").code == "930104"


@pytest.mark.parametrize(("word", "level"), [("อำเภอ", "district"), ("Amphoe", "district"), ("อ.", "district"),
                                             ("ตำบล", "subdistrict"), ("Sub-district", "subdistrict"),
                                             ("จังหวัด", "province"), ("province", "province"), ("หมู่บ้าน", None)])
def test_level_words(word, level):
    assert level_word(word) == level


def test_bad_level_cell_is_a_problem(areas_db):
    r = load_file("พื้นที่,ระดับ,ปี,จำนวนครัวเรือน\nกงหรา,หมู่บ้าน,2568,10\n".encode(), "lv.csv", db=areas_db)
    codes = [p.code for p in r.problems]
    assert "type-error" in codes and r.status == "rejected"


def test_cli_level_option(areas_db, tmp_path, capsys):
    from loaders.cli import main

    path = tmp_path / "bare.csv"
    path.write_text(BARE_DISTRICTS, encoding="utf-8")
    assert main(["csv", str(path), "--db", str(areas_db), "--dry-run"]) == 2
    assert "ambiguous-level" in capsys.readouterr().err
    assert main(["csv", str(path), "--db", str(areas_db), "--level", "district"]) == 0
    out = capsys.readouterr().out
    assert "rows by level: district 3" in out and "areas are districts" in out
    assert set(stored(areas_db)) == {("9302", "population", 2023), ("9303", "population", 2023),
                                     ("9306", "population", 2023)}
