"""Progress rows in words (both languages): the projected year with its range, how sure the status is, and the
pace needed beside the pace observed. Pages, exports and the area report say them the same way."""

from __future__ import annotations

import pandas as pd

from indicators.engine.progress import WINDOW, is_achieved
from indicators.present.i18n import coverage_text, fmt_num, fmt_year, status_word
from indicators.registry import STATUSES
from indicators.words import t


def span_text(best: str, worst: str, lang: str) -> str:
    """"uncertain: on track or moderately improving" for the statuses from ``best`` to ``worst``."""
    span = STATUSES[STATUSES.index(best):STATUSES.index(worst) + 1]
    return t("confidence.uncertain", lang, statuses=t("confidence.or", lang).join(status_word(x, lang) for x in span))


def projection_text(row, lang: str) -> str:
    """The projected year with its 80 % range: "2571 (2569–2578)", "not at this pace", "cannot tell yet"…"""
    kind = row.projection
    if row.status == "insufficient_data" or kind == "none":
        return t("word.none", lang)
    if kind == "not_at_this_pace":
        return t("word.never", lang)
    if kind == "cannot_tell":
        return t("projection.cannot_tell", lang, low=fmt_year(row.projected_low, lang))
    if kind == "too_few":
        return (t("projection.too_few", lang, year=fmt_year(row.projected_year, lang))
                if not pd.isna(row.projected_year) else t("projection.too_few_never", lang))
    if kind == "achieved" or row.projected_low == row.projected_high == row.projected_year:
        return fmt_year(row.projected_year, lang)
    return t("projection.interval", lang, year=fmt_year(row.projected_year, lang),
             low=fmt_year(row.projected_low, lang), high=fmt_year(row.projected_high, lang))


def confidence_text(row, lang: str) -> str:
    """"firm", or the statuses the 80 % interval spans ("uncertain: on track or moderately improving")."""
    if row.confidence != "uncertain":
        return t(f"confidence.{row.confidence}", lang)
    return span_text(row.status_best, row.status_worst, lang)


def _pace(x: float, unit: str, lang: str) -> str:
    if pd.isna(x) or abs(x) < 1e-12:
        return t("pace.flat", lang)
    unit = unit.strip()
    if unit.startswith("%"):  # a share moves by percentage points
        unit = t("pace.points", lang)
    for per_year in (" per year", "/ปี"):  # "a year" is said once
        unit = unit.removesuffix(per_year)
    return t("pace.rise" if x > 0 else "pace.fall", lang, x=fmt_num(abs(x)), unit=unit)


def pace_text(row, unit: str, lang: str) -> str:
    """The pace needed a year beside the pace observed, in words ("ต้องเพิ่มปีละ 5.3 จุด ที่ผ่านมาเพิ่มปีละ 2.1 จุด")."""
    if row.status == "insufficient_data":
        return t("word.none", lang)
    if row.status == "achieved":
        return t("pace.done", lang)
    if pd.isna(row.required_slope):
        return t("pace.late", lang, observed=_pace(row.observed_slope, unit, lang))
    return t("pace.text", lang, needed=_pace(row.required_slope, unit, lang),
             observed=_pace(row.observed_slope, unit, lang))


def years_note(row, lang: str) -> str:
    """Which years a progress row used and why the newer one did not count, in words: "11 complete years used ·
    pace from the last 5 complete years (2565–2569) · 2570: 53 of 65 subdistricts, not complete yet, so not used ·
    includes estimates (E)" (the pace's years when the row has ``slope_first``/``slope_last``: :func:`slope_span`)."""
    parts = [t("coverage.years_used", lang, n=int(row.n_years))]
    if _has_span(row):
        parts.append(t("why.pace_years", lang, n=int(row.slope_n), first=fmt_year(row.slope_first, lang),
                       last=fmt_year(row.slope_last, lang)))
    if not pd.isna(row.pending_year):
        cov = getattr(row, "pending_coverage", None) or t("coverage.incomplete", lang)
        parts.append(t("coverage.pending", lang, year=fmt_year(row.pending_year, lang), coverage=cov))
    if row.estimated:
        parts.append(t("coverage.estimated_note", lang))
    return " · ".join(parts)


