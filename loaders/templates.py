"""Upload templates (CSV and Excel), derived from the registry: Thai headers with ids, one row per subdistrict.

The headers read back through :mod:`loaders.council_files` (``ชื่อ (id)``), so a filled template loads as it is.
"""

from __future__ import annotations

import csv
import io
import os

import pandas as pd

from indicators.registry import Registry, load_registry
from loaders.area_names import as_code
from loaders.errors import InputRejected
from loaders.store import db_path, reader

FIXED = [("รหัสตำบล", "area_code"), ("ตำบล", "area"), ("อำเภอ", "district"), ("ปี พ.ศ.", "year")]
TRAILING = [("สถานะ E=ค่าประมาณ P=เบื้องต้น", "flag"), ("หมายเหตุ", "note")]


def _areas(db: str | os.PathLike[str] | None) -> pd.DataFrame:
    if db_path(db).exists():
        with reader(db) as con:
            frame = con.execute("SELECT code, level, parent_code, name_th, name_en FROM areas").df()
        if len(frame):
            return frame
    from loaders.areas import official_areas

    return official_areas()


def template_frame(area: str, year_be: int, *, db: str | os.PathLike[str] | None = None,
                   registry: Registry | None = None) -> pd.DataFrame:
    """The template as a table: headers ``ชื่อไทย (id)``, one row per subdistrict of ``area``."""
    registry = registry or load_registry()
    code = as_code(str(area))
    if not 2540 <= int(year_be) <= 2600:
        raise InputRejected(f"ปี พ.ศ. ต้องอยู่ระหว่าง 2540–2600 / the year must be 2540–2600 BE (got {year_be})")
    areas = _areas(db)
    if code is None or code not in set(areas.code):
        raise InputRejected(f"ไม่รู้จักรหัสพื้นที่ / unknown area code: {area!r}")
    subs = areas[(areas.level == "subdistrict") & areas.code.str.startswith(code)].sort_values("code")
    names = dict(zip(areas.code, areas.name_th, strict=True))
    columns = [f"{th} ({key})" for th, key in FIXED]
    columns += [f"{m.name.th} ({mid})" for mid, m in registry.council_measures.items()]
    columns += [f"{th} ({key})" for th, key in TRAILING]
    rows = [[s.code, s.name_th, names.get(s.parent_code, ""), int(year_be)] + [None] * (len(columns) - 4)
            for s in subs.itertuples(index=False)]
    return pd.DataFrame(rows, columns=columns)


def make_template(area: str, year_be: int, fmt: str = "csv", *, db: str | os.PathLike[str] | None = None,
                  registry: Registry | None = None) -> bytes:
    """The template file as bytes: ``csv`` (UTF-8 with BOM so Excel shows Thai) or ``xlsx``."""
    registry = registry or load_registry()
    frame = template_frame(area, year_be, db=db, registry=registry)
    if fmt == "csv":
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(frame.columns)
        for row in frame.itertuples(index=False):
            writer.writerow(["" if v is None or v != v else v for v in row])
        return buf.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        return _xlsx(frame, registry)
    raise InputRejected(f"รูปแบบไม่รองรับ / unknown format {fmt!r}: csv or xlsx")


def _xlsx(frame: pd.DataFrame, registry: Registry) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "ข้อมูล"
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if v is None or v != v else v for v in row])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col in ws.iter_cols(min_row=2, max_col=1):  # codes as text so Excel keeps them as typed
        for cell in col:
            cell.number_format = "@"
    for i, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, min(30, len(name)))
    ws.freeze_panes = "E2"
    info = wb.create_sheet("ตัวชี้วัด (measures)")
    info.append(["id", "ชื่อ", "name", "หน่วย", "unit", "ค่าต่ำสุด (min)", "ค่าสูงสุด (max)", "ไม่เกิน (part of)",
                 "คำอธิบาย", "definition"])
    for cell in info[1]:
        cell.font = bold
    for mid, m in registry.council_measures.items():
        info.append([mid, m.name.th, m.name.en, m.unit.th, m.unit.en, m.valid_range[0], m.valid_range[1],
                     m.part_of or "", m.definition.th, m.definition.en])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
