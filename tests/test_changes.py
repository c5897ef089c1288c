"""What an upload changed (indicators.engine.changes): the store before a batch, and the statuses the batch moved."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.engine.changes import latest_council_batch, progress_before, status_changes
from indicators.engine.tables import progress_table
from loaders.batches import undo_batch
from loaders.observations import create_batch, finish_batch, write_observations
from loaders.store import writer


def _upload(db, rows: list[tuple[str, str, int, float]]) -> int:
    frame = pd.DataFrame(rows, columns=["area_code", "measure_id", "year", "value"])
    with writer(db) as con:
        batch = create_batch(con, kind="upload", status="loading", file_name="test.csv", uploaded_by="test")
        n = write_observations(con, frame, batch)
        finish_batch(con, batch, status="loaded", rows_loaded=len(frame), values_changed=n)
    return batch


def _moved(before: pd.DataFrame, after: pd.DataFrame) -> set[tuple[str, str, str | None, str | None]]:
    """The status changes, found by comparing two progress tables directly."""
    b = {(str(r.area_code), str(r.indicator_id)): str(r.status) for r in before.itertuples()}
    a = {(str(r.area_code), str(r.indicator_id)): str(r.status) for r in after.itertuples()}
    return {(*k, b.get(k), a.get(k)) for k in b.keys() | a.keys() if b.get(k) != a.get(k)}


def _listed(changes: pd.DataFrame) -> set[tuple[str, str, str | None, str | None]]:
    return {(r.area_code, r.indicator_id, r.status_before, r.status_after) for r in changes.itertuples()}


def test_the_store_before_a_batch_and_the_statuses_it_moved(demo_db):
    saved = progress_table(demo_db)
    # Ban Non (930101) reports a happiness score of 10 for 2026 (2569 BE), over its old figure, and a new subdistrict
    # figure for a year it had not reported
    batch = _upload(demo_db, [("930101", "happiness_score", 2026, 10.0), ("930101", "population", 2026, 9000.0)])
    after = progress_table(demo_db)
    before = progress_before(demo_db, batch)
    pd.testing.assert_frame_equal(before.reset_index(drop=True), saved.reset_index(drop=True))
    changes = status_changes(demo_db, batch)
    assert _listed(changes) == _moved(saved, after)
    row = changes[(changes.area_code == "930101") & (changes.indicator_id == "happiness")]
    assert row.status_after.tolist() == ["achieved"] and row.latest_after.tolist() == [10.0]
    assert row.latest_year_after.tolist() == [2026]
    assert list(changes.level) == sorted(changes.level, key=["province", "district", "subdistrict"].index)
    assert latest_council_batch(demo_db) == batch

    # undoing it moves every status back
    undo = undo_batch(batch, user="test", db=demo_db)["undo_batch_id"]
    back = status_changes(demo_db, undo)
    assert _listed(back) == {(a, i, new, old) for a, i, old, new in _listed(changes)}
    pd.testing.assert_frame_equal(progress_before(demo_db, undo).reset_index(drop=True),
                                  after.reset_index(drop=True))


def test_a_batch_that_changed_no_status_lists_nothing(demo_db):
    saved = progress_table(demo_db)
    old = saved[(saved.area_code == "930101") & (saved.indicator_id == "happiness")].iloc[0]
    # an old figure corrected by a hair, as a new batch: values change, no status moves
    from tests._store import query_df

    same = query_df("SELECT area_code, measure_id, year, value FROM observations WHERE area_code = '930101' "
                    "AND year = 2020 AND measure_id = 'forest_area_rai'", path=demo_db)
    assert len(same) == 1
    batch = _upload(demo_db, [(r.area_code, r.measure_id, int(r.year), float(r.value) + 0.001)
                              for r in same.itertuples()])
    assert latest_council_batch(demo_db) == batch
    assert status_changes(demo_db, batch).empty
    assert progress_table(demo_db).query("area_code == '930101' and indicator_id == 'happiness'").status.iloc[0] \
        == old.status



def test_only_the_latest_council_batch_has_status_changes(demo_db):
    """Before an older batch, later batches' values would be mixed in: refused. A ministry table is no council
    batch: the overview lists no status change for it."""
    from test_sources import GOOD_ROW, SPEC, _small_csv

    from indicators.present import queries
    from loaders.errors import InputRejected
    from loaders.sources import load_source

    first = _upload(demo_db, [("930101", "happiness_score", 2026, 10.0)])
    second = _upload(demo_db, [("930102", "happiness_score", 2026, 10.0)])
    assert latest_council_batch(demo_db) == second
    with pytest.raises(InputRejected):
        status_changes(demo_db, first)
    assert queries.last_upload(str(demo_db), "en")["moved"] is not None
    months = [GOOD_ROW.replace("2024-01-01", f"2024-{m:02d}-01") for m in range(1, 13)]
    assert load_source(SPEC, _small_csv(months), "mots.csv", db=demo_db).status == "loaded"
    assert latest_council_batch(demo_db) == second
    last = queries.last_upload(str(demo_db), "en")
    assert "mots.csv" in last["text"] and last["moved"] is None
