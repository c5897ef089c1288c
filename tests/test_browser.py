"""End to end: `streamlit run app.py` on a free local port, opened in real headless Chromium (Playwright).

Screenshots go to tests/artifacts/ (git-ignored).  Skipped when /usr/bin/chromium or Playwright is absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="/usr/bin/chromium is absent"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_db_session, tmp_path_factory):
    """A streamlit server on the demo store; always stopped at the end."""
    port = _free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [str(streamlit if streamlit.exists() else shutil.which("streamlit")), "run", "app.py",
           "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false"]
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = {**os.environ, "WELLBEING_DB": str(demo_db_session)}
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _open(browser, url: str, shot: str, wait_table: bool = False) -> tuple[str, int]:
    """Load a page, wait for charts to draw, save a screenshot; return the page text and the number of charts."""
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        if wait_table:
            page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=30_000)
        page.wait_for_timeout(1500)  # let the last charts lay out
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / shot))
        text = page.inner_text("body")
        charts = page.locator(".js-plotly-plot").count()
        return text, charts
    finally:
        page.close()


def test_district_page(server, browser):
    """First request of a fresh server, by deep link (Streamlit's legacy pages/ mode runs it first)."""
    text, charts = _open(browser, f"{server}/area?area=9303", "district_9303.png", wait_table=True)
    assert "อ.เขาชัยสน" in text
    assert "ตารางความก้าวหน้า" in text
    assert charts > 0


def test_overview_in_thai(server, browser):
    text, charts = _open(browser, f"{server}/", "overview.png")
    assert "พัทลุงมหานครแห่งความสุข" in text
    assert "สถานะรายอำเภอ" in text  # the heat-map's heading
    assert charts > 0


def test_english_map(server, browser):
    text, charts = _open(browser, f"{server}/map?lang=en", "map_en.png")
    assert "schematic" in text
    assert charts > 0


@pytest.mark.parametrize("path,shot,expect", [
    ("/compare", "compare.png", "เปรียบเทียบพื้นที่"),
    ("/reporting", "reporting.png", "สถานะการรายงานของตำบล"),
    ("/methods?lang=en", "methods_en.png", "Worked example"),
])
def test_other_pages(server, browser, path, shot, expect):
    text, charts = _open(browser, f"{server}{path}", shot)
    assert expect in text
    assert charts > 0
