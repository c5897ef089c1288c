"""The Happiness Metropolis Index (DESIGN §5): normalised indicators, domain scores, the index, sensitivity, equity.

* Each indicator with ``in_index: true`` is scored 0–100 between its registry bounds, direction-aware and clipped:
  ``100 × (value − lower) / (upper − lower)`` when higher is better, ``100 × (upper − value) / (upper − lower)`` when
  lower is better.
* A domain's score is the mean of its available scores; it is left blank (NaN) when under half of its indicators have
  a value for that area and year (``n_available`` of ``n_indicators`` fed it).
* The index (``domain = "hmi"``) is the weighted mean of the domains present (equal weights by default, rescaled over
  the domains present); blank when under half of the weighted domains are present. ``n_available`` counts domains.
* Only complete values count (DESIGN §5 "Coverage"): an indicator whose district or province value is incomplete
  that year is left out like a missing one, and the score's ``complete`` is False (shown, marked, never a latest year).
* ``method="geometric"`` uses weighted geometric means at both steps instead; a score below the index's
  ``geometric_floor`` (1 point) is raised to it first, so a single zero does not zero the whole index.

Computed on the dense indicator arrays of :mod:`indicators.engine.values`; :func:`index_sql` states the same arithmetic
as SQL over the values query.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.engine.values import Dense, _lit, categorical
from indicators.registry import DOMAINS, IndexSpec, Registry

HMI = "hmi"
INDEX_DOMAINS = (*DOMAINS, HMI)
DOMAIN_DTYPE = pd.CategoricalDtype(list(INDEX_DOMAINS))  # sorts in the table's order, the index last
COLUMNS = ["area_code", "level", "parent_code", "year", "domain", "score", "n_available", "n_indicators", "complete"]
SENSITIVITY_COLUMNS = [
    "area_code", "level", "parent_code", "year", "score_arithmetic", "score_geometric", "rank_arithmetic",
    "rank_geometric", "rank_shift",
]
EQUITY_COLUMNS = [
    "indicator_id", "domain", "direction", "year", "best_area", "best_value", "worst_area", "worst_value", "gap",
    "province_value", "n_districts",
]


def _weights(spec: IndexSpec, weights: dict[str, float] | None) -> dict[str, float]:
    w = dict(spec.weights)
    if weights:
        unknown = set(weights) - set(DOMAINS)
        if unknown:
            raise ValueError(f"unknown domain(s) in weights: {sorted(unknown)} (known: {', '.join(DOMAINS)})")
        w.update({k: float(v) for k, v in weights.items()})
    if any(v < 0 for v in w.values()) or sum(w.values()) <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    total = sum(w.values())
    return {k: v / total for k, v in w.items()}


def index_sql(
    registry: Registry, spec: IndexSpec, weights: dict[str, float], method: str, values_sql: str
) -> str:
    """The SELECT giving :data:`COLUMNS` from a values query (which may be filtered)."""
    if method not in ("arithmetic", "geometric"):
        raise ValueError(f"method must be 'arithmetic' or 'geometric', not {method!r}")
    inds = [i for i in registry.indicators.values() if i.in_index]
    spec_rows = ", ".join(
        f"({_lit(i.id)}, {_lit(i.domain)}, {1 if i.direction == 'higher' else -1}, "
        f"{float(i.bounds.lower)!r}, {float(i.bounds.upper)!r})" for i in inds
    )
    counts = {d: sum(1 for i in inds if i.domain == d) for d in DOMAINS}
    dom_rows = ", ".join(f"({_lit(d)}, {counts[d]}, {weights[d]!r})" for d in DOMAINS)
    n_weighted = sum(1 for d in DOMAINS if weights[d] > 0)
    floor = float(spec.geometric_floor)
    if method == "arithmetic":
        dom_agg = "avg(n.score)"
        hmi_agg = "sum(CASE WHEN {ok} THEN d.weight * d.score END) / sum(CASE WHEN {ok} THEN d.weight END)"
    else:
        dom_agg = f"exp(avg(ln(greatest(n.score, {floor!r}))))"
        hmi_agg = (f"exp(sum(CASE WHEN {{ok}} THEN d.weight * ln(greatest(d.score, {floor!r})) END)"
                   " / sum(CASE WHEN {ok} THEN d.weight END))")
    hmi_agg = hmi_agg.format(ok="d.score IS NOT NULL AND d.weight > 0")
    return f"""
