"""Loading official boundaries from a file the user supplies (DESIGN §2).

GeoJSON, shapefile (``.shp`` with its sidecar files, or a ``.zip`` holding one) or GeoPackage, in any CRS
(reprojected to EPSG:4326).  The schema is recognised without configuration:

- HDX/OCHA COD-AB: ``ADM2_PCODE`` "TH9301" (districts), ``ADM3_PCODE`` "TH930307" (subdistricts);
- GADM: ``NAME_1`` (province), ``NAME_2`` (district), ``NAME_3`` (subdistrict), matched by name;
- DOPA (กรมการปกครอง) shapefiles: codes ``AM_ID``/``AMP_ID`` (districts), ``TA_ID``/``TAM_ID`` (subdistricts),
  ``PROV_ID``/``CH_ID`` (provinces), names ``AMPHOE_T``/``AMPHOE_E``, ``TAMBON_T``/``TAMBON_E``,
  ``PROV_NAM_T``/``CHANGWAT_T`` …; a code may be the full DOPA code ("9301", "930101") or the number within its
  province or district ("01"), which is completed from the parent's code column;
- plain: a column of DOPA codes (``code``, ``amphoe_code``, ``tambon_code``, ``AMP_CODE`` …) or of names
  (``name``, ``name_th``, ``tambon``, ``TAM_NAMT``, ``ตำบล`` …), Thai or English.

A file whose features match the other level (districts loaded as subdistricts) is refused with a message that says
so; a subdistrict file loaded as districts through its district codes is dissolved, and the report notes that the
features look like subdistricts.  ``dry_run`` checks and matches everything and writes nothing.

A national file is filtered to Phatthalung (93).  Features of one code are dissolved into one shape; invalid shapes
are repaired; broken ones (missing, empty, non-polygon, NaN/infinite coordinates) reject the file.  Everything is
written in one transaction, or nothing is.
"""

from __future__ import annotations

import math
import re
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from loaders.areas import PROVINCE
from loaders.decoding import MAX_UNZIPPED as MAX_UNZIPPED_OTHER
from loaders.decoding import FileRefused, check_zip
from loaders.demo_shapes import SCHEMATIC
from loaders.errors import InputRejected
from loaders.geometry import read_shapes, store_geometries
from loaders.store import db_path, reader, set_meta, writer

LEVELS = ("district", "subdistrict")
GEO_SUFFIXES = (".geojson", ".json", ".shp", ".gpkg")
MAX_UNZIPPED = 2 * 1024**3  # refuse archives that unpack to more than 2 GB
# Generous box around Thailand (lon_min, lat_min, lon_max, lat_max): shapes outside it mean a wrong CRS.
THAILAND_BOX = (95.0, 4.0, 108.0, 22.0)
MAX_LISTED = 50  # broken features listed in a rejection
# Vertices of the province's shapes of one level: the map simplifies what it draws in time linear in them (a
# 1,000,000-vertex district took the overview map from 0.4 s to 7.1 s) and the load holds them all in memory.
# Phatthalung's official shapes are far below: a subdistrict has a few thousand vertices.
MAX_VERTICES_FEATURE = 100_000
MAX_VERTICES_LAYER = 300_000

PROVINCE_NAMES = {"phatthalung", "พัทลุง"}

# Candidate columns (lower case).  Generic ones serve both levels; the best-matching column wins.
CODE_COLUMNS = {
    "generic": ["code", "dopa_code", "geocode", "geo_code", "pcode", "area_code", "admin_code"],
    "district": ["amphoe_code", "amp_code", "ampcode", "amphoe_id", "amp_id", "district_code", "dist_code",
                 "adm2_pcode", "ap_code", "am_id", "amphoe_cod", "a_code"],
    "subdistrict": ["tambon_code", "tam_code", "tamcode", "tambon_id", "tam_id", "subdistrict_code",
                    "subdist_code", "adm3_pcode", "tb_code", "ta_id", "tambon_cod", "t_code"],
}
NAME_COLUMNS = {
    "generic": ["name", "name_th", "name_en", "namt", "name_t", "name_e", "nam_t", "nam_e"],
    "district": ["amphoe", "อำเภอ", "amphoe_name", "amphoe_th", "amphoe_en", "amp_namt", "amp_name", "amp_name_e",
                 "amp_namte", "amp_name_t", "district", "district_name", "district_th", "district_en", "adm2_th",
                 "adm2_en", "name_2", "amphoe_t", "amphoe_e", "amp_nam_t", "amp_nam_e", "a_name_t", "a_name_e"],
    "subdistrict": ["tambon", "ตำบล", "tambon_name", "tambon_th", "tambon_en", "tam_namt", "tam_name",
                    "tam_name_e", "tam_namte", "tam_name_t", "subdistrict", "subdistrict_name", "subdistrict_th",
                    "subdistrict_en", "adm3_th", "adm3_en", "name_3", "tambon_t", "tambon_e", "tam_nam_t",
                    "tam_nam_e", "t_name_t", "t_name_e"],
}
PROVINCE_COLUMNS = ["province", "province_code", "prov_code", "pro_code", "changwat", "changwat_code", "จังหวัด",
                    "prov_namt", "prov_name", "prov_name_e", "pro_namt", "adm1_pcode", "adm1_en", "adm1_th",
                    "prov_id", "ch_id", "p_code", "prov_nam_t", "prov_nam_e", "changwat_t", "changwat_e", "p_name_t",
                    "p_name_e"]
