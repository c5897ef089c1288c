"""The tourism view (issue 10) in AppTest: on a store holding the ministry's real table, and on the demo."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from indicators.present import queries
from loaders.sources import adapters, load_source

APP = Path(__file__).resolve().parents[1] / "app.py"
FILE = "phatthalung_tourism_monthly_2019_2023.csv"


@pytest.fixture
def real_store(areas_db, real_dir, monkeypatch):
    path = real_dir / FILE
    if not path.exists():
        pytest.skip(f"{FILE} is absent")
    report = load_source(adapters()["mots-tourism"], path.read_bytes(), path.name, db=areas_db)
    assert report.status == "loaded"
    monkeypatch.setenv("WELLBEING_DB", str(areas_db))
    return areas_db, pd.read_csv(path)


def _run(lang: str = "th") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("app_pages/tourism.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "warning", "info"):
        parts += [str(el.value) for el in getattr(at, kind)]
    return "\n".join(parts)


def test_tourism_view_with_the_real_table(real_store):
    db, raw = real_store
    at = _run("en")
    text = _texts(at)
    assert "Tourism in Phatthalung" in text
    assert "Source: Ministry of Tourism and Sports" in text and "01/2562 to 02/2566" in text
    assert "2566 has 2 months only" in text  # the partial year, marked
    assert "Visitors fell from" in text and "2564" in text  # the 2020–2021 fall and the recovery
    assert "demo" not in text.lower()  # a real store: no demo banner
    charts = [pio.from_json(el.proto.spec) for el in at.get("plotly_chart")]
    assert len(charts) == 2
    monthly, yearly = charts
    thai = next(tr for tr in monthly.data if tr.name == "Thai")
    assert len(thai.x) == 50
    bars = yearly.data[0]
    assert list(bars.x) == ["2562", "2563", "2564", "2565", "2566"]
    raw["year"] = raw.date.str[:4].astype(int)
    assert bars.y[0] == pytest.approx(raw.loc[raw.year == 2019, "no_tourist_all"].sum())
    assert bars.marker.pattern.shape[-1] == "/"  # 2566 hatched
    tables = [el.value for el in at.dataframe]
    by_year = tables[0]
    assert list(by_year["Source"].unique()) == ["Ministry of Tourism and Sports"]
    assert by_year["Year (BE)"].iloc[-1] == "2566" and by_year["Note"].iloc[-1] == "partial year"
    progress = tables[-1]
    assert set(progress["Source"]) == {"Ministry of Tourism and Sports"}
    occ = progress.set_index("Indicator").loc["Hotel occupancy rate"]
    assert occ["Latest year"] == "2565" and occ["Years of data"] == "4"


def test_area_page_names_the_source(real_store):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/area.py")
    at.run()
    assert not at.exception
    progress = at.dataframe[0].value
    assert "Source" in progress.columns
    assert "Ministry of Tourism and Sports" in set(progress["Source"])


def test_tourism_view_on_the_demo(monkeypatch, demo_db_session):
    monkeypatch.setenv("WELLBEING_DB", str(demo_db_session))
    at = _run("th")
    text = _texts(at)
    assert "ข้อมูลสาธิต" in text  # the demo banner, unchanged
    assert "ยังไม่มีสถิติการท่องเที่ยวรายเดือน" in text
    assert len(at.get("plotly_chart")) == 1  # by year (the councils' sums); no monthly figures
    table = at.dataframe[0].value
    assert set(table["แหล่งข้อมูล"]) == {"ข้อมูลสาธิต"}
    progress = at.dataframe[-1].value
    assert set(progress["แหล่งข้อมูล"]) == {"ข้อมูลสาธิต"}


def test_both_sources_side_by_side(demo_db, real_dir):
    path = real_dir / FILE
    if not path.exists():
        pytest.skip(f"{FILE} is absent")
    load_source(adapters()["mots-tourism"], path.read_bytes(), path.name, db=demo_db)
    view = queries.tourism_view(demo_db, "en")
    both = view["compare"].shown()
    assert set(both["Source"]) == {"Ministry of Tourism and Sports", "demo data"}
    y2019 = both[both["Year (BE)"] == "2562"]
    assert len(y2019) == 2 and y2019["Visitors (total)"].nunique() == 2  # shown apart, never combined
