"""The embedded demo: official areas, schematic shapes and seeded, plausible yearly series (2558–2569 BE).

Every subdistrict gets a path per domain (improving, stagnating or worsening) so that the dashboard shows a
realistic mix of statuses; some values are missing on purpose.  Same seed, same numbers.  The same function fills
the test stores, so the demo and the tests share it.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from indicators.registry import BE_OFFSET, DOMAINS, MODEL_SUBDISTRICT, load_registry
from loaders.areas import official_areas, upsert_areas
from loaders.demo_shapes import SCHEMATIC, schematic_shapes
from loaders.geometry import store_geometries
from loaders.observations import create_batch, finish_batch, write_observations
from loaders.store import set_meta, writer

YEARS = np.arange(2015, 2027)  # 2558–2569 BE: to the 2568 baseline, and the year since (not all councils yet)
# Province visitors by year (reference figures in SOURCES.md for 2019–2023; the rest interpolated plausibly)
PROVINCE_VISITORS = dict(
    zip(YEARS.tolist(), [1.30e6, 1.38e6, 1.45e6, 1.53e6, 1.63e6, 0.74e6, 0.32e6, 0.62e6, 1.40e6, 1.52e6, 1.61e6,
                         1.68e6],
        strict=True)
)
PROVINCE_OCCUPANCY = dict(
    zip(YEARS.tolist(), [58, 60, 61, 63, 65, 33, 12, 40, 62, 64, 66, 67], strict=True)
)


def _series(rng, n: int, ny: int, start_lo: float, start_hi: float, slopes: np.ndarray, noise: float) -> np.ndarray:
    """(n, years) array: a start value, a per-area yearly slope, and noise."""
    t = np.arange(ny)
    start = rng.uniform(start_lo, start_hi, n)[:, None]
    return start + slopes[:, None] * t[None, :] + rng.normal(0, noise, (n, ny))


def demo_frame(seed: int = 2568) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Areas and observations (long: area_code, measure_id, year, value) of the demo, without touching a store."""
    areas = official_areas()
    subs = areas[areas.level == "subdistrict"]
    return areas, synthetic_observations(subs, YEARS, seed)


