"""Every word a Thai page shows is Thai, except names, units and codes (issue 18): each page, signed out and as an
administrator, in Thai; its texts, labels, options, tabs, metrics and table headers."""

from __future__ import annotations

import re

import _apptest
import pandas as pd
import pytest
from _apptest import app, ok

fast_hashing, store = _apptest.fast_hashing, _apptest.store

# English that a Thai page may show, with the reason.  Add a word only when it is a name, a unit or a code.
ALLOWED = {
    "English": "the language choice names itself",
    "Language": "the language choice ('ภาษา / Language') reads in both languages",
    "GeoThai": "the name of the area register credited in the footer",
    "HMI": "the index's short name, a code beside its Thai name",
    "TPMAP": "the name of the government's poverty platform",
    "BMN": "the basic minimum needs survey's code (จปฐ.) as published",
    "PCD": "the Pollution Control Department's water index, by its code",
    "SDG": "the name of the UN goals", "SDSN": "a name", "Open": "'Open SDG', a name",
    "Statistics": "'Statistics Canada', a name", "Canada": "'Statistics Canada', a name",
    "Progress": "'UN SDG Progress Chart', a name", "Chart": "'Progress Chart', a name", "Index": "'SDSN SDG Index'",
    "OIDC": "the sign-in standard, by its name", "geothai": "the area register's package, by its name and version",
    "GeoJSON": "a file format", "GeoPackage": "a file format", "shapefile": "a file format",
    "CSV": "a file format", "Excel": "a file format", "PDF": "a file format", "PNG": "a file format",
    "SVG": "a file format", "HTML": "a file format", "Parquet": "a file format", "xlsx": "a file extension",
    "csv": "a file extension",
}
PAGES = ["overview", "area", "compare", "map", "tourism", "reporting", "methods", "signin", "upload", "admin"]
_TAGS = re.compile(r"<[^>]*>")  # the status badges are HTML
_LINKS = re.compile(r"\]\([^)]*\)")  # the target of a Markdown link
WORD = re.compile(r"(?<![\w@./:-])[A-Za-z][A-Za-z'’-]{2,}(?![\w@/])")


def _shown(at) -> list[str]:
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "success", "error",
                 "text"):
        out += [str(el.value) for el in getattr(at, kind)]
    for kind in ("button", "selectbox", "radio", "text_input", "checkbox", "multiselect", "number_input", "toggle"):
        for el in getattr(at, kind):
            out.append(str(el.label))
            out += [str(o) for o in getattr(el, "options", []) or []]
    out += [str(el.label) for el in at.tabs]
    out += [str(el.label) for el in at.get("metric")]
    for el in at.dataframe:
        frame = el.value.data if hasattr(el.value, "data") else el.value
        if isinstance(frame, pd.DataFrame):
            out += [str(c) for c in frame.columns]
    return out


def english_words(texts: list[str], names: set[str]) -> dict[str, str]:
    """English words in ``texts`` that are not allowed and not a name the store holds; word → where."""
    found = {}
    for text in texts:
        plain = _LINKS.sub("]", _TAGS.sub(" ", text))
        for word in WORD.findall(plain):
            if word not in ALLOWED and word not in names:
                found.setdefault(word, text[:100])
    return found


def test_the_check_can_fail():
    assert english_words(["ตรวจอย่างเดียว: would be rejected", "<span style='color:#fff'>ตามเป้า</span>"],
                         set()) == {"would": "ตรวจอย่างเดียว: would be rejected",
                                    "rejected": "ตรวจอย่างเดียว: would be rejected"}


@pytest.mark.parametrize("user", [None, "boss"])
@pytest.mark.parametrize("page", PAGES)
def test_a_thai_page_speaks_thai(store, page, user):
    if page in ("upload", "admin") and user is None:
        pytest.skip("signed out, the page is the sign-in")
    at = app(user, f"app_pages/{page}.py")
    ok(at)
    assert at.radio(key="lang").value == "th"
    names = {"boss", "somchai", "malee", "ana"}  # account names are names
    found = english_words(_shown(at), names)
    assert found == {}, f"English on the Thai {page} page: {found}"