PROVINCE_CODE_COLUMNS = ["province_code", "prov_code", "pro_code", "changwat_code", "adm1_pcode", "prov_id", "ch_id",
                         "p_code"]
# Column names particular to DOPA's shapefiles (the schema is reported as DOPA when one of them is matched)
DOPA_COLUMNS = {"am_id", "amp_id", "ta_id", "tam_id", "amphoe_t", "amphoe_e", "tambon_t", "tambon_e", "prov_id",
                "ch_id", "prov_nam_t", "prov_nam_e", "changwat_t", "changwat_e", "a_code", "t_code", "a_name_t",
                "a_name_e", "t_name_t", "t_name_e", "amp_nam_t", "amp_nam_e", "tam_nam_t", "tam_nam_e"}
LEVEL_TH = {"district": "อำเภอ", "subdistrict": "ตำบล"}

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_PREFIXES = ("กิ่งอำเภอ", "อำเภอ", "ตำบล", "จังหวัด", "อ.", "ต.", "จ.", "king amphoe", "amphoe", "tambon",
             "changwat", "amphur", "amphoe.", "tambol")
_SUFFIXES = ("subdistrict", "sub-district", "district", "province")
_MUEANG = re.compile(r"^(amphoemueang|amphoemuang|mueang|muang|meuang|muaeng|เมือง)")
_SEPARATORS = re.compile(r"[\s\-_.,'’`()]+")


# ---------------------------------------------------------------------------------------------------------------
# Names and codes


def norm_name(value: Any) -> str:
    """A name reduced for matching: prefixes (ตำบล, อ., Tambon …) stripped, no spaces/hyphens, lower case."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    s = unicodedata.normalize("NFC", str(value)).translate(_THAI_DIGITS).strip().lower()
    changed = True
    while changed:
        changed = False
        for p in _PREFIXES:
            if s.startswith(p) and len(s) > len(p):
                s = s[len(p):].strip()
                changed = True
        for p in _SUFFIXES:
            if s.endswith(" " + p):
                s = s[: -len(p)].strip()
                changed = True
    return _SEPARATORS.sub("", s)


def mueang_key(key: str) -> str:
    """A normalised name without a leading "Mueang"/"Muang"/"เมือง" (spellings of the capital district vary)."""
    stripped = _MUEANG.sub("", key)
    return stripped if stripped and stripped != key else ""


def norm_code(value: Any) -> str:
    """A DOPA code as text: "TH930307", 930307, 930307.0 and " 930307 " all become "930307"."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            value = int(value)
    s = str(value).translate(_THAI_DIGITS).strip().upper().replace(" ", "")
    if s.startswith("TH"):
        s = s[2:]
    if re.fullmatch(r"\d+\.0+", s):
        s = s.split(".")[0]
    return s


@dataclass
class Areas:
    """The areas of one level (and the districts, to match subdistricts within them)."""

    level: str
    table: pd.DataFrame  # code, parent_code, name_th, name_en of the level
    districts: pd.DataFrame
    _index: dict[str | None, tuple[dict[str, set[str]], dict[str, set[str]]]] = field(default_factory=dict)
    _districts: Areas | None = None

    @property
    def codes(self) -> set[str]:
        return set(self.table.code)

    def _lookup(self, parent: str | None) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        if parent not in self._index:
            rows = self.table if parent is None else self.table[self.table.parent_code == parent]
            primary: dict[str, set[str]] = {}
            alternate: dict[str, set[str]] = {}
            for code, th, en in zip(rows.code, rows.name_th, rows.name_en, strict=True):
                for name in (th, en):
                    key = norm_name(name)
                    if key:
                        primary.setdefault(key, set()).add(code)
                        alt = mueang_key(key)
                        alternate.setdefault(alt or key, set()).add(code)
            self._index[parent] = (primary, alternate)
        return self._index[parent]

    def match_name(self, value: Any, parent: str | None = None) -> tuple[str | None, str]:
        """(code, "") for a unique match, else (None, reason)."""
        key = norm_name(value)
        if not key:
            return None, "no name"
        primary, alternate = self._lookup(parent)
        found = primary.get(key) or alternate.get(mueang_key(key) or key) or set()
        if len(found) == 1:
            return next(iter(found)), ""
        if len(found) > 1:
            return None, "ambiguous: " + ", ".join(sorted(found))
        return None, "no such area"

    def match_district(self, value: Any) -> str | None:
        """The district code for a district code or name, or None."""
        code = norm_code(value)
        if code in set(self.districts.code):
            return code
        if self._districts is None:
            self._districts = Areas("district", self.districts, self.districts)
        found, _ = self._districts.match_name(value)
        return found


