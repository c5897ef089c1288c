"""The district report, and the trajectory chart that exports (and the pages) can reuse.

:func:`district_report` gives one self-contained document for a district (or the province, or a subdistrict): its
Happiness Metropolis Index, the status table of its indicators, a chart per indicator (the observed series against
the straight path to the 2575 target), the methods summary and the sources, in Thai or English, marked
"ข้อมูลสาธิต / demo data" when the store holds the demo.

How the PDF is made, and why: the report is first built as HTML, with every chart inlined as SVG (rendered by the
warm kaleido exporter, :mod:`indicators.present.exports`) and Noto Sans Thai inlined as a base64 ``@font-face``
(about 50 KB), so the HTML needs nothing from outside.  The PDF is that same HTML printed by the system Chromium
(``chromium --headless --print-to-pdf``, in a subprocess with its own throw-away profile and a timeout).  Chromium
lays out Thai correctly (line breaking, stacked vowel and tone marks), keeps the text selectable, and embeds subsets
of Noto Sans Thai in the PDF; it needs no network and no new Python package.  The alternative, one kaleido PDF per
figure, would need a PDF library to join the pages and could not lay out the tables.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
import subprocess
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from indicators.engine.index import HMI
from indicators.engine.tables import index_table, indicator_values, progress_table
from indicators.engine.values import UnknownName
from indicators.present.charts import trajectory_grid, trajectory_traces
from indicators.present.colours import DOMAIN_COLOURS, FONT, INK, PATH, status_colour, status_text_colour
from indicators.present.exports import ExportError, figure_bytes, find_chromium, finish_figure
from indicators.present.i18n import area_label, coverage_text, fmt_num, fmt_year, status_word
from indicators.present.progress_text import confidence_text, pace_text, pending_coverage, projection_text
from indicators.present.queries import areas, meta
from indicators.registry import BE_OFFSET, DOMAINS, STATUSES, Indicator, load_index_spec, load_registry
from indicators.words import TEXT
from indicators.words import t as i18n_t
from loaders.areas import CREDIT
from loaders.store import reader

REPORT_FORMATS = ("pdf", "html")
FONT_DIR = Path("/usr/share/fonts/truetype/noto")
PDF_TIMEOUT = 90  # seconds for Chromium to print the report


METHODS = ("baseline", "progress", "pace", "status", "sums", "coverage")  # report.methods.<key>, in this order


def methods_lines(lang: str) -> list[str]:
    """The methods summary; the statuses in the dashboard's words and rules (``status.*``, ``methods.rule.*``)."""
    statuses = " · ".join(f"{status_word(s, lang)} ({t(f'methods.rule.{s}', lang)})" for s in STATUSES)
    return [t(f"methods.{key}", lang, statuses=statuses) for key in METHODS]


def t(key: str, lang: str, **values: Any) -> str:
    """The report's text for ``key`` from the one translation table (its own words are ``report.<key>``)."""
    own = f"report.{key}"
    return i18n_t(own if own in TEXT else key, lang, **values)


def area_info(area_code: str, db=None) -> dict[str, Any]:
    """Code, level, names and whether the store holds the demo; UnknownName if there is no such area."""
    frame = areas(db)
    row = frame[frame.code == area_code]
    if row.empty:
        raise UnknownName(f"ไม่รู้จักรหัสพื้นที่ / unknown area code {area_code!r}")
    r = row.iloc[0]
    return {"code": area_code, "level": r.level, "name_th": r.name_th, "name_en": r.name_en, "demo": meta(db)["demo"]}


def _label(info: Mapping[str, Any], lang: str) -> str:
    return area_label(info["name_th"], info["name_en"], info["level"], lang, with_level=True)


def indicator_sources(indicator: Indicator, lang: str) -> list[str]:
    """The distinct sources of the measures an indicator reads, in ``lang``."""
    registry = load_registry()
    out: list[str] = []
    for m in indicator.formula.measures():
        src = registry.measure(m).source.get(lang)
        if src not in out:
            out.append(src)
    return out


def _check_lang(lang: str) -> str:
    if lang not in ("th", "en"):
        raise UnknownName(f"ไม่รู้จักภาษา / unknown language {lang!r} (th or en)")
    return lang


def _indicator(indicator_id: str) -> Indicator:
    registry = load_registry()
    if indicator_id not in registry.indicators:
        raise UnknownName(
            f"ไม่รู้จักตัวชี้วัด / unknown indicator {indicator_id!r} (see `python -m indicators list`)")
    return registry.indicator(indicator_id)


