"""Every table in one file: the values, progress, index and coverage of every area, and the registry's metadata, as
CSV in one zip (the dashboard's "download everything" and ``python -m indicators export all``).

:func:`table_frame` gives one table with area and indicator names (what ``export table`` writes);
:func:`everything_zip` puts them all, the indicators and measures of the registry, its catalogue files as they are,
and a README saying what each file holds, in one zip.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from indicators.engine.tables import index_table, indicator_values, progress_table
from indicators.present.exports import table_bytes
from indicators.registry import BE_OFFSET, load_registry
from indicators.words import t
from loaders.errors import InputRejected
from loaders.store import DB, reader

TABLES = ("progress", "values", "index", "coverage")
CATALOGUE = Path(__file__).resolve().parents[1] / "catalogue"


def coverage_table(db: DB = None) -> pd.DataFrame:
    """For every area and year with council figures: how many of its subdistricts sent any (``n_reporting``), how
    many it holds (``n_expected``), and the share in percent.  A subdistrict counts for itself."""
    with reader(db) as con:
        return con.execute(
            """WITH subs AS (
                   SELECT s.code AS sub, s.code AS area_code, s.level FROM areas s WHERE s.level = 'subdistrict'
                   UNION ALL
                   SELECT s.code, d.code, d.level FROM areas s JOIN areas d ON d.code = s.parent_code
                   WHERE s.level = 'subdistrict'
                   UNION ALL
                   SELECT s.code, p.code, p.level FROM areas s JOIN areas d ON d.code = s.parent_code
                   JOIN areas p ON p.code = d.parent_code WHERE s.level = 'subdistrict'),
               sent AS (SELECT DISTINCT area_code AS sub, year FROM observations),
               years AS (SELECT DISTINCT year FROM observations),
               total AS (SELECT area_code, level, count(*) AS n_expected FROM subs GROUP BY ALL)
               SELECT t.area_code, t.level, y.year, y.year + ? AS year_be,
                      count(s.sub) AS n_reporting, t.n_expected,
                      round(100.0 * count(s.sub) / t.n_expected, 1) AS share_pct
               FROM total t CROSS JOIN years y
               JOIN subs u ON u.area_code = t.area_code
               LEFT JOIN sent s ON s.sub = u.sub AND s.year = y.year
               GROUP BY t.area_code, t.level, y.year, t.n_expected
               ORDER BY CASE t.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, t.area_code, y.year""",
            [BE_OFFSET]).df()


def _within(frame: pd.DataFrame, area: str, db: DB) -> pd.DataFrame:
    """Rows of ``area`` and of every area inside it (its subdistricts, or a province's districts and subdistricts)."""
    with reader(db) as con:
        rows = con.execute(
            """SELECT a.code FROM areas a LEFT JOIN areas p ON p.code = a.parent_code
               WHERE a.code = ? OR a.parent_code = ? OR p.parent_code = ?""", [area, area, area]).fetchall()
    if not rows:
        raise InputRejected(f"ไม่รู้จักรหัสพื้นที่ / unknown area code {area!r}")
    codes = {r[0] for r in rows}
    return frame[frame["area_code"].isin(codes)].reset_index(drop=True)


def _with_names(frame: pd.DataFrame, db: DB, lang: str) -> pd.DataFrame:
    """Add ``area_name`` after ``area_code``, ``indicator_name`` and ``unit`` after ``indicator_id`` (in ``lang``)."""
    out = frame.copy()
    with reader(db) as con:
        names = dict(con.execute("SELECT code, CASE WHEN ? = 'en' THEN name_en ELSE name_th END FROM areas",
                                 [lang]).fetchall())
    if "area_code" in out.columns:
        out.insert(out.columns.get_loc("area_code") + 1, "area_name", out["area_code"].astype(str).map(names))
    if "indicator_id" in out.columns:
        registry = load_registry()
        ind_names = {i.id: i.name.get(lang) for i in registry.indicators.values()}
        units = {i.id: i.unit.get(lang) for i in registry.indicators.values()}
        pos = out.columns.get_loc("indicator_id") + 1
        out.insert(pos, "indicator_name", out["indicator_id"].astype(str).map(ind_names))
        out.insert(pos + 1, "unit", out["indicator_id"].astype(str).map(units))
    return out


def table_frame(what: str, *, db: DB = None, area: str | None = None, level: str | None = None,
                indicator: str | None = None, lang: str = "th") -> pd.DataFrame:
    """The table ``what`` (one of :data:`TABLES`) with area and indicator names, optionally for an area (and every
    area inside it), a level or an indicator."""
    if what == "progress":
        frame = progress_table(db, level=level, indicator=indicator)
    elif what == "values":
        frame = indicator_values(db, level=level, indicator=indicator)
    elif what in ("index", "coverage"):
        if indicator is not None:
            raise InputRejected(f"--indicator does not apply to the {what} table (it has every indicator)")
        frame = index_table(db, level=level) if what == "index" else coverage_table(db)
        if what == "coverage" and level is not None:
            frame = frame[frame.level == level].reset_index(drop=True)
    else:
        raise InputRejected(f"ไม่รู้จักตาราง / unknown table {what!r} (one of {', '.join(TABLES)})")
    if area is not None:
        frame = _within(frame, area, db)
    return _with_names(frame, db, lang)


def registry_frames(lang: str = "th") -> dict[str, pd.DataFrame]:
    """The registry's indicators and measures as tables (both languages' names)."""
    reg = load_registry()
    indicators = pd.DataFrame([{
        "indicator_id": i.id, "name_th": i.name.th, "name_en": i.name.en, "domain": i.domain, "unit": i.unit.get(lang),
        "formula": i.formula.text(), "direction": i.direction, "baseline_year_be": i.baseline_year_be,
        "target": i.target.text(i.unit.get(lang)), "target_year_be": i.target_year_be, "in_index": i.in_index,
        "bounds_lower": i.bounds.lower, "bounds_upper": i.bounds.upper, "bounds_why": i.bounds.why.get(lang),
        "definition": i.definition.get(lang), "prefer_source": i.prefer_source,
    } for i in reg.indicators.values()])
    measures = pd.DataFrame([{
        "measure_id": m.id, "name_th": m.name.th, "name_en": m.name.en, "domain": m.domain, "unit": m.unit.get(lang),
        "aggregation": m.aggregation, "valid_min": m.valid_range[0], "valid_max": m.valid_range[1],
        "source": m.source.get(lang),
    } for m in reg.measures.values()])
    return {"indicators": indicators, "measures": measures}


def _readme(lang: str) -> str:
    lines = [t("bundle.readme_title", lang), ""]
    lines += [f"{name}.csv: {t(f'bundle.file.{name}', lang)}" for name in (*TABLES, "indicators", "measures")]
    lines += [f"catalogue/: {t('bundle.file.catalogue', lang)}", "", t("bundle.readme_note", lang)]
    return "\n".join(lines) + "\n"


def everything_zip(db: DB = None, lang: str = "th") -> bytes:
    """One zip: every table of :data:`TABLES` as CSV (UTF-8 with BOM, Thai and English headers), the registry's
    indicators and measures, its catalogue files as they are, and a README."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for what in TABLES:
            zf.writestr(f"{what}.csv", table_bytes(table_frame(what, db=db, lang=lang), "csv"))
        for name, frame in registry_frames(lang).items():
            zf.writestr(f"{name}.csv", table_bytes(frame, "csv"))
        for path in sorted(CATALOGUE.glob("*.yaml")):
            zf.writestr(f"catalogue/{path.name}", path.read_bytes())
        zf.writestr("README.txt", _readme(lang))
    return buf.getvalue()
