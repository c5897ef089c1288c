"""Boundary files with many vertices (issue 19, item 7): the load and the overview map built from what it stored.

``python -m benchmarks.boundary_vertices [--vertices 1000000,200000,50000]``

For each count, the demo store's eleven district shapes are written as GeoJSON with one of them (9301) densified to
about that many vertices; ``python -m loaders boundaries`` loads the file into a copy of the demo store (its time,
exit status and peak RSS), then the overview map is built cold
(:func:`indicators.present.queries.overview_map_figure`) and its size measured.  A figure to report, not an assertion.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import shapely

ROOT = Path(__file__).resolve().parents[1]

MAP = r"""
import json, sys, time
t0 = time.perf_counter()
from indicators.present import queries
fig = queries.overview_map_figure(sys.argv[1], "th")
took = time.perf_counter() - t0
print(json.dumps({"map_s": round(took, 2), "map_kb": round(len(fig["figure"].to_json()) / 1024, 1)
                  if isinstance(fig, dict) and "figure" in fig else None}))
"""


def _shapes_file(demo: Path, target: int, out: Path) -> int:
    from loaders.geometry import read_shapes
    from loaders.store import reader

    with reader(demo) as con:
        shapes = read_shapes(con, "district")
    g = shapes.geometry.iloc[0]
    length = g.exterior.length if g.geom_type == "Polygon" else sum(p.exterior.length for p in g.geoms)
    if target:
        g = shapely.segmentize(g, max(length / target, 1e-9))
    geoms = [g, *shapes.geometry.iloc[1:]]
    features = [{"type": "Feature", "properties": {"amphoe_code": c}, "geometry": shapely.geometry.mapping(x)}
                for c, x in zip(shapes.code, geoms, strict=True)]
    out.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return int(shapely.get_num_coordinates(g))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vertices", default="1000000,200000,50000,0")
    args = parser.parse_args(argv)
    from loaders.demo import build_demo

    with tempfile.TemporaryDirectory(prefix="bench-vertices-") as tmp:
        demo = Path(tmp) / "demo.duckdb"
        build_demo(demo)
        print(f"{'vertices':>10} {'load s':>7} {'exit':>4} {'peak MB':>8} {'map s':>6} {'map KB':>7}  message")
        for target in (int(v) for v in args.vertices.split(",")):
            db = Path(tmp) / f"s{target}" / "store.duckdb"
            db.parent.mkdir()
            shutil.copy(demo, db)
            f = Path(tmp) / f"d{target}.geojson"
            n = _shapes_file(demo, target, f)
            t0 = time.perf_counter()
            p = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "loaders", "boundaries", str(f),
                                "--level", "district", "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
            took = time.perf_counter() - t0
            peak = int(p.stderr.strip().splitlines()[-1]) / 1024
            message = next((ln for ln in p.stderr.splitlines() if ln.startswith("rejected")), "")[:90]
            m = subprocess.run([sys.executable, "-c", MAP, str(db)], cwd=ROOT, capture_output=True, text=True)
            fig = json.loads(m.stdout.strip().splitlines()[-1]) if m.returncode == 0 else {}
            print(f"{n:>10,} {took:>7.2f} {p.returncode:>4} {peak:>8.0f} {fig.get('map_s', '-'):>6} "
                  f"{fig.get('map_kb', '-'):>7}  {message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
