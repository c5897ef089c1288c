"""The hostile corpus: files that try to crash, hang, exhaust or fool the loaders (issue 8).

Small text files are committed in ``tests/hostile/files/``; binary and unwieldy ones (zip bombs, a million columns,
a 10 MB line, UTF-16, …) are generated here at test time, so the repository holds no large binary.  :data:`CASES`
says, for every file, what it tries and what ``loaders csv`` (and :func:`loaders.uploads.load_file`) and ``loaders
boundaries`` must do with it: ``reject`` (exit 2 with a message, nothing written) or ``load`` (the documented
behaviour: the file is legitimate and lands whole).

    python tests/hostile/make_corpus.py DEST     # writes every file of the corpus into DEST
"""

from __future__ import annotations

import gzip
import io
import json
import random
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
SEED = 8


@dataclass(frozen=True)
class Case:
    name: str  # file name in the corpus
    what: str  # what it tries
    csv: str = "reject"  # through `loaders csv` / load_file: "reject" | "load"
    geo: str = "reject"  # through `loaders boundaries --level subdistrict`: "reject" | "load"
    code: str | None = None  # a problem code load_file must report (when rejected)


CASES: list[Case] = [
    # --- committed text files -----------------------------------------------------------------------------------
    Case("empty.csv", "zero bytes", code="empty-file"),
    Case("blank_lines.csv", "only blank lines and whitespace", code="empty-file"),
    Case("bom_only.csv", "a UTF-8 byte-order mark and nothing else", code="empty-file"),
    Case("header_only.csv", "a header without rows", code="no-values"),
    Case("duplicated_headers.csv", "the same measure column twice", code="duplicate-header"),
    Case("ragged_rows.csv", "rows longer and shorter than the header", code="extra-cell"),
    Case("only_delimiters.csv", "commas and semicolons only", code="missing-column"),
    Case("nan_inf.csv", "nan, inf, 1e309, -inf as values", code="type-error"),
    Case("negative_counts.csv", "negative counts", code="out-of-range"),
    Case("years_out_of_range.csv", "years 1900, 2700, 0, -2568, 25680", code="year-out-of-range"),
    Case("control_chars.csv", "control characters (SOH, ESC) in names", code="file-format"),
    Case("nul_in_name.csv", "a NUL byte in a name", code="file-format"),
    Case("formula_injection.csv", "=cmd|' /C calc'!A0 and @SUM in area and value cells", code="type-error"),
    Case("path_like_names.csv", "../../x, /etc/passwd as area names", code="unknown-area"),
    Case("sql_injection.csv", "'; DROP TABLE observations; -- as an area name", code="unknown-area"),
    Case("rtl_zero_width.csv", "zero-width and right-to-left characters in names: invisible, ignored; loads",
         csv="load"),
    Case("json_renamed.csv", "JSON named .csv", code="file-format"),
    Case("html_renamed.csv", "HTML named .csv", code="file-format"),
    Case("xml_xxe.csv", "XML with an external entity to /etc/passwd", code="file-format"),
    Case("pdf_renamed.csv", "a PDF named .csv", code="file-format"),
    Case("unclosed_quote.csv", "a quote that never closes", code="type-error"),
    Case("cr_only_tab.csv", "old Mac line ends (CR only), tabs: legitimate, loads", csv="load"),
    Case("geo_nan_coords.geojson", "NaN coordinates", code="file-format"),
    Case("geo_inf_coords.geojson", "a coordinate 1e309 (infinite)", code="file-format"),
    Case("geo_huge_coords.geojson", "coordinates of 1e300", code="file-format"),
    Case("geo_no_features.geojson", "a FeatureCollection without features", code="file-format"),
    Case("geo_unclosed_ring.geojson", "a ring whose last point is not its first", code="file-format"),
    Case("geo_self_intersection.geojson", "a bow-tie polygon: repaired (made valid) and loaded", geo="load",
         code="file-format"),
    Case("geo_wrong_crs_declared_utm.geojson", "lon/lat coordinates declared as UTM 47N", code="file-format"),
    Case("geo_metres_without_crs.geojson", "metres without a CRS", code="file-format"),
    Case("geo_truncated.geojson", "a GeoJSON cut two thirds through", code="missing-column"),
    Case("geo_points.geojson", "points, not polygons", code="file-format"),
    Case("geo_null_geometry.geojson", "a feature without geometry", code="file-format"),
    Case("geo_other_province.geojson", "a shape of another province only", code="file-format"),
    Case("geo_empty_polygon.geojson", "a polygon without rings", code="file-format"),
    Case("geo_sql_in_properties.geojson", "SQL in a code property", code="file-format"),
    # --- generated ----------------------------------------------------------------------------------------------
    Case("binary_noise.csv", "64 KB of random bytes", code="file-format"),
    Case("utf16_le_bom.csv", "UTF-16 with a byte-order mark", code="encoding-error"),
    Case("utf16_be_no_bom.csv", "UTF-16 big-endian without a byte-order mark", code="encoding-error"),
    Case("truncated_thai_utf8.csv", "UTF-8 Thai cut in the middle of a character", code="encoding-error"),
    Case("many_columns.csv", "1,000,000 columns", code="too-many-columns"),
    Case("one_line_10mb.csv", "one 10 MB line without a line end", code="too-many-columns"),
    Case("number_900k_digits.csv", "a value of 900,000 digits (infinite as a float)", code="type-error"),
    Case("note_900kb.csv", "a 900 KB note (notes are capped at 500 characters, never cut)", code="type-error"),
    Case("quote_bomb.csv", "an open quote followed by 5 MB", code="file-format"),
    Case("too_many_rows.csv", "1,000,100 rows", code="too-many-rows"),
    Case("deep_json.csv", "100,000 nested brackets", code="missing-column"),
    Case("gzip_renamed.csv", "a gzip file named .csv", code="file-format"),
    Case("zip_renamed.csv", "a zip archive named .csv", code="file-format"),
    Case("xls_renamed.xls", "an old binary Excel (OLE) file", code="file-format"),
    Case("xlsx_formulas.xlsx", "values as formulas with cached results: never evaluated", code="type-error"),
    Case("xlsx_external_link.xlsx", "a formula reading another workbook (external link part)", code="type-error"),
    Case("xlsx_macros.xlsx", "an .xlsx carrying vbaProject.bin: macros ignored, the values load", csv="load"),
    Case("zip_bomb.xlsx", "a sheet that inflates to 600 MB (1,000:1)", code="file-format"),
    Case("zip_bomb_declared.xlsx", "a member that claims 5 GB", code="file-format"),
    Case("zip_bomb_lying.xlsx", "a member that claims 1 KB and inflates to 50 MB", code="file-format"),
    Case("zip_many_members.xlsx", "20,000 members", code="file-format"),
    Case("xlsx_sparse_bomb.xlsx", "one cell at XFD1048576: a 17-billion-cell sheet", code="too-many-rows"),
    Case("xlsx_huge_int.xlsx", "a 400-digit integer cell", code="type-error"),
    Case("xlsx_entity_bomb.xlsx", "billion laughs in sharedStrings.xml", code="file-format"),
    Case("xlsx_xxe.xlsx", "an external entity to /etc/passwd in sharedStrings.xml", code="file-format"),
    Case("xlsx_truncated.xlsx", "an .xlsx cut in half", code="file-format"),
    Case("xlsx_not_zip.xlsx", "a text file named .xlsx", code="file-format"),
    Case("geo_deep_nesting.geojson", "100,000 nested arrays in a GeoJSON", code="missing-column"),
    Case("geo_binary_noise.geojson", "random bytes named .geojson", code="file-format"),
    Case("geo_garbage.gpkg", "random bytes named .gpkg", code="file-format"),
    Case("geo_zip_bomb.zip", "a zipped shapefile member that claims 3 GB", code="file-format"),
    Case("geo_zip_traversal.zip", "a zip whose members are named ../../evil.geojson and /tmp/evil.shp",
         code="file-format"),
    Case("geo_shapefile_truncated.zip", "a zipped shapefile with a truncated .shp", code="file-format"),
]


