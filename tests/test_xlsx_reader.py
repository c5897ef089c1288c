"""The bounded .xlsx reader (issue 19, item 6): the sheet's bytes bound the work before a cell is read; what it
reads is what openpyxl read (formulas included, as their text)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import python_calamine

from loaders import council_files, xlsx_reader
from loaders.council_files import read_table
from loaders.decoding import FileRefused
from loaders.problems import cell_text


def _book(cells: dict[str, object]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for ref, value in cells.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def sheet_reads(monkeypatch) -> list[int]:
    """How many times calamine was asked for a sheet's cells (a spy: the real call still runs)."""
    calls: list[int] = []
    real = python_calamine.CalamineWorkbook.from_filelike

    class Spy:
        def __init__(self, book):
            self.book = book

        def __getattr__(self, name):
            return getattr(self.book, name)

        def get_sheet_by_index(self, index):
            calls.append(index)
            return self.book.get_sheet_by_index(index)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", lambda f, **k: Spy(real(f, **k)))
    return calls


def test_over_the_row_limit_is_refused_before_a_cell_is_read(sheet_reads):
    data = _book({f"A{i}": i for i in range(1, 61)})
    with pytest.raises(FileRefused) as exc:
        read_table(data, "f.xlsx", max_rows=10)
    assert exc.value.problem.code == "too-many-rows" and sheet_reads == []
    assert len(read_table(data, "f.xlsx", max_rows=60).rows) == 60 and sheet_reads == [0]


def test_a_sparse_sheet_spanning_too_many_cells_is_refused_unread(sheet_reads):
    data = _book({"A1": "area", "ALL9000": 1})  # two cells, but a rectangle of 1,000 × 9,000
    with pytest.raises(FileRefused) as exc:
        read_table(data, "f.xlsx")
    assert exc.value.problem.code == "too-many-cells" and sheet_reads == []
    assert "9,000" in exc.value.problem.message_en


def test_a_csv_is_held_to_the_same_cells_as_a_sheet(monkeypatch):
    """The check holds every cell in memory, whatever the file's kind: a CSV's rows × widest row are bounded too."""
    monkeypatch.setattr(xlsx_reader, "MAX_CELLS", 20)
    five = "area,year,measure,value\n" + "930101,2569,population,1\n" * 4  # 5 rows × 4 = 20 cells
    assert len(read_table(five.encode(), "f.csv").rows) == 5
    six = five + "930101,2568,population,1,note\n"  # 6 rows × 5 (the widest row) = 30
    with pytest.raises(FileRefused) as exc:
        read_table(six.encode(), "f.csv")
    assert exc.value.problem.code == "too-many-cells" and "5 columns × 6 rows" in exc.value.problem.message_en


def test_the_limits_allow_a_long_table_with_flags_at_the_row_limit():
    assert xlsx_reader.MAX_CELLS >= 5 * (council_files.MAX_ROWS + council_files.HEADER_SEARCH_ROWS)  # area … flag


def test_the_scan_stops_at_the_row_limit(monkeypatch):
    monkeypatch.setattr(xlsx_reader, "CHUNK", 4096)  # small chunks, so that stopping early shows
    rows = 5_000
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("s")
    for i in range(rows):
        ws.append([i, "x"])
    out = io.BytesIO()
    wb.save(out)
    import zipfile

    with zipfile.ZipFile(out) as zf:
        member = xlsx_reader.sheet_member(zf, 0)
        full = xlsx_reader.scan_sheet(zf, member, stop_rows=10**7, stop_columns=16_384)
        early = xlsx_reader.scan_sheet(zf, member, stop_rows=100, stop_columns=16_384)
    assert full.height == rows and full.width == 2 and full.complete
    assert 100 < early.height < rows and early.cells < full.cells, "stopped at the first chunk past the limit"


def test_cells_as_openpyxl_read_them():
    cells = {"B3": "ตำบล", "C3": "ปี", "D3": "households", "E3": "note", "F3": True,
             "B4": 930307, "C4": 2568, "D4": 12.5, "E4": "=D4*2", "F4": dt.date(2025, 1, 2),
             "B6": "ควนขนุน", "C6": "๒๕๖๘", "D6": "1,234", "E6": "=SUM(D4:D5)", "H7": "far"}
    data = _book(cells)
    fast = read_table(data, "f.xlsx").rows
    slow = council_files._read_xlsx_openpyxl(data, None, council_files.MAX_ROWS).rows

    def norm(rows):
        out = [[cell_text(v) if not isinstance(v, dt.date) else v.isoformat()[:10] for v in r] for r in rows]
        out = [[("" if v is None else v) for v in r] for r in out]
        for r in out:
            while r and r[-1] == "":
                r.pop()
        while out and not out[-1]:
            out.pop()
        return out

    assert norm(fast) == norm(slow)
    assert fast[3][4] == "=D4*2" and fast[5][4] == "=SUM(D4:D5)", "formulas stay text: the checker refuses them"


def test_shared_formulas_are_translated():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["area", "year", "households"])
    ws.append([930307, 2568, "=A2*0+1"])
    ws.append([930306, 2568, "=A3*0+1"])
    out = io.BytesIO()
    wb.save(out)
    xml = out.getvalue()
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xml)) as zin, io.BytesIO() as buf:
        with zipfile.ZipFile(buf, "w") as zout:
            for item in zin.infolist():
                body = zin.read(item.filename)
                if item.filename.endswith("sheet1.xml"):  # as Excel writes a filled-down formula
                    body = body.replace(b"<f>A2*0+1</f>", b'<f t="shared" ref="C2:C3" si="0">A2*0+1</f>')
                    body = body.replace(b"<f>A3*0+1</f>", b'<f t="shared" si="0"/>')
                zout.writestr(item, body)
        data = buf.getvalue()
    rows = read_table(data, "f.xlsx").rows
    assert rows[1][2] == "=A2*0+1" and rows[2][2] == "=A3*0+1"
