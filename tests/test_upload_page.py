"""The upload page in AppTest: sign in, a messy file's problems before anything is written, fix, load, see the
values, undo; the scope is enforced; viewers and analysts cannot reach it; sign-in can be required."""

from __future__ import annotations

import _apptest
import pytest
from _apptest import PW, app, ok, page_alone, page_paths, texts

from loaders import accounts, users
from loaders.batches import list_batches
from loaders.store import reader

UPLOAD = "app_pages/upload.py"
fast_hashing, store = _apptest.fast_hashing, _apptest.store


def _csv(*rows: str) -> bytes:
    return ("area,year,measure,value\n" + "\n".join(rows) + "\n").encode()


def _value(db, area: str, measure: str = "population", year_be: int = 2569) -> float | None:
    with reader(db) as con:
        rows = con.execute("SELECT value FROM observations WHERE area_code = ? AND measure_id = ? AND year = ?",
                           [area, measure, year_be - 543]).fetchall()
    return rows[0][0] if rows else None


def _upload(at, name: str, data: bytes):
    at.file_uploader[0].set_value((name, data, "text/csv"))
    return ok(at.run())


def _problems(at):
    frames = [df.value for df in at.dataframe if "ปัญหา (อังกฤษ)" in df.value.columns
              or "Problem (English)" in df.value.columns]
    return frames[0] if frames else None


def test_sign_in_form_opens_the_upload_page(store):
    at = app(page="app_pages/signin.py")
    assert at.title[0].value == "เข้าสู่ระบบ"
    at.text_input(key="sign_in_name").input("somchai")
    at.text_input(key="sign_in_password").input("wrong password")
    ok(at.button(key="sign_in_submit").click().run())
    assert "ชื่อบัญชีหรือรหัสผ่านไม่ถูกต้อง" in texts(at)
    assert "_auth_name" not in at.session_state
    at.text_input(key="sign_in_name").input("somchai")
    at.text_input(key="sign_in_password").input(PW)
    ok(at.button(key="sign_in_submit").click().run())
    assert at.session_state["_auth_name"] == "somchai"
    assert "เข้าสู่ระบบเป็น somchai" in texts(at)
    assert {"upload", "signin"} <= page_paths(at) and "admin" not in page_paths(at)
    ok(at.switch_page(UPLOAD).run())
    assert at.title[0].value == "นำเข้าข้อมูลของตำบล"
    assert at.selectbox(key="tpl_area").options == ["อ.เขาชัยสน"]  # templates for their own area
    assert at.get("download_button"), "the template download"
    ok(at.button(key="sign_out").click().run())
    assert "_auth_name" not in at.session_state and "upload" not in page_paths(at)


def test_messy_file_shows_every_problem_then_the_fixed_file_loads_and_undoes(store):
    at = app("somchai", UPLOAD)
    before = _value(store, "930301")
    n_batches = len(list_batches(store))
    messy = _csv("930301,2569,population,1200", "930302,2569,population,abc", "930305,2569,no_such_measure,5",
                 "930306,2569,population,-7", "930101,2569,population,10")
    _upload(at, "messy.csv", messy)
    problems = _problems(at)
    assert problems is not None and len(problems) == 4
    assert list(problems["แถว"]) == [3, 4, 5, 6]
    assert set(problems["รหัสปัญหา"]) == {"type-error", "unknown-measure", "out-of-range", "outside-scope"}
    assert problems["ปัญหา (ไทย)"].str.len().min() > 0 and problems["ปัญหา (อังกฤษ)"].str.len().min() > 0
    assert "abc" in set(problems["ค่าในไฟล์"])
    assert at.button(key="upload_confirm").disabled, "all or nothing: nothing to confirm"
    assert at.error and "ไฟล์จะถูกปฏิเสธ" in at.error[0].value
    assert len(list_batches(store)) == n_batches, "the preview wrote nothing"
    assert _value(store, "930301") == before
    preview = [df.value for df in at.dataframe if "1. area" in df.value.columns]
    assert preview and list(preview[0]["แถว"])[:2] == [2, 3]

    fixed = _csv("930301,2569,population,1200", "930302,2569,population,1300")
    _upload(at, "fixed.csv", fixed)
    assert _problems(at) is None and "ตรวจอย่างเดียว: 2 แถว นำเข้าได้ 2 ค่า" in texts(at)
    assert at.info and not at.success, "1,200 for a population of 6,901 is a warning: not the all-clear green"
    assert not at.button(key="upload_confirm").disabled
    ok(at.button(key="upload_confirm").click().run())
    assert _value(store, "930301") == 1200 and _value(store, "930302") == 1300
    batch = list_batches(store).iloc[0]
    assert batch.uploaded_by == "somchai" and batch.status == "loaded" and batch.file_name == "fixed.csv"
    assert "เป็นชุดที่" in at.success[0].value
    changes = [df.value for df in at.dataframe if "ค่าใหม่" in df.value.columns][0]
    assert list(changes["ค่าใหม่"]) == ["1,200", "1,300"] and changes["ค่าเดิม"].iloc[0] not in ("", "–")
    assert at.file_uploader[0].value is None, "a fresh file picker after loading"

    ok(at.button(key=f"undo_{batch.id}").click().run())
    assert _value(store, "930301") == 1200, "the button only asks: the dialog names the batch first"
    ok(at.button(key="undo_confirm").click().run())
    assert _value(store, "930301") == before
    assert any("ยกเลิกชุดที่" in s.value for s in at.success)
    assert list_batches(store).set_index("id").loc[batch.id, "undone_by"] == "somchai"
    assert f"undo_{batch.id}" not in [b.key for b in at.button]


