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


class DeferredFile(NamedTuple):
    """What a ``st.download_button(data=callable)`` registered: the callable run on click, its name and type."""

    make: object
    file_name: str | None
    mime: str


@pytest.fixture
def deferred(monkeypatch) -> dict:
    """The download buttons' deferred files, by file id, as Streamlit registers them during an AppTest run."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    registered: dict = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)
        registered[file_id] = DeferredFile(data_callable, file_name, mimetype)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return registered


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (see tests/_browser.py); one per test module."""
    from _browser import chromium

    with chromium() as b:
        yield b