# ---------------------------------------------------------------------------------------------- charts


def _coverage_cell(r: Any, lang: str) -> str:
    """What fed a progress row's latest value, and the newer year that did not count yet (``r.pending_coverage``:
    :func:`indicators.present.progress_text.pending_coverage`)."""
    text = coverage_text(r.n_subdistricts, r.n_estimated, r.n_expected, r.level, lang) if r.n_years else ""
    if not pd.isna(r.pending_year):
        text = " · ".join(x for x in (text, t("coverage.pending", lang, year=fmt_year(r.pending_year, lang),
                                                  coverage=r.pending_coverage or t("coverage.incomplete", lang))) if x)
    return text


def trajectory_figure(values_df: pd.DataFrame, progress_row: Any, indicator: Indicator, lang: str = "th",
                      *, height: int = 460) -> go.Figure:
    """One area's indicator over the years (BE) against the straight path from the baseline to the 2575 target.

    ``values_df``: rows of :func:`indicators.engine.tables.indicator_values` for one area and indicator (``year`` CE,
    ``value``); ``progress_row``: that area's row of :func:`indicators.engine.tables.progress_table` (a Series or dict;
    None when there is none).  The dotted line continues the observed trend from the latest value to the target year;
    the last point is coloured by status.  No title: add one with :func:`indicators.present.exports.finish_figure`.
    """
    unit = indicator.unit.get(lang)
    traces = trajectory_traces(values_df, progress_row, lang, html.escape(unit), label_target=True)
    fig = go.Figure(traces)
    ys = [float(y) for tr in traces for y in (tr.y or ()) if y is not None and math.isfinite(float(y))]
    if ys:
        lo, hi = min(ys), max(ys)
        span = (hi - lo) or abs(hi) or 1.0
        fig.update_yaxes(range=[lo - 0.06 * span, hi + 0.14 * span])
    fig.update_layout(
        template="plotly_white", height=height, font={"family": FONT, "size": 13, "color": INK},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                "font": {"size": 12}},
        margin={"l": 70, "r": 30, "t": 50, "b": 60}, hovermode="closest",
    )
    fig.update_xaxes(title_text=t("year_be", lang), tickformat="d", dtick=1, showgrid=False, ticks="outside")
    fig.update_yaxes(title_text=unit, tickformat=",~r", zeroline=False, rangemode="normal")
    return fig


def index_figure(index_df: pd.DataFrame, lang: str = "th", *, height: int = 420) -> go.Figure:
    """The index (bold) and the domain scores (thin) by year (BE), with the straight path to the index target."""
    spec = load_index_spec()
    fig = go.Figure()
    hmi = index_df[(index_df.domain == HMI) & index_df.score.notna()].sort_values("year")
    base = hmi[hmi.year == spec.baseline_year]
    if len(base):
        fig.add_trace(go.Scatter(
            x=[spec.baseline_year_be, spec.target_year_be], y=[float(base.score.iloc[0]), spec.target],
            mode="lines", line={"color": PATH, "dash": "dash", "width": 2}, name=t("word.path", lang)))
    fig.add_trace(go.Scatter(
        x=[spec.target_year_be], y=[spec.target], mode="markers+text", marker={"symbol": "star", "size": 16,
                                                                            "color": INK},
        text=[f"{t('word.target', lang)} {spec.target:g}"], textposition="top left", name=t("word.target", lang)))
    for domain in (*DOMAINS, HMI):
        d = index_df[(index_df.domain == domain) & index_df.score.notna()].sort_values("year")
        if not len(d):
            continue
        is_hmi = domain == HMI
        fig.add_trace(go.Scatter(
            x=(d.year.astype(int) + BE_OFFSET).tolist(), y=d.score.tolist(), mode="lines+markers",
            name=t("index.title", lang) if is_hmi else t(f"domain.{domain}", lang),
            line={"color": DOMAIN_COLOURS[domain], "width": 4 if is_hmi else 1.6, "dash": "solid" if is_hmi else "dot"},
            marker={"size": 7 if is_hmi else 4}, hovertemplate="%{x}: %{y:.1f}<extra>%{fullData.name}</extra>"))
    fig.update_layout(
        template="plotly_white", height=height, font={"family": FONT, "size": 13, "color": INK},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": {"size": 12}},
        margin={"l": 60, "r": 30, "t": 70, "b": 55},
    )
    fig.update_xaxes(title_text=t("year_be", lang), tickformat="d", dtick=1, showgrid=False)
    fig.update_yaxes(title_text="0–100", range=[-3, 103], tickvals=[0, 20, 40, 60, 80, 100])
    return fig


