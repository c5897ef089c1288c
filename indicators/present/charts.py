"""Plotly figure builders of the dashboard (no Streamlit): they draw the frames of :mod:`indicators.present.queries`.

Colours come from :mod:`indicators.present.colours`; every status colour is shown together with the status word.
Thai text in figures uses Noto Sans Thai.  Years arrive in CE and are drawn
in BE.  Maps are filled polygons on blank axes (no geo trace, which would fetch a world topojson from the web).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators.present.colours import (
    ALL_STATUSES,
    BAND,
    DOMAIN_COLOURS,
    FONT,
    INK,
    PATH,
    STATUS_COLOURS,
    TREND,
    status_colour,
)
from indicators.present.i18n import coverage_text, fmt_num, status_word
from indicators.present.map_figure import polygon_map
from indicators.registry import BE_OFFSET, STATUSES
from indicators.words import t


def status_badge(status: str | None, lang: str) -> str:
    """A coloured square and the status word, for figure titles (plotly's pseudo-HTML)."""
    return f"<span style='color:{status_colour(status)}'>■</span> {status_word(status, lang)}"


def _style(fig: go.Figure, height: int, **layout) -> go.Figure:
    base = {
        "template": "plotly_white", "height": height, "font": {"family": FONT, "size": 13, "color": INK},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "hoverlabel": {"font": {"family": FONT}},
        "separators": ".,",
    }
    base.update(layout)
    fig.update_layout(**base)
    return fig


def _be(years) -> list[int]:
    return [int(y) + BE_OFFSET for y in years]


def mark_years(fig: go.Figure, years_ce) -> go.Figure:
    """Record on ``fig`` (``layout.meta["years_be"]``) the first and last year of the data it draws, in BE, for the
    subtitle of an export; nothing when there are none."""
    ys = [int(y) for y in years_ce if y is not None and not pd.isna(y)]
    if ys:
        meta = dict(fig.layout.meta or {}) if isinstance(fig.layout.meta, dict) else {}
        fig.update_layout(meta={**meta, "years_be": [min(ys) + BE_OFFSET, max(ys) + BE_OFFSET]})
    return fig


def years_shown(fig: go.Figure) -> tuple[int, int] | None:
    """The first and last BE year a figure's builder recorded (:func:`mark_years`), or None."""
    meta = fig.layout.meta
    span = meta.get("years_be") if isinstance(meta, dict) else None
    return (int(span[0]), int(span[1])) if span else None


# ---------------------------------------------------------------------------------------------- status heat-map


def status_heatmap(
    status: pd.DataFrame, hover: pd.DataFrame, lang: str, highlight_col: str | None = None, height: int | None = None,
    col_labels: Mapping[str, str] | None = None, uncertain: np.ndarray | None = None,
) -> go.Figure:
    """A heat-map of statuses: rows are labels, columns area codes (shown by ``col_labels``), cells status ids; the
    word is written in each cell.

    ``hover`` has the same shape with the hover text of each cell.  ``highlight_col`` (a column) gets a frame.
    """
    col_labels = col_labels or {}
    order = {s: i for i, s in enumerate(ALL_STATUSES)}
    n = len(ALL_STATUSES)
    cells = status.to_numpy(dtype=object)
    codes = {s: order[s] + 0.5 for s in order}
    z = np.array([[codes.get(s, codes["no_data"]) for s in row] for row in cells], dtype=float).reshape(cells.shape)
    words = {s: status_word(s, lang, short=True) for s in order}
    text = np.array([[words.get(s, words["no_data"]) for s in row] for row in cells], dtype=object
                    ).reshape(cells.shape)
    if uncertain is not None and uncertain.any():  # an uncertain status keeps its word, marked with "?"
        text = np.where(uncertain, text + " ?", text)
    scale = []
    for i, s in enumerate(ALL_STATUSES):
        scale += [[i / n, STATUS_COLOURS[s]], [(i + 1) / n, STATUS_COLOURS[s]]]
    fig = go.Figure(go.Heatmap(
        z=z, x=list(status.columns), y=list(status.index), zmin=0, zmax=n,
        colorscale=scale, showscale=False, text=text, texttemplate="%{text}",
        textfont={"family": FONT, "size": 11}, customdata=hover.to_numpy(),
        hovertemplate="%{customdata}<extra></extra>", xgap=2, ygap=2,
    ))
    # the legend: one invisible marker per status, with the full word
    for s in ALL_STATUSES:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=status_word(s, lang),
                                 marker={"size": 12, "symbol": "square", "color": STATUS_COLOURS[s],
                                         "line": {"color": "#999999", "width": 0.5}}, hoverinfo="skip"))
    if uncertain is not None and uncertain.any():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t("confidence.legend", lang),
                                 marker={"size": 12, "symbol": "square-open", "color": INK}, hoverinfo="skip"))
    if uncertain is not None:  # and a dashed frame inside the cell
        for i, j in zip(*np.nonzero(uncertain), strict=True):
            fig.add_shape(type="rect", xref="x", yref="y", x0=j - 0.42, x1=j + 0.42, y0=i - 0.36, y1=i + 0.36,
                          line={"color": INK, "width": 1.2, "dash": "dot"}, layer="above")
    if highlight_col is not None and highlight_col in list(status.columns):
        i = list(status.columns).index(highlight_col)
        fig.add_shape(type="rect", xref="x", yref="paper", x0=i - 0.5, x1=i + 0.5, y0=0, y1=1,
                      line={"color": INK, "width": 2.5})
    rows = len(status.index)
    _style(fig, height or max(300, 34 * rows + 150), margin={"l": 10, "r": 10, "t": 10, "b": 10},
           legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0}, plot_bgcolor="white")
    fig.update_xaxes(side="top", tickangle=0, showgrid=False, automargin=True, tickfont={"size": 11},
                     type="category", tickvals=list(status.columns),
                     ticktext=[_wrap(col_labels.get(c, c)) for c in status.columns])
    fig.update_yaxes(autorange="reversed", showgrid=False, automargin=True)
    return fig


