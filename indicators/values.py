"""Indicator values for every area and year, at subdistrict, district and province level, in one DuckDB query.

The query is generated from the registry (:func:`values_sql`); nothing loops over areas or years in Python.

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

import os

import pandas as pd

from indicators.registry import Formula, Indicator, Registry, load_registry
from loaders.errors import InputRejected
from loaders.store import reader

COLUMNS = [
    "area_code", "level", "parent_code", "indicator_id", "year", "value", "numerator", "denominator",
    "n_subdistricts",
]
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


def values_sql(registry: Registry | None = None) -> str:
    """The one SELECT giving every indicator for every area, level and year (columns :data:`COLUMNS`, unsorted).

    Plan: pivot the observations to one row per area and year (a column per measure); compute every indicator's
    numerator, denominator and completeness as columns of that row; roll the complete subdistricts up to districts
    and provinces with one GROUPING SETS aggregate; only then unpivot to one row per indicator. All the heavy work
    happens on (area, year) rows, not on (area, indicator, year) rows.
    """
    registry = registry or load_registry()
    used: list[str] = []
    cols, rolls, uppers, out_sub, out_up = [], [], [], [], []
    for i, ind in enumerate(registry.indicators.values()):
        num, den, sub_value, measures = _parts(ind, registry)
        used += [m for m in measures if m not in used]
        # a subdistrict row exists when the indicator's own figures (its numerator) were reported
        num_measures = [Formula.term(t)[1] for t in ind.formula.numerator]
        has = " OR ".join(f"{_q(m)} IS NOT NULL" for m in dict.fromkeys(num_measures))
        total = ind.formula.kind == "total"
        ok = f"{num} IS NOT NULL" if total else f"{num} IS NOT NULL AND {den} IS NOT NULL"
        cols.append(f"{num} AS n{i}, {den} AS d{i}, {sub_value} AS v{i}, ({has}) AS h{i}, ({ok}) AS k{i}")
        rolls.append(f"sum(n{i}) FILTER (WHERE k{i}) AS n{i}, sum(d{i}) FILTER (WHERE k{i}) AS d{i}, "
                     f"count(*) FILTER (WHERE k{i}) AS c{i}")
        uppers.append(
            f"CASE WHEN u.k{i} THEN u.n{i} ELSE r.n{i} END AS n{i}, "
            f"CASE WHEN u.k{i} THEN u.d{i} ELSE r.d{i} END AS d{i}, "
            f"CASE WHEN u.k{i} THEN 0 ELSE r.c{i} END AS c{i}, (u.k{i} IS TRUE OR coalesce(r.c{i}, 0) > 0) AS h{i}"
        )
        scale = repr(float(ind.formula.scale))
        up_value = f"{scale} * n{i}" if total else f"{scale} * n{i} / NULLIF(d{i}, 0)"
        out_sub.append(f"SELECT area_code, level, parent_code, {_lit(ind.id)}, year, v{i}, n{i}, d{i}, "
                       f"CAST(k{i} AS BIGINT) FROM ind WHERE level = 'subdistrict' AND h{i}")
        out_up.append(f"SELECT area_code, level, parent_code, {_lit(ind.id)}, year, {up_value}, n{i}, d{i}, c{i} "
                      f"FROM upper_named WHERE h{i}")
    pivot = ",\n    ".join(f"max(o.value) FILTER (WHERE o.measure_id = {_lit(m)}) AS {_q(m)}" for m in used)
    measure_list = ", ".join(_lit(m) for m in used)
    sep = ",\n    "
    union = "\nUNION ALL ".join(out_sub + out_up)
    return f"""
WITH wide AS (
  SELECT o.area_code, any_value(a.level) AS level, any_value(a.parent_code) AS parent_code, o.year,
    {pivot}
  FROM observations o JOIN areas a ON a.code = o.area_code
  WHERE o.measure_id IN ({measure_list})
  GROUP BY o.area_code, o.year
),
ind AS MATERIALIZED (
  SELECT area_code, level, parent_code, year,
    {sep.join(cols)}
  FROM wide
),
roll AS (
  SELECT CASE WHEN grouping(district) = 0 THEN district ELSE province END AS area_code, year,
    {sep.join(rolls)}
  FROM (SELECT s.*, s.parent_code AS district, d.parent_code AS province
        FROM ind s JOIN areas d ON d.code = s.parent_code WHERE s.level = 'subdistrict')
  GROUP BY GROUPING SETS ((district, year), (province, year))
),
upper AS (
  SELECT coalesce(r.area_code, u.area_code) AS area_code, coalesce(r.year, u.year) AS year,
    {sep.join(uppers)}
  FROM roll r FULL JOIN (SELECT * FROM ind WHERE level <> 'subdistrict') u
    ON u.area_code = r.area_code AND u.year = r.year
),
upper_named AS MATERIALIZED (SELECT u.*, a.level, a.parent_code FROM upper u JOIN areas a ON a.code = u.area_code),
result(area_code, level, parent_code, indicator_id, year, value, numerator, denominator, n_subdistricts) AS (
{union}
)
SELECT area_code, level, parent_code, indicator_id, CAST(year AS INTEGER) AS year, CAST(value AS DOUBLE) AS value,
       CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator,
       CAST(n_subdistricts AS BIGINT) AS n_subdistricts
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
    """:func:`values_sql` with optional filters, as (sql, params)."""
    where, params = [], []
    for col, val in (("level", level), ("indicator_id", indicator), ("area_code", area)):
        if val is not None:
            where.append(f"{col} = ?")
            params.append(val)
    sql = f"SELECT * FROM ({values_sql(registry)}) v"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params


def indicator_values(
    db: str | os.PathLike[str] | None = None,
    level: str | None = None,
    indicator: str | None = None,
    area: str | None = None,
    registry: Registry | None = None,
) -> pd.DataFrame:
    """Every indicator value (columns :data:`COLUMNS`), optionally for one level, indicator or area.

    Sorted by level (province, district, subdistrict), area, indicator and year. Years are CE. Unknown names raise
    :class:`UnknownName`.
    """
    registry = registry or load_registry()
    with reader(db) as con:
        check_filters(con, level, indicator, area, registry)
        sql, params = filtered_values_sql(registry, level, indicator, area)
        sql += (" ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END,"
                " area_code, indicator_id, year")
        frame = fetch_frame(con, sql, params)
    return frame[COLUMNS]
