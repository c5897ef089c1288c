"""Reporting status: which subdistricts have sent which measures for which year (the council coverage tracker)."""

from __future__ import annotations

import streamlit as st

from app_pages import _ui as ui
from app_pages._cache import q
from indicators.present.i18n import fmt_year

lang = ui.lang()
T = ui.T

st.title(T("reporting.title"))
st.caption(T("reporting.intro"))

years = q.observation_years()
if not years:
    st.info(T("reporting.no_obs"))
    st.stop()
districts = {"": T("word.all_districts"), **q.district_choices(lang)}
c1, c2 = st.columns(2)
year = c1.selectbox(T("reporting.year"), years[::-1], format_func=lambda y: fmt_year(y, lang), key="rep_year")
district = c2.selectbox(T("reporting.district"), list(districts), format_func=districts.get, key="rep_district")
district = district or None

summary = q.coverage_summary(year, district, lang)
st.markdown(f"**{summary['text']}**")
st.progress(min(max(summary["share"], 0.0), 1.0) if summary["expected"] else 0.0)

st.subheader(T("reporting.missing", year=fmt_year(year, lang)))
missing = q.missing_view(year, district, lang)
if len(missing):
    ui.table(missing, name="missing", area=district)
else:
    st.success(T("reporting.all_complete"))

grid_level = q.coverage_grid_level(district)
st.subheader(T("reporting.by_measure", year=fmt_year(year, lang)))
if grid_level != "subdistrict":
    st.caption(T(f"reporting.grid_{grid_level}"))
ui.plot(q.coverage_by_measure_figure(year, district, lang), key="by_measure",
        title=T("reporting.by_measure", year=fmt_year(year, lang)), area=district or q.province_code())

st.subheader(T("reporting.by_year"))
ui.plot(q.coverage_by_year_figure(district, lang), key="by_year", title=T("reporting.by_year"),
        area=district or q.province_code())
