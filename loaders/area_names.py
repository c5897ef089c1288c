"""Area names and codes as people write them → DOPA codes at their level (DESIGN §2).

Codes of any level are accepted (``93``, ``9303``, ``930307``), with or without ``TH``, in Thai digits too.  A name
carries its level when it has one: ``ต.``/``ตำบล``/"Tambon"/"… Subdistrict" a subdistrict, ``อ.``/``อำเภอ``/"Amphoe"/
"… District" a district, ``จ.``/``จังหวัด``/"Changwat"/"… Province" a province; qualifiers after the name narrow it
(``ต.ดอนทราย อ.ควนขนุน``).  Otherwise the level comes from the file (its area column's header, a ``level`` column, or
a level chosen by the uploader).  A bare name that fits areas at two levels is ``ambiguous-level``; a name shared by
two areas of one level (ดอนทราย is 930510 and 930607) is ``ambiguous-area`` unless a district settles it.  Never guess.

Names are compared after removing the prefixes, spaces, dots, hyphens, invisible characters and case.  Known spelling
variants and romanisations are declared once in ``area_aliases.csv``; an unknown name gets "did you mean"
suggestions among the areas of its district (or the store).
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from loaders.numbers import THAI_DIGITS

LEVELS = ("province", "district", "subdistrict")
ALIASES_FILE = Path(__file__).with_name("area_aliases.csv")
SUGGESTIONS = 3  # names offered for an unknown name
SUGGESTED_NAMES = 200  # distinct unknown names that get suggestions per file (a hostile file has a million)

# prefix → level; Thai abbreviations may touch the name (อ.กงหรา), words need a space or end (Tambon X)
_PREFIX_LEVEL = {
    "ตำบล": "subdistrict", "ต.": "subdistrict", "แขวง": "subdistrict", "tambon": "subdistrict",
    "tambol": "subdistrict", "subdistrict": "subdistrict",
    "อำเภอ": "district", "กิ่งอำเภอ": "district", "อ.": "district", "เขต": "district", "amphoe": "district",
    "amphur": "district", "amphoe.": "district", "district": "district", "king amphoe": "district",
    "จังหวัด": "province", "จ.": "province", "changwat": "province", "province": "province",
}
_PREFIX = re.compile(
    r"(?:(?<=\s)|^)(กิ่งอำเภอ|ตำบล|อำเภอ|จังหวัด|แขวง|เขต|ต\.|อ\.|จ\.|"
    r"(?:king\s+amphoe|tambon|tambol|amphoe\.?|amphur|changwat)(?=[\s.]|$)|"
    r"^(?:subdistrict|district|province)(?=\s+\S))\s*",
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"\s+(subdistrict|district|province|sub-district)\s*$", re.IGNORECASE)
_CODE = re.compile(r"(?:th)?([0-9]{2}|[0-9]{4}|[0-9]{6})", re.IGNORECASE)
_DROP = re.compile(r"[\s.\-'’_]+")
# Invisible format characters (zero-width space and joiners, soft hyphen, word joiner, BOM, bidi marks and
# overrides): text pasted from the web carries them; a name that looks right must match, and one cannot hide in it.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_LEVEL_WORDS = {
    "subdistrict": "subdistrict", "ตำบล": "subdistrict", "ต": "subdistrict", "tambon": "subdistrict",
    "แขวง": "subdistrict", "sub-district": "subdistrict",
    "district": "district", "อำเภอ": "district", "อ": "district", "amphoe": "district", "เขต": "district",
    "province": "province", "จังหวัด": "province", "จ": "province", "changwat": "province",
}
PREFIX_TH = {"province": "จ.", "district": "อ.", "subdistrict": "ต."}
LEVEL_TH = {"province": "จังหวัด", "district": "อำเภอ", "subdistrict": "ตำบล"}


def _clean(text: str) -> str:
    return INVISIBLE.sub("", unicodedata.normalize("NFC", text)).translate(THAI_DIGITS).strip()


def _key(name: str) -> str:
    return _DROP.sub("", name).casefold()


def level_word(text: str | None) -> str | None:
    """``"อำเภอ"``, ``"district"``, ``"Amphoe"``, ``"อ."`` … → ``"district"``; None when the text names no level."""
    if text is None:
        return None
    return _LEVEL_WORDS.get(_DROP.sub("", _clean(str(text))).casefold())


@dataclass(frozen=True)
class Parsed:
    """A name cell split into the area's own name (and the level its prefix gave) and qualifiers by level."""

    key: str
    level: str | None
    qualifiers: tuple[tuple[str, str], ...] = ()  # (level, key) of the areas named after it


