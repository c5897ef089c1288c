"""The rule of the implausible-change warning (loaders.plausibility), by hand: counts by ratio with a floor, scores
and rates by a share of their range, nothing without a reference."""

from __future__ import annotations

import pytest

from loaders.plausibility import MAX_RATIO, MAX_SHARE_OF_RANGE, MIN_COUNT_CHANGE, change_text, implausible
from loaders.problems import WARNING_CODES, Problems, problem, severity

POP = ("count", (0.0, 10_000_000.0))
HAPPY = ("score", (0.0, 10.0))


def test_the_declared_thresholds():
    assert (MAX_RATIO, MIN_COUNT_CHANGE, MAX_SHARE_OF_RANGE) == (2.0, 10.0, 0.25)


@pytest.mark.parametrize(("kind_range", "old", "new", "expected"), [
    (POP, 18_003, 8_912, True),  # 8,912 / 18,003 = 0.495 < 0.5: the dropped digit
    (POP, 18_003, 18_100, False),  # +0.5 %
    (POP, 18_003, 9_002, False),  # 0.50003: just inside
    (POP, 18_003, 36_007, True),  # 2.00006: just outside
    (POP, 18_003, 36_006, False),  # exactly 2: inside
    (POP, 3, 7, False),  # ×2.3, but a count moving by 4 (< 10) is ordinary
    (POP, 3, 30, True),  # ×10 and by 27
    (POP, 0, 500, False),  # no ratio from 0
    (POP, None, 8_912, False),  # nothing stored: no reference
    (("amount", (0.0, 1e6)), 4.0, 1.0, True),  # amounts have no floor: 4 → 1 million baht is ×0.25
    (HAPPY, 7.0, 4.4, True),  # moves 2.6 > 2.5 (a quarter of 0–10)
    (HAPPY, 7.0, 4.6, False),  # moves 2.4
    (("rate", (0.0, 100.0)), 60.0, 90.0, True),  # 30 points > 25
    (("rate", (0.0, 100.0)), 60.0, 80.0, False),
])
def test_implausible(kind_range, old, new, expected):
    kind, valid_range = kind_range
    assert implausible(kind, valid_range, old, new) is expected


def test_change_text():
    assert change_text(18_003, 8_912) == "−50 %"
    assert change_text(100, 250) == "+150 %"
    assert change_text(18_003, 18_100) == "+1 %"
    assert change_text(0, 3.5) == "+3.5"


def test_severity_lives_with_the_code():
    assert sorted(WARNING_CODES) == ["implausible-change"]
    assert severity("implausible-change") == "warning" and severity("type-error") == "error"
    p = problem("type-error", row=2, value="x", what_th="ตัวเลข", what_en="a number")
    assert p.severity == "error" and "severity" not in p.to_dict(), "an error's shape is as before"
    with pytest.raises(ValueError, match="warning"):
        Problems().add(problem("implausible-change", row=2, measure_th="", measure_en="", area_th="", area_en="",
                               year=2569, old="1", new="9", change="", ref_th="", ref_en=""))
