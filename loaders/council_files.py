"""Council files (CSV or ``.xlsx``) → a checked long frame of observations and the list of problems (DESIGN §6).

Long form ``area, year, measure, value``, wide form ``area, year, <measure>…`` or years as columns
``area, [measure,] 2545, 2546, …`` (form ``years``: each cell under a year header is one value; the measure comes
from the file's measure column, else the ``measure`` argument, else the sheet's name when it names a measure; year
headers with no measure named are one ``years-as-columns`` problem that says how to name it).  Thai or English
headers; optional ``district`` (settles ambiguous names), ``flag`` (E estimated, P provisional) and ``note`` columns.
In wide and years form ``flag`` and ``note`` apply to every value of their row.  Every row is checked before
anything is written; a row with any problem is not loaded (row numbers are spreadsheet rows: the header is row 1 when
it is the first row); in years form a problem's column is its cell's.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from indicators.registry import BE_OFFSET, Registry
from loaders import xlsx_reader
from loaders.area_names import INVISIBLE, LEVELS, AreaIndex, in_scope, level_word
from loaders.decoding import FileRefused, check_zip, decode, file_kind
from loaders.dialect import NAMES, sniff_delimiter, split_rows
from loaders.numbers import THAI_DIGITS, NotANumber, fmt_number, parse_number, parse_year
from loaders.problems import Problems, cell_text, file_problem, problem

MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000  # a wide file has a column per measure: far fewer
MAX_NOTE = 500  # characters of a note (longer notes are refused, never cut silently)
YEAR_MIN_BE, YEAR_MAX_BE = 2540, 2600
HEADER_SEARCH_ROWS = 20
OTHERS_LISTED = 5  # rows named in a duplicate-row problem
WRITTEN_VALUES = 200  # values kept as written (Checked.written), for the preview of an upload


def _norm(text: str) -> str:
    return re.sub(r"[\s._\-:]+", "", INVISIBLE.sub("", unicodedata.normalize("NFC", text))).casefold()


ROLES: dict[str, list[str]] = {
    "area_code": ["area_code", "code", "รหัส", "รหัสตำบล", "tambon_code", "subdistrict_code", "รหัสพื้นที่", "geocode",
                  "adm3_pcode"],
    "area": ["area", "พื้นที่", "ตำบล", "ชื่อตำบล", "tambon", "subdistrict", "area_name", "subdistrict_name",
             "ชื่อพื้นที่"],
    "district": ["district", "อำเภอ", "ชื่ออำเภอ", "รหัสอำเภอ", "amphoe", "amphur", "district_code", "district_name",
                 "adm2_pcode"],
    "province": ["province", "จังหวัด", "ชื่อจังหวัด", "รหัสจังหวัด", "changwat", "province_code", "province_name",
                 "adm1_pcode"],
    "level": ["level", "ระดับ", "ระดับพื้นที่", "area_level"],
    "year": ["year", "ปี", "ปีพ.ศ.", "พ.ศ.", "ปีพศ", "year_be", "year_ce", "ค.ศ.", "ปีค.ศ."],
    "measure": ["measure", "measure_id", "ตัวชี้วัด", "รหัสตัวชี้วัด", "รายการ", "ข้อมูล", "indicator"],
    "value": ["value", "ค่า", "ค่าข้อมูล", "จำนวน", "amount"],
    "flag": ["flag", "สถานะ", "สถานะข้อมูล", "เครื่องหมาย"],
    "note": ["note", "notes", "หมายเหตุ", "เชิงอรรถ", "comment"],
    "ignore": ["ลำดับ", "ลำดับที่", "no", "#", "ที่", "unit", "หน่วย", "หน่วยนับ",
               "measure_name", "ชื่อตัวชี้วัด"],
}
ALIASES = {_norm(a): role for role, names in ROLES.items() for a in names}
# headers that say the level of the areas in their column (DESIGN §2: "an area column headed อำเภอ …")
HEADER_LEVELS: dict[str, str] = {_norm(h): lv for lv, names in {
    "subdistrict": ["ตำบล", "ชื่อตำบล", "รหัสตำบล", "tambon", "subdistrict", "tambon_code", "subdistrict_code",
                    "subdistrict_name", "adm3_pcode"],
    "district": ROLES["district"], "province": ROLES["province"]}.items() for h in names}
FLAGS = {"e": "E", "p": "P", "ประมาณการ": "E", "ค่าประมาณ": "E", "เบื้องต้น": "P", "ชั่วคราว": "P"}
_SUFFIX = re.compile(r"\(([A-Za-z][A-Za-z0-9_]*)\)\s*$")


@dataclass
class Table:
    """The cells of one sheet or CSV: ``rows[i]`` is spreadsheet row ``i + 1``."""

    rows: list[list[Any]]
    kind: str  # "csv" | "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


@dataclass
class Checked:
    """A checked file: the loadable values, the problems, and what was detected."""

    frame: pd.DataFrame  # area_code, measure_id, year (CE), value, flag, note, row
    problems: Problems
    rows_read: int = 0
    rows_valid: int = 0
    header_row: int = 1
    header: list[str] = field(default_factory=list)
    form: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # header → what it was read as
    level: str | None = None  # the level set for the whole file (header, argument), None when rows say it
    levels: dict[str, int] = field(default_factory=dict)  # loadable rows by the level of their area
    measure: str | None = None  # years form: the one measure of every value (None: the file's measure column)
    measure_from: str | None = None  # years form: "column" | "argument" | "sheet"
    # the first WRITTEN_VALUES values of the frame as written in the file: row, measure_id, year, area_written,
    # value_written (for the upload's preview: name → code, text → number)
    written: pd.DataFrame | None = None


def _too_many(limit: int) -> FileRefused:
    return FileRefused(problem("too-many-rows", limit=limit))


def _check_width(rows: list[list[Any]]) -> None:
    """Refuse a row with a value beyond :data:`MAX_COLUMNS` (empty trailing cells do not count)."""
    for i, row in enumerate(rows):
        if len(row) > MAX_COLUMNS and any(not _blank(c) for c in row[MAX_COLUMNS:]):
            raise FileRefused(problem("too-many-columns", limit=MAX_COLUMNS, row_number=i + 1))


def read_table(data: bytes, file_name: str, *, sheet: str | None = None, delimiter: str | None = None,
               max_rows: int = MAX_ROWS) -> Table:
    """Read the cells of a CSV or the chosen sheet of an ``.xlsx``; raise :class:`FileRefused` if unreadable."""
    kind = file_kind(data, file_name)
    if kind == "xlsx":
        return _read_xlsx(data, sheet, max_rows)
    decoded = decode(data)
    text = decoded.text
    if text.count("\n") > max_rows + HEADER_SEARCH_ROWS + 1:
        raise _too_many(max_rows)
    delim = delimiter or sniff_delimiter(text)
    rows = split_rows(text, delim)
    if len(rows) > max_rows + HEADER_SEARCH_ROWS:
        raise _too_many(max_rows)
    _check_width(rows)
    width = max((len(r) for r in rows), default=0)
    if width * len(rows) > xlsx_reader.MAX_CELLS:  # the same bound as a sheet's: the check holds every cell
        raise FileRefused(problem("too-many-cells", width=width, height=len(rows), limit=xlsx_reader.MAX_CELLS))
    return Table(rows, "csv", decoded.encoding, delim)


def _cannot_open(exc: BaseException) -> FileRefused:
    return FileRefused(file_problem(
        "file-format", "เปิดไฟล์ Excel ไม่ได้: บันทึกใหม่เป็น .xlsx หรือ CSV",
        f"cannot open the Excel file ({type(exc).__name__}): save it again as .xlsx or CSV",
    ))


def _read_xlsx(data: bytes, sheet: str | None, max_rows: int) -> Table:
    """The cells of one sheet, in bounded time and memory (:mod:`loaders.xlsx_reader`): the sheet's bytes are
    scanned first, so a sheet above the row or cell limit is refused before a cell is read."""
    import python_calamine


    stop_rows = max_rows + HEADER_SEARCH_ROWS
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _cannot_open(exc) from None
    with zf:
        check_zip(zf)  # a zip bomb is refused by what it declares, before anything is inflated
        try:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = list(book.sheet_names)
            book.close()
        except Exception as exc:  # noqa: BLE001 - calamine raises several kinds on a damaged workbook
            raise _cannot_open(exc) from None
        if sheet is None:
            if not names:
                raise FileRefused(problem("empty-file"))
            index = 0
        elif sheet in names:
            index = names.index(sheet)
        else:
            listed = ", ".join(names)
            raise FileRefused(file_problem(
                "file-format", f"ไม่พบชีต '{sheet}' (มี: {listed})", f"no sheet named '{sheet}' (the file has: {listed})"))
        member = xlsx_reader.sheet_member(zf, index)
        try:
            scan = xlsx_reader.scan_sheet(zf, member, stop_rows=stop_rows, stop_columns=16_384) if member else None
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
            raise _cannot_open(exc) from None
    if scan is None or not scan.complete:
        if scan is not None and scan.rows > xlsx_reader.OPENPYXL_MAX_ROWS:
            raise FileRefused(file_problem(
                "file-format", "เซลล์ในชีตไม่มีตำแหน่งกำกับ: เปิดแล้วบันทึกใหม่ด้วย Excel หรือ LibreOffice หรือบันทึกเป็น CSV",
                "the sheet's cells carry no references (B2, …): open and save it again in Excel or LibreOffice, or "
                "save it as CSV"))
        return _read_xlsx_openpyxl(data, sheet, max_rows)
    if scan.height > stop_rows:
        raise _too_many(max_rows)
    if scan.width * scan.height > xlsx_reader.MAX_CELLS:
        raise FileRefused(problem("too-many-cells", width=scan.width, height=scan.height,
                                  limit=xlsx_reader.MAX_CELLS))
    try:
        rows = xlsx_reader.read_cells(io.BytesIO(data), index, scan)
    except Exception as exc:  # noqa: BLE001 - a damaged sheet
        raise FileRefused(file_problem(
            "file-format", "อ่านชีตใน Excel ไม่ได้: บันทึกใหม่เป็น .xlsx หรือ CSV",
            f"cannot read the sheet ({type(exc).__name__}): save it again as .xlsx or CSV",
        )) from None
    for i, row in enumerate(rows):
        if len(row) > MAX_COLUMNS:
            raise FileRefused(problem("too-many-columns", limit=MAX_COLUMNS, row_number=i + 1))
    if len(rows) > stop_rows:
        raise _too_many(max_rows)
    return Table(rows, "xlsx", sheet=names[index])


def _read_xlsx_openpyxl(data: bytes, sheet: str | None, max_rows: int) -> Table:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf)  # a zip bomb is refused by what it declares, before openpyxl inflates anything
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError, AttributeError) as exc:
        raise FileRefused(file_problem(
            "file-format", f"เปิดไฟล์ Excel ไม่ได้ ({type(exc).__name__}): บันทึกใหม่เป็น .xlsx หรือ CSV",
            f"cannot open the Excel file ({type(exc).__name__}: {exc}): save it again as .xlsx or CSV",
        )) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged workbook
        raise FileRefused(file_problem(
            "file-format", "เปิดไฟล์ Excel ไม่ได้: บันทึกใหม่เป็น .xlsx หรือ CSV",
            f"cannot open the Excel file ({type(exc).__name__}): save it again as .xlsx or CSV",
        )) from None
    try:
        names = wb.sheetnames
        if sheet is None:
            if not names:
                raise FileRefused(problem("empty-file"))
            ws = wb[names[0]]
        elif sheet in names:
            ws = wb[sheet]
        else:
            listed = ", ".join(names)
            raise FileRefused(file_problem(
                "file-format", f"ไม่พบชีต '{sheet}' (มี: {listed})", f"no sheet named '{sheet}' (the file has: {listed})"))
        rows: list[list[Any]] = []
        # Rows as the sheet holds them: a <dimension> claiming A1:XFD1048576 must not pad every row to 16,384 cells.
        ws.reset_dimensions()
        try:
            for values in ws.iter_rows(min_row=1, values_only=True):
                row = list(values)
                while row and row[-1] is None:
                    row.pop()
                if len(row) > MAX_COLUMNS:
                    raise FileRefused(problem("too-many-columns", limit=MAX_COLUMNS, row_number=len(rows) + 1))
                rows.append(row)
                if len(rows) > max_rows + HEADER_SEARCH_ROWS:
                    raise _too_many(max_rows)
        except FileRefused:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet
            raise FileRefused(file_problem(
                "file-format", "อ่านชีตใน Excel ไม่ได้: บันทึกใหม่เป็น .xlsx หรือ CSV",
                f"cannot read the sheet ({type(exc).__name__}): save it again as .xlsx or CSV",
            )) from None
        return Table(rows, "xlsx", sheet=ws.title)
    finally:
        wb.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Measures:
    """Measure ids, Thai and English names → ids."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.by_key: dict[str, str] = {}
        self._cache: dict[str, str | None] = {}
        for mid, m in registry.measures.items():
            for name in (mid, m.name.th, m.name.en):
                self.by_key.setdefault(_norm(name), mid)

    def find(self, text: str) -> str | None:
        try:
            return self._cache[text]
        except KeyError:
            pass
        hit = self._cache[text] = self._find(text) if text.strip() else None
        return hit

    def _find(self, text: str) -> str | None:
        key = _norm(text)
        hit = self.by_key.get(key)
        if hit is None:
            m = _SUFFIX.search(text)
            if m:
                hit = self.by_key.get(_norm(m.group(1)))
        return hit


