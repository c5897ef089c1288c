"""A 100,000-row council upload: generate a long CSV for the 65 subdistricts, load it into a temporary store.

``python -m benchmarks.upload_100k [--rows 100000] [--format csv|xlsx|xlsx-text] [--keep DIR]``

Prints rows/s for the whole of :func:`loaders.uploads.load_file` (archive, decode, check, one write transaction),
its parts, and peak memory: Python allocations (tracemalloc, in a second run) and the process's peak RSS.
Budget (DESIGN §9): ≤ 3 s and ≤ 500 MB on 2 cores; a figure to report, not an assertion.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from indicators.registry import load_registry
from loaders.areas import official_areas, upsert_areas
from loaders.store import writer


def generate_csv(rows: int = 100_000, seed: int = 1) -> bytes:
    """Long form ``ตำบล,ปี พ.ศ.,ตัวชี้วัด,ค่า``: codes and Thai names, BE years, thousands separators; all valid."""
    rng = np.random.default_rng(seed)
    registry = load_registry()
    subs = official_areas().query("level == 'subdistrict'")
    names = dict(zip(subs.code, subs.name_th, strict=True))
    ambiguous = set(subs.name_th[subs.name_th.duplicated(keep=False)])
    measures = [(mid, registry.measures[mid]) for mid in registry.council_measures]  # what councils send
    depth = {}  # 0 for a whole, 1 for a part, 2 for a part of a part: parts stay below their wholes
    for mid, m in measures:
        d, up = 0, m.part_of
        while up:
            d, up = d + 1, registry.measures[up].part_of
        depth[mid] = d
    out = io.StringIO()
    out.write("ตำบล,ปี พ.ศ.,ตัวชี้วัด,ค่า\n")
    n = 0
    for year_be in range(2540, 2601):
        for code in subs.code:
            for mid, m in measures:
                if n >= rows:
                    return out.getvalue().encode("utf-8")
                lo, hi = m.valid_range
                if m.kind in ("score", "rate") or hi < 10_000:
                    value = f"{rng.uniform(lo, hi):.2f}"
                elif depth[mid] == 2:
                    value = f"{int(rng.integers(0, 1000)):,}"
                elif depth[mid] == 1:
                    value = f"\"{int(rng.integers(1000, 5000)):,}\""
                else:
                    value = f"\"{int(rng.integers(5_000, min(hi, 900_000))):,}\""
                name = names[code]
                area = code if (n % 3 == 0 or name in ambiguous) else f"ต.{name}"
                out.write(f"{area},{year_be},{mid},{value}\n")
                n += 1
    return out.getvalue().encode("utf-8")


def fresh_store(folder: Path) -> Path:
    path = folder / "bench.duckdb"
    for p in (path, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)
    with writer(path) as con:
        upsert_areas(con, official_areas())
    return path


def to_xlsx(data: bytes, as_text: bool = False) -> bytes:
    """The CSV as a workbook the way Excel saves one: numbers as numeric cells, a ``<dimension>`` element, names as
    shared strings. ``as_text``: the worst case instead — every cell a text cell ("1,234") and no dimension (what a
    streaming writer makes), which the reader must scan twice."""
    import csv

    from openpyxl import Workbook

    wb = Workbook(write_only=as_text)
    ws = wb.create_sheet() if as_text else wb.active
    for i, row in enumerate(csv.reader(io.StringIO(data.decode("utf-8")))):
        if not as_text and i:
            row = [_number(v) for v in row]
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _number(text: str):
    """A number typed into Excel is stored as a number (its display format keeps the separators)."""
    try:
        v = float(text.replace(",", ""))
    except ValueError:
        return text
    return int(v) if v.is_integer() else v


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx", "xlsx-text"], default="csv")
    parser.add_argument("--keep", metavar="DIR", help="keep the store and file in DIR")
    args = parser.parse_args(argv)

    from loaders.area_names import AreaIndex
    from loaders.council_files import check_table, read_table
    from loaders.uploads import load_file

    data = generate_csv(args.rows)
    name = "bench.csv"
    if args.format.startswith("xlsx"):
        data, name = to_xlsx(data, as_text=args.format == "xlsx-text"), "bench.xlsx"
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="upload-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB {args.format}; cores: {os.cpu_count()}")

    # parts, for the record
    t0 = time.perf_counter()
    table = read_table(data, name)
    t1 = time.perf_counter()
    checked = check_table(table, load_registry(), AreaIndex(official_areas()))
    t2 = time.perf_counter()
    assert not checked.problems, checked.problems.sorted()[:3]
    print(f"  read/decode {t1 - t0:.2f} s, check {t2 - t1:.2f} s ({len(checked.frame):,} values)")
    del table, checked

    db = fresh_store(folder)
    t0 = time.perf_counter()
    report = load_file(data, name, db=db)
    elapsed = time.perf_counter() - t0
    assert report.status == "loaded", report.message_en
    print(f"load_file: {report.rows_loaded:,} rows in {elapsed:.2f} s = {report.rows_loaded / elapsed:,.0f} rows/s "
          f"(budget 3 s)")

    db = fresh_store(folder)
    tracemalloc.start()
    report = load_file(data, name, db=db)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak Python allocations during load_file (tracemalloc): {peak / 1e6:.0f} MB")
    print(f"peak RSS of the whole process (imports, generator, DuckDB included): {rss:.0f} MB (budget 500 MB)")
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
