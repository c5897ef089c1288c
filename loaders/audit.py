"""The write log: who changed what and when (accounts, lock-outs, targets, batches), and what a batch wrote.

Every function that changes an account or a target records its line with :func:`log` inside the same write
transaction; batches are their own record (``batches``).  :func:`write_log` reads them all, newest first.
"""

from __future__ import annotations

import pandas as pd

from indicators.registry import BE_OFFSET
from loaders.store import DB, reader, writer


def log(con, actor: str | None, action: str, subject: str | None = None, detail: str | None = None) -> None:
    """Add a line to ``write_log`` (call inside :func:`loaders.store.writer`)."""
    con.execute("INSERT INTO write_log (logged_at, actor, action, subject, detail) "
                "VALUES (current_timestamp, ?, ?, ?, ?)", [actor, action, subject, detail])


def record(actor: str | None, action: str, subject: str | None = None, detail: str | None = None,
           db: DB = None) -> None:
    """Add a line to ``write_log`` in a transaction of its own."""
    with writer(db) as con:
        log(con, actor, action, subject, detail)



def write_log(db: DB = None, limit: int = 1000) -> pd.DataFrame:
    """Every recorded write, newest first: when, who, action, subject, detail.

    Batches (uploads, undos, boundary and demo loads), account changes and lock-outs, target changes made through
    the app, and the targets in force with who set them.
    """
    with reader(db) as con:
        return con.execute(
            """SELECT * FROM (
                   SELECT uploaded_at AS "when", uploaded_by AS who,
                          CASE WHEN kind = 'undo' THEN 'undo' ELSE kind END AS action,
                          'batch ' || id AS subject,
                          concat_ws(', ', file_name, status,
                                    CASE WHEN rows_read IS NOT NULL
                                         THEN coalesce(rows_loaded, 0) || '/' || rows_read || ' rows' END,
                                    CASE WHEN values_changed IS NOT NULL THEN values_changed || ' values changed' END,
                                    CASE WHEN undone_at IS NOT NULL
                                         THEN 'undone by ' || coalesce(undone_by, '?') END,
                                    CASE WHEN via IS NOT NULL THEN 'via ' || via END) AS detail
                   FROM batches
                   UNION ALL
                   SELECT logged_at, actor, action, subject, detail FROM write_log
                   UNION ALL
                   SELECT set_at, set_by, 'target-in-force', indicator_id || ' ' || CASE WHEN area_code = ''
                          THEN '*' ELSE area_code END, target || ' by ' || (target_year + ?) || ' BE'
                   FROM targets)
               ORDER BY "when" DESC NULLS LAST LIMIT ?""", [BE_OFFSET, limit]).df()



def batch_changes(batch_id: int, db: DB = None) -> pd.DataFrame:
    """The values a batch wrote, with the value each replaced: area_code, measure_id, year_be, value, previous,
    flag, note (empty for a batch that wrote nothing or was undone since).  An agency batch's figures for whole
    years (month 0) are listed too (no flag or note)."""
    with reader(db) as con:
        return con.execute(
            """SELECT o.area_code, o.measure_id, o.year + ? AS year_be, o.value, h.value AS previous, o.flag, o.note
               FROM observations o
               LEFT JOIN (SELECT * FROM observation_history WHERE replaced_by = ?
                          QUALIFY row_number() OVER (PARTITION BY area_code, measure_id, year
                                                     ORDER BY replaced_at DESC) = 1) h
                 USING (area_code, measure_id, year)
               WHERE o.batch_id = ?
               UNION ALL
               SELECT o.area_code, o.measure_id, o.year + ?, o.value, h.value, NULL, NULL
               FROM official_observations o
               LEFT JOIN (SELECT * FROM official_history WHERE replaced_by = ?
                          QUALIFY row_number() OVER (PARTITION BY area_code, measure_id, source, year, month
                                                     ORDER BY replaced_at DESC) = 1) h
                 USING (area_code, measure_id, source, year, month)
               WHERE o.batch_id = ? AND o.month = 0
               ORDER BY 1, 2, 3""", [BE_OFFSET, batch_id, batch_id, BE_OFFSET, batch_id, batch_id]).df()
