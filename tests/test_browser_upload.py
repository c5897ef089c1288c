"""End to end in real headless Chromium: a viewer cannot open /upload; a council signs in with a local account
(created with the same function as `python -m loaders user add`), picks a messy CSV through the real file input and
sees its problems, then a good one, confirms and sees the batch land (in the page and in the store).

Screenshots go to tests/artifacts/ (git-ignored).  Skipped when /usr/bin/chromium or Playwright is absent.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _browser import ARTIFACTS, NEEDS_CHROMIUM, streamlit_server

from loaders import accounts
from loaders.batches import list_batches
from loaders.store import reader

NAME, PASSWORD = "somchai", "a long local password"

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def store(demo_db_session, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("upload") / "store.duckdb"
    shutil.copy(demo_db_session, path)
    accounts.add_user(NAME, "council", scope="9303", password=PASSWORD, by="test", db=path)
    accounts.add_user("boss", "admin", password=PASSWORD, by="test", db=path)
    return path


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    with streamlit_server(store, tmp_path_factory.mktemp("server"), drop_env=("WELLBEING_REQUIRE_LOGIN",)) as running:
        yield running


def _settled(page, timeout: int = 60_000) -> None:
    """The run is over: no running widget, and no element left stale from the run before (drawn faded)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                           " && !document.querySelector('[data-stale=\"true\"]')", timeout=timeout)
    page.wait_for_timeout(500)


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_a_viewer_on_a_link_to_upload_signs_in_there(server, browser):
    """A signed-out visit to /upload opens the page, which shows no uploader but the sign-in, and goes on to the
    upload page once signed in (issue 18: before, the overview with no message)."""
    base, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    try:
        page.goto(f"{base}/upload", wait_until="domcontentloaded")
        page.get_by_text("ต้องเข้าสู่ระบบเพื่อ").first.wait_for(timeout=60_000)
        _settled(page)
        text = page.inner_text("body")
        assert "นำเข้าข้อมูลของตำบล" not in text
        assert page.locator("input[type=file]").count() == 0
        assert "Page not found" not in text
        _shot(page, "upload_viewer_refused.png")
        page.get_by_label("ชื่อบัญชี").fill(NAME, timeout=60_000)
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.get_by_role("heading", name="นำเข้าข้อมูลของตำบล").wait_for(timeout=60_000)
        page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)  # the uploader, on the same page
        assert "/upload" in page.url
    finally:
        page.close()


def test_council_signs_in_and_uploads_a_file(server, browser, store, tmp_path):
    base, log = server
    before = len(list_batches(store))
    messy = tmp_path / "messy.csv"
    messy.write_text("area,year,measure,value\n930301,2569,population,1200\n930302,2569,population,abc\n"
                     "930101,2569,population,5\n", encoding="utf-8")
    good = tmp_path / "khao_chaison_2569.csv"
    good.write_text("area,year,measure,value\n930301,2569,population,8888\n930302,2569,population,7777\n",
                    encoding="utf-8")

    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    try:
        page.goto(f"{base}/signin", wait_until="domcontentloaded")
        page.get_by_label("ชื่อบัญชี").fill(NAME, timeout=60_000)
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        _shot(page, "upload_sign_in.png")
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.get_by_role("heading", name="นำเข้าข้อมูลของตำบล").wait_for(timeout=60_000)
        _settled(page)
        assert "/upload" in page.url
        assert "เข้าสู่ระบบเป็น somchai" in page.inner_text("body")

        page.locator("input[type=file]").set_input_files(str(messy))
        page.get_by_text("ไฟล์จะถูกปฏิเสธ").first.wait_for(timeout=60_000)
        page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=30_000)
        _settled(page)
        _shot(page, "upload_problems.png")
        assert page.get_by_role("button", name="ยืนยันการนำเข้า").is_disabled()
        assert len(list_batches(store)) == before, "the preview wrote nothing"

        page.locator("input[type=file]").set_input_files(str(good))
        page.get_by_text("ตรวจอย่างเดียว: 2 แถว").first.wait_for(timeout=60_000)
        _settled(page)
        confirm = page.get_by_role("button", name="ยืนยันการนำเข้า")
        assert confirm.is_enabled()
        confirm.click()
        page.get_by_text("เป็นชุดที่").first.wait_for(timeout=60_000)
        page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=30_000)
        _settled(page)
        _shot(page, "upload_loaded.png")
        text = page.inner_text("body")
        assert "ชุดข้อมูลที่ฉันนำเข้า" in text and "khao_chaison_2569.csv" in text
    finally:
        page.close()

    batches = list_batches(store)
    assert len(batches) == before + 1
    batch = batches.iloc[0]
    assert batch.uploaded_by == NAME and batch.file_name == "khao_chaison_2569.csv" and batch.status == "loaded"
    with reader(store) as con:
        values = dict(con.execute("SELECT area_code, value FROM observations WHERE batch_id = ?",
                                  [int(batch.id)]).fetchall())
    assert values == {"930301": 8888.0, "930302": 7777.0}
    assert PASSWORD not in log.read_text(errors="replace"), "no password in the server log"


