"""Boundaries (issue 14): DOPA's shapefile properties (AM_ID, AMPHOE_T, TA_ID, TAMBON_T, PROV_ID …, codes full or
within their parent), a file of the other level says so, and a dry run reports what would match and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import _apptest
import geopandas as gpd
import pytest
from _apptest import app, ok
from test_boundaries import square, write

from loaders import audit
from loaders.boundaries import load_boundaries
from loaders.cli import main
from loaders.errors import InputRejected
from loaders.store import reader

DISTRICTS = [f"93{i:02d}" for i in range(1, 12)]
# Thai names of Phatthalung's districts, as in the official list (loaders.areas)
AMPHOE_T = ["เมืองพัทลุง", "กงหรา", "เขาชัยสน", "ตะโหมด", "ควนขนุน", "ปากพะยูน", "ศรีบรรพต", "ป่าบอน", "บางแก้ว",
            "ป่าพะยอม", "ศรีนครินทร์"]
fast_hashing, store = _apptest.fast_hashing, _apptest.store


def dopa_amphoe(tmp_path: Path) -> Path:
    """A DOPA district shapefile: AM_ID (full code, a number), AMPHOE_T/_E, PROV_ID, PROV_NAM_T; one of Songkhla."""
    rows = [{"AM_ID": int(c), "AMPHOE_T": th, "AMPHOE_E": f"Amphoe {i}", "PROV_ID": 93, "PROV_NAM_T": "พัทลุง"}
            for i, (c, th) in enumerate(zip(DISTRICTS, AMPHOE_T, strict=True))]
    rows.append({"AM_ID": 9001, "AMPHOE_T": "เมืองสงขลา", "AMPHOE_E": "Mueang Songkhla", "PROV_ID": 90,
                 "PROV_NAM_T": "สงขลา"})
    gdf = gpd.GeoDataFrame(rows, geometry=[square(i) for i in range(12)], crs="EPSG:4326")
    return write(gdf, tmp_path / "amphoe.shp", encoding="utf-8")


def dopa_tambon(tmp_path: Path) -> Path:
    """A DOPA subdistrict shapefile with full codes: four subdistricts of 9301 and two of 9302."""
    codes = ["930101", "930103", "930104", "930105", "930201", "930202"]
    gdf = gpd.GeoDataFrame({"TA_ID": codes, "TAMBON_T": ["x"] * 6, "AM_ID": [c[:4] for c in codes],
                            "PROV_ID": ["93"] * 6}, geometry=[square(i) for i in range(6)], crs="EPSG:4326")
    return write(gdf, tmp_path / "tambon.shp", encoding="utf-8")


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the store."""
    with reader(db) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}


def shapes(db: Path, level: str) -> dict[str, str | None]:
    with reader(db) as con:
        return dict(con.execute("SELECT code, geometry_source FROM areas WHERE level = ? AND geometry IS NOT NULL",
                                [level]).fetchall())


# --- DOPA's properties ---------------------------------------------------------------------------------------------


def test_dopa_districts_with_full_codes_and_another_province(areas_db, tmp_path):
    r = load_boundaries(dopa_amphoe(tmp_path), "district", areas_db)
    assert r["schema"] == "DOPA (codes)" and r["columns"] == {"code": "AM_ID", "province": "PROV_ID"}
    assert (r["features_read"], r["other_province"], r["matched_features"], r["matched"]) == (12, 1, 11, 11)
    assert r["unmatched"] == [] and r["missing"] == [] and "looks_like" not in r
    assert set(shapes(areas_db, "district")) == set(DISTRICTS)


def test_dopa_subdistricts_with_codes_within_their_district(areas_db, tmp_path):
    """TA_ID "01" within AM_ID "01" within PROV_ID "93" is 930101; 930102 is retired: unmatched."""
    gdf = gpd.GeoDataFrame({"TA_ID": ["01", "03", "04", "02", "01"], "AM_ID": ["01", "01", "01", "01", "02"],
                            "PROV_ID": ["93"] * 5, "TAMBON_T": ["a", "b", "c", "d", "e"]},
                           geometry=[square(i) for i in range(5)], crs="EPSG:4326")
    r = load_boundaries(write(gdf, tmp_path / "tambon.shp"), "subdistrict", areas_db)
    assert r["schema"] == "DOPA (codes)" and r["columns"] == {"code": "TA_ID", "province": "PROV_ID"}
    assert r["matched"] == 4 and len(r["missing"]) == 65 - 4
    assert r["unmatched"] == [{"feature": 4, "value": "02", "reason": "no such area"}]
    assert set(shapes(areas_db, "subdistrict")) == {"930101", "930103", "930104", "930201"}