def _subtitle(area: str, indicator: Indicator, years: pd.Series, lang: str, status: str | None) -> str:
    unit = indicator.unit.get(lang)
    span = ""
    if len(years):
        span = f"{int(years.min()) + BE_OFFSET}–{int(years.max()) + BE_OFFSET}"
        span = ("พ.ศ. " + span) if lang == "th" else (span + " BE")
    parts = [area, f"{t('col.unit', lang)}: {unit}", span]
    if status:
        parts.append(f"{t('col.status', lang)}: {status_word(status, lang)}")
    return " · ".join(p for p in parts if p)


def chart_figure(area_code: str, indicator_id: str, *, db=None, lang: str = "th",
                 level: str | None = None) -> go.Figure:
    """The finished trajectory chart of one indicator for one area, ready to export (title, source, demo mark).

    ``level`` lower than the area's own (e.g. ``subdistrict`` for a district) gives small multiples, one panel per
    area of that level inside it; the area's own level (or None) gives the single chart.
    """
    lang = _check_lang(lang)
    indicator = _indicator(indicator_id)
    info = area_info(area_code, db)
    order = {"province": 0, "district": 1, "subdistrict": 2}
    level = level or info["level"]
    if level not in order:
        raise UnknownName(f"ไม่รู้จักระดับพื้นที่ / unknown level {level!r} (province, district or subdistrict)")
    if order[level] < order[info["level"]]:
        raise UnknownName(f"พื้นที่ {area_code} เป็นระดับ{t('level.' + info['level'], 'th')} / area {area_code} is a "
                          f"{info['level']}: --level must be {info['level']} or below")
    name = indicator.name.get(lang)
    sources = "; ".join(indicator_sources(indicator, lang))
    demo = bool(info["demo"])
    label = _label(info, lang)
    if level == info["level"]:
        values = indicator_values(db, indicator=indicator_id, area=area_code)
        prog = progress_table(db, area=area_code, indicator=indicator_id)
        row = prog.iloc[0] if len(prog) else None
        fig = trajectory_figure(values, row, indicator, lang)
        status = None if row is None else row.status
        sub = _subtitle(label, indicator, values.dropna(subset=["value"]).year, lang, status)
        return finish_figure(fig, title=name, subtitle=sub, source=sources, demo=demo, lang=lang)
    values = indicator_values(db, level=level, indicator=indicator_id)
    prog = progress_table(db, level=level, indicator=indicator_id)
    inside = _descendants(area_code, level, db)
    names = areas(db).set_index("code")
    unit = indicator.unit.get(lang)
    panels = []
    for code in inside:
        v = values[values.area_code == code]
        p = prog[prog.area_code == code]
        a = names.loc[code]
        panels.append({"title": area_label(a.name_th, a.name_en, a.level, lang, with_level=True), "unit": unit,
                       "series": v, "progress": p.iloc[0] if len(p) else None})
    fig = trajectory_grid(panels, lang, panel_height=220, top=170, bottom=70)
    fig.update_layout(legend={"y": 1 - 96 / fig.layout.height})  # below the title and subtitle
    years = values[values.area_code.isin(inside)].dropna(subset=["value"]).year
    sub = _subtitle(f"{label} · {t('n_' + level, lang, n=len(inside))}", indicator, years, lang, None)
    return finish_figure(fig, title=name, subtitle=sub, source=sources, demo=demo, lang=lang)


def _descendants(area_code: str, level: str, db) -> list[str]:
    """Codes of the areas of ``level`` inside ``area_code`` (children, or grandchildren), sorted."""
    with reader(db) as con:
        rows = con.execute(
            """SELECT a.code FROM areas a LEFT JOIN areas p ON p.code = a.parent_code
               WHERE a.level = ? AND (a.parent_code = ? OR p.parent_code = ?) ORDER BY a.code""",
            [level, area_code, area_code]).fetchall()
    return [r[0] for r in rows]


# ---------------------------------------------------------------------------------------------- the report


