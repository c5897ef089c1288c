"""Crashes (issue 8): SIGKILL the loader at random points of a large load, a boundary load and an undo; the store
must open, pass an integrity check, and hold every batch whole or not at all.

The kill points are seeded and spread over the duration of the same operation measured first, most of them in
its second half (after parsing, where the transaction runs), some before.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from loaders.store import reader
from loaders.uploads import load_file
from tests.hostile.integrity import big_wide_csv, copy_store, fingerprint, integrity, subdistrict_codes

ROOT = Path(__file__).resolve().parents[1]
SEED = 2568
pytestmark = pytest.mark.slow


def start(*argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "loaders", *argv], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def timed(*argv: str) -> float:
    t0 = time.monotonic()
    p = start(*argv)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    return time.monotonic() - t0


def kill_after(delay: float, *argv: str) -> tuple[int, str]:
    """Start the command, SIGKILL it after ``delay`` seconds (unless it is done); (return code, stderr)."""
    p = start(*argv)
    try:
        p.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
    _, err = p.communicate(timeout=60)
    return p.returncode, err


def delays(duration: float, n: int, rng: random.Random, write_from: float | None = None) -> list[float]:
    """``n`` kill points: a third anywhere in the run, the rest from ``write_from`` (default: half-way) to the end."""
    start_late = write_from if write_from is not None else 0.5 * duration
    early = [rng.uniform(0.05, 1.0) * duration for _ in range(n // 3)]
    late = [rng.uniform(start_late, 1.05 * duration) for _ in range(n - n // 3)]
    out = early + late
    rng.shuffle(out)
    return out


def value_of(run: int) -> float:
    """The value of every cell in run ``run``'s file: different from the run before, valid for every measure."""
    return 1 + 0.25 * run


def batch_of(db, sha: str):
    with reader(db) as con:
        rows = con.execute("SELECT id, status, values_changed FROM batches WHERE sha256 = ?", [sha]).fetchall()
    return rows[0] if rows else None


def test_kill_during_large_csv_loads(areas_db, tmp_path):
    import hashlib

    db = copy_store(areas_db, tmp_path / "store" / "store.duckdb")
    codes = subdistrict_codes(db)
    files = []
    for i in range(11):  # one to measure, ten to kill
        path = tmp_path / f"big{i}.csv"
        n_values = big_wide_csv(path, codes, value=value_of(i))
        files.append(path)
    probe = copy_store(areas_db, tmp_path / "probe" / "store.duckdb")
    timed("csv", str(files[0]), "--db", str(probe))
    checked = timed("csv", str(files[1]), "--dry-run", "--db", str(probe))  # reading and checking, no write
    duration = timed("csv", str(files[1]), "--db", str(probe))  # as the runs below: every value replaced

    rng = random.Random(SEED)
    outcomes, previous = [], 0  # previous: how many cells the store held before this run
    for i, delay in enumerate(delays(duration, 10, rng, write_from=checked), start=1):
        f = files[i]
        in_write = checked <= delay <= duration
        sha = hashlib.sha256(f.read_bytes()).hexdigest()
        before = fingerprint(db)
        rc, err = kill_after(delay, "csv", str(f), "--db", str(db))
        assert "Traceback" not in err
        check = integrity(db)
        batch = batch_of(db, sha)
        if batch is None:  # absent: nothing of it
            assert fingerprint(db) == before
            outcomes.append(("absent", round(delay, 2), rc, in_write))
            continue
        bid, status, changed = batch
        assert status == "loaded" and changed == n_values
        with reader(db) as con:
            current = con.execute("SELECT count(*), min(value), max(value) FROM observations WHERE batch_id = ?",
                                  [bid]).fetchall()[0]
            replaced = con.execute("SELECT count(*) FROM observation_history WHERE replaced_by = ?",
                                   [bid]).fetchall()[0][0]
        value = value_of(i)
        assert current == (n_values, value, value) and replaced == previous
        assert (db.parent / "uploads" / sha).is_file()
        previous = n_values
        outcomes.append(("whole", round(delay, 2), rc, in_write))
    print(f"\nCSV load of {n_values:,} values measured at {duration:.2f} s (reading and checking {checked:.2f} s); "
          f"kills (outcome, delay, exit, aimed at the write phase): {outcomes}; "
          f"{sum(o[0] == 'whole' for o in outcomes)} whole, {sum(o[0] == 'absent' for o in outcomes)} absent, "
          f"{sum(o[3] for o in outcomes)} aimed at the write phase; "
          f"leftover temp files {integrity(db)['incoming_leftovers']}")
    assert len(outcomes) == 10 and check["statuses"].get("loading") is None
    # the store still works: the next load lands whole
    assert load_file(files[0].read_bytes(), "big0.csv", db=db).status == "loaded"
    integrity(db)


