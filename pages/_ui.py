"""What every page shares: the language, translated text, and drawing helpers (figures and tables)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from indicators import charts
from indicators.i18n import DEFAULT_LANG, LANGS, STATUSES, status_word, t

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def ensure_app() -> None:
    """Run the page through ``app.py`` (navigation, language, banner).

    Streamlit runs the first script of a fresh server process (and every AppTest run) in its legacy "pages/
    directory" mode, which executes a page file on its own; this switches that mode off and reruns, so ``app.py``
    draws the frame and then this page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


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


def plot(fig, key: str | None = None) -> None:
    """A plotly figure in the page's width, in the dashboard's own look (not Streamlit's theme)."""
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=key)


def _status_style(words: dict[str, str]):
    def style(value):
        s = words.get(value)
        if s is None:
            return ""
        return f"background-color: {charts.STATUS_COLOURS[s]}; color: {charts.STATUS_TEXT[s]}"

    return style


def table(frame: pd.DataFrame, status_column: str | None = None, height: int | str = "auto") -> None:
    """A table without index; a status column gets its status colours (the word stays in the cell)."""
    if height == "auto":
        height = min(35 * (len(frame) + 1) + 3, 720)  # every row visible up to about 20
    if status_column and status_column in frame.columns and len(frame):
        words = {status_word(s, lang()): s for s in STATUSES}
        words[status_word(None, lang())] = "no_data"
        styled = frame.style.map(_status_style(words), subset=[status_column])
        st.dataframe(styled, hide_index=True, height=height)
    else:
        st.dataframe(frame, hide_index=True, height=height)


def status_legend() -> None:
    """The status colours with their words, as one line of small badges."""
    badges = " ".join(
        f"<span style='background:{charts.STATUS_COLOURS[s]};color:{charts.STATUS_TEXT[s]};padding:2px 8px;"
        f"border-radius:4px;margin-right:4px;font-size:0.85em;white-space:nowrap'>{status_word(s, lang())}</span>"
        for s in STATUSES
    )
    st.markdown(badges, unsafe_allow_html=True)