def test_dopa_districts_with_codes_within_the_province(areas_db, tmp_path):
    gdf = gpd.GeoDataFrame({"AMP_ID": ["1", "02", "3"], "CH_ID": [93, 93, 90]},
                           geometry=[square(i) for i in range(3)], crs="EPSG:4326")
    r = load_boundaries(write(gdf, tmp_path / "amphoe.geojson"), "district", areas_db)
    assert r["schema"] == "DOPA (codes)" and r["other_province"] == 1
    assert set(shapes(areas_db, "district")) == {"9301", "9302"}


def test_dopa_names_settled_by_amphoe_t(areas_db, tmp_path):
    gdf = gpd.GeoDataFrame({"TAMBON_T": ["ดอนทราย", "ต.ดอนทราย", "ควนขนุน"], "TAMBON_E": ["Don Sai"] * 3,
                            "AMPHOE_T": ["ควนขนุน", "อ.ปากพะยูน", "เขาชัยสน"], "PROV_NAM_T": ["พัทลุง"] * 3},
                           geometry=[square(i) for i in range(3)], crs="EPSG:4326")
    r = load_boundaries(write(gdf, tmp_path / "tambon.geojson"), "subdistrict", areas_db)
    assert r["schema"] == "DOPA (names)"
    assert r["columns"] == {"name": "TAMBON_T", "district": "AMPHOE_T", "province": "PROV_NAM_T"}
    assert r["unmatched"] == []
    assert set(shapes(areas_db, "subdistrict")) == {"930510", "930607", "930302"}


# --- the other level ---------------------------------------------------------------------------------------------