def _wrap(label: str, width: int = 8) -> str:
    """Break a long axis label onto lines at spaces (English names) or after a Thai prefix (อ./ต.)."""
    words = label.split(" ")
    if len(words) == 1:
        if len(label) > width and label[1:2] == "." and label[:1] in "อต":
            return f"{label[:2]}<br>{label[2:]}"
        return label
    lines, line = [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "<br>".join([*lines, line])


# ---------------------------------------------------------------------------------------------- index trend


def index_trend(frame: pd.DataFrame, lang: str, target: float, target_year: int, height: int = 380) -> go.Figure:
    """The index (thick) and its domains (thin) by year; ``frame``: year (CE), domain, score.  Target marked."""
    fig = go.Figure()
    for domain in ("poverty", "tourism", "resources", "well-being", "hmi"):
        d = frame[frame.domain == domain].sort_values("year")
        if d.empty:
            continue
        is_hmi = domain == "hmi"
        full = d["complete"].to_numpy(dtype=bool) if "complete" in d else np.ones(len(d), dtype=bool)
        note = np.where(full, "", f"<br>{t('coverage.incomplete', lang)}")
        fig.add_trace(go.Scatter(
            x=_be(d.year), y=d.score.where(full), name=t(f"domain.{domain}", lang), mode="lines+markers",
            line={"color": DOMAIN_COLOURS[domain], "width": 4 if is_hmi else 1.6, "dash": "solid" if is_hmi else "dot"},
            marker={"size": 7 if is_hmi else 4}, legendgroup=domain,
            hovertemplate="%{fullData.name}<br>%{x}: %{y:.1f}<extra></extra>",
        ))
        if not full.all():  # incomplete years: hollow markers off the line
            fig.add_trace(go.Scatter(
                x=_be(d.year[~full]), y=d.score[~full], name=t(f"domain.{domain}", lang), mode="markers",
                marker={"size": 9 if is_hmi else 6, "symbol": "circle-open", "color": DOMAIN_COLOURS[domain]},
                legendgroup=domain, showlegend=False, customdata=note[~full],
                hovertemplate="%{fullData.name}<br>%{x}: %{y:.1f}%{customdata}<extra></extra>",
            ))
    fig.add_trace(go.Scatter(
        x=[target_year + BE_OFFSET], y=[target], mode="markers+text", name=t("word.target", lang),
        marker={"symbol": "star", "size": 16, "color": INK}, text=[f"{t('word.target', lang)} {target:g}"],
        textposition="middle left", hovertemplate=f"{t('word.target', lang)} %{{y}} (%{{x}})<extra></extra>",
    ))
    _style(fig, height, legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
           margin={"l": 10, "r": 10, "t": 70, "b": 10})
    fig.update_yaxes(title_text=t("word.score", lang), range=[0, 100])
    fig.update_xaxes(title_text=t("word.year", lang), dtick=2, tickangle=0)
    return mark_years(fig, frame.year[frame.score.notna()] if "score" in frame else frame.year)


def status_counts(counts: pd.Series, lang: str, height: int = 280) -> go.Figure:
    """Bars of how many indicators have each status (``counts`` indexed by status id)."""
    statuses = [s for s in STATUSES if s in counts.index]
    fig = go.Figure(go.Bar(
        y=[status_word(s, lang) for s in statuses], x=[int(counts[s]) for s in statuses], orientation="h",
        marker={"color": [STATUS_COLOURS[s] for s in statuses], "line": {"color": "#666666", "width": 0.5}},
        text=[int(counts[s]) for s in statuses], textposition="outside", cliponaxis=False,
        customdata=[t(f"legend.{s}", lang) for s in statuses],  # what the status means, in plain words
        hovertemplate="%{y}: %{x}<br>%{customdata}<extra></extra>",
    ))
    _style(fig, height, margin={"l": 10, "r": 30, "t": 10, "b": 10})
    fig.update_yaxes(autorange="reversed", ticksuffix="  ", automargin=True)
    fig.update_xaxes(title_text=t("word.indicators", lang), rangemode="tozero")
    return fig


# ---------------------------------------------------------------------------------------------- trajectories


def _get(row, key: str):
    """A field of a progress row (Series, dict or named tuple); None when missing or NaN."""
    if row is None:
        return None
    value = row.get(key) if hasattr(row, "get") else getattr(row, key, None)
    return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value


def _coverage_notes(s: pd.DataFrame, lang: str) -> np.ndarray:
    """A hover line per value: how many subdistricts fed it ("" for a subdistrict's own figure)."""
    if "n_expected" not in s:
        return np.full(len(s), "", dtype=object)
    notes = [coverage_text(r.n_subdistricts, r.n_estimated, r.n_expected, r.level, lang) for r in s.itertuples()]
    return np.array([f"<br>{n}" if n else "" for n in notes], dtype=object)


def trajectory_traces(series: pd.DataFrame, row, lang: str, unit: str, *, shown: set[str] | None = None,
                      label_target: bool = False) -> list[go.Scatter]:
    """One series against its straight path to the target: the one trajectory drawing of pages, exports and report.

    ``series``: year (CE), value (and ``complete`` and the coverage columns when known); ``row``: its progress row
    (or None).  Drawn in BE: the dashed path from (baseline year, baseline) to the target star; the observed trend
    from the latest value to the target year, dotted, inside its 80 % band when there is one; the observed values
    of complete years as a line, incomplete ones hollow and apart; the latest value coloured by its status.
    ``shown`` holds the legend entries already shown (updated), so a grid shows each once; ``label_target`` writes
    the target beside its star.
    """
    shown = set() if shown is None else shown
    traces: list[go.Scatter] = []

    def add(group: str, **kw) -> None:
        traces.append(go.Scatter(legendgroup=group, showlegend=group not in shown, **kw))
        shown.add(group)

    hover = f"%{{x}}: %{{y:,.2f}} {unit}"
    status = _get(row, "status")
    baseline, target = _get(row, "baseline"), _get(row, "target")
    b_year, t_year = _get(row, "baseline_year"), _get(row, "target_year")
    if None not in (baseline, target, b_year, t_year):
        add("path", x=[int(b_year) + BE_OFFSET, int(t_year) + BE_OFFSET], y=[float(baseline), float(target)],
            mode="lines", name=t("word.path", lang), line={"color": PATH, "dash": "dash", "width": 2},
            hovertemplate=f"{t('word.path', lang)}<br>{hover}<extra></extra>")
    latest, l_year, slope = _get(row, "latest"), _get(row, "latest_year"), _get(row, "observed_slope")
    if None not in (latest, l_year, slope, t_year) and int(t_year) > int(l_year):
        x0, x1, span = int(l_year) + BE_OFFSET, int(t_year) + BE_OFFSET, int(t_year) - int(l_year)
        lo, hi = _get(row, "slope_low"), _get(row, "slope_high")
        if lo is not None and hi is not None:
            low, high = (float(latest) + float(k) * span for k in (lo, hi))
            add("band", x=[x0, x1, x1, x0], y=[float(latest), high, low, float(latest)], mode="lines",
                fill="toself", fillcolor=BAND, line={"width": 0}, name=t("word.band", lang), hoverinfo="skip")
        add("trend", x=[x0, x1], y=[float(latest), float(latest) + float(slope) * span], mode="lines",
            name=t("word.trend", lang), line={"color": TREND, "dash": "dot", "width": 1.5},
            hovertemplate=f"{t('word.trend', lang)}<br>{hover}<extra></extra>")
    s = series.sort_values("year") if len(series) else series
    s = s[s.value.notna()] if len(s) else s
    full = s["complete"].to_numpy(dtype=bool) if "complete" in s else np.ones(len(s), dtype=bool)
    cover = _coverage_notes(s, lang)
    used = s[full]
    add("observed", x=[int(y) + BE_OFFSET for y in used.year], y=used.value.astype(float).tolist(),
        mode="lines+markers", name=t("word.observed", lang), line={"color": INK, "width": 2.5},
        marker={"size": 6, "color": INK}, customdata=cover[full],
        hovertemplate=f"{hover}%{{customdata}}<extra>%{{fullData.name}}</extra>")
    if not full.all():  # incomplete years: hollow, apart from the line, with how many subdistricts fed them
        gap = s[~full]
        add("incomplete", x=[int(y) + BE_OFFSET for y in gap.year], y=gap.value.astype(float).tolist(),
            mode="markers", name=t("coverage.legend_incomplete", lang),
            marker={"size": 9, "color": INK, "symbol": "circle-open", "line": {"color": INK, "width": 2}},
            customdata=cover[~full],
            hovertemplate=f"{hover}%{{customdata}}<br>{t('coverage.incomplete', lang)}<extra></extra>")
    if len(used):
        traces.append(go.Scatter(
            x=[int(used.year.iloc[-1]) + BE_OFFSET], y=[float(used.value.iloc[-1])], mode="markers",
            name=status_word(status, lang), showlegend=False,
            marker={"size": 13, "color": status_colour(status), "line": {"color": INK, "width": 1.5}},
            hovertemplate=f"{status_word(status, lang)}<br>{hover}<extra></extra>"))
    if None not in (target, t_year):
        add("target", x=[int(t_year) + BE_OFFSET], y=[float(target)],
            mode="markers+text" if label_target else "markers", name=t("word.target", lang),
            marker={"symbol": "star", "size": 15, "color": INK},
            text=[f"{t('word.target', lang)} {fmt_num(target, lang=lang)}"] if label_target else None,
            textposition="top left", textfont={"size": 12, "color": INK}, cliponaxis=False,
            hovertemplate=f"{t('word.target', lang)}<br>{hover}<extra></extra>")
    return traces


def trajectory_grid(
    panels: list[dict], lang: str, cols: int = 3, panel_height: int = 260, shared_y: bool = False, top: int = 100,
    bottom: int = 10,
) -> go.Figure:
    """Small multiples: one panel per series against its straight path to the target, on one range of years.

    Each panel dict: ``title`` (text), ``unit`` (axis title), ``series`` (frame year CE, value), ``progress``
    (a progress row as a Series, or None).  ``top`` and ``bottom`` are the margins in pixels (legend, title).
    """
    n = max(len(panels), 1)
    cols = min(cols, n)
    rows = math.ceil(n / cols)
    titles = [f"{p['title']}<br>{status_badge(_get(p.get('progress'), 'status'), lang)}" for p in panels]
    gap = 95  # px between rows: the x ticks of one row and the two-line title of the next
    plot = panel_height * rows + gap * (rows - 1)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, vertical_spacing=gap / plot if rows > 1 else 0,
                        horizontal_spacing=0.08)
    shown: set[str] = set()
    mark_years(fig, [y for p in panels for y in p["series"].year[p["series"].value.notna()]])
    for i, p in enumerate(panels):
        r, c = i // cols + 1, i % cols + 1
        unit = p.get("unit", "")
        for trace in trajectory_traces(p["series"], p.get("progress"), lang, unit, shown=shown):
            fig.add_trace(trace, row=r, col=c)
        fig.update_yaxes(title_text=unit, title_font={"size": 11}, title_standoff=4, automargin=True, row=r, col=c,
                         rangemode="normal")
    years = [x for tr in fig.data for x in (tr.x or ()) if x is not None]
    if years:  # one range of years for every panel, so the panels line up
        fig.update_xaxes(range=[min(years) - 0.5, max(years) + 0.5])
    fig.update_xaxes(tickformat="d", nticks=5)
    if shared_y:  # one scale for every panel, so areas compare at a glance
        fig.update_yaxes(matches="y")
    fig.update_annotations(font={"size": 13, "family": FONT})
    return _style(fig, plot + top + bottom, margin={"l": 10, "r": 10, "t": top, "b": bottom},
                  legend={"orientation": "h", "x": 0, "y": 1, "yref": "container", "yanchor": "top"})