def parse_name(text: str) -> Parsed:
    """``"ต.ดอนทราย อ.ควนขนุน"`` → key ``ดอนทราย``, level subdistrict, qualifier (district, ควนขนุน)."""
    parts: list[tuple[str | None, str]] = []
    for piece in re.split(r"[,;]", _clean(text)):  # "Khok Muang Subdistrict, Khao Chaison District"
        piece = piece.strip()
        pos, level = 0, None
        for m in _PREFIX.finditer(piece):
            if m.start() < pos:
                continue
            if m.start() > pos:
                parts.append((level, piece[pos:m.start()]))
            level, pos = _PREFIX_LEVEL[re.sub(r"\s+", " ", m.group(1).casefold())], m.end()
        parts.append((level, piece[pos:]))
    parts = [(lv, s.strip(" ()")) for lv, s in parts]
    parts = [p for p in parts if _key(p[1])] or [(None, "")]
    out: list[tuple[str | None, str]] = []
    for lv, s in parts:  # "Khok Muang Subdistrict", "Khao Chaison District"
        m = _SUFFIX.search(s)
        if m and lv is None:
            lv, s = _PREFIX_LEVEL[m.group(1).casefold().replace("sub-", "sub")], s[:m.start()]
        out.append((lv, s))
    first_level, first = out[0]
    quals = tuple((lv, _key(s)) for lv, s in out[1:] if lv is not None and _key(s))
    return Parsed(_key(first), first_level, quals)


def normalise_name(text: str) -> str:
    """The key a name is matched on: NFC, Thai digits as ASCII, prefixes, spaces, dots, hyphens and case removed."""
    return parse_name(text).key


def as_code(text: str) -> str | None:
    """``"TH930307"``, ``"930307"`` or ``"๙๓๐๓๐๗"`` → ``"930307"``; None when the text is not a code."""
    t = unicodedata.normalize("NFC", text).translate(THAI_DIGITS).strip()
    if t.endswith(".0"):  # a code typed into a numeric Excel cell
        t = t[:-2]
    t = _DROP.sub("", t)
    m = _CODE.fullmatch(t)
    return m.group(1) if m else None


def code_level(code: str) -> str:
    """The level a DOPA code's length says: 2 digits a province, 4 a district, 6 a subdistrict."""
    return {2: "province", 4: "district"}.get(len(code), "subdistrict")


@cache
def declared_aliases() -> tuple[tuple[str, str], ...]:
    """(code, alias) pairs from ``area_aliases.csv``: DOPA spellings and common romanisations."""
    with ALIASES_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple((row["code"].strip(), row["alias"].strip()) for row in csv.DictReader(fh) if row["code"].strip())


@dataclass(frozen=True)
class Match:
    """The outcome of resolving one area cell: a code (and its level), or a problem code with details."""

    code: str | None
    problem: str | None = None  # "unknown-area" | "ambiguous-area" | "ambiguous-level"
    why_th: str = ""
    why_en: str = ""
    candidates: tuple[str, ...] = ()
    level: str | None = None