def test_districts_loaded_as_subdistricts_are_refused_with_the_level_to_use(areas_db, tmp_path, capsys):
    f = dopa_amphoe(tmp_path)
    before = snapshot(areas_db)
    with pytest.raises(InputRejected) as exc:
        load_boundaries(f, "subdistrict", areas_db)
    message = str(exc.value)
    assert "รูปร่างในไฟล์นี้ดูเป็นอำเภอ (11 รูปตรงกับอำเภอของจังหวัดพัทลุง ไม่ตรงกับตำบล): ใช้ --level district" in message
    assert ("these look like districts (11 feature(s) of amphoe.shp match districts of Phatthalung, none a "
            "subdistrict): use --level district") in message
    assert message.index("ดูเป็นอำเภอ") < message.index("these look like")  # Thai first
    assert exc.value.report["looks_like"] == "district"

    capsys.readouterr()
    code = main(["boundaries", str(f), "--level", "subdistrict", "--db", str(areas_db), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2 and out["ok"] is False and out["looks_like"] == "district"
    assert "use --level district" in out["error"]
    assert snapshot(areas_db) == before


def test_district_codes_at_the_subdistrict_level_say_so_too(areas_db, tmp_path):
    """A plain ``code`` column of four digits: no subdistrict matches, every feature is a district."""
    gdf = gpd.GeoDataFrame({"code": DISTRICTS[:3]}, geometry=[square(i) for i in range(3)], crs="EPSG:4326")
    with pytest.raises(InputRejected, match=r"these look like districts \(3 feature\(s\)"):
        load_boundaries(write(gdf, tmp_path / "three.geojson"), "subdistrict", areas_db)
    assert shapes(areas_db, "subdistrict") == {} and shapes(areas_db, "district") == {}


def test_subdistricts_loaded_as_districts_are_dissolved_with_a_note(areas_db, tmp_path):
    r = load_boundaries(dopa_tambon(tmp_path), "district", areas_db)
    assert r["schema"] == "DOPA (codes)" and r["columns"]["code"] == "AM_ID"
    assert (r["matched_features"], r["matched"], r["dissolved"]) == (6, 2, {"9301": 4, "9302": 2})
    assert r["looks_like"] == "subdistrict"
    assert "these look like subdistricts (6 features match 6 subdistricts)" in r["note"]
    assert r["note"].startswith("รูปร่างในไฟล์ดูเป็นตำบล")
    assert set(shapes(areas_db, "district")) == {"9301", "9302"}
    # at its own level the same file loads without a note
    r = load_boundaries(dopa_tambon(tmp_path), "subdistrict", areas_db)
    assert r["matched"] == 6 and "note" not in r and r["columns"]["code"] == "TA_ID"


# --- dry run ---------------------------------------------------------------------------------------------------------


def test_dry_run_reports_what_would_match_and_writes_nothing(demo_db, tmp_path, capsys):
    f = dopa_amphoe(tmp_path)
    before = snapshot(demo_db)
    assert shapes(demo_db, "district")  # the demo's schematic shapes
    r = load_boundaries(f, "district", demo_db, dry_run=True)
    assert r["dry_run"] is True and r["would_store"] == 11 and r["stored"] == 0 and r["province_shape"] is None
    assert (r["features_read"], r["other_province"], r["matched_features"], r["matched"]) == (12, 1, 11, 11)
    assert r["unmatched"] == [] and r["missing"] == []
    assert snapshot(demo_db) == before  # row for row

    gdf = gpd.GeoDataFrame({"AM_ID": ["9301", "9302", "9399"]}, geometry=[square(i) for i in range(3)],
                           crs="EPSG:4326")
    capsys.readouterr()
    code = main(["boundaries", str(write(gdf, tmp_path / "part.geojson")), "--level", "district", "--db",
                 str(demo_db), "--dry-run", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["dry_run"] is True and out["would_store"] == 2
    assert out["unmatched"] == [{"feature": 3, "value": "9399", "reason": "no such area"}]
    assert [m["code"] for m in out["missing"]] == DISTRICTS[2:]
    assert main(["boundaries", str(tmp_path / "part.geojson"), "--level", "district", "--db", str(demo_db),
                 "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "dry run: would store 2 shape(s); nothing was written" in text and "no shape: 9311" in text
    assert snapshot(demo_db) == before
    # without --dry-run the same file writes
    load_boundaries(f, "district", demo_db)
    assert set(shapes(demo_db, "district").values()) == {"amphoe.shp"}


def test_admin_page_offers_the_dry_run(store, tmp_path):
    f = dopa_amphoe(tmp_path).with_suffix(".geojson")
    write(gpd.read_file(tmp_path / "amphoe.shp"), f)
    at = app("boss", "app_pages/admin.py")
    at.file_uploader(key="bd_file").set_value(("amphoe.geojson", f.read_bytes(), "application/geo+json"))
    at.checkbox(key="bd_dry").check()
    ok(at.run())
    before = snapshot(store)
    ok(at.button(key="bd_load").click().run())
    assert any("11" in i.value and "ยังไม่ได้บันทึก" in i.value for i in at.info), [i.value for i in at.info]
    assert not at.success
    assert snapshot(store) == before
    at.checkbox(key="bd_dry").uncheck()
    ok(at.run())
    ok(at.button(key="bd_load").click().run())
    assert any("11" in s.value for s in at.success)
    assert set(shapes(store, "district").values()) == {"amphoe.geojson"}
    assert "boundaries" in set(audit.write_log(store).action)


# --- the real files ----------------------------------------------------------------------------------------------


def test_real_files_at_the_wrong_level(real_dir, areas_db):
    amphoe, tambon = real_dir / "phatthalung_amphoe.geojson", real_dir / "phatthalung_tambon.geojson"
    if not (amphoe.exists() and tambon.exists()):
        pytest.skip("the real boundary files are absent")
    before = snapshot(areas_db)
    with pytest.raises(InputRejected, match="these look like districts") as exc:
        load_boundaries(amphoe, "subdistrict", areas_db)
    assert exc.value.report["looks_like"] == "district"
    r = load_boundaries(tambon, "district", areas_db, dry_run=True)
    assert (r["features_read"], r["matched_features"], r["matched"], r["would_store"]) == (65, 65, 11, 11)
    assert r["looks_like"] == "subdistrict" and "65 features match 65 subdistricts" in r["note"]
    r = load_boundaries(tambon, "subdistrict", areas_db, dry_run=True)
    assert (r["matched"], r["unmatched"], r["missing"], r["would_store"]) == (65, [], [], 65)
    assert snapshot(areas_db) == before
