"""Problem records: stable codes, both languages, capped list, values kept as text and neutralised for export."""

from __future__ import annotations

from loaders.problems import CODES, Problems, neutralise, problem


def test_every_design_code_has_messages():
    design = {"encoding-error", "blank-header", "duplicate-header", "extra-cell", "missing-cell", "type-error",
              "unknown-area", "ambiguous-area", "unknown-measure", "year-out-of-range", "out-of-range",
              "part-exceeds-whole", "duplicate-row", "outside-scope"}
    assert design <= CODES


def test_problem_fields():
    p = problem("type-error", row=3, column="ค่า", column_number=4, value="=1+1", what_th="ตัวเลข",
                what_en="a number")
    assert p.to_dict() == {"code": "type-error", "message_th": "'=1+1' ไม่ใช่ตัวเลข",
                           "message_en": "'=1+1' is not a number", "row": 3, "column": "ค่า", "column_number": 4,
                           "value": "=1+1"}


def test_cap_and_partial():
    ps = Problems(limit=2)
    for r in range(5):
        ps.add(problem("unknown-measure", row=r + 2, value="x"))
    assert (ps.total, len(ps.listed), ps.partial, ps.bad_rows) == (5, 2, True, {2, 3, 4, 5, 6})
    assert not ps.fatal
    ps.add(problem("empty-file"))
    assert ps.fatal


def test_neutralise_for_exports():
    assert [neutralise(v) for v in ("=1+1", "+5", "-2", "@x", "ok", None, "")] == [
        "'=1+1", "'+5", "'-2", "'@x", "ok", None, ""]
