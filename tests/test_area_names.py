"""Names and codes → subdistrict codes (prefixes, TH, Thai digits; ดอนทราย settled by the district)."""

from __future__ import annotations

import pytest

from loaders.area_names import AreaIndex, as_code, in_scope, normalise_name
from loaders.areas import official_areas


@pytest.fixture(scope="module")
def index() -> AreaIndex:
    return AreaIndex(official_areas())


@pytest.mark.parametrize("text", ["930307", "TH930307", "th930307", "๙๓๐๓๐๗", "TH๙๓๐๓๐๗", " 930307 ", "930307.0"])
def test_codes(index, text):
    assert index.resolve(text).code == "930307"


@pytest.mark.parametrize(
    "text",
    ["โคกม่วง", "ต.โคกม่วง", "ต. โคกม่วง", "ตำบลโคกม่วง", "ตำบล  โคกม่วง", " โคกม่วง ", "Khok Muang", "khok  muang",
     "KHOK MUANG", "Tambon Khok Muang", "tambon khok-muang"],
)
def test_names_after_prefixes_spaces_case(index, text):
    assert index.resolve(text).code == "930307"


def test_thai_digits_and_hyphens_in_names():
    assert normalise_name("Khok Cha-ngai") == normalise_name("khok changai")
    assert normalise_name("หมู่ ๕") == normalise_name("หมู่5")


def test_ambiguous_name(index):
    m = index.resolve("ดอนทราย")
    assert m.code is None and m.problem == "ambiguous-area"
    assert m.candidates == ("930510", "930607")
    assert index.resolve("Don Sai").problem == "ambiguous-area"


@pytest.mark.parametrize(
    ("district", "code"),
    [("ปากพะยูน", "930607"), ("อ.ปากพะยูน", "930607"), ("อำเภอปากพะยูน", "930607"), ("Amphoe Pak Phayun", "930607"),
     ("9306", "930607"), ("TH9306", "930607"), ("ควนขนุน", "930510"), ("อ.ควนขนุน", "930510"), ("9305", "930510")],
)
def test_district_settles_ambiguity(index, district, code):
    assert index.resolve("ต.ดอนทราย", district).code == code


def test_name_shared_by_district_and_subdistricts(index):
    # ควนขนุน is district 9305 and subdistricts 930302 (Khao Chaison) and 930501 (Khuan Khanun): a bare name that
    # fits two levels is never guessed (issue 14)
    m = index.resolve("ควนขนุน")
    assert m.problem == "ambiguous-level" and m.candidates == ("930302", "9305", "930501")
    assert index.resolve("ควนขนุน", level="subdistrict").problem == "ambiguous-area"
    assert index.resolve("ควนขนุน", level="district").code == "9305"
    assert index.resolve("ควนขนุน", "เขาชัยสน").code == "930302"
    assert index.resolve("ควนขนุน", "ควนขนุน").code == "930501"


def test_capital_district_short_name(index):
    assert index.resolve("ท่ามิหรำ", "อ.เมือง").code == "930104"


@pytest.mark.parametrize(
    ("text", "district", "why"),
    [("ไม่มีตำบลนี้", None, ""), ("939999", None, "no such code"), ("9399", None, "no such code"),
     ("ดอนทราย", "เมืองพัทลุง", "no such subdistrict"), ("930307", "9301", "not in district"),
     ("ดอนทราย", "ไม่มีอำเภอนี้", "unknown district")],
)
def test_unknown(index, text, district, why):
    m = index.resolve(text, district)
    assert m.code is None and m.problem == "unknown-area"
    assert why in m.why_en


def test_as_code():
    assert as_code("TH93") == "93"
    assert as_code("๙๓๐๕") == "9305"
    assert as_code("93030") is None
    assert as_code("โคกม่วง") is None


def test_scope_districts_grant_subdistricts():
    assert in_scope("930307", {"9303"})
    assert in_scope("930307", {"TH9303"})
    assert in_scope("930307", {"930307", "9301"})
    assert not in_scope("930101", {"9303"})
    assert not in_scope("930101", set())
    assert in_scope("930101", None)