def synthetic_observations(subs: pd.DataFrame, years: np.ndarray, seed: int, gaps: bool = True) -> pd.DataFrame:
    """Seeded plausible series of every registry measure for the subdistricts ``subs`` over ``years`` (CE).

    Sizes are those of an average Phatthalung subdistrict, so the same function makes the province demo and the
    national-scale benchmark store.  With ``gaps``, some values are left out on purpose.
    """
    rng = np.random.default_rng(seed)
    subs = subs.sort_values("code").reset_index(drop=True)
    n, ny = len(subs), len(years)
    t = np.arange(ny)
    since = {y: np.asarray(years) - y for y in (2018, 2019, 2021, 2023)}  # years since a reference year
    # path per subdistrict and domain: +1 improving, 0 stagnating, -1 worsening
    paths = {d: rng.choice([1, 0, -1], size=n, p=[0.5, 0.3, 0.2]) for d in DOMAINS}
    model = subs.index[subs.code == MODEL_SUBDISTRICT]
    for d in DOMAINS:
        paths[d][model] = 1

    def slope(domain: str, good: float, flat: float, bad: float) -> np.ndarray:
        p = paths[domain]
        jitter = rng.uniform(0.7, 1.3, n)
        return np.where(p == 1, good, np.where(p == 0, flat, bad)) * jitter

    pop0 = rng.lognormal(np.log(7600), 0.45, n)
    pop0 *= 525_000 * n / 65 / pop0.sum()
    growth = rng.uniform(-0.002, 0.006, n)
    population = pop0[:, None] * (1 + growth[:, None]) ** since[2018][None, :]
    households = population / rng.uniform(2.8, 3.4, n)[:, None]
    v: dict[str, np.ndarray] = {"population": population, "households": households}

    poor_share = np.clip(_series(rng, n, ny, 4, 18, slope("poverty", -0.55, -0.05, 0.35), 0.4), 0.2, 40) / 100
    v["poor_households"] = households * poor_share
    tp_rate = np.clip(_series(rng, n, ny, 1, 6, slope("poverty", -0.35, 0.0, 0.15), 0.15), 0.05, 20) / 100
    v["poor_people"] = population * tp_rate
    for m, lo, hi in [("poor_income", 0.5, 0.7), ("poor_living", 0.2, 0.4), ("poor_education", 0.1, 0.3),
                      ("poor_health", 0.05, 0.2), ("poor_access", 0.1, 0.25)]:
        v[m] = v["poor_people"] * rng.uniform(lo, hi, n)[:, None]
    ipp = rng.uniform(45_000, 110_000, n)[:, None] * (1 + slope("poverty", 0.045, 0.008, -0.01)[:, None]) ** t
    ipp = ipp * np.where(np.isin(years, [2020, 2021]), 0.95, 1.0)[None, :] * rng.normal(1, 0.02, (n, ny))
    v["household_income_total"] = ipp * population
    need = households * rng.uniform(0.02, 0.06, n)[:, None]
    v["homes_needing_repair"] = need
    repaired = _series(rng, n, ny, 5, 20, slope("poverty", 6.0, 0.5, -0.5), 1.0)
    v["homes_repaired"] = need * np.clip(repaired, 0, 100) / 100

    weight = rng.lognormal(0, 1.0, n)
    weight /= weight.sum()
    trend = (1 + slope("tourism", 0.05, 0.0, -0.04)[:, None]) ** since[2019][None, :]
    prov_vis = np.interp(years, list(PROVINCE_VISITORS), list(PROVINCE_VISITORS.values()))[None, :] * n / 65
    visitors = weight[:, None] * prov_vis * trend * rng.normal(1, 0.05, (n, ny))
    foreign_share = rng.uniform(0.02, 0.07, n)[:, None]
    v["visitors_thai"] = visitors * (1 - foreign_share)
    v["visitors_foreign"] = visitors * foreign_share
    v["tourism_revenue"] = visitors * rng.uniform(2_400, 3_600, n)[:, None] / 1e6
    rooms = np.round(rng.lognormal(np.log(40), 0.9, n))
    v["room_nights_available"] = np.repeat((rooms * 365)[:, None], ny, axis=1)
    occ = np.interp(years, list(PROVINCE_OCCUPANCY), list(PROVINCE_OCCUPANCY.values()))[None, :]
    occ = occ * rng.uniform(0.75, 1.15, n)[:, None]
    occ = occ + slope("tourism", 1.0, 0.0, -1.5)[:, None] * since[2023][None, :].clip(0) + rng.normal(0, 2, (n, ny))
    v["room_nights_sold"] = v["room_nights_available"] * np.clip(occ, 2, 98) / 100

    land = rng.uniform(8_000, 60_000, n)
    v["land_area_rai"] = np.repeat(land[:, None], ny, axis=1)
    cover = np.clip(_series(rng, n, ny, 2, 35, slope("resources", 0.35, 0.0, -0.4), 0.3), 0, 95) / 100
    v["forest_area_rai"] = v["land_area_rai"] * cover
    v["community_managed_rai"] = v["land_area_rai"] * np.clip(
        _series(rng, n, ny, 0, 6, slope("resources", 0.5, 0.02, -0.2), 0.1), 0, 50) / 100
    v["water_quality_index"] = np.clip(_series(rng, n, ny, 50, 80, slope("resources", 0.9, 0.0, -0.9), 2.5), 0, 100)

    v["happiness_score"] = np.clip(_series(rng, n, ny, 6.0, 7.6, slope("well-being", 0.08, 0.0, -0.06), 0.12), 0, 10)
    v["member_households"] = households * np.clip(
        _series(rng, n, ny, 30, 60, slope("well-being", 2.0, 0.1, -1.0), 1.5), 0, 100) / 100
    v["youth_out"] = population * rng.uniform(15, 25, n)[:, None] / 1000 * rng.normal(1, 0.05, (n, ny))
    youth_in_rate = _series(rng, n, ny, 10, 20, slope("well-being", 0.9, 0.05, -0.4), 0.8).clip(0)
    v["youth_in"] = population * youth_in_rate / 1000
    fund = np.clip(rng.uniform(4, 12, n)[:, None] + slope("well-being", 6.0, 1.0, 0.2)[:, None]
                   * since[2021][None, :], 0, 100) / 100
    fund[:, np.asarray(years) < 2021] = np.nan  # the fund began in 2564 BE
    v["fund_member_households"] = households * fund

    registry = load_registry()
    frames = []
    for measure_id, arr in v.items():
        kind = registry.measure(measure_id).kind
        vals = np.round(arr) if kind == "count" else np.round(arr, 2)
        frames.append(pd.DataFrame({
            "area_code": np.repeat(subs.code.to_numpy(), ny),
            "measure_id": measure_id,
            "year": np.tile(np.asarray(years), n),
            "value": vals.ravel(),
        }))
    obs = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    if not gaps:
        assert set(obs.measure_id) <= set(registry.measures), "demo measure missing from the registry"
        return obs.reset_index(drop=True)
    # gaps: a few cells at random, and three councils that have not reported the last two years of surveys
    keep = (rng.random(len(obs)) > 0.03) | (obs.area_code == MODEL_SUBDISTRICT).to_numpy()  # the model reports all
    late = subs.code.sample(3, random_state=seed).tolist()
    survey = ["happiness_score", "member_households", "water_quality_index"]
    last = int(years[-1])
    keep &= ~(obs.area_code.isin(late) & obs.measure_id.isin(survey) & (obs.year >= last - 1)).to_numpy()
    one_year = subs.code[(subs.code != MODEL_SUBDISTRICT) & ~subs.code.isin(late)].iloc[-1]
    keep &= ~((obs.area_code == one_year) & (obs.measure_id == "happiness_score") & (obs.year < last)).to_numpy()
    not_yet = subs.code[subs.code != MODEL_SUBDISTRICT].sample(frac=0.15, random_state=seed + 1)
    keep &= ~(obs.area_code.isin(not_yet) & (obs.year == last)).to_numpy()  # this year's figures not sent yet
    obs = obs[keep].reset_index(drop=True)
    assert set(obs.measure_id) <= set(registry.measures), "demo measure missing from the registry"
    return obs


