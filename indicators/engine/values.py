"""Indicator values for every area and year, at subdistrict, district and province level.

The arithmetic is generated from the registry twice, in two forms that give the same numbers: :func:`values_sql`,
one SELECT that any SQL engine can run, and the dense engine (:func:`compute`, :class:`Dense`), which
:mod:`indicators.engine.tables` uses because it is faster on one machine (docs/PERFORMANCE.md). Nothing loops over
areas or years in Python.

How a value is made (DESIGN §4):

* **ratio**: ``scale × Σ numerator / Σ denominator``. At district and province level the sums run over the
  subdistricts, so a district's occupancy is Σ room_nights_sold / Σ room_nights_available, never a mean of rates.
  Numerator terms may be subtracted (``youth_in − youth_out``).
* **total**: ``Σ numerator`` (counts and amounts); ``denominator`` is empty (NULL).
* **weighted_mean**: ``Σ(measure × weight) / Σ weight`` with the measure's own ``weight`` (population, land area).
  A subdistrict's value is its own score (its weight only matters when it is summed into a district).

Missing parts and partial coverage:

* A subdistrict row exists for every year in which it reported at least one numerator measure of the indicator (the
  indicator's own figures, not just a shared denominator such as population); its value is NULL when a part is
  missing or the denominator is 0.
* A district (or province) value uses only the subdistricts that have **every** part of the formula for that year
  (for a weighted mean: the score and its weight), so numerator and denominator always cover the same subdistricts.
  ``n_subdistricts`` says how many fed it: compare it with the number of subdistricts in the area before reading a
  total (a count over fewer subdistricts is smaller for that reason alone). Rates and means are less sensitive.
  A district with no complete subdistrict in a year has no row for that year.
* A figure uploaded for a district or the province itself (e.g. provincial tourism statistics), when it has every part,
  is used for that area and year instead of the roll-up; such rows have ``n_subdistricts = 0``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.engine.official import apply_official
from indicators.registry import Formula, Indicator, Registry, load_registry
from loaders.errors import InputRejected

COLUMNS = [
    "area_code", "level", "parent_code", "indicator_id", "year", "value", "numerator", "denominator",
    "n_subdistricts", "n_estimated", "n_expected", "complete", "estimated",
]
_COVERAGE_EPS = 1e-9
LEVELS = ("province", "district", "subdistrict")


class UnknownName(InputRejected, ValueError):
    """An unknown indicator, area or level was asked for (exit 2 on the command line)."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sum_terms(terms: list[str]) -> str:
    """``["youth_in", "-youth_out"]`` → ``(0 + "youth_in" - "youth_out")`` (NULL when any term is NULL)."""
    out = "(0"
    for term in terms:
        sign, m = Formula.term(term)
        out += (" - " if sign < 0 else " + ") + _q(m)
    return out + ")"


def _parts(ind: Indicator, registry: Registry) -> tuple[str, str, str, list[str]]:
    """SQL for (numerator, denominator, subdistrict value, measures read) of one indicator over the pivoted row."""
    f = ind.formula
    scale = repr(float(f.scale))
    if f.kind == "weighted_mean":
        m = f.numerator[0]
        w = registry.measure(m).weight
        assert w is not None
        return f"({_q(m)} * {_q(w)})", _q(w), _q(m), [m, w]
    num = _sum_terms(f.numerator)
    if f.kind == "total":
        return num, "CAST(NULL AS DOUBLE)", f"{scale} * {num}", f.measures()
    den = _sum_terms(f.denominator)
    return num, den, f"{scale} * {num} / NULLIF({den}, 0)", f.measures()


def _carried(m: str, age: int) -> str:
    """The column of measure ``m`` carried forward at most ``age`` years (its name in the ``carried`` step)."""
    return f"c{age}__{m}"


