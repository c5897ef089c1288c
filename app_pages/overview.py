"""Overview: the governor's office's first screen."""

from __future__ import annotations

import streamlit as st

from app_pages import _ui as ui
from app_pages._cache import q

lang = ui.lang()
T = ui.T

st.title(T("app.title"))
st.caption(T("app.subtitle"))

province = q.province_code()
if province is None:
    st.info(T("app.no_data"))
    st.stop()

h = q.headline(province, lang)
c1, c2, c3, c4 = st.columns(4)
c1.metric(T("overview.hmi", year=h["hmi_year"] or "–"), h.get("hmi_text", "–"), delta=h["hmi_delta"],
          help=T("overview.hmi_help"), border=True)
c2.metric(T("overview.on_track"), f"{h['good']} / {h['total']}", border=True)
c3.metric(T("overview.latest_complete"), h["complete_year"], help=h["councils"], border=True)
c4.metric(T("overview.coverage", year=h["coverage_year"]), h["coverage"], help=T("overview.coverage_help"),
          border=True)

if h["councils"]:
    st.caption(f"{T('overview.latest_complete')}: {h['complete_year']} · {h['councils']}")

left, right = st.columns([3, 2])
with left:
    st.subheader(T("overview.trend"))
    ui.plot(q.hmi_trend_figure(province, lang), key="trend", title=T("overview.trend"), area=province)
with right:
    st.subheader(T("overview.counts"))
    ui.plot(q.status_counts_figure(province, lang), key="counts", title=T("overview.counts"), area=province)
    model = q.model_summary(lang)
    if model:
        with st.container(border=True):
            st.markdown(f"**★ {T('overview.model', name=model['name'])}**")
            st.write(model["text"])
            st.page_link("app_pages/area.py", label=T("overview.model_link"), icon=":material/arrow_forward:",
                         query_params={"area": model["code"], "lang": lang})

st.subheader(T("overview.heatmap"))
st.caption(T("overview.heatmap_help"))
ui.plot(q.status_heatmap_figure(lang), key="heatmap", title=T("overview.heatmap"), area=province)

left, right = st.columns([2, 3])
with left:
    m = q.overview_map_figure(lang)
    if m["figure"] is not None:
        st.subheader(T("overview.map", year=m.get("year_be", "")))
        ui.plot(m["figure"], key="map", title=T("overview.map", year=m.get("year_be", "")), area=province)
with right:
    st.subheader(T("overview.changes"))
    upload = q.last_upload(lang)
    if upload is None:
        st.info(T("overview.no_batch"))
    else:
        st.text(upload["text"])  # names a file and an account: plain text, never Markdown
        st.caption(upload["scope"])
        if upload["moved"] is not None:
            if len(upload["moved"]):
                st.markdown(f"**{T('overview.status_moved')}**")
                ui.table(upload["moved"], height=320, name="status_moved")
            elif not upload["new_series"]:
                st.caption(T("overview.no_status_moved"))
            if upload["new_series"]:
                st.caption(T("overview.new_series", n=upload["new_series"]))
        if len(upload["replaced"]):
            st.markdown(f"**{T('overview.replaced')}**")
            ui.table(upload["replaced"], height=320, name="replaced")
        else:
            st.caption(T("overview.no_replaced"))
