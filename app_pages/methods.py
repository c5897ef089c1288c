"""Methods: generated from the registry, the progress method with a worked example, and credits."""

from __future__ import annotations

import streamlit as st

from app_pages import _ui as ui
from app_pages._cache import q
from indicators.present import queries
from indicators.registry import DOMAINS

lang = ui.lang()
T = ui.T

st.title(T("methods.title"))
st.caption(T("methods.intro"))
ui.download_everything()

st.header(T("methods.progress"))
st.markdown(T("methods.progress_text"))

st.subheader(T("methods.statuses"))
ui.table(queries.status_rules(lang), status_column=T("col.status"), name="status_rules")

example = q.worked_example(lang)
if example is None:
    st.info(T("methods.no_example"))
else:
    st.subheader(example["title"])
    left, right = st.columns([2, 1])
    with left:
        st.markdown(example["text"])
        ui.plot(example["figure"], key="example", title=example["title"])
    with right:
        st.markdown(f"**{T('methods.example_values')}**")
        ui.table(example["values"], name="example_values")

st.header(T("methods.index"))
st.markdown(T("methods.index_text"))

st.header(T("methods.indicators"))
for domain in DOMAINS:
    with st.expander(T(f"domain.{domain}"), expanded=domain == DOMAINS[0]):
        ui.table(queries.indicator_catalogue(lang, domain), name=f"indicators_{domain}")

st.header(T("methods.measures"))
ui.table(queries.measure_catalogue(lang), name="measures")

st.header(T("methods.credits"))
st.markdown(q.credits(lang))