def values_sql(registry: Registry | None = None, observations: str = "observations") -> str:
    """The one SELECT giving every indicator for every area, level and year (columns :data:`COLUMNS`, unsorted).

    Plan: pivot the observations to one row per area and year (a column per measure); give every subdistrict a row
    for every year on record and carry the measures of ``impute: carry_forward`` indicators forward with window
    functions; compute every indicator's numerator, denominator and completeness as columns of that row; roll the
    complete (or estimated) subdistricts up to districts and provinces with one GROUPING SETS aggregate, with the
    coverage counts; only then unpivot to one row per indicator. The heavy work happens on (area, year) rows.
    ``observations``: the table or a named common table expression of the same columns (a part of the store).
    """
    registry = registry or load_registry()
    used: list[str] = []
    carry: dict[tuple[str, int], None] = {}
    cols, sub_cols, rolls, uppers, out_sub, out_up = [], [], [], [], [], []
    for i, ind in enumerate(registry.indicators.values()):
        num, den, sub_value, measures = _parts(ind, registry)
        used += [m for m in measures if m not in used]
        # a subdistrict row exists when the indicator's own figures (its numerator) were reported
        num_measures = [Formula.term(t)[1] for t in ind.formula.numerator]
        has = " OR ".join(f"{_q(m)} IS NOT NULL" for m in dict.fromkeys(num_measures))
        total = ind.formula.kind == "total"
        ok = f"{num} IS NOT NULL" if total else f"{num} IS NOT NULL AND {den} IS NOT NULL"
        cols.append(f"{num} AS n{i}, {den} AS d{i}, {sub_value} AS v{i}, ({has}) AS h{i}, ({ok}) AS k{i}")
        if ind.impute == "carry_forward":
            for m in measures:
                carry[(m, ind.max_age)] = None
            ren = {m: _carried(m, ind.max_age) for m in measures}

            def over(text: str, ren=ren) -> str:
                for m, c in ren.items():
                    text = text.replace(_q(m), _q(c))
                return text

            sub_cols.append(f"{over(num)} AS cn{i}, {over(den)} AS cd{i}, "
                            f"(NOT ({ok}) AND ({over(ok)})) AS e{i}")
        else:
            sub_cols.append(f"CAST(NULL AS DOUBLE) AS cn{i}, CAST(NULL AS DOUBLE) AS cd{i}, false AS e{i}")
        rolls.append(f"sum(CASE WHEN k{i} THEN n{i} ELSE cn{i} END) FILTER (WHERE k{i} OR e{i}) AS n{i}, "
                     f"sum(CASE WHEN k{i} THEN d{i} ELSE cd{i} END) FILTER (WHERE k{i} OR e{i}) AS d{i}, "
                     f"count(*) FILTER (WHERE k{i}) AS c{i}, count(*) FILTER (WHERE e{i}) AS ce{i}")
        uppers.append(
            f"CASE WHEN u.k{i} THEN u.n{i} ELSE r.n{i} END AS n{i}, "
            f"CASE WHEN u.k{i} THEN u.d{i} ELSE r.d{i} END AS d{i}, "
            f"CASE WHEN u.k{i} THEN 0 ELSE coalesce(r.c{i}, 0) END AS c{i}, "
            f"CASE WHEN u.k{i} THEN 0 ELSE coalesce(r.ce{i}, 0) END AS ce{i}, coalesce(u.k{i}, false) AS own{i}, "
            f"(u.k{i} IS TRUE OR coalesce(r.c{i}, 0) + coalesce(r.ce{i}, 0) > 0) AS h{i}"
        )
        scale = repr(float(ind.formula.scale))
        up_value = f"{scale} * n{i}" if total else f"{scale} * n{i} / NULLIF(d{i}, 0)"
        need = (f"c{i} + ce{i} >= n_expected" if total
                else f"c{i} + ce{i} >= {float(ind.min_coverage)!r} * n_expected - {_COVERAGE_EPS!r}")
        out_sub.append(f"SELECT area_code, level, parent_code, {_lit(ind.id)}, year, v{i}, n{i}, d{i}, "
                       f"CAST(k{i} AS BIGINT), 0, 1, (k{i} AND v{i} IS NOT NULL), false "
                       f"FROM ind WHERE level = 'subdistrict' AND h{i}")
        out_up.append(f"SELECT area_code, level, parent_code, {_lit(ind.id)}, year, {up_value}, n{i}, d{i}, "
                      f"CASE WHEN own{i} THEN 0 ELSE c{i} END, CASE WHEN own{i} THEN 0 ELSE ce{i} END, n_expected, "
                      f"({up_value}) IS NOT NULL AND (own{i} OR (n_expected > 0 AND {need})), "
                      f"NOT own{i} AND ce{i} > 0 FROM upper_named WHERE h{i}")
    pivot = ",\n    ".join(f"max(o.value) FILTER (WHERE o.measure_id = {_lit(m)}) AS {_q(m)}" for m in used)
    measure_list = ", ".join(_lit(m) for m in used)
    carried = "".join(
        f""",
    CASE WHEN {_q(m)} IS NOT NULL THEN {_q(m)}
         WHEN year - last_value(CASE WHEN {_q(m)} IS NOT NULL THEN year END IGNORE NULLS) OVER w <= {age}
         THEN last_value({_q(m)} IGNORE NULLS) OVER w END AS {_q(_carried(m, age))}"""
        for m, age in carry)
    sep = ",\n    "
    union = "\nUNION ALL ".join(out_sub + out_up)
    return f"""
WITH wide AS (
  SELECT o.area_code, any_value(a.level) AS level, any_value(a.parent_code) AS parent_code, o.year,
    {pivot}
  FROM {observations} o JOIN areas a ON a.code = o.area_code
  WHERE o.measure_id IN ({measure_list})
  GROUP BY o.area_code, o.year
),
years AS (SELECT DISTINCT year FROM {observations} WHERE measure_id IN ({measure_list})),
grid AS (
  SELECT s.code AS area_code, s.level, s.parent_code, y.year
  FROM areas s CROSS JOIN years y
  WHERE s.level = 'subdistrict' AND s.code IN (SELECT area_code FROM {observations})  -- none: never a row
),
carried AS (
  SELECT *{carried}
  FROM (SELECT g.area_code, g.level, g.parent_code, g.year, {", ".join("w." + _q(m) for m in used)}
        FROM grid g LEFT JOIN wide w ON w.area_code = g.area_code AND w.year = g.year)
  WINDOW w AS (PARTITION BY area_code ORDER BY year ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
ind AS MATERIALIZED (
  SELECT area_code, level, parent_code, year,
    {sep.join(cols)},
    {sep.join(sub_cols)}
  FROM carried
  UNION ALL BY NAME
  SELECT area_code, level, parent_code, year,
    {sep.join(cols)}
  FROM wide WHERE level <> 'subdistrict'
),
roll AS (
  SELECT CASE WHEN grouping(district) = 0 THEN district ELSE province END AS area_code, year,
    {sep.join(rolls)}
  FROM (SELECT s.*, s.parent_code AS district, d.parent_code AS province
        FROM ind s JOIN areas d ON d.code = s.parent_code WHERE s.level = 'subdistrict')
  GROUP BY GROUPING SETS ((district, year), (province, year))
),
expected(code, n_expected) AS (
  SELECT parent_code, count(*) FROM areas WHERE level = 'subdistrict' GROUP BY 1
  UNION ALL
  SELECT d.parent_code, count(*) FROM areas s JOIN areas d ON d.code = s.parent_code
  WHERE s.level = 'subdistrict' AND d.level = 'district' AND d.parent_code IS NOT NULL GROUP BY 1
),
upper AS (
  SELECT coalesce(r.area_code, u.area_code) AS area_code, coalesce(r.year, u.year) AS year,
    {sep.join(uppers)}
  FROM roll r FULL JOIN (SELECT * FROM ind WHERE level <> 'subdistrict') u
    ON u.area_code = r.area_code AND u.year = r.year
),
upper_named AS MATERIALIZED (
  SELECT u.*, a.level, a.parent_code, coalesce(e.n_expected, 0) AS n_expected
  FROM upper u JOIN areas a ON a.code = u.area_code LEFT JOIN expected e ON e.code = u.area_code
),
result(area_code, level, parent_code, indicator_id, year, value, numerator, denominator, n_subdistricts,
       n_estimated, n_expected, complete, estimated) AS (
{union}
)
SELECT area_code, level, parent_code, indicator_id, CAST(year AS INTEGER) AS year, CAST(value AS DOUBLE) AS value,
       CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator,
       CAST(n_subdistricts AS BIGINT) AS n_subdistricts, CAST(n_estimated AS BIGINT) AS n_estimated,
       CAST(n_expected AS BIGINT) AS n_expected, coalesce(complete, false) AS complete, estimated
FROM result
"""


