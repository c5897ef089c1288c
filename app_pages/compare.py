"""Compare: rank districts (or a district's subdistricts) on any indicator; small multiples; equity; sensitivity."""

from __future__ import annotations

import streamlit as st

from app_pages import _ui as ui
from app_pages._cache import q
from indicators.present import queries
from indicators.present.i18n import fmt_year

lang = ui.lang()
T = ui.T

st.title(T("compare.title"))

indicators = queries.indicator_choices(lang)
c1, c2, c3, c4 = st.columns([3, 2, 2, 1])
indicator = c1.selectbox(T("compare.indicator"), list(indicators), format_func=indicators.get, key="indicator")
scope = c2.radio(T("compare.scope"), ["districts", "subdistricts"], key="scope", horizontal=True,
                 format_func=lambda s: T(f"compare.scope_{s}"))
parent = None
if scope == "subdistricts":
    districts = q.district_choices(lang)
    parent = c3.selectbox(T("compare.district"), list(districts), format_func=districts.get, key="district")
years = q.indicator_years(indicator, "district" if parent is None else "subdistrict")
year = c4.selectbox(T("compare.year"), years[::-1], format_func=lambda y: fmt_year(y, lang), key="year") \
    if years else None

st.subheader(T("compare.ranking", year=fmt_year(year, lang)))
fig = q.ranking_figure(indicator, parent, year, lang) if year is not None else None
if fig is None:
    st.info(T("compare.no_values"))
else:
    ui.plot(fig, key="ranking", title=T("compare.ranking", year=fmt_year(year, lang)), area=parent or q.province_code(),
            indicator=indicator, data=ui.ranking_data(indicator, parent, year))

st.subheader(T("compare.multiples"))
st.caption(T("compare.multiples_help"))
ui.status_legend()
ui.plot(q.multiples_figure(indicator, parent, lang), key="multiples", title=T("compare.multiples"),
        area=parent or q.province_code(), indicator=indicator,
        data=ui.values_data(indicator=indicator, level="district" if parent is None else "subdistrict", parent=parent))

st.subheader(T("compare.equity"))
ui.table(q.equity_view(lang), name="equity")

st.subheader(T("compare.sensitivity"))
table, slope = q.sensitivity_view(lang)
left, right = st.columns([3, 2])
with left:
    ui.table(table, name="sensitivity")
with right:
    ui.plot(slope, key="sensitivity_chart", title=T("compare.sensitivity"), area=q.province_code())
