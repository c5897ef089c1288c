"""Official areas from geothai: counts, names, parents, and the init command."""

from __future__ import annotations

import json

from loaders.areas import official_areas
from loaders.cli import main
from loaders.store import reader


def test_phatthalung_counts_and_parents():
    areas = official_areas()
    assert areas.level.value_counts().to_dict() == {"subdistrict": 65, "district": 11, "province": 1}
    districts = areas[areas.level == "district"]
    assert sorted(districts.code) == [f"93{i:02d}" for i in range(1, 12)]
    assert set(districts.parent_code) == {"93"}
    subs = areas[areas.level == "subdistrict"]
    assert subs.code.str.match(r"^93\d{4}$").all()
    assert (subs.code.str[:4] == subs.parent_code).all()
    # subdistricts per district 9301…9311, as in the official COD-AB layer
    assert subs.groupby("parent_code").size().tolist() == [14, 5, 5, 3, 12, 7, 3, 5, 3, 4, 4]


def test_names_and_the_model_subdistrict():
    areas = official_areas().set_index("code")
    assert areas.loc["930307", ["name_th", "name_en", "parent_code"]].tolist() == ["โคกม่วง", "Khok Muang", "9303"]
    assert areas.loc["93", "name_th"] == "พัทลุง"
    assert areas.loc["9303", "name_en"] == "Khao Chaison"
    # names repeat: codes are the keys
    assert sorted(areas.index[areas.name_th == "ดอนทราย"]) == ["930510", "930607"]


def test_init_command_fills_and_is_idempotent(tmp_path, capsys):
    db = tmp_path / "init.duckdb"
    assert main(["init", "--db", str(db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["district"], out["subdistrict"], out["province"]) == (11, 65, 1)
    assert "GeoThai" in out["credit"]
    assert main(["init", "--db", str(db)]) == 0
    with reader(db) as con:
        assert con.execute("SELECT count(*) FROM areas").fetchall()[0][0] == 77
        assert con.execute("SELECT parent_code FROM areas WHERE code = '930307'").fetchall()[0][0] == "9303"


def test_init_other_provinces(tmp_path):
    db = tmp_path / "two.duckdb"
    assert main(["init", "--db", str(db), "--province", "93,90"]) == 0
    with reader(db) as con:
        provinces = [r[0] for r in con.execute(
            "SELECT code FROM areas WHERE level = 'province' ORDER BY code").fetchall()]
    assert provinces == ["90", "93"]


def test_init_unknown_province_is_rejected(tmp_path, capsys):
    db = tmp_path / "bad.duckdb"
    assert main(["init", "--db", str(db), "--province", "99"]) == 2
    assert "99" in capsys.readouterr().err
