"""Bytes → text: BOM, strict UTF-8, strict Windows-874; refusals say what to do (DESIGN §6)."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from loaders.decoding import FileRefused, decode, file_kind

THAI = "ตำบล,ปี พ.ศ.,ค่า\nโคกม่วง,๒๕๖๘,1\n"


def test_utf8():
    d = decode(THAI.encode("utf-8"))
    assert (d.text, d.encoding) == (THAI, "utf-8")


def test_utf8_bom():
    d = decode(b"\xef\xbb\xbf" + THAI.encode("utf-8"))
    assert (d.text, d.encoding) == (THAI, "utf-8-sig")


def test_cp874_tis620():
    data = THAI.encode("cp874")
    assert data != THAI.encode("utf-8")
    d = decode(data)
    assert (d.text, d.encoding) == (THAI, "cp874")
    assert decode(THAI.encode("tis-620")).encoding == "cp874"


def _refused(data: bytes, name: str = "f.csv") -> FileRefused:
    with pytest.raises(FileRefused) as exc:
        file_kind(data, name)
        decode(data)
    return exc.value


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_refused(encoding):
    exc = _refused(THAI.encode(encoding))
    assert exc.problem.code == "encoding-error"
    assert "UTF-16" in exc.problem.message_en and "UTF-8" in exc.problem.message_th


def test_binary_refused():
    exc = _refused(bytes(range(256)) * 4)
    assert exc.problem.code == "file-format"
    assert "binary" in exc.problem.message_en


def test_invalid_in_both_encodings():
    exc = _refused("โคก".encode() + b"\x81\x82\xff\n")
    assert exc.problem.code == "encoding-error"
    assert "Windows-874" in exc.problem.message_en


def test_c1_control_characters_refused():
    exc = _refused("area,value\nx\u0085y,1\n".encode())
    assert exc.problem.code == "encoding-error"
    assert "U+0085" in exc.problem.message_en and "line 2" in exc.problem.message_en


def test_gzip_refused():
    exc = _refused(gzip.compress(THAI.encode()))
    assert exc.problem.code == "file-format" and "compressed" in exc.problem.message_en


def test_zip_or_xlsx_named_csv_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.csv", THAI)
    exc = _refused(buf.getvalue(), "data.csv")
    assert exc.problem.code == "file-format" and ".xlsx" in exc.problem.message_en
    assert file_kind(buf.getvalue(), "data.xlsx") == "xlsx"


def test_old_xls_and_pdf_refused():
    assert ".xls" in _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls").problem.message_en
    assert "PDF" in _refused(b"%PDF-1.7\n...", "a.csv").problem.message_en


def test_not_a_workbook_named_xlsx_refused():
    exc = _refused(THAI.encode(), "data.xlsx")
    assert exc.problem.code == "file-format"


@pytest.mark.parametrize("text", ["<html><table><tr><td>1</td></tr></table></html>",
                                  "  <?xml version='1.0'?><Workbook/>"])
def test_html_saved_as_xls_refused(text):
    exc = _refused(text.encode(), "report.xls")
    assert exc.problem.code == "file-format" and "HTML" in exc.problem.message_en


@pytest.mark.parametrize("text", ['{"area": "930307"}', '[{"a": 1}]'])
def test_json_refused(text):
    exc = _refused(text.encode(), "data.csv")
    assert "JSON" in exc.problem.message_en


def test_dos_eof_marker_dropped():
    assert decode(b"a,b\n1,2\n\x1a").text == "a,b\n1,2\n"