WITH v AS ({values_sql}),
ispec(indicator_id, domain, sgn, lo, hi) AS (VALUES {spec_rows}),
dspec(domain, n_indicators, weight) AS (VALUES {dom_rows}),
vi AS (SELECT v.*, s.domain, s.sgn, s.lo, s.hi FROM v JOIN ispec s USING (indicator_id)),
cells AS (SELECT DISTINCT area_code, level, parent_code, year FROM vi),
norm AS (
  SELECT area_code, year, domain,
         greatest(0.0, least(100.0, CASE WHEN sgn > 0 THEN 100.0 * (value - lo) / (hi - lo)
                                          ELSE 100.0 * (hi - value) / (hi - lo) END)) AS score
  FROM vi WHERE value IS NOT NULL AND isfinite(value) AND complete
),
lefts AS (SELECT area_code, year, domain, count(*) AS n_left FROM vi WHERE value IS NOT NULL AND NOT complete
          GROUP BY ALL),
dagg AS (SELECT n.area_code, n.year, n.domain, {dom_agg} AS score, count(*) AS n_available
         FROM norm n GROUP BY ALL),
doms AS (
  SELECT c.area_code, c.level, c.parent_code, c.year, ds.domain, ds.weight,
         CASE WHEN 2 * coalesce(a.n_available, 0) >= ds.n_indicators THEN a.score END AS score,
         coalesce(a.n_available, 0) AS n_available, ds.n_indicators, coalesce(l.n_left, 0) = 0 AS complete
  FROM cells c CROSS JOIN dspec ds
  LEFT JOIN dagg a ON a.area_code = c.area_code AND a.year = c.year AND a.domain = ds.domain
  LEFT JOIN lefts l ON l.area_code = c.area_code AND l.year = c.year AND l.domain = ds.domain
),
hmi AS (
  SELECT d.area_code, any_value(d.level) AS level, any_value(d.parent_code) AS parent_code, d.year,
         {_lit(HMI)} AS domain,
         {hmi_agg} AS raw,
         count(d.score) FILTER (WHERE d.weight > 0) AS n_available, {n_weighted} AS n_indicators,
         bool_and(d.complete) AS complete
  FROM doms d GROUP BY d.area_code, d.year
)
SELECT area_code, level, parent_code, CAST(year AS INTEGER) AS year, domain, CAST(score AS DOUBLE) AS score,
       CAST(n_available AS BIGINT) AS n_available, CAST(n_indicators AS BIGINT) AS n_indicators, complete
FROM doms
UNION ALL
SELECT area_code, level, parent_code, CAST(year AS INTEGER), domain,
       CAST(CASE WHEN 2 * n_available >= n_indicators THEN raw END AS DOUBLE),
       CAST(n_available AS BIGINT), CAST(n_indicators AS BIGINT), complete
