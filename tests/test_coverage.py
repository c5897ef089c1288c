"""Coverage of rolled-up values (DESIGN §5 "Coverage", issue 20): incomplete years are shown, never used.

Every expected number is worked out by hand in the comments.
"""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest

from indicators.engine.progress import flat_to_zero, ls_slope
from indicators.engine.tables import indicator_values, progress_table
from indicators.registry import Registry, load_registry
from loaders.store import reader
from tests._store import put

S1, S2, S3, S4, S5 = "930101", "930103", "930104", "930105", "930106"  # subdistricts of district 9301


def registry_with(**changes: dict) -> Registry:
    """The project's registry with some indicators' fields changed (``visitors_thai={"impute": "none"}``)."""
    reg = load_registry()
    inds = {k: (i.model_copy(update=changes[k]) if k in changes else i) for k, i in reg.indicators.items()}
    return Registry(measures=reg.measures, indicators=inds)


def one(frame: pd.DataFrame, area: str, indicator: str, year: int | None = None) -> pd.Series:
    rows = frame[(frame.area_code == area) & (frame.indicator_id == indicator)]
    if year is not None:
        rows = rows[rows.year == year]
    assert len(rows) == 1, f"expected one row for {area} {indicator} {year}, got {len(rows)}"
    return rows.iloc[0]


# A district of three subdistricts; S3 has not sent 2025 (CE; 2568 BE, the baseline year). Thai visitors, no
# estimates: district totals 2021–2024 = 600, 630, 660, 690 (3 of 3: complete); 2025 = 140 + 240 = 380 (2 of 3:
# incomplete, not a fall).
# Progress from the complete years: the baseline year 2025 is not usable, so the baseline is the first year, 2021:
# 600; latest 2024: 690; target +40 % = 840 by 2032; slope over 2021–2024 = 30 a year;
# required = (840 − 690) / (2032 − 2024) = 18.75; ratio = 30 / 18.75 = 1.6 → on track;
# progress = (690 − 600) / (840 − 600) = 37.5 %; projected: 150 / 30 = 5 years → 2029.
THREE = [(S1, 100), (S2, 200), (S3, 300)]


def three_rows(missing_2025: bool = True) -> list[tuple]:
    rows = []
    for code, start in THREE:
        for k, year in enumerate(range(2021, 2026)):
            if not (missing_2025 and code == S3 and year == 2025):
                rows.append((code, "visitors_thai", year, start + 10 * k))
    return rows


def test_a_total_missing_one_subdistrict_is_incomplete_and_not_used(tree_db):
    db = tree_db(S1, S2, S3)
    put(db, three_rows())
    reg = registry_with(visitors_thai={"impute": "none"})
    vals = indicator_values(db, indicator="visitors_thai", registry=reg)
    d24, d25 = one(vals, "9301", "visitors_thai", 2024), one(vals, "9301", "visitors_thai", 2025)
    assert (d24.value, d24.n_subdistricts, d24.n_expected, d24.complete) == (690, 3, 3, True)
    assert (d25.value, d25.n_subdistricts, d25.n_expected, d25.complete) == (380, 2, 3, False)
    assert not d25.estimated and d25.n_estimated == 0
    p = one(progress_table(db, indicator="visitors_thai", registry=reg), "9301", "visitors_thai")
    assert (p.baseline_year, p.baseline, p.latest_year, p.latest) == (2021, 600, 2024, 690)
    assert p.target == pytest.approx(840) and p.observed_slope == pytest.approx(30)
    assert p.required_slope == pytest.approx(18.75) and p.ratio == pytest.approx(1.6)
    assert p.progress_pct == pytest.approx(37.5) and p.status == "on_track" and p.projected_year == 2029
    assert (p.n_years, p.n_incomplete, p.pending_year, p.complete) == (4, 1, 2025, False)
    assert (p.n_subdistricts, p.n_estimated, p.n_expected, p.estimated) == (3, 0, 3, False)
    # the province holds the same three subdistricts: the same rule, the same numbers
    prov = one(progress_table(db, indicator="visitors_thai", registry=reg), "93", "visitors_thai")
    assert (prov.latest_year, prov.latest, prov.status) == (2024, 690, "on_track")
    # once S3 reports, 2025 is complete and becomes baseline and latest: 140 + 240 + 340 = 720
    put(db, [(S3, "visitors_thai", 2025, 340)])
    p = one(progress_table(db, indicator="visitors_thai", registry=reg), "9301", "visitors_thai")
    assert (p.baseline_year, p.baseline, p.latest_year, p.latest, p.complete) == (2025, 720, 2025, 720, True)


