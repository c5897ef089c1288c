"""Problems found in an uploaded file: stable codes, where (row, column), the raw value, Thai and English messages.

The shape follows frictionless (DESIGN §6) so that a report flattens to a table.  Rows are spreadsheet rows (the
header is row 1 when it is the first row); columns are named and numbered from 1.  Values are kept as the raw text
of the cell and are never evaluated (a cell that begins with ``= + - @`` stays text).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

MAX_LISTED = 1000

# code -> (Thai template, English template); templates use str.format with the keyword arguments of problem()
MESSAGES: dict[str, tuple[str, str]] = {
    # the file as a whole
    "file-too-large": ("ไฟล์ใหญ่เกินไป ({size}) เกินขีดจำกัด {limit}",
                       "the file is too large ({size}); the limit is {limit}"),
    "too-many-rows": ("ไฟล์มีมากกว่า {limit:,} แถว", "the file has more than {limit:,} rows"),
    "too-many-cells": ("ตารางในชีตกว้าง {width:,} คอลัมน์ × สูง {height:,} แถว เกินขีดจำกัด {limit:,} ช่อง",
                       "the sheet's table spans {width:,} columns × {height:,} rows, above the limit of {limit:,} "
                       "cells"),
    "too-many-columns": ("ไฟล์มีมากกว่า {limit:,} คอลัมน์ (แถวที่ {row_number})",
                         "the file has more than {limit:,} columns (row {row_number})"),
    "file-format": ("{th}", "{en}"),
    "encoding-error": ("{th}", "{en}"),
    "empty-file": ("ไฟล์ไม่มีข้อมูล", "the file holds no data"),
    "missing-column": ("ไม่พบคอลัมน์ {what_th} (หัวคอลัมน์ที่รับได้ เช่น {examples})",
                       "no {what_en} column (accepted headers include {examples})"),
    "no-values": ("ไม่มีค่าที่นำเข้าได้ในไฟล์", "no value in the file could be loaded"),
    # the check of an uploaded file in a worker process (loaders.workers): a limit stopped it
    "check-time-limit": ("ตรวจไฟล์นานเกิน {seconds} วินาทีซึ่งเป็นขีดจำกัด จึงหยุดตรวจ ไม่มีการนำเข้าข้อมูล: แบ่งเป็นไฟล์ที่เล็กลง "
                         "หรือแจ้งผู้ดูแลระบบ",
                         "checking the file took longer than the limit of {seconds} s, so it was stopped and nothing "
                         "was loaded: split it into smaller files, or tell the administrator"),
    "check-memory-limit": ("การตรวจไฟล์ต้องใช้หน่วยความจำเกินขีดจำกัด {limit} จึงหยุดตรวจ ไม่มีการนำเข้าข้อมูล: "
                           "แบ่งเป็นไฟล์ที่เล็กลง หรือแจ้งผู้ดูแลระบบ",
                           "checking the file needed more memory than the limit of {limit}, so it was stopped and "
                           "nothing was loaded: split it into smaller files, or tell the administrator"),
    "check-failed": ("การตรวจไฟล์หยุดลงโดยไม่คาดคิด (รหัส {status}) ไม่มีการนำเข้าข้อมูล: ลองอีกครั้ง หรือแจ้งผู้ดูแลระบบ",
                     "checking the file stopped unexpectedly (status {status}) and nothing was loaded: try again, "
                     "or tell the administrator"),
    "years-as-columns": ("หัวคอลัมน์ {years} ({n} คอลัมน์) เป็นปี (ตารางที่มีปีเป็นคอลัมน์) แต่ไม่ได้ระบุว่าเป็นตัวชี้วัดใด: "
                         "เพิ่มคอลัมน์ ตัวชี้วัด (measure) ที่มีรหัสหรือชื่อตัวชี้วัดในทุกแถว หรือตั้งชื่อชีตเป็นรหัสหรือชื่อตัวชี้วัด "
                         "หรือเลือกตัวชี้วัดตอนนำเข้า (บรรทัดคำสั่ง: --measure รหัสตัวชี้วัด)",
                         "the headers {years} ({n} columns) are years (a table with years as columns) but no measure "
                         "is named: add a measure column (ตัวชี้วัด, measure) giving the measure's id or name on every "
                         "row, name the sheet after the measure (its id or name), or choose the measure when loading "
                         "(command line: --measure ID)"),
    # headers
    "blank-header": ("คอลัมน์ที่ {column_number} ไม่มีหัวคอลัมน์ แต่มีข้อมูล",
                     "column {column_number} has data but no header"),
    "duplicate-header": ("หัวคอลัมน์ '{value}' ซ้ำกับคอลัมน์ที่ {first}",
                         "header '{value}' repeats column {first}"),
    # cells and rows
    "extra-cell": ("แถวนี้มีข้อมูลเกินจำนวนหัวคอลัมน์ ({cells} ช่อง หัวคอลัมน์มี {width} ช่อง)",
                   "this row has more cells ({cells}) than the header ({width})"),
    "missing-cell": ("แถวนี้มีข้อมูลน้อยกว่าจำนวนหัวคอลัมน์ ({cells} ช่อง หัวคอลัมน์มี {width} ช่อง)",
                     "this row has fewer cells ({cells}) than the header ({width})"),
    "type-error": ("'{value}' ไม่ใช่{what_th}", "'{value}' is not {what_en}"),
    "unknown-area": ("ไม่รู้จักพื้นที่ '{value}'{why_th}", "unknown area '{value}'{why_en}"),
    "ambiguous-area": ("ชื่อ '{value}' ตรงกับหลายพื้นที่ ({candidates}) ให้ระบุอำเภอหรือใช้รหัสพื้นที่",
                       "the name '{value}' matches several areas ({candidates_en}): add a district or use the code"),
    "ambiguous-level": ("ชื่อ '{value}' เป็นได้ทั้งอำเภอและตำบล ({candidates}) ให้เขียน อ. หรือ ต. หน้าชื่อ ใช้รหัสพื้นที่ "
                        "หรือระบุระดับพื้นที่ของไฟล์ (หัวคอลัมน์ ตำบล หรือ อำเภอ คอลัมน์ระดับ หรือเลือกระดับตอนนำเข้า)",
                        "the name '{value}' fits areas at two levels ({candidates_en}): write อ. (district) or ต. "
                        "(subdistrict) before it, use the code, or set the file's level (a column headed ตำบล or "
                        "อำเภอ, a level column, or the level chosen when loading)"),
    "unknown-measure": ("ไม่รู้จักตัวชี้วัด '{value}'", "unknown measure '{value}'"),
    "year-out-of-range": ("ปี '{value}' อยู่นอกช่วง พ.ศ. 2540–2600", "year '{value}' is outside 2540–2600 BE"),
    "out-of-range": ("{th}", "{en}"),
    "part-exceeds-whole": ("{part_th} ({part}) มากกว่า {whole_th} ({whole}) ของพื้นที่และปีเดียวกัน (แถว {row_whole})",
                           "{part_en} ({part}) is larger than {whole_en} ({whole}) for the same area and year "
                           "(row {row_whole})"),
    "duplicate-row": ("พื้นที่ ตัวชี้วัด และปีเดียวกันซ้ำกับแถว {others}",
                      "the same area, measure and year appear again in row(s) {others}"),
    "outside-scope": ("พื้นที่ '{value}' ({area_code}) อยู่นอกพื้นที่ที่คุณได้รับสิทธิ์",
                      "area '{value}' ({area_code}) is outside the areas you may upload for"),
}

FILE_CODES = {"file-too-large", "too-many-rows", "too-many-cells", "too-many-columns", "file-format",
              "encoding-error", "empty-file", "missing-column", "no-values", "years-as-columns",
              "check-time-limit", "check-memory-limit", "check-failed"}


@dataclass(frozen=True)
class Problem:
    """One problem; ``row`` and ``column`` are None for problems of the whole file."""

    code: str
    message_th: str
    message_en: str
    row: int | None = None
    column: str | None = None
    column_number: int | None = None
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def cell_text(value: Any) -> str | None:
    """The raw text of a cell as it is kept in reports: text, never evaluated; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text[:500] + "…" if len(text) > 500 else text