@cache
def _font_face_css() -> str:
    """Noto Sans Thai (regular, bold) as inline @font-face rules, or "" when the font files are absent."""
    rules = []
    for weight, name in ((400, "NotoSansThai-Regular.ttf"), (700, "NotoSansThai-Bold.ttf")):
        path = FONT_DIR / name
        if path.exists():
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            rules.append(f'@font-face{{font-family:"Noto Sans Thai";font-weight:{weight};font-style:normal;'
                         f'src:url(data:font/ttf;base64,{data}) format("truetype");}}')
    return "\n".join(rules)


_CSS = """
@page { size: A4; margin: 14mm 13mm 15mm 13mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans Thai", "Noto Sans", sans-serif; color: #222; font-size: 10pt; line-height: 1.5;
       max-width: 190mm; margin: 0 auto; padding: 0 2mm; }
h1 { font-size: 17pt; margin: 0 0 2mm; line-height: 1.3; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1.5px solid #0072B2; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 0 0 1mm; line-height: 1.6; }
p { margin: 1mm 0 2mm; }
.meta { color: #555; font-size: 9.5pt; }
.demo { border: 1.5px solid #b00020; color: #b00020; padding: 2mm 3mm; margin: 3mm 0; font-weight: 700; }
.headline { font-size: 13pt; font-weight: 700; margin: 2mm 0; }
table { border-collapse: collapse; width: 100%; font-size: 8.2pt; margin: 2mm 0 3mm; }
table.status { table-layout: fixed; }
td { overflow-wrap: break-word; }
th, td { border-bottom: 0.5px solid #ccc; padding: 1.6mm 1.5mm 1.2mm; text-align: left; vertical-align: top; }
th { background: #e8eef4; font-weight: 700; }
table.narrow { width: auto; min-width: 55%; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.proj { text-align: right; font-variant-numeric: tabular-nums; min-width: 17mm; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
.badge { display: inline-block; padding: 0 2mm; border-radius: 2mm; font-size: 8.5pt; white-space: nowrap;
         border: 0.5px solid #888; }
.chart { page-break-inside: avoid; break-inside: avoid; margin: 0 0 3mm; padding-top: 2.5mm; }
.chart svg { width: 100%; height: auto; display: block; }
.chart .def { color: #444; font-size: 9pt; margin: 0 0 1mm; }
.chart .src { color: #666; font-size: 8.5pt; margin: 0; }
ol, ul { margin: 1mm 0 2mm; padding-left: 6mm; }
li { margin: 0.5mm 0; }
footer { margin-top: 6mm; color: #666; font-size: 8.5pt; border-top: 0.5px solid #ccc; padding-top: 2mm; }
"""


def _badge(status: str | None, lang: str) -> str:
    s = status or "insufficient_data"
    return (f'<span class="badge" style="background:{status_colour(s)};'
            f'color:{status_text_colour(s)}">{html.escape(status_word(s, lang))}</span>')


def _svg_inline(fig: go.Figure, width: int, height: int) -> str:
    """The figure as an inline <svg> that scales to its container (viewBox kept, fixed size dropped)."""
    svg = figure_bytes(fig, "svg", width=width, height=height).decode("utf-8")
    start = svg.find("<svg")
    svg = svg[start:]
    head_end = svg.find(">")
    head = svg[:head_end]
    if "viewBox" not in head:
        head += f' viewBox="0 0 {width} {height}"'
    head = head.replace(f'width="{width}"', 'width="100%"', 1).replace(f'height="{height}"', "", 1)
    return head + svg[head_end:]


