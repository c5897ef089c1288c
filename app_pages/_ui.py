"""What every page shares: the language, translated text, and drawing helpers (figures and tables).

Every figure drawn with :func:`plot` and every table drawn with :func:`table` (given a ``name``) gets a small
"ดาวน์โหลด / Download" menu under it: PNG (2×), SVG, PDF and interactive HTML for a figure, finished for a report
(title, area and indicator, unit, BE years, source line, demo mark: :func:`finished_figure`); CSV (BOM), Excel and
Parquet for a table.  The bytes are made only when a button is clicked (``st.download_button`` with a callable
``data``, run by Streamlit on its own thread), so a page run only draws the buttons.
"""

from __future__ import annotations

import errno
import logging
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages._cache import db
from indicators.engine.tables import indicator_values
from indicators.present import bundle, charts, colours, exports, queries
from indicators.present.i18n import status_word
from indicators.present.report import district_report, indicator_sources
from indicators.present.views import TableView
from indicators.registry import BE_OFFSET, STATUSES, load_registry
from indicators.words import DEFAULT_LANG, LANGS, TEXT, t
from loaders.errors import ConfigError
from loaders.schema import SchemaTooNew, SchemaTooOld
from loaders.store import StoreBusy, StoreError, StoreFull, StoreMissing, StoreReadOnly, store_fault
from loaders.uploads import MB, max_upload_bytes

# What a page catches and says plainly (app.py around every page): the store busy, missing, full or read-only, a
# store newer than this code, a setting that cannot be used.
FAULTS = (StoreError, ConfigError, SchemaTooNew, SchemaTooOld)
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
DOWNLOAD_ICON = ":material/download:"


def from_url(key: str, valid) -> str | None:
    """Take ``?key=value`` from the URL into session state when the URL brought a new value (a link or a reload).

    Returns the value when it is not one of ``valid`` (the page says so), else None.  A value this app wrote to the
    URL itself is not taken again, so a choice made in the page is not overridden by the URL it left behind.
    """
    value = st.query_params.get(key)
    if value is None or value == st.session_state.get(f"_url_{key}"):
        return None
    st.session_state[f"_url_{key}"] = value
    if value in valid:
        st.session_state[key] = value
        return None
    return value


def to_url(key: str, value: str | None) -> None:
    """Keep ``?key=value`` in the URL (shareable links, survives page changes)."""
    if value is None:
        return
    st.session_state[f"_url_{key}"] = value
    if st.query_params.get(key) != value:
        st.query_params[key] = value


