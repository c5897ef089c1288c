"""Batches: list them, read their problems, undo one exactly, and show every value a cell ever had (DESIGN §3).

Undo restores, for every cell the batch wrote, the value it replaced (from ``observation_history``) and removes the
values it added.  The undo is itself recorded as a batch (kind ``undo``) so that the values it takes away go to
history too: nothing is lost.  A batch whose values were since replaced by a later batch cannot be undone until the
later batch is undone (that keeps "exactly" exact); undoing twice is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from indicators.registry import BE_OFFSET
from loaders.errors import InputRejected
from loaders.observations import create_batch, finish_batch
from loaders.store import DB, reader, writer

BATCH_COLUMNS = ["id", "kind", "source", "status", "file_name", "sha256", "uploaded_by", "uploaded_at", "rows_read",
                 "rows_loaded", "values_changed", "problem_count", "encoding", "delimiter", "raw_path", "undone_at",
                 "undone_by", "undo_of", "via"]


def list_batches(db: DB = None) -> pd.DataFrame:
    """Every batch, newest first."""
    with reader(db) as con:
        return con.execute(f"SELECT {', '.join(BATCH_COLUMNS)} FROM batches ORDER BY id DESC").df()


def batch_problems(batch_id: int, db: DB = None) -> pd.DataFrame:
    """The problems kept for a batch, in row order."""
    with reader(db) as con:
        return con.execute(
            """SELECT row_number AS row, column_name AS column, column_number, value, code, message_th, message_en
               FROM batch_problems WHERE batch_id = ? ORDER BY row_number NULLS FIRST, column_number, code""",
            [batch_id],
        ).df()


_AREAS_OF_BATCHES = """SELECT batch_id, area_code FROM observations WHERE batch_id IN (SELECT unnest(?))
                        UNION SELECT batch_id, area_code FROM observation_history WHERE batch_id IN (SELECT unnest(?))
                        UNION SELECT batch_id, area_code FROM official_observations
                              WHERE batch_id IN (SELECT unnest(?))
                        UNION SELECT batch_id, area_code FROM official_history WHERE batch_id IN (SELECT unnest(?))"""


def _areas_of(con, ids: list[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {i: set() for i in ids}
    for batch, area in con.execute(_AREAS_OF_BATCHES, [ids] * 4).fetchall():
        out[int(batch)].add(area)
    return out


def batch_areas(batch_ids: Iterable[int], db: DB = None) -> dict[int, set[str]]:
    """The areas each batch wrote a value for (values held now or replaced since), by batch id."""
    ids = [int(i) for i in batch_ids]
    if not ids:
        return {}
    with reader(db) as con:
        return _areas_of(con, ids)


def undo_effect(batch_id: int, db: DB = None) -> dict[str, int]:
    """What undoing batch ``batch_id`` would do now, without doing it: how many values it holds that replaced an
    earlier value (``restored``) and how many it added (``removed``), as :func:`undo_batch` counts them."""
    with reader(db) as con:
        rows = con.execute(
            """WITH held AS (
                   SELECT o.area_code, o.measure_id, o.year, NULL AS source, NULL AS month,
                          EXISTS (SELECT 1 FROM observation_history h WHERE h.replaced_by = ?
                                    AND h.area_code = o.area_code AND h.measure_id = o.measure_id
                                    AND h.year = o.year) AS had_prev
                   FROM observations o WHERE o.batch_id = ?
                   UNION ALL
                   SELECT o.area_code, o.measure_id, o.year, o.source, o.month,
                          EXISTS (SELECT 1 FROM official_history h WHERE h.replaced_by = ?
                                    AND h.area_code = o.area_code AND h.measure_id = o.measure_id
                                    AND h.source = o.source AND h.year = o.year AND h.month = o.month)
                   FROM official_observations o WHERE o.batch_id = ?)
               SELECT count(*) FILTER (WHERE had_prev), count(*) FILTER (WHERE NOT had_prev) FROM held""",
            [batch_id] * 4).fetchall()
    return {"restored": int(rows[0][0]), "removed": int(rows[0][1])}


def undo_batch(batch_id: int, *, user: str | None = None, db: DB = None, via: str | None = None,
               allowed: Callable[[dict], None] | None = None) -> dict:
    """Revert batch ``batch_id`` exactly, in one transaction; raise InputRejected when it cannot be undone.

    ``allowed`` is called inside the transaction, before anything changes, with the batch's ``kind``,
    ``uploaded_by`` and ``areas`` (every area it wrote); it raises to refuse.  ``via``: how the undo was asked for
    (None for the app, ``"command line"``), recorded with the undo's batch.
    """
    with writer(db) as con:
        rows = con.execute("SELECT kind, status, undone_at, uploaded_by FROM batches WHERE id = ?",
                           [batch_id]).fetchall()
        if not rows:
            raise InputRejected(f"ไม่มีชุดข้อมูลที่ {batch_id} / no batch {batch_id}")
        kind, status, undone_at, uploaded_by = rows[0]
        if allowed is not None:
            allowed({"kind": kind, "uploaded_by": uploaded_by, "areas": _areas_of(con, [batch_id])[batch_id]})
        if status == "undone":
            raise InputRejected(
                f"ชุดข้อมูลที่ {batch_id} ถูกยกเลิกไปแล้วเมื่อ {undone_at} / batch {batch_id} was already undone "
                f"({undone_at}); nothing changed")
        if kind == "undo":
            raise InputRejected(
                f"ชุดที่ {batch_id} เป็นการยกเลิก ยกเลิกซ้ำไม่ได้ ให้นำเข้าไฟล์เดิมอีกครั้ง / batch {batch_id} is an undo "
                "and cannot itself be undone: load the file again instead")
        if status not in ("loaded", "partial"):
            raise InputRejected(
                f"ชุดข้อมูลที่ {batch_id} ไม่ได้นำเข้าค่าใด (สถานะ {status}) / batch {batch_id} loaded no value "
                f"(status {status}); nothing to undo")
        later = con.execute(
            """SELECT DISTINCT o.batch_id FROM observation_history h
               LEFT JOIN observations o USING (area_code, measure_id, year)
               WHERE h.batch_id = ? AND o.batch_id IS DISTINCT FROM ?
                 AND h.replaced_by IN (SELECT id FROM batches WHERE kind <> 'undo')
               ORDER BY 1""",
            [batch_id, batch_id],
        ).fetchall()
        later_ids = [r[0] for r in later if r[0] is not None]
        if kind == "source":  # an agency table: its values live in official_observations
            from loaders.sources import later_official_batches

            later_ids += later_official_batches(con, batch_id)
        if later_ids:
            ids = ", ".join(str(i) for i in later_ids)
            raise InputRejected(
                f"ค่าบางค่าของชุดที่ {batch_id} ถูกแทนที่แล้วโดยชุดที่ {ids}: ยกเลิกชุดเหล่านั้นก่อน / some values of batch "
                f"{batch_id} were since replaced by batch(es) {ids}: undo those first",
                {"batch_id": batch_id, "blocking_batches": later_ids})
        undo = create_batch(con, kind="undo", source="undo", status="loading", file_name=f"undo of batch {batch_id}",
                            uploaded_by=user, via=via)
        con.execute(
            """CREATE OR REPLACE TEMP TABLE undo_cells AS
               SELECT o.area_code, o.measure_id, o.year, o.value, o.flag, o.note, o.batch_id,
                      prev.value AS prev_value, prev.flag AS prev_flag, prev.note AS prev_note,
                      prev.batch_id AS prev_batch, prev.area_code IS NOT NULL AS had_prev
               FROM observations o
               LEFT JOIN (
                   SELECT * FROM observation_history WHERE replaced_by = ?
                   QUALIFY row_number() OVER (PARTITION BY area_code, measure_id, year ORDER BY replaced_at DESC) = 1
               ) prev USING (area_code, measure_id, year)
               WHERE o.batch_id = ?""",
            [batch_id, batch_id],
        )
        n_restored, n_removed = con.execute(
            "SELECT count(*) FILTER (WHERE had_prev), count(*) FILTER (WHERE NOT had_prev) FROM undo_cells"
        ).fetchall()[0]
        con.execute(
            """INSERT INTO observation_history (area_code, measure_id, year, value, flag, note, batch_id, replaced_by)
               SELECT area_code, measure_id, year, value, flag, note, batch_id, ? FROM undo_cells""",
            [undo],
        )
        con.execute(
            """DELETE FROM observations USING undo_cells u
               WHERE observations.area_code = u.area_code AND observations.measure_id = u.measure_id
                 AND observations.year = u.year AND NOT u.had_prev AND observations.batch_id = ?""",
            [batch_id],
        )
        con.execute(
            """UPDATE observations SET value = u.prev_value, flag = u.prev_flag, note = u.prev_note,
                   batch_id = u.prev_batch
               FROM undo_cells u
               WHERE observations.area_code = u.area_code AND observations.measure_id = u.measure_id
                 AND observations.year = u.year AND u.had_prev AND observations.batch_id = ?""",
            [batch_id],
        )
        con.execute("DROP TABLE undo_cells")
        if kind == "source":
            from loaders.sources import undo_official

            r2, m2 = undo_official(con, batch_id, undo)
            n_restored, n_removed = n_restored + r2, n_removed + m2
        con.execute("UPDATE batches SET status = 'undone', undone_at = current_timestamp, undone_by = ? WHERE id = ?",
                    [user, batch_id])
        finish_batch(con, undo, status="loaded", rows_loaded=0, values_changed=int(n_restored + n_removed))
        con.execute("UPDATE batches SET undo_of = ? WHERE id = ?", [batch_id, undo])
    return {"batch_id": batch_id, "undo_batch_id": undo, "restored": int(n_restored), "removed": int(n_removed),
            "undone_by": user}


def cell_history(area_code: str, measure_id: str, year_be: int | None = None, db: DB = None) -> pd.DataFrame:
    """Every value a cell (or every year of an area and measure) ever had, oldest first, with its batch.

    Columns: year_be, value, flag, note, batch_id, file_name, uploaded_by, uploaded_at, replaced_by, replaced_at,
    current (True for the value held now).
    """
    year_filter = "" if year_be is None else "AND year = ?"
    params: list = [area_code, measure_id] + ([] if year_be is None else [year_be - BE_OFFSET])
    with reader(db) as con:
        frame = con.execute(
            f"""WITH cells AS (
                    SELECT year, value, flag, note, batch_id, replaced_by, replaced_at, false AS current
                    FROM observation_history WHERE area_code = ? AND measure_id = ? {year_filter}
                    UNION ALL
                    SELECT year, value, flag, note, batch_id, NULL, NULL, true
                    FROM observations WHERE area_code = ? AND measure_id = ? {year_filter})
                SELECT c.year + {BE_OFFSET} AS year_be, c.value, c.flag, c.note, c.batch_id, b.file_name,
                       b.uploaded_by, b.uploaded_at, c.replaced_by, c.replaced_at, c.current
                FROM cells c LEFT JOIN batches b ON b.id = c.batch_id
                ORDER BY year_be, c.current, c.replaced_at, c.batch_id""",
            params + params,
        ).df()
    return frame
