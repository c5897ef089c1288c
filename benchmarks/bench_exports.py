"""Export timings: cold and warm PNG (budget: warm PNG ≤ 0.5 s), SVG, PDF, tables and the district report.

    python -m benchmarks.bench_exports [--db PATH] [--repeat N] [--report]

Builds a demo store in a temporary folder unless ``--db`` is given.  Prints one JSON document; exit 1 when the warm
PNG median is over budget.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

BUDGET_WARM_PNG = 0.5  # seconds


def _time(func, repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        out.append(time.perf_counter() - start)
    return out


def run(db: str | None = None, repeat: int = 10, report: bool = False) -> dict:
    from indicators.export_cli import table_frame
    from indicators.present.exports import figure_bytes, table_bytes
    from indicators.present.report import chart_figure, district_report
    from loaders.demo import build_demo

    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-exports-")
        db = str(Path(tmp.name) / "demo.duckdb")
        build_demo(db)
    fig = chart_figure("9301", "happiness", db=db)
    result: dict = {"cold_png_s": round(_time(lambda: figure_bytes(fig, "png"))[0], 3)}
    warm = _time(lambda: figure_bytes(fig, "png"), repeat)
    result["warm_png_median_s"] = round(statistics.median(warm), 3)
    result["warm_png_min_s"] = round(min(warm), 3)
    for fmt in ("svg", "pdf", "html"):
        result[f"warm_{fmt}_median_s"] = round(statistics.median(_time(lambda f=fmt: figure_bytes(fig, f), 3)), 3)
    frame = table_frame("progress", db=db)
    result["progress_rows"] = len(frame)
    for fmt in ("csv", "xlsx", "parquet"):
        result[f"table_{fmt}_s"] = round(_time(lambda f=fmt: table_bytes(frame, f))[0], 3)
    if report:
        result["report_html_s"] = round(_time(lambda: district_report("9301", db=db, fmt="html"))[0], 3)
        result["report_pdf_s"] = round(_time(lambda: district_report("9301", db=db, fmt="pdf"))[0], 3)
    result["budget_warm_png_s"] = BUDGET_WARM_PNG
    result["within_budget"] = result["warm_png_median_s"] <= BUDGET_WARM_PNG
    if tmp is not None:
        tmp.cleanup()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_exports", description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a store to read (default: a fresh demo in a temporary folder)")
    parser.add_argument("--repeat", type=int, default=10, help="warm PNG exports to time (default 10)")
    parser.add_argument("--report", action="store_true", help="also time the district report (HTML and PDF)")
    args = parser.parse_args(argv)
    result = run(args.db, args.repeat, args.report)
    print(json.dumps(result, indent=2))
    return 0 if result["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
