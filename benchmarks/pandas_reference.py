"""A straightforward pandas reference for every indicator value, progress row and index score (issue 9 (b)).

It reads the same store (observations, areas, targets) into pandas and does what DESIGN §4–§5 say in the plainest
way: pivot the observations to one row per area and year, compute each indicator's numerator and denominator with
column arithmetic, roll the complete subdistricts up with ``groupby().sum()``, take each series' last five years and
fit a least-squares slope with grouped sums, and average normalised scores into domains and the index with
``groupby().mean()``. It shares no SQL with the project; only the registry and the documented plain functions of
:mod:`indicators.engine.progress` (status rules on numbers) are reused. :func:`compare` checks the project against it.

``python -m benchmarks.pandas_reference --db PATH`` computes both and prints the largest differences.
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import pandas as pd

from indicators.engine import progress as P
from indicators.registry import DOMAINS, Formula, load_index_spec, load_registry
from loaders.store import reader

LEVEL_ORDER = {"province": 0, "district": 1, "subdistrict": 2}


def read_store(db: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """The tables the computation needs, as pandas frames."""
    with reader(db) as con:
        def get(sql: str) -> pd.DataFrame:
            return con.sql(sql).to_arrow_table().to_pandas()

        return {
            "observations": get("SELECT area_code, measure_id, year, value FROM observations"),
            "areas": get("SELECT code, level, parent_code FROM areas"),
            "targets": get("SELECT indicator_id, area_code, target, target_year FROM targets"),
        }


# ------------------------------------------------------------------------------------------------------ values


def _terms(wide: pd.DataFrame, terms: list[str]) -> pd.Series:
    """Σ of the terms, NaN when any term is missing."""
    out = pd.Series(0.0, index=wide.index)
    for term in terms:
        sign, m = Formula.term(term)
        out = out + sign * wide[m]
    return out


def values(tables: dict[str, pd.DataFrame], registry=None) -> pd.DataFrame:
    """Every indicator value at every level (columns and order of :func:`indicators.engine.tables.indicator_values`)."""
    registry = registry or load_registry()
    obs, areas = tables["observations"], tables["areas"]
    used = sorted({m for ind in registry.indicators.values() for m in ind.formula.measures()}
                  | {registry.measure(ind.formula.numerator[0]).weight for ind in registry.indicators.values()
                     if ind.formula.kind == "weighted_mean"})
    obs = obs[obs.measure_id.isin(used)]
    wide = obs.pivot(index=["area_code", "year"], columns="measure_id", values="value")
    wide = wide.reindex(columns=used).reset_index()
    wide = wide.merge(areas.rename(columns={"code": "area_code"}), on="area_code", how="inner")
    own = wide[wide.level != "subdistrict"]
    # every subdistrict gets a row for every year on record (estimates may fill a year it did not report)
    subs = areas[areas.level == "subdistrict"]
    grid = pd.MultiIndex.from_product([subs.code, sorted(obs.year.unique())], names=["area_code", "year"])
    sub = wide[wide.level == "subdistrict"].set_index(["area_code", "year"])[used].reindex(grid).reset_index()
    sub = sub.merge(areas.rename(columns={"code": "area_code"}), on="area_code", how="left")
    sub = sub.sort_values(["area_code", "year"]).reset_index(drop=True)

    def carried(m: str, age: int) -> pd.Series:
        """Measure ``m`` with gaps filled by the subdistrict's latest earlier figure at most ``age`` years old."""
        g = sub.groupby("area_code", sort=False)
        last_year = sub["year"].where(sub[m].notna()).groupby(sub["area_code"]).ffill()
        fill = sub[m].isna() & (sub["year"] - last_year <= age)
        return sub[m].where(~fill, g[m].ffill())

    n_expected = subs.groupby("parent_code").size()
    n_expected = pd.concat([n_expected, n_expected.groupby(areas.set_index("code")["parent_code"]).sum()])
    # a subdistrict's district and province
    parents = areas.set_index("code")["parent_code"]
    sub = sub.assign(district=sub.parent_code.values, province=sub.parent_code.map(parents).values)
    in_tree = sub.parent_code.isin(parents.index).to_numpy()
    frames = []
    for ind in registry.indicators.values():
        f = ind.formula
        weight = registry.measure(f.numerator[0]).weight if f.kind == "weighted_mean" else None

        def num_of(d, f=f, w=weight):
            return d[f.numerator[0]] * d[w] if w else _terms(d, f.numerator)

        def den_of(d, f=f, w=weight):
            if w:
                return d[w]
            return pd.Series(np.nan, index=d.index) if f.kind == "total" else _terms(d, f.denominator)

        num_measures = list(dict.fromkeys(Formula.term(t)[1] for t in f.numerator))

        def ok(d, n, den, f=f):
            return n.notna() if f.kind == "total" else (n.notna() & den.notna())

        def value_of(n, den, f=f):
            if f.kind == "total":
                return f.scale * n
            return f.scale * n / den.where(den != 0)

        # subdistricts: their own value, a row whenever a numerator figure was reported
        n, d = num_of(sub), den_of(sub)
        k = ok(sub, n, d)
        has = sub[num_measures].notna().any(axis=1)
        v = sub[f.numerator[0]] if weight else value_of(n, d)
        frames.append(pd.DataFrame({
            "area_code": sub.area_code, "level": sub.level, "parent_code": sub.parent_code, "indicator_id": ind.id,
            "year": sub.year, "value": v, "numerator": n, "denominator": d, "n_subdistricts": k.astype("int64"),
            "n_estimated": 0, "n_expected": 1, "complete": k & v.notna(), "estimated": False,
        })[has])
        # estimates (carry_forward): the measures with their gaps filled, for the subdistricts without every part
        e = pd.Series(False, index=sub.index)
        rn, rd = n, d
        if ind.impute == "carry_forward":
            filled = sub.copy()
            for m in f.measures() + ([weight] if weight else []):
                filled[m] = carried(m, ind.max_age)
            cn, cd = num_of(filled), den_of(filled)
            e = ok(filled, cn, cd) & ~k
            rn, rd = n.where(k, cn), d.where(k, cd)
        # roll-up of the complete (or estimated) subdistricts to districts and provinces
        fed = k | e
        parts = pd.DataFrame({"year": sub.year, "district": sub.district, "province": sub.province,
                              "n": rn.where(fed), "d": rd.where(fed), "k": k.astype("int64"),
                              "e": e.astype("int64")})[in_tree]
        rolls = []
        for key in ("district", "province"):
            g = parts.groupby([key, "year"])
            r = pd.DataFrame({"n": g["n"].sum(min_count=1), "d": g["d"].sum(min_count=1), "c": g["k"].sum(),
                              "ce": g["e"].sum()})
            rolls.append(r.rename_axis(["area_code", "year"]).reset_index())
        roll = pd.concat(rolls, ignore_index=True)
        # an area's own upload, when complete, beats the roll-up
        on, od = num_of(own), den_of(own)
        mine = pd.DataFrame({"area_code": own.area_code, "year": own.year, "un": on, "ud": od,
                             "uk": ok(own, on, od)})
        up = roll.merge(mine, on=["area_code", "year"], how="outer")
        uk = up["uk"].fillna(False).astype(bool)
        up["n"] = np.where(uk, up["un"], up["n"])
        up["d"] = np.where(uk, up["ud"], up["d"])
        up["c"] = np.where(uk, 0, up["c"].fillna(0))
        up["ce"] = np.where(uk, 0, up["ce"].fillna(0))
        up["own"] = uk
        up = up[uk | (up["c"] + up["ce"] > 0)]
        up = up.merge(areas.rename(columns={"code": "area_code"}), on="area_code", how="inner")
        expected = up["area_code"].map(n_expected).fillna(0).astype("int64")
        value = value_of(up["n"], up["d"])
        # complete: the area's own figure, or the subdistricts that fed it (reported or estimated) are all of them
        # (a total) or at least min_coverage of them
        fed = up["c"] + up["ce"]
        enough = fed >= expected if f.kind == "total" else fed >= ind.min_coverage * expected - 1e-9
        frames.append(pd.DataFrame({
            "area_code": up.area_code, "level": up.level, "parent_code": up.parent_code, "indicator_id": ind.id,
            "year": up.year, "value": value, "numerator": up["n"], "denominator": up["d"],
            "n_subdistricts": up["c"].astype("int64"), "n_estimated": up["ce"].astype("int64"),
            "n_expected": expected, "complete": value.notna() & (up["own"] | (enough & (expected > 0))),
            "estimated": up["ce"] > 0,
        }))
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype("int32")
    for col in ("value", "numerator", "denominator"):
        out[col] = out[col].astype("float64")
    for col in ("n_estimated", "n_expected"):
        out[col] = out[col].astype("int64")
    out["complete"] = out["complete"].astype(bool)
    out["estimated"] = out["estimated"].astype(bool)
    out = out.assign(_o=out.level.map(LEVEL_ORDER)).sort_values(["_o", "area_code", "indicator_id", "year"])
    return out.drop(columns="_o").reset_index(drop=True)


