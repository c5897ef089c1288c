"""Progress toward the 2575 BE targets (DESIGN §5): plain functions over numbers, and the progress table.

For each area and indicator, with values by year (CE):

* ``baseline``: the value in the indicator's baseline year (2568 BE = 2025 CE), or else the first year on record;
* ``latest``: the most recent value; ``target``/``target_year``: the registry's target resolved against the
  baseline, unless an administrator set one in the ``targets`` table (a row for the area beats the row for all areas);
* ``progress_pct = 100 × (latest − baseline) / (target − baseline)``, not clipped (NaN when target = baseline);
* ``observed_slope``: least-squares slope over the last five years on record (the five most recent years that have a
  value, whatever gaps lie between them; at least two points);
* ``required_slope = (target − latest) / (target_year − latest_year)`` (NaN once the target year is reached);
* ``ratio = observed / required`` with signs taken so that "toward the target" is positive;
* ``status``: ``insufficient_data`` (fewer than two years on record, or no target), ``achieved`` (latest at or beyond
  the target in the indicator's direction), ``on_track`` (ratio ≥ 0.95), ``moderately_improving`` (0.5 ≤ ratio < 0.95),
  ``stagnating`` (0 ≤ ratio < 0.5), ``worsening`` (ratio < 0: moving away from the target). When the target year is
  already reached and the target is not, no pace is enough: ``stagnating``, or ``worsening`` if moving away;
* ``projected_year``: the first whole year (CE) in which the observed trend, continued from the latest value, reaches
  the target; the latest year when already achieved; NaN when it never does at this pace (or only after
  :data:`HORIZON` years).

Every function works on plain numbers and, element-wise, on numpy arrays; the table applies them to whole columns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from indicators.engine.values import Dense, categorical
from indicators.registry import STATUSES, Registry, load_registry

STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))  # sorts from achieved to insufficient data
DIRECTION_DTYPE = pd.CategoricalDtype(["higher", "lower"])
ON_TRACK, MODERATE = 0.95, 0.5
WINDOW = 5  # years on record used for the slope
_EPS = 1e-9  # tolerance for the thresholds (a ratio computed as 0.9499999999 is 0.95)
SLOPE_RTOL = 1e-9  # a slope this small relative to the series' level is rounding, not a trend
HORIZON = 500  # years: a pace that needs longer than this to reach the target is "not at this pace"

COLUMNS = [
    "area_code", "level", "parent_code", "indicator_id", "direction", "baseline_year", "baseline", "latest_year",
    "latest", "target", "target_year", "progress_pct", "observed_slope", "required_slope", "ratio", "status",
    "projected_year", "n_years", "n_incomplete", "pending_year", "n_subdistricts", "n_estimated", "n_expected",
    "complete", "estimated", "slope_se", "slope_low", "slope_high", "ratio_low", "ratio_high", "projected_low",
    "projected_high", "projection", "confidence", "status_best", "status_worst",
]
#: What each coverage column of a progress row says (DESIGN §5 "Coverage").
#: n_years: complete years on record (the only ones used); n_incomplete: years shown but not used;
#: pending_year: a newer year than ``latest_year`` that is not complete yet (councils still reporting);
#: n_subdistricts / n_estimated / n_expected: how many of the area's subdistricts fed the latest value, reported or
#: carried forward; complete: no newer incomplete year; estimated: a point used carries estimates.


# ---------------------------------------------------------------------------------------------- plain functions


def sign(direction) -> np.ndarray | int:
    """+1 when higher is better, −1 when lower is better (element-wise for arrays; an array of numbers is taken as
    signs already)."""
    if isinstance(direction, str):
        if direction not in ("higher", "lower"):
            raise ValueError(f"direction must be 'higher' or 'lower', not {direction!r}")
        return 1 if direction == "higher" else -1
    arr = np.asarray(direction)
    if arr.dtype.kind in "iuf":
        return np.where(arr < 0, -1, 1)
    return np.where(arr == "higher", 1, -1)


def ls_fit(years: Sequence[float], values: Sequence[float], window: int = WINDOW) -> tuple[float, float, int]:
    """(slope, its standard error, degrees of freedom) of the least-squares line over the last ``window`` years on
    record; the error is NaN with fewer than three points (two points leave no residual to measure it by)."""
    y = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    keep = ~np.isnan(v) & ~np.isnan(y)
    y, v = y[keep], v[keep]
    order = np.argsort(y)[-window:]
    y, v = y[order], v[order]
    n = len(y)
    if n < 2:
        return math.nan, math.nan, 0
    yc = y - y.mean()
    sxx = float((yc * yc).sum())
    raw = float((yc * (v - v.mean())).sum() / sxx)
    se = math.nan
    if n >= 3:
        rss = float(((v - v.mean() - raw * yc) ** 2).sum())
        se = math.sqrt(rss / (n - 2) / sxx)
    return float(flat_to_zero(raw, v.mean())), se, n - 2


def ls_slope(years: Sequence[float], values: Sequence[float], window: int = WINDOW) -> float:
    """Least-squares slope of ``values`` on ``years`` over the last ``window`` years on record.

    Missing values (None/NaN) are dropped first, so a gap year does not count as a point. NaN with fewer than two.
    """
    return ls_fit(years, values, window)[0]


#: Student's t at 0.9 (a two-sided 80 % interval) by degrees of freedom (scipy.stats.t.ppf(0.9, df), checked by a
#: test); past the table, the normal's 1.2816 (within 0.01 of t for 30 or more).
T80 = {1: 3.0776835, 2: 1.8856181, 3: 1.6377444, 4: 1.5332063, 5: 1.4758840, 6: 1.4397557, 7: 1.4149239,
       8: 1.3968153, 9: 1.3830287, 10: 1.3721836, 15: 1.3406056, 20: 1.3253407, 30: 1.3104150}
Z80 = 1.2815516
CONFIDENCES = ("firm", "uncertain", "none")
#: How a projection reads: reached already, a range of years, open-ended (the interval includes no progress: cannot
#: tell yet), never at this pace (the whole interval moves away or stands still), too few years for an interval.
PROJECTIONS = ("achieved", "interval", "cannot_tell", "not_at_this_pace", "too_few", "none")
CONFIDENCE_DTYPE = pd.CategoricalDtype(list(CONFIDENCES))
PROJECTION_DTYPE = pd.CategoricalDtype(list(PROJECTIONS))


def t80(df):
    """Student's t quantile for a two-sided 80 % interval with ``df`` degrees of freedom (NaN below 1)."""
    df = np.asarray(df, dtype=float)
    keys = np.array(sorted(T80), dtype=float)
    vals = np.array([T80[int(k)] for k in keys])
    # between table rows, the next smaller df (a slightly wider, safer interval)
    pos = np.clip(np.searchsorted(keys, np.where(np.isnan(df), 1, df), side="right") - 1, 0, len(keys) - 1)
    out = np.where(df > keys[-1], Z80, vals[pos])
    return _out(np.where(np.isnan(df) | (df < 1), np.nan, out))


