"""Batches: undo restores exactly (replaced values come back, added ones go), twice is refused; cell history."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.batches import batch_problems, cell_history, list_batches, undo_batch, undo_effect
from loaders.demo import YEARS as DEMO_YEARS
from loaders.errors import InputRejected
from loaders.store import reader
from loaders.uploads import load_file


def snapshot(db) -> set:
    with reader(db) as con:
        return set(con.execute("SELECT area_code, measure_id, year, value, batch_id, flag, note FROM observations")
                   .fetchall())


def cell(db, area, measure, year):
    with reader(db) as con:
        rows = con.execute("SELECT value, batch_id FROM observations WHERE area_code = ? AND measure_id = ? "
                           "AND year = ?", [area, measure, year]).fetchall()
    return rows[0] if rows else None


def test_undo_restores_exactly(demo_db):
    before = snapshot(demo_db)
    demo_value, demo_batch = cell(demo_db, "930307", "households", 2025)
    text = (f"area,year,households,note\n"
            f"930307,2568,{demo_value + 10:.0f},revised\n"   # replaces a demo value
            f"930307,2570,999,\n")                          # adds a new year
    r = load_file(text.encode(), "rev.csv", db=demo_db, user="council")
    assert r.values_changed == 2
    assert cell(demo_db, "930307", "households", 2025) == (demo_value + 10, r.batch_id)
    assert cell(demo_db, "930307", "households", 2027) == (999.0, r.batch_id)

    result = undo_batch(r.batch_id, user="admin", db=demo_db)
    assert (result["restored"], result["removed"]) == (1, 1)
    assert snapshot(demo_db) == before
    assert cell(demo_db, "930307", "households", 2025) == (demo_value, demo_batch)
    assert cell(demo_db, "930307", "households", 2027) is None

    with pytest.raises(InputRejected, match="already undone"):
        undo_batch(r.batch_id, db=demo_db)
    b = list_batches(demo_db).set_index("id")
    assert b.loc[r.batch_id, "status"] == "undone" and b.loc[r.batch_id, "undone_by"] == "admin"
    assert b.loc[result["undo_batch_id"], "kind"] == "undo" and b.loc[result["undo_batch_id"], "undo_of"] == r.batch_id


def test_history_keeps_every_value(demo_db):
    demo_value, demo_batch = cell(demo_db, "930307", "households", 2025)
    r = load_file(b"area,year,households\n930307,2568,1\n", "a.csv", db=demo_db)
    undo = undo_batch(r.batch_id, db=demo_db)
    h = cell_history("930307", "households", 2568, db=demo_db)
    replaced_by = [None if pd.isna(x) else int(x) for x in h.replaced_by]
    assert list(zip(h.value, h.batch_id, replaced_by, h.current, strict=True)) == [
        (demo_value, demo_batch, r.batch_id, False), (1.0, r.batch_id, undo["undo_batch_id"], False),
        (demo_value, demo_batch, None, True)]
    assert h.year_be.unique().tolist() == [2568]
    assert h.file_name.tolist()[1] == "a.csv"
    all_years = cell_history("930307", "households", db=demo_db)
    assert len(all_years) == len(h) + len(DEMO_YEARS) - 1  # the other demo years, one value each


def test_undo_blocked_by_a_later_batch_then_in_order(demo_db):
    before = snapshot(demo_db)
    a = load_file(b"area,year,households\n930307,2568,1\n930101,2568,2\n", "a.csv", db=demo_db)
    b = load_file(b"area,year,households\n930307,2568,3\n", "b.csv", db=demo_db)
    with pytest.raises(InputRejected, match=f"batch\\(es\\) {b.batch_id}") as exc:
        undo_batch(a.batch_id, db=demo_db)
    assert exc.value.report["blocking_batches"] == [b.batch_id]
    undo_batch(b.batch_id, db=demo_db)
    assert cell(demo_db, "930307", "households", 2025) == (1.0, a.batch_id)
    undo_batch(a.batch_id, db=demo_db)
    assert snapshot(demo_db) == before


def test_undo_after_a_later_batch_was_undone_keeps_history_right(demo_db):
    before = snapshot(demo_db)
    a = load_file(b"area,year,households\n930307,2568,1\n", "a.csv", db=demo_db)
    b = load_file(b"area,year,households\n930307,2568,3\n", "b.csv", db=demo_db)
    undo_batch(b.batch_id, db=demo_db)
    c = load_file(b"area,year,households\n930307,2568,5\n", "c.csv", db=demo_db)
    undo_batch(c.batch_id, db=demo_db)
    undo_batch(a.batch_id, db=demo_db)
    assert snapshot(demo_db) == before


def test_refusals(demo_db):
    with pytest.raises(InputRejected, match="no batch 999"):
        undo_batch(999, db=demo_db)
    bad = load_file(b"area,year,households\n930307,2568,x\n", "bad.csv", db=demo_db)
    with pytest.raises(InputRejected, match="loaded no value"):
        undo_batch(bad.batch_id, db=demo_db)
    ok = load_file(b"area,year,households\n930307,2568,1\n", "ok.csv", db=demo_db)
    undo = undo_batch(ok.batch_id, db=demo_db)
    with pytest.raises(InputRejected, match="is an undo"):
        undo_batch(undo["undo_batch_id"], db=demo_db)


def test_file_can_be_loaded_again_after_undo(demo_db):
    data = b"area,year,households\n930307,2568,1\n"
    first = load_file(data, "a.csv", db=demo_db)
    undo_batch(first.batch_id, db=demo_db)
    again = load_file(data, "a.csv", db=demo_db)
    assert again.status == "loaded" and cell(demo_db, "930307", "households", 2025) == (1.0, again.batch_id)


def test_problems_kept_per_batch(demo_db):
    bad = load_file(b"area,year,households\n930307,2568,x\nnowhere,2568,1\n", "bad.csv", db=demo_db)
    p = batch_problems(bad.batch_id, db=demo_db)
    assert p[["row", "column_number", "code"]].values.tolist() == [[2, 3, "type-error"], [3, 1, "unknown-area"]]
    assert p.message_th.str.len().min() > 0


def test_undo_effect_says_what_the_undo_will_do(demo_db):
    """Issue 18: the undo dialog's counts, read before undoing, are what the undo then does: one replaced value
    (the demo's 2568 households of 930307) comes back, one added value (2540, before the demo) goes."""
    data = b"area,year,measure,value\n930307,2568,households,1234\n930307,2540,households,99\n"
    batch = load_file(data, "e.csv", db=demo_db).batch_id
    assert undo_effect(batch, db=demo_db) == {"restored": 1, "removed": 1}
    out = undo_batch(batch, db=demo_db)
    assert (out["restored"], out["removed"]) == (1, 1)
    assert undo_effect(batch, db=demo_db) == {"restored": 0, "removed": 0}, "an undone batch holds nothing"