# ---------------------------------------------------------------------------------------------------------------
# Reading the file


def _reject(message_th: str, message_en: str, **report: Any) -> InputRejected:
    return InputRejected(f"{message_th} / {message_en}", report={"ok": False, **report})


def _level_hint(name: str, level: str) -> int:
    """2 when a file or layer name says it holds this level, 1 when it says nothing, 0 when it names the other."""
    n = name.lower()
    sub = any(h in n for h in ("adm3", "tambon", "tam_", "subdistrict", "sub_district", "ตำบล"))
    dist = not sub and any(h in n for h in ("adm2", "amphoe", "amp_", "district", "อำเภอ"))
    if (level == "subdistrict" and sub) or (level == "district" and dist):
        return 2
    return 0 if (sub or dist) else 1


def _pick(names: Iterable[str], level: str) -> str:
    names = sorted(names)
    return max(names, key=lambda n: _level_hint(n, level))  # max keeps the first of equals


def _read_one(path: Path, level: str) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    info: dict[str, Any] = {}
    try:
        with warnings.catch_warnings():  # GDAL's warnings about odd files are not for the user
            warnings.simplefilter("ignore")
            layers = pyogrio.list_layers(path)
    except Exception as exc:  # noqa: BLE001 - GDAL raises several types
        raise _reject("ไม่ใช่ไฟล์ข้อมูลภูมิศาสตร์ที่อ่านได้", f"not readable geodata: {path.name} ({exc})") from None
    polygon_layers = [str(name) for name, kind in layers if kind and "polygon" in str(kind).lower()]
    spatial_layers = [str(name) for name, kind in layers if kind]
    candidates = polygon_layers or spatial_layers
    if not candidates:
        raise _reject("ไฟล์ไม่มีรูปร่างพื้นที่ (geometry)", f"no geometry in {path.name}: not geodata")
    layer = _pick(candidates, level)
    if len(layers) > 1:
        info["layer"] = layer
    kwargs: dict[str, Any] = {"layer": layer}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gdf = gpd.read_file(path, **kwargs)
            if path.suffix.lower() == ".shp" and not path.with_suffix(".cpg").exists() and _looks_mis_decoded(gdf):
                gdf = gpd.read_file(path, encoding="cp874", **kwargs)
                info["encoding"] = "cp874 (TIS-620)"
    except Exception as exc:  # noqa: BLE001
        raise _reject("อ่านไฟล์ไม่ได้", f"cannot read {path.name}: {exc}") from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise _reject("ไฟล์ไม่มีรูปร่างพื้นที่ (geometry)", f"no geometry in {path.name}: not geodata")
    return gdf, info


def _looks_mis_decoded(gdf: pd.DataFrame) -> bool:
    """Thai text (TIS-620) read as Latin-1 shows up as characters U+00A1–U+00FB."""
    for col in gdf.columns:
        if col == gdf.geometry.name or gdf[col].dtype.kind not in "OSU" and str(gdf[col].dtype) != "str":
            continue
        for v in gdf[col].dropna().astype(str).head(200):
            if any("\u00a1" <= ch <= "\u00fb" for ch in v):
                return True
    return False


