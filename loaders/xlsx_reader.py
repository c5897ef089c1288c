"""Reading one sheet of an ``.xlsx`` in bounded time and memory (figures: docs/RELIABILITY.md §6).

The sheet's XML is first scanned as bytes (regular expressions over chunks that end at a ``</row>``) for what bounds
the work: the last row and column holding a cell, and the formulas.  A sheet above the row limit is refused then,
before a single cell is read; one whose table (rows × columns) would exceed :data:`MAX_CELLS` too (the reader keeps
a rectangle: one cell in A1 and one in ALL1000000 would be a billion).  Only then python-calamine (Rust) reads the
cells.

calamine gives a formula's cached result; the loader refuses formulas (a figure must be typed, not computed), so the
scan's formulas replace those cells with their text, ``=C2*2`` as openpyxl gives it (shared formulas translated with
openpyxl's :class:`~openpyxl.formula.translate.Translator`); the checker then reports them as not a number.

A sheet whose cells do not all carry a reference (``<c r="B2">``: Excel, LibreOffice, openpyxl, xlsxwriter and
Google Sheets always write it) is read by openpyxl instead, up to :data:`OPENPYXL_MAX_ROWS` rows.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

# rows × columns of the rectangle a table's cells span (a sheet's, or a CSV's): the row limit × five columns (a long
# table with a flag), which a check reads within 1 GB (docs/RELIABILITY.md §6)
MAX_CELLS = 5_100_000
OPENPYXL_MAX_ROWS = 100_000  # the slow reader's share: about 8 s
CHUNK = 4 << 20

_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
_FORMULA = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*>\s*<f\b([^>]*?)(?:/>|>(.*?)</f>)', re.DOTALL)
_SHARED = re.compile(rb'\bt="shared"')
_SI = re.compile(rb'\bsi="(\d+)"')
_ROW_TAG = re.compile(rb"<\w+:row\b")
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def column_index(letters: bytes | str) -> int:
    """0-based column of "A", "Z", "AA", … "XFD"."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass
class SheetScan:
    """What the bytes of a sheet say before any cell is read."""

    height: int = 0  # the last row holding a cell (1-based), 0 when none
    width: int = 0  # the last column holding a cell (1-based)
    cells: int = 0  # <c> elements
    referenced: int = 0  # <c r="…"> elements
    rows: int = 0  # <row> elements
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column), 0-based → "=…"

    @property
    def complete(self) -> bool:
        """Every cell carries its reference (so height and width bound what the reader will hold)."""
        return self.cells == self.referenced


def sheet_member(zf: zipfile.ZipFile, index: int) -> str | None:
    """The zip member of the workbook's ``index``-th sheet (workbook order), or None."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    sheets = book.findall("m:sheets/m:sheet", _NS)
    if index >= len(sheets):
        return None
    rid = sheets[index].get(f"{{{_NS['r']}}}id")
    for rel in rels.findall("rel:Relationship", _NS):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            return path if path in zf.namelist() else None
    return None


def scan_sheet(zf: zipfile.ZipFile, member: str, *, stop_rows: int, stop_columns: int) -> SheetScan:
    """Scan a sheet's XML in chunks; stops early once a cell lies beyond ``stop_rows`` or ``stop_columns``."""
    scan = SheetScan()
    shared: dict[bytes, tuple[str, str]] = {}
    tail = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(CHUNK)
            buf = tail + chunk
            if chunk:
                cut = buf.rfind(b"</row>")
                if cut < 0:
                    tail = buf
                    continue
                buf, tail = buf[:cut + 6], buf[cut + 6:]
            else:
                tail = b""
            _scan_chunk(buf, scan, shared)
            if scan.height > stop_rows or scan.width > stop_columns or not chunk:
                return scan


# the last row: refs with the most digits, compared as bytes (equal length: as numbers), all in C
_ROW_DIGITS = [re.compile(rb'<c r="[A-Z]{1,3}(\d{%d})"' % d) for d in range(7, 0, -1)]
_COL_LETTERS = [re.compile(rb'<c r="([A-Z]{%d})\d' % n) for n in (3, 2, 1)]
_PREFIXED = re.compile(rb"<\w+:c[ >/]")


def _last(patterns: list[re.Pattern], buf: bytes) -> bytes | None:
    for pattern in patterns:
        found = pattern.findall(buf)
        if found:
            return max(found)
    return None


def _scan_chunk(buf: bytes, scan: SheetScan, shared: dict[bytes, tuple[str, str]]) -> None:
    scan.cells += buf.count(b"<c ") + buf.count(b"<c>") + buf.count(b"<c/>")
    if b":c " in buf or b":c>" in buf or b":c/" in buf:  # namespace-prefixed cells (<x:c …>): not referenced here
        scan.cells += len(_PREFIXED.findall(buf))
    scan.rows += buf.count(b"<row") + (len(_ROW_TAG.findall(buf)) if b":row" in buf else 0)
    scan.referenced += buf.count(b'<c r="')
    row = _last(_ROW_DIGITS, buf)
    if row is not None:
        scan.height = max(scan.height, int(row))
    col = _last(_COL_LETTERS, buf)
    if col is not None:
        scan.width = max(scan.width, column_index(col) + 1)
    if b"<f" in buf:
        for col, row, attrs, text in _FORMULA.findall(buf):
            ref = f"{col.decode()}{row.decode()}"
            formula = "=" + html.unescape(text.decode("utf-8", "replace")) if text else "="
            if _SHARED.search(attrs):
                m = _SI.search(attrs)
                si = m.group(1) if m else b""
                if text:
                    shared[si] = (formula, ref)
                elif si in shared:
                    formula = _translate(*shared[si], ref)
            scan.formulas[(int(row) - 1, column_index(col))] = formula


def _translate(formula: str, origin: str, ref: str) -> str:
    from openpyxl.formula.translate import Translator

    try:
        return Translator(formula, origin=origin).translate_formula(ref)
    except Exception:  # noqa: BLE001 - a formula openpyxl cannot parse is still a formula
        return formula


def read_cells(data, sheet_index: int, scan: SheetScan) -> list[list]:
    """The rows of the ``sheet_index``-th sheet as lists (empty cells ``""``, trailing ones dropped), formulas as
    their text.

    ``data`` is the workbook (a file object); call after :func:`scan_sheet` has bounded the sheet.
    """
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(data)
    try:
        values = book.get_sheet_by_index(sheet_index).to_python(skip_empty_area=False)
    finally:
        book.close()
    rows: list[list] = values  # empty cells are "", as in a CSV; integral numbers are floats (cell_text: "1234")
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    for (r, c), formula in scan.formulas.items():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([""] * (c + 1 - len(row)))
        row[c] = formula
    while rows and not rows[-1]:
        rows.pop()
    return rows