# ---------------------------------------------------------------------------------------------- compare


def ranking_bars(frame: pd.DataFrame, lang: str, unit: str, province_value: float | None = None) -> go.Figure:
    """Horizontal bars, best at the top; ``frame``: area_code, label, value, status, complete (ranked already).
    Bars of incomplete values are hatched and say how many subdistricts fed them."""
    fig = go.Figure()
    cats = list(frame.area_code.astype(str))
    labels = dict(zip(cats, frame.label, strict=True))
    for s in ALL_STATUSES:
        d = frame[frame.status.fillna("no_data") == s]
        if d.empty:
            continue
        full = d["complete"].to_numpy(dtype=bool) if "complete" in d else np.ones(len(d), dtype=bool)
        notes = d["coverage"].fillna("").tolist() if "coverage" in d else [""] * len(d)
        fig.add_trace(go.Bar(
            y=d.area_code.astype(str), x=d.value, orientation="h", name=status_word(s, lang),
            marker={"color": STATUS_COLOURS[s], "line": {"color": "#666666", "width": 0.5},
                    "pattern": {"shape": ["" if f else "/" for f in full], "fgcolor": INK, "size": 6}},
            text=[fmt_num(v) for v in d.value], textposition="outside", cliponaxis=False,
            customdata=np.column_stack([d.label.to_numpy(dtype=object), np.asarray(notes, dtype=object)]),
            hovertemplate="%{customdata[0]}<br>%{x:,.2f} " + unit + f"<br>{status_word(s, lang)}"
                          "<br>%{customdata[1]}<extra></extra>",
        ))
    if province_value is not None and not pd.isna(province_value):
        fig.add_vline(x=province_value, line={"color": INK, "dash": "dash", "width": 1.5},
                      annotation_text=f"{t('word.province_whole', lang)} {fmt_num(province_value)}",
                      annotation_position="top", annotation_font={"family": FONT, "size": 12})
    _style(fig, max(260, 30 * len(cats) + 120), barmode="overlay", margin={"l": 10, "r": 60, "t": 40, "b": 10},
           legend={"orientation": "h", "y": -0.12, "x": 0})
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=unit, rangemode="tozero", separatethousands=True)
    return area_axis(fig, "y", cats, labels)