def read_geodata(path: str | Path, level: str) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Read a GeoJSON, shapefile, zipped shapefile or GeoPackage; raise InputRejected if it is not geodata."""
    path = Path(path)
    if not path.exists():
        raise _reject("ไม่พบไฟล์", f"no such file: {path}")
    if not path.is_file():
        raise _reject("ไม่ใช่ไฟล์", f"not a file: {path}")
    if path.suffix.lower() != ".zip":
        with path.open("rb") as fh:
            is_zip = fh.read(4) == b"PK\x03\x04"
        if is_zip:  # GDAL opens .xlsx, .kmz, .ods … through their zip: refuse a bomb before it inflates anything
            _check_archive(path, MAX_UNZIPPED_OTHER)
        return _read_one(path, level)
    _check_archive(path, MAX_UNZIPPED)
    try:
        with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory(prefix="boundaries-") as tmp:
            members = [m for m in zf.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX")]
            inner = [m.filename for m in members if Path(m.filename).suffix.lower() in GEO_SUFFIXES]
            if not inner:
                raise _reject("ไม่พบ shapefile/GeoJSON/GeoPackage ในไฟล์ zip",
                              f"no .shp, .geojson or .gpkg inside {path.name}")
            zf.extractall(tmp, members=members)
            shp = [n for n in inner if n.lower().endswith(".shp")]
            chosen = _pick(shp or inner, level)
            gdf, info = _read_one(Path(tmp) / chosen, level)
            info["member"] = chosen
            return gdf, info
    except zipfile.BadZipFile:
        raise _reject("ไฟล์ zip เสีย", f"{path.name} is not a valid zip archive") from None


def _check_archive(path: Path, max_unzipped: int) -> None:
    """Refuse a zip bomb (declared sizes, member count) and members named outside the archive (``../``, ``/``)."""
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                check_zip(zf, max_unzipped=max_unzipped)
            except FileRefused as exc:
                raise _reject(exc.problem.message_th, f"{path.name}: {exc.problem.message_en}") from None
            for name in zf.namelist():
                parts = name.replace("\\", "/").split("/")
                if name.startswith(("/", "\\")) or ".." in parts or (parts[0][1:2] == ":"):
                    raise _reject("ไฟล์ zip มีชื่อไฟล์ย่อยที่ชี้ออกนอกโฟลเดอร์",
                                  f"{path.name} holds a member named outside the archive: {name!r}")
    except zipfile.BadZipFile:
        raise _reject("ไฟล์ zip เสีย", f"{path.name} is not a valid zip archive") from None


# ---------------------------------------------------------------------------------------------------------------
# Recognising the schema and matching features to areas


@dataclass
class Matching:
    schema: str
    columns: dict[str, str]
    codes: list[str | None]  # per feature: area code, or None
    reasons: list[str]  # per feature: "" when matched, "other province", or why it did not match
    values: list[Any]  # per feature: the value that was matched (code or name)


def _columns(gdf: pd.DataFrame) -> dict[str, str]:
    """Lower-cased (NFC) column name -> actual name."""
    return {unicodedata.normalize("NFC", str(c)).strip().lower(): c for c in gdf.columns if c != gdf.geometry.name}


def _candidates(cols: dict[str, str], table: dict[str, list[str]], level: str) -> list[str]:
    return [cols[c] for c in table["generic"] + table[level] if c in cols]


def _match_codes(values: pd.Series, areas: Areas, digits: int) -> tuple[list[str | None], list[str]]:
    codes: list[str | None] = []
    reasons: list[str] = []
    known = areas.codes
    for v in values:
        c = norm_code(v)
        if c in known:
            codes.append(c)
            reasons.append("")
        elif c.isdigit() and len(c) == digits and not c.startswith(PROVINCE):
            codes.append(None)
            reasons.append("other province")
        else:
            codes.append(None)
            reasons.append("no such area" if c else "no code")
    return codes, reasons


def _full_codes(gdf: pd.DataFrame, col: str, cols: dict[str, str], level: str) -> list[str]:
    """The codes of ``col``; a short one (the number within its province or district, as DOPA's ``AM_ID`` "01" may
    be) gets the code of its parent, from the province (or district) code column, in front."""
    codes = [norm_code(v) for v in gdf[col]]
    if not any(c.isdigit() and len(c) <= 2 for c in codes):
        return codes
    if level == "district":
        pcol = next((cols[c] for c in PROVINCE_CODE_COLUMNS if c in cols and cols[c] != col), None)
        parents = [norm_code(v) for v in gdf[pcol]] if pcol else []
        width = 2
    else:
        dcol = next((cols[c] for c in CODE_COLUMNS["district"] if c in cols and cols[c] != col), None)
        parents = _full_codes(gdf, dcol, cols, "district") if dcol else []
        width = 4
    if not parents:
        return codes
    return [p + c.zfill(2) if c.isdigit() and len(c) <= 2 and p.isdigit() and len(p) == width else c
            for c, p in zip(codes, parents, strict=True)]


def _schema(kind: str, col: str) -> str:
    return f"{'DOPA' if unicodedata.normalize('NFC', col).strip().lower() in DOPA_COLUMNS else 'plain'} ({kind})"


def _in_province(values: pd.Series) -> list[bool]:
    """Whether each province value (code "93"/"TH93" or name) is Phatthalung; unknown values count as in."""
    out = []
    for v in values:
        code = norm_code(v)
        if code.isdigit():
            out.append(code == PROVINCE)
        else:
            key = norm_name(v)
            out.append(not key or key in PROVINCE_NAMES)
    return out


def match_features(gdf: gpd.GeoDataFrame, areas: Areas) -> Matching:
    """Recognise the schema and give each feature an area code (or a reason why not)."""
    level = areas.level
    cols = _columns(gdf)
    digits = 4 if level == "district" else 6

    # HDX/OCHA COD-AB
    pcode = "adm2_pcode" if level == "district" else "adm3_pcode"
    if pcode in cols:
        codes, reasons = _match_codes(gdf[cols[pcode]], areas, digits)
        return Matching("COD-AB (HDX/OCHA)", {"code": cols[pcode]}, codes, reasons, gdf[cols[pcode]].tolist())

    # GADM
    name_col = "name_2" if level == "district" else "name_3"
    if {"name_1", name_col} <= set(cols) and ("gid_2" in cols or "gid_3" in cols):
        return _match_gadm(gdf, cols, areas)

    # Plain: a code column if one matches anything, else a name column.
    in_prov = [True] * len(gdf)
    prov_cols = [cols[c] for c in PROVINCE_COLUMNS if c in cols]
    if prov_cols:
        in_prov = _in_province(gdf[prov_cols[0]])
    best: Matching | None = None
    for col in _candidates(cols, CODE_COLUMNS, level):
        codes, reasons = _match_codes(pd.Series(_full_codes(gdf, col, cols, level), dtype=object), areas, digits)
        n = sum(c is not None for c in codes)
        if n and (best is None or n > sum(c is not None for c in best.codes)):
            best = Matching(_schema("codes", col), {"code": col}, codes, reasons, gdf[col].tolist())
    if best is None:
        district_col = None
        if level == "subdistrict":
            dcols = _candidates(cols, CODE_COLUMNS, "district") + [
                cols[c] for c in NAME_COLUMNS["district"] if c in cols]
            district_col = dcols[0] if dcols else None
        for col in _candidates(cols, NAME_COLUMNS, level):
            if col == district_col:
                continue
            codes, reasons = _match_names(gdf, col, district_col, areas)
            n = sum(c is not None for c in codes)
            if n and (best is None or n > sum(c is not None for c in best.codes)):
                used = {"name": col, **({"district": district_col} if district_col else {})}
                best = Matching(_schema("names", col), used, codes, reasons, gdf[col].tolist())
    if best is None:
        code_cols = _candidates(cols, CODE_COLUMNS, level)
        name_cols = _candidates(cols, NAME_COLUMNS, level)
        if not code_cols and not name_cols:
            raise _reject(
                f"ไม่พบคอลัมน์รหัสหรือชื่อ{LEVEL_TH[level]}",
                f"no usable code or name column for level {level} (columns: {', '.join(map(str, cols.values()))}); "
                "expected e.g. ADM2_PCODE/ADM3_PCODE, GID_2/NAME_2, AM_ID/TA_ID, AMPHOE_T/TAMBON_T, code, "
                "amphoe_code, tambon_code, name, ตำบล",
                columns=list(map(str, cols.values())))
        used = (code_cols + name_cols)[0]
        codes, reasons = _match_codes(gdf[used], areas, digits) if used in code_cols else (
            [None] * len(gdf), ["no such area"] * len(gdf))
        best = Matching("plain", {"code" if used in code_cols else "name": used}, codes, reasons, gdf[used].tolist())
    if prov_cols:
        best.columns["province"] = prov_cols[0]
        for i, inside in enumerate(in_prov):
            if not inside:
                best.codes[i] = None
                best.reasons[i] = "other province"
    return best


def _match_names(gdf: pd.DataFrame, col: str, district_col: str | None,
                 areas: Areas) -> tuple[list[str | None], list[str]]:
    codes: list[str | None] = []
    reasons: list[str] = []
    parents = gdf[district_col].tolist() if district_col else [None] * len(gdf)
    for value, parent_value in zip(gdf[col].tolist(), parents, strict=True):
        parent = areas.match_district(parent_value) if parent_value is not None else None
        code, why = areas.match_name(value, parent) if parent else (None, "")
        if code is None:
            code, why = areas.match_name(value)
        codes.append(code)
        reasons.append(why)
    return codes, reasons


def _match_gadm(gdf: pd.DataFrame, cols: dict[str, str], areas: Areas) -> Matching:
    level = areas.level
    n1 = cols["name_1"]
    n2 = cols["name_2"]
    own = cols["name_2" if level == "district" else "name_3"]
    # Thai (NL_NAME_x) and variant (VARNAME_x, "A|B") names are tried when the English name does not match.
    suffix = "2" if level == "district" else "3"
    extra = [cols[c] for c in (f"nl_name_{suffix}", f"varname_{suffix}") if c in cols]
    codes: list[str | None] = []
    reasons: list[str] = []
    for _, row in gdf.iterrows():
        if norm_name(row[n1]) not in PROVINCE_NAMES:
            codes.append(None)
            reasons.append("other province")
            continue
        parent = areas.match_district(row[n2]) if level == "subdistrict" else None
        tries = [row[own]] + [v.strip() for c in extra if isinstance(row[c], str)
                              for v in row[c].split("|") if v.strip() and v.strip() != "NA"]
        code, why = None, "no such area"
        for k, value in enumerate(tries):
            code, reason = areas.match_name(value, parent) if parent else (None, "")
            if code is None:
                code, reason = areas.match_name(value)
            if code is not None:
                break
            if k == 0:
                why = reason
        codes.append(code)
        reasons.append("" if code else why)
    return Matching("GADM", {"province": n1, "name": own, **({"district": n2} if level == "subdistrict" else {})},
                    codes, reasons, gdf[own].tolist())


# ---------------------------------------------------------------------------------------------------------------
# Geometry checks


def _check_geometries(geoms: np.ndarray, numbers: list[int]) -> None:
    """Reject missing, empty, non-polygon or non-finite geometries (``numbers``: 1-based feature numbers)."""
    problems: list[dict[str, Any]] = []
    for number, g in zip(numbers, geoms, strict=True):
        if g is None:
            problems.append({"feature": number, "problem": "missing geometry"})
        elif g.is_empty:
            problems.append({"feature": number, "problem": "empty geometry"})
        elif g.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append({"feature": number, "problem": f"not a polygon: {g.geom_type}"})
        elif not np.isfinite(shapely.get_coordinates(g)).all():
            problems.append({"feature": number, "problem": "NaN or infinite coordinates"})
    if problems:
        raise _reject("รูปร่างพื้นที่เสีย", f"{len(problems)} feature(s) with broken geometry, e.g. feature "
                      f"{problems[0]['feature']}: {problems[0]['problem']}", broken=problems[:MAX_LISTED],
                      broken_count=len(problems))


def _check_vertices(geoms: np.ndarray, numbers: list[int]) -> None:
    """Reject a feature above :data:`MAX_VERTICES_FEATURE` vertices, or a level above :data:`MAX_VERTICES_LAYER`."""
    counts = shapely.get_num_coordinates(geoms)
    how = ("ลดจำนวนจุดก่อน เช่น Simplify ใน QGIS หรือ mapshaper ที่ความละเอียดประมาณ 10 เมตร",
           "simplify the file first, e.g. with QGIS (Simplify) or mapshaper at about 10 m")
    if len(counts) and counts.max() > MAX_VERTICES_FEATURE:
        k = int(np.argmax(counts))
        raise _reject(f"รูปร่างที่ {numbers[k]} มี {int(counts[k]):,} จุด เกินขีดจำกัด {MAX_VERTICES_FEATURE:,} จุดต่อรูปร่าง: "
                      f"{how[0]}",
                      f"feature {numbers[k]} has {int(counts[k]):,} vertices, above the limit of "
                      f"{MAX_VERTICES_FEATURE:,} per shape: {how[1]}",
                      feature=numbers[k], vertices=int(counts[k]), limit=MAX_VERTICES_FEATURE)
    total = int(counts.sum())
    if total > MAX_VERTICES_LAYER:
        raise _reject(f"รูปร่างของจังหวัดในไฟล์มีรวม {total:,} จุด เกินขีดจำกัด {MAX_VERTICES_LAYER:,} จุด: {how[0]}",
                      f"the province's shapes in the file have {total:,} vertices, above the limit of "
                      f"{MAX_VERTICES_LAYER:,}: {how[1]}", vertices=total, limit=MAX_VERTICES_LAYER)


def _polygonal(g: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a repaired geometry (make_valid may add lines or points)."""
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _crs_label(crs: CRS | None) -> str | None:
    if crs is None:
        return None
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else (crs.name or crs.to_string())