# ------------------------------------------------------------------------------------------------------ progress


def progress(vals: pd.DataFrame, tables: dict[str, pd.DataFrame], registry=None) -> pd.DataFrame:
    """One progress row per area and indicator (the columns of :func:`indicators.engine.tables.progress_table`)."""
    registry = registry or load_registry()
    meta = pd.DataFrame([{
        "indicator_id": i.id, "direction": i.direction, "reg_baseline_year": i.baseline_year,
        "reg_target_year": i.target_year, "t_value": i.target.value, "t_growth": i.target.growth_pct,
        "t_change": i.target.change,
    } for i in registry.indicators.values()]).astype({"t_value": "float64", "t_growth": "float64",
                                                      "t_change": "float64"})
    keys = ["area_code", "indicator_id"]
    series = vals.groupby(keys, sort=False).agg(level=("level", "first"), parent_code=("parent_code", "first"))
    series = series.reset_index()
    shown = vals[vals.value.notna()].sort_values(keys + ["year"])
    have = shown[shown.complete]  # only complete years count
    g = have.groupby(keys, sort=False)
    first = g.head(1).set_index(keys)
    last = g.tail(1).set_index(keys)
    stats = pd.DataFrame({"n_years": g.size(), "first_year": first["year"], "first_value": first["value"],
                          "latest_year": last["year"], "latest": last["value"],
                          "n_subdistricts": last["n_subdistricts"], "n_estimated": last["n_estimated"]})
    gs = shown.groupby(keys, sort=False)
    seen = pd.DataFrame({"n_shown": gs.size(), "last_shown": gs["year"].max()})
    # least squares over each series' last five years on record: slope = Sxy / Sxx from grouped sums
    tail = g.tail(P.WINDOW)
    x = tail["year"].astype(float) - 2000
    y = tail["value"]
    t = pd.DataFrame({"area_code": tail.area_code, "indicator_id": tail.indicator_id, "x": x, "y": y,
                      "xx": x * x, "xy": x * y, "one": 1.0})
    s = t.groupby(keys, sort=False)[["x", "y", "xx", "xy", "one"]].sum()
    sxx = s["xx"] - s["x"] ** 2 / s["one"]
    sxy = s["xy"] - s["x"] * s["y"] / s["one"]
    raw_slope = (sxy / sxx).where((s["one"] >= 2) & (sxx > 0))
    stats["observed_slope"] = P.flat_to_zero(raw_slope, s["y"] / s["one"])
    # the slope's standard error: the residuals of each series' fit (n − 2 degrees of freedom)
    fit = pd.DataFrame({"b": raw_slope, "mx": s["x"] / s["one"], "my": s["y"] / s["one"]})
    res = t.join(fit, on=keys)
    res = (res["y"] - res["my"] - res["b"] * (res["x"] - res["mx"])) ** 2
    rss = res.groupby([t.area_code, t.indicator_id], sort=False).sum()
    stats["slope_se"] = np.sqrt(rss / (s["one"] - 2) / sxx).where((s["one"] >= 3) & (sxx > 0))
    stats["slope_df"] = (s["one"] - 2).clip(lower=0)
    at_base = have.merge(meta[["indicator_id", "reg_baseline_year"]], on="indicator_id")
    at_base = at_base[at_base.year == at_base.reg_baseline_year].set_index(keys)
    stats["value_at_baseline"] = at_base["value"]
    # estimated: a point the status rests on (the slope's years, the baseline) carries estimates
    tail_est = tail.groupby(keys, sort=False)["estimated"].any()
    base_est = at_base["estimated"].reindex(stats.index)
    base_est = base_est.where(base_est.notna(), first["estimated"].reindex(stats.index))
    stats["estimated"] = tail_est.reindex(stats.index).fillna(False).astype(bool) | base_est.astype(bool)
    df = series.merge(stats.reset_index(), on=keys, how="left").merge(meta, on="indicator_id", how="left")
    df = df.merge(seen.reset_index(), on=keys, how="left")
    df = df.merge(vals.groupby(keys, sort=False)["n_expected"].first().reset_index(), on=keys, how="left")
    df["n_years"] = df["n_years"].fillna(0).astype("int64")
    df["n_incomplete"] = (df["n_shown"].fillna(0) - df["n_years"]).astype("int64")
    pending = df["n_shown"].fillna(0).gt(0) & (df["latest_year"].isna() | (df["last_shown"] > df["latest_year"]))
    df["pending_year"] = df["last_shown"].where(pending).astype("Int64")
    df["complete"] = ~pending
    df["estimated"] = df["estimated"].fillna(False).astype(bool)
    for col in ("n_subdistricts", "n_estimated"):
        df[col] = df[col].fillna(0).astype("int64")
    df["n_expected"] = df["n_expected"].astype("int64")
    has_base = df["value_at_baseline"].notna()
    df["baseline_year"] = np.where(has_base, df["reg_baseline_year"], df["first_year"])
    df["baseline"] = np.where(has_base, df["value_at_baseline"], df["first_value"])
    target = np.select([df.t_value.notna(), df.t_growth.notna()],
                       [df.t_value, df.baseline * (1 + df.t_growth / 100)], df.baseline + df.t_change)
    target_year = df["reg_target_year"].astype(float)
    ov = tables["targets"].astype({"target": "float64", "target_year": "float64"})
    if len(ov):
        own = df[keys].merge(ov, on=keys, how="left")
        every = df[["indicator_id"]].merge(ov[ov.area_code == ""].drop(columns="area_code"), on="indicator_id",
                                           how="left")
        t_ov = own["target"].fillna(every["target"]).to_numpy()
        y_ov = own["target_year"].fillna(every["target_year"]).to_numpy()
        target = np.where(np.isnan(t_ov), target, t_ov)
        target_year = np.where(np.isnan(y_ov), target_year, y_ov)
    df["target"] = np.asarray(target, dtype=float)
    df["target_year"] = np.asarray(target_year, dtype=float)
    d, lat, tg, obs_s = df["direction"].to_numpy(), df["latest"].to_numpy(float), df["target"].to_numpy(), \
        df["observed_slope"].to_numpy(float)
    ly = df["latest_year"].to_numpy(float)
    df["progress_pct"] = P.progress_pct(df["baseline"].to_numpy(float), lat, tg)
    df["required_slope"] = P.required_slope(lat, tg, ly, df["target_year"].to_numpy())
    req = df["required_slope"].to_numpy()
    df["ratio"] = P.progress_ratio(obs_s, req, d, lat, tg)
    df["status"] = P.classify(lat, tg, d, obs_s, req, df["n_years"].to_numpy())
    df["projected_year"] = P.projected_year(lat, tg, d, obs_s, ly)
    # the interval columns, from the documented plain functions
    lo, hi = P.slope_interval(obs_s, df["slope_se"].to_numpy(float), df["slope_df"].to_numpy(float))
    df["slope_low"], df["slope_high"] = lo, hi
    r = np.vstack([P.progress_ratio(x, req, d, lat, tg) for x in (lo, hi)]).astype(float)
    df["ratio_low"], df["ratio_high"] = np.fmin(r[0], r[1]), np.fmax(r[0], r[1])
    df["projected_low"], df["projected_high"] = P.projected_interval(lat, tg, d, lo, hi, ly)
    n = df["n_years"].to_numpy()
    point = P.classify(lat, tg, d, obs_s, req, n)
    ends = [P.classify(lat, tg, d, np.where(np.isnan(x), obs_s, x), req, n) for x in (lo, hi)]
    order = {k: i for i, k in enumerate(P.STATUSES)}
    a, b = (pd.Series(e).map(order).to_numpy() for e in ends)
    settled = np.isin(point, ["achieved", "insufficient_data"])
    no_interval = df["slope_se"].isna().to_numpy()
    df["status_best"] = np.where(settled, point, np.array(P.STATUSES)[np.minimum(a, b)])
    df["status_worst"] = np.where(settled, point, np.array(P.STATUSES)[np.maximum(a, b)])
    df["confidence"] = np.where(point == "insufficient_data", "none",
                                np.where(settled | (~no_interval & (a == b)), "firm",
                                         np.where(no_interval, "none", "uncertain")))
    df["projection"] = np.select(
        [point == "achieved", point == "insufficient_data", no_interval,
         np.isnan(np.asarray(df["projected_low"], dtype=float)),
         np.isnan(np.asarray(df["projected_high"], dtype=float))],
        ["achieved", "none", "too_few", "not_at_this_pace", "cannot_tell"], "interval")
    df.loc[df.n_years == 0, ["progress_pct", "required_slope", "ratio", "projected_year", "slope_se", "slope_low",
                             "slope_high", "ratio_low", "ratio_high", "projected_low", "projected_high"]] = np.nan
    df = df.assign(_o=df.level.map(LEVEL_ORDER)).sort_values(["_o", "area_code", "indicator_id"])
    out = df[P.COLUMNS].reset_index(drop=True)
    for col in ("baseline_year", "latest_year", "target_year"):
        out[col] = out[col].astype("Int64")
    for col in ("status", "status_best", "status_worst", "confidence", "projection"):
        out[col] = out[col].astype(str)
    return out


