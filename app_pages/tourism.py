"""Tourism: the province's visitors, occupancy and revenue by month and by year, with their source.

The ministry's monthly table where it is loaded (``python -m loaders source mots-tourism FILE``), the councils'
figures beside it, never combined; a partial year is marked, never read as a year.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _ui as ui
from app_pages._cache import q

lang = ui.lang()
T = ui.T

view = q.tourism_view(lang)
if view.get("area") is None:
    st.info(T("app.no_data"))
    st.stop()
area = view["area"]

st.title(T("tourism.title", name=view["label"]))
st.caption(view["source"])
if view["fall"]:
    st.markdown(f"**{view['fall']}**")
for note in view["partial"]:
    st.caption(note)

if view["metrics"]:
    cols = st.columns(len(view["metrics"]))
    for c, m in zip(cols, view["metrics"], strict=True):
        c.metric(m["label"], m["value"], delta=m["delta"], border=True)

if view["official"]:
    st.subheader(T("tourism.by_month"))
    ui.plot(view["monthly"], key="tourism_monthly", title=f"{T('tourism.title', name=view['label'])} · "
            f"{T('tourism.by_month')}", area=area, note=view["source"])

st.subheader(T("tourism.by_year"))
st.caption(T("tourism.rule"))
if view["yearly"] is not None:
    ui.plot(view["yearly"], key="tourism_yearly", title=f"{T('tourism.title', name=view['label'])} · "
            f"{T('tourism.by_year')}", area=area, note=view["source"])
    ui.table(view["table"], name="tourism_by_year", area=area)
else:
    st.info(T("app.no_data"))

if view["compare"] is not None:
    st.subheader(T("tourism.compare"))
    st.caption(T("tourism.compare_help"))
    ui.table(view["compare"], name="tourism_sources", area=area)

st.subheader(T("tourism.progress"))
st.caption(T("status.help"))
if len(view["progress"]):
    ui.table(view["progress"], status_column=T("col.status"), name="tourism_progress", area=area)
    ui.status_notes(view["progress"])
else:
    st.info(T("app.no_data"))
