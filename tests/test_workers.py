"""The check of an upload in a worker process (loaders.workers, issue 19 item 6): the same report as in-process, a
time limit and a memory limit that give their problem and leave no process behind, the page never reading a file
on its own thread.  No test waits on the clock: a worker past its limit is one that waits for an event never set."""

from __future__ import annotations

import io
import os
from pathlib import Path

import _apptest
import _worker_hooks
import pytest
from _apptest import app, ok
from openpyxl import Workbook

import loaders.council_files as council_files
import loaders.uploads as uploads
from loaders import workers
from loaders.areas import official_areas, upsert_areas
from loaders.errors import ConfigError, InputRejected
from loaders.store import reader, writer
from loaders.uploads import MB, load_file

UPLOAD = "app_pages/upload.py"
fast_hashing, store = _apptest.fast_hashing, _apptest.store

# district 9303's subdistricts (a code, a Thai name) and one of 9301 (outside a 9303 council's scope); a bad number
ROWS = [("area", "year", "measure", "value"), ("930301", 2568, "population", 1200),
        ("ต.โคกม่วง", 2568, "households", 310), ("930305", 2568, "population", "abc"),
        ("930101", 2568, "population", 99), ("930306", 2569, "population", 800)]


def _csv() -> bytes:
    return "".join(",".join(str(c) for c in r) + "\n" for r in ROWS).encode("utf-8")


def _xlsx() -> bytes:
    wb = Workbook()
    for r in ROWS:
        wb.active.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _store(path: Path) -> Path:
    with writer(path) as con:
        upsert_areas(con, official_areas())
    return path