def report_html(area_code: str, *, db=None, lang: str = "th") -> str:
    """The report as one self-contained HTML document (see the module docstring)."""
    lang = _check_lang(lang)
    registry = load_registry()
    spec = load_index_spec()
    info = area_info(area_code, db)
    label = _label(info, lang)
    demo = info["demo"]
    values = indicator_values(db, area=area_code)
    prog = progress_table(db, area=area_code)
    prog = prog.assign(pending_coverage=pending_coverage(prog, values, lang))
    idx = index_table(db, area=area_code)
    e = html.escape
    out: list[str] = []
    title = t("report.title", lang)
    made = dt.date.today()
    made_text = f"{made.day}/{made.month}/{made.year + BE_OFFSET}" if lang == "th" else made.isoformat()
    out.append(f"<header><h1>{e(title)}<br>{e(label)}</h1>"
               f'<p class="meta">{e(t("report.made", lang))} {e(made_text)} · '
               f'{e(t("level." + info["level"], lang))} {e(info["code"])}</p></header>')
    if demo:
        out.append(f'<div class="demo">{e(t("report.demo", lang))}</div>')

    # the index
    out.append(f"<h2>{e(t('index.title', lang))}</h2>")
    hmi = idx[(idx.domain == HMI) & idx.score.notna() & idx.complete]  # the latest complete year
    if len(hmi):
        latest_year = int(hmi.year.max())
        score = float(hmi[hmi.year == latest_year].score.iloc[0])
        headline = t("index.latest", lang, year=latest_year + BE_OFFSET, score=f"{score:.1f}",
                     target=f"{spec.target:g}", target_year=spec.target_year_be)
        out.append(f'<p class="headline">{e(headline)}</p>')
        year_rows = idx[idx.year == latest_year]
        out.append(f"<h3>{e(t('index.domains', lang, year=latest_year + BE_OFFSET))}</h3>")
        out.append(f"<table class='narrow'><thead><tr><th>{e(t('col.domain', lang))}</th>"
                   f"<th>{e(t('col.score', lang))}</th>"
                   f"<th>{e(t('index.fed', lang))}</th></tr></thead><tbody>")
        for domain in (*DOMAINS, HMI):
            r = year_rows[year_rows.domain == domain]
            if not len(r):
                continue
            r = r.iloc[0]
            name = t("index.title", lang) if domain == HMI else t(f"domain.{domain}", lang)
            strong = ("<b>", "</b>") if domain == HMI else ("", "")
            out.append(f"<tr><td>{strong[0]}{e(name)}{strong[1]}</td><td class='num'>{fmt_num(r.score, 1, lang)}</td>"
                       f"<td class='num'>{int(r.n_available)} / {int(r.n_indicators)}</td></tr>")
        out.append("</tbody></table>")
        out.append(f'<div class="chart"><h3>{e(t("index.chart", lang))}</h3>'
                   f"{_svg_inline(index_figure(idx, lang), 860, 400)}</div>")
    else:
        out.append(f"<p>{e(t('index.none', lang))}</p>")
    out.append(f"<p class='meta'>{e(spec.definition.get(lang))}</p>")

    # the status table
    out.append(f"<h2>{e(t('status.title', lang))}</h2>")
    counts = prog.status.value_counts()[lambda c: c > 0]
    summary = ", ".join(f"{status_word(s, lang)} {int(counts[s])}" for s in STATUSES if s in counts)
    out.append(f"<p>{e(t('status.counts', lang, n=len(prog)))}{e(summary)}</p>")
    cols = ["col.indicator", "col.unit", "col.baseline", "col.latest", "col.target", "col.progress", "col.status",
            "col.projected", "col.confidence", "col.pace", "col.coverage"]
    widths = (13, 7, 8, 8, 8, 7, 10, 9, 9, 11, 10)  # % of the page: eleven columns must fit A4
    out.append("<table class='status'><colgroup>" + "".join(f"<col style='width:{w}%'>" for w in widths)
               + "</colgroup><thead><tr>" + "".join(f"<th>{e(t(c, lang))}</th>" for c in cols)
               + "</tr></thead><tbody>")
    by_id = {r.indicator_id: r for r in prog.itertuples(index=False)}
    for domain in DOMAINS:
        for ind in registry.indicators.values():
            if ind.domain != domain or ind.id not in by_id:
                continue
            r = by_id[ind.id]
            proj = projection_text(r, lang)
            out.append(
                f"<tr><td>{e(ind.name.get(lang))}</td><td>{e(ind.unit.get(lang))}</td>"
                f"<td class='num'>{fmt_num(r.baseline, lang=lang)}<br>({fmt_year(r.baseline_year, lang)})</td>"
                f"<td class='num'>{fmt_num(r.latest, lang=lang)}<br>({fmt_year(r.latest_year, lang)})</td>"
                f"<td class='num'>{fmt_num(r.target, lang=lang)}<br>({fmt_year(r.target_year, lang)})</td>"
                f"<td class='num'>{fmt_num(r.progress_pct, 0, lang)}{'%' if not pd.isna(r.progress_pct) else ''}</td>"
                f"<td>{_badge(r.status, lang)}</td><td class='proj'>{e(proj)}</td>"
                f"<td>{e(confidence_text(r, lang))}</td><td>{e(pace_text(r, ind.unit.get(lang), lang))}</td>"
                f"<td>{e(_coverage_cell(r, lang))}</td></tr>")
    out.append("</tbody></table>")

    # a chart per indicator
    out.append(f"<h2>{e(t('charts.title', lang))}</h2><p class='meta'>{e(t('charts.note', lang))}</p>")
    for domain in DOMAINS:
        inds = [i for i in registry.indicators.values() if i.domain == domain]
        for ind in inds:
            v = values[values.indicator_id == ind.id]
            row = by_id.get(ind.id)
            status = row.status if row is not None else None
            head = (f"<h3>{e(ind.name.get(lang))} <span class='meta'>({e(t('domain.' + domain, lang))}, "
                    f"{e(ind.unit.get(lang))})</span> {_badge(status, lang) if row is not None else ''}</h3>")
            definition = f"<p class='def'>{e(ind.definition.get(lang))} {e(t('direction.' + ind.direction, lang))}.</p>"
            source = f"<p class='src'>{e(t('source', lang))}: {e('; '.join(indicator_sources(ind, lang)))}</p>"
            if v.value.notna().sum() == 0:
                out.append(f"<div class='chart'>{head}{definition}<p>{e(t('no_indicator_data', lang))}</p>"
                           f"{source}</div>")
                continue
            fig = trajectory_figure(v, row._asdict() if row is not None else None, ind, lang, height=300)
            fig.update_layout(margin={"t": 40, "b": 45})
            out.append(f"<div class='chart'>{head}{definition}{_svg_inline(fig, 860, 300)}{source}</div>")

    # methods and sources
    out.append(f"<h2>{e(t('methods.title', lang))}</h2><ol>")
    out.extend(f"<li>{e(line)}</li>" for line in methods_lines(lang))
    out.append(f"<li>{e(spec.definition.get(lang))}</li></ol>")
    out.append(f"<table><thead><tr><th>{e(t('col.indicator', lang))}</th><th>{e(t('formula', lang))}</th>"
               f"<th>{e(t('col.target', lang))}</th></tr></thead><tbody>")
    for ind in registry.indicators.values():
        target = f"{ind.target.text(ind.unit.get(lang))} ({ind.target_year_be})"
        out.append(f"<tr><td>{e(ind.name.get(lang))}</td><td>{e(ind.formula.text())}</td><td>{e(target)}</td></tr>")
    out.append("</tbody></table>")
    out.append(f"<h2>{e(t('sources.title', lang))}</h2><ul>")
    seen: list[str] = []
    for ind in registry.indicators.values():
        seen += [s for s in indicator_sources(ind, lang) if s not in seen]
    out.extend(f"<li>{e(s)}</li>" for s in seen)
    out.append(f"<li>{e(t('area_names', lang))}: {e(CREDIT)}</li></ul>")
    if demo:
        out.append(f'<footer>{e(t("report.demo", lang))}</footer>')
    body = "\n".join(out)
    doc_title = f"{title} · {label}"
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{e(doc_title)}</title>\n'
            f"<style>\n{_font_face_css()}\n{_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def chromium_path() -> str:
    """The Chromium to print with: the one kaleido uses (``$BROWSER_PATH``, else chromium on the PATH)."""
    return find_chromium()


