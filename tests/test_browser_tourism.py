"""The tourism view in real headless Chromium on a store holding the ministry's real table (issue 10).

A store of the official areas and ../shared/data/real's monthly tourism table (skipped when absent), served with the
shared helper (tests/_browser.py).  Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import pytest
from _browser import NEEDS_CHROMIUM, streamlit_server
from conftest import REAL
from test_browser import _open

from loaders.areas import official_areas, upsert_areas
from loaders.sources import adapters, load_source
from loaders.store import writer

FILE = REAL / "phatthalung_tourism_monthly_2019_2023.csv"

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    """The dashboard on the official areas and the ministry's real monthly table."""
    if not FILE.exists():
        pytest.skip(f"{FILE} is absent")
    path = tmp_path_factory.mktemp("real") / "real.duckdb"
    with writer(path) as con:
        upsert_areas(con, official_areas())
    report = load_source(adapters()["mots-tourism"], FILE.read_bytes(), FILE.name, db=path)
    assert report.status == "loaded"
    with streamlit_server(path, tmp_path_factory.mktemp("server")) as (base, _log):
        yield base


def test_tourism_page_real_data_thai(real_server, browser):
    text, charts = _open(browser, f"{real_server}/tourism", "tourism_real_th.png", wait_table=True)
    assert "การท่องเที่ยว" in text and "กระทรวงการท่องเที่ยวและกีฬา" in text
    assert "ข้อมูลสาธิต" not in text  # a real store: no demo banner
    assert charts == 2


def test_tourism_page_real_data_english(real_server, browser):
    text, charts = _open(browser, f"{real_server}/tourism?lang=en", "tourism_real_en.png", wait_table=True)
    assert "Tourism in Phatthalung" in text and "Ministry of Tourism and Sports" in text
    assert "partial" in text and "Visitors fell from" in text
    assert charts == 2