BEHIND_COLOUR = "#CC79A7"  # reddish purple (Okabe–Ito): the districts furthest behind; not a status colour
RANKED_COLOUR = "#56B4E9"  # sky blue: the other districts
WHOLE_COLOUR = "#BBBBBB"  # the whole province, the first bar


def index_ranking(districts, lang: str, target: float, target_year: int, province=None,
                  behind: set[str] | frozenset[str] = frozenset(), height: int | None = None) -> go.Figure:
    """The districts' index as horizontal bars, highest at the top, against the target (a solid line); each bar says
    its score and the points still to go.  ``districts``: items with ``code``, ``label``, ``score``, ``gap``,
    ``complete`` and ``fed`` (ranked already, highest first; e.g. :class:`indicators.present.headline.DistrictScore`);
    ``province``: one more such item, drawn first in grey for comparison.  The axis is keyed by code
    (:func:`area_axis`).  The codes in ``behind`` are drawn in their own colour; an incomplete score is hatched."""
    rows = ([province] if province is not None else []) + list(districts)
    codes = [str(d.code) for d in rows]
    labels = {str(d.code): d.label for d in rows}
    groups = [(WHOLE_COLOUR, t("word.province_whole", lang), [province] if province is not None else []),
              (BEHIND_COLOUR, t("ranking.behind", lang, n=len(behind)), [d for d in districts if d.code in behind]),
              (RANKED_COLOUR, t("ranking.others", lang), [d for d in districts if d.code not in behind])]
    fig = go.Figure()
    for colour, name, group in groups:
        if not group:
            continue
        bar_text = [f"{fmt_num(d.score, 1, lang)} · " + (t("ranking.gap", lang, gap=fmt_num(d.gap, 1, lang))
                                                         if d.gap > 0 else t("ranking.reached", lang))
                    for d in group]
        notes = [d.fed + ("" if d.complete else f" · {t('coverage.incomplete', lang)}") for d in group]
        fig.add_trace(go.Bar(
            y=[str(d.code) for d in group], x=[d.score for d in group], orientation="h", name=name,
            marker={"color": colour, "line": {"color": "#666666", "width": 0.5},
                    "pattern": {"shape": ["" if d.complete else "/" for d in group], "fgcolor": INK, "size": 6}},
            text=bar_text, textposition="inside", insidetextanchor="start", textangle=0,
            textfont={"family": FONT, "size": 12, "color": INK}, constraintext="none",
            customdata=np.column_stack([np.asarray([d.label for d in group], dtype=object),
                                        np.asarray(bar_text, dtype=object), np.asarray(notes, dtype=object)]),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        ))
    if any(not d.complete for d in rows):
        fig.add_trace(go.Bar(x=[None], y=[None], name=t("ranking.incomplete", lang), hoverinfo="skip",
                             marker={"color": "white", "line": {"color": "#666666", "width": 0.5},
                                     "pattern": {"shape": "/", "fgcolor": INK, "size": 6}}))
    fig.add_vline(x=target, line={"color": INK, "width": 2})
    fig.add_annotation(x=target, y=1, xref="x", yref="paper", yanchor="bottom", xanchor="right", showarrow=False,
                       text=f"{t('word.target', lang)} {target:g} ({target_year + BE_OFFSET})",
                       font={"family": FONT, "size": 12})
    top = max([target, *[d.score for d in rows]])
    _style(fig, height or 24 * len(rows) + 110, barmode="overlay", bargap=0.2,
           margin={"l": 10, "r": 10, "t": 28, "b": 10},
           legend={"orientation": "h", "y": -0.04, "yanchor": "top", "x": 0})
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont={"size": 12}, ticklabelstandoff=4)
    fig.update_xaxes(range=[0, top + 2], showgrid=True, dtick=20, tickfont={"size": 11})
    return area_axis(fig, "y", codes, labels)


