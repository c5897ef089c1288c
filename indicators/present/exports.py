"""Figures and tables to bytes, for the dashboard's download buttons and ``python -m indicators export``.

No Streamlit here: every function takes a figure or a DataFrame and returns bytes.

Figures (:data:`FIGURE_FORMATS`): PNG (2× scale), SVG and PDF through kaleido with the system Chromium, and HTML that
is self-contained (plotly.js inlined, so it opens offline).  kaleido's sync server (a Chromium) is started once per
process, lazily, on the first static export, and reused (docs/PERFORMANCE.md).  It answers one request at a time
and is not safe to call from several threads (results could be swapped), so every call goes through one lock;
Streamlit's script threads simply queue.

Tables (:data:`TABLE_FORMATS`): CSV in UTF-8 with a BOM (so Excel shows Thai), Excel with two header rows (Thai, then
English) and sensible column widths, and Parquet (types kept).  Text cells that begin with ``= + - @``, a tab or a
carriage return are neutralised against formula injection in CSV and Excel (a leading apostrophe); numbers are never
touched, so a negative number stays a number.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import threading
import unicodedata
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from indicators.present.colours import FONT
from indicators.words import TEXT

FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "html")
TABLE_FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet")
MIME: dict[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
DEMO_MARK = "ข้อมูลสาธิต / demo data"
DEFAULT_WIDTH, DEFAULT_HEIGHT = 1000, 600
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------------------------------------- figures

_KALEIDO_LOCK = threading.Lock()


EXPORT_TIMEOUT = 120  # seconds for one static image (kaleido's own per-image timeout is 90 s)


class ExportError(RuntimeError):
    """A static export could not be made (no Chromium, or it did not answer)."""


def find_chromium() -> str:
    """The browser kaleido will use (``$BROWSER_PATH``, chromium on the PATH, …); ExportError when there is none."""
    try:
        from choreographer.browsers.chromium import Chromium

        path = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - best effort: fall back to the PATH
        path = None
    path = path or next((p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))),
                        None)
    if not path:
        raise ExportError("Chromium not found: install Debian's chromium (apt-get install -y chromium) "
                          "or set BROWSER_PATH")
    return path


def _kaleido_server():
    """Start kaleido's process-wide sync server if it is not running (or if its thread died); call under the lock."""
    import kaleido

    server = kaleido._global_server  # the singleton behind start_sync_server (kaleido 1.x)
    if server.is_running():
        thread = getattr(server, "_thread", None)
        if thread is not None and thread.is_alive():
            return kaleido
        server.close(silence_warnings=True)  # the browser died: start a new one
    find_chromium()  # fail now with a clear message rather than wait on a server that cannot start
    # mathjax=False: no MathJax from a CDN (offline, and none of our charts uses LaTeX)
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    return kaleido


def _render(spec: dict, opts: dict) -> bytes:
    """One static image from the warm server, with a watchdog (call under the lock).

    kaleido's ``call_function`` waits without a timeout, and forever if the server thread has died; so the call runs
    in a helper thread.  When it does not come back in time the server is abandoned (the next export starts a new
    one) so that a late answer can never be taken for the next figure's.
    """
    kaleido = _kaleido_server()
    box: dict[str, Any] = {}

    def call() -> None:
        try:
            box["data"] = kaleido.calc_fig_sync(spec, opts=opts)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    helper = threading.Thread(target=call, name="kaleido-export", daemon=True)
    helper.start()
    helper.join(EXPORT_TIMEOUT)
    if helper.is_alive():
        kaleido._global_server._initialized = False  # abandon it; its thread and browser end with the process
        raise ExportError(f"the exporter did not answer within {EXPORT_TIMEOUT} s")
    if "error" in box:
        raise box["error"]
    return box["data"]


def _size(fig: go.Figure, width: int | None, height: int | None) -> tuple[int, int]:
    w = width or fig.layout.width or DEFAULT_WIDTH
    h = height or fig.layout.height or DEFAULT_HEIGHT
    return int(w), int(h)


