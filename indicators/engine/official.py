"""Figures published by agencies (``official_observations``): monthly series, years derived the registry's way, and
how indicators that prefer an agency's figures use them.

Years from months, per measure (``monthly_to_yearly`` in the registry): ``sum`` for counts and money, ``mean`` (the
plain mean of the months: the occupancy rate, whose right weight, room-nights available, is not published) or
``weighted_mean`` (weighted by ``monthly_weight`` of the same area, source and month).  A year with fewer than twelve
months is **partial**: it is listed (with ``n_months``) and drawn as such, but never used as a year by an indicator or
its progress.  A figure published for the whole year (month 0) is used as it is.

Source preference (``prefer_source`` per indicator): where the preferred agency has complete years for an area, that
area's series of the indicator is the agency's, every year of it; the council roll-up is not mixed in (not even in
other years, so that a trend never joins two sources).  The formula is applied to the agency's own figures when it
publishes every part; an indicator with ``published_rate`` takes the agency's published rate (occupancy %, published
without its parts) as its value.  Elsewhere (other areas, indicators preferring councils) nothing changes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.registry import Formula, Registry, load_registry

YEAR_COLUMNS = ["area_code", "measure_id", "source", "year", "value", "n_months", "complete"]


def monthly_frame(con, area: str | None = None) -> pd.DataFrame:
    """Monthly agency figures (area_code, measure_id, source, year, month, value, batch_id), months 1–12."""
    where, params = "WHERE month > 0", []
    if area is not None:
        where += " AND area_code = ?"
        params.append(area)
    return con.sql(f"""SELECT area_code, measure_id, source, year, month, value, batch_id
                       FROM official_observations {where}
                       ORDER BY area_code, measure_id, source, year, month""",
                   params=params or None).to_arrow_table().to_pandas()  # through Arrow: 2× faster than .df()


def yearly_from_monthly(monthly: pd.DataFrame, registry: Registry | None = None,
                        published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Years from months, per measure's ``monthly_to_yearly`` (columns :data:`YEAR_COLUMNS`).

    ``published``: figures published for whole years (month 0), used as they are (complete).
    """
    registry = registry or load_registry()
    keys = ["area_code", "measure_id", "source", "year"]
    parts = []
    if len(monthly):
        m = monthly[["area_code", "measure_id", "source", "year", "month", "value"]]
        rules = {i: registry.measures[i].monthly_to_yearly for i in m["measure_id"].unique() if i in registry.measures}
        how = m["measure_id"].map(rules)  # one lookup per measure, not per month
        for rule in ("sum", "mean", "weighted_mean"):
            sub = m[how == rule]
            if sub.empty:
                continue
            if rule == "weighted_mean":
                wid = sub["measure_id"].map(lambda i: registry.measures[i].monthly_weight)
                w = m.rename(columns={"measure_id": "weight_id", "value": "w"})
                sub = sub.assign(weight_id=wid).merge(w, on=["area_code", "weight_id", "source", "year", "month"],
                                                      how="left")
                sub = sub.assign(vw=sub["value"] * sub["w"])
                g = sub.groupby(keys, as_index=False).agg(vw=("vw", "sum"), w=("w", "sum"), n_months=("month", "size"),
                                                          n_w=("w", "count"))
                # a month without its weight makes the year's weighted mean unknown
                g["value"] = np.where((g["n_w"] == g["n_months"]) & (g["w"] > 0), g["vw"] / g["w"].where(g["w"] > 0),
                                      np.nan)
            else:
                g = sub.groupby(keys, as_index=False).agg(value=("value", rule), n_months=("month", "size"))
            parts.append(g[[*keys, "value", "n_months"]])
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*keys, "value", "n_months"])
    out["complete"] = out["n_months"] >= 12
    if published is not None and len(published):
        pub = published[keys + ["value"]].assign(n_months=12, complete=True)
        out = pd.concat([out.merge(pub[keys], on=keys, how="left", indicator=True)
                         .query("_merge == 'left_only'").drop(columns="_merge"), pub], ignore_index=True)
    out = out.astype({"year": "int64", "n_months": "int64", "value": "float64", "complete": "bool"})
    return out.sort_values(keys).reset_index(drop=True)[YEAR_COLUMNS]


def yearly_frame(con, registry: Registry | None = None, area: str | None = None) -> pd.DataFrame:
    """Every agency figure by year (complete and partial), from the store open on ``con``."""
    where, params = "WHERE month = 0", []
    if area is not None:
        where += " AND area_code = ?"
        params.append(area)
    published = con.execute(f"SELECT area_code, measure_id, source, year, value FROM official_observations {where}",
                            params).df()
    return yearly_from_monthly(monthly_frame(con, area), registry, published)


def _has_table(con) -> bool:
    """The store has agency figures (the table exists and is not empty)."""
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                       "'official_observations'").fetchall()[0][0]:
        return False
    return bool(con.execute("SELECT EXISTS (SELECT 1 FROM official_observations)").fetchall()[0][0])