def build_demo(db: str | os.PathLike[str] | None = None, seed: int = 2568) -> dict:
    """Fill a store with the demo (areas, schematic shapes, series) in one transaction; return a summary."""
    areas, obs = demo_frame(seed)
    shapes = schematic_shapes(areas, seed)
    with writer(db) as con:
        con.execute("DELETE FROM observations")
        con.execute("DELETE FROM observation_history")
        con.execute("DELETE FROM batch_problems")
        con.execute("DELETE FROM batches")
        upsert_areas(con, areas)
        store_geometries(con, shapes, SCHEMATIC)
        batch = create_batch(con, kind="demo", source="demo", status="loading", file_name=f"demo seed {seed}",
                             uploaded_by="demo", rows_read=len(obs))
        changed = write_observations(con, obs, batch)
        finish_batch(con, batch, status="loaded", rows_loaded=len(obs), values_changed=changed)
        set_meta(con, "demo", f"seed {seed}")
        set_meta(con, "geometry_source", SCHEMATIC)
    return {
        "areas": len(areas),
        "shapes": len(shapes),
        "observations": len(obs),
        "measures": int(obs.measure_id.nunique()),
        "years_be": [int(YEARS[0]) + BE_OFFSET, int(YEARS[-1]) + BE_OFFSET],
        "batch_id": batch,
        "seed": seed,
    }
