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
    """The one SELECT giving every indicator for every area, level and year (columns :data:`COLUMNS`, unsorted)."""
    registry = registry or load_registry()
    used: list[str] = []
    branches, spec = [], []
    for ind in registry.indicators.values():
        num, den, sub_value, measures = _parts(ind, registry)
        used += [m for m in measures if m not in used]
        # a subdistrict row exists when the indicator's own figures (its numerator) were reported
        num_measures = [Formula.term(t)[1] for t in ind.formula.numerator]
        any_part = " OR ".join(f"{_q(m)} IS NOT NULL" for m in dict.fromkeys(num_measures))
        branches.append(
            f"SELECT area_code, level, year, {_lit(ind.id)} AS indicator_id, {num} AS num, {den} AS den, "
            f"{sub_value} AS sub_value FROM wide WHERE {any_part}"
        )
        spec.append(f"({_lit(ind.id)}, {_lit(ind.formula.kind)}, {float(ind.formula.scale)!r})")
    pivot = ",\n    ".join(f"max(o.value) FILTER (WHERE o.measure_id = {_lit(m)}) AS {_q(m)}" for m in used)
    measure_list = ", ".join(_lit(m) for m in used)
    union = "\n  UNION ALL ".join(branches)
    return f"""
WITH wide AS (
  SELECT o.area_code, a.level, o.year,
    {pivot}
  FROM observations o JOIN areas a ON a.code = o.area_code
  WHERE o.measure_id IN ({measure_list})
  GROUP BY o.area_code, a.level, o.year
),
spec(indicator_id, kind, scale) AS (VALUES {", ".join(spec)}),
parts AS (
  {union}
),
own AS (
  SELECT p.*, s.kind, s.scale, (p.num IS NOT NULL AND (s.kind = 'total' OR p.den IS NOT NULL)) AS complete
  FROM parts p JOIN spec s USING (indicator_id)
),
rolled AS (
  SELECT indicator_id, year,
         CASE WHEN grouping(district) = 0 THEN district ELSE province END AS area_code,
         any_value(kind) AS kind, any_value(scale) AS scale,
         sum(num) AS num, sum(den) AS den, count(*) AS n_sub
  FROM (SELECT o.indicator_id, o.year, o.kind, o.scale, o.num, o.den,
               s.parent_code AS district, d.parent_code AS province
        FROM own o JOIN areas s ON s.code = o.area_code JOIN areas d ON d.code = s.parent_code
        WHERE o.level = 'subdistrict' AND o.complete)
  GROUP BY GROUPING SETS ((indicator_id, year, district), (indicator_id, year, province))
),
upper_own AS (
  SELECT area_code, indicator_id, year, kind, scale, num, den FROM own WHERE level <> 'subdistrict' AND complete
),
merged AS (
  SELECT area_code, indicator_id, year, num, den, n_sub,
         CASE WHEN kind = 'total' THEN scale * num ELSE scale * num / NULLIF(den, 0) END AS value
  FROM rolled ANTI JOIN upper_own USING (area_code, indicator_id, year)
  UNION ALL
  SELECT area_code, indicator_id, year, num, den, 0,
         CASE WHEN kind = 'total' THEN scale * num ELSE scale * num / NULLIF(den, 0) END
  FROM upper_own
  UNION ALL
  SELECT area_code, indicator_id, year, num, den, CAST(complete AS BIGINT), sub_value
  FROM own WHERE level = 'subdistrict'
)
SELECT m.area_code, a.level, a.parent_code, m.indicator_id, CAST(m.year AS INTEGER) AS year,
       CAST(m.value AS DOUBLE) AS value, CAST(m.num AS DOUBLE) AS numerator, CAST(m.den AS DOUBLE) AS denominator,
       CAST(m.n_sub AS BIGINT) AS n_subdistricts
FROM merged m JOIN areas a ON a.code = m.area_code
"""


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
        frame = con.execute(sql, params).df()
    return frame[COLUMNS]