def apply_official(con, d, registry: Registry) -> None:
    """Put the preferred agencies' complete years into the dense arrays ``d`` (:class:`indicators.engine.values.Dense`).

    Sets ``d.official`` (bool ``[area, indicator, year]``: the value is the agency's) and ``d.official_source``
    (indicator id → source).  Adds years the store's own observations do not have.  Does nothing without agency
    figures.
    """
    wanted = {i.id: i for i in registry.indicators.values() if i.prefer_source != "council"}
    d.official_source = {k: i.prefer_source for k, i in wanted.items()}
    if not wanted or not _has_table(con):
        return
    years = yearly_frame(con, registry)
    held = [c for c in years["area_code"].unique() if c in d.code_pos]  # the few codes in the table, not every area
    years = years[years["complete"] & years["area_code"].isin(held) & years["value"].notna()]
    if years.empty:
        return
    _add_years(d, np.unique(years["year"].to_numpy()))
    ypos = {int(y): k for k, y in enumerate(d.years)}
    if d.official is None:
        d.official = np.zeros(d.value.shape, dtype=bool)
    for ind_id, ind in wanted.items():
        if ind_id not in d.indicator_ids:
            continue
        j = d.indicator_ids.index(ind_id)
        src = years[years["source"] == ind.prefer_source]
        wide = src.pivot_table(index=["area_code", "year"], columns="measure_id", values="value", aggfunc="first")
        if wide.empty:
            continue
        f = ind.formula

        def col(m: str, wide=wide) -> np.ndarray:
            return wide[m].to_numpy(dtype=float) if m in wide.columns else np.full(len(wide), np.nan)

        def terms(ts: list[str], col=col, wide=wide) -> np.ndarray:
            out = np.zeros(len(wide))
            for t in ts:
                sgn, m = Formula.term(t)
                out = out + sgn * col(m)
            return out

        with np.errstate(invalid="ignore", divide="ignore"):
            if f.kind == "weighted_mean":
                w = registry.measure(f.numerator[0]).weight
                num, den = col(f.numerator[0]) * col(w), col(w)
                value = col(f.numerator[0])
            elif f.kind == "total":
                num, den = terms(f.numerator), np.full(len(wide), np.nan)
                value = f.scale * num
            else:
                num, den = terms(f.numerator), terms(f.denominator)
                value = np.where(den != 0, f.scale * num / np.where(den != 0, den, 1.0), np.nan)
        ok = ~np.isnan(value)
        if ind.published_rate is not None:
            rate = col(ind.published_rate)
            use_rate = ~ok & ~np.isnan(rate)
            value = np.where(use_rate, rate, value)
            num = np.where(use_rate, np.nan, num)
            den = np.where(use_rate, np.nan, den)
            ok = ok | use_rate
        if not ok.any():
            continue
        idx = wide.index[ok]
        a = np.array([d.code_pos[c] for c in idx.get_level_values(0)])
        y = np.array([ypos[int(v)] for v in idx.get_level_values(1)])
        # the agency's series replaces the area's whole series of this indicator: sources never join in a trend
        for arr, fill in ((d.value, np.nan), (d.numerator, np.nan), (d.denominator, np.nan), (d.has, False),
                          (d.n_subdistricts, 0), (d.n_estimated, 0), (d.complete, False)):
            arr[np.unique(a), j, :] = fill
        d.value[a, j, y] = value[ok]
        d.numerator[a, j, y] = num[ok]
        d.denominator[a, j, y] = den[ok]
        d.n_subdistricts[a, j, y] = 0
        d.has[a, j, y] = True
        d.complete[a, j, y] = True  # a figure published for the area itself
        d.official[a, j, y] = True


def _add_years(d, new: np.ndarray) -> None:
    """Widen the year axis of ``d`` to include ``new`` years (empty cells)."""
    years = np.union1d(d.years.astype(np.int64), new.astype(np.int64))
    if len(years) == len(d.years):
        return
    pos = np.searchsorted(years, d.years)
    shape = (d.value.shape[0], d.value.shape[1], len(years))

    def widen(arr: np.ndarray, fill) -> np.ndarray:
        out = np.full(shape, fill, dtype=arr.dtype)
        out[:, :, pos] = arr
        return out

    d.value, d.numerator, d.denominator = widen(d.value, np.nan), widen(d.numerator, np.nan), \
        widen(d.denominator, np.nan)
    d.n_subdistricts, d.has = widen(d.n_subdistricts, 0), widen(d.has, False)
    d.n_estimated, d.complete = widen(d.n_estimated, 0), widen(d.complete, False)
    if d.official is not None:
        d.official = widen(d.official, False)
    d.years = years.astype(np.int32)


def official_cells(d, area: str | None = None) -> pd.DataFrame:
    """(area_code, indicator_id, year, source) of every value in ``d`` that is an agency's figure."""
    cols = ["area_code", "indicator_id", "year", "source"]
    if d.official is None or not d.official.any():
        return pd.DataFrame(columns=cols)
    off = d.official
    if area is not None:
        pos = d.code_pos.get(area)
        if pos is None:
            return pd.DataFrame(columns=cols)
        mask = np.zeros(off.shape[0], dtype=bool)
        mask[pos] = True
        off = off & mask[:, None, None]
    a, j, y = np.nonzero(off)
    codes = np.asarray(d.codes, dtype=object)
    ids = np.asarray(d.indicator_ids, dtype=object)
    return pd.DataFrame({"area_code": codes[a], "indicator_id": ids[j], "year": d.years[y].astype(int),
                         "source": [d.official_source.get(i, "") for i in ids[j]]})