def test_admin_signs_in_and_sees_the_administration_page(server, browser):
    base, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    try:
        page.goto(f"{base}/signin?lang=en", wait_until="domcontentloaded")
        page.get_by_label("Account name").fill("boss", timeout=60_000)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Administration").first.wait_for(timeout=60_000)
        _settled(page)
        assert "/admin" in page.url
        _shot(page, "admin_targets_en.png")
        page.get_by_role("tab", name="Users").click()
        page.get_by_text("Accounts and scopes").wait_for(timeout=30_000)
        page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=30_000)
        _settled(page)
        _shot(page, "admin_users_en.png")
        page.get_by_role("tab", name="Write log").click()
        page.get_by_text("Uploads and undos").wait_for(timeout=30_000)
        _settled(page)
        _shot(page, "admin_log_en.png")
        assert "/admin?lang=en" in page.url, "the language survives the sign-in"
    finally:
        page.close()


def test_the_check_step_shows_old_to_new_and_the_warning_and_undo_asks_in_a_dialog(server, browser, store, tmp_path):
    """Issue 18 in real Chromium: a population that drops from 18,003 to 8,912 is shown old → new with its warning
    above the confirm button; it still loads; undo opens a dialog naming the batch, and its confirm button undoes."""
    from _store import put

    put(store, [("930305", "population", 2026, 18_003.0)])
    dropped = tmp_path / "chong_thanon_2569.csv"
    dropped.write_text("area,year,measure,value\nต.จองถนน,2569,population,8912\n", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    try:
        page.goto(f"{base_of(server)}/signin", wait_until="domcontentloaded")
        page.get_by_label("ชื่อบัญชี").fill(NAME, timeout=60_000)
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.get_by_role("heading", name="นำเข้าข้อมูลของตำบล").wait_for(timeout=60_000)
        _settled(page)
        page.locator("input[type=file]").set_input_files(str(dropped))
        page.get_by_text("ค่าเดิมที่จะถูกแทนที่ (1 ค่า)").wait_for(timeout=60_000)
        page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=30_000)
        _settled(page)
        _shot(page, "upload_check_warning.png")
        warning = page.get_by_text("18,003 → 8,912 (−50 %)")
        confirm = page.get_by_role("button", name="ยืนยันการนำเข้า")
        assert warning.is_visible() and confirm.is_enabled()
        assert warning.bounding_box()["y"] < confirm.bounding_box()["y"], "the warning is in view above the button"
        confirm.click()
        page.get_by_text("เป็นชุดที่").first.wait_for(timeout=60_000)
        _settled(page)
        batch = int(list_batches(store).iloc[0].id)
        page.get_by_role("button", name="ยกเลิก", exact=True).first.click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_text(f"ยกเลิกชุดข้อมูลที่ {batch}?").wait_for(timeout=30_000)
        _settled(page)
        _shot(page, "undo_dialog.png")
        assert "chong_thanon_2569.csv" in dialog.inner_text() and NAME in dialog.inner_text()
        dialog.get_by_role("button", name=f"ยืนยัน ยกเลิกชุดที่ {batch}").click()
        page.get_by_text(f"ยกเลิกชุดที่ {batch} แล้ว").wait_for(timeout=60_000)
        _settled(page)
        assert page.get_by_role("dialog").count() == 0
    finally:
        page.close()
    assert list_batches(store).set_index("id").loc[batch, "status"] == "undone"
    with reader(store) as con:
        assert con.execute("SELECT value FROM observations WHERE area_code = '930305' AND measure_id = 'population' "
                           "AND year = 2026").fetchall() == [(18_003.0,)]


def base_of(server) -> str:
    return server[0]