class AreaIndex:
    """Resolves area cells to codes at any level; build once per upload from the store's ``areas``."""

    def __init__(self, areas: pd.DataFrame, aliases: tuple[tuple[str, str], ...] | None = None) -> None:
        self.areas = {r.code: r for r in areas.itertuples(index=False)}
        self.parent = {r.code: r.parent_code for r in areas.itertuples(index=False)}
        self.level = {c: r.level for c, r in self.areas.items()}
        self.subdistricts = {c for c, lv in self.level.items() if lv == "subdistrict"}
        self.districts = {c for c, lv in self.level.items() if lv == "district"}
        self.names: dict[str, dict[str, set[str]]] = {lv: {} for lv in LEVELS}
        self._n_sub: dict[str, int] = {}
        for code in self.subdistricts:
            up = self.parent.get(code)
            while isinstance(up, str):
                self._n_sub[up] = self._n_sub.get(up, 0) + 1
                up = self.parent.get(up)

        def add(code: str, name: object) -> None:
            if isinstance(name, str) and name.strip():
                key = parse_name(name).key
                if key:
                    self.names[self.level[code]].setdefault(key, set()).add(code)

        for code, r in self.areas.items():
            if r.level not in self.names:
                continue
            for name in (r.name_th, r.name_en):
                add(code, name)
            if r.level == "district" and _key(str(r.name_th)).startswith("เมือง"):
                for short in ("เมือง", "mueang", "muang"):  # councils write อ.เมือง for the capital district
                    self.names["district"].setdefault(short, set()).add(code)
        for code, alias in declared_aliases() if aliases is None else aliases:
            if code in self.areas:
                add(code, alias)
        self._cache: dict[tuple, Match] = {}
        self._suggested = 0

    # --- labels --------------------------------------------------------------------------------------------
    def label(self, code: str, lang: str = "th", *, with_code: bool = True) -> str:
        """``930201 ต.กงหรา อ.กงหรา``, ``9302 อ.กงหรา``, ``93 จ.พัทลุง`` (English: Kong Ra Subdistrict, Kong Ra);
        without the code when ``with_code`` is False."""
        r = self.areas.get(code)
        if r is None:
            return code
        parent = self.areas.get(r.parent_code) if r.level == "subdistrict" else None
        lead = f"{code} " if with_code else ""
        if lang == "en":
            own = f"{lead}{r.name_en} {'Subdistrict' if r.level == 'subdistrict' else r.level.title()}"
            return own + (f" ({parent.name_en} District)" if parent is not None else "")
        return f"{lead}{PREFIX_TH[r.level]}{r.name_th}" + (f" อ.{parent.name_th}" if parent is not None else "")

    def n_subdistricts(self, code: str) -> int:
        """How many subdistricts of the store lie in ``code`` (1 for a subdistrict)."""
        return 1 if code in self.subdistricts else self._n_sub.get(code, 0)

    def within(self, code: str, ancestors: set[str]) -> bool:
        """True when ``code`` lies strictly inside one of ``ancestors``."""
        up: object = self.parent.get(code)
        while isinstance(up, str):
            if up in ancestors:
                return True
            up = self.parent.get(up)
        return False

    # --- districts (the district column) ----------------------------------------------------------------------
    def district(self, text: str) -> set[str]:
        """District codes a district cell may mean (empty when unknown)."""
        code = as_code(text)
        if code is not None:
            if code in self.districts:
                return {code}
            if code in self.subdistricts:
                return {self.parent[code]}
            return set()
        return set(self.names["district"].get(parse_name(text).key, set()))

    # --- resolving ---------------------------------------------------------------------------------------------
    def resolve(self, text: str, district: str | None = None, level: str | None = None) -> Match:
        """Resolve one area cell; ``district`` is the row's district cell, ``level`` the file's or row's level."""
        key = (text, district, level)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._resolve(text, district, level)
        return hit

    def _resolve(self, text: str, district: str | None, level: str | None) -> Match:
        districts = self.district(district) if district else None
        if district and not districts:
            return Match(None, "unknown-area", f" (ไม่รู้จักอำเภอ '{district}')", f" (unknown district '{district}')")
        code = as_code(text)
        if code is not None:
            return self._by_code(code, districts, district)
        parsed = parse_name(text)
        if not parsed.key:
            return Match(None, "unknown-area", " (ว่าง)", " (blank)")
        # the areas it must lie in: the district column, and qualifiers written after the name
        inside: list[set[str]] = [districts] if districts else []
        for q_level, q_key in parsed.qualifiers:
            q_codes = set(self.names[q_level].get(q_key, set()))
            if not q_codes:
                return Match(None, "unknown-area", f" (ไม่รู้จัก{LEVEL_TH[q_level]} '{q_key}')",
                             f" (unknown {q_level} '{q_key}')")
            inside.append(q_codes)
        if parsed.level or level:
            levels = [parsed.level or level]
        elif inside:  # below the lowest area it lies in
            lowest = max(LEVELS.index(self.level[c]) for cs in inside for c in cs)
            levels = list(LEVELS[lowest + 1:])
        else:
            levels = list(LEVELS)
        found = {lv: {c for c in self.names[lv].get(parsed.key, set()) if all(self.within(c, cs) for cs in inside)}
                 for lv in levels}
        found = {lv: cs for lv, cs in found.items() if cs}
        if not found:
            return self._unknown(parsed, levels, inside, district)
        if len(found) > 1:
            return Match(None, "ambiguous-level", candidates=tuple(sorted(c for cs in found.values() for c in cs)))
        ((lv, candidates),) = found.items()
        if len(candidates) > 1:
            return Match(None, "ambiguous-area", candidates=tuple(sorted(candidates)), level=lv)
        return Match(next(iter(candidates)), level=lv)

    def _by_code(self, code: str, districts: set[str] | None, district: str | None) -> Match:
        lv = self.level.get(code)
        if lv is None:
            return Match(None, "unknown-area", " (ไม่มีรหัสนี้)", " (no such code)")
        if districts and lv == "subdistrict" and self.parent[code] not in districts:
            return Match(None, "unknown-area", f" (ตำบล {self.label(code)} ไม่อยู่ในอำเภอ '{district}')",
                         f" (subdistrict {code} is not in district '{district}')")
        if districts and lv == "district" and code not in districts:
            return Match(None, "unknown-area", f" (รหัสอำเภอ {code} ไม่ตรงกับอำเภอ '{district}')",
                         f" (district code {code} differs from district '{district}')")
        return Match(code, level=lv)

    def _unknown(self, parsed: Parsed, levels: list[str], inside: list[set[str]], district: str | None) -> Match:
        if len(levels) == 1:  # the name exists, but at another level: say where
            other = sorted(c for lv in LEVELS if lv not in levels for c in self.names[lv].get(parsed.key, set()))
            if other:
                th = ", ".join(self.label(c) for c in other)
                en = ", ".join(self.label(c, "en") for c in other)
                return Match(None, "unknown-area", f" (ไม่มี{LEVEL_TH[levels[0]]}ชื่อนี้ แต่มี {th})",
                             f" (no {levels[0]} of that name; there is {en})")
        if district and inside:
            why = (f" (ไม่มีตำบลนี้ในอำเภอ '{district}')", f" (no such subdistrict in district '{district}')")
        else:
            why = ("", "")
        near = self.suggest(parsed.key, levels, inside)
        if near:
            why = (why[0] + f" (หรือหมายถึง {' / '.join(self.label(c) for c in near)}?)",
                   why[1] + f" (did you mean {' / '.join(self.label(c, 'en') for c in near)}?)")
        return Match(None, "unknown-area", *why)

    def suggest(self, key: str, levels: list[str] | None = None, inside: list[set[str]] | None = None) -> list[str]:
        """Codes of the areas whose names are closest to ``key``: at ``levels``, within the ``inside`` areas when
        any are close there, else anywhere in the store."""
        if self._suggested >= SUGGESTED_NAMES or len(key) < 2:
            return []
        self._suggested += 1
        for bounds in ([inside, []] if inside else [[]]):
            pool: dict[str, set[str]] = {}
            for lv in levels or LEVELS:
                for name, codes in self.names[lv].items():
                    kept = {c for c in codes if all(self.within(c, cs) for cs in bounds)}
                    if kept:
                        pool.setdefault(name, set()).update(kept)
            close = difflib.get_close_matches(key, list(pool), n=SUGGESTIONS, cutoff=0.6)
            if close:
                out: list[str] = []
                for name in close:
                    out.extend(c for c in sorted(pool[name]) if c not in out)
                return out[:SUGGESTIONS]
        return []


def in_scope(code: str, scope: set[str] | None) -> bool:
    """True when ``code`` lies within a ``scope`` code (DOPA codes nest: a district grants its subdistricts)."""
    if scope is None:
        return True
    # Only entries that are codes grant anything: an empty or malformed entry ("", "9", "x") must not match every
    # code by prefix.
    return any(code.startswith(c) for c in map(as_code, scope) if c)