# Households below the BMN line (ratio, min_coverage 0.8). 2025: S1 10 / 100, S2 30 / 100 reported, S3 not:
# 2 of 3 = 67 % < 80 % → incomplete; value (10 + 30) / 200 = 20 %.
def test_a_ratio_below_min_coverage_is_incomplete(tree_db):
    db = tree_db(S1, S2, S3)
    put(db, [(S1, "households", 2025, 100), (S1, "poor_households", 2025, 10),
             (S2, "households", 2025, 100), (S2, "poor_households", 2025, 30)])
    v = one(indicator_values(db, indicator="poor_household_share"), "9301", "poor_household_share", 2025)
    assert v.value == pytest.approx(20) and (v.n_subdistricts, v.n_expected, v.complete) == (2, 3, False)
    p = one(progress_table(db, indicator="poor_household_share"), "9301", "poor_household_share")
    assert p.status == "insufficient_data" and p.n_years == 0 and p.pending_year == 2025
    assert math.isnan(p.latest) and math.isnan(p.progress_pct)


# Four subdistricts, three reported: 75 %. Below the default 80 % (incomplete), usable with min_coverage 0.75:
# (10 + 30 + 20) / 300 = 20 %.
def test_a_ratio_at_the_indicators_min_coverage_is_usable(tree_db):
    db = tree_db(S1, S2, S3, S4)
    rows = []
    for code, poor in ((S1, 10), (S2, 30), (S3, 20)):
        rows += [(code, "households", 2025, 100), (code, "poor_households", 2025, poor)]
    put(db, rows)
    default = one(indicator_values(db, indicator="poor_household_share"), "9301", "poor_household_share", 2025)
    assert (default.n_subdistricts, default.n_expected, default.complete) == (3, 4, False)
    reg = registry_with(poor_household_share={"min_coverage": 0.75})
    v = one(indicator_values(db, indicator="poor_household_share", registry=reg), "9301", "poor_household_share",
            2025)
    assert v.value == pytest.approx(20) and (v.n_subdistricts, v.n_expected, v.complete) == (3, 4, True)


# Carry-forward (visitors_thai allows it, max_age 2). Five subdistricts, +10 a year from 100, 200, 300, 400, 500;
# S2 reports 2021 and 2022 only (200, 210).
#   2021: 1500 (5 reported); 2022: 1550 (5);
#   2023: 120 + 210 (S2's 2022, 1 year old) + 320 + 420 + 520 = 1590: 4 reported, 1 estimated → complete, estimated;
#   2024: 130 + 210 (2 years old) + 330 + 430 + 530 = 1630: 4 + 1 → complete, estimated;
#   2025: S2's figure would be 3 years old > max_age: 140 + 340 + 440 + 540 = 1460, 4 of 5 → incomplete.
# Progress: baseline 2021 = 1500 (2025 incomplete); latest 2024 = 1630; slope over 2021–2024: x −1.5 … 1.5,
#   Σxy = 1.5·67.5 + 0.5·17.5 + 0.5·22.5 + 1.5·62.5 = 215, Σxx = 5 → 43 a year; target 1500 × 1.4 = 2100;
#   required (2100 − 1630) / 8 = 58.75; ratio 43 / 58.75 = 0.7319 → moderately improving;
#   progress 130 / 600 = 21.67 %; projected 470 / 43 = 10.93 → 11 years → 2035.
FIVE = [(S1, 100), (S2, 200), (S3, 300), (S4, 400), (S5, 500)]


def five_rows() -> list[tuple]:
    rows = []
    for code, start in FIVE:
        for k, year in enumerate(range(2021, 2026)):
            if code != S2 or year <= 2022:
                rows.append((code, "visitors_thai", year, start + 10 * k))
    return rows