def figure_bytes(fig: go.Figure, fmt: str, *, scale: float = 2, width: int | None = None,
                 height: int | None = None) -> bytes:
    """The figure as PNG (at ``scale``, 2× by default), SVG, PDF or self-contained HTML.

    ``width``/``height`` are layout pixels (default: the figure's own, else 1000 × 600).  SVG and PDF are vector;
    ``scale`` only changes PNG.  Raises ValueError for an unknown format.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"unknown figure format {fmt!r} (one of {', '.join(FIGURE_FORMATS)})")
    if not isinstance(fig, go.Figure):
        fig = go.Figure(fig)
    w, h = _size(fig, width, height)
    if fmt == "html":
        out = go.Figure(fig)
        if width or height:
            out.update_layout(width=width, height=height)
        html = out.to_html(
            include_plotlyjs=True, full_html=True, include_mathjax=False, validate=False,
            config={"displaylogo": False, "responsive": True,
                    "toImageButtonOptions": {"format": "png", "scale": 2, "width": w, "height": h}},
        )
        title = _plain(fig.layout.title.text or "")
        html = html.replace("<head>", f"<head>\n    <title>{_html_escape(title)}</title>", 1)
        return html.encode("utf-8")
    spec = fig.to_dict()
    opts = {"format": fmt, "width": w, "height": h, "scale": scale if fmt == "png" else 1}
    with _KALEIDO_LOCK:
        return _render(spec, opts)


def _plain(text: str) -> str:
    """Text without plotly's HTML-ish tags (``<br>``, ``<b>`` …)."""
    return re.sub(r"<[^>]+>", " ", text).strip()


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def finish_figure(fig: go.Figure, *, title: str, subtitle: str | None = None, source: str | None = None,
                  demo: bool = False, lang: str = "th") -> go.Figure:
    """A copy of ``fig`` ready to leave the dashboard: title, subtitle, source line, demo mark, Thai font.

    ``subtitle`` usually names the area, the unit and the years (BE); ``source`` is the source line (without the
    word "Source", which is added in ``lang``).  The demo mark reads "ข้อมูลสาธิต / demo data" in both languages, so
    a figure passed around without its context still says it is not real.
    """
    out = go.Figure(fig)
    margin = out.layout.margin
    top = max(margin.t or 0, 110 if subtitle else 80)
    bottom = max(margin.b or 0, 95 if source else 60)
    out.update_layout(
        title={"text": f"<b>{title}</b>", "x": 0.01, "xanchor": "left", "y": 1, "yanchor": "top",
               "yref": "container", "pad": {"t": 14}, "font": {"size": 20},
               "subtitle": {"text": subtitle or "", "font": {"size": 14, "color": "#555"}}},
        font={"family": FONT},
        margin={"t": top, "b": bottom, "l": max(margin.l or 0, 70), "r": max(margin.r or 0, 30)},
        paper_bgcolor="white",
    )
    if source:
        word = "Source" if lang == "en" else "ที่มา"
        out.add_annotation(
            text=f"{word}: {source}", xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="bottom",
            yshift=-(bottom - 8), showarrow=False, align="left", font={"size": 11, "color": "#555"},
        )
    if demo:
        out.add_annotation(
            text=f"<b>{DEMO_MARK}</b>", xref="paper", yref="paper", x=1, y=1, xanchor="right", yanchor="bottom",
            yshift=top - 34, showarrow=False, font={"size": 13, "color": "#b00020"},
            bordercolor="#b00020", borderwidth=1.5, borderpad=4, bgcolor="rgba(255,255,255,0.9)",
        )
    return out


# ---------------------------------------------------------------------------------------------- tables


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; anything else is returned.

    Only strings are touched: ``-2`` (a number) stays a number, ``"-2+3"`` (text) becomes ``"'-2+3"``.
    """
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _is_text_column(series: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series) or isinstance(
        series.dtype, pd.CategoricalDtype)


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell neutralised (numeric columns untouched)."""
    out = df.copy()
    for col in out.columns:
        if _is_text_column(out[col]):
            out[col] = out[col].astype(object).map(neutralise)
    return out


def _headers(df: pd.DataFrame, headers: Mapping[str, tuple[str, str]] | None) -> list[tuple[str, str]]:
    given = dict(headers or {})
    out = []
    for col in df.columns:
        th, en = given.get(col) or TEXT.get(f"column.{col}") or (str(col), str(col))
        out.append((str(th), str(en)))
    return out