def rank_slope(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Ranks under arithmetic (left) vs geometric (right) aggregation; ``frame``: label, rank_arithmetic,
    rank_geometric."""
    fig = go.Figure()
    left, right = t("col.rank_arithmetic", lang), t("col.rank_geometric", lang)
    for r in frame.itertuples():
        if pd.isna(r.rank_arithmetic) or pd.isna(r.rank_geometric):
            continue
        moved = int(r.rank_geometric) != int(r.rank_arithmetic)
        fig.add_trace(go.Scatter(
            x=[left, right], y=[int(r.rank_arithmetic), int(r.rank_geometric)], mode="lines+markers+text",
            text=[r.label, r.label], textposition=["middle left", "middle right"], showlegend=False,
            line={"color": "#D55E00" if moved else "#999999", "width": 2.5 if moved else 1.2},
            marker={"size": 8}, hovertemplate=f"{r.label}<br>%{{x}}: %{{y}}<extra></extra>",
        ))
    n = len(frame)
    _style(fig, max(300, 32 * n + 80), margin={"l": 170, "r": 170, "t": 30, "b": 10})
    fig.update_yaxes(autorange="reversed", dtick=1, title_text=t("word.rank", lang))
    fig.update_xaxes(side="top")
    return fig


# ---------------------------------------------------------------------------------------------- maps


def value_map(shapes: gpd.GeoDataFrame, values: dict, hover: dict, lang: str, unit: str, reverse: bool,
              note: str | None, height: int = 620) -> go.Figure:
    """A choropleth of values (``polygon_map``: filled polygons, no tile server), in the dashboard's font."""
    fig = polygon_map(shapes, values, hover, colour_title=unit, colorscale="Viridis", reverse=reverse,
                      no_data_label=t("status.no_data", lang), note=note, height=height)
    fig.update_layout(font={"family": FONT, "color": INK}, hoverlabel={"font": {"family": FONT}},
                      margin={"l": 10, "r": 10, "t": 30, "b": 40})
    return fig


def add_area_names(fig: go.Figure, shapes: gpd.GeoDataFrame, names: dict, size: int = 11) -> go.Figure:
    """Write each area's name inside it (at a point sure to lie within the shape); no hover of its own."""
    points = shapes.geometry.representative_point()
    fig.add_trace(go.Scatter(
        x=np.round(points.x, 4), y=np.round(points.y, 4), mode="text", showlegend=False, hoverinfo="skip",
        text=[names.get(c, "") for c in shapes["code"]],
        textfont={"family": FONT, "size": size, "color": INK, "shadow": "0 0 3px #fff, 0 0 2px #fff"},
    ))
    return fig


def _rings(geom) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        coords = np.round(np.asarray(poly.exterior.coords), 4)
        xs += coords[:, 0].tolist() + [None]
        ys += coords[:, 1].tolist() + [None]
    return xs, ys


def status_map(shapes: gpd.GeoDataFrame, statuses: dict, hover: dict, lang: str, note: str | None,
               height: int = 620) -> go.Figure:
    """Areas filled with their status colour (legend with the words); shapes simplified already."""
    fig = go.Figure()
    for code, geom in zip(shapes["code"], shapes.geometry, strict=True):
        s = statuses.get(code) or "no_data"
        xs, ys = _rings(geom)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", fill="toself", fillcolor=STATUS_COLOURS.get(s, STATUS_COLOURS["no_data"]),
            line={"color": "white", "width": 0.8}, showlegend=False, hoverinfo="text", hoveron="fills",
            text=hover.get(code, code), name=str(code)))
    present = {statuses.get(c) or "no_data" for c in shapes["code"]}
    for s in ALL_STATUSES:
        if s in present:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=status_word(s, lang), hoverinfo="skip",
                                     marker={"size": 12, "symbol": "square", "color": STATUS_COLOURS[s]}))
    minx, miny, maxx, maxy = shapes.total_bounds if len(shapes) else (0, 0, 1, 1)
    fig.update_xaxes(visible=False, range=[minx - 0.01, maxx + 0.01])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians((miny + maxy) / 2)))
    annotations = []
    if note:
        annotations.append({"text": note, "xref": "paper", "yref": "paper", "x": 0, "y": -0.02, "showarrow": False,
                            "xanchor": "left", "yanchor": "top", "font": {"size": 12}})
    return _style(fig, height, plot_bgcolor="white", annotations=annotations, hovermode="closest",
                  margin={"l": 10, "r": 10, "t": 30, "b": 40}, legend={"orientation": "h", "y": 1.04, "x": 0})