def html_to_pdf(document: str, *, timeout: float = PDF_TIMEOUT) -> bytes:
    """Print an HTML document to PDF with headless Chromium (no network, a throw-away profile, a timeout)."""
    browser = chromium_path()
    with tempfile.TemporaryDirectory(prefix="wellbeing-report-") as tmp:
        src = Path(tmp) / "report.html"
        out = Path(tmp) / "report.pdf"
        src.write_text(document, encoding="utf-8")
        cmd = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000",
            f"--print-to-pdf={out}", src.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ExportError(f"Chromium did not print the report within {timeout:g} s") from exc
        if not out.exists() or out.stat().st_size == 0:
            tail = proc.stderr.decode("utf-8", "replace")[-600:]
            raise ExportError(f"Chromium printed no PDF (exit {proc.returncode}): {tail}")
        return out.read_bytes()


def district_report(area_code: str, *, db=None, lang: str = "th", fmt: str = "pdf") -> bytes:
    """The report of one area (a district, the province or a subdistrict) as PDF or self-contained HTML bytes.

    Raises :class:`indicators.engine.values.UnknownName` for an unknown area or language, ValueError for another format.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (pdf or html)")
    document = report_html(area_code, db=db, lang=lang)
    if fmt == "html":
        return document.encode("utf-8")
    return html_to_pdf(document)