def pending_coverage(p: pd.DataFrame, vals: pd.DataFrame, lang: str) -> pd.Series:
    """For each progress row with a pending (incomplete) year, how many subdistricts fed that year's value."""
    v = vals[["area_code", "indicator_id", "year", "level", "n_subdistricts", "n_estimated", "n_expected"]]
    m = p[["area_code", "indicator_id", "pending_year"]].merge(
        v, left_on=["area_code", "indicator_id", "pending_year"], right_on=["area_code", "indicator_id", "year"],
        how="left")
    return pd.Series([coverage_text(r.n_subdistricts, r.n_estimated, r.n_expected, r.level, lang)
                      if not pd.isna(r.year) else None for r in m.itertuples()], index=p.index)


def slope_span(p: pd.DataFrame, vals: pd.DataFrame) -> pd.DataFrame:
    """For each progress row, the years its observed pace came from: ``slope_first``, ``slope_last`` (CE) and
    ``slope_n``, the last :data:`~indicators.engine.progress.WINDOW` complete years with a value (the engine's
    rule: incomplete years are never slope points), indexed like ``p``."""
    used = vals.loc[vals.value.notna() & vals.complete.astype(bool), ["area_code", "indicator_id", "year"]]
    used = used.sort_values("year").groupby(["area_code", "indicator_id"], observed=True).tail(WINDOW)
    span = used.groupby(["area_code", "indicator_id"], observed=True).year.agg(
        slope_first="min", slope_last="max", slope_n="count").reset_index()
    keys = p[["area_code", "indicator_id"]].astype({"area_code": str, "indicator_id": str})
    span = span.astype({"area_code": str, "indicator_id": str})
    out = keys.merge(span, on=["area_code", "indicator_id"], how="left")
    out.index = p.index
    return out[["slope_first", "slope_last", "slope_n"]]


def _has_span(row) -> bool:
    n = getattr(row, "slope_n", None)
    return n is not None and not pd.isna(n) and int(n) >= 2


def status_why(row, unit: str, lang: str) -> str:
    """Why a status and the progress beside it seem to disagree, in words; "" when they agree.

    * the baseline was already at or beyond the target: the progress % means nothing (Khok Muang's hotel occupancy:
      baseline 75.5 against a target of 75, so +1.7 points read "−366 %"), the status compares latest and target;
    * progress below zero (latest worse than the baseline) with a status that says improving: the status follows
      the trend of the slope's years (``row.slope_first``–``row.slope_last``), which points toward the target;
    * progress above zero with the status "worsening": the same trend points away from it.
    """
    status = row.status
    if status == "insufficient_data" or pd.isna(row.baseline) or pd.isna(row.target) or pd.isna(row.latest):
        return ""
    values = {"baseline_year": fmt_year(row.baseline_year, lang), "baseline": fmt_num(row.baseline, lang=lang),
              "latest_year": fmt_year(row.latest_year, lang), "latest": fmt_num(row.latest, lang=lang),
              "target": fmt_num(row.target, lang=lang)}
    if bool(is_achieved(row.baseline, row.target, row.direction)):
        return t("why.baseline_beyond", lang, **values)
    progress = row.progress_pct
    if pd.isna(progress) or not _has_span(row):
        return ""
    trend = {"n": int(row.slope_n), "first": fmt_year(row.slope_first, lang), "last": fmt_year(row.slope_last, lang),
             "pace": _pace(row.observed_slope, unit, lang)}
    if progress < 0 and status in ("on_track", "moderately_improving"):
        return t("why.worse_than_baseline", lang, **values, **trend)
    if progress > 0 and status == "worsening":
        return t("why.better_than_baseline", lang, **values, **trend)
    return ""