# ---------------------------------------------------------------------------------------------- reporting


def area_axis(fig: go.Figure, axis: str, codes: list[str], labels: Mapping[str, str]) -> go.Figure:
    """Key an axis of areas by code (categories never merge two areas of one name) and label it by name."""
    getattr(fig, f"update_{axis}axes")(type="category", categoryorder="array", categoryarray=list(codes),
                                       tickvals=list(codes), ticktext=[labels.get(c, c) for c in codes])
    return fig


def coverage_heatmap(counts: pd.DataFrame, lang: str, total: int | None = None, binary: bool = False,
                     height: int | None = None, tilted: bool | None = None,
                     labels: Mapping[str, str] | None = None) -> go.Figure:
    """A heat-map of reporting: rows areas (indexed by code, shown by ``labels``), columns years (counts of measures
    sent) or measures (sent or not)."""
    labels = labels or {}
    codes = [str(c) for c in counts.index]
    names = np.array([[labels.get(c, c)] * counts.shape[1] for c in codes], dtype=object).reshape(counts.shape)
    z = counts.to_numpy(dtype=float)
    if binary:
        text = np.where(z > 0, "✓", "✗")
        scale = [[0, "#F2F2F2"], [0.5, "#F2F2F2"], [0.5, "#0072B2"], [1, "#0072B2"]]
        zmin, zmax = 0, 1
        hover = np.where(z > 0, t("word.reported", lang), t("word.missing", lang))
    else:
        text = np.vectorize(lambda v: f"{int(v)}" if v == v else "")(z)
        scale = [[0, "#F2F2F2"], [1, "#0072B2"]]
        zmin, zmax = 0, total or (np.nanmax(z) if z.size else 1)
        hover = text
    fig = go.Figure(go.Heatmap(
        z=z, x=list(counts.columns), y=codes, colorscale=scale, zmin=zmin, zmax=zmax, showscale=False,
        text=text, texttemplate="%{text}", textfont={"family": FONT, "size": 10},
        customdata=np.dstack([names, np.asarray(hover, dtype=object).reshape(counts.shape)]),
        hovertemplate="%{customdata[0]} · %{x}: %{customdata[1]}<extra></extra>", xgap=1, ygap=1,
    ))
    _style(fig, height or max(260, 20 * len(counts.index) + 160), margin={"l": 10, "r": 10, "t": 10, "b": 10},
           plot_bgcolor="white")
    fig.update_xaxes(side="top", showgrid=False, type="category", automargin=True,
                     tickangle=-50 if (binary if tilted is None else tilted) else 0, tickfont={"size": 11})
    fig.update_yaxes(autorange="reversed", showgrid=False, tickfont={"size": 11}, automargin=True)
    return area_axis(fig, "y", codes, labels)


