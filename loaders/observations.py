"""Writing observations and batches: the single path by which figures enter the store.

Call these inside :func:`loaders.store.writer` so that a batch lands whole or not at all.  A value that is
replaced goes to ``observation_history`` (an agency's: ``official_history``) with the batch that replaced it;
nothing is lost.
"""

from __future__ import annotations

import duckdb
import pandas as pd

OBS_COLUMNS = ["area_code", "measure_id", "year", "value", "flag", "note"]


def create_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    status: str,
    source: str = "council",
    file_name: str | None = None,
    sha256: str | None = None,
    uploaded_by: str | None = None,
    rows_read: int | None = None,
    raw_path: str | None = None,
    encoding: str | None = None,
    via: str | None = None,
) -> int:
    """Insert a batch row and return its id (``via``: None for the app, ``"command line"``)."""
    rows = con.execute(
        """INSERT INTO batches (kind, source, file_name, sha256, uploaded_by, status, rows_read, raw_path, encoding,
                                via)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        [kind, source, file_name, sha256, uploaded_by, status, rows_read, raw_path, encoding, via],
    ).fetchall()
    return int(rows[0][0])


def finish_batch(
    con: duckdb.DuckDBPyConnection, batch_id: int, *, status: str, rows_loaded: int, values_changed: int
) -> None:
    """Record a batch's outcome."""
    con.execute(
        "UPDATE batches SET status = ?, rows_loaded = ?, values_changed = ? WHERE id = ?",
        [status, rows_loaded, values_changed, batch_id],
    )


def write_observations(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, batch_id: int) -> int:
    """Upsert observations (columns :data:`OBS_COLUMNS`; flag and note optional) as batch ``batch_id``.

    Values identical to what is stored (value, flag and note) are left alone.  Replaced values are copied to
    ``observation_history``.  Returns how many cells were added or changed.
    """
    incoming = frame.copy()
    for col in ("flag", "note"):
        if col not in incoming:
            incoming[col] = None
    incoming = incoming[OBS_COLUMNS].astype(
        {"area_code": "string", "measure_id": "string", "year": "int32", "value": "float64"}
    )
    incoming["flag"] = incoming["flag"].astype("string")
    incoming["note"] = incoming["note"].astype("string")
    con.register("incoming_obs", incoming)
    try:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE changed_obs AS
               SELECT i.* FROM incoming_obs i
               LEFT JOIN observations o USING (area_code, measure_id, year)
               WHERE o.value IS NULL OR o.value IS DISTINCT FROM i.value OR o.flag IS DISTINCT FROM i.flag
                  OR o.note IS DISTINCT FROM i.note"""
        )
        con.execute(
            """INSERT INTO observation_history
                   (area_code, measure_id, year, value, flag, note, batch_id, replaced_by)
               SELECT o.area_code, o.measure_id, o.year, o.value, o.flag, o.note, o.batch_id, ?
               FROM observations o JOIN changed_obs c USING (area_code, measure_id, year)""",
            [batch_id],
        )
        con.execute(
            """INSERT INTO observations (area_code, measure_id, year, value, batch_id, flag, note)
               SELECT area_code, measure_id, year, value, ?, flag, note FROM changed_obs
               ON CONFLICT (area_code, measure_id, year) DO UPDATE SET
                   value = excluded.value, batch_id = excluded.batch_id,
                   flag = excluded.flag, note = excluded.note""",
            [batch_id],
        )
        changed = con.execute("SELECT count(*) FROM changed_obs").fetchall()[0][0]
        con.execute("DROP TABLE changed_obs")
    finally:
        con.unregister("incoming_obs")
    return int(changed)


def write_official(con, frame: pd.DataFrame, source: str, batch_id: int) -> int:
    """Upsert agency values (area_code, measure_id, year, month, value) of ``source`` as batch ``batch_id``.

    Identical values are left alone; replaced values go to ``official_history``.  Returns how many changed.
    """
    incoming = frame[["area_code", "measure_id", "year", "month", "value"]].assign(source=source)
    con.register("incoming_official", incoming)
    try:
        con.execute("""CREATE OR REPLACE TEMP TABLE changed_official AS
                       SELECT i.* FROM incoming_official i
                       LEFT JOIN official_observations o USING (area_code, measure_id, source, year, month)
                       WHERE o.value IS NULL OR o.value IS DISTINCT FROM i.value""")
        con.execute("""INSERT INTO official_history (area_code, measure_id, source, year, month, value, batch_id,
                                                     replaced_by)
                       SELECT o.area_code, o.measure_id, o.source, o.year, o.month, o.value, o.batch_id, ?
                       FROM official_observations o JOIN changed_official c
                         USING (area_code, measure_id, source, year, month)""", [batch_id])
        con.execute("""INSERT INTO official_observations (area_code, measure_id, source, year, month, value, batch_id)
                       SELECT area_code, measure_id, source, year, month, value, ? FROM changed_official
                       ON CONFLICT (area_code, measure_id, source, year, month) DO UPDATE SET
                           value = excluded.value, batch_id = excluded.batch_id""", [batch_id])
        changed = con.execute("SELECT count(*) FROM changed_official").fetchall()[0][0]
        con.execute("DROP TABLE changed_official")
    finally:
        con.unregister("incoming_official")
    return int(changed)