# ---------------------------------------------------------------------------------------------------------------
# The whole load


def _load_areas(db: str | Path | None, level: str) -> Areas:
    with reader(db) as con:
        rows = con.execute(
            """SELECT code, level, parent_code, name_th, name_en FROM areas
               WHERE level IN ('district', 'subdistrict') AND starts_with(code, ?) ORDER BY code""",
            [PROVINCE],
        ).fetchall()
    frame = pd.DataFrame(rows, columns=["code", "level", "parent_code", "name_th", "name_en"])
    table = frame[frame.level == level].drop(columns="level").reset_index(drop=True)
    districts = frame[frame.level == "district"].drop(columns="level").reset_index(drop=True)
    if table.empty:
        raise _reject("ฐานข้อมูลยังไม่มีรายชื่อพื้นที่", f"the database has no {level} areas of province {PROVINCE}: "
                      "run `python -m loaders init` first")
    return Areas(level, table, districts)


def _other_level(gdf: gpd.GeoDataFrame, level: str, db: str | Path | None) -> tuple[str, int, int] | None:
    """(the other level, features matched to it, its areas matched) when the features match the other level."""
    other = LEVELS[1 - LEVELS.index(level)]
    try:
        matching = match_features(gdf, _load_areas(db, other))
    except InputRejected:
        return None
    matched = [c for c in matching.codes if c is not None]
    return (other, len(matched), len(set(matched))) if matched else None


