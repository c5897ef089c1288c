"""Hostile files (issue 8): every file of ``tests/hostile`` through ``loaders csv``, ``loaders boundaries`` and
:func:`loaders.uploads.load_file`: exit 2 (or a rejected report) with a message, never a traceback, a hang, a blown
memory limit or a write; or, where the file is legitimate, the documented outcome.

"No write" means: observations, their history and the areas (names, shapes) are unchanged.  A rejected upload does
record a batch row (status ``rejected``) with its problems, by design (DESIGN §6).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders.store import reader
from loaders.uploads import load_file
from tests.hostile.make_corpus import CASES, build

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
MEM_MB = 1536
TIMEOUT = 60
BY_NAME = {c.name: c for c in CASES}
TRACEBACK = "Traceback (most recent call last)"


def state(db) -> dict:
    """Fingerprints of everything a rejected file must leave alone, and the batches."""
    with reader(db) as con:
        one = lambda q: con.execute(q).fetchall()[0]  # noqa: E731
        return {
            "observations": one("SELECT count(*), sum(hash(area_code, measure_id, year, value, batch_id, flag, note)) "
                                "FROM observations"),
            "history": one("SELECT count(*), sum(hash(area_code, measure_id, year, value, batch_id, replaced_by)) "
                           "FROM observation_history"),
            "areas": one("SELECT count(*), sum(hash(code, name_th, name_en, parent_code, geometry, area_km2, "
                         "geometry_source)) FROM areas"),
            "meta": con.execute("SELECT * FROM meta ORDER BY key").fetchall(),
            "batches": con.execute("SELECT id, status, problem_count FROM batches ORDER BY id").fetchall(),
        }


def assert_no_write(before: dict, after: dict, *, rejected_batch_allowed: bool) -> None:
    for key in ("observations", "history", "areas", "meta"):
        assert after[key] == before[key], f"{key} changed"
    new = after["batches"][len(before["batches"]):]
    assert after["batches"][:len(before["batches"])] == before["batches"]
    if rejected_batch_allowed:
        assert all(status == "rejected" and problems for _, status, problems in new), new
        assert len(new) <= 1
    else:
        assert new == []


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("hostile") / "corpus")


@pytest.fixture(scope="module")
def shared_db(demo_db_session, tmp_path_factory) -> Path:
    """One demo store for the in-process rejections (a rejection changes nothing but the batch list)."""
    path = tmp_path_factory.mktemp("hostile-db") / "store.duckdb"
    shutil.copy(demo_db_session, path)
    return path


def test_corpus_is_large_enough(corpus):
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert all((corpus / c.name).is_file() for c in CASES)
    committed = list((ROOT / "tests" / "hostile" / "files").iterdir())
    assert all(p.stat().st_size < 64 * 1024 for p in committed), "commit no big file: generate it in make_corpus"


# --- load_file: the function the upload page calls ----------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.csv == "reject"], ids=lambda c: c.name)
def test_load_file_rejects(case, corpus, shared_db):
    before = state(shared_db)
    t0 = time.monotonic()
    report = load_file((corpus / case.name).read_bytes(), case.name, db=shared_db, user="hostile")
    assert time.monotonic() - t0 < 30
    assert report.status == "rejected", report.message_en
    assert report.problems and report.problem_count >= 1
    for p in report.problems:
        assert p.code and p.message_th and p.message_en
    if case.code:
        assert case.code in {p.code for p in report.problems}, [(p.code, p.message_en) for p in report.problems]
    assert_no_write(before, state(shared_db), rejected_batch_allowed=True)


@pytest.mark.parametrize("name", ["zip_bomb.xlsx", "truncated_thai_utf8.csv", "nan_inf.csv", "geo_truncated.geojson"])
def test_dry_run_rejects_and_writes_nothing(name, corpus, shared_db):
    before = state(shared_db)
    assert load_file((corpus / name).read_bytes(), name, db=shared_db, dry_run=True).status == "rejected"
    assert_no_write(before, state(shared_db), rejected_batch_allowed=False)


def test_load_file_legitimate_cases(corpus, demo_db):
    """The documented behaviour of the files that are odd but legitimate."""
    macros = load_file((corpus / "xlsx_macros.xlsx").read_bytes(), "xlsx_macros.xlsx", db=demo_db)
    assert macros.status == "loaded" and macros.values_loaded == 4  # values read; vbaProject.bin never run nor kept
    invisible = load_file((corpus / "rtl_zero_width.csv").read_bytes(), "rtl_zero_width.csv", db=demo_db)
    assert invisible.status == "loaded", invisible.to_dict()["problems"]
    mac = load_file((corpus / "cr_only_tab.csv").read_bytes(), "cr_only_tab.csv", db=demo_db)
    assert mac.status == "loaded" and mac.delimiter == "\t"
    with reader(demo_db) as con:
        got = con.execute("SELECT area_code, value FROM observations WHERE batch_id = ? ORDER BY 1",
                          [invisible.batch_id]).fetchall()
    assert got == [("930101", 10.0), ("930103", 11.0), ("930104", 12.0)]


def test_formulas_are_never_evaluated(corpus, shared_db):
    """A formula cell is text to the loader: its cached value is ignored and it is reported, never evaluated."""
    report = load_file((corpus / "xlsx_formulas.xlsx").read_bytes(), "f.xlsx", db=shared_db)
    bad = {(p.row, p.column, p.value) for p in report.problems if p.code == "type-error"}
    assert bad == {(2, "poor_households", "=C2/10"), (3, "households", "=SUM(C2:C2)"),
                   (3, "poor_households", '=WEBSERVICE("http://example.invalid/x")')}
    link = load_file((corpus / "xlsx_external_link.xlsx").read_bytes(), "l.xlsx", db=shared_db)
    assert [(p.code, p.value) for p in link.problems] == [("type-error", "=[1]Sheet1!A1")]


def test_xml_entities_are_not_expanded(corpus, shared_db):
    for name in ("xlsx_xxe.xlsx", "xlsx_entity_bomb.xlsx"):
        report = load_file((corpus / name).read_bytes(), name, db=shared_db)
        text = json.dumps(report.to_dict(), ensure_ascii=False)
        assert report.status == "rejected" and "root:" not in text and "lollollol" not in text


# --- the command lines, each in a bounded process -----------------------------------------------------------------


def _commands(case) -> list[tuple[str, list[str]]]:
    return [("csv", ["csv"]), ("boundaries", ["boundaries", "--level", "subdistrict"])]


@pytest.fixture(scope="module")
def cli_results(corpus, demo_db_session, tmp_path_factory):
    """Every corpus file through both commands: forked children of one interpreter, 1.5 GB and 60 s each."""
    work = tmp_path_factory.mktemp("hostile-cli")
    jobs, keys = [], []
    for case in CASES:
        for command, argv in _commands(case):
            db = work / f"{case.name}.{command}.duckdb"
            shutil.copy(demo_db_session, db)
            jobs.append({"argv": [*argv[:1], str(corpus / case.name), *argv[1:], "--db", str(db)],
                         "stdout": str(db) + ".out", "stderr": str(db) + ".err"})
            keys.append((case.name, command))
    t0 = time.monotonic()
    proc = subprocess.run([PY, str(ROOT / "tests" / "hostile" / "cli_runner.py"), "--parallel", "2", "--timeout",
                           str(TIMEOUT), "--mem-mb", str(MEM_MB)], input=json.dumps(jobs), capture_output=True,
                          text=True, cwd=ROOT, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = {}
    for key, job, res in zip(keys, jobs, json.loads(proc.stdout), strict=True):
        db = Path(job["argv"][job["argv"].index("--db") + 1])
        res["stdout"] = Path(job["stdout"]).read_text(errors="replace")
        res["stderr"] = Path(job["stderr"]).read_text(errors="replace")
        res["db"] = db
        results[key] = res
    results["_wall"] = time.monotonic() - t0
    return results


@pytest.fixture(scope="module")
def base_state(demo_db_session):
    return state(demo_db_session)


@pytest.mark.parametrize("command", ["csv", "boundaries"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_cli(case, command, cli_results, base_state):
    res = cli_results[(case.name, command)]
    out = res["stdout"] + res["stderr"]
    assert not res["timed_out"], f"hung: killed after {res['seconds']:.0f} s"
    assert TRACEBACK not in out and "internal error" not in out, out[-2000:]
    expected = case.csv if command == "csv" else case.geo
    after = state(res["db"])
    if expected == "reject":
        assert res["rc"] == 2, out[-2000:]
        assert "rejected" in res["stderr"] and len(res["stderr"].strip()) > 20  # a message, in words
        assert_no_write(base_state, after, rejected_batch_allowed=command == "csv")
    else:
        assert res["rc"] == 0, out[-2000:]
        if command == "csv":
            assert after["observations"][0] >= base_state["observations"][0]
            assert after["batches"][-1][1] == "loaded"
        else:
            assert after["areas"] != base_state["areas"]


def test_cli_bounds_summary(cli_results):
    """Every command finished well inside its limits (figures for docs/RELIABILITY.md)."""
    runs = [v for k, v in cli_results.items() if k != "_wall"]
    slowest = max(r["seconds"] for r in runs)
    biggest = max(r["max_rss_mb"] for r in runs)
    print(f"\n{len(runs)} command lines, wall {cli_results['_wall']:.1f} s; slowest {slowest:.1f} s; "
          f"peak RSS {biggest:.0f} MB (limit {MEM_MB} MB address space)")
    assert slowest < 20 and biggest < MEM_MB


def _limited():
    limit = MEM_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_cli(*argv: str, env: dict | None = None, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    """The real entry point, ``python -m loaders``, with the same limits."""
    return subprocess.run([PY, "-m", "loaders", *argv], capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                          preexec_fn=_limited, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("name,command", [
    ("zip_bomb.xlsx", "csv"), ("xlsx_sparse_bomb.xlsx", "csv"), ("many_columns.csv", "csv"),
    ("deep_json.csv", "csv"), ("geo_zip_bomb.zip", "boundaries"), ("zip_bomb.xlsx", "boundaries"),
])
def test_real_entry_point(name, command, corpus, demo_db):
    before = state(demo_db)
    extra = ["--level", "district"] if command == "boundaries" else []
    p = run_cli(command, str(corpus / name), *extra, "--db", str(demo_db))
    assert p.returncode == 2 and TRACEBACK not in p.stderr and p.stderr.startswith(
        (name, "rejected")), p.stderr[-2000:]
    assert_no_write(before, state(demo_db), rejected_batch_allowed=command == "csv")


@pytest.mark.parametrize("command", ["csv", "boundaries"])
def test_not_a_regular_file(command, demo_db, tmp_path):
    """/dev/zero never ends, a FIFO never opens without a writer, a folder is no file: refused without reading."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    extra = ["--level", "district"] if command == "boundaries" else []
    for target in ("/dev/zero", str(fifo), str(tmp_path)):
        p = run_cli(command, target, *extra, "--db", str(demo_db), timeout=30)
        assert p.returncode == 2 and TRACEBACK not in p.stderr and "rejected" in p.stderr, (target, p.stderr)


def test_cli_refuses_an_oversize_file_before_reading_it(demo_db, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:  # sparse: 3 GB that take no disk
        fh.truncate(3 * 1024**3)
    before = state(demo_db)
    p = run_cli("csv", str(big), "--db", str(demo_db), timeout=30)
    assert p.returncode == 2 and "too large" in p.stderr and TRACEBACK not in p.stderr
    assert_no_write(before, state(demo_db), rejected_batch_allowed=False)
    small = run_cli("csv", str(ROOT / "tests" / "hostile" / "files" / "header_only.csv"), "--db", str(demo_db),
                    env={"WELLBEING_MAX_UPLOAD_MB": "0.00001"})
    assert small.returncode == 2 and "too large" in small.stderr


def test_zip_traversal_reads_and_writes_nothing_outside(corpus, demo_db):
    """Members named ../../evil.geojson or /tmp/… are refused before extraction; nothing lands outside."""
    p = run_cli("boundaries", str(corpus / "geo_zip_traversal.zip"), "--level", "subdistrict", "--db", str(demo_db))
    assert p.returncode == 2 and "outside the archive" in p.stderr
    assert not Path("/tmp/evil-hostile-corpus.shp").exists()
    assert not (corpus.parent.parent / "evil.geojson").exists()
