"""Typed tables for the pages: the numbers stay numbers until they are drawn, and the exports take them as they are.

A :class:`TableView` holds a frame whose columns are named by the word key of their header (``col.baseline``) with
the values as computed: numbers as floats, years in CE, statuses as their ids; and a :class:`Col` per column saying
what it holds.  :meth:`TableView.shown` formats it for a page in one language (numbers by
:func:`~indicators.present.i18n.fmt_num`, years in BE, statuses in words); :meth:`TableView.exported` gives the
frame a file gets: numbers as numbers, years in BE, words in the language, with Thai and English headers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from indicators.present.i18n import fmt_num, fmt_year, status_word
from indicators.registry import BE_OFFSET
from indicators.words import TEXT

Kind = Literal["text", "number", "year", "status", "count", "change"]  # change: a signed whole number (+2, −1)


@dataclass(frozen=True)
class Col:
    """One column: ``key`` names its header in the text table; ``kind`` says how it is drawn."""

    key: str
    kind: Kind = "text"
    digits: int | None = None  # decimals of a number; None: by its size (fmt_num)
    names: tuple[str, str] | None = None  # (Thai, English) header when it is not a word of the table (a name)

    def words(self) -> tuple[str, str]:
        return self.names or TEXT[self.key]


@dataclass
class TableView:
    """A table as computed (see the module docstring); ``cols`` in the order shown."""

    frame: pd.DataFrame
    cols: tuple[Col, ...]
    lang: str = "th"

    def __post_init__(self) -> None:
        missing = [c.key for c in self.cols if c.key not in self.frame.columns]
        if missing:
            raise ValueError(f"columns without values: {missing}")

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def header(self, col: Col) -> str:
        return col.words()[1 if self.lang == "en" else 0]

    @property
    def status_header(self) -> str | None:
        """The header of the status column (drawn in its colours), if there is one."""
        return next((self.header(c) for c in self.cols if c.kind == "status"), None)

    def select(self, rows: pd.Series | None = None, first: tuple[str, ...] = ()) -> TableView:
        """The rows where ``rows`` is true (all by default), with the columns ``first`` moved to the front."""
        frame = self.frame if rows is None else self.frame[rows.to_numpy(dtype=bool)].reset_index(drop=True)
        cols = tuple(c for k in first for c in self.cols if c.key == k)
        return TableView(frame, cols + tuple(c for c in self.cols if c.key not in first), self.lang)

    def column(self, key: str) -> pd.Series:
        """The values of one column as computed."""
        return self.frame[key]

    def shown(self) -> pd.DataFrame:
        """The table as a page draws it: translated headers, every value as text."""
        out = {}
        for c in self.cols:
            s = self.frame[c.key]
            if c.kind == "number":
                out[self.header(c)] = [fmt_num(v, c.digits, self.lang) for v in s]
            elif c.kind == "year":
                out[self.header(c)] = [fmt_year(v, self.lang) for v in s]
            elif c.kind == "status":
                out[self.header(c)] = [status_word(v if isinstance(v, str) else None, self.lang) for v in s]
            elif c.kind == "count":
                out[self.header(c)] = [fmt_num(v, 0, self.lang) for v in s]
            elif c.kind == "change":
                out[self.header(c)] = [fmt_num(v, 0, self.lang) if pd.isna(v) or v == 0 else f"{int(v):+d}"
                                       for v in s]
            else:
                out[self.header(c)] = ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
                                       for v in s]
        return pd.DataFrame(out, index=range(len(self.frame)))

    def exported(self) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
        """The frame for a file (numbers as numbers, years in BE, words in the language) and its Thai and English
        headers."""
        out: dict[str, pd.Series] = {}
        headers: dict[str, tuple[str, str]] = {}
        for c in self.cols:
            s = self.frame[c.key].reset_index(drop=True)
            name = self.header(c)
            if c.kind in ("number", "count", "change"):
                s = pd.to_numeric(s, errors="coerce").astype("float64")
                if c.kind in ("count", "change") or (c.digits == 0 and (s.dropna() % 1 == 0).all()):
                    s = s.round().astype("Int64")
            elif c.kind == "year":
                s = (pd.to_numeric(s, errors="coerce") + BE_OFFSET).round().astype("Int64")
            elif c.kind == "status":
                s = s.map(lambda v: status_word(v if isinstance(v, str) else None, self.lang))
            out[name] = s
            headers[name] = c.words()
        return pd.DataFrame(out), headers