def test_carry_forward_fills_gaps_flags_estimates_and_respects_max_age(tree_db):
    db = tree_db(S1, S2, S3, S4, S5)
    put(db, five_rows())
    vals = indicator_values(db, indicator="visitors_thai")
    got = {int(r.year): (r.value, r.n_subdistricts, r.n_estimated, r.complete, r.estimated)
           for r in vals[vals.area_code == "9301"].itertuples()}
    assert got == {2021: (1500, 5, 0, True, False), 2022: (1550, 5, 0, True, False),
                   2023: (1590, 4, 1, True, True), 2024: (1630, 4, 1, True, True),
                   2025: (1460, 4, 0, False, False)}
    # a subdistrict's own series is never estimated: S2 has rows for the years it reported only
    assert sorted(vals[vals.area_code == S2].year) == [2021, 2022]
    p = one(progress_table(db, indicator="visitors_thai"), "9301", "visitors_thai")
    assert (p.baseline_year, p.baseline, p.latest_year, p.latest) == (2021, 1500, 2024, 1630)
    assert p.observed_slope == pytest.approx(43) and p.required_slope == pytest.approx(58.75)
    assert p.ratio == pytest.approx(43 / 58.75) and p.status == "moderately_improving"
    assert p.progress_pct == pytest.approx(100 * 130 / 600) and p.projected_year == 2035
    assert (p.n_subdistricts, p.n_estimated, p.n_expected, p.estimated, p.pending_year) == (4, 1, 5, True, 2025)
    # max_age 1: S2's 2022 figure may stand in for 2023 only; 2024 (4 of 5) is incomplete, the latest is 2023
    reg = registry_with(visitors_thai={"max_age": 1})
    vals = indicator_values(db, indicator="visitors_thai", registry=reg)
    r24 = one(vals, "9301", "visitors_thai", 2024)
    assert (r24.value, r24.n_estimated, r24.complete) == (1420, 0, False)  # 130 + 330 + 430 + 530
    p = one(progress_table(db, indicator="visitors_thai", registry=reg), "9301", "visitors_thai")
    assert (p.latest_year, p.latest, p.n_years, p.n_incomplete) == (2023, 1590, 3, 2)


def test_estimates_count_as_feeding_the_value_and_are_counted_apart(tree_db):
    # three subdistricts, S2 and S3 silent in 2022: 1 reported + 2 estimated (their 2021 figures) fed the total
    db = tree_db(S1, S2, S3)
    put(db, [(c, "visitors_thai", 2021, v) for c, v in THREE] + [(S1, "visitors_thai", 2022, 110)])
    r = one(indicator_values(db, indicator="visitors_thai"), "9301", "visitors_thai", 2022)
    assert (r.value, r.n_subdistricts, r.n_estimated, r.complete, r.estimated) == (110 + 200 + 300, 1, 2, True, True)


def test_a_figure_for_the_district_itself_is_complete(tree_db):
    db = tree_db(S1, S2, S3)
    put(db, [("9301", "visitors_thai", 2025, 5000), (S1, "visitors_thai", 2025, 100)])
    r = one(indicator_values(db, indicator="visitors_thai"), "9301", "visitors_thai", 2025)
    assert (r.value, r.n_subdistricts, r.n_estimated, r.n_expected, r.complete) == (5000, 0, 0, 3, True)


def test_a_complete_total_is_never_below_its_term_by_hand(tree_db):
    # S3 sent Thai visitors but not foreign in 2025 (no earlier year to carry): the total is incomplete; it is
    # below Thai visitors (420 < 600) but is not a complete figure, so it is never compared with it
    db = tree_db(S1, S2, S3)
    rows = [(S1, "visitors_thai", 2025, 100), (S2, "visitors_thai", 2025, 200), (S3, "visitors_thai", 2025, 300),
            (S1, "visitors_foreign", 2025, 10), (S2, "visitors_foreign", 2025, 20)]
    put(db, rows)
    vals = indicator_values(db)
    thai, total = one(vals, "9301", "visitors_thai", 2025), one(vals, "9301", "visitors_total", 2025)
    assert (thai.value, thai.complete) == (600, True)
    assert (total.value, total.n_subdistricts, total.complete) == (330, 2, False)


# ---------------------------------------------------------------------------------------------- the demo store


def test_complete_totals_are_at_least_each_term_across_the_demo(demo_db_session):
    """For every area and year: a complete total ≥ each complete term, and = their sum when all are complete."""
    vals = indicator_values(demo_db_session)
    reg = load_registry()
    checked = 0
    for ind in reg.indicators.values():
        f = ind.formula
        if f.kind != "total" or len(f.numerator) < 2:
            continue
        total = vals[(vals.indicator_id == ind.id) & vals.complete].set_index(["area_code", "year"])["value"]
        parts = []
        for term in f.numerator:
            part = vals[(vals.indicator_id == term) & vals.complete].set_index(["area_code", "year"])["value"]
            both = total.index.intersection(part.index)
            assert (total[both] >= part[both] - 1e-6).all(), f"{ind.id} below {term}"
            checked += len(both)
            parts.append(part)
        common = total.index.intersection(parts[0].index).intersection(parts[1].index)
        np.testing.assert_allclose(total[common], parts[0][common] + parts[1][common], rtol=1e-12)
    assert checked > 1000


