"""The preview of an upload as tables (issue 18): the values that would load, as matched and read, and the stored
values they would replace, old → new.

Both take the frames of :class:`loaders.preview.Preview` (years in CE, numbers as numbers) and give a
:class:`~indicators.present.views.TableView`: the page formats it, an export would keep the numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.present.i18n import area_label
from indicators.present.views import Col, TableView
from indicators.registry import Registry
from indicators.words import t


def matched_label(r, lang: str) -> str:
    """The area a row was matched to, with its district for a subdistrict: "ต.ควนขนุน อ.เขาชัยสน", "Khuan Khanun
    subdistrict, Khao Chaison district"; the code alone when the store has no name for it."""
    if not isinstance(r.name_th, str):
        return str(r.area_code)
    own = area_label(r.name_th, r.name_en, r.level, lang, with_level=True)
    if r.level != "subdistrict" or not isinstance(r.parent_th, str):
        return own
    parent = area_label(r.parent_th, r.parent_en, "district", lang, with_level=True)
    return f"{own}, {parent}" if lang == "en" else f"{own} {parent}"


def _flag(flags: pd.Series, lang: str) -> pd.Series:
    """"⚠ ห่างจากค่าเดิมมาก" where a value gets the implausible-change warning, else empty."""
    word = t("upload.flag_implausible", lang)
    return flags.fillna(False).astype(bool).map(lambda f: word if f else "")


def _measure(registry: Registry, lang: str):
    return lambda m: registry.measures[m].name.get(lang) if m in registry.measures else m


def matched_rows(rows: pd.DataFrame, registry: Registry, lang: str) -> TableView:
    """The values that would load (:data:`loaders.preview.ROW_COLUMNS`): file row, the area as written → its code
    and name as matched, the measure, the year (BE, and CE as stored), the value as written → as read, its warning,
    the value stored now."""
    frame = pd.DataFrame({
        "upload.col_row": rows["row"].astype("Int64"),
        "upload.col_area_written": rows["area_written"].astype(object).where(rows["area_written"].notna(), ""),
        "upload.col_area_code": rows["area_code"].astype(str),
        "upload.col_area_matched": [matched_label(r, lang) for r in rows.itertuples()],
        "col.measure": rows["measure_id"].map(_measure(registry, lang)),
        "col.year": rows["year"].astype("Int64"),
        "upload.col_year_ce": rows["year"].astype("Int64").astype(str),
        "upload.col_value_written": rows["value_written"].astype(object).where(rows["value_written"].notna(), ""),
        "upload.col_value_read": rows["value"].astype("float64"),
        "upload.col_stored": rows["old"].astype("float64"),
        "upload.col_warning": _flag(rows["implausible"], lang),
    })
    return TableView(frame, (
        Col("upload.col_row"), Col("upload.col_area_written"), Col("upload.col_area_code"),
        Col("upload.col_area_matched"), Col("col.measure"), Col("col.year", "year"), Col("upload.col_year_ce"),
        Col("upload.col_value_written"), Col("upload.col_value_read", "number"), Col("upload.col_warning"),
        Col("upload.col_stored", "number"),
    ), lang)


def replacements(frame: pd.DataFrame, registry: Registry, lang: str) -> TableView:
    """The stored values that would be replaced (:data:`loaders.preview.REPLACEMENT_COLUMNS`): the area, old value →
    new value, the change in per cent (none from 0) and the warning first (what a phone shows without scrolling),
    then the measure, the year and the file row."""
    old, new = frame["old"].astype("float64"), frame["value"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = ((new - old) / old.abs() * 100).where(old != 0)
    out = pd.DataFrame({
        "upload.col_row": frame["row"].astype("Int64"),
        "upload.col_area_matched": [matched_label(r, lang) for r in frame.itertuples()],
        "col.measure": frame["measure_id"].map(_measure(registry, lang)),
        "col.year": frame["year"].astype("Int64"),
        "col.old_value": old,
        "col.new_value": new,
        "upload.col_change_pct": pct.round(),
        "upload.col_warning": _flag(frame["implausible"], lang),
    })
    return TableView(out, (
        Col("upload.col_area_matched"), Col("col.old_value", "number"), Col("col.new_value", "number"),
        Col("upload.col_change_pct", "change"), Col("upload.col_warning"), Col("col.measure"),
        Col("col.year", "year"), Col("upload.col_row"),
    ), lang)