FROM hmi
"""


def _key(spec: IndexSpec, weights: dict[str, float], method: str) -> tuple:
    return ("index", method, float(spec.geometric_floor), tuple(sorted(weights.items())))


def prepare(d: Dense, registry: Registry, spec: IndexSpec) -> None:
    """Compute the default index (the settings' weights, arithmetic) of every area and year on ``d``."""
    w = _weights(spec, None)
    d.extra(_key(spec, w, "arithmetic"), lambda: index_arrays(d, registry, spec, w, "arithmetic"))


def _index_dense(d: Dense, rows: np.ndarray, registry: Registry, spec: IndexSpec, weights: dict[str, float],
                 method: str, year: int | None = None) -> pd.DataFrame:
    """:data:`COLUMNS` for some areas (and one year or all) from :func:`index_arrays`."""
    arr = d.extra(_key(spec, weights, method), lambda: index_arrays(d, registry, spec, weights, method))
    ys = np.arange(len(d.years)) if year is None else np.flatnonzero(d.years == int(year))
    cells, score, avail, full = arr["cells"], arr["score"], arr["n_available"], arr["complete"]
    if len(rows) != len(cells):
        cells, score, avail, full = cells[rows], score[rows], avail[rows], full[rows]
    if len(ys) != len(d.years):
        cells, score, avail, full = cells[:, ys], score[:, ys], avail[:, ys], full[:, ys]
    # rows: every (area, year) cell with an index indicator, five rows each (the domains, then the index)
    flat = np.flatnonzero(cells)
    a, y = np.divmod(flat, cells.shape[1])
    n_out = len(INDEX_DOMAINS)
    k = np.tile(np.arange(n_out, dtype=np.int32), len(flat))
    return pd.DataFrame({
        **d.area_columns(rows[a].repeat(n_out)),
        "year": d.years[ys][y].repeat(n_out),
        "domain": categorical(k, DOMAIN_DTYPE),
        "score": score.reshape(-1, n_out)[flat].reshape(-1),
        "n_available": avail.reshape(-1, n_out)[flat].reshape(-1),
        "n_indicators": arr["n_indicators"][k],
        "complete": full.reshape(-1, n_out)[flat].reshape(-1),
    }, copy=False)


def index_arrays(d: Dense, registry: Registry, spec: IndexSpec, weights: dict[str, float], method: str
                 ) -> dict[str, np.ndarray]:
    """Domain scores and the index for every area and year (the arithmetic of :func:`index_sql`).

    ``score``/``n_available`` are ``[area, year, domain]`` (the four domains, then the index), ``cells`` is
    ``[area, year]`` (a row exists: some index indicator has a row), ``n_indicators`` per domain. The index
    indicators are taken grouped by domain, so each domain is one slice of the indicator axis and the domain sums are
    one ``np.add.reduceat``.
    """
    inds = [i for i in registry.indicators.values() if i.in_index and i.id in d.indicator_ids]
    inds.sort(key=lambda i: DOMAINS.index(i.domain))
    cols = d.indicator_cols([i.id for i in inds])
    v, has = d.value[:, cols], d.has[:, cols]
    left_out = has & ~np.isnan(v) & ~d.complete[:, cols]  # incomplete values: not used, and said so
    v = np.where(left_out, np.nan, v)
    lo = np.array([float(i.bounds.lower) for i in inds])
    hi = np.array([float(i.bounds.upper) for i in inds])
    up = np.array([i.direction == "higher" for i in inds])
    start = np.where(up, lo, hi)[None, :, None]  # score = (value − start) × factor, clipped to 0–100
    factor = (np.where(up, 100.0, -100.0) / (hi - lo))[None, :, None]
    floor = float(spec.geometric_floor)
    n_dom = len(DOMAINS)
    out_n = np.array([sum(i.domain == dom for i in inds) for dom in DOMAINS] + [0], dtype=np.int64)
    present = np.flatnonzero(out_n[:n_dom])  # domains with at least one index indicator
    bounds = np.concatenate([[0], np.cumsum(out_n[:n_dom])])[present]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        score = np.clip((v - start) * factor, 0.0, 100.0)
        score[np.isinf(v)] = np.nan
        ok = ~np.isnan(score)
        part = np.where(ok, score if method == "arithmetic" else np.log(np.maximum(score, floor)), 0.0)
        shape = (len(v), n_dom, v.shape[2])
        sums, n_av = np.zeros(shape), np.zeros(shape, dtype=np.int64)
        n_left = np.zeros(shape, dtype=np.int64)
        if len(inds):
            sums[:, present] = np.add.reduceat(part, bounds, axis=1)
            n_av[:, present] = np.add.reduceat(ok, bounds, axis=1, dtype=np.int64)
            n_left[:, present] = np.add.reduceat(left_out, bounds, axis=1, dtype=np.int64)
        agg = sums / n_av if method == "arithmetic" else np.exp(sums / n_av)
        dom_score = np.where((n_av > 0) & (2 * n_av >= out_n[:n_dom, None]), agg, np.nan)
        w = np.array([weights[dom] for dom in DOMAINS])[None, :, None]
        use = ~np.isnan(dom_score) & (w > 0)
        dom_s = np.where(use, dom_score, 1.0)
        wsum = np.where(use, w, 0.0).sum(axis=1)
        if method == "arithmetic":
            hmi = np.where(use, w * dom_s, 0.0).sum(axis=1) / wsum
        else:
            hmi = np.exp(np.where(use, w * np.log(np.maximum(dom_s, floor)), 0.0).sum(axis=1) / wsum)
        n_hmi = use.sum(axis=1)
        out_n[n_dom] = int((w > 0).sum())
        hmi = np.where((n_hmi > 0) & (2 * n_hmi >= out_n[n_dom]), hmi, np.nan)
    return {
        "cells": has.any(axis=1),
        "score": np.concatenate([dom_score.transpose(0, 2, 1), hmi[:, :, None]], axis=2),
        "n_available": np.concatenate([n_av.transpose(0, 2, 1), n_hmi[:, :, None]], axis=2),
        "n_indicators": out_n,
        "complete": np.concatenate([(n_left == 0).transpose(0, 2, 1), (n_left.sum(axis=1) == 0)[:, :, None]],
                                   axis=2),
    }


def _latest_hmi_year(frame: pd.DataFrame) -> int | None:
    years = frame.loc[(frame.domain == HMI) & frame.score.notna() & frame.complete, "year"]
    return int(years.max()) if len(years) else None


def equity_from(dn: Dense, registry: Registry, year: int | None = None, province: str | None = None
                ) -> pd.DataFrame:
    """Best and worst district on each rate or score indicator ("no district left behind").

    Totals (counts, amounts) are left out: they grow with a district's size. ``year`` defaults, per indicator, to the
    latest year with complete district values (incomplete ones are never compared). ``gap`` = |best − worst| (best
    is the highest value when higher is better, the
    lowest when lower is better); ties go to the lower area code. ``province`` compares that province's districts
    only; without it every district in the store is compared. ``province_value`` is the province's own value (the
    chosen one, or the store's only province; blank when it holds several and none is chosen).
    """
    vals = dn.values_frame(np.flatnonzero(dn.level_idx <= 1), dn.indicator_cols())
    provinces = vals.loc[vals.level == "province", "area_code"].astype(str).unique()
    if province is not None:
        vals = vals[(vals.area_code == province) | (vals.parent_code == province)]
    elif len(provinces) > 1:
        vals = vals[vals.level == "district"]
    inds = pd.DataFrame([
        {"indicator_id": i.id, "domain": i.domain, "direction": i.direction}
        for i in registry.indicators.values() if i.formula.kind != "total"
    ])
    d = vals[(vals.level == "district") & vals.value.notna() & vals.complete].merge(inds, on="indicator_id")
    keep_year = d.groupby("indicator_id")["year"].transform("max") if year is None else int(year)
    d = d[d.year == keep_year]
    if d.empty:
        return pd.DataFrame(columns=EQUITY_COLUMNS)
    d = d.assign(good=np.where(d.direction == "higher", d.value, -d.value)).sort_values(["indicator_id", "area_code"])
    g = d.groupby("indicator_id", sort=True)
    best = d.loc[g["good"].idxmax(), ["indicator_id", "domain", "direction", "year", "area_code", "value"]]
    worst = d.loc[g["good"].idxmin(), ["indicator_id", "area_code", "value"]]
    out = best.rename(columns={"area_code": "best_area", "value": "best_value"}).merge(
        worst.rename(columns={"area_code": "worst_area", "value": "worst_value"}), on="indicator_id")
    out["gap"] = (out["best_value"] - out["worst_value"]).abs()
    out = out.merge(g.size().rename("n_districts").reset_index(), on="indicator_id")
    prov = vals[vals.level == "province"][["indicator_id", "year", "value"]].rename(
        columns={"value": "province_value"})
    out = out.merge(prov, on=["indicator_id", "year"], how="left")
    order = {i: n for n, i in enumerate(registry.indicators)}
    out = out.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True)
    return out[EQUITY_COLUMNS]
