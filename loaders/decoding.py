"""Bytes → text for uploaded CSV files, and what kind of file the bytes really are (DESIGN §6).

Order: a byte-order mark first, then strict UTF-8, then strict Windows-874 (TIS-620 is a subset).  Never latin-1 (it
never fails and garbles Thai silently).  UTF-16/32, binary files, compressed files, old ``.xls``, HTML and JSON are
refused with a message that says what to do.  C1 control characters (U+0080–U+009F) mean the wrong code page.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass

from loaders.problems import Problem, file_problem


class FileRefused(Exception):
    """The file cannot be read at all; ``problem`` says why in Thai and English."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message_en)
        self.problem = problem


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig" or "cp874"


def _refuse(code: str, th: str, en: str) -> FileRefused:
    return FileRefused(file_problem(code, th, en))


def _format_error(th: str, en: str) -> FileRefused:
    return _refuse("file-format", th, en)


_SAVE_AS = ("บันทึกเป็น CSV (UTF-8) หรือ Excel (.xlsx) แล้วอัปโหลดใหม่",
            "save it as CSV (UTF-8) or Excel (.xlsx) and upload again")


def file_kind(data: bytes, file_name: str) -> str:
    """``"xlsx"`` or ``"csv"``; raise :class:`FileRefused` for anything else (zip, gzip, .xls, PDF, …)."""
    name = (file_name or "").lower()
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if name.endswith((".xlsx", ".xlsm")):
            return "xlsx"
        raise _format_error(
            f"ไฟล์นี้เป็นไฟล์บีบอัด (zip หรือ Excel) แม้ชื่อไฟล์เป็น '{file_name}': {_SAVE_AS[0]}",
            f"this is a zip archive or Excel workbook although it is named '{file_name}': "
            "give an Excel workbook the .xlsx extension, or " + _SAVE_AS[1],
        )
    if head.startswith(b"\x1f\x8b"):
        raise _format_error("ไฟล์นี้ถูกบีบอัด (gzip): " + _SAVE_AS[0], "this file is compressed (gzip): " + _SAVE_AS[1])
    if head.startswith((b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!", b"\x28\xb5\x2f\xfd")):
        raise _format_error("ไฟล์นี้ถูกบีบอัด: " + _SAVE_AS[0], "this file is compressed: " + _SAVE_AS[1])
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _format_error(
            "ไฟล์นี้เป็น Excel รุ่นเก่า (.xls): บันทึกเป็น .xlsx หรือ CSV แล้วอัปโหลดใหม่",
            "this is an old Excel file (.xls): save it as .xlsx or CSV and upload again",
        )
    if head.startswith(b"%PDF"):
        raise _format_error("ไฟล์นี้เป็น PDF ไม่ใช่ตาราง: " + _SAVE_AS[0], "this is a PDF, not a table: " + _SAVE_AS[1])
    if name.endswith((".xlsx", ".xlsm")):
        raise _format_error(
            f"ชื่อไฟล์ '{file_name}' เป็น Excel แต่เนื้อไฟล์ไม่ใช่ Excel: " + _SAVE_AS[0],
            f"'{file_name}' is named as an Excel workbook but is not one: " + _SAVE_AS[1],
        )
    return "csv"


_C1 = re.compile("[\u0080-\u009f]")
_BAD_C0 = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _check_text(text: str, encoding: str) -> Decoded:
    if text.endswith("\x1a"):  # DOS end-of-file marker
        text = text[:-1]
    m = _C1.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise _refuse(
            "encoding-error",
            f"พบอักขระควบคุม U+{ord(m.group()):04X} ในบรรทัด {line}: ไฟล์อาจบันทึกด้วยรหัสอักขระผิด ให้บันทึกเป็น "
            "CSV UTF-8",
            f"control character U+{ord(m.group()):04X} on line {line}: the file was probably saved in the wrong code "
            "page; save it as CSV UTF-8",
        )
    m = _BAD_C0.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise _format_error(
            f"พบอักขระควบคุม U+{ord(m.group()):04X} ในบรรทัด {line}: ไฟล์นี้ไม่ใช่ไฟล์ข้อความ CSV",
            f"control character U+{ord(m.group()):04X} on line {line}: this is not a CSV text file",
        )
    start = text.lstrip()[:1]
    if start == "<":
        raise _format_error(
            "ไฟล์นี้เป็น HTML หรือ XML (เช่น หน้าเว็บที่บันทึกเป็น .xls): " + _SAVE_AS[0],
            "this file is HTML or XML (for example a web page saved as .xls): " + _SAVE_AS[1],
        )
    if start in ("{", "["):
        try:
            json.loads(text)
        except (ValueError, RecursionError):  # deeply nested brackets exhaust the recursion limit: not JSON
            pass
        else:
            raise _format_error("ไฟล์นี้เป็น JSON ไม่ใช่ CSV: " + _SAVE_AS[0], "this file is JSON, not CSV: " + _SAVE_AS[1])
    return Decoded(text, encoding)


def decode(data: bytes) -> Decoded:
    """Decode CSV bytes strictly (BOM, UTF-8, Windows-874) or raise :class:`FileRefused`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(
            "encoding-error",
            "ไฟล์นี้เข้ารหัสแบบ UTF-16 (Unicode Text): ให้บันทึกเป็น CSV UTF-8 แล้วอัปโหลดใหม่",
            "this file is UTF-16 (Excel's 'Unicode Text'): save it as CSV UTF-8 and upload again",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _check_text(data[3:].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _bad_utf8(data[3:], exc) from None
    if b"\x00" in data:
        if _looks_utf16(data[:4096]):
            raise _refuse(
                "encoding-error",
                "ไฟล์นี้น่าจะเข้ารหัสแบบ UTF-16: ให้บันทึกเป็น CSV UTF-8 แล้วอัปโหลดใหม่",
                "this file looks like UTF-16: save it as CSV UTF-8 and upload again",
            )
        raise _format_error("ไฟล์นี้เป็นไฟล์ไบนารี ไม่ใช่ CSV: " + _SAVE_AS[0],
                            "this is a binary file, not CSV: " + _SAVE_AS[1])
    try:
        return _check_text(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp874")
        except UnicodeDecodeError:
            raise _bad_utf8(data, utf8_error) from None
        if _damaged_utf8(data):
            at, line = utf8_error.start + 1, data.count(b"\n", 0, utf8_error.start) + 1
            raise _refuse(
                "encoding-error",
                f"ไฟล์ UTF-8 เสียที่ไบต์ {at} (บรรทัด {line}): ไฟล์ถูกตัดหรือปนรหัสอักขระอื่น ให้บันทึกใหม่เป็น CSV UTF-8",
                f"the file is UTF-8 but damaged at byte {at} (line {line}): cut short or mixed with another encoding; "
                "save it again as CSV UTF-8",
            ) from None
        return _check_text(text, "cp874")


_UTF8_THAI = re.compile(rb"\xe0[\xb8\xb9][\x80-\xbf]")
_ASCII = bytes(range(0x80))


def _damaged_utf8(data: bytes) -> bool:
    """Most bytes above 0x7F form UTF-8 Thai characters: UTF-8 cut short or mixed, not Windows-874.

    Windows-874 text decodes whatever its bytes, so falling back to it would load UTF-8 Thai as mojibake.  In real
    Windows-874 text the byte triples that UTF-8 uses for Thai (E0 B8/B9 xx) are rare (อเนก… is one).
    """
    high = len(data.translate(None, _ASCII))  # the bytes above 0x7F
    return high > 0 and 3 * len(_UTF8_THAI.findall(data)) >= high / 2


def _looks_utf16(sample: bytes) -> bool:
    """NUL bytes all on one side of each pair, and the pairs decode to text: UTF-16 without a byte-order mark."""
    sample = sample[: len(sample) // 2 * 2]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if (odd and even) or (odd + even) * 10 < len(sample) // 2:  # a stray NUL in text is not UTF-16
        return False
    try:
        text = sample.decode("utf-16-le" if odd else "utf-16-be")
    except UnicodeDecodeError:
        return False
    return not _BAD_C0.search(text.replace("\x00", "")) and not _C1.search(text)


def _bad_utf8(data: bytes, exc: UnicodeDecodeError) -> FileRefused:
    line = data.count(b"\n", 0, exc.start) + 1
    return _refuse(
        "encoding-error",
        f"อ่านไฟล์ไม่ได้: ไม่ใช่ UTF-8 หรือ Windows-874 (TIS-620) (ไบต์ที่ {exc.start + 1} บรรทัด {line}): "
        "ให้บันทึกเป็น CSV UTF-8",
        f"cannot read the file: it is neither UTF-8 nor Windows-874 (TIS-620) (byte {exc.start + 1}, line {line}); "
        "save it as CSV UTF-8",
    )


MAX_UNZIPPED = 512 * 1024**2  # what an .xlsx may unpack to
MAX_MEMBERS = 10_000


def check_zip(zf: zipfile.ZipFile, *, max_unzipped: int = MAX_UNZIPPED, max_members: int = MAX_MEMBERS) -> None:
    """Refuse a zip bomb from what the archive's directory declares, before any member is read.

    Python's :mod:`zipfile` never inflates a member beyond the size its directory declares (more is a CRC error), so
    bounding the declared sizes bounds the work and the memory.
    """
    infos = zf.infolist()
    if len(infos) > max_members:
        raise _format_error(f"ไฟล์บีบอัดนี้มีไฟล์ย่อยมากเกินไป ({len(infos):,} ไฟล์ เกิน {max_members:,})",
                            f"the archive holds too many members ({len(infos):,}; the limit is {max_members:,})")
    total = sum(i.file_size for i in infos)
    if total > max_unzipped:
        mb, limit = total / 1024**2, max_unzipped / 1024**2
        raise _format_error(
            f"ไฟล์บีบอัดนี้เมื่อขยายจะมีขนาด {mb:,.0f} MB เกินขีดจำกัด {limit:,.0f} MB (อาจเป็น zip bomb)",
            f"the archive unpacks to {mb:,.0f} MB, above the limit of {limit:,.0f} MB (a zip bomb?)")
