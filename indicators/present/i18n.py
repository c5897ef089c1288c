"""The one formatting module: numbers, BE years, times in Thailand's time, area labels, status and coverage words.

Words come from the one text table, :mod:`indicators.words` (``t``, ``TEXT``, ``LANGS`` are re-exported here for the
pages).  Years are stored in CE and shown in BE.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators.registry import BE_OFFSET, STATUSES, TIMEZONE
from indicators.words import DEFAULT_LANG, t


def fmt_when(value) -> str:
    """A time as Thai offices write it: day/month/year (BE) hour:minute, in Thailand's time (a time without a zone is
    taken as UTC, as the store keeps it)."""
    if value is None or pd.isna(value):
        return "–"
    ts = pd.Timestamp(value)
    ts = (ts.tz_localize("UTC") if ts.tzinfo is None else ts).tz_convert(TIMEZONE)
    return f"{ts.day}/{ts.month}/{ts.year + BE_OFFSET} {ts:%H:%M}"


def be(year: float | int | None) -> int | None:
    """A CE year as BE (CE + 543); None stays None."""
    try:
        y = float(year)  # None and pd.NA fail here
    except (TypeError, ValueError):
        return None
    return None if math.isnan(y) else int(y) + BE_OFFSET


def fmt_year(year: float | int | None, lang: str = DEFAULT_LANG) -> str:
    """A CE year shown in BE, or a dash."""
    y = be(year)
    return t("word.none", lang) if y is None else str(y)


def digits_for(value: float) -> int:
    """Decimals that suit a value's size: none from 100 up (and for whole numbers), one for tens, two below."""
    a = abs(value)
    if a >= 100 or float(value).is_integer():
        return 0
    if a >= 10:
        return 1
    return 2


def fmt_num(value: float | int | None, digits: int | None = None, lang: str = DEFAULT_LANG) -> str:
    """A number with thousands separators (and a dash for missing)."""
    try:
        v = float(value)  # None, pd.NA and text fail here
    except (TypeError, ValueError):
        return t("word.none", lang)
    if not math.isfinite(v):
        return t("word.none", lang)
    if digits is None:
        digits = digits_for(v)
    return f"{v:,.{digits}f}"


def status_word(status: str | None, lang: str = DEFAULT_LANG, short: bool = False) -> str:
    """A status in words; a missing status reads "no data"."""
    key = status if status in STATUSES else "no_data"
    return t(f"{'status_short' if short else 'status'}.{key}", lang)


def coverage_text(n_subdistricts: int, n_estimated: int, n_expected: int, level: str, lang: str = DEFAULT_LANG
                  ) -> str:
    """How many subdistricts fed a value: "55 of 65 subdistricts", with estimates counted apart; "" for a
    subdistrict; the area's own figure says so."""
    if level == "subdistrict":
        return ""
    if n_subdistricts == 0 and n_estimated == 0:
        return t("coverage.own", lang)
    if n_estimated:
        return t("coverage.of_estimated", lang, n=n_subdistricts, expected=n_expected, est=n_estimated)
    return t("coverage.of", lang, n=n_subdistricts, expected=n_expected)


def area_label(name_th: str, name_en: str, level: str, lang: str = DEFAULT_LANG, with_level: bool = False) -> str:
    """An area's name as people write it: "อ.เมืองพัทลุง" in Thai, "Mueang Phatthalung" in English
    ("Mueang Phatthalung district" ``with_level``, where a name alone could be a district or a subdistrict)."""
    if lang == "en":
        return f"{name_en} {t(f'level.{level}', lang).lower()}" if with_level else name_en
    return f"{t(f'prefix.{level}', lang)}{name_th}"


BATCH_STATUSES = ("loading", "loaded", "partial", "rejected", "undone")


def batch_status_word(status: str, kind: str | None, lang: str = DEFAULT_LANG) -> str:
    """A batch's status in words; a batch of kind ``undo`` is said to be an undo (its own word), never "loaded"."""
    if kind == "undo":
        return t("batch.undo", lang)
    return t(f"batch.{status}", lang) if status in BATCH_STATUSES else str(status)


BATCH_KINDS = ("upload", "source", "undo", "demo")


def batch_kind_word(kind: str, lang: str = DEFAULT_LANG) -> str:
    """What made a batch (a council's file, an agency's figures, an undo, the demo) in words; other kinds as stored."""
    return t(f"batch_kind.{kind}", lang) if kind in BATCH_KINDS else str(kind)


def batch_file_label(file_name: str | None, kind: str | None, undo_of, lang: str = DEFAULT_LANG) -> str:
    """A batch's file as a list shows it: an undo names the batch it undid ("ยกเลิกชุดที่ 12"), the demo
    says what it is, in the language."""
    if kind == "undo" and undo_of is not None and not pd.isna(undo_of):
        return t("batch.undo_of", lang, batch=int(undo_of))
    if kind == "demo":  # made by the dashboard itself: said in words, not by its technical name
        return t("batch.demo_file", lang)
    return str(file_name) if isinstance(file_name, str) else str(kind or "")
