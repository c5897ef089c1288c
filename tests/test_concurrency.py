"""Concurrent writers (issue 8): 4 processes running ``loaders csv`` and 4 threads calling ``load_file`` (the upload
page's write path) on one store at once, while another process polls what is visible.

Every batch lands whole or is refused with "database busy, try again" (exit 2); no row is lost or doubled; the
poller never sees part of a batch.  WELLBEING_BUSY_TIMEOUT is raised to 30 s so that most writers wait their turn.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from loaders import accounts
from loaders.store import StoreBusy, reader
from loaders.uploads import load_file
from tests.hostile.integrity import big_wide_csv, copy_store, integrity, subdistrict_codes

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

POLLER = r"""
import json, sys, time
from pathlib import Path
from loaders.store import StoreError, reader
db, stop, out = sys.argv[1:4]
seen = []
while not Path(stop).exists():
    try:
        with reader(db) as con:
            seen.append(dict(con.execute("SELECT batch_id, count(*) FROM observations GROUP BY batch_id").fetchall()))
    except StoreError:
        pass
    time.sleep(0.03)
Path(out).write_text(json.dumps(seen))
"""


def _env(**extra: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "WELLBEING_BUSY_TIMEOUT": "30", **extra}


def test_eight_concurrent_writers(areas_db, tmp_path, monkeypatch):
    monkeypatch.setenv("WELLBEING_BUSY_TIMEOUT", "30")
    db = copy_store(areas_db, tmp_path / "store" / "store.duckdb")
    codes = subdistrict_codes(db)
    groups = [codes[k::8] for k in range(8)]  # disjoint cells: every file's values stay its own
    files, sizes = [], []
    for k, group in enumerate(groups):
        path = tmp_path / f"writer{k}.csv"
        sizes.append(big_wide_csv(path, group, value=k + 1))
        files.append(path)
    shas = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    for k in range(4):  # the command line's --user names an existing account
        accounts.add_user(f"process{k}", "admin", email=f"process{k}@example.org", db=db)

    stop, seen_file = tmp_path / "stop", tmp_path / "seen.json"
    poller = subprocess.Popen([sys.executable, "-c", POLLER, str(db), str(stop), str(seen_file)], cwd=ROOT,
                              env=_env(), stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    t0 = time.monotonic()
    procs = [subprocess.Popen([sys.executable, "-m", "loaders", "csv", str(files[k]), "--db", str(db), "--json",
                               "--user", f"process{k}"], cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for k in range(4)]
    outcomes: dict[int, str] = {}

    def thread_writer(k: int) -> None:
        try:
            report = load_file(files[k].read_bytes(), files[k].name, db=db, user=f"thread{k}")
            outcomes[k] = report.status
        except StoreBusy as exc:
            assert "busy, try again" in str(exc)
            outcomes[k] = "busy"

    threads = [threading.Thread(target=thread_writer, args=(k,)) for k in range(4, 8)]
    for t in threads:
        t.start()
    for k, p in enumerate(procs):
        out, err = p.communicate(timeout=120)
        assert "Traceback" not in err
        if p.returncode == 0:
            outcomes[k] = json.loads(out)["status"]
        else:
            assert p.returncode == 2 and "busy, try again" in err, err
            outcomes[k] = "busy"
    for t in threads:
        t.join(timeout=120)
    elapsed = time.monotonic() - t0
    stop.touch()
    poller.communicate(timeout=60)
    seen = [{int(b): n for b, n in snap.items()} for snap in json.loads(seen_file.read_text())]

    assert sorted(outcomes) == list(range(8)) and set(outcomes.values()) <= {"loaded", "busy"}, outcomes
    check = integrity(db)
    with reader(db) as con:
        batches = {sha: (bid, status) for bid, sha, status in con.execute(
            "SELECT id, sha256, status FROM batches WHERE kind = 'upload'").fetchall()}
        per_batch = dict(con.execute("SELECT batch_id, count(*) FROM observations GROUP BY batch_id").fetchall())
        total = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    full = {}
    for k in range(8):
        if outcomes[k] == "loaded":
            bid, status = batches[shas[k]]
            assert status == "loaded" and per_batch[bid] == sizes[k]  # no row lost
            full[bid] = sizes[k]
        else:
            assert shas[k] not in batches  # refused: not even a batch row
    assert total == sum(full.values())  # no row doubled, nothing else
    assert len(batches) == len(full)
    # the poller saw each batch either not at all or whole
    assert seen, "the poller never got in"
    for snap in seen:
        for bid, n in snap.items():
            assert full.get(bid) == n, f"half a batch visible: batch {bid} had {n} of {full.get(bid)} rows"
    landed = sum(v == "loaded" for v in outcomes.values())
    print(f"\n8 writers in {elapsed:.1f} s: {landed} landed, {8 - landed} refused busy; {sum(full.values()):,} values; "
          f"the poller took {len(seen)} snapshots, every batch 0 or whole; statuses {check['statuses']}")
    assert landed >= 4


def test_same_file_from_five_writers_lands_once(areas_db, tmp_path, monkeypatch):
    """Two processes and three threads upload the same file at once: one batch, the others 'duplicate'."""
    monkeypatch.setenv("WELLBEING_BUSY_TIMEOUT", "30")
    db = copy_store(areas_db, tmp_path / "store" / "store.duckdb")
    f = tmp_path / "same.csv"
    n = big_wide_csv(f, subdistrict_codes(db)[:10], value=2)
    procs = [subprocess.Popen([sys.executable, "-m", "loaders", "csv", str(f), "--db", str(db), "--json"], cwd=ROOT,
                              env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    statuses: list[str] = []
    threads = [threading.Thread(target=lambda: statuses.append(load_file(f.read_bytes(), "same.csv", db=db).status))
               for _ in range(3)]
    for t in threads:
        t.start()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        statuses.append(json.loads(out)["status"])
    for t in threads:
        t.join(timeout=120)
    assert sorted(statuses) == ["duplicate"] * 4 + ["loaded"]
    with reader(db) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] == n
        assert con.execute("SELECT count(*) FROM batches WHERE status = 'loaded'").fetchall()[0][0] == 1
    integrity(db)


HOLDER = r"""
import sys, time, duckdb
from pathlib import Path
con = duckdb.connect(sys.argv[1])
Path(sys.argv[2]).touch()
release, deadline = Path(sys.argv[3]), time.monotonic() + 300
while not release.exists() and time.monotonic() < deadline:  # hold the store until the test has checked
    time.sleep(0.02)