# ---------------------------------------------------------------------------------------------- tourism (issue 10)

TOURISM_COLOURS = {"thai": "#44AA99", "foreign": "#332288", "occupancy": "#CC6677", "revenue": "#DDCC77"}
COVID = ("2020-03-01", "2021-12-31")  # the months of closures and travel limits, shaded on monthly charts


def tourism_monthly(frame: pd.DataFrame, lang: str, height: int = 640) -> go.Figure:
    """Visitors (Thai and foreign stacked), occupancy and revenue by month; ``frame``: date (Timestamp) and one column
    per measure id.  The months of COVID-19 closures are shaded."""
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07,
                        subplot_titles=[t("tourism.visitors", lang), t("tourism.occupancy", lang),
                                        t("tourism.revenue", lang)])
    x = frame["date"]
    for mid, key in (("visitors_thai", "thai"), ("visitors_foreign", "foreign")):
        if mid in frame:
            fig.add_trace(go.Bar(x=x, y=frame[mid], name=t(f"tourism.{key}", lang),
                                 marker_color=TOURISM_COLOURS[key],
                                 hovertemplate="%{x|%m/%Y}: %{y:,.0f}<extra>%{fullData.name}</extra>"), 1, 1)
    if "occupancy_rate" in frame:
        fig.add_trace(go.Scatter(x=x, y=frame["occupancy_rate"], mode="lines+markers", showlegend=False,
                                 name=t("tourism.occupancy", lang), line={"color": TOURISM_COLOURS["occupancy"]},
                                 hovertemplate="%{x|%m/%Y}: %{y:.1f}%<extra></extra>"), 2, 1)
    if "tourism_revenue" in frame:
        fig.add_trace(go.Bar(x=x, y=frame["tourism_revenue"], showlegend=False, name=t("tourism.revenue", lang),
                             marker_color=TOURISM_COLOURS["revenue"],
                             hovertemplate="%{x|%m/%Y}: %{y:,.1f}<extra></extra>"), 3, 1)
    for row in (1, 2, 3):
        fig.add_vrect(x0=COVID[0], x1=COVID[1], fillcolor="#999999", opacity=0.15, line_width=0, row=row, col=1)
    fig.add_annotation(x=COVID[0], y=1.0, xref="x", yref="y domain", text=t("tourism.covid", lang), showarrow=False,
                       xanchor="left", yanchor="top", font={"size": 11, "color": PATH})
    _style(fig, height, barmode="stack", legend={"orientation": "h", "y": 1.06, "yanchor": "bottom", "x": 0},
           margin={"l": 10, "r": 10, "t": 80, "b": 10}, bargap=0.15)
    # dates in BE on the axis: ticks each January
    years = sorted({d.year for d in x})
    fig.update_xaxes(tickvals=[pd.Timestamp(year=y, month=1, day=1) for y in years],
                     ticktext=[str(y + BE_OFFSET) for y in years], row=3, col=1)
    fig.update_yaxes(rangemode="tozero")
    return mark_years(fig, years)