def _wrong_level(path: Path, level: str, other: tuple[str, int, int], /, **report: Any) -> InputRejected:
    name, n, _ = other
    return _reject(f"รูปร่างในไฟล์นี้ดูเป็น{LEVEL_TH[name]} ({n:,} รูปตรงกับ{LEVEL_TH[name]}ของจังหวัดพัทลุง "
                   f"ไม่ตรงกับ{LEVEL_TH[level]}): ใช้ --level {name}",
                   f"these look like {name}s ({n:,} feature(s) of {path.name} match {name}s of Phatthalung, none a "
                   f"{level}): use --level {name}", looks_like=name, **report)


def safe_file_name(file_name: str | None) -> str:
    """An uploaded file's name as a plain file name for a temporary copy: its last part, letters, digits, ``._-``
    only (Thai letters kept), never ``.`` or ``..``; the suffix is what tells GeoJSON, GeoPackage and zip apart."""
    name = re.sub(r"[^\w.\-]+", "_", re.split(r"[\\/]", str(file_name or ""))[-1]).strip("._")[-120:]
    return name or "boundaries"


def load_boundaries_bytes(data: bytes, file_name: str, level: str, db: str | Path | None = None, *,
                          dry_run: bool = False) -> dict[str, Any]:
    """:func:`load_boundaries` for an uploaded file's bytes: copied to a temporary folder under a safe name
    (:func:`safe_file_name`), read, removed."""
    with tempfile.TemporaryDirectory(prefix="wellbeing-shapes-") as tmp:
        path = Path(tmp) / safe_file_name(file_name)
        path.write_bytes(data)
        return load_boundaries(path, level, db, dry_run=dry_run)


