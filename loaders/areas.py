"""Official areas from the ``geothai`` package (DOPA codes; data CC BY 4.0, credit "GeoThai")."""

from __future__ import annotations

import duckdb
import geothai
import pandas as pd

from indicators.registry import HOME_PROVINCE
from loaders.errors import InputRejected

PROVINCE = HOME_PROVINCE
CREDIT = f"GeoThai (geothai {geothai.DATA_VERSION}, CC BY 4.0)"


def official_areas(provinces: list[str] | None = None) -> pd.DataFrame:
    """Province, district and subdistrict rows (code, level, parent_code, name_th, name_en) for ``provinces``.

    ``None`` means Phatthalung (93); ``["all"]`` means every province of Thailand.
    """
    codes = provinces if provinces else [PROVINCE]
    if codes == ["all"]:
        codes = [p.code for p in geothai.provinces()]
    rows: list[tuple[str, str, str | None, str, str]] = []
    for code in codes:
        prov = geothai.province(code)
        if prov is None:
            raise InputRejected(f"ไม่รู้จักรหัสจังหวัด / unknown province code: {code!r}")
        rows.append((prov.code, "province", None, prov.name_th, prov.name_en))
        for d in geothai.districts(prov.code):
            rows.append((d.code, "district", prov.code, d.name_th, d.name_en))
            for s in geothai.subdistricts(d.code):
                rows.append((s.code, "subdistrict", d.code, s.name_th, s.name_en))
    return pd.DataFrame(rows, columns=["code", "level", "parent_code", "name_th", "name_en"])


def upsert_areas(con: duckdb.DuckDBPyConnection, areas: pd.DataFrame) -> int:
    """Insert new areas and refresh names of known ones, keeping their geometry; call inside the writer."""
    con.register("new_areas", areas)
    try:
        con.execute(
            """INSERT INTO areas (code, level, parent_code, name_th, name_en)
               SELECT code, level, parent_code, name_th, name_en FROM new_areas
               ON CONFLICT (code) DO UPDATE SET level = excluded.level, parent_code = excluded.parent_code,
                   name_th = excluded.name_th, name_en = excluded.name_en"""
        )
    finally:
        con.unregister("new_areas")
    return len(areas)