"""


def test_busy_is_refused_with_a_message_and_no_write(areas_db, tmp_path, monkeypatch):
    """Another process holds the file past the busy timeout: exit 2 'database busy, try again', nothing written."""
    db = copy_store(areas_db, tmp_path / "store" / "store.duckdb")
    f = tmp_path / "wait.csv"
    big_wide_csv(f, subdistrict_codes(db)[:2], value=3)
    ready, release = tmp_path / "ready", tmp_path / "release"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(ready), str(release)], cwd=ROOT)
    try:
        while not ready.exists():
            time.sleep(0.02)
        p = subprocess.run([sys.executable, "-m", "loaders", "csv", str(f), "--db", str(db)], cwd=ROOT,
                           env=_env(WELLBEING_BUSY_TIMEOUT="0.5"), capture_output=True, text=True, timeout=60)
        assert p.returncode == 2 and "database busy, try again" in p.stderr and "Traceback" not in p.stderr
        monkeypatch.setenv("WELLBEING_BUSY_TIMEOUT", "0.5")
        with pytest.raises(StoreBusy, match="busy, try again"):
            load_file(f.read_bytes(), f.name, db=db)
    finally:
        release.touch()
        holder.wait(timeout=30)
    with reader(db) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] == 0
        assert con.execute("SELECT count(*) FROM batches").fetchall()[0][0] == 0
