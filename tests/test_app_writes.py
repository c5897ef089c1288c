"""Writes through the app's write path (loaders.users: upload_as, undo_as, set_target_as) from many sessions at
once: every batch lands whole, in order, nothing lost; readers never see half a batch; one file sent twice at once
loads once; a command-line write meanwhile waits and succeeds or says the database is busy (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from loaders import accounts, users
from loaders.accounts import User
from loaders.areas import official_areas
from loaders.batches import list_batches
from loaders.store import reader

ROOT = Path(__file__).resolve().parents[1]
DISTRICTS = [f"93{i:02d}" for i in range(1, 12)]
YEAR_BE = 2569


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _subdistricts() -> dict[str, list[str]]:
    a = official_areas()
    subs = a[a.level == "subdistrict"]
    return {d: sorted(subs[subs.parent_code == d].code) for d in DISTRICTS}


def _file(codes: list[str], base: int) -> tuple[bytes, dict[str, float]]:
    values = {c: float(base + j) for j, c in enumerate(codes)}
    text = "area,year,measure,value\n" + "".join(f"{c},{YEAR_BE},population,{v:g}\n" for c, v in values.items())
    return text.encode(), values


def _run_all(targets) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(targets))

    def wrap(fn):
        def run():
            start.wait()
            try:
                fn()
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
        return run

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return errors


def test_many_councils_uploading_at_once_all_land(demo_db):
    subs = _subdistricts()
    for d in DISTRICTS:
        accounts.add_user(f"council{d}", "council", scope=d, password="password " + d, db=demo_db)
    accounts.add_user("boss", "admin", password="boss password", db=demo_db)
    n_before = len(list_batches(demo_db))
    expected: dict[str, float] = {}
    reports: dict[str, object] = {}
    jobs = []
    for i, d in enumerate(DISTRICTS):
        data, values = _file(subs[d], 10_000 * (i + 1))
        expected.update(values)

        def job(d=d, data=data):
            reports[d] = users.upload_as(User(f"council{d}", "council"), data, f"{d}.csv", db=demo_db)
        jobs.append(job)
    # An admin changes a target and a second upload by one council runs in the same moment.
    jobs.append(lambda: users.set_target_as(User("boss", "admin"), "happiness", 7.5, 2575, db=demo_db))
    extra, extra_values = _file(subs["9303"][:1], 99_000)

    def extra_job():
        reports["extra"] = users.upload_as(User("council9303", "council"), extra, "extra.csv", db=demo_db)
    jobs.append(extra_job)

    seen_half: list[tuple] = []
    stop = threading.Event()

    def watch():
        """Readers never see a batch with only some of its values."""
        while not stop.is_set():
            with reader(demo_db) as con:
                # every value a batch wrote is either current or in history (replaced by a later batch)
                rows = con.execute(
                    """SELECT b.id, b.status, b.rows_loaded,
                              (SELECT count(*) FROM observations o WHERE o.batch_id = b.id)
                              + (SELECT count(*) FROM observation_history h WHERE h.batch_id = b.id)
                       FROM batches b WHERE b.kind = 'upload'""").fetchall()
            seen_half.extend(r for r in rows if r[1] == "loading" or (r[1] == "loaded" and r[3] != r[2]))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        errors = _run_all(jobs)
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert not errors, errors
    assert not seen_half, seen_half

    batches = list_batches(demo_db)
    uploads = batches[batches.kind == "upload"]
    assert len(batches) == n_before + len(DISTRICTS) + 1
    assert set(uploads.status) == {"loaded"}
    assert sorted(uploads.id) == list(range(uploads.id.min(), uploads.id.max() + 1)), "ids in order, none lost"
    assert {r.batch_id for r in reports.values()} == set(uploads.id)
    assert set(uploads.uploaded_by) == {f"council{d}" for d in DISTRICTS}

    expected[subs["9303"][0]] = None  # either order is fine for the cell both uploads of 9303 wrote
    with reader(demo_db) as con:
        got = dict(con.execute("SELECT area_code, value FROM observations WHERE measure_id = 'population' AND "
                               "year = ?", [YEAR_BE - 543]).fetchall())
    for code, value in expected.items():
        if value is not None:
            assert got[code] == value, code
    assert got[subs["9303"][0]] in (extra_values[subs["9303"][0]], 30_000.0)
    with reader(demo_db) as con:
        assert con.execute("SELECT set_by FROM targets WHERE indicator_id = 'happiness'").fetchall() == [("boss",)]


def test_the_same_file_sent_twice_at_once_loads_once(demo_db):
    accounts.add_user("c1", "council", scope="9301", password="password c1", db=demo_db)
    data, _ = _file(_subdistricts()["9301"], 500)
    out = []
    errors = _run_all([lambda: out.append(users.upload_as(User("c1", "council"), data, "a.csv", db=demo_db))
                       for _ in range(4)])
    assert not errors, errors
    statuses = sorted(r.status for r in out)
    assert statuses == ["duplicate", "duplicate", "duplicate", "loaded"]
    loaded = [r.batch_id for r in out if r.status == "loaded"]
    assert {r.duplicate_of for r in out if r.status == "duplicate"} == set(loaded)


def test_uploads_and_undos_interleave_exactly(demo_db):
    subs = _subdistricts()
    for d in DISTRICTS[:4]:
        accounts.add_user(f"c{d}", "council", scope=d, password="password " + d, db=demo_db)
    with reader(demo_db) as con:
        original = dict(con.execute("SELECT area_code, value FROM observations WHERE measure_id = 'population' AND "
                                    "year = ?", [YEAR_BE - 543]).fetchall())
    first = {d: users.upload_as(User(f"c{d}", "council"), _file(subs[d], 1_000)[0], f"{d}-1.csv", db=demo_db)
             for d in DISTRICTS[:4]}
    second: dict[str, object] = {}
    jobs = [lambda d=d: users.undo_as(User(f"c{d}", "council"), first[d].batch_id, db=demo_db)
            for d in DISTRICTS[:2]]
    jobs += [lambda d=d: second.__setitem__(d, users.upload_as(User(f"c{d}", "council"), _file(subs[d], 2_000)[0],
                                                               f"{d}-2.csv", db=demo_db)) for d in DISTRICTS[2:4]]
    assert not _run_all(jobs)
    with reader(demo_db) as con:
        now = dict(con.execute("SELECT area_code, value FROM observations WHERE measure_id = 'population' AND "
                               "year = ?", [YEAR_BE - 543]).fetchall())
    for d in DISTRICTS[:2]:
        assert all(now.get(c) == original.get(c) for c in subs[d]), f"undo of {d} restored every value"
    for d in DISTRICTS[2:4]:
        assert all(now[c] == 2_000 + j for j, c in enumerate(subs[d])), f"second upload of {d} landed"
        assert second[d].status == "loaded"


def test_a_command_line_write_while_the_app_writes_waits_or_says_busy(demo_db, tmp_path):
    subs = _subdistricts()
    accounts.add_user("c9305", "council", scope="9305", password="password c9305", db=demo_db)
    accounts.add_user("cli", "admin", email="cli@example.org", db=demo_db)  # --user names an existing account
    cli_file = tmp_path / "cli.csv"
    cli_file.write_bytes(_file(subs["9306"], 7_000)[0])
    env = {**os.environ, "WELLBEING_DB": str(demo_db), "WELLBEING_BUSY_TIMEOUT": "20"}
    results: dict[str, object] = {}

    def app_writes():
        for k in range(6):
            data, _ = _file(subs["9305"], 100_000 + 1_000 * k)
            results[f"app{k}"] = users.upload_as(User("c9305", "council"), data, f"app{k}.csv", db=demo_db).status

    def cli_writes():
        results["cli"] = subprocess.run([sys.executable, "-m", "loaders", "csv", str(cli_file), "--user", "cli"],
                                        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert not _run_all([app_writes, cli_writes])
    assert all(results[f"app{k}"] == "loaded" for k in range(6))
    proc = results["cli"]
    assert proc.returncode in (0, 2), proc.stderr
    batches = list_batches(demo_db)
    if proc.returncode == 0:
        assert "cli.csv" in set(batches.file_name)
    else:
        assert "busy" in proc.stderr and "cli.csv" not in set(batches.file_name)
    assert len(batches[batches.file_name.fillna("").str.startswith("app")]) == 6
