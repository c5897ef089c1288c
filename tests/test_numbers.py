"""Strict number rules (DESIGN §6): what councils write is accepted on purpose, accidents of float() are not."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.numbers import THAI_DIGITS, NotANumber, Parsed, parse_number, parse_year


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("0", 0.0, False),
        ("1234", 1234.0, False),
        ("1,234", 1234.0, False),
        ("1,234,567.89", 1234567.89, False),
        ("๑,๒๓๔", 1234.0, False),
        ("๒๕.๕", 25.5, False),
        ("  42  ", 42.0, False),
        ("\u00a042\u00a0", 42.0, False),
        ("12.5%", 12.5, True),
        ("12.5 %", 12.5, True),
        ("๕๐%", 50.0, True),
        ("-5", -5.0, False),
        ("+5", 5.0, False),
        (".5", 0.5, False),
        ("1.5E+06", 1_500_000.0, False),
        ("1e3", 1000.0, False),
        ("-0", 0.0, False),
    ],
)
def test_accepted(text, value, percent):
    assert parse_number(text) == Parsed(value, percent)


@pytest.mark.parametrize(
    "text",
    ["nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-1e309", "1_000", "1,23", "12,34,567", "1234,567", "1,234.",
     "1.2.3", "abc", "=1+1", "@SUM(A1)", "=HYPERLINK(\"x\")", "١٢٣", "１２", "1 000", "(5)", ".", "-", "%", "0x10",
     "12,5", "5-", "1e", "๑,๒๓", "2568 พ.ศ.", "--5"],
)
def test_rejected(text):
    with pytest.raises(NotANumber):
        parse_number(text)


@pytest.mark.parametrize("raw", [None, "", "   ", "\u00a0", "\t"])
def test_blank_is_missing_not_zero(raw):
    assert parse_number(raw) is None


def test_excel_cells():
    assert parse_number(5) == Parsed(5.0)
    assert parse_number(2.5) == Parsed(2.5)
    for bad in (True, False, float("nan"), float("inf"), object()):
        with pytest.raises(NotANumber):
            parse_number(bad)


def test_no_negative_zero():
    assert math.copysign(1, parse_number("-0").value) == 1


def test_years():
    assert parse_year("2568") == 2568
    assert parse_year("๒๕๖๘") == 2568
    assert parse_year(2568.0) == 2568
    assert parse_year(" ") is None
    for bad in ("2568.5", "2568%", "ปี 2568", "1e9"):
        with pytest.raises(NotANumber):
            parse_year(bad)


@settings(max_examples=100)
@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_and_thai_round_trip(n):
    assert parse_number(f"{n:,}").value == n
    thai = str(n).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert parse_number(thai).value == n
    assert thai.translate(THAI_DIGITS) == str(n)


@settings(max_examples=100)
@given(st.text(max_size=20))
def test_never_crashes_and_finite(text):
    try:
        parsed = parse_number(text)
    except NotANumber:
        return
    assert parsed is None or math.isfinite(parsed.value)