def test_valid_rows_only_and_another_districts_area_is_refused(store):
    at = app("somchai", UPLOAD)
    other_before, own_before = _value(store, "930101"), _value(store, "930301")
    data = _csv("930301,2569,population,4321", "930101,2569,population,99")
    _upload(at, "two.csv", data)
    problems = _problems(at)
    assert list(problems["รหัสปัญหา"]) == ["outside-scope"] and list(problems["แถว"]) == [3]
    assert at.button(key="upload_confirm").disabled
    ok(at.radio(key="upload_mode").set_value("valid").run())
    assert not at.button(key="upload_confirm").disabled and at.warning
    ok(at.button(key="upload_confirm").click().run())
    assert _value(store, "930301") == 4321
    assert _value(store, "930101") == other_before, "the other district is never written"
    batch = list_batches(store).iloc[0]
    assert batch.status == "partial" and batch.problem_count == 1
    assert own_before != 4321


def test_scope_is_checked_on_the_server_not_the_widget(store):
    """A council whose scope shrinks meanwhile is refused at load time, with the preview already shown."""
    at = app("somchai", UPLOAD)
    _upload(at, "ok.csv", _csv("930301,2569,population,555"))
    assert not at.button(key="upload_confirm").disabled
    accounts.update_user("somchai", scope="930501", by="boss", db=store)
    ok(at.button(key="upload_confirm").click().run())
    assert _value(store, "930301") != 555
    assert at.error and "ไฟล์ถูกปฏิเสธ" in at.error[0].value


def test_a_link_to_upload_asks_to_sign_in_there_and_goes_on(store):
    """A signed-out visit to /upload (a typed or shared link) opens the page, which asks to sign in; once signed in
    the same page shows the upload, and the menu lists it."""
    at = app()
    ok(at.switch_page(UPLOAD).run())
    assert not at.file_uploader and "ต้องเข้าสู่ระบบเพื่อนำเข้าข้อมูล" in texts(at)
    at.text_input(key="sign_in_name").input("somchai")
    at.text_input(key="sign_in_password").input(PW)
    ok(at.button(key="sign_in_submit").click().run())
    assert at.file_uploader, "the upload page, not the overview"
    assert "upload" in page_paths(at)
    admin_link = app("somchai")
    ok(admin_link.switch_page("app_pages/admin.py").run())  # a council on the admin page's link: refused, plainly
    assert at.error is not None and not admin_link.file_uploader and admin_link.error