def slope_interval(slope, slope_se, df):
    """The 80 % interval of a least-squares slope: ``slope ± t(df) × se`` (NaN without a standard error)."""
    slope, se = np.asarray(slope, dtype=float), np.asarray(slope_se, dtype=float)
    half = np.asarray(t80(df), dtype=float) * se
    return _out(slope - half), _out(slope + half)


def projected_interval(latest, target, direction, slope_low, slope_high, latest_year):
    """The first and last whole years (CE) in which the trend reaches the target, for slopes across the interval.

    ``(low, high)``: the fastest and the slowest pace of the interval; ``high`` is NaN when the slow end makes no
    progress (the year cannot be told yet), both NaN when no pace of the interval reaches the target within
    :data:`HORIZON` years; the latest year for both when the target is achieved.
    """
    latest, target = np.asarray(latest, dtype=float), np.asarray(target, dtype=float)
    latest_year = np.asarray(latest_year, dtype=float)
    d = sign(direction)
    a, b = d * np.asarray(slope_low, dtype=float), d * np.asarray(slope_high, dtype=float)
    fast, slow = np.fmax(a, b), np.fmin(a, b)
    gap = d * (target - latest)
    achieved = np.asarray(is_achieved(latest, target, direction), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        need_fast = np.round(gap / np.where(fast > 0, fast, 1), 9)
        need_slow = np.round(gap / np.where(slow > 0, slow, 1), 9)
        low = np.where((fast > 0) & (need_fast <= HORIZON), latest_year + np.ceil(need_fast), np.nan)
        high = np.where((slow > 0) & (need_slow <= HORIZON), latest_year + np.ceil(need_slow), np.nan)
    return (_out(np.where(achieved, latest_year, low)), _out(np.where(achieved, latest_year, high)))


def flat_to_zero(slope, level):
    """A slope within rounding of zero is zero: ``|slope| ≤ SLOPE_RTOL × max(|level|, 1)``, ``level`` being the
    series' typical value (its mean). Keeps a flat series from getting a projected year 10^17 years away."""
    slope, level = np.asarray(slope, dtype=float), np.asarray(level, dtype=float)
    with np.errstate(invalid="ignore"):
        tiny = np.abs(slope) <= SLOPE_RTOL * np.maximum(np.abs(np.nan_to_num(level)), 1.0)
    return _out(np.where(tiny, 0.0, slope))


def required_slope(latest, target, latest_year, target_year):
    """``(target − latest) / (target_year − latest_year)``; NaN when the target year is not after the latest year."""
    latest, target = np.asarray(latest, dtype=float), np.asarray(target, dtype=float)
    span = np.asarray(target_year, dtype=float) - np.asarray(latest_year, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(span > 0, (target - latest) / np.where(span > 0, span, 1), np.nan)
    return _out(out)


def progress_pct(baseline, latest, target):
    """``100 × (latest − baseline) / (target − baseline)``, not clipped; NaN when target equals baseline."""
    baseline, latest, target = (np.asarray(x, dtype=float) for x in (baseline, latest, target))
    gap = target - baseline
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(gap != 0, 100 * (latest - baseline) / np.where(gap != 0, gap, 1), np.nan) + 0.0
    return _out(out)


def is_achieved(latest, target, direction):
    """Latest at or beyond the target in the indicator's direction (False when either is unknown)."""
    d = sign(direction)
    with np.errstate(invalid="ignore"):
        out = d * (np.asarray(latest, dtype=float) - np.asarray(target, dtype=float)) >= -_EPS
    return _out(out)


def progress_ratio(observed, required, direction, latest=None, target=None):
    """``observed / required`` with signs taken so that toward the target is positive.

    NaN when the required slope is unknown or when the target is already achieved (``latest``/``target`` given).
    When the target lies ahead, ``required`` already points toward it, so the ratio is simply observed / required;
    a negative ratio means moving away from the target.
    """
    observed, required = np.asarray(observed, dtype=float), np.asarray(required, dtype=float)
    d = sign(direction)
    toward_req = d * required
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(toward_req > 0, (d * observed) / np.where(toward_req > 0, toward_req, 1), np.nan)
    if latest is not None and target is not None:
        out = np.where(np.asarray(is_achieved(latest, target, direction)), np.nan, out)
    return _out(out)


def status_codes(latest, target, direction, observed, required, n_years) -> np.ndarray:
    """:func:`classify` as positions in :data:`STATUSES` (int8)."""
    latest, target = np.asarray(latest, dtype=float), np.asarray(target, dtype=float)
    observed, required = np.asarray(observed, dtype=float), np.asarray(required, dtype=float)
    d = sign(direction)
    toward_obs = d * observed
    ratio = np.asarray(progress_ratio(observed, required, direction), dtype=float)
    deadline_passed = np.isnan(required)
    with np.errstate(invalid="ignore"):
        conditions = [
            (np.asarray(n_years) < 2) | np.isnan(target) | np.isnan(latest) | np.isnan(observed),
            np.asarray(is_achieved(latest, target, direction), dtype=bool),
            deadline_passed & (toward_obs < 0),
            deadline_passed,
            ratio >= ON_TRACK - _EPS,
            ratio >= MODERATE - _EPS,
            ratio >= -_EPS,
        ]
    choices = [STATUSES.index(c) for c in ("insufficient_data", "achieved", "worsening", "stagnating", "on_track",
                                           "moderately_improving", "stagnating")]
    return np.select(conditions, choices, default=STATUSES.index("worsening")).astype(np.int8)


def classify(latest, target, direction, observed, required, n_years):
    """The status (one of :data:`STATUSES`) from plain numbers; element-wise for arrays.

    ``n_years`` is how many years have a value. ``required`` is NaN when the target year is already reached.
    """
    codes = status_codes(latest, target, direction, observed, required, n_years)
    if codes.ndim == 0:
        return STATUSES[int(codes)]
    return np.asarray(STATUSES, dtype=object)[codes].astype(str)


def projected_year(latest, target, direction, observed, latest_year):
    """First whole year (CE) in which the trend from the latest value reaches the target; NaN if never.

    The latest year itself when already achieved.
    """
    latest, target = np.asarray(latest, dtype=float), np.asarray(target, dtype=float)
    observed, latest_year = np.asarray(observed, dtype=float), np.asarray(latest_year, dtype=float)
    d = sign(direction)
    achieved = np.asarray(is_achieved(latest, target, direction), dtype=bool)
    moving = d * observed > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        years_needed = np.round((target - latest) / np.where(moving, observed, 1), 9)
    moving &= years_needed <= HORIZON
    out = np.where(achieved, latest_year, np.where(moving, latest_year + np.ceil(years_needed), np.nan))
    return _out(out)


def resolve_target(baseline, value=None, growth_pct=None, change=None):
    """The registry's target for a baseline: an absolute value, or baseline × (1 + growth/100), or baseline + change."""
    baseline = np.asarray(baseline, dtype=float)
    if value is not None:
        return _out(np.full_like(baseline, float(value)))
    if growth_pct is not None:
        return _out(baseline * (1 + float(growth_pct) / 100))
    if change is not None:
        return _out(baseline + float(change))
    raise ValueError("a target needs a value, growth_pct or change")


def _out(arr):
    """A 0-d result back to a plain Python number or bool."""
    arr = np.asarray(arr)
    return arr.item() if arr.ndim == 0 else arr


def evaluate(years: Sequence[int], values: Sequence[float], *, direction: str, baseline_year: int,
             target: float | None = None, target_year: int, target_value: float | None = None,
             growth_pct: float | None = None, change: float | None = None) -> dict:
    """One progress row from a plain series (used by the worked example and tests; the table is vectorised).

    Give ``target`` (absolute, e.g. an override) or one of ``target_value``/``growth_pct``/``change``.
    """
    pairs = sorted((int(y), float(v)) for y, v in zip(years, values, strict=True) if v is not None and v == v)
    if not pairs:
        return {"status": "insufficient_data", "n_years": 0}
    ys = [y for y, _ in pairs]
    vs = [v for _, v in pairs]
    if baseline_year in ys:
        b_year, base = baseline_year, vs[ys.index(baseline_year)]
    else:
        b_year, base = ys[0], vs[0]
    latest_year, latest = ys[-1], vs[-1]
    if target is None:
        target = resolve_target(base, target_value, growth_pct, change)
    observed, se, df = ls_fit(ys, vs)
    required = required_slope(latest, target, latest_year, target_year)
    unc = _uncertainty(np.array([latest]), np.array([target], dtype=float), np.array([sign(direction)]),
                       np.array([observed]), np.atleast_1d(required), np.array([len(ys)]), np.array([latest_year]),
                       np.array([se]), np.array([df]))
    return {
        "direction": direction, "baseline_year": b_year, "baseline": base, "latest_year": latest_year,
        "latest": latest, "target": target, "target_year": target_year,
        "progress_pct": progress_pct(base, latest, target), "observed_slope": observed, "required_slope": required,
        "ratio": progress_ratio(observed, required, direction, latest, target),
        "status": classify(latest, target, direction, observed, required, len(ys)),
        "projected_year": projected_year(latest, target, direction, observed, latest_year), "n_years": len(ys),
        **{k: (float(v[0]) if v.dtype.kind == "f" else v[0]) for k, v in unc.items()},
    }


# ---------------------------------------------------------------------------------------------- the table


def _indicator_frame(registry: Registry) -> pd.DataFrame:
    rows = []
    for ind in registry.indicators.values():
        t = ind.target
        rows.append({
            "indicator_id": ind.id, "direction": ind.direction, "reg_baseline_year": ind.baseline_year,
            "reg_target_year": ind.target_year, "t_value": t.value, "t_growth": t.growth_pct, "t_change": t.change,
        })
    return pd.DataFrame(rows).astype({"t_value": "float64", "t_growth": "float64", "t_change": "float64"})


def _series_sql(values_sql: str) -> str:
    """Per area and indicator: years on record, baseline, latest and the least-squares slope of the last five."""
    return f"""
WITH v AS ({values_sql}),
b(indicator_id, baseline_year) AS (SELECT * FROM bl),
r AS (
  SELECT v.*, b.baseline_year,
         row_number() OVER (PARTITION BY v.area_code, v.indicator_id, v.value IS NULL ORDER BY v.year DESC) AS rk
  FROM v JOIN b USING (indicator_id)
)
SELECT area_code, any_value(level) AS level, any_value(parent_code) AS parent_code, indicator_id,
       count(value) AS n_years,
       max(year) FILTER (WHERE value IS NOT NULL) AS latest_year,
       arg_max(value, year) FILTER (WHERE value IS NOT NULL) AS latest,
       min(year) FILTER (WHERE value IS NOT NULL) AS first_year,
       arg_min(value, year) FILTER (WHERE value IS NOT NULL) AS first_value,
       max(value) FILTER (WHERE value IS NOT NULL AND year = baseline_year) AS value_at_baseline,
       any_value(baseline_year) AS reg_baseline_year_sql,
       regr_slope(value, year - 2000) FILTER (WHERE value IS NOT NULL AND rk <= {WINDOW}) AS observed_slope
FROM r
GROUP BY area_code, indicator_id
"""


def prepare(d: Dense, registry: Registry) -> None:
    """Compute the series and the progress rows of every area and indicator on ``d`` (kept and saved with it)."""
    base_years = {ind.id: ind.baseline_year for ind in registry.indicators.values()}
    d.extra("series", lambda: series_arrays(d, base_years))
    d.extra("progress_rows", lambda: _rows(d, registry))


_INT_YEARS = ("baseline_year", "latest_year", "target_year", "pending_year")


def _categories() -> dict[str, pd.CategoricalDtype]:
    return {"direction": DIRECTION_DTYPE, "status": STATUS_DTYPE, "projection": PROJECTION_DTYPE,
            "confidence": CONFIDENCE_DTYPE, "status_best": STATUS_DTYPE, "status_worst": STATUS_DTYPE}


def _rows(d: Dense, registry: Registry) -> dict[str, np.ndarray]:
    """Every progress row of ``d`` as plain arrays (``flat``: each row's ``area × indicator`` cell; categorical
    columns as their codes, whole years as floats with NaN), so a filtered table is a selection of rows."""
    meta = _indicator_frame(registry)
    base_years = dict(zip(meta["indicator_id"], meta["reg_baseline_year"], strict=True))
    series = _series_dense(d, np.arange(len(d.codes)), np.arange(len(d.indicator_ids)), base_years)
    df = _finish(series, meta, d.targets, presorted=True)
    cats = _categories()
    out = {"flat": np.flatnonzero(d.extra("series", lambda: series_arrays(d, base_years))["exists"])}
    for c in COLUMNS[4:]:
        if c in cats:
            out[c] = df[c].cat.codes.to_numpy(dtype=np.int8)
        elif c in _INT_YEARS:
            out[c] = df[c].to_numpy(dtype=float, na_value=np.nan)
        else:
            out[c] = df[c].to_numpy()
    return out


def table_from(d: Dense, registry: Registry, level: str | None = None, area: str | None = None,
               indicator: str | None = None) -> pd.DataFrame:
    """:func:`progress_table` from the arrays ``d`` (with their ``targets``): the rows of the areas and indicator
    asked for, taken from every row computed once per snapshot (:func:`_rows`)."""
    r = d.extra("progress_rows", lambda: _rows(d, registry))
    ni = len(d.indicator_ids)
    a, i = np.divmod(np.asarray(r["flat"]), ni)
    rows, cols = d.area_rows(level, area), d.indicator_cols([indicator] if indicator else None)
    sel = None
    if len(rows) != len(d.codes) or len(cols) != ni:
        area_ok, ind_ok = np.zeros(len(d.codes), dtype=bool), np.zeros(ni, dtype=bool)
        area_ok[rows], ind_ok[cols] = True, True
        sel = np.flatnonzero(area_ok[a] & ind_ok[i])
        a, i = a[sel], i[sel]
    cats = _categories()

    def col(name: str):
        x = np.asarray(r[name]) if sel is None else np.asarray(r[name]).take(sel)
        if name in cats:
            return categorical(x, cats[name])
        return _int_column(x) if name in _INT_YEARS else x

    return pd.DataFrame({**d.area_columns(a), "indicator_id": d.indicator_column(i),
                         **{c: col(c) for c in COLUMNS[4:]}}, columns=COLUMNS, copy=False)


def _series_dense(d: Dense, rows: np.ndarray, cols: np.ndarray, base_years: dict[str, int]) -> pd.DataFrame:
    """Per area and indicator (every series with a row in the values table), from :func:`series_arrays`."""
    st = d.extra("series", lambda: series_arrays(d, base_years))
    if len(rows) != len(d.codes):
        st = {k: x[rows] for k, x in st.items()}
    if len(cols) != len(d.indicator_ids):
        st = {k: x[:, cols] for k, x in st.items()}
    flat = np.flatnonzero(st["exists"])
    a, i = np.divmod(flat, st["exists"].shape[1])

    def take(name: str) -> np.ndarray:
        return st[name].reshape(-1).take(flat)

    return pd.DataFrame({
        **d.area_columns(rows[a]),
        "indicator_id": d.indicator_column(cols[i]),
        **{name: take(name) for name in ("n_years", "latest_year", "latest", "first_year", "first_value",
                                         "value_at_baseline", "observed_slope", "slope_se", "slope_df",
                                         *_COVERAGE)},
        "n_expected": np.asarray(d.n_expected)[rows[a]].astype(np.int64),
    }, copy=False)


_COVERAGE = ("n_incomplete", "pending_year", "latest_n_subdistricts", "latest_n_estimated", "estimated")


def series_arrays(d: Dense, base_years: dict[str, int]) -> dict[str, np.ndarray]:
    """Per area and indicator (``[area, indicator]`` arrays): whether a series exists, years on record, first and
    latest year and value, the value in the baseline year and the least-squares slope of the last :data:`WINDOW`
    years on record, computed on the ``[area, indicator, year]`` arrays at once (the figures of
    :func:`_series_sql`)."""
    v, has, complete = d.value, d.has, d.complete
    n_sub, n_est = d.n_subdistricts, d.n_estimated
    if v.shape[2] == 0:  # no figures at all: no series (argmax needs a year)
        v, has = np.full(v.shape[:2] + (1,), np.nan), np.zeros(v.shape[:2] + (1,), dtype=bool)
        complete = has
        n_sub = n_est = np.zeros(v.shape, dtype=np.int64)
    exists = has.any(axis=2)
    shown = has & ~np.isnan(v)
    # only complete years count (DESIGN §5 "Coverage"): incomplete ones are shown, never baseline, latest or slope
    v = np.where(complete, v, np.nan)
    v = np.ascontiguousarray(np.moveaxis(v, 2, 0))  # [year, area, indicator]: each year one contiguous slice
    valid = ~np.isnan(v)
    ny = v.shape[0]
    shape = v.shape[1:]
    n_years = valid.sum(axis=0)
    first = valid.argmax(axis=0)
    last = ny - 1 - valid[::-1].argmax(axis=0)
    first_value = np.take_along_axis(v, first[None], axis=0)[0]
    latest = np.take_along_axis(v, last[None], axis=0)[0]
    years = d.years if len(d.years) else np.zeros(1, dtype=np.int32)
    # the value in each indicator's baseline year
    at_base = np.full(shape, np.nan)
    for j, ind in enumerate(d.indicator_ids):
        pos = np.flatnonzero(years == base_years[ind])
        if len(pos) and len(d.years):
            at_base[:, j] = v[pos[0], :, j]
    # least squares over the last WINDOW years with a value (a loop over the few years, on whole arrays):
    # pass 1 counts the values from the latest year back and sums x and y; pass 2 the centred cross-products
    x = (years - 2000).astype(float)
    seen = np.zeros(shape, dtype=np.int64)
    cnt, sx, sy = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    window = np.zeros(v.shape, dtype=bool)
    for t in range(ny - 1, -1, -1):
        ok = valid[t]
        seen += ok
        w = ok & (seen <= WINDOW)
        window[t] = w
        cnt += w
        sx += w * x[t]
        sy += np.where(w, v[t], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx, my = sx / cnt, sy / cnt
        sxx, sxy = np.zeros(shape), np.zeros(shape)
        for t in range(ny):
            w = window[t]
            dx = np.where(w, x[t] - mx, 0.0)
            sxx += dx * dx
            sxy += np.where(w, dx * (v[t] - my), 0.0)
        slope = np.where((cnt >= 2) & (sxx > 0), sxy / np.where(sxx > 0, sxx, 1.0), np.nan)
        # the slope's standard error: residuals of the same fit (n − 2 degrees of freedom; none with two points)
        rss = np.zeros(shape)
        for t in range(ny):
            w = window[t]
            rss += np.where(w, (v[t] - my - slope * (x[t] - mx)) ** 2, 0.0)
        slope_se = np.where((cnt >= 3) & (sxx > 0), np.sqrt(rss / np.maximum(cnt - 2, 1) / np.where(sxx > 0, sxx, 1)),
                            np.nan)
        slope = flat_to_zero(slope, my)
    none = n_years == 0
    yr = years.astype(float)
    # what the shown but unused years were, and the coverage of the latest year used
    n_shown = shown.sum(axis=2)
    last_shown = shown.shape[2] - 1 - shown[:, :, ::-1].argmax(axis=2)
    pending = n_shown.astype(bool) & (none | (last_shown > last))
    at_last = last[..., None]
    # estimated: a point the status rests on (the slope's years, the baseline) carries forward some subdistrict
    est = np.moveaxis(np.asarray(n_est) > 0, 2, 0)
    estimated = (window & est).any(axis=0)
    base_pos = first.copy()
    for j, ind in enumerate(d.indicator_ids):
        pos = np.flatnonzero(years == base_years[ind])
        if len(pos) and len(d.years):
            base_pos[:, j] = np.where(valid[pos[0], :, j], pos[0], first[:, j])
    estimated |= np.take_along_axis(est, base_pos[None], axis=0)[0] & ~none
    return {
        "exists": exists,
        "n_years": n_years.astype(np.int64),
        "latest_year": np.where(none, np.nan, yr[last]),
        "latest": np.where(none, np.nan, latest),
        "first_year": np.where(none, np.nan, yr[first]),
        "first_value": np.where(none, np.nan, first_value),
        "value_at_baseline": at_base,
        "observed_slope": slope,
        "slope_se": slope_se,
        "slope_df": np.maximum(cnt - 2, 0).astype(np.int64),
        "n_incomplete": (n_shown - n_years).astype(np.int64),
        "pending_year": np.where(pending, yr[last_shown], np.nan),
        "latest_n_subdistricts": np.where(none, 0, np.take_along_axis(np.asarray(n_sub), at_last, axis=2)[..., 0]),
        "latest_n_estimated": np.where(none, 0, np.take_along_axis(np.asarray(n_est), at_last, axis=2)[..., 0]),
        "estimated": estimated,
    }


def _finish(series: pd.DataFrame, meta: pd.DataFrame, overrides: pd.DataFrame, presorted: bool = False
            ) -> pd.DataFrame:
    """Turn per-series aggregates into progress rows with the vectorised plain functions.

    ``presorted``: the series already come by level, area and indicator (as :func:`_series_dense` gives them).
    """
    ids = series["indicator_id"]
    meta_ids = pd.Index(meta["indicator_id"])
    if isinstance(ids.dtype, pd.CategoricalDtype):  # each row's registry entry, from the few categories
        pos = meta_ids.get_indexer(ids.cat.categories)[ids.cat.codes.to_numpy()]
    else:
        pos = meta_ids.get_indexer(ids)

    def per_row(col: str) -> np.ndarray:
        return meta[col].to_numpy(dtype=float)[pos]

    def col(name: str) -> np.ndarray:
        return series[name].to_numpy(dtype=float)

    sgn = np.where(meta["direction"].to_numpy() == "higher", 1, -1)[pos]
    at_base = col("value_at_baseline")
    has_base = ~np.isnan(at_base)
    baseline_year = np.where(has_base, per_row("reg_baseline_year"), col("first_year"))
    baseline = np.where(has_base, at_base, col("first_value"))
    # registry target resolved against the baseline
    t_value, t_growth, t_change = per_row("t_value"), per_row("t_growth"), per_row("t_change")
    target = np.where(~np.isnan(t_value), t_value,
                      np.where(~np.isnan(t_growth), baseline * (1 + t_growth / 100), baseline + t_change))
    target_year = per_row("reg_target_year")
    # overrides: the area's own row beats the row for all areas ('')
    if len(overrides):
        ov = overrides.astype({"target": "float64", "target_year": "float64"})
        keys = pd.DataFrame({"indicator_id": ids.astype(str), "area_code": series["area_code"].astype(str)})
        own = keys.merge(ov, on=["indicator_id", "area_code"], how="left")
        every = keys[["indicator_id"]].merge(ov[ov.area_code == ""].drop(columns="area_code"), on="indicator_id",
                                             how="left")
        ov_target = own["target"].fillna(every["target"]).to_numpy(dtype=float)
        ov_year = own["target_year"].fillna(every["target_year"]).to_numpy(dtype=float)
        target = np.where(np.isnan(ov_target), target, ov_target)
        target_year = np.where(np.isnan(ov_year), target_year, ov_year)
    latest, observed, latest_year = col("latest"), col("observed_slope"), col("latest_year")
    n_years = series["n_years"].to_numpy()
    required = required_slope(latest, target, latest_year, target_year)
    unc = _uncertainty(latest, target, sgn, observed, required, n_years, latest_year, col("slope_se"),
                       series["slope_df"].to_numpy())
    out = {
        "area_code": series["area_code"], "level": series["level"], "parent_code": series["parent_code"],
        "indicator_id": ids, "direction": categorical((sgn < 0).astype(np.int8), DIRECTION_DTYPE),
        "baseline_year": _int_column(baseline_year), "baseline": baseline,
        "latest_year": _int_column(latest_year), "latest": latest,
        "target": np.asarray(target, dtype=float), "target_year": _int_column(target_year),
        "progress_pct": progress_pct(baseline, latest, target),
        "observed_slope": observed, "required_slope": required,
        "ratio": progress_ratio(observed, required, sgn, latest, target),
        "status": categorical(status_codes(latest, target, sgn, observed, required, n_years), STATUS_DTYPE),
        "projected_year": np.asarray(projected_year(latest, target, sgn, observed, latest_year), dtype=float),
        "n_years": n_years.astype(np.int64),
        "n_incomplete": series["n_incomplete"].to_numpy(dtype=np.int64),
        "pending_year": _int_column(col("pending_year")),
        "n_subdistricts": series["latest_n_subdistricts"].to_numpy(dtype=np.int64),
        "n_estimated": series["latest_n_estimated"].to_numpy(dtype=np.int64),
        "n_expected": series["n_expected"].to_numpy(dtype=np.int64),
        "complete": np.isnan(col("pending_year")),
        "estimated": series["estimated"].to_numpy(dtype=bool),
        **unc,
    }
    no_value = n_years == 0
    if no_value.any():
        for name in ("progress_pct", "required_slope", "ratio", "projected_year", "slope_se", "slope_low",
                     "slope_high", "ratio_low", "ratio_high", "projected_low", "projected_high"):
            out[name] = np.where(no_value, np.nan, out[name])
    df = pd.DataFrame({k: (v.array if isinstance(v, pd.Series) else v) for k, v in out.items()},
                      columns=COLUMNS, copy=False)
    if not presorted:
        order = df["level"].map({"province": 0, "district": 1, "subdistrict": 2}).astype(int)
        df = df.assign(_o=order).sort_values(["_o", "area_code", "indicator_id"]).drop(columns="_o")
        df = df.reset_index(drop=True)
    return df


def _uncertainty(latest, target, sgn, observed, required, n_years, latest_year, slope_se, df) -> dict:
    """The interval columns of progress rows (DESIGN §5 "Uncertainty"): the slope's 80 % interval, the pace ratio's,
    the projected years', and whether the status holds across it (``confidence``; ``status_best``/``status_worst``:
    the statuses at the two ends of the interval)."""
    lo, hi = slope_interval(observed, slope_se, df)
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    r_lo = np.asarray(progress_ratio(lo, required, sgn, latest, target), dtype=float)
    r_hi = np.asarray(progress_ratio(hi, required, sgn, latest, target), dtype=float)
    p_lo, p_hi = projected_interval(latest, target, sgn, lo, hi, latest_year)
    p_lo, p_hi = np.asarray(p_lo, dtype=float), np.asarray(p_hi, dtype=float)
    point = status_codes(latest, target, sgn, observed, required, n_years)
    a = status_codes(latest, target, sgn, np.where(np.isnan(lo), observed, lo), required, n_years)
    b = status_codes(latest, target, sgn, np.where(np.isnan(hi), observed, hi), required, n_years)
    best, worst = np.minimum(a, b), np.maximum(a, b)
    no_interval = np.isnan(np.asarray(slope_se, dtype=float))
    settled = np.isin(point, [STATUSES.index("achieved"), STATUSES.index("insufficient_data")])
    confidence = np.where(settled | (~no_interval & (best == worst)), 0, np.where(no_interval, 2, 1))
    confidence = np.where(point == STATUSES.index("insufficient_data"), 2, confidence)
    achieved = point == STATUSES.index("achieved")
    projection = np.select(
        [achieved, point == STATUSES.index("insufficient_data"), no_interval, np.isnan(p_lo), np.isnan(p_hi)],
        [PROJECTIONS.index(k) for k in ("achieved", "none", "too_few", "not_at_this_pace", "cannot_tell")],
        default=PROJECTIONS.index("interval"))
    ratio_lo, ratio_hi = np.fmin(r_lo, r_hi), np.fmax(r_lo, r_hi)
    return {
        "slope_se": np.asarray(slope_se, dtype=float), "slope_low": lo, "slope_high": hi,
        "ratio_low": ratio_lo, "ratio_high": ratio_hi, "projected_low": p_lo, "projected_high": p_hi,
        "projection": categorical(projection.astype(np.int8), PROJECTION_DTYPE),
        "confidence": categorical(confidence.astype(np.int8), CONFIDENCE_DTYPE),
        "status_best": categorical(np.where(settled, point, best).astype(np.int8), STATUS_DTYPE),
        "status_worst": categorical(np.where(settled, point, worst).astype(np.int8), STATUS_DTYPE),
    }


def _int_column(x: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole years as a nullable Int64 column (NaN → missing)."""
    x = np.asarray(x, dtype=float)
    missing = np.isnan(x)
    return pd.arrays.IntegerArray(np.where(missing, 0, x).astype(np.int64), missing)


# ---------------------------------------------------------------------------------------------- worked example

#: The worked example of docs/METHODS.md: a subdistrict's share of households below the BMN line (%), 2565–2569 BE.
EXAMPLE = {
    "indicator": "poor_household_share",
    "years": [2022, 2023, 2024, 2025, 2026],
    "values": [14.2, 13.1, 12.4, 12.0, 10.3],
}
def worked_example() -> dict:
    """The example's progress row, computed with the same functions as the table."""
    ind = load_registry().indicator(EXAMPLE["indicator"])
    t = ind.target
    return evaluate(EXAMPLE["years"], EXAMPLE["values"], direction=ind.direction, baseline_year=ind.baseline_year,
                    target_year=ind.target_year, target_value=t.value, growth_pct=t.growth_pct, change=t.change)