# ---------------------------------------------------------------------------------------------------------------


def _xlsx(rows: list[list], *, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """An .xlsx of ``rows`` written by openpyxl, with members added or replaced afterwards."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    if not extra and not replace:
        return buf.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = (replace or {}).get(info.filename, src.read(info.filename))
            dst.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


GOOD_ROWS = [["area_code", "year", "households", "poor_households"], ["930101", 2568, 120, 12],
             ["930103", 2568, 95, 9]]


def _sheet_xml(cells: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{cells}</sheetData></worksheet>").encode()


def _bomb_xlsx(megabytes: int) -> bytes:
    """A valid workbook whose sheet is 600 MB of spaces: about 600 KB compressed."""
    base = _xlsx(GOOD_ROWS)
    out = io.BytesIO()
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
            b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                                   compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info.filename))
                continue
            zi = zipfile.ZipInfo(info.filename)
            zi.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(zi, "w", force_zip64=True) as fh:
                fh.write(head)
                chunk = b" " * (1 << 20)
                for _ in range(megabytes):
                    fh.write(chunk)
                fh.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _patch_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a member declares (local header and central directory) to ``size``."""
    buf = bytearray(data)
    name = member.encode()
    for sig, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (i := buf.find(sig, start)) >= 0:
            n = int.from_bytes(buf[i + name_len_at:i + name_len_at + 2], "little")
            if bytes(buf[i + name_at:i + name_at + n]) == name:
                buf[i + size_at:i + size_at + 4] = size.to_bytes(4, "little")
            start = i + 4
    return bytes(buf)


def _lying_xlsx() -> bytes:
    """A sheet that inflates to 50 MB but whose headers claim 1 KB."""
    head = _sheet_xml("").split(b"<sheetData>")[0] + b"<sheetData>"
    sheet = head + b" " * (50 << 20) + b"</sheetData></worksheet>"
    return _patch_declared_size(_xlsx(GOOD_ROWS, replace={"xl/worksheets/sheet1.xml": sheet}),
                                "xl/worksheets/sheet1.xml", 1024)


def _declared_xlsx() -> bytes:
    """Two members that claim 4 GB and 1.25 GB (without zip64 one member can claim at most 4 GB)."""
    data = _xlsx(GOOD_ROWS, extra={"xl/media/big1.bin": b"x" * 100, "xl/media/big2.bin": b"y" * 100})
    data = _patch_declared_size(data, "xl/media/big1.bin", 0xFFFF_FFFE)
    return _patch_declared_size(data, "xl/media/big2.bin", 0x5000_0000)


def _many_members() -> bytes:
    extra = {f"xl/media/m{i:05d}.bin": b"" for i in range(20_000)}
    return _xlsx(GOOD_ROWS, extra=extra)


def _formulas() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["area_code", "year", "households", "poor_households"])
    ws.append(["930101", 2568, 120, "=C2/10"])
    ws.append(["930103", 2568, "=SUM(C2:C2)", '=WEBSERVICE("http://example.invalid/x")'])
    buf = io.BytesIO()
    wb.save(buf)
    # give the formula cells cached values, as Excel would
    with zipfile.ZipFile(buf) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    for formula, cached in (("C2/10", 12), ("SUM(C2:C2)", 120)):
        assert f"<f>{formula}</f><v />" in sheet
        sheet = sheet.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{cached}</v>")
    return _rezip(buf.getvalue(), {"xl/worksheets/sheet1.xml": sheet.encode()})


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def _external_link() -> bytes:
    data = _xlsx([["area_code", "year", "households"], ["930101", 2568, "=[1]Sheet1!A1"]])
    link = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink '
            b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook>'
            b"</externalLink>")
    rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
            b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
            b'Target="file:///C:/secret/other.xlsx" TargetMode="External"/></Relationships>')
    return _add(data, {"xl/externalLinks/externalLink1.xml": link,
                       "xl/externalLinks/_rels/externalLink1.xml.rels": rels})


