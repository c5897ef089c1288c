"""Map: any indicator (or the index) at district or subdistrict level, drawn without a tile server."""

from __future__ import annotations

import streamlit as st

from app_pages import _ui as ui
from app_pages._cache import q
from indicators.present import queries
from indicators.present.i18n import fmt_year

lang = ui.lang()
T = ui.T

st.title(T("map.title"))

options = {"hmi": T("domain.hmi"), **queries.indicator_choices(lang)}
c1, c2, c3, c4 = st.columns([3, 2, 1, 2])
what = c1.selectbox(T("map.indicator"), list(options), format_func=options.get, key="map_what")
level = c2.radio(T("map.level"), ["district", "subdistrict"], key="map_level", horizontal=True,
                 format_func=lambda lv: T(f"level.{lv}s"))
years = q.map_years(what, level)
year = c3.selectbox(T("map.year"), years[::-1], format_func=lambda y: fmt_year(y, lang), key="map_year") \
    if years else None
colour_by = "value"
if what != "hmi":
    colour_by = c4.radio(T("map.colour_by"), ["value", "status"], key="map_colour", horizontal=True,
                         format_func=lambda c: T(f"map.by_{c}"))

result = q.map_figure(what, level, year, colour_by, lang)
if result["empty"]:
    st.info(T("map.no_shapes"))
    st.stop()
if q.meta()["schematic"]:
    st.info(T("map.schematic"), icon=":material/info:")
if colour_by == "status":
    ui.status_legend()
ui.plot(result["figure"], key="map", title=f"{options[what]} · {T(f'level.{level}s')}", area=q.province_code(),
        indicator=None if what == "hmi" else what,
        data=None if what == "hmi" else ui.values_data(indicator=what, level=level, year=year))