def load_boundaries(path: str | Path, level: str, db: str | Path | None = None, *,
                    dry_run: bool = False) -> dict[str, Any]:
    """Load the shapes of one level from ``path`` into the store; return the report (raise InputRejected).

    With ``dry_run`` everything is read, checked and matched, and nothing is written: the report says what would
    match (``matched_features``, ``unmatched``, ``missing``) and ``would_store``."""
    if level not in LEVELS:
        raise _reject("ระดับพื้นที่ไม่ถูกต้อง", f"level must be district or subdistrict, not {level!r}")
    path = Path(path)
    gdf, info = read_geodata(path, level)
    if len(gdf) == 0:
        raise _reject("ไฟล์ไม่มีข้อมูล", f"{path.name} has no features")
    areas = _load_areas(db, level)
    try:
        matching = match_features(gdf, areas)
    except InputRejected:
        other = _other_level(gdf, level, db)
        if other is None:
            raise
        raise _wrong_level(path, level, other, file=path.name, level=level) from None

    report: dict[str, Any] = {"ok": True, "file": path.name, "level": level, "schema": matching.schema,
                              "columns": matching.columns, "dry_run": dry_run, **info}
    keep = [i for i, r in enumerate(matching.reasons) if r != "other province"]
    report["features_read"] = len(gdf)
    report["other_province"] = len(gdf) - len(keep)

    # Geometry of every feature of the province must be sound (those of other provinces are not looked at).
    geoms = gdf.geometry.to_numpy()[keep]
    _check_vertices(geoms, [i + 1 for i in keep])
    _check_geometries(geoms, [i + 1 for i in keep])
    source_crs = gdf.crs
    report["source_crs"] = _crs_label(source_crs)
    report["crs_assumed"] = False
    kept = gpd.GeoSeries(shapely.force_2d(geoms), crs=source_crs)
    if source_crs is None:
        if len(kept):
            x0, y0, x1, y1 = kept.total_bounds
            if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
                raise _reject("ไฟล์ไม่ระบุระบบพิกัด และพิกัดไม่ใช่ลองจิจูด/ละติจูด",
                              f"{path.name} has no CRS and its coordinates are not longitude/latitude "
                              f"(bounds {x0:.6g}, {y0:.6g}, {x1:.6g}, {y1:.6g}); add a .prj or save it with a CRS")
        kept = kept.set_crs("EPSG:4326")
        report["source_crs"] = "none (assumed EPSG:4326)"
        report["crs_assumed"] = True
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                kept = kept.to_crs("EPSG:4326")
        except Exception as exc:  # noqa: BLE001
            raise _reject("แปลงระบบพิกัดไม่ได้", f"cannot reproject from {report['source_crs']}: {exc}") from None
        _check_geometries(kept.to_numpy(), [i + 1 for i in keep])

    # Match, list what did not, repair and dissolve.
    unmatched = [{"feature": i + 1, "value": _plain(matching.values[i]), "reason": matching.reasons[i]}
                 for i in keep if matching.codes[i] is None]
    pairs = [(matching.codes[i], g) for i, g in zip(keep, kept.to_numpy(), strict=True) if matching.codes[i]]
    matched_codes = {c for c, _ in pairs}
    missing = areas.table[~areas.table.code.isin(matched_codes)]
    report.update({
        "matched_features": len(pairs),
        "matched": len(matched_codes),
        "unmatched": unmatched,
        "missing": [{"code": c, "name_th": th, "name_en": en}
                    for c, th, en in zip(missing.code, missing.name_th, missing.name_en, strict=True)],
    })
    if not pairs:
        if (other := _other_level(gdf, level, db)) is not None:
            raise _wrong_level(path, level, other, **{**report, "ok": False})
        raise InputRejected(
            f"ไม่มีรูปร่างใดตรงกับพื้นที่ระดับ{'อำเภอ' if level == 'district' else 'ตำบล'}ของจังหวัดพัทลุง / "
            f"no feature of {path.name} matches a {level} of Phatthalung ({report['schema']}, "
            f"{len(gdf)} features, {report['other_province']} of other provinces)",
            report={**report, "ok": False})

    made_valid = 0
    by_code: dict[str, list[shapely.Geometry]] = {}
    for code, g in pairs:
        if not g.is_valid:
            g = _polygonal(shapely.make_valid(g))
            made_valid += 1
            if g.is_empty:
                raise _reject("รูปร่างพื้นที่เสีย", f"the shape of {code} has no area once repaired")
        by_code.setdefault(code, []).append(g)
    shapes = gpd.GeoDataFrame(
        {"code": list(by_code)},
        geometry=[gs[0] if len(gs) == 1 else _polygonal(shapely.union_all(gs)) for gs in by_code.values()],
        crs="EPSG:4326",
    )
    x0, y0, x1, y1 = shapes.total_bounds
    bx0, by0, bx1, by1 = THAILAND_BOX
    if not (bx0 <= x0 and x1 <= bx1 and by0 <= y0 and y1 <= by1):
        raise _reject("พิกัดอยู่นอกประเทศไทย", f"the shapes lie outside Thailand once in EPSG:4326 (bounds {x0:.6g}, "
                      f"{y0:.6g}, {x1:.6g}, {y1:.6g}): is the file's CRS right?")
    report["made_valid"] = made_valid
    report["dissolved"] = {c: len(gs) for c, gs in by_code.items() if len(gs) > 1}
    if report["dissolved"] and level == "district":
        other = _other_level(gdf, level, db)
        if other is not None and other[2] > len(by_code):
            report["looks_like"] = other[0]
            report["note"] = (f"รูปร่างในไฟล์ดูเป็นตำบล ({other[1]:,} รูปตรงกับตำบล {other[2]:,} แห่ง) จึงรวมเป็นอำเภอ: "
                              f"ใช้ --level subdistrict เพื่อโหลดขอบเขตตำบล / these look like subdistricts "
                              f"({other[1]:,} features match {other[2]:,} subdistricts): they were dissolved into "
                              f"districts; use --level subdistrict to load the subdistricts")
    report["db"] = str(db_path(db))
    if dry_run:
        report["would_store"], report["stored"], report["province_shape"] = len(shapes), 0, None
        return report

    with writer(db) as con:
        report["stored"] = store_geometries(con, shapes, source=path.name)
        report["province_shape"] = _province_from_districts(con, path.name) if level == "district" else None
        set_meta(con, "geometry_source", "file")
    return report