def lang() -> str:
    value = st.session_state.get("lang", DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def T(key: str, **values) -> str:  # noqa: N802 - short name for the many labels
    return t(key, lang(), **values)


# every ASCII punctuation character: CommonMark lets each be backslash-escaped, and every piece of Markdown syntax
# (links, images, emphasis, code, HTML, GFM autolinks such as http://… www.… a@b.c, Streamlit's :colour[…] and $…$)
# needs at least one of them unescaped
_MD_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def esc(text: object) -> str:
    """``text`` (a file name, account name, note, message quoting input …) for an element that renders Markdown
    (``st.markdown``, ``st.caption``, alerts, labels): every ASCII punctuation character backslash-escaped, so it
    shows as written and never becomes a link, an image or formatting."""
    return _MD_PUNCTUATION.sub(r"\\\1", str(text))


def md(key: str, **values) -> str:
    """:func:`T` for a Markdown element: the translated sentence with every text value escaped (:func:`esc`)."""
    return t(key, lang(), **{k: esc(v) if isinstance(v, str) else v for k, v in values.items()})


def upload_limit_mb() -> int:
    """The upload limit for ``st.file_uploader(max_upload_size=…)``, in MB as the browser counts them: the app's one
    limit (:func:`loaders.uploads.max_upload_bytes`).  :class:`ConfigError` when Streamlit's ``server.maxUploadSize``
    (MiB) is set below it: the server would refuse files the page promises to take."""

    limit = max_upload_bytes()
    if limit > int(st.get_option("server.maxUploadSize")) * 2**20:
        raise ConfigError("server.maxUploadSize < WELLBEING_MAX_UPLOAD_MB", "server.maxUploadSize")
    return max(1, -(-limit // MB))


def fault_of(exc: BaseException) -> BaseException | None:
    """``exc`` as a fault to say plainly: a store or settings error, or an OSError of a full or read-only disk (as
    :class:`loaders.store.StoreFull` or :class:`~loaders.store.StoreReadOnly`); None for anything else."""
    if isinstance(exc, FAULTS):
        return exc
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        return store_fault(exc, exc.filename or "?")
    return None


def fault_text(exc: BaseException) -> str:
    """What to tell a user about a store or settings fault, in the page's language (never a path or a traceback)."""
    if isinstance(exc, ConfigError):
        return T("app.config_error", setting=exc.setting)
    for kind, key in ((StoreBusy, "app.busy"), (StoreFull, "app.store_full"), (StoreReadOnly, "app.store_read_only"),
                      (StoreMissing, "app.no_db"), (SchemaTooOld, "app.store_old"), (SchemaTooNew, "app.store_new")):
        if isinstance(exc, kind):
            return T(key)
    return T("app.store_error")


def show_fault(exc: BaseException) -> None:
    """Say what went wrong with the store or a setting (a warning when trying again may help) and log it."""
    logging.getLogger("wellbeing.app").warning("%s: %s", type(exc).__name__, exc)
    (st.warning if isinstance(exc, StoreBusy) else st.error)(fault_text(exc), icon=":material/error:")


def plot(fig, key: str | None = None, *, title: str | None = None, area: str | None = None,
         indicator: str | None = None, note: str | None = None, data: Callable[[], pd.DataFrame] | None = None) -> None:
    """A plotly figure in the page's width, in the dashboard's own look (not Streamlit's theme), with downloads.

    With a ``key``, a download menu follows: the figure finished for a report (``title``; ``area`` and ``indicator``
    codes, and ``note``, make the subtitle) and, when ``data`` is given (a callable returning the figure's numbers),
    the numbers as a table.  Nothing is exported until a button is clicked.
    """
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=key)
    if key is None or fig is None:
        return
    context = _context()
    with _menu():
        st.caption(T("export.chart"))
        finish = _Finisher(fig, title=title, area=area, indicator=indicator, note=note, **context)
        labels = {"png": T("export.png"), "html": T("export.html")}
        for spec in exports.figure_downloads(fig, kind=key, area=area, indicator=indicator):
            fmt = spec["file_name"].rsplit(".", 1)[-1]
            spec.update(label=labels.get(fmt, spec["label"]), data=finish.bytes_for(fmt))
            _button(spec, f"dl_{key}_{fmt}")
        if data is not None:
            st.caption(T("export.table"))
            _table_buttons(data, kind=key, area=area, indicator=indicator)


def _context() -> dict[str, Any]:
    """What a deferred export needs from the page run: the language and the database (read again on click)."""

    return {"lang": lang(), "db": db()}


def _menu():
    """The compact download menu: a small text button that opens a popover."""
    return st.popover(T("export.download"), icon=DOWNLOAD_ICON, type="tertiary")


def _button(spec: dict[str, Any], key: str) -> None:
    st.download_button(**spec, key=key, on_click="ignore", width="stretch")


def download_everything() -> None:
    """One button: every table and the registry as CSV in a zip (:func:`indicators.present.bundle.everything_zip`),
    made on click."""
    context = _context()
    st.download_button(T("methods.download_all"), data=lambda: bundle.everything_zip(context["db"], context["lang"]),
                       file_name="phatthalung-wellbeing.zip", mime="application/zip", key="dl_everything",
                       on_click="ignore", help=T("methods.download_all_help"), icon=DOWNLOAD_ICON)


class _Finisher:
    """Makes the export of one figure on click: finished once (title, subtitle, source, demo mark), then each format."""

    def __init__(self, fig, *, title, area, indicator, note, lang, db) -> None:
        self.fig, self.title, self.area, self.indicator, self.note = fig, title, area, indicator, note
        self.lang, self.db = lang, db
        self._done: go.Figure | None = None

    def figure(self) -> go.Figure:
        if self._done is None:
            self._done = finished_figure(self.fig, title=self.title, area=self.area, indicator=self.indicator,
                                         note=self.note, lang=self.lang, db=self.db)
        return self._done

    def bytes_for(self, fmt: str) -> Callable[[], bytes]:
        return lambda: exports.figure_bytes(self.figure(), fmt)


EXPORT_TOP, EXPORT_BOTTOM = 90, 45  # px added above (title, subtitle) and below (source line) an exported figure


def _room_for_title(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` taller by the room the title and the source line take, so that nothing the dashboard put in
    its margins (a legend at the top, column labels, axis titles) runs into them."""
    out = go.Figure(fig)
    height = out.layout.height or exports.DEFAULT_HEIGHT
    margin = out.layout.margin
    new_height = height + EXPORT_TOP + EXPORT_BOTTOM
    out.update_layout(height=new_height, margin={"t": (100 if margin.t is None else margin.t) + EXPORT_TOP,
                                                  "b": (80 if margin.b is None else margin.b) + EXPORT_BOTTOM})
    legend = out.layout.legend
    if legend.yref == "container" and legend.y is not None:  # container-anchored: move it with the plot
        if legend.y > 0.5:
            out.update_layout(legend_y=legend.y - EXPORT_TOP / new_height)
        else:
            out.update_layout(legend_y=legend.y + EXPORT_BOTTOM / new_height)
    return out


def finished_figure(fig, *, title: str | None, area: str | None = None, indicator: str | None = None,
                    note: str | None = None, lang: str = DEFAULT_LANG, db=None) -> go.Figure:
    """``fig`` ready to leave the dashboard, in ``lang``: the title; a subtitle naming the area, the indicator and its
    unit, ``note`` and the BE years shown; the indicator's sources (or the dashboard's) and the demo mark."""

    fig = fig if isinstance(fig, go.Figure) else go.Figure(fig)
    parts: list[str] = []
    if area:
        info = queries.area_info(db, area, lang)
        parts.append(info["label"] if info else area)
    sources = t("export.source_all", lang)
    ind = load_registry().indicators.get(indicator) if indicator else None
    if ind is not None:
        parts += [ind.name.get(lang), t("export.unit", lang, unit=ind.unit.get(lang))]
        sources = "; ".join(indicator_sources(ind, lang)) or sources
    if note:
        parts.append(note)
    span = charts.years_shown(fig)
    if span:
        text = str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}"
        parts.append(t("export.years", lang, years=text))
    title = title or exports._plain(fig.layout.title.text or "") or t("app.title", lang)
    demo = bool(queries.meta(db)["demo"])
    fig = _room_for_title(fig)
    return exports.finish_figure(fig, title=title, subtitle=" · ".join(parts), lang=lang, demo=demo,
                                 source=f"{sources} · {t('export.dashboard', lang)}")


def _table_buttons(data: pd.DataFrame | TableView | Callable[[], pd.DataFrame], *, kind: str, area: str | None,
                   indicator: str | None) -> None:
    """CSV (BOM), Excel and Parquet buttons for a table (or a callable making it, run on click).

    A :class:`TableView` leaves as its numbers with Thai and English headers (:meth:`TableView.exported`); a frame
    as it is (headers from its ``attrs["headers"]`` or ``column.<name>`` in :data:`indicators.words.TEXT`)."""
    cache: dict[str, Any] = {}

    def frame() -> pd.DataFrame:
        if "frame" not in cache:
            raw = data() if callable(data) else data
            if isinstance(raw, TableView):
                cache["frame"], cache["headers"] = raw.exported()
            else:
                cache["frame"], cache["headers"] = raw, dict(raw.attrs.get("headers", {}))
        return cache["frame"]

    for spec in exports.table_downloads(pd.DataFrame(), kind=kind, area=area, indicator=indicator):
        fmt = spec["file_name"].rsplit(".", 1)[-1]
        label = T("export.csv") if fmt == "csv" else spec["label"]

        def make(fmt=fmt) -> bytes:
            df = frame()
            return exports.table_bytes(df, fmt, headers=cache["headers"], sheet_name=kind)

        _button({**spec, "label": label, "data": make}, f"dl_{kind}_{fmt}")


def values_data(*, area: str | None = None, indicator: str | None = None, level: str | None = None,
                parent: str | None = None, domain: str | None = None, year: int | None = None
                ) -> Callable[[], pd.DataFrame]:
    """A callable (run on click) giving indicator values with names, units and BE years, for a table download."""
    context = _context()

    def make() -> pd.DataFrame:

        db, lng = context["db"], context["lang"]
        reg = load_registry()
        v = indicator_values(db, level=level, indicator=indicator, area=area)
        if parent is not None:
            v = v[v.parent_code == parent]
        if domain is not None:
            v = v[v.indicator_id.map(lambda i: reg.indicators[i].domain) == domain]
        if year is not None:
            v = v[v.year == year]
        a = queries.areas(db).set_index("code")
        names = a["name_en" if lng == "en" else "name_th"]
        return pd.DataFrame({
            "area_code": v.area_code.astype(str), "area_name": v.area_code.map(names), "level": v.level,
            "indicator_id": v.indicator_id,
            "indicator_name": v.indicator_id.map(lambda i: reg.indicators[i].name.get(lng)),
            "unit": v.indicator_id.map(lambda i: reg.indicators[i].unit.get(lng)),
            "year_be": v.year.astype("Int64") + BE_OFFSET, "value": v.value, "numerator": v.numerator,
            "denominator": v.denominator, "n_subdistricts": v.n_subdistricts, "n_estimated": v.n_estimated,
            "n_expected": v.n_expected, "complete": v.complete, "estimated": v.estimated,
            "source": v.merge(queries.value_sources(db, area), on=["area_code", "indicator_id", "year"],
                              how="left")["source"].to_numpy(),
        }).reset_index(drop=True)

    return make


def ranking_data(indicator: str, parent: str | None, year: int | None) -> Callable[[], pd.DataFrame]:
    """A callable (run on click) giving the ranking behind the ranking chart."""
    context = _context()

    def make() -> pd.DataFrame:

        db, lng = context["db"], context["lang"]
        ind = load_registry().indicators[indicator]
        r = queries.ranking(db, indicator, parent, year, lng)
        out = pd.DataFrame({
            "rank": r["rank"], "area_code": r.area_code.astype(str), "area_name": r.label,
            "indicator_name": ind.name.get(lng), "unit": ind.unit.get(lng),
            "year_be": None if year is None else year + BE_OFFSET, "value": r.value,
            "status": r.status.map(lambda x: status_word(x if isinstance(x, str) else None, lng)),
            "complete": r.complete, "coverage": r.coverage,
        })
        out.attrs["headers"] = {"rank": TEXT["col.rank"]}
        return out

    return make


def report_buttons(area: str, key: str = "report") -> None:
    """The one-click area report (PDF and HTML, in the page's language), made on click (a few seconds)."""

    context = _context()
    with st.container(horizontal=True, gap="small"):
        for fmt in ("pdf", "html"):
            st.download_button(
                f"{T('area.report')} · {fmt.upper()}", key=f"{key}_{fmt}", on_click="ignore", type="secondary",
                icon=":material/description:", help=T("area.report_help"),
                data=lambda fmt=fmt: district_report(area, db=context["db"], lang=context["lang"], fmt=fmt),
                file_name=exports.export_file_name(f"report_{context['lang']}", area, None, fmt),
                mime=exports.MIME[fmt],
            )


def _status_style(words: dict[str, str]):
    def style(value):
        s = words.get(value)
        if s is None:
            return ""
        return f"background-color: {colours.STATUS_COLOURS[s]}; color: {colours.STATUS_TEXT[s]}"

    return style


def table(frame: pd.DataFrame | TableView, status_column: str | None = None, height: int | str = "auto", *,
          name: str | None = None, area: str | None = None, indicator: str | None = None,
          data: pd.DataFrame | Callable[[], pd.DataFrame] | None = None, align_numbers: bool = False) -> None:
    """A table without index; a status column gets its status colours (the word stays in the cell).

    A :class:`TableView` is formatted here (its status column found by its kind); ``align_numbers`` sets its
    numbers to the right, so that 8,912 beside 18,003 looks a digit short.  With a ``name`` (unique on the page; it
    also names the files), a download menu follows: the table (or ``data``, e.g. the raw values) in CSV, Excel and
    Parquet, made on click, numbers as numbers.
    """
    shown = frame.shown() if isinstance(frame, TableView) else frame
    config = None
    if isinstance(frame, TableView):
        status_column = frame.status_header
        if align_numbers:
            config = {frame.header(c): st.column_config.TextColumn(alignment="right") for c in frame.cols
                      if c.kind in ("number", "count", "change")}
    _show_table(shown, status_column, height, config)
    if name is not None and len(shown.columns):
        with _menu():
            _table_buttons(frame if data is None else data, kind=name, area=area, indicator=indicator)


def _show_table(frame: pd.DataFrame, status_column: str | None, height: int | str, config: dict | None = None
                ) -> None:
    if height == "auto":
        height = min(35 * (len(frame) + 1) + 3, 720)  # every row visible up to about 20
    if status_column and status_column in frame.columns and len(frame):
        words = {status_word(s, lang()): s for s in STATUSES}
        words[status_word(None, lang())] = "no_data"
        styled = frame.style.map(_status_style(words), subset=[status_column])
        st.dataframe(styled, hide_index=True, height=height, column_config=config)
    else:
        st.dataframe(frame, hide_index=True, height=height, column_config=config)


def status_notes(view: TableView) -> None:
    """Under a progress table, each row whose status and progress seem to disagree, with why in words (the
    ``col.status_why`` column, too long to read in a table cell), as a short list of plain text."""
    if "col.status_why" not in view.frame.columns or not len(view):
        return
    rows = view.frame[view.frame["col.status_why"].astype(str) != ""]
    if rows.empty:
        return
    st.markdown(f"**{T('col.status_why')}**")
    st.markdown("\n".join(f"- **{esc(r['col.indicator'])}** ({status_word(r['col.status'], lang())}): "
                           f"{esc(r['col.status_why'])}" for r in rows.to_dict("records")))


def _badge(status: str) -> str:
    return (f"<span style='background:{colours.STATUS_COLOURS[status]};color:{colours.STATUS_TEXT[status]};"
            f"padding:2px 8px;border-radius:4px;margin-right:4px;font-size:0.85em;white-space:nowrap'>"
            f"{status_word(status, lang())}</span>")


def status_legend(explain: bool = False) -> None:
    """The status colours with their words, as one line of small badges; ``explain``: each badge followed by what
    it means in plain words (``legend.<status>``), after a line saying what a status compares."""
    if not explain:
        st.markdown(" ".join(_badge(s) for s in STATUSES), unsafe_allow_html=True)
        return
    items = "".join(f"<span style='display:inline-block;margin:0 14px 6px 0'>{_badge(s)}"
                    f"<span style='font-size:0.85em'>{T(f'legend.{s}')}</span></span>" for s in STATUSES)
    st.markdown(f"<div style='font-size:0.9em;margin-bottom:4px'>{T('legend.lead')}</div><div>{items}</div>",
                unsafe_allow_html=True)


def index_ranking_data() -> Callable[[], pd.DataFrame]:
    """A callable (run on click) giving the numbers of the overview's district bar: each district's index in the
    headline's year, its gap to the target and what fed it."""
    context = _context()

    def make() -> pd.DataFrame:
        from indicators.present import queries

        h = queries.overview_headline(context["db"], context["lang"])
        rows = [] if h is None else list(h.districts)
        return pd.DataFrame({
            "area_code": [d.code for d in rows], "area_name": [d.label for d in rows],
            "year_be": [None if h is None else h.year + BE_OFFSET] * len(rows), "score": [d.score for d in rows],
            "target": [None if h is None else h.target] * len(rows), "gap": [d.gap for d in rows],
            "complete": [d.complete for d in rows], "coverage": [d.fed for d in rows],
        })

    return make


def problems_table(problems: list[dict]) -> pd.DataFrame:
    """A load report's problems (``report.to_dict()["problems"]``) as the table both upload pages show."""
    frame = pd.DataFrame(problems, columns=["row", "column", "column_number", "value", "code", "message_th",
                                            "message_en"])
    return pd.DataFrame({
        T("upload.col_row"): frame["row"].astype("Int64"),
        T("upload.col_column"): [f"{n}. {c}" if pd.notna(n) and c else (c or "") for n, c
                                 in zip(frame["column_number"], frame["column"], strict=True)],
        T("upload.col_value"): frame["value"].astype("string"),
        T("upload.col_problem_th"): frame["message_th"],
        T("upload.col_problem_en"): frame["message_en"],
        T("upload.col_code"): frame["code"],
    })