def _display_width(text: str) -> int:
    """Roughly how many character cells ``text`` takes (Thai vowel and tone marks above/below take none)."""
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn" else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> Any:
    """A value openpyxl can write: NaN/NA → empty, numpy scalars → Python, timestamps without time zone."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return (value.tz_convert(None) if value.tzinfo else value).to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (AttributeError, ValueError):
            return str(value)
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, list | tuple | dict | set):
        return str(value)
    return neutralise(value)


def _sheet_title(name: str) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'") or "Sheet1"
    return title[:31]


def _xlsx(df: pd.DataFrame, headers: list[tuple[str, str]], sheet_name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(sheet_name))
    ws.freeze_panes = "A3"
    sample = df.head(500)
    for i, col in enumerate(df.columns):
        th, en = headers[i]
        widths = [_display_width(th), _display_width(en)]
        widths += [_display_width(_fmt_sample(v)) for v in sample[col].tolist()]
        ws.column_dimensions[get_column_letter(i + 1)].width = min(max(max(widths) + 2, 8), 60)
    bold = Font(bold=True, name="Noto Sans Thai")
    plain = Font(name="Noto Sans Thai")
    fill = PatternFill("solid", fgColor="E8EEF4")
    line = Border(bottom=Side(style="thin", color="8899AA"))
    for row_no, (font, border) in enumerate(((bold, None), (plain, line))):
        cells = []
        for th_en in headers:
            cell = WriteOnlyCell(ws, value=neutralise(th_en[row_no]))
            cell.font, cell.fill = font, fill
            cell.alignment = Alignment(vertical="center", wrap_text=False)
            if border is not None:
                cell.border = border
            cells.append(cell)
        ws.append(cells)
    for row in df.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fmt_sample(value: Any) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.6g}"
    return "" if value is None or value is pd.NA else str(value)


def table_bytes(df: pd.DataFrame, fmt: str, *, headers: Mapping[str, tuple[str, str]] | None = None,
                sheet_name: str = "data", header_style: str = "both") -> bytes:
    """The table as CSV (UTF-8 with BOM), Excel (.xlsx) or Parquet.

    ``headers`` maps a column to its (Thai, English) header; known columns (``column.<name>`` in
    :data:`indicators.words.TEXT`) need none.
    Excel gets two header rows, Thai above English, frozen.  CSV gets one header row: ``"ไทย / English"`` when
    ``header_style="both"`` (the default), or the column names with ``"names"`` (best for scripts).  Parquet keeps
    the column names and types as they are.  CSV and Excel text cells are neutralised (:func:`neutralise`).
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"unknown table format {fmt!r} (one of {', '.join(TABLE_FORMATS)})")
    if fmt == "parquet":
        buf = io.BytesIO()
        frame = df.copy()
        frame.columns = [str(c) for c in frame.columns]
        frame.to_parquet(buf, engine="pyarrow", index=False)
        return buf.getvalue()
    hdr = _headers(df, headers)
    if fmt == "xlsx":
        return _xlsx(df, hdr, sheet_name)
    frame = neutralise_frame(df)
    if header_style == "names":
        frame.columns = [neutralise(str(c)) for c in df.columns]
    else:
        frame.columns = [neutralise(th if th == en else f"{th} / {en}") for th, en in hdr]
    text = frame.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


# ---------------------------------------------------------------------------------------------- file names


def _slug(part: str | None) -> str:
    text = unicodedata.normalize("NFKD", str(part or ""))
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", text.encode("ascii", "ignore").decode()).strip("-_")
    return text[:60]


def export_file_name(kind: str, area: str | None, indicator: str | None, fmt: str) -> str:
    """A safe file name such as ``wellbeing_chart_9301_happiness.png`` (ASCII letters, digits, ``_ - .`` only)."""
    ext = _slug(fmt.lower().lstrip(".")) or "bin"
    parts = ["wellbeing", _slug(kind) or "export", _slug(area), _slug(indicator)]
    return "_".join(p for p in parts if p) + "." + ext



# ---------------------------------------------------------------------------------------------- for download buttons


def figure_downloads(fig: go.Figure, *, kind: str = "chart", area: str | None = None,
                     indicator: str | None = None) -> list[dict[str, Any]]:
    """One dict per figure format with ``label``, ``data`` (a callable: the bytes are made on click), ``file_name``
    and ``mime``: the keyword arguments of ``st.download_button`` (which accepts a callable for ``data``)."""
    return [{"label": fmt.upper(), "data": (lambda f=fmt: figure_bytes(fig, f)),
             "file_name": export_file_name(kind, area, indicator, fmt), "mime": MIME[fmt]} for fmt in FIGURE_FORMATS]


def table_downloads(df: pd.DataFrame, *, kind: str = "table", area: str | None = None, indicator: str | None = None,
                    headers: Mapping[str, tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """Like :func:`figure_downloads`, for a table in CSV, Excel and Parquet."""
    labels = {"csv": "CSV", "xlsx": "Excel", "parquet": "Parquet"}
    return [{"label": labels[fmt], "data": (lambda f=fmt: table_bytes(df, f, headers=headers, sheet_name=kind)),
             "file_name": export_file_name(kind, area, indicator, fmt), "mime": MIME[fmt]} for fmt in TABLE_FORMATS]
