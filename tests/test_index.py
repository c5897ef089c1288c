"""The Happiness Metropolis Index: normalisation, coverage, blank domains, weights, sensitivity, equity."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.engine.index import COLUMNS, EQUITY_COLUMNS, SENSITIVITY_COLUMNS
from indicators.engine.tables import equity_table, index_table, sensitivity_table
from indicators.registry import RegistryError, build_index_spec, load_index_spec, load_registry
from tests._store import put

A, B, E = "930101", "930103", "930201"  # A and B in district 9301, E in 9302



def score(table: pd.DataFrame, area: str, domain: str, year: int = 2025) -> pd.Series:
    rows = table[(table.area_code == area) & (table.domain == domain) & (table.year == year)]
    assert len(rows) == 1
    return rows.iloc[0]


# Subdistrict A in 2025:
#   poverty   poor households 100 / 1000 = 10 %, bounds 0–20, lower is better → 100 × (20 − 10) / 20 = 50
#             housing repaired 75 / 100 = 75 %, bounds 0–100                  → 75
#             2 of 4 indicators (not under half)                              → (50 + 75) / 2 = 62.5
#   tourism   occupancy 435 / 1000 = 43.5 %, bounds 12–75 → 100 × 31.5 / 63 = 50; 1 of 2 → 50
#   resources water quality 51, bounds 31–71 → 50; but 1 of 3 is under half → blank
#   well-being happiness 9, bounds 4–8 → 125, clipped to 100; participation 400 / 1000 = 40 %, bounds 0–80 → 50;
#             2 of 4 → 75
#   index     3 of 4 domains → (62.5 + 50 + 75) / 3 = 62.5
A_ROWS = [
    (A, "households", 2025, 1000), (A, "poor_households", 2025, 100),
    (A, "homes_needing_repair", 2025, 100), (A, "homes_repaired", 2025, 75),
    (A, "room_nights_available", 2025, 1000), (A, "room_nights_sold", 2025, 435),
    (A, "land_area_rai", 2025, 1000), (A, "water_quality_index", 2025, 51),
    (A, "population", 2025, 1000), (A, "happiness_score", 2025, 9),
    (A, "member_households", 2025, 400),
]


def test_scores_coverage_and_blank_domain(areas_db):
    put(areas_db, A_ROWS)
    table = index_table(areas_db, level="subdistrict")
    assert list(table.columns) == COLUMNS
    assert list(table[table.area_code == A].domain) == ["poverty", "tourism", "resources", "well-being", "hmi"]
    poverty = score(table, A, "poverty")
    assert poverty.score == pytest.approx(62.5) and (poverty.n_available, poverty.n_indicators) == (2, 4)
    tourism = score(table, A, "tourism")
    assert tourism.score == pytest.approx(50.0) and (tourism.n_available, tourism.n_indicators) == (1, 2)
    resources = score(table, A, "resources")
    assert math.isnan(resources.score) and (resources.n_available, resources.n_indicators) == (1, 3)
    wellbeing = score(table, A, "well-being")
    assert wellbeing.score == pytest.approx(75.0) and wellbeing.n_available == 2
    hmi = score(table, A, "hmi")
    assert hmi.score == pytest.approx(62.5) and (hmi.n_available, hmi.n_indicators) == (3, 4)


def test_geometric_and_weights(areas_db):
    put(areas_db, A_ROWS)
    geo = index_table(areas_db, level="subdistrict", method="geometric")
    # poverty √(50 × 75) = 61.237; tourism 50; well-being √(100 × 50) = 70.711
    # index ∛(61.237 × 50 × 70.711) = 60.047
    assert score(geo, A, "poverty").score == pytest.approx(math.sqrt(50 * 75))
    assert score(geo, A, "well-being").score == pytest.approx(math.sqrt(100 * 50))
    assert score(geo, A, "hmi").score == pytest.approx(60.046847758800126)
    # tourism counts twice: (62.5 + 2 × 50 + 75) / 4 = 59.375 (the blank domain's weight drops out)
    weighted = index_table(areas_db, level="subdistrict", weights={"tourism": 2})
    assert score(weighted, A, "hmi").score == pytest.approx(59.375)
    with pytest.raises(ValueError, match="unknown domain"):
        index_table(areas_db, weights={"culture": 1})
    with pytest.raises(ValueError, match="method"):
        index_table(areas_db, method="harmonic")


def test_index_is_blank_with_under_half_of_the_domains(areas_db):
    # B: poverty share 10 % → 50 and housing 75 % → 75: poverty = 62.5 (2 of 4); nothing else → the index is blank
    # (1 of 4 domains). C (930104) has the poverty share only: 1 of 4 poverty indicators → poverty itself is blank.
    put(areas_db, [
        (B, "households", 2025, 1000), (B, "poor_households", 2025, 100),
        (B, "homes_needing_repair", 2025, 100), (B, "homes_repaired", 2025, 75),
        ("930104", "households", 2025, 1000), ("930104", "poor_households", 2025, 100),
    ])
    table = index_table(areas_db, level="subdistrict", year=2025)
    assert score(table, B, "poverty").score == pytest.approx(62.5)
    hmi = score(table, B, "hmi")
    assert math.isnan(hmi.score) and (hmi.n_available, hmi.n_indicators) == (1, 4)
    poverty_c = score(table, "930104", "poverty")
    assert math.isnan(poverty_c.score) and (poverty_c.n_available, poverty_c.n_indicators) == (1, 4)
    assert score(table, "930104", "tourism").n_available == 0
    assert score(table, "930104", "hmi").n_available == 0


# District 9301 (only A) and district 9302 (only E) in 2025:
#   9301: poor 0 / 1000 = 0 % → 100; housing 100 / 100 → 100; poverty 100.  occupancy 100 / 1000 = 10 % → below 12,
#         clipped to 0: tourism 0.  Index (2 of 4 domains: half, so shown) arithmetic (100 + 0) / 2 = 50,
#         geometric √(100 × 1) = 10 (a score under the floor of 1 point counts as 1).
#   9302: poor 110 / 1000 = 11 % → 100 × 9 / 20 = 45; housing 45 / 100 → 45; poverty 45.
#         occupancy 4035 / 10000 = 40.35 % → 100 × 28.35 / 63 = 45; tourism 45.  Index 45 either way.
#   Ranks: arithmetic 9301 first (50 > 45); geometric 9302 first (45 > 10).
SENS_ROWS = [
    (A, "households", 2025, 1000), (A, "poor_households", 2025, 0),
    (A, "homes_needing_repair", 2025, 100), (A, "homes_repaired", 2025, 100),
    (A, "room_nights_available", 2025, 1000), (A, "room_nights_sold", 2025, 100),
    (E, "households", 2025, 1000), (E, "poor_households", 2025, 110),
    (E, "homes_needing_repair", 2025, 100), (E, "homes_repaired", 2025, 45),
    (E, "room_nights_available", 2025, 10000), (E, "room_nights_sold", 2025, 4035),
]


def test_sensitivity_arithmetic_vs_geometric(tree_db):
    db = tree_db(A, E)  # each district holds one subdistrict here, so its values are complete
    put(db, SENS_ROWS)
    sens = sensitivity_table(db, level="district")
    assert list(sens.columns) == SENSITIVITY_COLUMNS
    by = sens.set_index("area_code")
    assert by.loc["9301", "score_arithmetic"] == pytest.approx(50.0)
    assert by.loc["9301", "score_geometric"] == pytest.approx(10.0)
    assert by.loc["9302", "score_arithmetic"] == pytest.approx(45.0)
    assert by.loc["9302", "score_geometric"] == pytest.approx(45.0)
    assert (by.loc["9301", "rank_arithmetic"], by.loc["9301", "rank_geometric"]) == (1, 2)
    assert (by.loc["9302", "rank_arithmetic"], by.loc["9302", "rank_geometric"]) == (2, 1)
    assert (by.loc["9301", "rank_shift"], by.loc["9302", "rank_shift"]) == (1, -1)
    assert set(sens.year) == {2025}
    # districts without an index score get no rank
    assert len(sens) == 2


def test_equity_best_and_worst_district(tree_db):
    db = tree_db(A, E)
    put(db, SENS_ROWS)
    eq = equity_table(db).set_index("indicator_id")
    assert list(eq.reset_index().columns) == EQUITY_COLUMNS
    # housing repaired (higher is better): best 9301 100 %, worst 9302 45 %, gap 55
    h = eq.loc["housing_repaired"]
    assert (h.best_area, h.best_value, h.worst_area, h.worst_value, h.gap) == ("9301", 100, "9302", 45, 55)
    assert h.province_value == pytest.approx(72.5)  # (100 + 45) / (100 + 100)
    assert h.n_districts == 2
    # poverty share (lower is better): best 9301 at 0 %, worst 9302 at 11 %
    p = eq.loc["poor_household_share"]
    assert (p.best_area, p.best_value, p.worst_area, p.worst_value) == ("9301", 0, "9302", 11)
    assert p.gap == pytest.approx(11)
    o = eq.loc["hotel_occupancy"]
    assert (o.best_area, o.worst_area) == ("9302", "9301") and o.gap == pytest.approx(30.35)
    assert "visitors_total" not in eq.index  # totals are not compared between districts of different size


def test_demo_index(demo_db_session):
    table = index_table(demo_db_session, level="district", year=2025)
    hmi = table[table.domain == "hmi"]
    assert len(hmi) == 11 and hmi.score.between(0, 100).all()
    assert (table.n_available <= table.n_indicators).all()
    assert table.score.dropna().between(0, 100).all()
    # the index is the mean of its domains (equal weights; all present for districts in 2025)
    wide = table.pivot(index="area_code", columns="domain", values="score")
    domain_mean = wide[["poverty", "tourism", "resources", "well-being"]].mean(axis=1)
    assert (wide["hmi"] - domain_mean).abs().max() < 1e-9
    sens = sensitivity_table(demo_db_session)
    assert sorted(sens.rank_arithmetic) == list(range(1, 12))
    assert (sens.score_geometric <= sens.score_arithmetic + 1e-9).all()  # AM–GM
    eq = equity_table(demo_db_session)
    assert (eq.gap >= 0).all() and (eq.n_districts == 11).all()


def test_index_spec(tmp_path):
    spec = load_index_spec()
    assert (spec.target, spec.target_year_be, spec.target_year) == (80, 2575, 2032)
    assert set(spec.weights) == {"poverty", "tourism", "resources", "well-being"}
    bad = tmp_path / "index.yaml"
    bad.write_text(
        "name: {th: x, en: x}\ndefinition: {th: x, en: x}\nweights: {poverty: 1, tourism: 1}\n"
        "baseline_year_be: 2568\ntarget: 80\ntarget_year_be: 2575\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"index\.yaml.*weights"):
        build_index_spec(bad, load_registry())