def tourism_yearly(frame: pd.DataFrame, lang: str, height: int = 360) -> go.Figure:
    """Visitors, occupancy and revenue by year; ``frame``: year (CE), n_months, complete and one column per measure.
    A partial year is hatched and labelled with its number of months."""
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.08,
                        subplot_titles=[t("tourism.visitors", lang), t("tourism.occupancy", lang),
                                        t("tourism.revenue", lang)])
    x = [str(y + BE_OFFSET) for y in frame["year"]]
    pattern = ["/" if not c else "" for c in frame["complete"]]
    notes = frame["note"] if "note" in frame else pd.Series(None, index=frame.index, dtype=object)
    labels = ["" if c else (note if isinstance(note, str) else t("tourism.partial_mark", lang, months=int(n)))
              for c, n, note in zip(frame["complete"], frame["n_months"], notes, strict=True)]
    for col, (mid, key, fmt) in enumerate((("visitors_total", "thai", ",.0f"), ("occupancy_rate", "occupancy", ".1f"),
                                           ("tourism_revenue", "revenue", ",.0f")), start=1):
        if mid not in frame:
            continue
        fig.add_trace(go.Bar(x=x, y=frame[mid].tolist(),
                             marker={"color": TOURISM_COLOURS[key], "pattern_shape": pattern}, text=labels,
                             textposition="outside", showlegend=False, name=mid,
                             hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra></extra>"), 1, col)
    _style(fig, height, margin={"l": 10, "r": 10, "t": 50, "b": 10})
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero")
    return mark_years(fig, frame["year"])
