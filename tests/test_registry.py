"""The registry: the shipped catalogue validates, and a mistake fails loudly with the file and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from indicators.registry import CATALOGUE, DOMAINS, RegistryError, build_registry, load_index_spec, load_registry

MEASURES = CATALOGUE / "measures.yaml"
INDICATORS = CATALOGUE / "indicators.yaml"

# DESIGN §4: the canonical measure ids used in files, templates and observations.measure_id
CANONICAL = {
    "households", "poor_households", "population", "poor_people", "poor_health", "poor_living", "poor_education",
    "poor_income", "poor_access", "household_income_total", "homes_needing_repair", "homes_repaired",
    "visitors_thai", "visitors_foreign", "room_nights_available", "room_nights_sold", "tourism_revenue",
    "land_area_rai", "forest_area_rai", "community_managed_rai", "water_quality_index", "happiness_score",
    "member_households", "youth_in", "youth_out", "fund_member_households",
}
# issue 10: what the ministry publishes and councils do not report
AGENCY_ONLY = {"tourism_revenue_thai", "tourism_revenue_foreign", "guests_staying", "occupancy_rate"}


def test_catalogue_validates():
    reg = load_registry()
    assert set(reg.measures) == CANONICAL | AGENCY_ONLY
    assert set(reg.council_measures) == CANONICAL
    assert len(reg.indicators) == 18
    for ind in reg.indicators.values():
        assert ind.direction in ("higher", "lower")
        assert ind.name.th and ind.name.en and ind.definition.th and ind.definition.en and ind.unit.en
        assert ind.bounds.lower < ind.bounds.upper and len(ind.bounds.why.th) > 5 and len(ind.bounds.why.en) > 5
        assert ind.target_year > ind.baseline_year
        assert set(ind.formula.measures()) <= set(reg.measures)
    for m in reg.measures.values():
        assert m.source.th and m.source.en and m.definition.en
    for domain in DOMAINS:
        assert any(i.in_index and i.domain == domain for i in reg.indicators.values())
    load_index_spec()


def test_catalogue_targets_from_the_design():
    reg = load_registry()
    assert reg.indicator("poor_household_share").target.value == 0
    assert reg.indicator("poor_household_share").target_year_be == 2570
    assert reg.indicator("housing_repaired").target.value == 100
    assert reg.indicator("hotel_occupancy").target.value == 75
    assert reg.indicator("happiness").target.value == 8
    assert reg.indicator("water_quality").target.value == 71
    assert reg.indicator("youth_return").formula.numerator == ["youth_in", "-youth_out"]
    assert reg.indicator("happiness").formula.text() == "Σ(happiness_score × weight) / Σ weight"


def _write(tmp_path: Path, indicators: list[dict], measures: list[dict] | None = None) -> tuple[Path, Path]:
    m = tmp_path / "measures.yaml"
    i = tmp_path / "indicators.yaml"
    m.write_text(yaml.safe_dump(measures if measures is not None else yaml.safe_load(MEASURES.read_text()),
                                allow_unicode=True), encoding="utf-8")
    i.write_text(yaml.safe_dump(indicators, allow_unicode=True), encoding="utf-8")
    return m, i


def _indicators() -> list[dict]:
    return yaml.safe_load(INDICATORS.read_text(encoding="utf-8"))


def _entry(entries: list[dict], ident: str) -> dict:
    return next(e for e in entries if e["id"] == ident)


def test_unknown_measure_in_formula(tmp_path):
    entries = _indicators()
    _entry(entries, "hotel_occupancy")["formula"]["numerator"] = ["room_nights_solt"]
    m, i = _write(tmp_path, entries)
    with pytest.raises(RegistryError) as err:
        build_registry(m, i)
    msg = str(err.value)
    assert str(i) in msg and "hotel_occupancy" in msg and "formula" in msg and "room_nights_solt" in msg


def test_missing_direction(tmp_path):
    entries = _indicators()
    del _entry(entries, "happiness")["direction"]
    m, i = _write(tmp_path, entries)
    with pytest.raises(RegistryError, match=re.escape(str(i)) + r".*happiness.*direction"):
        build_registry(m, i)


def test_bounds_reversed(tmp_path):
    entries = _indicators()
    why = {"th": "กลับด้านโดยตั้งใจ", "en": "reversed on purpose"}
    _entry(entries, "forest_cover")["bounds"] = {"lower": 40, "upper": 0, "why": why}
    m, i = _write(tmp_path, entries)
    with pytest.raises(RegistryError, match=re.escape(str(i)) + r".*forest_cover.*bounds"):
        build_registry(m, i)


def test_other_mistakes(tmp_path):
    entries = _indicators()
    _entry(entries, "participation")["direction"] = "up"
    m, i = _write(tmp_path, entries)
    with pytest.raises(RegistryError, match=r"participation.*direction"):
        build_registry(m, i)

    entries = _indicators()
    entries.append(dict(_entry(entries, "happiness")))
    m, i = _write(tmp_path, entries)
    with pytest.raises(RegistryError, match=r"happiness.*duplicate"):
        build_registry(m, i)

    measures = yaml.safe_load(MEASURES.read_text(encoding="utf-8"))
    _entry(measures, "happiness_score")["weight"] = "people"
    m, i = _write(tmp_path, _indicators(), measures)
    with pytest.raises(RegistryError, match=re.escape(str(m)) + r".*happiness_score.*weight"):
        build_registry(m, i)

    i.write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="not valid YAML"):
        build_registry(MEASURES, i)