def _shapes(path: Path, codes: list[str], size: float) -> Path:
    geoms = [box(99.9 + 0.03 * (k % 10), 7.3 + 0.03 * (k // 10), 99.9 + 0.03 * (k % 10) + size,
                 7.3 + 0.03 * (k // 10) + size) for k in range(len(codes))]
    gpd.GeoDataFrame({"code": codes}, geometry=geoms, crs="EPSG:4326").to_file(path)
    return path


def test_kill_during_boundary_loads(demo_db, tmp_path):
    codes = subdistrict_codes(demo_db)
    files = [_shapes(tmp_path / f"tambon{i}.geojson", codes, 0.01 + 0.001 * i) for i in range(7)]
    probe = copy_store(demo_db, tmp_path / "probe" / "store.duckdb")
    duration = timed("boundaries", str(files[0]), "--level", "subdistrict", "--db", str(probe))
    rng = random.Random(SEED + 1)
    outcomes = []
    for i, delay in enumerate(delays(duration, 6, rng), start=1):
        before = fingerprint(demo_db)
        with reader(demo_db) as con:
            old_sources = {s for (s,) in con.execute(
                "SELECT DISTINCT geometry_source FROM areas WHERE level = 'subdistrict'").fetchall()}
        rc, err = kill_after(delay, "boundaries", str(files[i]), "--level", "subdistrict", "--db", str(demo_db))
        assert "Traceback" not in err
        integrity(demo_db)
        with reader(demo_db) as con:
            sources = {s for (s,) in con.execute(
                "SELECT DISTINCT geometry_source FROM areas WHERE level = 'subdistrict'").fetchall()}
            meta = con.execute("SELECT value FROM meta WHERE key = 'geometry_source'").fetchall()
        if sources == {files[i].name}:  # every shape of the file, and the meta that says so
            assert meta == [("file",)]
            outcomes.append(("whole", round(delay, 2), rc))
        else:
            assert sources == old_sources and fingerprint(demo_db) == before
            outcomes.append(("absent", round(delay, 2), rc))
    print(f"\nboundary load of {len(codes)} shapes measured at {duration:.2f} s; kills: {outcomes}")


def test_kill_during_undo(areas_db, tmp_path):
    base = copy_store(areas_db, tmp_path / "base" / "store.duckdb")
    codes = subdistrict_codes(base)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    n = big_wide_csv(first, codes, value=4)
    big_wide_csv(second, codes, value=5)
    a = load_file(first.read_bytes(), "first.csv", db=base)
    b = load_file(second.read_bytes(), "second.csv", db=base)
    assert (a.status, b.status) == ("loaded", "loaded")
    loaded = fingerprint(base)
    done = copy_store(base, tmp_path / "done" / "store.duckdb")
    duration = timed("undo", str(b.batch_id), "--db", str(done))
    undone = fingerprint(done)
    with reader(done) as con:
        undone_values = con.execute("SELECT count(*), min(value), max(value), min(batch_id), max(batch_id) "
                                    "FROM observations").fetchall()[0]
    assert undone_values == (n, 4.0, 4.0, a.batch_id, a.batch_id)

    rng = random.Random(SEED + 2)
    outcomes = []
    for k, delay in enumerate(delays(duration, 6, rng)):
        db = copy_store(base, tmp_path / f"run{k}" / "store.duckdb")
        rc, err = kill_after(delay, "undo", str(b.batch_id), "--db", str(db))
        assert "Traceback" not in err
        integrity(db)
        got = fingerprint(db)
        if got == loaded:
            outcomes.append(("absent", round(delay, 2), rc))
        else:  # the undo landed whole: same observations, history and batch statuses as the clean run
            assert got[:3] == undone[:3]
            with reader(db) as con:
                assert con.execute("SELECT status FROM batches WHERE id = ?", [b.batch_id]).fetchall() == [("undone",)]
            outcomes.append(("whole", round(delay, 2), rc))
    print(f"\nundo of {n:,} values measured at {duration:.2f} s; kills: {outcomes}")
