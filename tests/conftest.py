"""Shared fixtures: stores built with the same functions the demo and `loaders init` use."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from loaders.areas import official_areas, upsert_areas
from loaders.demo import build_demo
from loaders.store import writer

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


@pytest.fixture(autouse=True)
def _no_default_db(monkeypatch, tmp_path):
    """No test may touch data/wellbeing.duckdb by accident: WELLBEING_DB points into the test's tmp dir."""
    monkeypatch.setenv("WELLBEING_DB", str(tmp_path / "default.duckdb"))


@pytest.fixture(scope="session")
def demo_db_session(tmp_path_factory) -> Path:
    """A demo store built once per session; read it, never write it (use ``demo_db`` to write)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path)
    return path


@pytest.fixture
def demo_db(demo_db_session, tmp_path) -> Path:
    """A private copy of the demo store that a test may write."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_session, path)
    return path


@pytest.fixture
def tree_db(tmp_path):
    """A factory: ``tree_db(*subdistrict codes)`` is a store holding only those official subdistricts, their
    districts and the province (so a district's coverage is out of exactly the subdistricts a test names)."""

    def make(*codes: str) -> Path:
        areas = official_areas()
        subs = areas[areas.code.isin(codes)]
        assert len(subs) == len(codes), f"unknown subdistrict codes: {set(codes) - set(subs.code)}"
        districts = areas[areas.code.isin(subs.parent_code)]
        keep = areas[areas.code.isin(districts.parent_code) | areas.code.isin(districts.code)
                     | areas.code.isin(subs.code)]
        path = tmp_path / f"tree-{len(list(tmp_path.glob('tree-*.duckdb')))}.duckdb"
        with writer(path) as con:
            upsert_areas(con, keep)
        return path

    return make


@pytest.fixture
def areas_db(tmp_path) -> Path:
    """A store with the official areas of Phatthalung and nothing else."""
    path = tmp_path / "areas.duckdb"
    with writer(path) as con:
        upsert_areas(con, official_areas())
    return path


@pytest.fixture
def real_dir() -> Path:
    """../shared/data/real, or skip when it is absent."""
    if not REAL.is_dir():
        pytest.skip("../shared/data/real is absent")
    return REAL


TOURISM_FILE = "phatthalung_tourism_monthly_2019_2023.csv"  # the Ministry of Tourism and Sports' table


@pytest.fixture
def real_file(real_dir) -> Path:
    """The real tourism table of ../shared/data/real, or skip when it is absent."""
    path = real_dir / TOURISM_FILE
    if not path.exists():
        pytest.skip(f"{TOURISM_FILE} is absent")
    return path


class DeferredFile(NamedTuple):
    """What a page gave ``st.download_button``: ``data`` (a callable, run on click), the file name and type."""

    make: object
    file_name: str | None
    mime: str | None


class Downloads(dict):
    """The download buttons of an AppTest run: ``downloads[button]`` (an AppTest download button) is what the page
    gave ``st.download_button`` for it in the last run, found by the button's key (its label when it has none)."""

    def __getitem__(self, button) -> DeferredFile:
        return super().__getitem__(button if isinstance(button, str) else button.key or button.label)


@pytest.fixture
def deferred(monkeypatch) -> Downloads:
    """Every ``st.download_button`` call of the pages, recorded through Streamlit's public command (wrapped, then
    called as it is), so a test can run the callable a click would run."""
    import inspect

    import streamlit as st

    registered = Downloads()
    original = st.download_button
    signature = inspect.signature(original)

    def download_button(*args, **kwargs):
        given = signature.bind(*args, **kwargs).arguments
        registered[given.get("key") or given["label"]] = DeferredFile(given["data"], given.get("file_name"),
                                                                      given.get("mime"))
        return original(*args, **kwargs)

    monkeypatch.setattr(st, "download_button", download_button)
    return registered


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (see tests/_browser.py); one per test module."""
    from _browser import chromium

    with chromium() as b:
        yield b
