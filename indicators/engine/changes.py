"""What an upload changed in the progress toward the targets: the statuses it moved.

The store before a batch is the store without it: the rows it wrote set aside and the values it replaced or removed
put back from ``observation_history`` (an undo's history holds the values it took away, so this works for undos
too). Both states go through the same computation (:mod:`indicators.engine.values`,
:mod:`indicators.engine.progress`), so a change listed here is exactly the difference between the progress table
before and after.
"""

from __future__ import annotations

import os

import pandas as pd

from indicators.engine.progress import table_from
from indicators.engine.tables import progress_table
from indicators.engine.values import compute
from indicators.registry import Registry, load_registry
from loaders.errors import InputRejected
from loaders.store import reader

COLUMNS = ["area_code", "level", "indicator_id", "status_before", "status_after", "latest_before", "latest_after",
           "latest_year_before", "latest_year_after"]
_LEVEL_ORDER = {"province": 0, "district": 1, "subdistrict": 2}


def _before_sql(batch: int) -> str:
    b = int(batch)
    return f"""(
        SELECT o.area_code, o.measure_id, o.year, o.value FROM observations o
        WHERE o.batch_id IS DISTINCT FROM {b} AND NOT EXISTS (
            SELECT 1 FROM observation_history h WHERE h.replaced_by = {b} AND h.area_code = o.area_code
              AND h.measure_id = o.measure_id AND h.year = o.year)
        UNION ALL
        SELECT area_code, measure_id, year, value FROM observation_history
        WHERE replaced_by = {b} AND value IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY area_code, measure_id, year ORDER BY replaced_at DESC) = 1
    )"""


def progress_before(db: str | os.PathLike[str] | None, batch: int, registry: Registry | None = None) -> pd.DataFrame:
    """The progress table (:data:`indicators.engine.progress.COLUMNS`) of the store as it was before ``batch``,
    which must be the latest batch that changed the councils' figures (a later one may have replaced some of its
    values)."""
    registry = registry or load_registry()
    with reader(db) as con:
        d = compute(con, registry, _before_sql(batch))
    return table_from(d, registry)


def status_changes(db: str | os.PathLike[str] | None, batch: int, registry: Registry | None = None) -> pd.DataFrame:
    """Every (area, indicator) whose status differs before and after ``batch`` (columns :data:`COLUMNS`), province
    first, then districts and subdistricts, each by code and indicator. A series that appears or disappears has a
    blank status on the other side. ``batch`` must be :func:`latest_council_batch` (before an older one, later
    batches' values would be mixed in): anything else raises :class:`loaders.errors.InputRejected`."""
    latest = latest_council_batch(db)
    if latest is None or int(batch) != latest:
        raise InputRejected(
            f"ดูการเปลี่ยนสถานะได้เฉพาะชุดล่าสุดที่เปลี่ยนตัวเลขของสภาฯ (ชุดที่ {latest}) / status changes are known only for "
            f"the latest batch that changed the councils' figures (batch {latest}), not batch {batch}",
            {"batch_id": batch, "latest": latest})
    registry = registry or load_registry()
    keys = ["area_code", "indicator_id"]
    cols = [*keys, "level", "status", "latest", "latest_year"]

    def side(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame[cols].copy()
        for c in ("area_code", "indicator_id", "level", "status"):
            out[c] = out[c].astype(object).where(out[c].notna(), None)
        out["latest_year"] = out["latest_year"].astype("float64")
        return out

    before = side(progress_before(db, batch, registry))
    after = side(progress_table(db, registry=registry))
    both = before.merge(after, on=keys, how="outer", suffixes=("_before", "_after"))
    moved = both[both.status_before.fillna("") != both.status_after.fillna("")].copy()
    moved["level"] = moved.level_after.fillna(moved.level_before)
    moved["_o"] = moved.level.map(_LEVEL_ORDER)
    moved = moved.sort_values(["_o", "area_code", "indicator_id"]).reset_index(drop=True)
    out = moved[COLUMNS].copy()
    for c in ("latest_year_before", "latest_year_after"):
        out[c] = out[c].astype("Int64")
    return out


def latest_council_batch(db: str | os.PathLike[str] | None) -> int | None:
    """The last batch that wrote or took away councils' figures (batch ids grow with time), or None."""
    with reader(db) as con:
        row = con.execute("SELECT greatest((SELECT max(batch_id) FROM observations), "
                          "(SELECT max(replaced_by) FROM observation_history))").fetchall()[0][0]
    return None if row is None else int(row)
