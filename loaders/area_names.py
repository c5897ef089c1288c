"""Area names and codes as councils write them → DOPA subdistrict codes (DESIGN §2).

Codes may carry the ``TH`` prefix and Thai digits.  Names are matched after stripping prefixes (ตำบล, ต., อำเภอ, อ.,
จังหวัด, จ., Tambon, Amphoe), spaces, dots, hyphens and case.  A name shared by two subdistricts (ดอนทราย is 930510
and 930607) is ambiguous unless a district column settles it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from loaders.numbers import THAI_DIGITS

_PREFIXES = re.compile(
    r"^(?:ตำบล|ต\.|อำเภอ|อ\.|จังหวัด|จ\.|แขวง|เขต|tambon|tambol|amphoe|amphur|amphoe\.|changwat|"
    r"subdistrict|district|province)\s*",
    re.IGNORECASE,
)
_CODE = re.compile(r"(?:th)?([0-9]{2}|[0-9]{4}|[0-9]{6})", re.IGNORECASE)
_DROP = re.compile(r"[\s.\-'’_]+")
# Invisible format characters (zero-width space and joiners, soft hyphen, word joiner, BOM, bidi marks and
# overrides): text pasted from the web carries them; a name that looks right must match, and one cannot hide in it.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def normalise_name(text: str) -> str:
    """The key a name is matched on: NFC, Thai digits as ASCII, prefixes, spaces, dots, hyphens and case removed."""
    t = INVISIBLE.sub("", unicodedata.normalize("NFC", text)).translate(THAI_DIGITS).strip()
    for _ in range(3):  # "อ.เมือง จ.พัทลุง" style prefixes may repeat
        stripped = _PREFIXES.sub("", t).strip()
        if stripped == t:
            break
        t = stripped
    return _DROP.sub("", t).casefold()


def as_code(text: str) -> str | None:
    """``"TH930307"``, ``"930307"`` or ``"๙๓๐๓๐๗"`` → ``"930307"``; None when the text is not a code."""
    t = unicodedata.normalize("NFC", text).translate(THAI_DIGITS).strip()
    if t.endswith(".0"):  # a code typed into a numeric Excel cell
        t = t[:-2]
    t = _DROP.sub("", t)
    m = _CODE.fullmatch(t)
    return m.group(1) if m else None


@dataclass(frozen=True)
class Match:
    """The outcome of resolving one area cell: a code, or a problem code with details."""

    code: str | None
    problem: str | None = None  # "unknown-area" | "ambiguous-area"
    why_th: str = ""
    why_en: str = ""
    candidates: tuple[str, ...] = ()


class AreaIndex:
    """Resolves area cells to subdistrict codes; build once per upload from the store's ``areas``."""

    def __init__(self, areas: pd.DataFrame) -> None:
        self.areas = {r.code: r for r in areas.itertuples(index=False)}
        self.parent = {r.code: r.parent_code for r in areas.itertuples(index=False)}
        self.subdistricts = {c for c, r in self.areas.items() if r.level == "subdistrict"}
        self.districts = {c for c, r in self.areas.items() if r.level == "district"}
        self.by_name: dict[str, set[str]] = {}
        self.district_by_name: dict[str, set[str]] = {}
        for code, r in self.areas.items():
            target = self.by_name if r.level == "subdistrict" else self.district_by_name if r.level == "district" \
                else None
            if target is None:
                continue
            for name in (r.name_th, r.name_en):
                if isinstance(name, str) and name:
                    target.setdefault(normalise_name(name), set()).add(code)
            if r.level == "district" and normalise_name(r.name_th).startswith("เมือง"):
                for short in ("เมือง", "mueang"):  # councils write อ.เมือง for the capital district
                    target.setdefault(short, set()).add(code)
        self._cache: dict[tuple[str, str | None], Match] = {}

    def label(self, code: str) -> str:
        r = self.areas.get(code)
        if r is None:
            return code
        parent = self.areas.get(r.parent_code) if r.level == "subdistrict" else None
        return f"{code} {r.name_th}" + (f" อ.{parent.name_th}" if parent is not None else "")

    def district(self, text: str) -> set[str]:
        """District codes a district cell may mean (empty when unknown)."""
        code = as_code(text)
        if code is not None:
            if code in self.districts:
                return {code}
            if code in self.subdistricts:
                return {self.parent[code]}
            return set()
        return set(self.district_by_name.get(normalise_name(text), set()))

    def resolve(self, text: str, district: str | None = None) -> Match:
        key = (text, district)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._resolve(text, district)
        return hit

    def _resolve(self, text: str, district: str | None) -> Match:
        districts = self.district(district) if district else None
        if district and not districts:
            return Match(None, "unknown-area", f" (ไม่รู้จักอำเภอ '{district}')", f" (unknown district '{district}')")
        code = as_code(text)
        if code is not None:
            if code in self.subdistricts:
                if districts and self.parent[code] not in districts:
                    return Match(None, "unknown-area", f" (ตำบล {self.label(code)} ไม่อยู่ในอำเภอ '{district}')",
                                 f" (subdistrict {code} is not in district '{district}')")
                return Match(code)
            if code in self.districts:
                return Match(None, "unknown-area", " (เป็นรหัสอำเภอ: ให้กรอกข้อมูลรายตำบล)",
                             " (a district code: give figures by subdistrict)")
            return Match(None, "unknown-area", " (ไม่มีรหัสนี้)", " (no such code)")
        candidates = self.by_name.get(normalise_name(text), set())
        if not candidates:
            return Match(None, "unknown-area")
        if districts:
            settled = {c for c in candidates if self.parent[c] in districts}
            if not settled:
                return Match(None, "unknown-area", f" (ไม่มีตำบลนี้ในอำเภอ '{district}')",
                             f" (no such subdistrict in district '{district}')")
            candidates = settled
        if len(candidates) > 1:
            return Match(None, "ambiguous-area", candidates=tuple(sorted(candidates)))
        return Match(next(iter(candidates)))


def in_scope(code: str, scope: set[str] | None) -> bool:
    """True when ``code`` lies within a ``scope`` code (DOPA codes nest: a district grants its subdistricts)."""
    if scope is None:
        return True
    # Only entries that are codes grant anything: an empty or malformed entry ("", "9", "x") must not match every
    # code by prefix.
    return any(code.startswith(c) for c in map(as_code, scope) if c)