# ------------------------------------------------------------------------------------------------------ index


def index(vals: pd.DataFrame, registry=None, spec=None) -> pd.DataFrame:
    """Domain scores and the index per area and year, equal weights, arithmetic (like ``index_table(db)``)."""
    registry = registry or load_registry()
    spec = spec or load_index_spec()
    total_w = sum(spec.weights.values())
    weights = {k: v / total_w for k, v in spec.weights.items()}
    inds = pd.DataFrame([{"indicator_id": i.id, "domain": i.domain, "higher": i.direction == "higher",
                          "lo": i.bounds.lower, "hi": i.bounds.upper}
                         for i in registry.indicators.values() if i.in_index])
    n_ind = inds.groupby("domain").size().reindex(list(DOMAINS), fill_value=0)
    v = vals.merge(inds, on="indicator_id")
    cells = v[["area_code", "level", "parent_code", "year"]].drop_duplicates()
    left = v[v.value.notna() & ~v.complete].groupby(["area_code", "year", "domain"]).size().rename("n_left")
    ok = v[v.value.notna() & np.isfinite(v.value) & v.complete]
    raw = np.where(ok.higher, 100 * (ok.value - ok.lo) / (ok.hi - ok.lo), 100 * (ok.hi - ok.value) / (ok.hi - ok.lo))
    ok = ok.assign(score=np.clip(raw, 0, 100))
    dom = ok.groupby(["area_code", "year", "domain"])["score"].agg(["mean", "size"]).reset_index()
    grid = cells.merge(pd.DataFrame({"domain": list(DOMAINS)}), how="cross")
    d = grid.merge(dom, on=["area_code", "year", "domain"], how="left")
    d = d.merge(left.reset_index(), on=["area_code", "year", "domain"], how="left")
    d["complete"] = d["n_left"].isna()
    d["n_available"] = d["size"].fillna(0).astype("int64")
    d["n_indicators"] = d["domain"].map(n_ind).astype("int64")
    d["score"] = d["mean"].where(2 * d.n_available >= d.n_indicators)
    d["w"] = d["domain"].map(weights)
    use = d.score.notna() & (d.w > 0)
    d["ws"] = (d.w * d.score).where(use)
    d["wu"] = d.w.where(use)
    d["used"] = use.astype("int64")
    grouped = d.groupby(["area_code", "level", "parent_code", "year"], dropna=False)
    h = grouped[["ws", "wu", "used"]].sum(min_count=1)
    h["complete"] = grouped["complete"].all()
    h = h.reset_index()
    n_weighted = sum(1 for k in DOMAINS if weights[k] > 0)
    h["n_available"] = h["used"].fillna(0).astype("int64")
    h["n_indicators"] = n_weighted
    h["score"] = (h.ws / h.wu).where(2 * h.n_available >= n_weighted)
    h["domain"] = "hmi"
    cols = ["area_code", "level", "parent_code", "year", "domain", "score", "n_available", "n_indicators", "complete"]
    out = pd.concat([d[cols], h[cols]], ignore_index=True)
    dorder = {k: i for i, k in enumerate((*DOMAINS, "hmi"))}
    out = out.assign(_o=out.level.map(LEVEL_ORDER), _d=out.domain.map(dorder))
    out = out.sort_values(["_o", "area_code", "year", "_d"]).drop(columns=["_o", "_d"]).reset_index(drop=True)
    out["year"] = out["year"].astype("int32")
    out["score"] = out["score"].astype("float64")
    return out


