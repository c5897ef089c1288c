"""Every indicator value, progress row and index score for every area: the project against pandas and the floor.

``python -m benchmarks.indicators [--scales 1,10,77] [--repeat 5] [--cache-dir DIR] [--json]``

For each scale (number of provinces; 77 = the whole country) a seeded store is generated once with
:mod:`benchmarks.generate` and kept in ``--cache-dir`` (named by scale, years, seed and a hash of the generator's code,
so a changed generator makes a new file). Then, each in a fresh Python process so that its peak memory is its own:

* (a) **project, served**: ``indicator_values(db)``, ``progress_table(db)`` and ``index_table(db)`` (all areas, all
  levels) in a process that has not computed them: the in-process cache is emptied before every repeat, and the
  results materialised on disk for this store state (:mod:`indicators.engine.results`) are read — what every new process
  (a restarted dashboard, a command-line run, a second app server) pays;
* (a, compute): the same three calls with both caches emptied before every repeat: one computation from the
  observations (:mod:`indicators.engine.values`), including the progress series and the index, and saving them to disk —
  what the first reader after each write pays (the refresh per batch);
* (a, warm): the same three calls answered from the in-process cache (what a page sees after the first view);
* values SQL: :func:`indicators.engine.values.values_sql` run by DuckDB into Arrow (the SQL a server engine would run);
* (b) **pandas**: :mod:`benchmarks.pandas_reference` (read the store, pivot, group-by sums, least squares);
* (c) **floor**: open the store and run one scan-and-aggregate, ``SELECT measure_id, sum(value) FROM observations
  GROUP BY measure_id``.

Times are the best of ``--repeat`` runs (wall clock); the load average is printed beside them because other work on
the machine slows every figure. The project's numbers are checked against the reference (1e-9 relative) and a
mismatch makes the exit status 1. Budgets (DESIGN §9): (a) ≤ 1 s on 2 cores at national scale, ≥ 10× faster than (b),
≤ 3× (c). The ratios printed: served / floor, compute / floor, and pandas / compute (the reference computes, so it is
compared with the computation, not with reading stored results). They are printed, never asserted in tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S, BUDGET_VS_PANDAS, BUDGET_VS_FLOOR = 1.0, 10.0, 3.0
FLOOR_SQL = "SELECT measure_id, sum(value) FROM observations GROUP BY measure_id"
YEARS, SEED = 16, 1


# ------------------------------------------------------------------------------------------------------ stores


def province_spec(n: int) -> str:
    """The generator's ``--provinces`` for the first ``n`` provinces (Phatthalung, 93, always among them)."""
    if n >= 77:
        return "all"
    import geothai

    codes = ["93", *[p.code for p in geothai.provinces() if p.code != "93"]]
    return ",".join(codes[:n])  # one code ("93") is read as a code, not a count


def _generator_hash() -> str:
    h = hashlib.sha256()
    for rel in ("benchmarks/generate.py", "loaders/demo.py", "loaders/schema.py", "loaders/areas.py"):
        p = ROOT / rel
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:10]