def test_viewers_and_analysts_cannot_reach_upload_or_admin(store):
    viewer = app()
    assert "upload" not in page_paths(viewer) and "admin" not in page_paths(viewer)
    analyst = app("ana")
    assert "upload" not in page_paths(analyst) and "admin" not in page_paths(analyst)
    council = app("somchai")
    assert "admin" not in page_paths(council)

    # The pages check the role themselves, even when run outside the navigation.
    alone = page_alone(UPLOAD)
    assert not alone.file_uploader and "ต้องเข้าสู่ระบบเพื่อนำเข้าข้อมูล" in texts(alone)
    assert alone.text_input(key="sign_in_name"), "the sign-in form instead"
    alone = page_alone(UPLOAD, "ana")
    assert not alone.file_uploader and "ไม่มีสิทธิ์นำเข้าข้อมูล" in alone.error[0].value
    alone = page_alone("app_pages/admin.py", "somchai")
    assert not alone.tabs and "ไม่มีสิทธิ์ดูแลระบบ" in alone.error[0].value
    alone = page_alone(UPLOAD, "ghost")  # an account removed since it signed in
    assert not alone.file_uploader


def test_a_removed_account_loses_the_page_at_once(store):
    at = app("malee", UPLOAD)
    assert at.file_uploader
    accounts.remove_user("malee", by="boss", db=store)
    ok(at.run())
    assert not at.file_uploader and "upload" not in page_paths(at)


def test_login_can_be_required_for_viewing(store, monkeypatch):
    monkeypatch.setenv("WELLBEING_REQUIRE_LOGIN", "1")
    at = app()
    assert page_paths(at) == {"signin"}
    assert at.title[0].value == "เข้าสู่ระบบ" and "โปรดเข้าสู่ระบบเพื่อดูแดชบอร์ด" in texts(at)
    at = app("ana")
    assert {"overview", "methods", "signin"} <= page_paths(at) and "upload" not in page_paths(at)


def test_english_labels(store):
    at = app("somchai")
    ok(at.radio(key="lang").set_value("en").run())
    ok(at.switch_page(UPLOAD).run())
    assert at.title[0].value == "Upload council figures"
    _upload(at, "bad.csv", _csv("930301,2569,population,abc"))
    problems = _problems(at)
    assert list(problems.columns) == ["Row", "Column", "Value", "Problem (Thai)", "Problem (English)", "Code"]
    assert "not a number" in problems["Problem (English)"].iloc[0]


@pytest.mark.parametrize("auth, buttons", [
    (None, []),
    ({"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32, "client_id": "id",
      "client_secret": "x", "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration"},
     ["oidc_default"]),
    ({"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
      "keycloak": {"client_id": "id", "client_secret": "x",
                   "server_metadata_url": "https://sso.example.org/realms/p/.well-known/openid-configuration"}},
     ["oidc_keycloak"]),
])
def test_oidc_sign_in_is_offered_when_auth_is_configured(store, auth, buttons):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(_apptest.APP), default_timeout=60)
    if auth:
        at.secrets["auth"] = auth
    ok(at.run())
    ok(at.switch_page("app_pages/signin.py").run())
    assert [b.key for b in at.button if b.key.startswith("oidc_")] == buttons
    assert at.text_input(key="sign_in_name"), "local accounts work alongside"


def test_template_for_their_own_area_and_year_as_csv_and_xlsx(store, deferred):
    import io

    from openpyxl import load_workbook

    at = app("somchai", UPLOAD)
    at.number_input(key="tpl_year").set_value(2570)
    ok(at.run())
    button = at.get("download_button")[0]
    make, file_name, _ = deferred[button]
    csv = make()
    assert file_name == "template_9303_2570.csv" and csv.startswith(b"\xef\xbb\xbf")
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("รหัสตำบล (area_code)") and len(lines) == 1 + 5  # the five subdistricts of 9303
    assert all(line.split(",")[3] == "2570" for line in lines[1:])

    ok(at.radio(key="tpl_format").set_value("xlsx").run())
    make, file_name, _ = deferred[at.get("download_button")[0]]
    sheet = load_workbook(io.BytesIO(make())).active
    assert file_name == "template_9303_2570.xlsx" and sheet.max_row == 6
    assert {sheet.cell(row=r, column=1).value for r in range(2, 7)} == {"930301", "930302", "930305", "930306",
                                                                          "930307"}