def _province_from_districts(con, source: str) -> str | None:
    """Give the province the union of its districts unless it has a shape of its own (not schematic, not a union)."""
    rows = con.execute(
        "SELECT geometry IS NULL, geometry_source FROM areas WHERE code = ?", [PROVINCE]).fetchall()
    if not rows or not (rows[0][0] or rows[0][1] == SCHEMATIC or str(rows[0][1]).startswith("union of districts")):
        return None
    n_districts = con.execute(
        "SELECT count(*) FROM areas WHERE level = 'district' AND parent_code = ?", [PROVINCE]).fetchall()[0][0]
    districts = read_shapes(con, "district")
    districts = districts[(districts.parent_code == PROVINCE) & (districts.geometry_source != SCHEMATIC)]
    if len(districts) != n_districts or n_districts == 0:
        return None
    union = _polygonal(shapely.make_valid(shapely.union_all(districts.geometry.to_numpy())))
    store_geometries(con, gpd.GeoDataFrame({"code": [PROVINCE]}, geometry=[union], crs="EPSG:4326"),
                     source=f"union of districts ({source})")
    return "union of districts"


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def format_report(r: dict[str, Any]) -> str:
    """The report for people."""
    lines = [
        f"{r['file']} → {r['level']} shapes ({r['schema']}; columns {r['columns']}; CRS {r['source_crs']})",
        f"features read {r['features_read']}, other provinces {r['other_province']}, "
        f"matched {r['matched_features']} feature(s) to {r['matched']} area(s), unmatched {len(r['unmatched'])}, "
        f"areas without a shape {len(r['missing'])}",
    ]
    if r.get("layer") or r.get("member"):
        lines.append(f"read {r.get('member', '')} {('layer ' + r['layer']) if r.get('layer') else ''}".rstrip())
    if r.get("made_valid"):
        lines.append(f"repaired {r['made_valid']} invalid shape(s)")
    if r.get("dissolved"):
        lines.append("dissolved: " + ", ".join(f"{c} ({n} features)" for c, n in r["dissolved"].items()))
    for u in r["unmatched"]:
        lines.append(f"  unmatched feature {u['feature']}: {u['value']!r} ({u['reason']})")
    for m in r["missing"]:
        lines.append(f"  no shape: {m['code']} {m['name_th']} ({m['name_en']})")
    if r.get("note"):
        lines.append(r["note"])
    if r.get("province_shape"):
        lines.append(f"province shape set to the {r['province_shape']}")
    if r.get("dry_run"):
        lines.append(f"dry run: would store {r['would_store']} shape(s); nothing was written to {r['db']}")
    else:
        lines.append(f"stored {r['stored']} shape(s) in {r['db']}")
    return "\n".join(lines)
