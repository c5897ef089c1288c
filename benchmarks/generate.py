"""A seeded national-scale store: every province, district and subdistrict of Thailand from geothai.

``python -m benchmarks.generate --db /tmp/national.duckdb [--provinces all|93,90|first:N] [--years 16]``
writes through the normal loader path (the store's writer, one batch, history), like any upload.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from loaders.areas import official_areas, upsert_areas
from loaders.demo import synthetic_observations
from loaders.observations import create_batch, finish_batch, write_observations
from loaders.store import writer


def province_codes(spec: str) -> list[str]:
    """``all``; a comma list of codes (``93,90``; one code alone is a code); or ``first:N`` (93 and N − 1 more)."""
    if spec == "all":
        return ["all"]
    if spec.startswith("first:"):
        import geothai

        codes = [p.code for p in geothai.provinces() if p.code != "93"]
        return ["93", *codes[: int(spec.split(":", 1)[1]) - 1]]
    return spec.split(",")


def generate(db: str, provinces: str = "all", years: int = 16, seed: int = 1) -> dict:
    """Build the store; return counts and the time taken."""
    start = time.perf_counter()
    areas = official_areas(province_codes(provinces))
    subs = areas[areas.level == "subdistrict"]
    span = np.arange(2026 - years, 2026)
    obs = synthetic_observations(subs, span, seed)
    made = time.perf_counter()
    with writer(db) as con:
        upsert_areas(con, areas)
        batch = create_batch(con, kind="benchmark", source="demo", status="loading", file_name="generate.py",
                             uploaded_by="benchmark", rows_read=len(obs))
        changed = write_observations(con, obs, batch)
        finish_batch(con, batch, status="loaded", rows_loaded=len(obs), values_changed=changed)
    return {
        "provinces": int((areas.level == "province").sum()),
        "districts": int((areas.level == "district").sum()),
        "subdistricts": len(subs),
        "years": years,
        "measures": int(obs.measure_id.nunique()),
        "observations": len(obs),
        "generate_s": round(made - start, 2),
        "write_s": round(time.perf_counter() - made, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--provinces", default="all")
    parser.add_argument("--years", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(generate(args.db, args.provinces, args.years, args.seed))


if __name__ == "__main__":
    main()
