"""The tourism view in real headless Chromium on a store holding the ministry's real table (issue 10).

Reuses tests/test_browser.py's server and browser: its ``server`` fixture serves whatever store ``demo_db_session``
names, so this module overrides that one fixture with a store of the official areas and the real file (skipped when
../shared/data/real is absent).  Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REAL
from test_browser import CHROMIUM, _open, browser, server  # noqa: F401 - fixtures used by name

from loaders.areas import official_areas, upsert_areas
from loaders.sources import adapters, load_source
from loaders.store import writer

FILE = REAL / "phatthalung_tourism_monthly_2019_2023.csv"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="/usr/bin/chromium is absent"),
]


@pytest.fixture(scope="module")
def demo_db_session(tmp_path_factory) -> Path:
    """Not the demo here: the official areas and the ministry's real monthly table (what ``server`` serves)."""
    if not FILE.exists():
        pytest.skip(f"{FILE} is absent")
    path = tmp_path_factory.mktemp("real") / "real.duckdb"
    with writer(path) as con:
        upsert_areas(con, official_areas())
    report = load_source(adapters()["mots-tourism"], FILE.read_bytes(), FILE.name, db=path)
    assert report.status == "loaded"
    return path


def test_tourism_page_real_data_thai(server, browser):  # noqa: F811
    text, charts = _open(browser, f"{server}/tourism", "tourism_real_th.png", wait_table=True)
    assert "การท่องเที่ยว" in text and "กระทรวงการท่องเที่ยวและกีฬา" in text
    assert "ข้อมูลสาธิต" not in text  # a real store: no demo banner
    assert charts == 2


def test_tourism_page_real_data_english(server, browser):  # noqa: F811
    text, charts = _open(browser, f"{server}/tourism?lang=en", "tourism_real_en.png", wait_table=True)
    assert "Tourism in Phatthalung" in text and "Ministry of Tourism and Sports" in text
    assert "partial" in text and "Visitors fell from" in text
    assert charts == 2
