"""The boundaries loader: COD-AB, GADM and plain files; GeoJSON, shapefile (plain and zipped), GeoPackage; any CRS."""

from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from loaders.boundaries import load_boundaries, norm_code, norm_name
from loaders.cli import main
from loaders.demo_shapes import SCHEMATIC
from loaders.geometry import read_shapes
from loaders.store import get_meta, reader

DISTRICTS = [f"93{i:02d}" for i in range(1, 12)]


def square(i: int, size: float = 0.02) -> Polygon:
    """A small lon/lat square near Phatthalung, one per index, side by side."""
    x, y = 99.9 + 0.03 * (i % 10), 7.4 + 0.03 * (i // 10)
    return box(x, y, x + size, y + size)


def write(gdf: gpd.GeoDataFrame, path: Path, **kwargs) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf.to_file(path, **kwargs)
    return path


def state(db: Path) -> tuple[int, str | None]:
    """(number of areas with a shape, meta geometry_source)."""
    with reader(db) as con:
        n = con.execute("SELECT count(*) FROM areas WHERE geometry IS NOT NULL").fetchall()[0][0]
        return n, get_meta(con, "geometry_source")


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["boundaries", *argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


# --- names and codes ---------------------------------------------------------------------------------------------


def test_norm_name_and_code():
    assert norm_name("ตำบล ดอนทราย") == norm_name("ต.ดอนทราย") == norm_name("ดอน ทราย") == "ดอนทราย"
    assert norm_name("อำเภอเมืองพัทลุง") == norm_name("อ. เมืองพัทลุง") == "เมืองพัทลุง"
    assert norm_name("Tambon Khok Cha-ngai") == norm_name("KHOK CHA NGAI") == "khokchangai"
    assert norm_name("Amphoe Kong Ra") == norm_name("KONGRA") == norm_name("Kong Ra District") == "kongra"
    assert norm_code("TH930307") == norm_code(930307) == norm_code(930307.0) == norm_code(" 930307 ") == "930307"
    assert norm_code("๙๓๐๑") == "9301"


# --- COD-AB ------------------------------------------------------------------------------------------------------


def test_cod_ab_geojson_filters_other_provinces_and_reports_missing(areas_db, tmp_path):
    rows = [{"ADM2_PCODE": f"TH{c}", "ADM2_EN": "x", "ADM1_PCODE": "TH93"} for c in DISTRICTS[:10]]
    geoms = [square(i) for i in range(10)]
    rows.append({"ADM2_PCODE": "TH9301", "ADM2_EN": "Mueang Phatthalung part 2", "ADM1_PCODE": "TH93"})
    geoms.append(square(20))  # a second part of 9301: dissolved
    rows.append({"ADM2_PCODE": "TH9001", "ADM2_EN": "Mueang Songkhla", "ADM1_PCODE": "TH90"})
    geoms.append(box(100.5, 7.1, 100.6, 7.2))
    f = write(gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326"), tmp_path / "tha_adm2.geojson")

    r = load_boundaries(f, "district", areas_db)
    assert r["schema"].startswith("COD-AB")
    assert r["features_read"] == 12
    assert r["other_province"] == 1
    assert r["matched_features"] == 11
    assert r["matched"] == r["stored"] == 10
    assert r["unmatched"] == []
    assert r["missing"] == [{"code": "9311", "name_th": "ศรีนครินทร์", "name_en": "Srinagarindra"}]
    assert r["dissolved"] == {"9301": 2}
    assert r["source_crs"] == "EPSG:4326" and r["crs_assumed"] is False
    assert r["province_shape"] is None  # not every district has a shape

    assert state(areas_db) == (10, "file")
    with reader(areas_db) as con:
        shapes = read_shapes(con, "district")
        province = con.execute("SELECT geometry FROM areas WHERE code = '93'").fetchall()[0][0]
    assert province is None
    assert set(shapes.geometry_source) == {"tha_adm2.geojson"}
    mueang = shapes.set_index("code").geometry["9301"]
    assert mueang.geom_type == "MultiPolygon" and len(mueang.geoms) == 2
    assert mueang.area == pytest.approx(2 * 0.02 * 0.02)


def test_cod_ab_subdistricts_with_an_unknown_code(areas_db, tmp_path):
    codes = ["TH930101", "TH930103", "TH930102", "TH900101"]  # 930102 is retired; 900101 is in Songkhla
    gdf = gpd.GeoDataFrame({"ADM3_PCODE": codes, "ADM2_PCODE": [c[:6] for c in codes]},
                           geometry=[square(i) for i in range(4)], crs="EPSG:4326")
    r = load_boundaries(write(gdf, tmp_path / "adm3.geojson"), "subdistrict", areas_db)
    assert r["matched"] == 2 and r["other_province"] == 1
    assert r["unmatched"] == [{"feature": 3, "value": "TH930102", "reason": "no such area"}]
    assert len(r["missing"]) == 63
    assert state(areas_db)[0] == 2


# --- GADM --------------------------------------------------------------------------------------------------------

GADM_NAMES = ["MuangPhatthalung", "Kong Ra", "KhaoChaison", "Tamot", "Khuan Khanun", "Pak Phayun", "Si Banphot",
              "Pa Bon", "Bang Kaeo", "Pa Phayom", "Srinagarindra"]


def test_gadm_shapefile_in_utm_is_reprojected(areas_db, tmp_path):
    side = 5000.0  # 5 km squares in UTM 47N: 25 km² each
    geoms = [box(600000 + i * 6000, 840000, 600000 + i * 6000 + side, 840000 + side) for i in range(11)]
    gdf = gpd.GeoDataFrame(
        {"GID_1": ["THA.50_1"] * 11 + ["THA.64_1"], "NAME_1": ["Phatthalung"] * 11 + ["Songkhla"],
         "GID_2": [f"THA.50.{i}_1" for i in range(1, 12)] + ["THA.64.1_1"],
         "NAME_2": GADM_NAMES + ["Mueang Songkhla"]},
        geometry=geoms + [box(660000, 800000, 665000, 805000)], crs="EPSG:32647")
    f = write(gdf, tmp_path / "gadm41_THA_2.shp")

    r = load_boundaries(f, "district", areas_db)
    assert r["schema"] == "GADM"
    assert r["source_crs"] == "EPSG:32647"
    assert (r["features_read"], r["other_province"], r["matched"]) == (12, 1, 11)
    assert r["unmatched"] == [] and r["missing"] == []
    assert r["province_shape"] == "union of districts"

    with reader(areas_db) as con:
        shapes = read_shapes(con, "district")
        province = read_shapes(con, "province")
    assert len(shapes) == 11
    x0, y0, x1, y1 = shapes.total_bounds
    assert 99.0 < x0 < x1 < 101.0 and 7.0 < y0 < y1 < 8.5  # lon/lat, not metres
    assert shapes.area_km2.to_numpy() == pytest.approx([25.0] * 11, rel=0.01)
    # the geodesic truth, independent of the UTM round trip
    geod_km2 = [abs(gpd.GeoSeries([g], crs="EPSG:4326").to_crs("EPSG:6933").area.iloc[0]) / 1e6
                for g in shapes.geometry]
    assert geod_km2 == pytest.approx([25.0] * 11, rel=0.01)
    assert shapes.set_index("code").geometry["9301"].bounds[0] == pytest.approx(x0)
    assert len(province) == 1 and province.area_km2.iloc[0] == pytest.approx(11 * 25.0, rel=0.01)


def test_gadm_subdistricts_match_within_their_district(areas_db, tmp_path):
    gdf = gpd.GeoDataFrame(
        {"NAME_1": ["Phatthalung"] * 4, "GID_3": [f"THA.50.{i}.1_1" for i in range(4)],
         "NAME_2": ["Khuan Khanun", "Pak Phayun", "Mueang Phatthalung", "Khao Chaison"],
         "NAME_3": ["Don Sai", "DonSai", "Tha Miram", "Khuan Khanun"]},
        geometry=[square(i) for i in range(4)], crs="EPSG:4326")
    r = load_boundaries(write(gdf, tmp_path / "gadm_3.geojson"), "subdistrict", areas_db)
    assert r["schema"] == "GADM" and r["unmatched"] == []
    with reader(areas_db) as con:
        codes = list(read_shapes(con, "subdistrict").code)
    assert codes == ["930104", "930302", "930510", "930607"]


# --- plain files ---------------------------------------------------------------------------------------------------


def test_zipped_shapefile_with_numeric_codes(areas_db, tmp_path):
    gdf = gpd.GeoDataFrame({"AMP_CODE": [int(c) for c in DISTRICTS], "AMP_NAMT": ["x"] * 11},
                           geometry=[square(i) for i in range(11)], crs="EPSG:4326")
    folder = tmp_path / "shp"
    folder.mkdir()
    write(gdf, folder / "amphoe.shp")
    archive = tmp_path / "amphoe.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in folder.iterdir():
            zf.write(p, f"boundaries/{p.name}")
    r = load_boundaries(archive, "district", areas_db)
    assert r["schema"] == "plain (codes)" and r["columns"]["code"] == "AMP_CODE"
    assert r["member"] == "boundaries/amphoe.shp"
    assert (r["matched"], r["unmatched"], r["missing"]) == (11, [], [])
    assert state(areas_db) == (12, "file")  # 11 districts and the province (their union)


def test_plain_geopackage_with_tambon_code(areas_db, tmp_path):
    codes = ["930101", "TH930103", "930104", "930199"]
    gdf = gpd.GeoDataFrame({"tambon_code": codes, "amphoe_code": ["9301"] * 4},
                           geometry=[square(i) for i in range(4)], crs="EPSG:4326")
    r = load_boundaries(write(gdf, tmp_path / "tambon.gpkg", layer="tambon"), "subdistrict", areas_db)
    assert r["schema"] == "plain (codes)" and r["columns"] == {"code": "tambon_code"}
    assert r["matched"] == 3
    assert r["unmatched"] == [{"feature": 4, "value": "930199", "reason": "no such area"}]
    assert len(r["missing"]) == 62
    with reader(areas_db) as con:
        assert list(read_shapes(con, "subdistrict").code) == ["930101", "930103", "930104"]


def test_plain_thai_names_and_an_ambiguous_one(areas_db, tmp_path):
    names = ["ตำบลคูหาสวรรค์", "ต. เขาเจียก", "ท่า มิหรำ", "Tambon Khok Cha-ngai", "ดอนทราย", "ไม่มีตำบลนี้"]
    gdf = gpd.GeoDataFrame({"ตำบล": names}, geometry=[square(i) for i in range(6)], crs="EPSG:4326")
    r = load_boundaries(write(gdf, tmp_path / "names.geojson"), "subdistrict", areas_db)
    assert r["schema"] == "plain (names)" and r["columns"] == {"name": "ตำบล"}
    assert r["matched"] == 4
    assert r["unmatched"] == [
        {"feature": 5, "value": "ดอนทราย", "reason": "ambiguous: 930510, 930607"},
        {"feature": 6, "value": "ไม่มีตำบลนี้", "reason": "no such area"},
    ]
    with reader(areas_db) as con:
        assert list(read_shapes(con, "subdistrict").code) == ["930101", "930103", "930104", "930105"]


def test_plain_names_settled_by_a_district_column(areas_db, tmp_path):
    gdf = gpd.GeoDataFrame({"tambon": ["ดอนทราย", "ดอนทราย", "ควนขนุน"], "อำเภอ": ["ควนขนุน", "อ.ปากพะยูน", "เขาชัยสน"]},
                           geometry=[square(i) for i in range(3)], crs="EPSG:4326")
    r = load_boundaries(write(gdf, tmp_path / "names.geojson"), "subdistrict", areas_db)
    assert r["unmatched"] == [] and r["columns"] == {"name": "tambon", "district": "อำเภอ"}
    with reader(areas_db) as con:
        assert list(read_shapes(con, "subdistrict").code) == ["930302", "930510", "930607"]


def test_no_crs_lonlat_is_assumed_and_invalid_shape_is_repaired(areas_db, tmp_path):
    bowtie = Polygon([(100.0, 7.5), (100.02, 7.52), (100.02, 7.5), (100.0, 7.52), (100.0, 7.5)])
    assert not bowtie.is_valid
    gdf = gpd.GeoDataFrame({"code": ["9301", "9302"]}, geometry=[bowtie, square(3)])
    r = load_boundaries(write(gdf, tmp_path / "nocrs.shp"), "district", areas_db)
    assert r["crs_assumed"] is True and r["made_valid"] == 1 and r["matched"] == 2
    with reader(areas_db) as con:
        shapes = read_shapes(con, "district").set_index("code")
    assert shapes.geometry["9301"].is_valid and shapes.geometry["9301"].area == pytest.approx(0.0002)


def test_geopackage_layer_is_chosen_by_level(areas_db, tmp_path):
    f = tmp_path / "phatthalung.gpkg"
    write(gpd.GeoDataFrame({"code": DISTRICTS[:2]}, geometry=[square(0), square(1)], crs="EPSG:4326"), f,
          layer="amphoe")
    write(gpd.GeoDataFrame({"code": ["930101"]}, geometry=[square(2)], crs="EPSG:4326"), f, layer="tambon")
    r = load_boundaries(f, "subdistrict", areas_db)
    assert r["layer"] == "tambon" and r["matched"] == 1
    r = load_boundaries(f, "district", areas_db)
    assert r["layer"] == "amphoe" and r["matched"] == 2


def test_tis620_shapefile_without_cpg(areas_db, tmp_path):
    gdf = gpd.GeoDataFrame({"TAM_NAMT": ["คูหาสวรรค์", "เขาเจียก"]}, geometry=[square(0), square(1)],
                           crs="EPSG:4326")
    f = write(gdf, tmp_path / "tambon.shp", encoding="cp874")
    f.with_suffix(".cpg").unlink(missing_ok=True)
    r = load_boundaries(f, "subdistrict", areas_db)
    assert r["matched"] == 2 and r["unmatched"] == [] and "TIS-620" in r["encoding"]


def test_real_boundaries_replace_the_schematic_demo(demo_db, tmp_path):
    with reader(demo_db) as con:
        assert get_meta(con, "geometry_source") == SCHEMATIC
    gdf = gpd.GeoDataFrame({"ADM2_PCODE": [f"TH{c}" for c in DISTRICTS]},
                           geometry=[square(i) for i in range(11)], crs="EPSG:4326")
    r = load_boundaries(write(gdf, tmp_path / "adm2.geojson"), "district", demo_db)
    assert r["province_shape"] == "union of districts"
    with reader(demo_db) as con:
        assert get_meta(con, "geometry_source") == "file"
        src = dict(con.execute("SELECT code, geometry_source FROM areas WHERE level <> 'subdistrict'").fetchall())
    assert src["93"] == "union of districts (adm2.geojson)"
    assert {src[c] for c in DISTRICTS} == {"adm2.geojson"}


# --- rejections: exit 2, nothing written ----------------------------------------------------------------------------


def _nan_geojson(path: Path) -> Path:
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"9301"},'
                    '"geometry":{"type":"Polygon","coordinates":[[[100,7.5],[100.1,7.5],[100.1,NaN],[100,7.5]]]}}]}')
    return path


def _bad_file(kind: str, tmp_path: Path) -> Path:
    ok = gpd.GeoDataFrame({"code": ["9302"]}, geometry=[square(1)], crs="EPSG:4326")
    if kind == "csv":
        p = tmp_path / "table.csv"
        p.write_text("code,value\n9301,1\n9302,2\n")
        return p
    if kind == "csv renamed":
        p = tmp_path / "table.geojson"
        p.write_text("code,value\n9301,1\n")
        return p
    if kind == "random bytes":
        p = tmp_path / "noise.geojson"
        p.write_bytes(bytes(range(256)) * 8)
        return p
    if kind == "bad zip":
        p = tmp_path / "broken.zip"
        p.write_bytes(b"PK\x03\x04 not really a zip")
        return p
    if kind == "no code or name column":
        return write(gpd.GeoDataFrame({"foo": ["9301"]}, geometry=[square(0)], crs="EPSG:4326"),
                     tmp_path / "foo.geojson")
    if kind == "nan coordinate":
        return _nan_geojson(tmp_path / "nan.geojson")
    if kind == "nan coordinate gpkg":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bad = Polygon([(100, 7.5), (100.1, 7.5), (100.1, float("nan")), (100, 7.5)])
        return write(gpd.GeoDataFrame({"code": ["9301", "9302"]}, geometry=[bad, square(1)], crs="EPSG:4326"),
                     tmp_path / "nan.gpkg")
    if kind == "empty geometry":
        return write(gpd.GeoDataFrame({"code": ["9301", "9302"]}, geometry=[Polygon(), square(1)],
                                      crs="EPSG:4326"), tmp_path / "empty.gpkg")
    if kind == "missing geometry":
        return write(pd_concat(ok, gpd.GeoDataFrame({"code": ["9301"]}, geometry=[None], crs="EPSG:4326")),
                     tmp_path / "null.geojson")
    if kind == "points":
        return write(gpd.GeoDataFrame({"code": ["9301"]}, geometry=[Point(100, 7.5)], crs="EPSG:4326"),
                     tmp_path / "points.geojson")
    if kind == "no match":
        return write(gpd.GeoDataFrame({"ADM2_PCODE": ["TH9001"]}, geometry=[square(0)], crs="EPSG:4326"),
                     tmp_path / "songkhla.geojson")
    if kind == "projected without crs":
        return write(gpd.GeoDataFrame({"code": ["9301"]}, geometry=[box(600000, 840000, 605000, 845000)]),
                     tmp_path / "noprj.shp")
    if kind == "wrong crs":
        return write(gpd.GeoDataFrame({"code": ["9301"]}, geometry=[square(0)], crs="EPSG:3857"),
                     tmp_path / "wrong.geojson")
    raise AssertionError(kind)


def pd_concat(*frames: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


@pytest.mark.parametrize(("kind", "says"), [
    ("csv", "not geodata"),
    ("csv renamed", "not readable geodata"),
    ("random bytes", "not readable geodata"),
    ("bad zip", "not a valid zip"),
    ("no code or name column", "no usable code or name column"),
    ("nan coordinate", "NaN or infinite coordinates"),
    ("nan coordinate gpkg", "NaN or infinite coordinates"),
    ("empty geometry", "empty geometry"),
    ("missing geometry", "missing geometry"),
    ("points", "not a polygon: Point"),
    ("no match", "no feature of songkhla.geojson matches a district"),
    ("projected without crs", "has no CRS and its coordinates are not longitude/latitude"),
    ("wrong crs", "outside Thailand"),
])
def test_rejections_exit_2_and_write_nothing(kind, says, areas_db, tmp_path, capsys):
    f = _bad_file(kind, tmp_path)
    before = state(areas_db)
    code, out = run_json(capsys, str(f), "--level", "district", "--db", str(areas_db))
    assert code == 2
    assert out["ok"] is False and says in out["error"]
    assert state(areas_db) == before == (0, None)
    assert "Traceback" not in capsys.readouterr().err


def test_rejection_reports_broken_features(areas_db, tmp_path, capsys):
    code, out = run_json(capsys, str(_bad_file("empty geometry", tmp_path)), "--level", "district",
                         "--db", str(areas_db))
    assert code == 2 and out["broken"] == [{"feature": 1, "problem": "empty geometry"}]
    code, out = run_json(capsys, str(_bad_file("no match", tmp_path)), "--level", "district", "--db", str(areas_db))
    assert code == 2 and out["other_province"] == 1 and out["matched"] == 0


def test_missing_file_and_missing_database(areas_db, tmp_path, capsys):
    assert main(["boundaries", str(tmp_path / "nope.geojson"), "--level", "district", "--db", str(areas_db)]) == 2
    f = write(gpd.GeoDataFrame({"code": ["9301"]}, geometry=[square(0)], crs="EPSG:4326"), tmp_path / "a.geojson")
    assert main(["boundaries", str(f), "--level", "district", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert not (tmp_path / "none.duckdb").exists()


# --- command line ----------------------------------------------------------------------------------------------------


def test_cli_json_and_text(areas_db, tmp_path, capsys):
    gdf = gpd.GeoDataFrame({"amphoe_code": DISTRICTS[:3], "name": ["a", "b", "c"]},
                           geometry=[square(i) for i in range(3)], crs="EPSG:4326")
    f = write(gdf, tmp_path / "three.geojson")
    code, out = run_json(capsys, str(f), "--level", "district", "--db", str(areas_db))
    assert code == 0
    assert out["ok"] is True and out["file"] == "three.geojson" and out["level"] == "district"
    assert out["schema"] == "plain (codes)" and out["source_crs"] == "EPSG:4326"
    assert (out["features_read"], out["matched"], out["unmatched"]) == (3, 3, [])
    assert [m["code"] for m in out["missing"]] == DISTRICTS[3:]
    assert out["db"] == str(areas_db)

    assert main(["boundaries", str(f), "--level", "district", "--db", str(areas_db)]) == 0
    text = capsys.readouterr().out
    assert "matched 3 feature(s) to 3 area(s)" in text and "no shape: 9311 ศรีนครินทร์" in text


# --- the real official files (when present) ---------------------------------------------------------------------------


def test_real_official_boundaries(real_dir, areas_db, capsys):
    code, out = run_json(capsys, str(real_dir / "phatthalung_amphoe.geojson"), "--level", "district",
                         "--db", str(areas_db))
    assert code == 0
    assert (out["features_read"], out["matched"], out["unmatched"], out["missing"]) == (11, 11, [], [])
    assert out["schema"].startswith("COD-AB") and out["province_shape"] == "union of districts"
    code, out = run_json(capsys, str(real_dir / "phatthalung_tambon.geojson"), "--level", "subdistrict",
                         "--db", str(areas_db))
    assert code == 0
    assert (out["features_read"], out["matched"], out["unmatched"], out["missing"]) == (65, 65, [], [])
    with reader(areas_db) as con:
        rows = dict(con.execute("SELECT level, sum(area_km2) FROM areas GROUP BY level").fetchall())
        assert get_meta(con, "geometry_source") == "file"
    # SOURCES.md: the polygons (with the lake) cover about 3,860 km²; districts and subdistricts tile the same land
    assert rows["district"] == pytest.approx(3860, rel=0.01)
    assert rows["subdistrict"] == pytest.approx(rows["district"], rel=1e-6)
    assert rows["province"] == pytest.approx(rows["district"], rel=1e-3)
    with reader(areas_db) as con:
        assert shapely.is_valid(read_shapes(con, "subdistrict").geometry.to_numpy()).all()