def _header_role(text: str, measures: _Measures) -> tuple[str, str | None] | None:
    """(role, measure id) for a header cell; None when it is not recognised."""
    role = ALIASES.get(_norm(text))
    if role is None:
        m = _SUFFIX.search(text)
        if m:
            role = ALIASES.get(_norm(m.group(1)))
            if role is None and _norm(m.group(1)) in measures.by_key:
                return "measure_column", measures.by_key[_norm(m.group(1))]
        if role is None:
            stripped = _SUFFIX.sub("", text).strip()
            role = ALIASES.get(_norm(stripped)) if stripped else None
    if role is not None:
        return role, None
    mid = measures.find(text)
    return ("measure_column", mid) if mid else None


_YEAR_HEADER = re.compile(r"(?:ปี)?(?:พ\.?ศ\.?|ค\.?ศ\.?|be|ce|year)?(\d{4})(?:\.0)?", re.IGNORECASE)


def year_header(text: str) -> int | None:
    """The year a header cell names, in BE (``2545``, ``ปี 2545``, ``พ.ศ. 2545``, ``ปี พ.ศ. ๒๕๔๕``, ``2002`` → 2545);
    None when it is no year.  Any 4-digit year from 2400 BE (1857 CE) to 2700 BE counts (the range is checked
    apart, so ``2530`` is a year out of range, not an unknown measure)."""
    t = re.sub(r"\s+", "", INVISIBLE.sub("", unicodedata.normalize("NFC", text))).translate(THAI_DIGITS)
    m = _YEAR_HEADER.fullmatch(t)
    if m is None:
        return None
    y = int(m.group(1))
    be = y if y > 2400 else y + BE_OFFSET
    return be if 2400 <= be <= 2700 else None


