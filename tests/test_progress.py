"""Progress toward 2575 (DESIGN §5): the plain functions by hand, then the table on small stores."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from indicators.engine.progress import (
    COLUMNS,
    STATUSES,
    classify,
    evaluate,
    is_achieved,
    ls_slope,
    progress_pct,
    progress_ratio,
    projected_year,
    required_slope,
)
from indicators.engine.tables import progress_table
from loaders.errors import InputRejected
from loaders.targets import clear_target, list_targets, set_target
from tests._store import put

A, B = "930101", "930103"



def row(table: pd.DataFrame, area: str, indicator: str) -> pd.Series:
    rows = table[(table.area_code == area) & (table.indicator_id == indicator)]
    assert len(rows) == 1
    return rows.iloc[0]


# ------------------------------------------------------------------------------------------------ slope


def test_slope_of_a_straight_line():
    assert ls_slope([2021, 2022, 2023, 2024, 2025], [1, 2, 3, 4, 5]) == pytest.approx(1.0)


def test_slope_uses_the_last_five_years_on_record_across_a_gap():
    # 2018 (100) is the sixth point back, so it is left out; 2020 is missing (a gap year).
    # years 2019 2021 2022 2023 2024, mean 2021.8; deviations −2.8 −0.8 0.2 1.2 2.2, Σdx² = 14.8
    # values 10 14 15 18 20, mean 15.4; deviations −5.4 −1.4 −0.4 2.6 4.6
    # Σdx·dy = 15.12 + 1.12 − 0.08 + 3.12 + 10.12 = 29.4; slope = 29.4 / 14.8 = 1.986486…
    years = [2018, 2019, 2020, 2021, 2022, 2023, 2024]
    values = [100, 10, None, 14, 15, 18, 20]
    assert ls_slope(years, values) == pytest.approx(29.4 / 14.8)


def test_slope_needs_two_points():
    assert math.isnan(ls_slope([2025], [3.0]))
    assert math.isnan(ls_slope([2024, 2025], [None, 3.0]))
    assert ls_slope([2023, 2025], [1.0, 5.0]) == pytest.approx(2.0)  # two points two years apart


# ------------------------------------------------------------------------------------------------ every status

# higher is better: latest 60 in 2025, target 80 in 2030 → required = (80 − 60) / (2030 − 2025) = 4 a year
HIGHER = {"latest": 60.0, "target": 80.0, "direction": "higher", "required": 4.0, "n_years": 5}
# lower is better, zero target (poverty): latest 10 % in 2025, target 0 in 2027 → required = (0 − 10) / 2 = −5
LOWER = {"latest": 10.0, "target": 0.0, "direction": "lower", "required": -5.0, "n_years": 5}


@pytest.mark.parametrize(
    ("case", "observed", "expected_ratio", "status"),
    [
        (HIGHER, 4.0, 1.0, "on_track"),                     # 4 / 4
        (HIGHER, 3.8, 0.95, "on_track"),                    # 3.8 / 4 = 0.95: the boundary is on track
        (HIGHER, 3.7, 0.925, "moderately_improving"),       # 3.7 / 4
        (HIGHER, 2.0, 0.5, "moderately_improving"),         # 2 / 4 = 0.5: the boundary is moderate
        (HIGHER, 1.9, 0.475, "stagnating"),                 # 1.9 / 4
        (HIGHER, 0.0, 0.0, "stagnating"),                   # flat
        (HIGHER, -0.5, -0.125, "worsening"),                # falling while it should rise
        (LOWER, -5.0, 1.0, "on_track"),                     # −5 / −5
        (LOWER, -6.0, 1.2, "on_track"),                     # faster than needed
        (LOWER, -3.0, 0.6, "moderately_improving"),         # −3 / −5
        (LOWER, -1.0, 0.2, "stagnating"),                   # −1 / −5
        (LOWER, 1.0, -0.2, "worsening"),                    # rising poverty: away from the target
    ],
)
def test_status_from_ratio(case, observed, expected_ratio, status):
    ratio = progress_ratio(observed, case["required"], case["direction"])
    assert ratio == pytest.approx(expected_ratio)
    got = classify(case["latest"], case["target"], case["direction"], observed, case["required"], case["n_years"])
    assert got == status


def test_achieved_both_directions_and_zero_target():
    assert classify(80, 80, "higher", -1.0, 0.0, 5) == "achieved"   # at the target, even if falling now
    assert classify(85, 80, "higher", 0.0, -1.0, 5) == "achieved"   # beyond it
    assert classify(0, 0, "lower", 0.0, 0.0, 3) == "achieved"       # poverty at zero: a zero target works
    assert classify(2, 5, "lower", 1.0, 1.5, 3) == "achieved"       # below a "lower" target
    assert is_achieved(79.9, 80, "higher") is False
    # no ratio once achieved
    assert math.isnan(progress_ratio(1.0, -1.0, "higher", latest=85, target=80))


def test_insufficient_data():
    assert classify(60, 80, "higher", math.nan, 4.0, 1) == "insufficient_data"   # one year
    assert classify(60, 80, "higher", math.nan, 4.0, 0) == "insufficient_data"   # none
    assert classify(80, 80, "higher", math.nan, 0.0, 1) == "insufficient_data"   # one year, even at the target
    assert classify(60, math.nan, "higher", 1.0, math.nan, 5) == "insufficient_data"  # no target known


def test_target_year_reached_but_not_the_target():
    # latest year 2027 = target year: no required pace exists; moving toward → stagnating, away → worsening
    assert math.isnan(required_slope(8.0, 0.0, 2027, 2027))
    assert classify(8.0, 0.0, "lower", -1.0, math.nan, 5) == "stagnating"
    assert classify(8.0, 0.0, "lower", 1.0, math.nan, 5) == "worsening"


def test_every_status_is_reachable():
    seen = {
        classify(85, 80, "higher", 1, -1, 5), classify(60, 80, "higher", 4, 4, 5),
        classify(60, 80, "higher", 3, 4, 5), classify(60, 80, "higher", 1, 4, 5),
        classify(60, 80, "higher", -1, 4, 5), classify(60, 80, "higher", math.nan, 4, 1),
    }
    assert seen == set(STATUSES)


def test_progress_pct_required_and_projected_year():
    assert progress_pct(50, 60, 80) == pytest.approx(100 / 3)        # (60 − 50) / (80 − 50)
    assert progress_pct(10, 12, 0) == pytest.approx(-20.0)           # (12 − 10) / (0 − 10): going backward
    assert math.isnan(progress_pct(0, 0, 0))                         # target = baseline: no progress to measure
    assert progress_pct(10, 10, 0) == 0.0 and math.copysign(1, progress_pct(10, 10, 0)) == 1
    assert required_slope(60, 80, 2025, 2030) == pytest.approx(4.0)
    # projected: the first whole year the trend from the latest value reaches the target
    assert projected_year(60, 80, "higher", 4.0, 2025) == 2030       # 20 / 4 = 5 years
    assert projected_year(60, 80, "higher", 3.0, 2025) == 2032       # 20 / 3 = 6.67 → during 2032
    assert projected_year(10, 0, "lower", -3.0, 2025) == 2029        # 10 / 3 = 3.33 → during 2029
    assert math.isnan(projected_year(10, 0, "lower", 1.0, 2025))     # never at this pace
    assert math.isnan(projected_year(60, 80, "higher", 0.0, 2025))
    assert projected_year(85, 80, "higher", -1.0, 2025) == 2025      # already achieved


def test_vectorised_equals_scalar():
    rng = np.random.default_rng(1)
    n = 500
    latest = rng.uniform(0, 100, n)
    target = rng.uniform(0, 100, n)
    direction = rng.choice(["higher", "lower"], n)
    observed = rng.normal(0, 5, n)
    latest_year = rng.integers(2020, 2030, n)
    req = required_slope(latest, target, latest_year, 2027)
    n_years = rng.integers(0, 6, n)
    statuses = classify(latest, target, direction, observed, req, n_years)
    ratios = progress_ratio(observed, req, direction, latest, target)
    years = projected_year(latest, target, direction, observed, latest_year)
    for i in range(n):
        assert statuses[i] == classify(latest[i], target[i], direction[i], observed[i], req[i], n_years[i])
        r = progress_ratio(observed[i], req[i], direction[i], latest[i], target[i])
        assert (math.isnan(r) and math.isnan(ratios[i])) or r == ratios[i]
        y = projected_year(latest[i], target[i], direction[i], observed[i], latest_year[i])
        assert (math.isnan(y) and math.isnan(years[i])) or y == years[i]


def test_evaluate_a_plain_series():
    # poverty share 15, 14, 12, 11, 10 % in 2021–2025 (baseline year 2025), target 0 by 2027
    # slope: x −2..2, Σdx·dy = −30 − 14 + 0 + 11 + 20 = −13, Σdx² = 10 → −1.3 a year
    # required = (0 − 10) / (2027 − 2025) = −5; ratio = −1.3 / −5 = 0.26 → stagnating
    # projected: 10 / 1.3 = 7.7 years → 2033
    r = evaluate([2021, 2022, 2023, 2024, 2025], [15, 14, 12, 11, 10], direction="lower", baseline_year=2025,
                 target_value=0, target_year=2027)
    assert r["baseline"] == 10 and r["latest"] == 10 and r["target"] == 0
    assert r["observed_slope"] == pytest.approx(-1.3)
    assert r["required_slope"] == pytest.approx(-5.0)
    assert r["ratio"] == pytest.approx(0.26)
    assert r["status"] == "stagnating"
    assert r["projected_year"] == 2033
    assert r["progress_pct"] == 0.0


# ------------------------------------------------------------------------------------------------ the table


def poverty_rows(area: str, shares: dict[int, float]) -> list:
    """Households 1,000 a year and poor households = share × 10."""
    rows = []
    for year, share in shares.items():
        rows += [(area, "households", year, 1000.0), (area, "poor_households", year, share * 10)]
    return rows


SHARES = {2021: 15, 2022: 14, 2023: 12, 2024: 11, 2025: 10}


def test_table_by_hand(areas_db):
    put(areas_db, poverty_rows(A, SHARES))
    table = progress_table(areas_db)
    assert list(table.columns) == COLUMNS
    r = row(table, A, "poor_household_share")
    # as in test_evaluate_a_plain_series: the registry's target is 0 by 2570 BE (2027 CE)
    assert (r.baseline_year, r.baseline, r.latest_year, r.latest) == (2025, 10, 2025, 10)
    assert (r.target, r.target_year, r.direction, r.n_years) == (0, 2027, "lower", 5)
    assert r.observed_slope == pytest.approx(-1.3)
    assert r.required_slope == pytest.approx(-5.0)
    assert r.ratio == pytest.approx(0.26)
    assert r.status == "stagnating" and r.projected_year == 2033
    # one subdistrict of district 9301's fourteen fed its share: 7 % < 80 %, no year is complete (DESIGN §5 Coverage)
    d = row(table, "9301", "poor_household_share")
    assert (d.n_years, d.n_incomplete, d.pending_year, d.status) == (0, 5, 2025, "insufficient_data")
    assert (d.n_expected, d.complete) == (14, False) and math.isnan(d.observed_slope)
    assert row(table, "93", "poor_household_share").status == "insufficient_data"
    assert set(table.level) == {"province", "district", "subdistrict"}


def test_baseline_falls_back_to_the_first_year_and_growth_targets(areas_db):
    # income per person, target +30 % over the baseline by 2575 BE (2032 CE); no value in 2025, so the baseline is
    # the first year on record: 2019, 100,000 baht. Target = 130,000. Latest 2023: 110,000.
    # slope over 2019–2023 (values 100, 102.5, 105, 107.5, 110 thousand) = 2,500 a year
    # required = (130,000 − 110,000) / (2032 − 2023) = 2,222.2…; ratio = 2500 / 2222.2 = 1.125 → on track
    # progress = (110 − 100) / (130 − 100) = 33.3 %; projected 20,000 / 2,500 = 8 years → 2031
    rows = []
    for i, year in enumerate(range(2019, 2024)):
        rows += [(A, "population", year, 1000.0), (A, "household_income_total", year, 1000 * (100_000 + 2_500 * i))]
    put(areas_db, rows)
    r = row(progress_table(areas_db, area=A), A, "income_per_person")
    assert (r.baseline_year, r.baseline, r.target, r.target_year) == (2019, 100_000, 130_000, 2032)
    assert r.observed_slope == pytest.approx(2500)
    assert r.required_slope == pytest.approx(20_000 / 9)
    assert r.ratio == pytest.approx(1.125)
    assert r.progress_pct == pytest.approx(100 / 3)
    assert r.status == "on_track" and r.projected_year == 2031


def test_fewer_than_two_years_and_no_value(areas_db):
    put(areas_db, [
        (A, "households", 2025, 1000.0), (A, "poor_households", 2025, 50.0),  # one year: 5 %
        (B, "poor_households", 2025, 50.0),  # a numerator without households: no value at all
    ])
    table = progress_table(areas_db, level="subdistrict")
    a = row(table, A, "poor_household_share")
    assert a.status == "insufficient_data" and a.n_years == 1 and a.latest == 5 and math.isnan(a.observed_slope)
    b = row(table, B, "poor_household_share")
    assert b.status == "insufficient_data" and b.n_years == 0 and pd.isna(b.latest)


def test_gap_year_in_the_table(areas_db):
    # participation (higher, target 80 by 2032): 2019 40 %, 2021 44 %, 2022 46 %, no 2020 and nothing since 2022.
    # slope on (2019, 40), (2021, 44), (2022, 46): mean year 2020.667, mean value 43.333;
    # dx −1.667 0.333 1.333, dy −3.333 0.667 2.667 → Σdx·dy = 5.556 + 0.222 + 3.556 = 9.333; Σdx² = 2.778 + 0.111 +
    # 1.778 = 4.667 → slope 2.0 exactly (the points lie on a line). Baseline: no 2025 value → 2019 (40).
    # required = (80 − 46) / (2032 − 2022) = 3.4; ratio = 2 / 3.4 = 0.588 → moderately improving
    rows = []
    for year, share in {2019: 40, 2021: 44, 2022: 46}.items():
        rows += [(A, "households", year, 500.0), (A, "member_households", year, 5.0 * share)]
    put(areas_db, rows)
    r = row(progress_table(areas_db, area=A, indicator="participation"), A, "participation")
    assert (r.baseline_year, r.baseline, r.latest_year, r.latest, r.n_years) == (2019, 40, 2022, 46, 3)
    assert r.observed_slope == pytest.approx(2.0)
    assert r.required_slope == pytest.approx(3.4)
    assert r.ratio == pytest.approx(2 / 3.4)
    assert r.status == "moderately_improving"
    assert r.progress_pct == pytest.approx(15.0)  # (46 − 40) / (80 − 40)


def test_overridden_targets(areas_db):
    put(areas_db, poverty_rows(A, SHARES) + poverty_rows(B, SHARES))
    # all areas: 5 % by 2570 BE → required (5 − 10) / 2 = −2.5; ratio −1.3 / −2.5 = 0.52 → moderately improving
    set_target("poor_household_share", 5, 2570, "admin@example", db=areas_db)
    # area A only: 9 % by 2575 BE (2032) → required (9 − 10) / 7 = −0.142857; ratio 9.1 → on track
    set_target("poor_household_share", 9, 2575, "admin@example", area_code=A, db=areas_db)
    table = progress_table(areas_db, indicator="poor_household_share")
    a, b = row(table, A, "poor_household_share"), row(table, B, "poor_household_share")
    assert (a.target, a.target_year) == (9, 2032)
    assert a.ratio == pytest.approx(1.3 / (1 / 7)) and a.status == "on_track"
    assert (b.target, b.target_year) == (5, 2027)
    assert b.ratio == pytest.approx(0.52) and b.status == "moderately_improving"
    stored = list_targets(areas_db)
    assert set(stored.area_code) == {"", A} and set(stored.set_by) == {"admin@example"}
    assert stored.set_at.notna().all()
    # removing the area's row brings back the row for all areas
    assert clear_target("poor_household_share", area_code=A, db=areas_db)
    a = row(progress_table(areas_db, area=A, indicator="poor_household_share"), A, "poor_household_share")
    assert (a.target, a.status) == (5, "moderately_improving")


def test_set_target_rejects_bad_input(areas_db):
    with pytest.raises(InputRejected, match="unknown indicator"):
        set_target("nope", 1, 2575, "admin", db=areas_db)
    with pytest.raises(InputRejected, match="unknown area"):
        set_target("happiness", 8, 2575, "admin", area_code="999999", db=areas_db)
    with pytest.raises(InputRejected, match="2540–2600"):
        set_target("happiness", 8, 2032, "admin", db=areas_db)  # a CE year by mistake
    with pytest.raises(InputRejected, match="number"):
        set_target("happiness", float("nan"), 2575, "admin", db=areas_db)
    with pytest.raises(InputRejected, match="recorded"):
        set_target("happiness", 8, 2575, " ", db=areas_db)
    assert list_targets(areas_db).empty


def test_demo_table(demo_db_session):
    table = progress_table(demo_db_session)
    assert set(table.status) <= set(STATUSES)
    assert {"achieved", "on_track", "moderately_improving", "stagnating", "worsening"} <= set(table.status)
    assert not table.duplicated(["area_code", "indicator_id"]).any()
    # every status can be checked by hand from the row's own inputs
    checked = classify(table.latest.to_numpy(dtype=float), table.target.to_numpy(dtype=float),
                       table.direction.to_numpy(), table.observed_slope.to_numpy(dtype=float),
                       table.required_slope.to_numpy(dtype=float), table.n_years.to_numpy())
    assert (checked == table.status.to_numpy()).all()


# ------------------------------------------------------------------------------------------------ the methods page


def test_methods_doc_matches_the_code():
    from pathlib import Path

    from indicators.engine.progress import worked_example
    from indicators.present.worked_example import status_table_markdown, worked_example_markdown
    from indicators.registry import STATUSES
    from indicators.words import t

    doc = (Path(__file__).resolve().parents[1] / "docs" / "METHODS.md").read_text(encoding="utf-8")
    assert worked_example_markdown() in doc, (
        "docs/METHODS.md is out of date: run python -m indicators.present.methods_doc")
    # the example by hand: 14.2 13.1 12.4 12.0 10.3 % in 2022–2026; x −2..2;
    # Σx·y = −28.4 − 13.1 + 0 + 12.0 + 20.6 = −8.9; Σx² = 10 → slope −0.89 a year
    # required (0 − 10.3) / (2027 − 2026) = −10.3; ratio = 0.89 / 10.3 = 0.0864 → stagnating
    # progress (10.3 − 12) / (0 − 12) = 14.17 %; projected 10.3 / 0.89 = 11.57 years → 2038 (2581 BE)
    r = worked_example()
    assert r["observed_slope"] == pytest.approx(-0.89)
    assert r["required_slope"] == pytest.approx(-10.3)
    assert r["ratio"] == pytest.approx(0.89 / 10.3)
    assert r["progress_pct"] == pytest.approx(1.7 / 12 * 100)
    assert (r["status"], r["projected_year"]) == ("stagnating", 2038)
    assert status_table_markdown() in doc
    for status in STATUSES:  # the dashboard's words: one status vocabulary
        assert (f"| `{status}` | {t(f'status.{status}', 'th')} | {t(f'status.{status}', 'en')} | "
                f"{t(f'methods.rule.{status}', 'th')} |") in doc