def _carry_unreported(src, dst) -> int:
    """Copy the store ``src`` to ``dst`` and give the councils that sent nothing for the latest year their previous
    year's figures (as if they had reported no change); the number of values added."""
    shutil.copy(src, dst)
    with reader(dst) as con:
        last = con.execute("SELECT max(year) FROM observations").fetchall()[0][0]
        rows = con.execute("""
            SELECT o.area_code, o.measure_id, o.year + 1 AS year, o.value FROM observations o
            JOIN areas a ON a.code = o.area_code AND a.level = 'subdistrict'
            WHERE o.year = ? AND o.area_code NOT IN (SELECT area_code FROM observations WHERE year = ?)""",
                           [last - 1, last]).df()
    put(dst, list(rows.itertuples(index=False, name=None)))
    return len(rows)


def test_late_councils_never_flip_a_district_or_province_trend(demo_db_session, tmp_path):
    filled = tmp_path / "filled.duckdb"
    assert _carry_unreported(demo_db_session, filled) > 100
    keys = ["area_code", "indicator_id"]
    a = progress_table(demo_db_session)
    b = progress_table(filled)
    both = a[a.level != "subdistrict"].merge(b[b.level != "subdistrict"], on=keys, suffixes=("", "_filled"))
    flipped = both[np.sign(both.progress_pct) * np.sign(both.progress_pct_filled) < 0]
    assert flipped.empty, flipped[keys + ["progress_pct", "progress_pct_filled"]].to_string()
    # the case of the issue: the province's Thai visitors no longer fall because councils are late
    prov = one(a, "93", "visitors_thai")
    assert prov.progress_pct > 0 and prov.status != "worsening"


# ---------------------------------------------------------------------------------------------- flat slopes


def test_a_slope_within_rounding_of_zero_is_zero():
    years = [2021, 2022, 2023, 2024, 2025]
    values = [0.1 * 3, 0.3, 0.1 + 0.2, 0.3, 0.7 - 0.4]  # equal up to rounding
    y, v = np.array(years, dtype=float), np.array(values)
    raw = ((y - y.mean()) * (v - v.mean())).sum() / ((y - y.mean()) ** 2).sum()
    assert raw != 0  # the plain formula gives -2.2e-17: a "trend" of rounding
    assert ls_slope(years, values) == 0.0
    assert flat_to_zero(1.5e-16, 41.7) == 0.0 and flat_to_zero(0.01, 41.7) == 0.01
    from indicators.engine.progress import evaluate

    r = evaluate(years, values, direction="higher", baseline_year=2025, target=1.0, target_year=2032)
    assert r["observed_slope"] == 0.0 and math.isnan(r["projected_year"]) and r["status"] == "stagnating"


# ---------------------------------------------------------------------------------------------- the methods page


def test_methods_doc_has_the_coverage_example_the_engine_computes():
    from pathlib import Path

    from indicators.present import coverage_example as C

    doc = (Path(__file__).resolve().parents[1] / "docs" / "METHODS.md").read_text(encoding="utf-8")
    assert C.markdown() in doc, "docs/METHODS.md is out of date: run python -m indicators.present.methods_doc"
    # by hand: without estimates 2025 = 140 + 240 = 380 (2 of 3, incomplete); baseline 2021 = 600, latest 2024 = 690
    plain, p0 = C.example(False)
    assert plain.value.tolist() == [600, 630, 660, 690, 380] and plain.complete.tolist() == [True] * 4 + [False]
    assert (p0.baseline_year, p0.latest_year, p0.status) == (2021, 2024, "on_track")
    # with carry-forward: 2025 = 140 + 240 + 330 (S3's 2024) = 710, 2 reported + 1 estimated, complete;
    # slope over 600, 630, 660, 690, 710: Σxy = −2·−78 − 1·−48 + 0 + 1·12 + 2·32 = 280, Σxx = 10 → 28
    est, p1 = C.example(True)
    last = est.iloc[-1]
    assert (last.value, last.n_subdistricts, last.n_estimated, last.complete) == (710, 2, 1, True)
    assert p1.observed_slope == pytest.approx(28) and p1.estimated
    assert "11 years later than the target year 2570 BE" in doc  # the worked example's general formula
