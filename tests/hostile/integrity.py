"""Checks shared by the crash and concurrency tests: does the store open, scan, checkpoint, and is every batch whole?"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb

from indicators.registry import load_registry
from loaders.store import reader


def big_wide_csv(path: Path, codes: list[str], value: float, years=range(2540, 2601)) -> int:
    """A wide file of every measure for every area and year (BE), all cells ``value``; returns the number of values."""
    measures = list(load_registry().measures)
    cell = f"{value:g}"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("area_code,year," + ",".join(measures) + "\n")
        row_tail = "," + ",".join([cell] * len(measures)) + "\n"
        for code in codes:
            for be in years:
                fh.write(f"{code},{be}{row_tail}")
    return len(codes) * len(years) * len(measures)


def subdistrict_codes(db) -> list[str]:
    with reader(db) as con:
        rows = con.execute("SELECT code FROM areas WHERE level = 'subdistrict' ORDER BY code").fetchall()
    return [c for (c,) in rows]


def fingerprint(db) -> tuple:
    """Everything a batch may change, reduced to a few numbers."""
    with reader(db) as con:
        return tuple(con.execute(q).fetchall()[0] for q in (
            "SELECT count(*), sum(hash(area_code, measure_id, year, value, batch_id, flag, note)) FROM observations",
            "SELECT count(*), sum(hash(area_code, measure_id, year, value, batch_id, replaced_by)) "
            "FROM observation_history",
            "SELECT count(*), sum(hash(code, geometry, area_km2, geometry_source)) FROM areas",
            "SELECT count(*), sum(hash(id, status, values_changed, undone_at)) FROM batches",
        ))


def copy_store(src: Path, dst: Path) -> Path:
    """Copy a store (file, WAL if any, and the uploads archive beside it)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dst)
    if Path(str(src) + ".wal").exists():
        shutil.copy(str(src) + ".wal", str(dst) + ".wal")
    if (src.parent / "uploads").is_dir():
        shutil.copytree(src.parent / "uploads", dst.parent / "uploads", dirs_exist_ok=True)
    return dst


def integrity(db: Path) -> dict:
    """Open the store as a writer (replaying any WAL), scan every table, check the invariants, checkpoint.

    Invariants: keys unique; every observation and history row names an existing batch; no batch left 'loading';
    a loaded upload batch accounts for exactly the values it changed (current + since replaced, when nothing was
    undone); every archived upload exists under uploads/<sha256> with those bytes; problems belong to batches.
    """
    uploads = db.parent / "uploads"
    con = duckdb.connect(str(db))
    try:
        one = lambda q, p=(): con.execute(q, list(p)).fetchall()[0]  # noqa: E731
        size = con.execute("PRAGMA database_size").fetchall()
        assert size and size[0][0]
        scans = {t: one(f"SELECT count(*), sum(hash(COLUMNS(*))) FROM {t}") for t in (
            "observations", "observation_history", "batches", "batch_problems", "areas", "meta")}
        assert one("""SELECT count(*) FROM (SELECT 1 FROM observations GROUP BY area_code, measure_id, year
                      HAVING count(*) > 1)""")[0] == 0, "duplicate keys"
        assert one("SELECT count(*) FROM observations WHERE batch_id NOT IN (SELECT id FROM batches)")[0] == 0
        assert one("""SELECT count(*) FROM observation_history
                      WHERE replaced_by NOT IN (SELECT id FROM batches)
                         OR (batch_id IS NOT NULL AND batch_id NOT IN (SELECT id FROM batches))""")[0] == 0
        assert one("SELECT count(*) FROM batches WHERE status = 'loading'")[0] == 0, "a batch left half-loaded"
        assert one("SELECT count(*) FROM batch_problems WHERE batch_id NOT IN (SELECT id FROM batches)")[0] == 0
        undone = one("SELECT count(*) FROM batches WHERE kind = 'undo'")[0]
        rows = con.execute("""
            SELECT b.id, b.values_changed, b.rows_loaded,
                   (SELECT count(*) FROM observations o WHERE o.batch_id = b.id),
                   (SELECT count(*) FROM observation_history h WHERE h.batch_id = b.id)
            FROM batches b WHERE b.kind = 'upload' AND b.status IN ('loaded', 'partial')""").fetchall()
        for bid, changed, rows_loaded, current, replaced in rows:
            assert rows_loaded and rows_loaded > 0, bid
            if undone:
                assert current + replaced >= changed, (bid, changed, current, replaced)
            else:
                assert current + replaced == changed, (bid, changed, current, replaced)
        for bid, sha, raw_path in con.execute(
                "SELECT id, sha256, raw_path FROM batches WHERE kind = 'upload' AND raw_path IS NOT NULL").fetchall():
            # the archive is uploads/<sha256> beside the store (raw_path records where it was when loaded)
            assert Path(raw_path).name == sha, (bid, raw_path)
            path = uploads / sha
            assert hashlib.sha256(path.read_bytes()).hexdigest() == sha, f"archive of batch {bid} damaged"
        con.execute("CHECKPOINT")
        statuses = dict(con.execute("SELECT status, count(*) FROM batches GROUP BY status").fetchall())
    finally:
        con.close()
    leftovers = sorted(p.name for p in uploads.glob(".incoming-*")) if uploads.is_dir() else []
    return {"scans": scans, "statuses": statuses, "incoming_leftovers": leftovers}
