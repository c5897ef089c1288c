"""Cached reads for the pages: every function of :mod:`indicators.present.queries` that takes the database first.

``q.headline(area, lang)`` calls ``queries.headline(db, area, lang)`` through ``st.cache_data``, keyed on the database
path and its change time (:func:`indicators.present.queries.data_stamp`), so a new upload shows at once and an
unchanged file is not opened again.  Results are copies: a page may not change what the cache holds.
"""

from __future__ import annotations

import streamlit as st

from indicators.present import queries
from loaders.store import db_path


@st.cache_data(show_spinner=False, max_entries=2000)
def _call(name: str, db: str, stamp: tuple[int, int], args: tuple, kwargs: tuple):
    return getattr(queries, name)(db, *args, **dict(kwargs))


def db() -> str:
    """The database the app reads (``$WELLBEING_DB`` or ``data/wellbeing.duckdb``)."""
    return str(db_path())


class _Cached:
    def __getattr__(self, name: str):
        if not callable(getattr(queries, name, None)):
            raise AttributeError(name)

        def call(*args, **kwargs):
            path = db()
            return _call(name, path, queries.data_stamp(path), args, tuple(sorted(kwargs.items())))

        call.__name__ = name
        return call


q = _Cached()
