"""Overview: the governor's office's first screen.

At the top, what must be read in ten seconds (issue 18): a headline made from the numbers (the index of the latest
complete year against 80 by 2575, the pace needed and kept, the districts furthest behind, the councils that have
reported) and the districts ranked against the target; then the cards, the trend, the statuses and the changes.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _ui as ui
from app_pages._cache import q
from indicators.present.headline import fed_short, fed_text, headline_lines, score_text
from indicators.present.i18n import fmt_year

lang = ui.lang()
T = ui.T

st.title(T("app.title"))
st.caption(T("app.subtitle"))

province = q.province_code()
if province is None:
    st.info(T("app.no_data"))
    st.stop()

top = q.overview_headline(lang)
lines = headline_lines(top, lang, num=lambda x: f"**{x}**", name=ui.esc)  # numbers are ours; names escaped
with st.container(border=True, key="headline"):
    st.markdown("\n".join(f"- {line}" for line in lines))  # one point a line: read at a glance

h = q.headline(province, lang)
left, right = st.columns([3, 2])
with left:
    if top.districts:
        title = T("overview.ranking", year=fmt_year(top.year, lang), target=f"{top.target:g}")
        st.subheader(title, help=T("overview.ranking_help", target=f"{top.target:g}",
                                   target_year=fmt_year(top.target_year, lang), n=len(top.behind)))
        ui.plot(q.district_index_figure(lang), key="ranking", title=title, area=province,
                data=ui.index_ranking_data())
with right:
    st.metric(T("overview.hmi", year=fmt_year(top.year, lang)), score_text(top.score, lang),
              delta=None if top.delta is None else round(top.delta, 1),
              delta_description=None if top.delta is None else T("overview.hmi_delta",
                                                                  year=fmt_year(top.previous_year, lang)),
              help=T("overview.hmi_help"), border=True)
    fed = fed_text(top.fed_low, top.fed_high, top.fed_estimated, top.fed_expected, lang)
    st.metric(T("overview.latest_complete"), fmt_year(top.year, lang), delta=fed_short(top, lang) or None,
              delta_color="off", delta_arrow="off", help=" ".join(x for x in (T("overview.complete_help"), fed) if x),
              border=True)
    st.metric(T("overview.coverage", year=h["coverage_year"]), h["coverage"],
              delta=T("overview.councils_card", n=top.reported, total=top.councils) if top.councils else None,
              delta_color="off", delta_arrow="off", help=T("overview.coverage_help"), border=True)
    st.metric(T("overview.on_track"), f"{h['good']} / {h['total']}", help=T("status.help"), border=True)

left, right = st.columns([3, 2])
with left:
    st.subheader(T("overview.trend"))
    ui.plot(q.hmi_trend_figure(province, lang), key="trend", title=T("overview.trend"), area=province)
with right:
    st.subheader(T("overview.counts"), help=T("status.help"))
    ui.plot(q.status_counts_figure(province, lang), key="counts", title=T("overview.counts"), area=province)
    ui.status_legend(explain=True)
    model = q.model_summary(lang)
    if model:
        with st.container(border=True):
            st.markdown(f"**★ {T('overview.model', name=model['name'])}**")
            st.write(model["text"])
            st.page_link("app_pages/area.py", label=T("overview.model_link"), icon=":material/arrow_forward:",
                         query_params={"area": model["code"], "lang": lang})

st.subheader(T("overview.heatmap"), help=T("status.help"))
st.caption(T("overview.heatmap_help"))
ui.status_legend(explain=True)
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