def compute(db: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """Values, progress and index from the store, all in pandas."""
    tables = read_store(db)
    vals = values(tables)
    return {"values": vals, "progress": progress(vals, tables), "index": index(vals)}


# ------------------------------------------------------------------------------------------------------ checking


def _compare_frame(name: str, got: pd.DataFrame, ref: pd.DataFrame, keys: list[str], rtol: float) -> list[str]:
    problems: list[str] = []
    if list(got.columns) != list(ref.columns):
        return [f"{name}: columns differ: {list(got.columns)} vs {list(ref.columns)}"]
    if len(got) != len(ref):
        problems.append(f"{name}: {len(got)} rows vs {len(ref)} in the reference")
    g = got.reset_index(drop=True)
    r = ref.reset_index(drop=True)
    if len(g) == len(r) and not g[keys].astype(str).equals(r[keys].astype(str)):
        problems.append(f"{name}: keys or order differ")
        m = g[keys].astype(str).ne(r[keys].astype(str)).any(axis=1)
        problems.append(f"  first differing row: {g[keys][m].head(1).to_dict('records')} vs "
                        f"{r[keys][m].head(1).to_dict('records')}")
    if problems:
        return problems
    for col in got.columns:
        if col in keys:
            continue
        a, b = g[col], r[col]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            x = a.to_numpy(dtype=float, na_value=np.nan)
            y = b.to_numpy(dtype=float, na_value=np.nan)
            both_nan = np.isnan(x) & np.isnan(y)
            with np.errstate(invalid="ignore"):
                close = np.isclose(x, y, rtol=rtol, atol=1e-12) | both_nan | (x == y)
            if col == "projected_year" and not close.all():
                # a whole year (ceil) of a float: two slopes one rounding apart may land either side of a year
                # (and a flat series, slope ≈ 0 within rounding, is "never" or "in 10¹⁶ years" by a hair)
                slope = r["observed_slope"].to_numpy(float)
                with np.errstate(invalid="ignore", divide="ignore"):
                    gap = (r["target"] - r["latest"]).to_numpy(float) / slope
                    edge = (np.abs(gap - np.round(gap)) <= 1e-6 * np.maximum(1, np.abs(gap))) & (np.abs(x - y) <= 1)
                    flat = np.abs(slope) <= 1e-9 * np.maximum(1, np.abs(r["latest"].to_numpy(float)))
                close |= edge | flat
            if col in ("slope_low", "slope_high"):
                # slope ± t × se: a difference, so its rounding is relative to the slope and the half-width
                scale = np.abs(r["observed_slope"].to_numpy(float)) + np.abs(r["slope_se"].to_numpy(float)) * 3.1
                with np.errstate(invalid="ignore"):
                    close |= np.abs(x - y) <= rtol * scale
            if col in ("ratio_low", "ratio_high"):
                with np.errstate(invalid="ignore", divide="ignore"):
                    scale = (np.abs(r["ratio"].to_numpy(float))
                             + 3.1 * np.abs(r["slope_se"].to_numpy(float) / r["required_slope"].to_numpy(float)))
                    close |= np.abs(x - y) <= rtol * scale
            if col in ("projected_year", "projected_low", "projected_high"):
                # a pace that needs just about HORIZON years lands on either side of it by a rounding; the
                # interval's ends are whole years of float sums (t × se), one apart at most
                horizon = r["latest_year"].to_numpy(dtype=float, na_value=np.nan) + P.HORIZON
                with np.errstate(invalid="ignore"):
                    one = np.where(np.isnan(x), y, x)
                    close |= (np.isnan(x) != np.isnan(y)) & (np.abs(one - horizon) <= 1)
                    if col != "projected_year":
                        close |= np.abs(x - y) <= 1
            if not close.all():
                i = int(np.flatnonzero(~close)[0])
                problems.append(f"{name}.{col}: {int((~close).sum())} values differ beyond {rtol:g} relative; "
                                f"first at {g.loc[i, keys].to_dict()}: {x[i]!r} vs {y[i]!r}")
        elif not a.astype(str).equals(b.astype(str)):
            i = int(np.flatnonzero(a.astype(str).to_numpy() != b.astype(str).to_numpy())[0])
            problems.append(f"{name}.{col}: differs first at {g.loc[i, keys].to_dict()}: {a[i]!r} vs {b[i]!r}")
    return problems


def compare(project: dict[str, pd.DataFrame], reference: dict[str, pd.DataFrame], rtol: float = 1e-9) -> list[str]:
    """Differences between the project's frames and the reference's (an empty list when they agree)."""
    return (
        _compare_frame("values", project["values"], reference["values"],
                       ["area_code", "level", "parent_code", "indicator_id", "year"], rtol)
        + _compare_frame("progress", project["progress"], reference["progress"],
                         ["area_code", "level", "parent_code", "indicator_id"], rtol)
        + _compare_frame("index", project["index"], reference["index"],
                         ["area_code", "level", "parent_code", "year", "domain"], rtol)
    )


def project(db: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """The project's own three tables, through its public functions."""
    from indicators.engine.tables import index_table, indicator_values, progress_table

    return {"values": indicator_values(db), "progress": progress_table(db), "index": index_table(db)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    problems = compare(project(args.db), compute(args.db))
    print("\n".join(problems) if problems else "project == pandas reference (1e-9 relative)")
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