def fetch_frame(con, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run a query and return a DataFrame through Arrow (many times faster than ``.df()`` for millions of rows)."""
    return con.sql(sql, params=params or None).to_arrow_table().to_pandas()


def check_filters(
    con, level: str | None = None, indicator: str | None = None, area: str | None = None,
    registry: Registry | None = None,
) -> None:
    """Raise :class:`UnknownName` (with a Thai and English message) for an unknown level, indicator or area."""
    registry = registry or load_registry()
    if level is not None and level not in LEVELS:
        raise UnknownName(f"ไม่รู้จักระดับพื้นที่ / unknown level {level!r} (one of {', '.join(LEVELS)})")
    if indicator is not None and indicator not in registry.indicators:
        raise UnknownName(f"ไม่รู้จักตัวชี้วัด / unknown indicator {indicator!r} (see `python -m indicators list`)")
    if area is not None and not con.execute("SELECT 1 FROM areas WHERE code = ?", [area]).fetchall():
        raise UnknownName(f"ไม่รู้จักรหัสพื้นที่ / unknown area code {area!r}")


def filtered_values_sql(
    registry: Registry, level: str | None = None, indicator: str | None = None, area: str | None = None
) -> tuple[str, list]:
    """:func:`values_sql` with optional filters, as (sql, params). With ``area``, only the observations of the area
    and the subdistricts and districts inside it are read (its values need no others)."""
    where, params = [], []
    sql = f"SELECT * FROM ({values_sql(registry)}) v"
    if area is not None:
        params = [area, area, area]
        sql = ("WITH scoped AS MATERIALIZED (SELECT o.* FROM observations o JOIN areas s ON s.code = o.area_code "
               "LEFT JOIN areas d ON d.code = s.parent_code "
               "WHERE o.area_code = ? OR s.parent_code = ? OR d.parent_code = ?) "
               f"SELECT * FROM ({values_sql(registry, 'scoped')}) v")
    for col, val in (("level", level), ("indicator_id", indicator), ("area_code", area)):
        if val is not None:
            where.append(f"{col} = ?")
            params.append(val)
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params


# ---------------------------------------------------------------------------------------------- the dense engine
#
# The tables (values, progress, index) are computed from one dense array of the observations,
# area × year × measure, built with one DuckDB query (a join and a scan) and a numpy scatter. This is the same
# arithmetic as :func:`values_sql`, done with numpy on whole arrays: a SQL pivot of 2.9 M observations with one
# FILTER aggregate per measure costs about 0.4 s at national scale, the scatter about 0.05 s, and the roll-ups are
# ``np.bincount`` over the parent of each subdistrict. The result is cached per store file (its size and change
# time) and registry, so the pages' many filtered calls after a change cost one computation.

LEVEL_ORDER = {"province": 0, "district": 1, "subdistrict": 2}
LEVEL_DTYPE = pd.CategoricalDtype(list(LEVELS))


def categorical(codes: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    """A categorical from codes known to be valid (-1 = missing): text columns of millions of rows without copying
    strings. Its categories are in the order the column sorts by (codes: code order; levels: province first)."""
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
_ORDER_SQL = "CASE level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, code"


@dataclass(eq=False)
class Dense:
    """Every indicator for every area and year as arrays ``[area, indicator, year]`` (areas in output order)."""

    codes: list[str]  # area codes, sorted by level then code (the row order)
    parent_pos: np.ndarray  # the row of each area's parent (-1: none)
    level_idx: np.ndarray  # 0 province, 1 district, 2 subdistrict
    code_pos: dict[str, int]
    years: np.ndarray  # the distinct years on record (int32, ascending)
    indicator_ids: list[str]  # sorted by id (the output order)
    value: np.ndarray  # float64 [area, indicator, year]; NaN where there is no row or no value
    numerator: np.ndarray
    denominator: np.ndarray
    n_subdistricts: np.ndarray  # int64
    has: np.ndarray  # bool: a row exists
    targets: pd.DataFrame | None = None  # the store's target overrides (read with the same snapshot)
    official: np.ndarray | None = None  # bool: the value is an agency's figure (indicators.engine.official)
    official_source: dict | None = None  # indicator id → the agency source it prefers
    extras: dict = field(default_factory=dict)  # arrays derived from these (progress series, index), by key
    n_estimated: np.ndarray | None = None  # int64: subdistricts whose figure was carried forward (impute)
    n_expected: np.ndarray | None = None  # int64 [area]: the area's subdistricts (1 for a subdistrict)
    complete: np.ndarray | None = None  # bool: the value counts as a year (own figure, or enough coverage)

    def extra(self, key, build):
        """A derived result, built once per snapshot (``build()``) and kept."""
        out = self.extras.get(key)
        if out is None:
            out = self.extras[key] = build()
        return out

    def area_rows(self, level: str | None = None, area: str | None = None) -> np.ndarray:
        rows = np.arange(len(self.codes))
        if area is not None:
            pos = self.code_pos.get(area)
            rows = rows[:0] if pos is None else np.array([pos])
        if level is not None:
            rows = rows[self.level_idx[rows] == LEVEL_ORDER[level]]
        return rows

    def indicator_cols(self, ids: list[str] | None = None) -> np.ndarray:
        if ids is None:
            return np.arange(len(self.indicator_ids))
        pos = {k: i for i, k in enumerate(self.indicator_ids)}
        return np.array([pos[i] for i in ids if i in pos], dtype=np.int64)

    @functools.cached_property
    def _area_cats(self) -> tuple[pd.CategoricalDtype, np.ndarray, np.ndarray]:
        """The area-code dtype (categories in code order) and each row's own and parent's category code."""
        order = np.argsort(np.asarray(self.codes, dtype=object), kind="stable")
        own = np.empty(len(self.codes), dtype=np.int32)
        own[order] = np.arange(len(self.codes), dtype=np.int32)
        parent = np.where(self.parent_pos >= 0, own[np.maximum(self.parent_pos, 0)], -1).astype(np.int32)
        dtype = pd.CategoricalDtype([self.codes[k] for k in order])
        return dtype, own, parent

    @functools.cached_property
    def indicator_dtype(self) -> pd.CategoricalDtype:
        return pd.CategoricalDtype(self.indicator_ids)

    def area_columns(self, rows: np.ndarray) -> dict[str, pd.Categorical]:
        """``area_code``, ``level`` and ``parent_code`` of some rows, as categoricals (no string copies)."""
        dtype, own, parent = self._area_cats
        return {"area_code": categorical(own[rows], dtype), "level": categorical(self.level_idx[rows], LEVEL_DTYPE),
                "parent_code": categorical(parent[rows], dtype)}

    def indicator_column(self, cols: np.ndarray) -> pd.Categorical:
        return categorical(np.asarray(cols, dtype=np.int32), self.indicator_dtype)

    def values_frame(self, rows: np.ndarray, cols: np.ndarray) -> pd.DataFrame:
        """The long values table (columns :data:`COLUMNS`, sorted) for some areas and indicators."""
        arrays = (self.has, self.value, self.numerator, self.denominator, self.n_subdistricts, self.n_estimated,
                  self.complete)
        if len(rows) != len(self.codes):
            arrays = tuple(x[rows] for x in arrays)
        if len(cols) != len(self.indicator_ids):
            arrays = tuple(x[:, cols] for x in arrays)
        has, value, numerator, denominator, n_sub, n_est, complete = arrays
        flat = np.flatnonzero(has)  # cells in output order: area, indicator, year
        ni, ny = has.shape[1], has.shape[2]
        a, rest = np.divmod(flat, ni * ny)
        i, y = np.divmod(rest, ny)
        n_est = n_est.reshape(-1).take(flat)
        # each area's count of subdistricts, repeated over its cells (the cells come area by area)
        per_area = np.bincount(a, minlength=len(rows)) if len(flat) else np.zeros(len(rows), dtype=np.int64)
        n_expected = np.repeat(np.asarray(self.n_expected)[rows], per_area)
        return pd.DataFrame({
            **self.area_columns(rows[a]),
            "indicator_id": self.indicator_column(cols[i]),
            "year": self.years[y],
            "value": value.reshape(-1).take(flat),
            "numerator": numerator.reshape(-1).take(flat),
            "denominator": denominator.reshape(-1).take(flat),
            "n_subdistricts": n_sub.reshape(-1).take(flat),
            "n_estimated": n_est.astype(np.int64),
            "n_expected": n_expected.astype(np.int64, copy=False),
            "complete": complete.reshape(-1).take(flat),
            "estimated": n_est > 0,
        }, copy=False)


def _dense_compute(con, registry: Registry, observations: str = "observations") -> Dense:
    """Build :class:`Dense` from the store open on ``con`` (``observations``: the table, or a parenthesised SELECT
    of the same columns, e.g. the store as it was before a batch).

    Areas are numbered in output order (provinces, districts, subdistricts, each by code), so the cells of the
    districts and provinces come first and the subdistricts' cells are one contiguous block after them.
    """
    inds = sorted(registry.indicators.values(), key=lambda i: i.id)
    used: list[str] = []
    for ind in inds:
        _, _, _, measures = _parts(ind, registry)
        used += [m for m in measures if m not in used]
    mpos = {m: k for k, m in enumerate(used)}
    areas = con.sql(f"SELECT code, level, parent_code FROM areas ORDER BY {_ORDER_SQL}").to_arrow_table()
    code_list = areas.column("code").to_pylist()
    code_pos = {c: k for k, c in enumerate(code_list)}
    level_idx = np.array([LEVEL_ORDER[x] for x in areas.column("level").to_pylist()], dtype=np.int8)
    parent_pos = np.array([code_pos.get(p, -1) if p is not None else -1
                           for p in areas.column("parent_code").to_pylist()], dtype=np.int64)
    n_areas, nm = len(code_list), len(used)
    measure_list = ", ".join(_lit(m) for m in used)
    years = np.array([r[0] for r in con.sql(
        f"SELECT DISTINCT year FROM {observations} o WHERE measure_id IN ({measure_list}) ORDER BY 1").fetchall()]
        if used else [], dtype=np.int64)
    ny = len(years)
    size = n_areas * ny  # one cell per area and year; each measure is one contiguous vector of cells
    cube = np.full((nm, size), np.nan)
    if ny and n_areas:
        # the position of each observation in the cube, computed by DuckDB: (measure, area, year)
        if years[-1] - years[0] + 1 == ny:
            year_pos, year_join = f"o.year - {int(years[0])}", ""
        else:
            rows = ", ".join(f"({int(y)}, {k})" for k, y in enumerate(years))
            year_pos, year_join = "y.k", f"JOIN (VALUES {rows}) y(year, k) ON y.year = o.year"
        measure_rows = ", ".join(f"({_lit(m)}, {k})" for m, k in mpos.items())
        obs = con.sql(f"""
            WITH a AS (SELECT code, CAST(row_number() OVER (ORDER BY {_ORDER_SQL}) - 1 AS BIGINT) AS i FROM areas),
            m(id, k) AS (VALUES {measure_rows})
            SELECT CAST((m.k * {n_areas} + a.i) * {ny} + {year_pos} AS BIGINT) AS pos, o.value
            FROM {observations} o JOIN a ON a.code = o.area_code JOIN m ON m.id = o.measure_id {year_join}
        """).to_arrow_table()
        cube.reshape(-1)[obs.column("pos").to_numpy()] = obs.column("value").to_numpy()
        del obs

    n_up = int(np.count_nonzero(level_idx < LEVEL_ORDER["subdistrict"]))
    if np.any(level_idx[n_up:] != LEVEL_ORDER["subdistrict"]):
        raise AssertionError("areas are not ordered by level")
    up = n_up * ny  # cells [0, up): provinces and districts; [up, size): subdistricts
    year_of = np.arange(size - up) % ny if ny else np.zeros(0, dtype=np.int64)
    # each subdistrict cell's district cell, and each district cell's province cell (-1: none)
    sub_parent = np.repeat(parent_pos[n_up:], ny)
    in_area = (sub_parent >= 0) & (sub_parent < n_up)
    sub_key = np.where(in_area, sub_parent * ny + year_of, -1)
    up_parent = np.repeat(np.where(level_idx[:n_up] == LEVEL_ORDER["district"], parent_pos[:n_up], -1), ny)
    up_key = np.where(up_parent >= 0, up_parent * ny + np.arange(up) % max(ny, 1), -1)
    to_province = up_key >= 0

    province_key = up_key[to_province]

    def roll(key: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Sum over the complete subdistricts of each district, then over the districts of each province."""
        out = np.bincount(key, weights=weights, minlength=up)
        return out + np.bincount(province_key, weights=out[to_province], minlength=up)

    def terms(ts: list[str], get) -> np.ndarray:
        (sgn, m), *rest = [Formula.term(t) for t in ts]
        out = get(m) if sgn > 0 else -get(m)
        for sgn, m in rest:
            out = out - get(m) if sgn < 0 else out + get(m)
        return out

    # each area's number of subdistricts (a district's children; a province's grandchildren)
    n_expected = np.ones(n_areas, dtype=np.int64)
    n_expected[:n_up] = 0
    sub_parents = parent_pos[n_up:]
    np.add.at(n_expected, sub_parents[(sub_parents >= 0) & (sub_parents < n_up)], 1)
    dist_rows = np.flatnonzero((level_idx == LEVEL_ORDER["district"]) & (parent_pos >= 0))
    np.add.at(n_expected, parent_pos[dist_rows], n_expected[dist_rows])
    expected_cells = np.repeat(n_expected[:n_up], ny).astype(float)
    carried: dict[tuple[str, int], np.ndarray] = {}

    def carry(m: str, max_age: int) -> np.ndarray:
        """Measure ``m`` with each subdistrict's missing years filled by its latest earlier figure at most
        ``max_age`` years old (the cells of districts and provinces unchanged)."""
        key = (m, max_age)
        if key not in carried:
            row = cube[mpos[m]].copy()
            sub = row[up:].reshape(sub_cells)
            ok = ~np.isnan(sub)
            last = np.maximum.accumulate(np.where(ok, np.arange(ny)[None, :], -1), axis=1)
            age = years[None, :] - years[np.maximum(last, 0)]
            fill = ~ok & (last >= 0) & (age <= max_age)
            sub[fill] = np.take_along_axis(sub, np.maximum(last, 0), axis=1)[fill]
            carried[key] = row
        return carried[key]

    shape = (n_areas, len(inds), ny)  # area-major, the order of the output tables
    value, num_out, den_out = np.empty(shape), np.empty(shape), np.empty(shape)
    nsub, has = np.empty(shape, dtype=np.int64), np.empty(shape, dtype=bool)
    nest = np.empty(shape, dtype=np.int32)  # (half the bytes every table reads)
    complete = np.empty(shape, dtype=bool)
    sub_cells, up_cells = (n_areas - n_up, ny), (n_up, ny)
    for j, ind in enumerate(inds):
        f = ind.formula
        total = f.kind == "total"
        scale = float(f.scale)

        def parts(get, f=f):
            """(numerator, denominator or None) of every cell, each measure read through ``get``."""
            if f.kind == "weighted_mean":
                w = registry.measure(f.numerator[0]).weight
                return get(f.numerator[0]) * get(w), get(w)
            return terms(f.numerator, get), None if f.kind == "total" else terms(f.denominator, get)

        with np.errstate(invalid="ignore", divide="ignore"):
            num, den = parts(lambda m: cube[mpos[m]])
            sub_value = cube[mpos[f.numerator[0]]][up:] if f.kind == "weighted_mean" else None
            num_ok = ~np.isnan(num)
            k = num_ok if total else num_ok & ~np.isnan(den)
            # a subdistrict row exists when it reported one of the numerator's own measures
            num_measures = list(dict.fromkeys(Formula.term(t)[1] for t in f.numerator))
            if len(num_measures) == 1 and f.kind != "weighted_mean":
                h = num_ok[up:]
            else:
                h = np.zeros(size - up, dtype=bool)
                for m in num_measures:
                    h |= ~np.isnan(cube[mpos[m]][up:])

            def finish(n: np.ndarray, d: np.ndarray | None, scale=scale) -> np.ndarray:
                if d is None:
                    return scale * n
                nz = d != 0
                return np.where(nz, (scale * n) / np.where(nz, d, 1.0), np.nan)

            # subdistricts: their own figures
            s_num, s_den, s_k = num[up:], None if den is None else den[up:], k[up:]
            if sub_value is None:
                sub_value = finish(s_num, s_den)
            value[n_up:, j] = sub_value.reshape(sub_cells)
            num_out[n_up:, j] = s_num.reshape(sub_cells)
            den_out[n_up:, j] = np.nan if s_den is None else s_den.reshape(sub_cells)
            nsub[n_up:, j] = s_k.reshape(sub_cells)
            nest[n_up:, j] = 0
            has[n_up:, j] = h.reshape(sub_cells)
            complete[n_up:, j] = (s_k & ~np.isnan(sub_value)).reshape(sub_cells)
            # the subdistricts that feed a roll-up: those with every part, and (carry_forward) those whose missing
            # parts an earlier figure fills; the estimates are counted apart
            r_num, r_den = s_num, s_den
            est = np.zeros(size - up, dtype=bool)
            if ind.impute == "carry_forward":
                c_num, c_den = parts(lambda m, a=ind.max_age: carry(m, a))
                c_num, c_den = c_num[up:], None if c_den is None else c_den[up:]
                c_k = ~np.isnan(c_num) if c_den is None else ~np.isnan(c_num) & ~np.isnan(c_den)
                est = c_k & ~s_k
                r_num, r_den = c_num, c_den
            fed = (s_k | est) & in_area
            key = sub_key[fed]
            rc = roll(sub_key[s_k & in_area])
            re = roll(sub_key[est & in_area]) if est.any() else np.zeros(up)
            rolled = (rc + re) > 0
            own = k[:up]
            un = np.where(own, num[:up], np.where(rolled, roll(key, r_num[fed]), np.nan))
            ud = None if den is None else np.where(own, den[:up], np.where(rolled, roll(key, r_den[fed]), np.nan))
            uh = own | rolled
            uv = np.where(uh, finish(un, ud), np.nan)
            value[:n_up, j] = uv.reshape(up_cells)
            num_out[:n_up, j] = un.reshape(up_cells)
            den_out[:n_up, j] = np.nan if ud is None else ud.reshape(up_cells)
            nsub[:n_up, j] = np.where(own, 0, rc).reshape(up_cells)
            nest[:n_up, j] = np.where(own, 0, re).reshape(up_cells)
            has[:n_up, j] = uh.reshape(up_cells)
            # complete: the area's own figure, or every subdistrict (a total), or min_coverage of them
            # (the subdistricts that fed it: reported or estimated)
            fed_n = rc + re
            enough = fed_n >= (expected_cells if total else ind.min_coverage * expected_cells - _COVERAGE_EPS)
            complete[:n_up, j] = (uh & ~np.isnan(uv) & (own | (enough & (expected_cells > 0)))).reshape(up_cells)
    value[~has] = np.nan
    complete &= has
    return Dense(code_list, parent_pos, level_idx, code_pos, years.astype(np.int32), [i.id for i in inds],
                 value, num_out, den_out, nsub, has, n_estimated=nest, n_expected=n_expected, complete=complete)


def compute(con, registry: Registry, observations: str = "observations") -> Dense:
    """:class:`Dense` from the store open on ``con``: the councils' figures (``observations``, see
    :func:`_dense_compute`), the agencies' where an indicator prefers them, and the target overrides."""
    out = _dense_compute(con, registry, observations)
    apply_official(con, out, registry)
    out.targets = con.execute("SELECT indicator_id, area_code, target, target_year FROM targets").df()
    return out