def test_a_filled_template_loads(store, deferred):
    import csv as csvlib
    import io

    at = app("somchai", UPLOAD)
    make, _, _ = deferred[at.get("download_button")[0]]
    rows = list(csvlib.reader(io.StringIO(make().decode("utf-8-sig"))))
    col = next(i for i, h in enumerate(rows[0]) if h.endswith("(population)"))
    year = int(rows[1][3])
    for k, row in enumerate(rows[1:]):
        row[col] = str(5000 + k)
    out = io.StringIO()
    csvlib.writer(out).writerows(rows)
    _upload(at, "filled.csv", out.getvalue().encode("utf-8-sig"))
    assert _problems(at) is None and not at.button(key="upload_confirm").disabled
    ok(at.button(key="upload_confirm").click().run())
    assert _value(store, rows[1][0], year_be=year) == 5000
    assert list_batches(store).iloc[0].rows_loaded == 5


def test_preview_shows_the_first_rows_of_a_long_file(store):
    at = app("somchai", UPLOAD)
    rows = [f"930301,{2540 + k},population,{1000 + k}" for k in range(60)] + ["930302,2569,population,x"]
    _upload(at, "long.csv", _csv(*rows))
    preview = [df.value for df in at.dataframe if "1. area" in df.value.columns]
    assert preview and len(preview[0]) == 15 and list(preview[0]["แถว"])[:2] == [2, 3]
    assert list(_problems(at)["แถว"]) == [62]


def test_no_undo_button_for_a_batch_with_areas_outside_the_scope(store):
    """Issue 19 item 4: a batch made as somchai on the command line that holds 9301's values is listed without an
    undo button; somchai's own in-scope upload keeps its button."""
    from loaders.uploads import load_file

    other = load_file(_csv("930301,2569,population,1", "930101,2569,population,2"), "cli.csv", db=store,
                      user="somchai", via="command line").batch_id
    own = users.upload_as(accounts.get_user("somchai", store), _csv("930302,2569,population,3"), "own.csv",
                          db=store).batch_id
    at = app("somchai", UPLOAD)
    keys = {b.key for b in at.button}
    assert f"undo_{own}" in keys and f"undo_{other}" not in keys
    assert {"cli.csv", "own.csv"} <= {t.value for t in at.text}, "both listed"


def test_a_district_figure_needs_a_level_and_the_preview_says_what_loads(store):
    """Issue 14: council 9303 sends its district's own figure by a bare name (district 9303 and subdistrict 930301
    are both เขาชัยสน): ambiguous until the level is chosen; then it is stored for the district, and said so."""
    at = app("somchai", UPLOAD)
    _upload(at, "district.csv", "พื้นที่,ปี,จำนวนประชากร\nเขาชัยสน,2569,47210\n".encode())
    assert list(_problems(at)["รหัสปัญหา"]) == ["ambiguous-level"]
    assert at.button(key="upload_confirm").disabled
    assert at.selectbox(key="upload_level").options == [
        "ตามที่ไฟล์ระบุ (หัวคอลัมน์ หรือ อ. ต. จ. หน้าชื่อ)", "ตำบล", "อำเภอ", "จังหวัด"]
    ok(at.selectbox(key="upload_level").set_value("district").run())
    assert _problems(at) is None and not at.button(key="upload_confirm").disabled
    assert any("ข้อมูลระดับ: อำเภอ 1 แถว" in c.value for c in at.caption)
    ok(at.button(key="upload_confirm").click().run())
    assert _value(store, "9303") == 47210


# ------------------------------------------------------------------------------------------- issue 18: the preview

PREVIEW_FILE = 'area,year,measure,value\nต.เขาชัยสน,2569,population,"8,912"\n930302,2569,population,8800\n'.encode()
WARNING_TH = ("จำนวนประชากร ต.เขาชัยสน อ.เขาชัยสน ปี 2569: 18,003 → 8,912 (−50 %) ห่างจากค่าเดิมของพื้นที่มาก: "
              "ตรวจว่าถูกต้อง")
WARNING_EN = ("Population, Khao Chaison Subdistrict (Khao Chaison District), 2569 BE: 18,003 → 8,912 (−50 %) is far "
              "from the area's value already stored: check that it is right")