def _add(data: bytes, extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        for name, content in extra.items():
            dst.writestr(name, content)
    return out.getvalue()


def _sheet_entity_case(doctype: str, entity: str) -> bytes:
    """A workbook whose sheet declares ``doctype`` and whose A2 cell holds ``&entity;``."""
    data = _xlsx([["area", "year", "households"], ["คูหาสวรรค์", 2568, 10]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "คูหาสวรรค์" in sheet and "<worksheet" in sheet
    sheet = sheet.replace("<worksheet", doctype + "<worksheet", 1).replace("คูหาสวรรค์", f"&{entity};")
    return _rezip(data, {"xl/worksheets/sheet1.xml": sheet.encode()})


def _entity_bomb() -> bytes:
    ents = '<!ENTITY lol "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    return _sheet_entity_case(f"<!DOCTYPE worksheet [{ents}]>", "lol9")


def _xxe() -> bytes:
    return _sheet_entity_case('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "xxe")


def _sparse_bomb() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in GOOD_ROWS:
        ws.append(row)
    ws.cell(row=1_048_576, column=16_384, value="x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _huge_int() -> bytes:
    data = _xlsx([["area_code", "year", "households"], ["930101", 2568, 7]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace('<v>7</v>', "<v>" + "9" * 400 + "</v>")
    assert "9" * 400 in sheet
    return _rezip(data, {"xl/worksheets/sheet1.xml": sheet.encode()})


def _shapefile_zip(truncate: bool) -> bytes:
    import tempfile

    import geopandas as gpd
    from shapely.geometry import box

    with tempfile.TemporaryDirectory() as tmp:
        gdf = gpd.GeoDataFrame({"code": ["930101"]}, geometry=[box(100.0, 7.5, 100.02, 7.52)], crs="EPSG:4326")
        gdf.to_file(Path(tmp) / "tambon.shp")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(Path(tmp).iterdir()):
                data = p.read_bytes()
                if truncate and p.suffix == ".shp":
                    data = data[: len(data) // 2]
                zf.writestr(p.name, data)
        return out.getvalue()


def _geo_zip_bomb() -> bytes:
    data = _shapefile_zip(False)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("padding1.dbf.bak", b"z" * 100)
        dst.writestr("padding2.dbf.bak", b"z" * 100)
    data = _patch_declared_size(out.getvalue(), "padding1.dbf.bak", 0xFFFF_FFFE)
    return _patch_declared_size(data, "padding2.dbf.bak", 0x7000_0000)


def _traversal_zip() -> bytes:
    sq = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "100101"},
          "geometry": {"type": "Polygon", "coordinates": [[[100, 7.5], [100.02, 7.5], [100.02, 7.52],
                                                           [100, 7.5]]]}}]}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("../../evil.geojson", json.dumps(sq))
        zf.writestr("/tmp/evil-hostile-corpus.shp", b"not a shapefile")
    return out.getvalue()


def _generated() -> dict[str, bytes | callable]:
    rng = random.Random(SEED)
    header = "area_code,year,households,note\n"
    return {
        "binary_noise.csv": lambda: bytes(rng.getrandbits(8) for _ in range(65536)),
        "utf16_le_bom.csv": lambda: "ตำบล,ปี,households\nคูหาสวรรค์,2568,10\n".encode("utf-16"),
        "utf16_be_no_bom.csv": lambda: "area,year,households\n930101,2568,10\n".encode("utf-16-be"),
        "truncated_thai_utf8.csv": lambda: "area_code,year,households,note\n930101,2568,10,หมายเหตุ".encode()[:-1],
        "many_columns.csv": lambda: ("area_code,year," + ",".join(f"c{i}" for i in range(1_000_000)) + "\n"
                                     "930101,2568," + "1," * 999_999 + "1\n").encode(),
        "one_line_10mb.csv": lambda: ("area_code,year,households," + "x," * (5 << 20)).encode()[: 10 << 20],
        "number_900k_digits.csv": lambda: (header + "930101,2568," + "9" * 900_000 + ",\n").encode(),
        "note_900kb.csv": lambda: (header + "930101,2568,10," + "ข" * 300_000 + "\n").encode(),
        "quote_bomb.csv": lambda: (header + '930101,2568,10,"' + "a" * (5 << 20) + "\n").encode(),
        "too_many_rows.csv": lambda: (header + "930101,2568,10,\n" * 1_000_100).encode(),
        "deep_json.csv": lambda: ("[" * 100_000 + "]" * 100_000).encode(),
        "gzip_renamed.csv": lambda: gzip.compress(b"area_code,year,households\n930101,2568,10\n", mtime=0),
        "zip_renamed.csv": lambda: _add_plain({"data.csv": b"area_code,year,households\n930101,2568,10\n"}),
        "xls_renamed.xls": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"area_code,year",
        "xlsx_formulas.xlsx": _formulas,
        "xlsx_external_link.xlsx": _external_link,
        "xlsx_macros.xlsx": lambda: _xlsx(GOOD_ROWS, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(1020)}),
        "zip_bomb.xlsx": lambda: _bomb_xlsx(600),
        "zip_bomb_declared.xlsx": _declared_xlsx,
        "zip_bomb_lying.xlsx": _lying_xlsx,
        "zip_many_members.xlsx": _many_members,
        "xlsx_sparse_bomb.xlsx": _sparse_bomb,
        "xlsx_huge_int.xlsx": _huge_int,
        "xlsx_entity_bomb.xlsx": _entity_bomb,
        "xlsx_xxe.xlsx": _xxe,
        "xlsx_truncated.xlsx": lambda: (lambda d: d[: len(d) // 2])(_xlsx(GOOD_ROWS)),
        "xlsx_not_zip.xlsx": lambda: b"area_code,year,households\n930101,2568,10\n",
        "geo_deep_nesting.geojson": lambda: ('{"type": "FeatureCollection", "features": ['
                                             + "[" * 100_000 + "]" * 100_000 + "]}").encode(),
        "geo_binary_noise.geojson": lambda: bytes(rng.getrandbits(8) for _ in range(16384)),
        "geo_garbage.gpkg": lambda: b"SQLite format 3\x00" + bytes(rng.getrandbits(8) for _ in range(8192)),
        "geo_zip_bomb.zip": _geo_zip_bomb,
        "geo_zip_traversal.zip": _traversal_zip,
        "geo_shapefile_truncated.zip": lambda: _shapefile_zip(True),
    }


def _add_plain(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def build(dest: str | Path) -> Path:
    """Write every file of :data:`CASES` into ``dest`` (committed ones copied, the others generated)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    generated = _generated()
    for case in CASES:
        target = dest / case.name
        if target.exists():
            continue
        if (FILES / case.name).exists():
            shutil.copyfile(FILES / case.name, target)
        else:
            target.write_bytes(generated[case.name]())
    return dest


if __name__ == "__main__":
    out = build(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    print(f"{len(CASES)} files in {out}")