def _descendants() -> set[int]:
    """Every live or unreaped process below this one (from /proc): a zombie is listed too."""
    parent = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parent[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {p for p, pp in parent.items() if pp in frontier} - found
        found |= frontier
    return found


def _observations(db) -> list[tuple]:
    with reader(db) as con:
        return con.execute("SELECT area_code, measure_id, year, value FROM observations ORDER BY ALL").fetchall()


@pytest.mark.parametrize("name, data", [("f.csv", _csv()), ("f.xlsx", _xlsx())], ids=["csv", "xlsx"])
@pytest.mark.parametrize("scope", [None, {"9303"}])
def test_the_worker_gives_the_same_report_as_in_process(areas_db, name, data, scope):
    options = {"db": areas_db, "scope": scope, "dry_run": True, "head": 3}
    here = load_file(data, name, **options)
    there = load_file(data, name, checker=workers.check_file, **options)
    assert there.to_dict() == here.to_dict()
    assert there.head == here.head and len(there.head) == 4, "the header and 3 rows"
    codes = {p.code for p in there.problems}
    assert "type-error" in codes and ("outside-scope" in codes) is (scope is not None)


def test_a_load_through_the_worker_writes_what_it_writes_in_process(tmp_path):
    a, b = _store(tmp_path / "a.duckdb"), _store(tmp_path / "b.duckdb")
    data = _xlsx()  # once: a workbook's bytes carry the time it was saved
    here = load_file(data, "f.xlsx", db=a, user="c9303", scope={"9303"}, skip_invalid=True)
    there = load_file(data, "f.xlsx", db=b, user="c9303", scope={"9303"}, skip_invalid=True,
                      checker=workers.check_file)
    assert there.status == here.status == "partial"
    assert there.to_dict() == here.to_dict()
    assert _observations(b) == _observations(a) and len(_observations(b)) == 3


def _left_behind(before: set[int], ready_before: set[int]) -> set[int]:
    """Processes below this one that were not there before, or were the worker started ahead (which a check takes),
    other than the one started ahead now."""
    return _descendants() - (before - ready_before) - workers.ready_pids()


def test_a_check_past_the_time_limit_is_killed_and_reaped(areas_db, monkeypatch):
    workers.warm()
    before, ready = _descendants(), workers.ready_pids()
    with pytest.raises(workers.WorkerTimeout):
        workers.run(_worker_hooks.wait_forever, seconds=0.2, memory=2_000 * MB)
    assert _left_behind(before, ready) == set(), "the worker is gone, not even a zombie"

    monkeypatch.setenv("WELLBEING_CHECK_SECONDS", "0.2")
    before, ready = _descendants(), workers.ready_pids()
    r = load_file(_csv(), "f.csv", db=areas_db, checker=workers.isolated(_worker_hooks.wait_forever))
    assert r.status == "rejected" and [p.code for p in r.problems] == ["check-time-limit"]
    assert "0.2 s" in r.problems[0].message_en and "0.2 วินาที" in r.problems[0].message_th
    assert _observations(areas_db) == [] and _left_behind(before, ready) == set()


def test_a_check_past_the_memory_limit_gets_its_problem(areas_db, monkeypatch):
    pid, limit = workers.run(_worker_hooks.pid_and_limit, seconds=60, memory=1_234 * MB)
    assert limit == 1_234 * MB and pid != os.getpid(), "the limit is the worker's own"
    with pytest.raises(workers.WorkerOutOfMemory):
        workers.run(_worker_hooks.allocate, kwargs={"nbytes": 2_000 * MB}, seconds=60, memory=1_000 * MB)

    monkeypatch.setenv("WELLBEING_CHECK_MEMORY_MB", "1000")
    r = load_file(_csv(), "f.csv", db=areas_db, dry_run=True, checker=workers.isolated(_worker_hooks.allocate))
    assert r.status == "rejected" and [p.code for p in r.problems] == ["check-memory-limit"]
    assert "1,000.0 MB" in r.problems[0].message_en and "1,000.0 MB" in r.problems[0].message_th


def test_a_worker_that_dies_without_an_answer_gets_a_problem(areas_db):
    before, ready = _descendants(), workers.ready_pids()
    r = load_file(_csv(), "f.csv", db=areas_db, dry_run=True, checker=workers.isolated(_worker_hooks.end_abruptly))
    assert [p.code for p in r.problems] == ["check-failed"] and "status 3" in r.problems[0].message_en
    assert _left_behind(before, ready) == set()


def test_an_exception_in_the_worker_is_raised_here():
    with pytest.raises(InputRejected, match="refused in the worker") as exc:
        workers.run(_worker_hooks.refuse, seconds=60, memory=2_000 * MB)
    assert "in the check's worker process" in "".join(exc.value.__notes__)


@pytest.mark.parametrize("setting", ["WELLBEING_CHECK_SECONDS", "WELLBEING_CHECK_MEMORY_MB"])
def test_a_bad_setting_is_named(areas_db, monkeypatch, setting):
    monkeypatch.setenv(setting, "soon")
    with pytest.raises(ConfigError) as exc:
        load_file(_csv(), "f.csv", db=areas_db, dry_run=True, checker=workers.check_file)
    assert exc.value.setting == setting


def test_the_page_reads_and_checks_only_in_a_worker(store, monkeypatch):
    """The page's own process never reads the file (a spy counts), yet shows the check and its preview."""
    reads, runs = [], []
    monkeypatch.setattr(council_files, "read_table", lambda *a, **k: reads.append(a) or pytest.fail("read here"))
    monkeypatch.setattr(uploads, "read_table", council_files.read_table)
    real_run = workers.run
    monkeypatch.setattr(workers, "run", lambda *a, **k: runs.append(a[0]) or real_run(*a, **k))
    at = app("somchai", UPLOAD)
    at.file_uploader[0].set_value(("f.xlsx", _xlsx(), "application/octet-stream"))
    ok(at.run())
    assert runs == [uploads.check_file] and reads == []
    preview = [df.value for df in at.dataframe if "1. area" in df.value.columns]
    assert preview and list(preview[0]["แถว"]) == [2, 3, 4, 5, 6]
    assert {"type-error", "outside-scope"} <= {c for df in at.dataframe if "รหัสปัญหา" in df.value.columns
                                              for c in df.value["รหัสปัญหา"]}


def test_the_page_says_when_a_check_ran_past_its_limit(store, monkeypatch):
    monkeypatch.setenv("WELLBEING_CHECK_SECONDS", "0.2")
    monkeypatch.setattr(workers, "check_file", workers.isolated(_worker_hooks.wait_forever))
    at = app("somchai", UPLOAD)
    at.file_uploader[0].set_value(("f.csv", _csv(), "text/csv"))
    ok(at.run())
    codes = {c for df in at.dataframe if "รหัสปัญหา" in df.value.columns for c in df.value["รหัสปัญหา"]}
    assert codes == {"check-time-limit"} and at.error and at.button(key="upload_confirm").disabled
