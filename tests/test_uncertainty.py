"""How sure a status is (DESIGN §5 "Uncertainty", issue 16): the slope's standard error, 80 % intervals of the
slope, the pace ratio and the projected year, and whether the status holds across the interval.

Every expected number is worked out by hand in the comments (t at 0.9: 3.0777 with 1 degree of freedom, 1.8856
with 2, 1.6377 with 3).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from indicators.engine.progress import T80, Z80, evaluate, ls_fit, projected_interval, slope_interval, t80
from indicators.engine.tables import progress_table
from tests._store import put

A = "930101"


def test_t_quantiles_are_students():
    stats = pytest.importorskip("scipy.stats")
    for df, value in T80.items():
        assert value == pytest.approx(stats.t.ppf(0.9, df), abs=1e-6)
    assert abs(Z80 - stats.norm.ppf(0.9)) < 1e-6
    assert t80(3) == T80[3] and t80(12) == T80[10] and t80(1000) == Z80 and math.isnan(t80(0))


SERIES = [
    # (years, values): rising, flat, falling, 3, 4 and 5 points, with and without gaps
    ([2023, 2024, 2025], [10, 12, 13]),
    ([2022, 2023, 2024, 2025], [5, 5, 5, 5]),
    ([2021, 2022, 2023, 2024, 2025], [14.2, 13.1, 12.4, 12.0, 10.3]),
    ([2019, 2021, 2022, 2025], [100, 104, 103, 111]),
    ([2021, 2022, 2023, 2024, 2025], [3.0, 2.6, 2.7, 2.1, 2.0]),
]


@pytest.mark.parametrize("years,values", [x for x in SERIES if len(set(x[1])) > 1])  # scipy: no r for a flat y
def test_standard_error_equals_scipys_linregress(years, values):
    stats = pytest.importorskip("scipy.stats")
    slope, se, df = ls_fit(years, values)
    ref = stats.linregress(years, values)
    assert slope == pytest.approx(ref.slope, abs=1e-9) and se == pytest.approx(ref.stderr, abs=1e-9)
    assert df == len(years) - 2


def test_three_rising_points_by_hand():
    # 10, 12, 13 in 2023–2025: x −1, 0, 1; mean 11.667; Σxy = 1.667 + 1.333 = 3; Σxx = 2 → slope 1.5;
    # fitted 10.167, 11.667, 13.167; residuals −1/6, 1/3, −1/6; RSS = 1/6; s² = RSS / 1; se = √(s² / 2) = 0.288675
    # 80 %: 1.5 ± 3.0777 × 0.288675 = [0.61155, 2.38845]
    # target 20 by 2032: required (20 − 13) / 7 = 1 → ratio [0.61, 2.39]: moderately improving to on track → uncertain
    # projected: 7 / 1.5 = 4.67 → 2030; fastest 7 / 2.388 = 2.93 → 2028; slowest 7 / 0.6115 = 11.45 → 2037
    r = evaluate([2023, 2024, 2025], [10, 12, 13], direction="higher", baseline_year=2025, target=20,
                 target_year=2032)
    assert r["slope_se"] == pytest.approx(math.sqrt(1 / 12))
    assert (r["slope_low"], r["slope_high"]) == pytest.approx((1.5 - 3.0776835 * math.sqrt(1 / 12),
                                                               1.5 + 3.0776835 * math.sqrt(1 / 12)))
    assert (r["ratio_low"], r["ratio_high"]) == pytest.approx((r["slope_low"], r["slope_high"]))
    assert (r["projected_year"], r["projected_low"], r["projected_high"]) == (2030, 2028, 2037)
    assert (r["status"], r["confidence"], r["projection"]) == ("on_track", "uncertain", "interval")
    assert (r["status_best"], r["status_worst"]) == ("on_track", "moderately_improving")


def test_a_flat_series_is_firmly_stagnating_and_never_gets_there():
    # 5, 5, 5, 5: slope 0, se 0 → interval [0, 0]; ratio 0 → stagnating at both ends: firm; no pace reaches 8
    r = evaluate([2022, 2023, 2024, 2025], [5, 5, 5, 5], direction="higher", baseline_year=2025, target=8,
                 target_year=2032)
    assert (r["observed_slope"], r["slope_se"], r["slope_low"], r["slope_high"]) == (0, 0, 0, 0)
    assert (r["status"], r["confidence"], r["projection"]) == ("stagnating", "firm", "not_at_this_pace")
    assert math.isnan(r["projected_low"]) and math.isnan(r["projected_high"])


def test_a_falling_share_toward_a_zero_target():
    # poverty share 14.2 13.1 12.4 12.0 10.3 (2021–2025), lower is better, 0 by 2027 (the methods example, a year
    # earlier): slope −0.89 (Σxy −8.9 / Σxx 10); fitted 14.18 13.29 12.40 11.51 10.62, residuals 0.02 −0.19 0 0.49
    # −0.32; RSS = 0.0004 + 0.0361 + 0 + 0.2401 + 0.1024 = 0.379; se = √(0.379 / 3 / 10) = 0.112398
    # 80 %: −0.89 ± 1.6377 × 0.112398 = [−1.07408, −0.70592]; required (0 − 10.3) / 2 = −5.15;
    # ratio [0.1371, 0.2086] → stagnating at both ends: firm
    # projected 10.3 / 0.89 = 11.57 → 2037; fastest 10.3 / 1.07408 = 9.59 → 2035; slowest 10.3 / 0.70592 = 14.59 → 2040
    r = evaluate([2021, 2022, 2023, 2024, 2025], [14.2, 13.1, 12.4, 12.0, 10.3], direction="lower",
                 baseline_year=2025, target=0, target_year=2027)
    assert r["slope_se"] == pytest.approx(math.sqrt(0.379 / 30))
    assert r["slope_low"] == pytest.approx(-0.89 - 1.6377444 * math.sqrt(0.379 / 30))
    assert (r["ratio_low"], r["ratio_high"]) == pytest.approx((0.70592 / 5.15, 1.07408 / 5.15), abs=1e-5)
    assert (r["status"], r["confidence"]) == ("stagnating", "firm")
    assert (r["projected_year"], r["projected_low"], r["projected_high"]) == (2037, 2035, 2040)


def test_an_interval_that_includes_no_progress_cannot_tell_yet():
    # 100, 104, 103, 111 in 2019, 2021, 2022, 2025: x −2.75, −0.75, 0.25, 3.25 (mean 2021.75); mean 104.5;
    # Σxy = 12.375 + 0.375 − 0.375 + 21.125 = 33.5; Σxx = 7.5625 + 0.5625 + 0.0625 + 10.5625 = 18.75 → 1.78667
    r = evaluate([2019, 2021, 2022, 2025], [100, 104, 103, 111], direction="higher", baseline_year=2025, target=200,
                 target_year=2032)
    assert r["observed_slope"] == pytest.approx(33.5 / 18.75)
    # fitted 99.587 103.16 104.947 110.307; residuals 0.413 0.84 −1.947 0.693; RSS 5.1467; se √(5.1467 / 2 / 18.75)
    # = 0.37046; 80 %: 1.78667 ± 1.8856 × 0.37046 = [1.0881, 2.4852]: all progress
    assert r["slope_se"] == pytest.approx(0.37046, abs=1e-4)
    assert (r["slope_low"], r["slope_high"]) == pytest.approx((1.0881, 2.4852), abs=1e-3)
    assert r["projection"] == "interval"
    # falling to 0 with noise: the interval straddles zero, so the slow end never arrives
    r = evaluate([2021, 2022, 2023, 2024, 2025], [3.0, 2.9, 3.4, 2.8, 2.95], direction="lower", baseline_year=2025,
                 target=0, target_year=2030)
    assert r["slope_low"] < 0 < r["slope_high"]
    assert r["projection"] == "cannot_tell" and not math.isnan(r["projected_low"])
    assert math.isnan(r["projected_high"]) and r["confidence"] == "uncertain"


def test_two_points_are_too_few_to_tell():
    r = evaluate([2024, 2025], [10, 12], direction="higher", baseline_year=2025, target=20, target_year=2032)
    assert math.isnan(r["slope_se"]) and math.isnan(r["slope_low"])
    assert (r["status"], r["confidence"], r["projection"]) == ("on_track", "none", "too_few")
    assert r["projected_year"] == 2029  # the point projection stays: (20 − 12) / 2 = 4 years


@pytest.mark.parametrize("required,confidence,best,worst", [
    # slope 1.5, interval [0.6115, 2.3885]; the ratio's interval is that divided by the required pace
    (0.6, "firm", "on_track", "on_track"),  # [1.019, 3.98]: above 0.95 throughout
    (0.65, "uncertain", "on_track", "moderately_improving"),  # [0.941, 3.67]: crosses 0.95
    (1.3, "uncertain", "on_track", "stagnating"),  # [0.470, 1.84]: crosses 0.95 and 0.5: three bands
    (1.2, "uncertain", "on_track", "moderately_improving"),  # [0.5096, 1.99]: just above 0.5 at the slow end
    (5.0, "firm", "stagnating", "stagnating"),  # [0.122, 0.478]: below 0.5 throughout
])
def test_confidence_at_band_edges(required, confidence, best, worst):
    # target chosen so that the required pace is ``required``: target = 13 + 7 × required (latest 13 in 2025)
    r = evaluate([2023, 2024, 2025], [10, 12, 13], direction="higher", baseline_year=2025,
                 target=13 + 7 * required, target_year=2032)
    lo, hi = 0.611549301397265 / required, 2.388450698602735 / required
    assert (r["ratio_low"], r["ratio_high"]) == pytest.approx((lo, hi))
    bands = [("on_track", 0.95), ("moderately_improving", 0.5), ("stagnating", 0.0)]

    def band(x):
        return next(name for name, edge in bands if x >= edge - 1e-9)

    assert (r["status_best"], r["status_worst"]) == (band(hi), band(lo))
    assert r["confidence"] == ("firm" if band(hi) == band(lo) else "uncertain")
    assert (r["confidence"], r["status_best"], r["status_worst"]) == (confidence, best, worst)


def test_achieved_is_firm_and_its_year_is_the_latest():
    r = evaluate([2023, 2024, 2025], [70, 74, 77], direction="higher", baseline_year=2025, target=75,
                 target_year=2032)
    assert (r["status"], r["confidence"], r["projection"]) == ("achieved", "firm", "achieved")
    assert r["projected_low"] == r["projected_high"] == 2025


def test_plain_interval_functions_element_wise():
    lo, hi = slope_interval(np.array([1.5, 2.0]), np.array([0.5, np.nan]), np.array([1, 2]))
    assert lo[0] == pytest.approx(1.5 - 3.0776835 * 0.5) and math.isnan(lo[1]) and math.isnan(hi[1])
    low, high = projected_interval(np.array([10.0]), np.array([20.0]), "higher", np.array([-1.0]),
                                   np.array([2.0]), np.array([2025]))
    assert (low[0], math.isnan(high[0])) == (2030, True)  # 10 / 2 = 5 years at the fast end; never at the slow end


def test_the_table_carries_the_interval_columns(tree_db):
    db = tree_db(A)
    put(db, [(A, "households", y, 100) for y in (2023, 2024, 2025)]
        + [(A, "poor_households", y, v) for y, v in ((2023, 10), (2024, 12), (2025, 13))])
    p = progress_table(db, area=A, indicator="poor_household_share")
    r = p.iloc[0]
    # shares 10, 12, 13 %: the three-point example; lower is better, target 0 by 2027: moving away → worsening
    assert r.slope_se == pytest.approx(math.sqrt(1 / 12))
    assert (r.status, r.confidence, r.projection) == ("worsening", "firm", "not_at_this_pace")
    assert math.isnan(r.projected_low) and math.isnan(r.projected_high)
    for col in ("slope_se", "slope_low", "slope_high", "ratio_low", "ratio_high", "projected_low", "projected_high",
                "projection", "confidence", "status_best", "status_worst"):
        assert col in p.columns


def test_the_methods_example_carries_its_interval():
    from pathlib import Path

    from indicators.engine.progress import worked_example
    from indicators.present.worked_example import worked_example_markdown

    # the methods example (2022–2026): the falling-share case one year later; RSS 0.379, se √(0.379 / 30) = 0.11240;
    # 80 %: [−1.07408, −0.70592]; required −10.3 → ratio [0.0685, 0.1043]: stagnating throughout (firm);
    # projected 10.3 / 1.07408 = 9.59 → 2036 CE (2579 BE); 10.3 / 0.70592 = 14.59 → 2041 CE (2584 BE)
    r = worked_example()
    assert r["slope_se"] == pytest.approx(math.sqrt(0.379 / 30))
    assert (r["ratio_low"], r["ratio_high"]) == pytest.approx((0.70592 / 10.3, 1.07408 / 10.3), abs=1e-5)
    assert (r["confidence"], r["projected_low"], r["projected_high"]) == ("firm", 2036, 2041)
    doc = (Path(__file__).resolve().parents[1] / "docs" / "METHODS.md").read_text(encoding="utf-8")
    assert worked_example_markdown() in doc and "**2581 BE (2579–2584)**" in doc