def store(n: int, cache_dir: Path) -> Path:
    """The cached national-scale store with ``n`` provinces (generated when missing)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"wellbeing-p{n}-y{YEARS}-s{SEED}-{_generator_hash()}.duckdb"
    if not path.exists():
        from benchmarks.generate import generate

        tmp = path.with_suffix(".tmp.duckdb")
        for p in (tmp, Path(str(tmp) + ".wal")):
            p.unlink(missing_ok=True)
        info = generate(str(tmp), province_spec(n), YEARS, SEED)
        print(f"  generated {path.name}: {info}", file=sys.stderr)
        tmp.rename(path)
        for stale in cache_dir.glob(f"wellbeing-p{n}-y{YEARS}-s{SEED}-*.duckdb*"):  # made by an older generator
            if not stale.name.startswith(path.name):
                shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
    return path


# ------------------------------------------------------------------------------------------------------ steps


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _project(db: str) -> dict:
    from indicators.engine.tables import index_table, indicator_values, progress_table

    return {"values": indicator_values(db), "progress": progress_table(db), "index": index_table(db)}


def _clear_cache(db: str | None = None) -> None:
    """Empty the in-process cache (and with ``db``, that store's results on disk)."""
    from indicators.engine.tables import clear_cache

    clear_cache(db)


def _sql_values(db: str):
    """The values query as SQL (:func:`indicators.engine.values.values_sql`, for a server engine), to Arrow."""
    from indicators.engine.values import values_sql
    from loaders.store import reader

    with reader(db) as con:
        return con.sql(values_sql()).to_arrow_table()


def _floor(db: str):
    from loaders.store import reader

    with reader(db) as con:
        return con.sql(FLOOR_SQL).fetchall()


def _pandas(db: str):
    from benchmarks.pandas_reference import compute

    return compute(db)


def worker(step: str, db: str, repeat: int) -> dict:
    """Run one step ``repeat`` times in this process; times and peak memory."""
    import duckdb  # noqa: F401  (imports are not part of the timing)
    import pandas  # noqa: F401

    import indicators.engine.index  # noqa: F401
    import indicators.engine.progress  # noqa: F401

    base = _rss_mb()
    times = []
    if step in ("project", "project_warm"):
        _project(db)  # fill the caches once (the results on disk; for warm, this process's too)
    for _ in range(repeat):
        if step == "project":
            _clear_cache()
        elif step == "project_compute":
            _clear_cache(db)
        func = {"project": _project, "project_warm": _project, "project_compute": _project,
                "sql_values": _sql_values, "floor": _floor, "pandas": _pandas}[step]
        t0 = time.perf_counter()
        out = func(db)
        times.append(time.perf_counter() - t0)
        del out
    return {"step": step, "times": times, "best_s": min(times), "rss_base_mb": base, "rss_peak_mb": _rss_mb()}


def check(db: str) -> list[str]:
    """Differences between the project and the pandas reference on one store."""
    from benchmarks.pandas_reference import compare, compute

    _clear_cache()
    return compare(_project(db), compute(db))


def _run_worker(step: str, db: Path, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.indicators", "--worker", step, "--db", str(db), "--repeat", str(repeat)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{step} on {db}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _counts(db: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("""SELECT (SELECT count(*) FROM observations),
            (SELECT count(*) FROM areas WHERE level = 'province'),
            (SELECT count(*) FROM areas WHERE level = 'district'),
            (SELECT count(*) FROM areas WHERE level = 'subdistrict')""").fetchall()[0]
    finally:
        con.close()
    return dict(zip(("observations", "provinces", "districts", "subdistricts"), rows, strict=True))


def measure(scales: list[int], repeat: int, cache_dir: Path, verify: bool = True) -> list[dict]:
    results = []
    for n in scales:
        db = store(n, cache_dir)
        row = {"scale": n, **_counts(db), "db_mb": db.stat().st_size / 2**20, "load_before": os.getloadavg()[0]}
        small = row["observations"] < 500_000
        reps = repeat * (3 if small else 1)
        for step in ("floor", "project_compute", "project", "project_warm", "sql_values", "pandas"):
            r = _run_worker(step, db, reps if step != "pandas" else max(2, reps // 2))
            row[step] = r
        row["load_after"] = os.getloadavg()[0]
        from indicators.engine.results import root

        row["results_mb"] = sum(f.stat().st_size for f in root(db).rglob("*") if f.is_file()) / 2**20
        if verify:
            sys.path.insert(0, str(ROOT))
            row["problems"] = check(str(db))
        results.append(row)
        print(f"  measured {n} province(s): project {row['project']['best_s']:.3f} s", file=sys.stderr)
    return results


def table(results: list[dict]) -> str:
    """The side-by-side table (markdown)."""
    lines = [
        "| provinces | subdistricts | observations | DB MB | results MB | floor (c) s | project (a) served s "
        "| a, compute s | a, warm s | values SQL s | pandas (b) s | served / c | compute / c | b / compute "
        "| peak MB served | peak MB compute | peak MB b | load | same numbers |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        a, b, c = (r[k]["best_s"] for k in ("project", "pandas", "floor"))
        comp, warm, sql = (r[k]["best_s"] for k in ("project_compute", "project_warm", "sql_values"))
        same = "—" if "problems" not in r else ("yes" if not r["problems"] else f"NO ({len(r['problems'])})")
        lines.append(
            f"| {r['provinces']} | {r['subdistricts']:,} | {r['observations']:,} | {r['db_mb']:.1f} | "
            f"{r.get('results_mb', 0):.1f} | {c:.3f} | {a:.3f} | {comp:.3f} | {warm:.3f} | {sql:.3f} | {b:.2f} | "
            f"{a / c:.1f}× | {comp / c:.1f}× | {b / comp:.1f}× | {r['project']['rss_peak_mb']:.0f} | "
            f"{r['project_compute']['rss_peak_mb']:.0f} | {r['pandas']['rss_peak_mb']:.0f} | "
            f"{r['load_before']:.1f}–{r['load_after']:.1f} | {same} |"
        )
    return "\n".join(lines)


def verdict(results: list[dict]) -> str:
    r = max(results, key=lambda x: x["observations"])
    a, b, c = (r[k]["best_s"] for k in ("project", "pandas", "floor"))
    comp = r["project_compute"]["best_s"]
    marks = [
        f"(a) served {a:.3f} s, compute {comp:.3f} s {'≤' if max(a, comp) <= BUDGET_S else '>'} {BUDGET_S} s",
        f"b / compute {b / comp:.1f}× {'≥' if b / comp >= BUDGET_VS_PANDAS else '<'} {BUDGET_VS_PANDAS:g}×",
        f"served / c {a / c:.1f}× {'≤' if a / c <= BUDGET_VS_FLOOR else '>'} {BUDGET_VS_FLOOR:g}×",
        f"compute / c {comp / c:.1f}×",
    ]
    return f"budgets at {r['provinces']} provinces: " + "; ".join(marks)


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import duckdb
    import pandas

    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB, load {os.getloadavg()[0]:.2f}; Python "
            f"{sys.version.split()[0]}, DuckDB {duckdb.__version__}, pandas {pandas.__version__}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,77", help="numbers of provinces (77 = all)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache-dir", default=str(Path(tempfile.gettempdir()) / "wellbeing-bench"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-check", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.db, args.repeat)))
        return 0
    results = measure([int(s) for s in args.scales.split(",")], args.repeat, Path(args.cache_dir),
                      verify=not args.no_check)
    if args.json:
        print(json.dumps(results, indent=1))
    print(machine())
    print(table(results))
    print(verdict(results))
    bad = [p for r in results for p in r.get("problems", [])]
    for p in bad:
        print("MISMATCH", p)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
