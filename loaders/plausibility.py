"""The rule of the ``implausible-change`` warning: a new value far from the area's own figure for that measure.

A council that types 8,912 for a population the store holds as 18,003 has most likely dropped a digit; the value is
valid (inside the measure's range) and so passed every check.  The upload's preview (:mod:`loaders.preview`)
compares each value about to load with its **reference**, the area's own value for the same measure already in the
store: the value it replaces (same year) when there is one, else the value of the nearest stored year (the earlier
one on a tie).  An area and measure with nothing stored has no reference and no warning.

The rule, by the measure's ``kind`` in the registry:

- counts and amounts (people, households, baht, rai): implausible when ``new / reference`` is above
  :data:`MAX_RATIO` (2×) or below ``1 / MAX_RATIO`` (½); a count moving by less than :data:`MIN_COUNT_CHANGE` (10)
  is never implausible (3 → 7 homes repaired is ordinary), and a reference of 0 gives no ratio and no warning;
- scores and rates (bounded: happiness 0–10, water quality 0–100, occupancy %): implausible when the value moves by
  more than :data:`MAX_SHARE_OF_RANGE` (a quarter) of the measure's valid range (more than 2.5 points of
  happiness).

A warning never rejects the value or the file: it is shown before the upload is confirmed, and the person loading
it decides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.registry import Registry

MAX_RATIO = 2.0
MIN_COUNT_CHANGE = 10.0
MAX_SHARE_OF_RANGE = 0.25
RATIO_KINDS = ("count", "amount")
RANGE_KINDS = ("score", "rate")


def implausible(kind: str, valid_range: tuple[float, float], reference: float | None, new: float) -> bool:
    """Whether ``new`` is implausibly far from ``reference`` for a measure of ``kind`` (see the module
    docstring); False without a reference."""
    out = implausible_many(pd.Series([kind]), pd.Series([valid_range[1] - valid_range[0]], dtype="float64"),
                           pd.Series([reference], dtype="float64"), pd.Series([new], dtype="float64"))
    return bool(out.iloc[0])


def implausible_many(kind: pd.Series, span: pd.Series, reference: pd.Series, new: pd.Series) -> pd.Series:
    """:func:`implausible` for aligned series (``span``: the width of each measure's valid range)."""
    ref = reference.to_numpy(dtype="float64", na_value=np.nan)
    val = new.to_numpy(dtype="float64", na_value=np.nan)
    k = kind.to_numpy(dtype=object)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = val / ref
        diff = np.abs(val - ref)
    has_ref = ~np.isnan(ref) & ~np.isnan(val)
    by_ratio = np.isin(k, RATIO_KINDS) & has_ref & (ref > 0) & ((ratio > MAX_RATIO) | (ratio < 1 / MAX_RATIO))
    by_ratio &= ~((k == "count") & (diff < MIN_COUNT_CHANGE))
    by_range = np.isin(k, RANGE_KINDS) & has_ref & (diff > MAX_SHARE_OF_RANGE * span.to_numpy(dtype="float64"))
    return pd.Series(by_ratio | by_range, index=new.index)


def flag_frame(frame: pd.DataFrame, registry: Registry) -> pd.Series:
    """Which rows of ``frame`` (measure_id, value, reference) are implausible changes."""
    measures = registry.measures
    kinds = frame["measure_id"].map(lambda m: measures[m].kind if m in measures else "")
    spans = frame["measure_id"].map(
        lambda m: measures[m].valid_range[1] - measures[m].valid_range[0] if m in measures else np.nan)
    return implausible_many(kinds, spans.astype("float64"), frame["reference"], frame["value"])


def change_text(reference: float, new: float) -> str:
    """The move from ``reference`` to ``new`` as people write it: "−50 %", "+150 %" (the sign U+2212 for minus);
    from 0, the difference itself ("+3.5")."""
    if reference == 0:
        diff = new - reference
        return f"{'+' if diff >= 0 else '−'}{abs(diff):,g}"
    pct = (new - reference) / abs(reference) * 100
    return f"{'+' if pct >= 0 else '−'}{abs(pct):,.0f} %"
