"""Every benchmark in one go (``make bench``): indicators at 1/10/77 provinces, pages, a 100,000-row upload, exports.

``python -m benchmarks [--quick] [--only indicators,pages,upload,exports] [--repeat N]``

Each benchmark runs in its own process (so one that fails, e.g. exports without Chromium, does not stop the others)
and its output is printed as it comes; a summary follows. ``--quick`` measures the indicators at 1 and 10 provinces
only and the pages on the demo store only. Figures are printed, never asserted; the exit status is 1 when a
benchmark fails or the project's numbers differ from the pandas reference. ``--only upload-worker`` (never by
default: it takes minutes) runs ``benchmarks.upload_worker``: other sessions while a 1,000,000-row workbook is
checked.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(name: str, args: list[str]) -> dict:
    print(f"\n=== {name}: python {' '.join(args)}", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, check=False, text=True, capture_output=True)
    elapsed = time.perf_counter() - t0
    print(proc.stdout, end="", flush=True)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr, flush=True)
    return {"name": name, "rc": proc.returncode, "seconds": elapsed, "stdout": proc.stdout}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="indicators,pages,upload,exports")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    scales = "1,10" if args.quick else "1,10,77"
    runs = []
    if "indicators" in only:
        runs.append(_run("indicators", ["-m", "benchmarks.indicators", "--scales", scales,
                                        "--repeat", str(args.repeat)]))
    if "pages" in only:
        runs.append(_run("pages (province, demo store)", ["-m", "benchmarks.pages"]))
        if not args.quick:
            from benchmarks.indicators import store

            cache = Path(tempfile.gettempdir()) / "wellbeing-bench"
            national = store(77, cache)
            runs.append(_run("pages (national store)", ["-m", "benchmarks.pages", "--db", str(national),
                                                        "--runs", "3"]))
    if "upload" in only:
        runs.append(_run("upload 100k rows", ["-m", "benchmarks.upload_100k"]))
    if "exports" in only:
        runs.append(_run("exports", ["-m", "benchmarks.bench_exports"]))
    if "upload-worker" in only:  # asked for by name only: it takes minutes
        keep = Path(tempfile.gettempdir()) / "wellbeing-bench"
        runs.append(_run("upload 1,000,000-row workbook", ["-m", "benchmarks.upload_worker", "--keep", str(keep)]))

    print("\n=== summary")
    load = os.getloadavg()
    print(f"load average now {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    print(f"{'benchmark':<32} {'exit':>4} {'took s':>8}  last line")
    for r in runs:
        last = next((line for line in reversed(r["stdout"].splitlines()) if line.strip()), "")
        print(f"{r['name']:<32} {r['rc']:>4} {r['seconds']:>8.1f}  {last[:110]}")
    return 1 if any(r["rc"] for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
