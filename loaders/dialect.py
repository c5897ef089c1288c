"""The delimiter of a CSV text: the one whose column count is the same on every row (DESIGN §6).

Python's ``csv.Sniffer`` picks ``,`` on a ``;`` file containing ``1,234``; counting columns per row does not.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from loaders.decoding import FileRefused
from loaders.problems import file_problem

CANDIDATES = (",", ";", "\t", "|")
NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SAMPLE_ROWS = 2000

csv.field_size_limit(1_000_000)


def split_rows(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    """Parse CSV text into rows of strings (quotes with ``"``); at most ``limit`` rows."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as exc:
        raise FileRefused(file_problem(
            "file-format",
            f"อ่านไฟล์ CSV ไม่ได้ที่แถว {reader.line_num}: {exc}",
            f"cannot read the CSV at line {reader.line_num}: {exc}",
        )) from None
    return rows


def _widths(rows: list[list[str]]) -> list[int]:
    """Column counts of the non-blank rows, ignoring trailing empty cells (spreadsheets add them)."""
    out = []
    for row in rows:
        n = len(row)
        while n and not row[n - 1].strip():
            n -= 1
        if n:
            out.append(n)
    return out


def sniff_delimiter(text: str) -> str:
    """The delimiter whose column count is most consistent over the first rows, preferring more columns.

    A delimiter that gives one column only is chosen only when no candidate gives more.
    """
    best: tuple[float, int, int] | None = None
    choice = ","
    for rank, delim in enumerate(CANDIDATES):
        try:
            widths = _widths(split_rows(text, delim, SAMPLE_ROWS))
        except FileRefused:  # e.g. a long comma-separated line is one overlong field for ";": not this delimiter
            continue
        if not widths:
            continue
        mode, count = Counter(widths).most_common(1)[0]
        if mode < 2:
            continue
        score = (count / len(widths), mode, -rank)
        if best is None or score > best:
            best, choice = score, delim
    return choice
