"""Templates from the registry (Thai headers with ids, one row per subdistrict) load back as they are."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from indicators.registry import load_registry
from loaders.errors import InputRejected
from loaders.templates import make_template, template_frame
from loaders.uploads import load_file


def test_csv_template_for_a_district(areas_db):
    data = make_template("9303", 2568, "csv", db=areas_db)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM so that Excel shows Thai
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["รหัสตำบล (area_code)", "ตำบล (area)", "อำเภอ (district)", "ปี พ.ศ. (year)"]
    registry = load_registry()
    for mid, m in registry.council_measures.items():
        assert f"{m.name.th} ({mid})" in header
    assert [r[0] for r in body] == ["930301", "930302", "930305", "930306", "930307"]
    assert {r[2] for r in body} == {"เขาชัยสน"} and {r[3] for r in body} == {"2568"}


@pytest.mark.parametrize(("area", "n"), [("93", 65), ("TH9305", 12), ("930307", 1)])
def test_rows_per_subdistrict(areas_db, area, n):
    assert len(template_frame(area, 2568, db=areas_db)) == n


def test_filled_templates_load(areas_db):
    data = make_template("9303", 2568, "xlsx", db=areas_db)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    header = [c.value for c in ws[1]]
    col = {h.rsplit("(", 1)[1].rstrip(")"): i + 1 for i, h in enumerate(header)}
    ws.cell(row=2, column=col["households"], value=1200)
    ws.cell(row=2, column=col["poor_households"], value="๑๒๐")
    ws.cell(row=3, column=col["happiness_score"], value=7.25)
    ws.cell(row=3, column=col["flag"], value="P")
    assert wb.sheetnames[1] == "ตัวชี้วัด (measures)"
    out = io.BytesIO()
    wb.save(out)
    r = load_file(out.getvalue(), "filled.xlsx", db=areas_db)
    assert r.status == "loaded" and r.form == "wide"
    assert (r.rows_loaded, r.values_loaded) == (2, 3)

    text = make_template("930307", 2569, "csv", db=areas_db).decode("utf-8-sig")
    lines = text.splitlines()
    cells = next(csv.reader([lines[1]]))
    cells[4] = "1,500"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)  # quotes "1,500"
    lines[1] = buf.getvalue()
    r = load_file(("\n".join(lines) + "\n").encode("cp874"), "filled.csv", db=areas_db)
    assert r.status == "loaded" and r.values_loaded == 1


def test_refusals(areas_db):
    with pytest.raises(InputRejected):
        make_template("9399", 2568, db=areas_db)
    with pytest.raises(InputRejected):
        make_template("9303", 2025, db=areas_db)
    with pytest.raises(InputRejected):
        make_template("9303", 2568, "ods", db=areas_db)
