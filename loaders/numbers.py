"""Strict number parsing for council files (DESIGN §6).

Python's ``float()`` and ``int()`` accept ``1_000``, ``nan``, ``inf`` and any Unicode digit by accident; these rules
accept on purpose: Thai digits (๐–๙), thousands separators only where they group three digits, a trailing ``%``,
surrounding spaces, a leading sign, a decimal point and an exponent (Excel writes large numbers as ``1.5E+11``) as
long as the result is finite.  Everything else is not a number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# spaces that spreadsheets leave around numbers: NBSP, thin and narrow spaces, zero-width space, BOM
_SPACES = " \t\r\n\u00a0\u2007\u2009\u202f\u200b\ufeff"
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)"
    r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?"
    r"(?P<frac>\.[0-9]+)?"
    r"(?P<exp>[eE][+-]?[0-9]{1,3})?"
    r"\s*(?P<pct>%)?"
)


class NotANumber(ValueError):
    """The text is not a number under the project's rules."""


@dataclass(frozen=True)
class Parsed:
    value: float
    percent: bool = False


def parse_number(raw: object) -> Parsed | None:
    """Parse one cell: None for blank, :class:`Parsed` for a number; raise :class:`NotANumber` otherwise.

    Cells read from Excel may already be numbers: finite ints and floats pass, booleans do not.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NotANumber(str(raw))
    if isinstance(raw, int):
        try:
            return Parsed(float(raw))
        except OverflowError:  # an integer cell of hundreds of digits
            raise NotANumber(str(raw)) from None
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            raise NotANumber(str(raw))
        return Parsed(raw)
    if not isinstance(raw, str):
        raise NotANumber(str(raw))
    if raw.isascii() and raw.isdigit():  # the common case, fast: plain digits
        value = float(raw)
        if value == math.inf:  # hundreds of digits
            raise NotANumber(raw)
        return Parsed(value)
    text = raw.strip(_SPACES)
    if not text:
        return None
    text = text.translate(THAI_DIGITS)
    m = _NUMBER.fullmatch(text)
    if not m or not (m.group("int") or m.group("frac")):
        raise NotANumber(raw)
    number = m.group("sign") + (m.group("int") or "0").replace(",", "") + (m.group("frac") or "")
    number += m.group("exp") or ""
    try:
        value = float(number)
    except ValueError:  # pragma: no cover - the pattern admits only what float() reads
        raise NotANumber(raw) from None
    if not math.isfinite(value):
        raise NotANumber(raw)
    if value == 0:
        value = 0.0  # no negative zero
    return Parsed(value, percent=bool(m.group("pct")))


def parse_year(raw: object) -> int | None:
    """A whole year as written (CE or BE, Thai digits allowed); None for blank; NotANumber otherwise."""
    parsed = parse_number(raw)
    if parsed is None:
        return None
    if parsed.percent or not float(parsed.value).is_integer() or abs(parsed.value) > 1e6:
        raise NotANumber(str(raw))
    return int(parsed.value)


def fmt_number(value: float) -> str:
    """A number as people write it: thousands separators, at most two decimals, no trailing zeros
    (1,000,000; 13,834,594.19; 0.5)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