def _known(store) -> None:
    """Population 2569 BE: 930301 holds 18,003, 930302 holds 8,700."""
    from _store import put

    put(store, [("930301", "population", 2026, 18_003.0), ("930302", "population", 2026, 8_700.0)])


def _in_order(at) -> list:
    """Every element of the main area, in the order drawn (depth first)."""
    out = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
        else:
            out.append(node)

    walk(at.main)
    return out


def _frame(at, column: str):
    frames = [df.value for df in at.dataframe if column in df.value.columns]
    assert frames, f"no table with a {column!r} column"
    return frames[0]


def _warning_before_confirm(at, text: str) -> None:
    elements = _in_order(at)
    warning = next(i for i, el in enumerate(elements) if el.type == "warning" and text in _apptest._MD_ESCAPE.sub(
        r"\1", str(el.value)))
    button = next(i for i, el in enumerate(elements) if getattr(el, "key", None) == "upload_confirm")
    assert warning < button, "the warnings are in view right above the confirm button"


def test_check_step_shows_matched_rows_replacements_and_the_warning_before_confirming(store):
    _known(store)
    at = app("somchai", UPLOAD)
    _upload(at, "f.csv", PREVIEW_FILE)
    rows = _frame(at, "พื้นที่ที่ตรงกัน")
    assert list(rows.columns) == ["แถว", "ชื่อในไฟล์", "รหัสพื้นที่", "พื้นที่ที่ตรงกัน", "ข้อมูลที่รายงาน", "ปี พ.ศ.", "ปี ค.ศ.",
                                  "ค่าในไฟล์", "ค่าที่อ่านได้", "คำเตือน", "ค่าที่มีอยู่แล้ว"]
    assert rows.values.tolist() == [
        ["2", "ต.เขาชัยสน", "930301", "ต.เขาชัยสน อ.เขาชัยสน", "จำนวนประชากร", "2569", "2026", "8,912", "8,912",
         "⚠ ห่างจากค่าเดิมมาก", "18,003"],
        ["3", "930302", "930302", "ต.ควนขนุน อ.เขาชัยสน", "จำนวนประชากร", "2569", "2026", "8800", "8,800", "", "8,700"]]
    replaced = _frame(at, "ค่าเดิม")
    assert list(replaced.columns) == ["พื้นที่ที่ตรงกัน", "ค่าเดิม", "ค่าใหม่", "เปลี่ยนไป (%)", "คำเตือน", "ข้อมูลที่รายงาน", "ปี พ.ศ.",
                                      "แถว"], "old → new right after the area: what a phone shows first"
    assert replaced[["ค่าเดิม", "ค่าใหม่", "เปลี่ยนไป (%)", "คำเตือน"]].values.tolist() == [
        ["18,003", "8,912", "-50", "⚠ ห่างจากค่าเดิมมาก"], ["8,700", "8,800", "+1", ""]]
    assert "ค่าใหม่ 0 ค่า แทนค่าเดิม 2 ค่า เท่าค่าเดิม 0 ค่า" in texts(at)
    assert [w for w in texts(at).splitlines() if WARNING_TH in w], "the warning, word for word"
    assert "คำเตือน 1 รายการ" in texts(at)
    _warning_before_confirm(at, WARNING_TH)
    assert not at.error, "a warning is not an error"
    assert not at.button(key="upload_confirm").disabled, "warnings do not block loading"
    ok(at.button(key="upload_confirm").click().run())
    assert _value(store, "930301") == 8912 and _value(store, "930302") == 8800


def test_check_step_in_english(store):
    _known(store)
    at = app("somchai")
    ok(at.radio(key="lang").set_value("en").run())
    ok(at.switch_page(UPLOAD).run())
    _upload(at, "f.csv", PREVIEW_FILE)
    rows = _frame(at, "Matched area")
    assert rows[["Area as written", "Area code", "Matched area", "Year (BE)", "Year (CE)", "Value as read",
                 "Stored now"]].values.tolist() == [
        ["ต.เขาชัยสน", "930301", "Khao Chaison subdistrict, Khao Chaison district", "2569", "2026", "8,912", "18,003"],
        ["930302", "930302", "Khuan Khanun subdistrict, Khao Chaison district", "2569", "2026", "8,800", "8,700"]]
    replaced = _frame(at, "Old value")
    assert replaced[["Old value", "New value", "Change (%)", "Warning"]].values.tolist() == [
        ["18,003", "8,912", "-50", "⚠ far from the area's figures"], ["8,700", "8,800", "+1", ""]]
    assert "Stored values that will be replaced (2): old → new" in texts(at)
    assert "1 warning(s): these values can load" in texts(at) and WARNING_EN in texts(at)
    _warning_before_confirm(at, WARNING_EN)
    assert not at.button(key="upload_confirm").disabled