def problem(code: str, *, row: int | None = None, column: str | None = None, column_number: int | None = None,
            value: Any = None, **details: Any) -> Problem:
    """Build a problem with its messages from :data:`MESSAGES`."""
    th, en = MESSAGES[code]
    text = cell_text(value)
    fields = {"value": text if text is not None else "", "column_number": column_number, **details}
    return Problem(code=code, message_th=th.format(**fields), message_en=en.format(**fields), row=row,
                   column=column, column_number=column_number, value=text)


def file_problem(code: str, th: str, en: str) -> Problem:
    """A problem of the whole file with free messages (``file-format``, ``encoding-error``)."""
    return problem(code, th=th, en=en)


class Problems:
    """Collects problems; lists at most :data:`MAX_LISTED` but counts them all and remembers the rows involved."""

    def __init__(self, limit: int = MAX_LISTED) -> None:
        self.limit = limit
        self.listed: list[Problem] = []
        self.total = 0
        self.bad_rows: set[int] = set()
        self.fatal = False

    def add(self, p: Problem) -> None:
        self.total += 1
        if p.code in FILE_CODES:
            self.fatal = True
        if p.row is not None:
            self.bad_rows.add(p.row)
        if len(self.listed) < self.limit:
            self.listed.append(p)

    @property
    def full(self) -> bool:
        """True once :data:`MAX_LISTED` problems are listed: further ones need only be counted (:meth:`tally`)."""
        return len(self.listed) >= self.limit

    def tally(self, code: str, row: int | None) -> None:
        """Count a problem that will not be listed (when :attr:`full`), without building its messages."""
        self.total += 1
        if code in FILE_CODES:
            self.fatal = True
        if row is not None:
            self.bad_rows.add(row)

    @property
    def partial(self) -> bool:
        """True when more problems were found than are listed."""
        return self.total > len(self.listed)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def sorted(self) -> list[Problem]:
        return sorted(self.listed, key=lambda p: (p.row or 0, p.column_number or 0, p.code))


def neutralise(text: str | None) -> str | None:
    """A cell for a CSV or Excel export: text that begins with ``= + - @`` gets a leading apostrophe."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text
