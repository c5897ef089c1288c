"""The translation table: every key in Thai and English, placeholders alike, and every status, domain, level and
page label present; formatting of years (BE) and numbers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from indicators.present.i18n import be, fmt_num, fmt_year, status_word
from indicators.registry import DOMAINS, STATUSES
from indicators.words import DEFAULT_LANG, TEXT, t

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_key_has_thai_and_english_with_the_same_placeholders(key):
    th, en = TEXT[key]
    if key.startswith("prefix."):  # Thai writes อ./ต./จ. before a name; English writes nothing
        assert th and en == ""
        return
    assert th.strip() and en.strip(), key

    def names(text: str) -> set[str]:  # a problem's message may take its words per language: {what_th} / {what_en}
        return {"lang" if n in ("th", "en") else re.sub(r"_(th|en)$", "", n) for n in PLACEHOLDER.findall(text)}

    assert names(th) == names(en), key


def test_thai_is_thai():
    thai = re.compile(r"[\u0E00-\u0E7F]")
    for key, (th, _en) in TEXT.items():
        if key.startswith(("status_short.no_data", "word.none", "app.language", "hmi.", "projection.interval")):
            continue
        assert thai.search(th) or th == "{th}", f"{key}: the Thai text has no Thai letter"


def test_statuses_domains_levels_have_words():
    for s in STATUSES:
        assert f"status.{s}" in TEXT and f"status_short.{s}" in TEXT and f"methods.rule.{s}" in TEXT
    for d in (*DOMAINS, "hmi"):
        assert f"domain.{d}" in TEXT
    for lv in ("province", "district", "subdistrict"):
        assert f"level.{lv}" in TEXT and f"prefix.{lv}" in TEXT


def _keys_used_in_code() -> set[str]:
    """Literal keys passed to t()/T() in the app, the pages and the query and chart modules."""
    files = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")),
             *(ROOT / "indicators" / "present" / f"{m}.py" for m in ("queries", "charts"))]
    used = set()
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("t", "T")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                used.add(node.args[0].value)
    return used


def test_every_key_used_in_code_exists():
    used = _keys_used_in_code()
    assert len(used) > 50
    assert used <= set(TEXT), sorted(used - set(TEXT))


def test_t_defaults_to_thai_and_fills_placeholders():
    assert DEFAULT_LANG == "th"
    assert t("nav.overview") == "ภาพรวม"
    assert t("nav.overview", "en") == "Overview"
    assert t("overview.hmi", "en", year=2568) == "Happiness index (HMI), 2568"


def test_years_are_shown_in_be():
    assert be(2025) == 2568
    assert be(None) is None and be(float("nan")) is None
    assert fmt_year(2032) == "2575"
    assert fmt_year(None) == "–"


def test_numbers_have_thousands_separators_and_suit_their_size():
    assert fmt_num(1234567.8) == "1,234,568"
    assert fmt_num(123.45) == "123"
    assert fmt_num(12.345) == "12.3"
    assert fmt_num(1.2345) == "1.23"
    assert fmt_num(0.0) == "0"
    assert fmt_num(-0.334, 3) == "-0.334"
    assert fmt_num(None) == "–" and fmt_num(float("nan")) == "–"


def test_status_words():
    assert status_word("on_track") == "ตามเป้า"
    assert status_word("on_track", "en") == "on track"
    assert status_word(None, "en") == "no data"
    assert status_word("moderately_improving", "en", short=True) == "improving"


def test_one_time_format_in_thailands_time():
    """Issue 15 item 5 / issue 18: the same upload shows 10:21 on every page, never 03:21 (UTC) on one of them."""
    import pandas as pd

    from indicators.present.i18n import fmt_when

    utc = pd.Timestamp("2026-12-02 03:21:40", tz="UTC")
    assert fmt_when(utc) == "2/12/2569 10:21"
    assert fmt_when(utc.tz_convert("Asia/Bangkok")) == "2/12/2569 10:21"
    assert fmt_when(utc.tz_localize(None)) == "2/12/2569 10:21"  # the store keeps UTC
    assert fmt_when(pd.Timestamp("2026-12-31 20:00", tz="UTC")) == "1/1/2570 03:00"  # the date moves too
    assert fmt_when(None) == fmt_when(pd.NaT) == "–"