def test_a_file_that_replaces_nothing_says_so_and_warns_of_nothing(store):
    at = app("somchai", UPLOAD)
    _upload(at, "new.csv", _csv("930301,2540,population,5000"))  # the demo starts in 2558 BE
    assert "ไม่มีค่าเดิมที่จะถูกแทนที่" in texts(at) and "คำเตือน" not in texts(at)
    assert not [df for df in at.dataframe if "ค่าเดิม" in df.value.columns]


# ------------------------------------------------------------------------------------------ issue 18: undo dialog

def test_undo_asks_in_a_dialog_naming_the_batch_and_cancel_keeps_it(store):
    report = users.upload_as(accounts.get_user("somchai", store), _csv("930301,2569,population,4321",
                                                                      "930302,2569,population,4322"), "mine.csv",
                             db=store)
    at = app("somchai", UPLOAD)
    assert "undo_confirm" not in [b.key for b in at.button], "no dialog before the button"
    ok(at.button(key=f"undo_{report.batch_id}").click().run())
    said = texts(at)
    assert "ไฟล์ **mine.csv** นำเข้าโดย **somchai** เมื่อ" in said and "2 แถว ค่าที่เปลี่ยน 2 ค่า" in said
    assert "การยกเลิกจะคืนค่าเดิม 2 ค่า และลบค่าที่ชุดนี้เพิ่มเข้ามา 0 ค่า" in said
    listed = _frame(at, "ค่าใหม่")  # the batch's values, old → new, in the dialog
    assert list(listed["ค่าใหม่"]) == ["4,321", "4,322"] and list(listed["พื้นที่"]) == [
        "ต.เขาชัยสน · อ.เขาชัยสน", "ต.ควนขนุน · อ.เขาชัยสน"]
    assert at.button(key="undo_confirm").label == f"ยืนยัน ยกเลิกชุดที่ {report.batch_id}"
    assert at.button(key="undo_cancel").label == "ไม่ยกเลิก เก็บไว้ตามเดิม"
    ok(at.button(key="undo_cancel").click().run())
    assert _value(store, "930301") == 4321, "cancel keeps the batch"
    assert list_batches(store).set_index("id").loc[report.batch_id, "status"] == "loaded"
    assert "undo_confirm" not in [b.key for b in at.button], "the dialog is closed"

    ok(at.button(key=f"undo_{report.batch_id}").click().run())
    ok(at.button(key="undo_confirm").click().run())
    assert _value(store, "930301") != 4321
    assert f"ยกเลิกชุดที่ {report.batch_id} แล้ว: คืนค่าเดิม 2 ค่า ลบ 0 ค่า" in texts(at)
    assert "undo_confirm" not in [b.key for b in at.button]


def test_an_undo_batch_is_listed_as_an_undo(store):
    somchai = accounts.get_user("somchai", store)
    report = users.upload_as(somchai, _csv("930301,2569,population,4321"), "mine.csv", db=store)
    undo_id = users.undo_as(somchai, report.batch_id, db=store)["undo_batch_id"]
    at = app("somchai", UPLOAD)
    shown = [el.value for el in at.text]
    i = shown.index(str(undo_id))  # the row of the undo batch: id, file, when, status, values
    assert shown[i + 1] == f"ยกเลิกชุดที่ {report.batch_id}" and shown[i + 3] == "เป็นการยกเลิก"
    j = shown.index(str(report.batch_id))
    assert shown[j + 1] == "mine.csv" and shown[j + 3] == "ยกเลิกแล้ว"
    assert "นำเข้าแล้ว" not in shown
