"""Area: one district or subdistrict (or the province), chosen from a list or by URL (``?area=9303``)."""

from __future__ import annotations

import streamlit as st

from app_pages import _ui as ui
from app_pages._cache import q
from indicators.registry import DOMAINS

lang = ui.lang()
T = ui.T

choices = q.area_choices(lang)
if not choices:
    st.info(T("app.no_data"))
    st.stop()
codes = list(choices)  # the province first: the default
unknown = ui.from_url("area", choices)
if unknown is not None:
    st.warning(ui.md("area.unknown", code=unknown))
area = st.selectbox(T("area.choose"), codes, format_func=lambda c: choices[c].strip(), key="area",
                    persist_state="session")
ui.to_url("area", area)
info = q.area_info(area, lang)

st.title(info["label"])
st.caption(info["level_label"] + (f" · {T('area.parent', name=info['parent_label'])}" if info["parent_label"] else ""))
ui.report_buttons(area)

h = q.headline(area, lang)
c1, c2, c3 = st.columns(3)
c1.metric(T("area.hmi", year=h["hmi_year"] or "–"), h.get("hmi_text", "–"), delta=h["hmi_delta"],
          help=T("overview.hmi_help"), border=True)
c2.metric(T("area.counts"), f"{h['good']} / {h['total']}", border=True)
c3.metric(T("overview.latest_complete"), h["complete_year"], help=h["councils"], border=True)

if info["level"] == "district" and info["children"]:
    st.subheader(T("area.subdistricts"))
    ui.plot(q.status_heatmap_figure(lang, parent=area), key="sub_heatmap", title=T("area.subdistricts"), area=area)

short = q.shortfall(area, lang)
if short:
    st.subheader(T("area.shortfall"))
    st.caption(T("area.shortfall_help"))
    for line in short:
        st.text(f"• {line}")

st.subheader(T("area.trajectories"))
st.caption(T("area.trajectories_help"))
ui.status_legend()
figures = q.trajectory_figures(area, lang)
if figures:
    domains = {T(f"domain.{d}"): d for d in DOMAINS}
    tabs = st.tabs([name for name, _ in figures])
    for tab, (name, fig) in zip(tabs, figures, strict=True):
        with tab:
            d = domains.get(name)
            ui.plot(fig, key=f"traj_{d or name}", title=f"{T('area.trajectories')} · {name}", area=area,
                    data=ui.values_data(area=area, domain=d))
else:
    st.info(T("app.no_data"))

st.subheader(T("area.table"))
st.caption(T("status.help"))
progress = q.progress_view(area, lang)
ui.table(progress, status_column=T("col.status"), name="progress", area=area)
ui.status_notes(progress)

st.subheader(T("area.flags"))
flags = q.flags_view(area, lang)
if len(flags):
    ui.table(flags, name="flags", area=area)
else:
    st.caption(T("area.no_flags"))