def _years_text(headers: list[str]) -> str:
    """``2545, 2546, …, 2556`` for a problem's message (at most four headers named)."""
    return ", ".join(headers) if len(headers) <= 4 else f"{headers[0]}, {headers[1]}, …, {headers[-1]}"


def _find_header(rows: list[list[Any]], measures: _Measures) -> int:
    """Index of the header row: the first of the first rows naming an area and a year column, or an area and two
    year headers (years as columns); else the first non-blank row."""
    first_nonblank = None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [cell_text(c) for c in row if not _blank(c)]
        if not cells:
            continue
        if first_nonblank is None:
            first_nonblank = i
        roles = {r[0] for c in cells if (r := _header_role(c, measures))}
        if roles & {"area", "area_code", "district", "province"} and (
                "year" in roles or sum(year_header(c) is not None for c in cells) > 1):
            return i
    return first_nonblank if first_nonblank is not None else 0


class _Checker:
    def __init__(self, table: Table, registry: Registry, areas: AreaIndex, scope: set[str] | None,
                 limit: int, header_row: int | None = None, level: str | None = None,
                 measure: str | None = None) -> None:
        self.table = table
        self.measure = measure
        self.level = level
        self.file_level = level
        self.header_row = header_row
        self.registry = registry
        self.measures = _Measures(registry)
        self.areas = areas
        self.scope = scope
        self.problems = Problems(limit)
        self._year_cache: dict[Any, tuple[int | None, str | None]] = {}

    # --- cells ---------------------------------------------------------------------------------------------
    def year(self, raw: Any) -> tuple[int | None, str | None]:
        """(year CE, problem code) for a year cell."""
        key = raw if isinstance(raw, str | int) and not isinstance(raw, bool) else repr(raw)
        hit = self._year_cache.get(key)
        if hit is None:
            try:
                y = parse_year(raw)
            except NotANumber:
                hit = (None, "type-error")
            else:
                if y is None:
                    hit = (None, "type-error")
                else:
                    be = y if y > 2400 else y + BE_OFFSET
                    hit = (be - BE_OFFSET, None) if YEAR_MIN_BE <= be <= YEAR_MAX_BE else (None, "year-out-of-range")
            self._year_cache[key] = hit
        return hit

    def value(self, raw: Any, mid: str, loc: dict, code: str | None = None) -> float | None:
        """A checked value, or None for blank or bad (a problem is added for bad).

        The registry's range is a subdistrict's; for a district or province the upper bound of a summed measure
        scales with its number of subdistricts."""
        try:
            parsed = parse_number(raw)
        except NotANumber:
            self.problems.add(problem("type-error", value=raw, what_th="ตัวเลข", what_en="a number", **loc))
            return None
        if parsed is None:
            return None
        v = parsed.value
        m = self.registry.measures[mid]
        lo, hi = m.valid_range
        n = self.areas.n_subdistricts(code) if code is not None and code not in self.areas.subdistricts else 1
        scaled = m.aggregation == "sum" and n > 1
        if scaled:
            hi *= n
        if v < 0 and m.kind == "count":
            th, en = f"{m.name.th} เป็นจำนวนนับ ต้องไม่ติดลบ", f"{m.name.en} is a count and cannot be negative"
        elif parsed.percent and v > 100:
            th, en = "อัตราร้อยละต้องไม่เกิน 100", "a rate cannot be above 100%"
        elif not lo <= v <= hi:
            th = f"{m.name.th} ต้องอยู่ระหว่าง {fmt_number(lo)} ถึง {fmt_number(hi)} {m.unit.th}"
            en = f"{m.name.en} must lie between {fmt_number(lo)} and {fmt_number(hi)} {m.unit.en}"
            if scaled:
                th += f" (พื้นที่ {code} มี {n:,} ตำบล)"
                en += f" (area {code} holds {n:,} subdistricts)"
        else:
            return v
        self.problems.add(problem("out-of-range", value=raw, th=f"'{cell_text(raw)}': {th}",
                                  en=f"'{cell_text(raw)}': {en}", **loc))
        return None

    def flag(self, raw: Any, loc: dict) -> tuple[str | None, bool]:
        if _blank(raw):
            return None, True
        hit = FLAGS.get(_norm(str(raw)))
        if hit is None:
            self.problems.add(problem("type-error", value=raw, what_th="เครื่องหมาย E (ค่าประมาณ) หรือ P (เบื้องต้น)",
                                      what_en="a flag E (estimated) or P (provisional)", **loc))
            return None, False
        return hit, True

    # --- the file ------------------------------------------------------------------------------------------
    def run(self) -> Checked:
        rows = self.table.rows
        empty = Checked(pd.DataFrame(columns=["area_code", "measure_id", "year", "value", "flag", "note", "row"]),
                        self.problems)
        if not any(not _blank(c) for row in rows for c in row):
            self.problems.add(problem("empty-file"))
            return empty
        h = self.header_row - 1 if self.header_row else _find_header(rows, self.measures)
        if h >= len(rows):
            self.problems.add(problem("empty-file"))
            return empty
        header_row = h + 1
        header = [cell_text(c) or "" for c in rows[h]]
        while header and not header[-1].strip():
            header.pop()
        width = len(header)
        empty.header_row, empty.header = header_row, header
        data = rows[h + 1:]

        roles: dict[str, int] = {}
        measure_cols: dict[int, str] = {}
        year_cols: dict[int, int] = {}  # column → year (BE) of a year header
        columns: dict[str, str] = {}
        seen: dict[str, int] = {}
        for j, name in enumerate(header):
            loc = {"row": header_row, "column": name, "column_number": j + 1}
            if not name.strip():
                if any(j < len(r) and not _blank(r[j]) for r in data):
                    self.problems.add(problem("blank-header", **loc))
                continue
            be = year_header(name)
            if be is not None:
                if be in year_cols.values():
                    first = next(k for k, y in year_cols.items() if y == be) + 1
                    self.problems.add(problem("duplicate-header", value=name, first=first, **loc))
                    continue
                year_cols[j] = be
                columns[name] = f"year {be}"
                continue
            found = _header_role(name, self.measures)
            if found is None:
                self.problems.add(problem("unknown-measure", value=name, **loc))
                columns[name] = "unknown"
                continue
            role, mid = found
            key = mid if role == "measure_column" else role
            if key in seen and role != "ignore":
                self.problems.add(problem("duplicate-header", value=name, first=seen[key], **loc))
                continue
            seen[key] = j + 1
            if role == "measure_column":
                measure_cols[j] = mid
                columns[name] = mid
            else:
                roles[role] = j
                columns[name] = role
        file_level = self.level
        if "area" not in roles and "area_code" not in roles:
            # a file of district or province figures: its อำเภอ / จังหวัด column is the area column
            for role in ("district", "province"):
                if role in roles:
                    roles["area"] = roles.pop(role)
                    columns[header[roles["area"]]] = "area"
                    file_level = file_level or HEADER_LEVELS.get(_norm(header[roles["area"]]), role)
                    break
        else:
            for role in ("area_code", "area"):
                if role in roles and file_level is None:
                    file_level = HEADER_LEVELS.get(_norm(_SUFFIX.sub("", header[roles[role]]).strip()))
        self.file_level = file_level
        empty.columns, empty.level = columns, file_level
        if year_cols and ("year" in roles or "value" in roles):  # a year column too: the year headers are no measures
            for j in year_cols:
                self.problems.add(problem("unknown-measure", value=header[j], row=header_row, column=header[j],
                                          column_number=j + 1))
                columns[header[j]] = "unknown"
            year_cols = {}
        if year_cols:
            return self._years_form(data, header_row, header, width, roles, measure_cols, year_cols, empty)

        missing = []
        if "area" not in roles and "area_code" not in roles:
            missing.append(("พื้นที่ (ตำบล อำเภอ หรือจังหวัด)", "area (subdistrict, district or province)",
                            "ตำบล, อำเภอ, จังหวัด, area, area_code"))
        if "year" not in roles:
            missing.append(("ปี", "year", "ปี, ปี พ.ศ., year"))
        long_form = "measure" in roles or "value" in roles
        if long_form:
            for role, th, ex in (("measure", "ตัวชี้วัด", "ตัวชี้วัด, measure"), ("value", "ค่า", "ค่า, value")):
                if role not in roles:
                    missing.append((th, role, ex))
        elif not measure_cols:
            missing.append(("ตัวชี้วัด", "measure", "measure ids such as households, or ตัวชี้วัด + ค่า"))
        for what_th, what_en, examples in missing:
            self.problems.add(problem("missing-column", what_th=what_th, what_en=what_en, examples=examples))
        if missing:
            return empty
        form = "long" if long_form else "wide"
        empty.form = form
        return self._rows(data, header_row, header, width, roles, measure_cols, form, empty)

    def _years_form(self, data, header_row, header, width, roles, measure_cols, year_cols, out: Checked) -> Checked:
        """Years as columns: find the measure (column, argument, sheet name), then check every cell."""
        add = self.problems.add
        seen_years = [header[j] for j in year_cols]
        if "area" not in roles and "area_code" not in roles:
            add(problem("missing-column", what_th="พื้นที่ (ตำบล อำเภอ หรือจังหวัด)",
                        what_en="area (subdistrict, district or province)",
                        examples="ตำบล, อำเภอ, จังหวัด, area, area_code"))
            return out
        if measure_cols:
            named = ", ".join(header[j] for j in measure_cols)
            add(file_problem(
                "file-format",
                f"ตารางมีทั้งคอลัมน์ปี ({_years_text(seen_years)}) และคอลัมน์ตัวชี้วัด ({named}): "
                "ให้ใช้ปีหรือตัวชี้วัดเป็นคอลัมน์อย่างใดอย่างหนึ่ง",
                f"the table has both year columns ({_years_text(seen_years)}) and measure columns ({named}): put "
                "either years or measures in the columns, not both"))
            return out
        if "measure" in roles:
            out.measure_from = "column"
        elif self.measure is not None and self.measure.strip():
            mid = self.measures.find(self.measure)
            if mid is None:
                add(problem("unknown-measure", value=self.measure))
                return out
            out.measure, out.measure_from = mid, "argument"
        elif self.table.sheet and (mid := self.measures.find(self.table.sheet)):
            out.measure, out.measure_from = mid, "sheet"
        else:
            add(problem("years-as-columns", years=_years_text(seen_years), n=len(seen_years)))
            return out
        for j, be in list(year_cols.items()):
            if not YEAR_MIN_BE <= be <= YEAR_MAX_BE:
                add(problem("year-out-of-range", row=header_row, value=header[j], column=header[j],
                            column_number=j + 1))
                del year_cols[j]
        out.form = "years"
        return self._rows(data, header_row, header, width, roles, {}, "years", out,
                          year_cols={j: be - BE_OFFSET for j, be in year_cols.items()})

    def _rows(self, data, header_row, header, width, roles, measure_cols, form, out: Checked,
              year_cols: dict[int, int] | None = None) -> Checked:
        rec_row: list[int] = []
        rec_code: list[str | None] = []
        rec_measure: list[str] = []
        rec_year: list[int | None] = []
        rec_value: list[float] = []
        rec_flag: list[str | None] = []
        rec_note: list[str | None] = []
        rec_col: list[int] = []
        rec_raw: list[Any] = []
        rec_area: list[Any] = []  # the area cell as written (a reference: no copy)
        is_csv = self.table.kind == "csv"
        j_code, j_area = roles.get("area_code"), roles.get("area")
        j_dist, j_year = roles.get("district"), roles.get("year")
        col_year = year_cols or {}  # years form: column → year (CE)
        years_cells = [(j, out.measure) for j in col_year]  # years form, one measure: the same cells in every row
        j_measure, j_value = roles.get("measure"), roles.get("value")
        j_flag, j_note = roles.get("flag"), roles.get("note")
        j_level = roles.get("level")
        rec_level: list[str | None] = []
        rows_read = 0
        add = self.problems.add

        def col(j: int) -> dict:
            return {"column": header[j] if j < len(header) else None, "column_number": j + 1}

        data_rows: list[int] = []
        for i, row in enumerate(data):
            rn = header_row + 1 + i
            n = len(row)
            if not any((c.strip() if c.__class__ is str else c is not None) for c in row):
                continue
            rows_read += 1
            data_rows.append(rn)
            if n > width and any(not _blank(c) for c in row[width:]):
                extra = next(k for k in range(width, n) if not _blank(row[k]))
                add(problem("extra-cell", row=rn, column=None, column_number=extra + 1, value=row[extra],
                            cells=n, width=width))
            elif n < width:
                if is_csv:
                    add(problem("missing-cell", row=rn, column=header[n], column_number=n + 1, cells=n,
                                width=width))
                row = [*row, *([None] * (width - n))]
            cell = row.__getitem__

            # area
            raw_area = cell(j_code) if j_code is not None else None
            j_a = j_code
            if j_area is not None and _blank(raw_area):
                raw_area, j_a = cell(j_area), j_area
            code = None
            area_text = raw_area if raw_area.__class__ is str else cell_text(raw_area)
            if area_text is None or not area_text.strip():
                add(problem("unknown-area", row=rn, value=raw_area, why_th=" (ว่าง)", why_en=" (blank)", **col(j_a)))
            else:
                dist = cell_text(cell(j_dist)) if j_dist is not None else None
                row_level = self.file_level
                if j_level is not None and not _blank(cell(j_level)):
                    row_level = level_word(cell_text(cell(j_level)))
                    if row_level is None:
                        add(problem("type-error", row=rn, value=cell(j_level), what_th="ระดับพื้นที่ (ตำบล อำเภอ จังหวัด)",
                                    what_en="a level (subdistrict, district, province)", **col(j_level)))
                match = self.areas.resolve(area_text, dist.strip() if dist and dist.strip() else None, row_level)
                if match.code is None:
                    if match.problem in ("ambiguous-area", "ambiguous-level"):
                        add(problem(match.problem, row=rn, value=raw_area, **col(j_a),
                                    candidates=", ".join(self.areas.label(c) for c in match.candidates),
                                    candidates_en=", ".join(self.areas.label(c, "en") for c in match.candidates)))
                    else:
                        add(problem("unknown-area", row=rn, value=raw_area, why_th=match.why_th,
                                    why_en=match.why_en, **col(j_a)))
                elif not in_scope(match.code, self.scope):
                    add(problem("outside-scope", row=rn, value=raw_area, area_code=match.code, **col(j_a)))
                else:
                    code = match.code
            # year
            year = None
            if j_year is not None:
                raw_year = cell(j_year)
                year, yp = self.year(raw_year)
                if yp == "type-error":
                    add(problem("type-error", row=rn, value=raw_year, what_th="ปี (พ.ศ. หรือ ค.ศ.)",
                                what_en="a year (BE or CE)", **col(j_year)))
                elif yp:
                    add(problem(yp, row=rn, value=raw_year, **col(j_year)))
            flag, _ = self.flag(cell(j_flag), {"row": rn, **col(j_flag)}) if j_flag is not None else (None, True)
            note = cell_text(cell(j_note)) if j_note is not None else None
            if note is not None:
                note = note.strip() or None
                raw_note = cell(j_note)
                if isinstance(raw_note, str) and len(raw_note.strip()) > MAX_NOTE:
                    add(problem("type-error", row=rn, value=raw_note, what_th=f"หมายเหตุไม่เกิน {MAX_NOTE} ตัวอักษร",
                                what_en=f"a note of at most {MAX_NOTE} characters", **col(j_note)))
            if form == "long":
                raw_m = cell(j_measure)
                mtext = cell_text(raw_m)
                mid = self.measures.find(mtext) if mtext else None
                if mid is None:
                    add(problem("unknown-measure", row=rn, value=raw_m, **col(j_measure)))
                    # still check the value is a number at all
                    try:
                        parse_number(cell(j_value))
                    except NotANumber:
                        add(problem("type-error", row=rn, value=cell(j_value), what_th="ตัวเลข", what_en="a number",
                                    **col(j_value)))
                    continue
                cells = ((j_value, mid),)
            elif form == "years":
                if j_measure is None:
                    cells = years_cells
                else:  # a measure column: each row names the measure of its year cells
                    raw_m = cell(j_measure)
                    mtext = cell_text(raw_m)
                    mid = self.measures.find(mtext) if mtext else None
                    if mid is None:
                        add(problem("unknown-measure", row=rn, value=raw_m, **col(j_measure)))
                        continue
                    cells = [(j, mid) for j in col_year]
            else:
                cells = measure_cols.items()
            for j, mid in cells:
                raw = cell(j)
                v = self.value(raw, mid, {"row": rn, **col(j)}, code)
                if v is None:
                    continue
                rec_row.append(rn)
                rec_code.append(code)
                rec_measure.append(mid)
                rec_year.append(col_year[j] if col_year else year)
                rec_value.append(v)
                rec_flag.append(flag)
                rec_note.append(note)
                rec_col.append(j)
                rec_raw.append(raw)
                rec_area.append(raw_area)
                rec_level.append(self.areas.level.get(code) if code is not None else None)
        out.rows_read = rows_read
        self._cross_checks(rec_row, rec_code, rec_measure, rec_year, rec_value, rec_col, rec_raw, header)
        bad = self.problems.bad_rows
        keep = [k for k in range(len(rec_row)) if rec_row[k] not in bad and rec_code[k] is not None
                and rec_year[k] is not None]
        out.frame = pd.DataFrame({
            "area_code": pd.array([rec_code[k] for k in keep], dtype="string"),
            "measure_id": pd.array([rec_measure[k] for k in keep], dtype="string"),
            "year": pd.array([rec_year[k] for k in keep], dtype="int32"),
            "value": pd.array([rec_value[k] for k in keep], dtype="float64"),
            "flag": pd.array([rec_flag[k] for k in keep], dtype="string"),
            "note": pd.array([rec_note[k] for k in keep], dtype="string"),
            "row": pd.array([rec_row[k] for k in keep], dtype="int64"),
        })
        first = keep[:WRITTEN_VALUES]
        out.written = pd.DataFrame({
            "row": pd.array([rec_row[k] for k in first], dtype="int64"),
            "measure_id": pd.array([rec_measure[k] for k in first], dtype="string"),
            "year": pd.array([rec_year[k] for k in first], dtype="int64"),
            "area_written": pd.array([cell_text(rec_area[k]) for k in first], dtype="string"),
            "value_written": pd.array([cell_text(rec_raw[k]) for k in first], dtype="string"),
        })
        out.rows_valid = len(set(data_rows) - bad)
        by_level: dict[str, set[int]] = {}
        for k in keep:
            by_level.setdefault(rec_level[k] or "subdistrict", set()).add(rec_row[k])
        out.levels = {lv: len(by_level[lv]) for lv in LEVELS if lv in by_level}
        return out

    def _cross_checks(self, rows, codes, measures, years, values, cols, raws, header) -> None:
        """Duplicate (area, measure, year) rows and parts larger than their whole, within the file."""
        by_key: dict[tuple, list[int]] = defaultdict(list)
        for k, key in enumerate(zip(codes, measures, years, strict=True)):
            if key[0] is not None and key[2] is not None:
                by_key[key].append(k)

        def loc(k: int) -> dict:
            j = cols[k]
            return {"row": rows[k], "column": header[j] if j < len(header) else None, "column_number": j + 1}

        for ks in by_key.values():
            if len(ks) > 1:
                # at most OTHERS_LISTED other rows named: listing all of 3,000 copies in each of their 3,000
                # problems was quadratic (minutes for a 1,000,000-row file)
                head = [str(rows[o]) for o in ks[:OTHERS_LISTED + 1]]
                for k in ks:
                    if self.problems.full:
                        self.problems.tally("duplicate-row", rows[k])
                        continue
                    others = [r for r in head if r != str(rows[k])][:OTHERS_LISTED]
                    more = len(ks) - 1 - len(others)
                    text = ", ".join(others) + (f" … (+{more:,})" if more > 0 else "")
                    self.problems.add(problem("duplicate-row", value=raws[k], others=text, **loc(k)))
        part_of = {mid: m.part_of for mid, m in self.registry.measures.items() if m.part_of}
        for (code, mid, year), ks in by_key.items():
            whole_id = part_of.get(mid)
            if whole_id is None:
                continue
            whole_ks = by_key.get((code, whole_id, year))
            if not whole_ks:
                continue
            w = whole_ks[0]
            for k in ks:
                if values[k] > values[w]:
                    part, whole = self.registry.measures[mid], self.registry.measures[whole_id]
                    self.problems.add(problem(
                        "part-exceeds-whole", value=raws[k], part=fmt_number(values[k]), whole=fmt_number(values[w]),
                        part_th=part.name.th, part_en=part.name.en, whole_th=whole.name.th, whole_en=whole.name.en,
                        row_whole=rows[w], **loc(k)))


def check_table(table: Table, registry: Registry, areas: AreaIndex, *, scope: set[str] | None = None,
                limit: int | None = None, header_row: int | None = None, level: str | None = None,
                measure: str | None = None) -> Checked:
    """Check every row of ``table``; the frame holds the values of rows without any problem.

    ``header_row`` (spreadsheet row, 1-based) overrides the detected header row.  ``level`` (province, district,
    subdistrict) is the level of the file's bare area names; otherwise the area column's header or a ``level``
    column says it, and a name that fits two levels is ``ambiguous-level``.  ``measure`` (an id, or its Thai or
    English name) is the measure of a table with years as columns that has no measure column (it wins over the
    sheet's name); other forms ignore it.
    """
    from loaders.problems import MAX_LISTED

    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown level {level!r} (one of {', '.join(LEVELS)})")
    return _Checker(table, registry, areas, scope, limit or MAX_LISTED, header_row, level, measure).run()


def delimiter_name(delimiter: str | None) -> str | None:
    return NAMES.get(delimiter, delimiter) if delimiter else None
