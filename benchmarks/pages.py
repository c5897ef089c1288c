"""Warm server run time of each dashboard page (Streamlit AppTest), on the demo store or any store.

``python -m benchmarks.pages [--db PATH] [--runs 5]``

Each page is run once cold (queries computed, figures built) and then ``--runs`` times warm (the cache keyed on the
database's change time answers).  Printed, never asserted.  Budget (DESIGN §9): ≤ 0.3 s warm at province scale,
≤ 1.5 s at national scale (a store with more than one province).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [f"app_pages/{name}.py" for name in ("overview", "area", "compare", "map", "methods", "reporting")]
BUDGET, NATIONAL_BUDGET = 0.3, 1.5


def measure(db: str, runs: int = 5, area: str = "9303") -> list[dict]:
    from streamlit.testing.v1 import AppTest

    os.environ["WELLBEING_DB"] = db
    rows = []
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        if page != PAGES[0]:
            at.run()  # the overview, then switch
            at.switch_page(page)
        if page.endswith("area.py"):
            at.query_params["area"] = area
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        if at.exception:
            raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
        warm = []
        for _ in range(runs):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        rows.append({"page": page, "cold_s": cold, "warm_median_s": statistics.median(warm), "warm_min_s": min(warm)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a store to read (default: a fresh demo store in a temporary folder)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from loaders.demo import build_demo

            db = str(Path(tmp) / "demo.duckdb")
            build_demo(db)
        rows = measure(db, args.runs)
        budget = NATIONAL_BUDGET if _provinces(db) > 1 else BUDGET
    print(f"{'page':<22} {'cold s':>8} {'warm s (median)':>16} {'warm s (min)':>13} {f'÷ {budget} s':>9}")
    for r in rows:
        print(f"{r['page']:<22} {r['cold_s']:>8.3f} {r['warm_median_s']:>16.3f} {r['warm_min_s']:>13.3f}"
              f" {r['warm_median_s'] / budget:>9.2f}")


def _provinces(db: str) -> int:
    from loaders.store import reader

    with reader(db) as con:
        return con.execute("SELECT count(*) FROM areas WHERE level = 'province'").fetchall()[0][0]


if __name__ == "__main__":
    main()
