"""The administration page in AppTest: an OIDC identity mapped to its role by e-mail, targets (and the overview's
status following them), batches with undo, accounts, boundaries from a file, coverage, and the write log."""

from __future__ import annotations

import warnings

import _apptest
import geopandas as gpd
from _apptest import PW, app, ok, page_paths, texts
from shapely.geometry import box

from indicators.engine.tables import progress_table
from loaders import accounts, audit, permissions, users
from loaders.batches import list_batches
from loaders.store import reader

ADMIN = "app_pages/admin.py"
BOSS = {"is_logged_in": True, "email": "Boss@Example.org", "name": "Boss"}
fast_hashing, store = _apptest.fast_hashing, _apptest.store


def _frame_with(at, column: str):
    frames = [df.value for df in at.dataframe if column in df.value.columns]
    assert frames, f"no table with a {column!r} column"
    return frames[0]


def test_oidc_identity_gets_the_role_of_its_email(store):
    at = app(oidc=BOSS)
    assert {"upload", "admin", "signin"} <= page_paths(at)
    ok(at.switch_page(ADMIN).run())
    assert at.title[0].value == "ผู้ดูแลระบบ" and len(at.tabs) == 7
    assert "เข้าสู่ระบบเป็น boss" in texts(at)

    stranger = app(oidc={"is_logged_in": True, "email": "someone@else.org"})
    assert "admin" not in page_paths(stranger) and "upload" not in page_paths(stranger)
    ok(stranger.switch_page("app_pages/signin.py").run())
    assert "someone@else.org" in texts(stranger) and "ยังไม่มีบัญชี" in texts(stranger)


def test_admin_sets_a_target_and_the_overview_status_follows(store):
    before = progress_table(store, area="93").set_index("indicator_id").status["happiness"]
    assert before not in ("achieved", "on_track")
    at = app("boss")

    def on_track(at) -> str:  # the card "ตัวชี้วัดที่บรรลุหรือตามเป้า": "good / total"
        return next(m.value for m in at.metric if m.label == "ตัวชี้วัดที่บรรลุหรือตามเป้า")

    good = on_track(at)
    ok(at.switch_page(ADMIN).run())
    at.selectbox(key="tg_indicator").set_value("happiness")
    at.number_input(key="tg_value").set_value(7.0)  # below the latest value: achieved
    ok(at.button(key="tg_set").click().run())
    assert any("ตั้งเป้าหมาย" in s.value for s in at.success)
    overrides = _frame_with(at, "กำหนดโดย")
    assert list(overrides["กำหนดโดย"]) == ["boss"] and overrides["เป้าหมาย"].iloc[0] == 7.0

    ok(at.switch_page("app_pages/overview.py").run())
    after = on_track(at)
    n_before, n_after = int(good.split("/")[0]), int(after.split("/")[0])
    assert n_after == n_before + 1, (good, after)

    ok(at.switch_page(ADMIN).run())
    at.selectbox(key="tg_clear_which").set_value("happiness|")
    ok(at.button(key="tg_clear").click().run())
    ok(at.switch_page("app_pages/overview.py").run())
    assert on_track(at) == good
    log = audit.write_log(store)
    assert {"target-set", "target-clear"} <= set(log[log.who == "boss"].action)


def test_admin_undoes_any_batch(store):
    report = users.upload_as(accounts.User("somchai", "council"),
                             b"area,year,measure,value\n930301,2569,population,777\n", "c.csv", db=store)
    at = app("boss", ADMIN)
    ok(at.selectbox(key="batch_undo_which").set_value(report.batch_id).run())
    ok(at.button(key="batch_undo").click().run())
    ok(at.button(key="undo_confirm").click().run())
    assert list_batches(store).set_index("id").loc[report.batch_id, "undone_by"] == "boss"
    with reader(store) as con:
        value = con.execute("SELECT value FROM observations WHERE area_code = '930301' AND measure_id = 'population'"
                            " AND year = 2026").fetchall()[0][0]
    assert value != 777
    assert "ยกเลิกแล้ว" in set(_frame_with(at, "ยกเลิกโดย")["สถานะ"])


def test_admin_manages_accounts_without_showing_a_password(store):
    at = app("boss", ADMIN)
    at.text_input(key="nu_name").input("newcouncil")
    at.selectbox(key="nu_role").set_value("council")
    at.text_input(key="nu_scope").input("9305")
    at.text_input(key="nu_password").input("fresh password 1")
    at.text_input(key="nu_password2").input("fresh password 1")
    ok(at.button(key="nu_submit").click().run())
    assert any("newcouncil" in s.value for s in at.success), texts(at)
    shown = _frame_with(at, "ขอบเขตพื้นที่")
    assert "newcouncil" in set(shown["ชื่อบัญชี"])
    assert accounts.authenticate("newcouncil", "fresh password 1", db=store).scope == ("9305",)

    at.text_input(key="nu_name").input("nocouncil")
    at.selectbox(key="nu_role").set_value("council")
    at.text_input(key="nu_scope").input("")
    at.text_input(key="nu_password").input("fresh password 1")
    at.text_input(key="nu_password2").input("fresh password 1")
    ok(at.button(key="nu_submit").click().run())
    assert "ต้องระบุขอบเขตพื้นที่" in at.error[0].value and accounts.get_user("nocouncil", store) is None

    at.selectbox(key="rp_name").set_value("newcouncil")
    at.text_input(key="rp_password").input("reset password 2")
    ok(at.button(key="rp_submit").click().run())
    assert accounts.authenticate("newcouncil", "reset password 2", db=store)

    ok(at.selectbox(key="eu_name").set_value("newcouncil").run())
    assert at.selectbox(key="eu_role_newcouncil").value == "council"
    assert at.text_input(key="eu_scope_newcouncil").value == "9305", "the form starts from the account's values"
    at.text_input(key="eu_scope_newcouncil").input("9301,9302")
    ok(at.button(key="eu_submit").click().run())
    assert accounts.get_user("newcouncil", store).scope == ("9301", "9302")
    at.selectbox(key="eu_role_newcouncil").set_value("analyst")
    ok(at.button(key="eu_submit").click().run())
    changed = accounts.get_user("newcouncil", store)
    assert changed.role == "analyst" and changed.scope == ()

    at.selectbox(key="ru_name").set_value("newcouncil")
    ok(at.button(key="ru_submit").click().run())
    assert accounts.get_user("newcouncil", store) is None
    assert "boss" not in at.selectbox(key="ru_name").options, "an admin cannot remove themself here"

    shown = texts(at) + "".join(df.value.to_csv() for df in at.dataframe)
    for secret in ("fresh password 1", "reset password 2", PW, "$argon2"):
        assert secret not in shown
    log = audit.write_log(store)
    actions = set(log[(log.who == "boss") & (log.subject == "newcouncil")].action)
    assert {"user-add", "user-password", "user-update", "user-remove"} <= actions
    log_table = _frame_with(at, "การกระทำ")
    assert "user-remove" in set(log_table["การกระทำ"])


def test_admin_reloads_boundaries_from_a_file(store, tmp_path):
    shapes = gpd.GeoDataFrame({"ADM2_PCODE": [f"TH93{i:02d}" for i in range(1, 12)], "ADM1_PCODE": ["TH93"] * 11},
                              geometry=[box(99.9 + 0.03 * i, 7.4, 99.92 + 0.03 * i, 7.42) for i in range(11)],
                              crs="EPSG:4326")
    path = tmp_path / "districts.geojson"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shapes.to_file(path)
    at = app("boss", ADMIN)
    at.file_uploader(key="bd_file").set_value(("districts.geojson", path.read_bytes(), "application/geo+json"))
    ok(at.run())
    ok(at.button(key="bd_load").click().run())
    assert any("11" in s.value for s in at.success), texts(at)
    with reader(store) as con:
        sources = {r[0] for r in con.execute("SELECT geometry_source FROM areas WHERE level = 'district'").fetchall()}
    assert sources == {"districts.geojson"}
    assert "boundaries" in set(audit.write_log(store).action)

    at.file_uploader(key="bd_file").set_value(("junk.geojson", b"{not json", "application/geo+json"))
    ok(at.run())
    ok(at.button(key="bd_load").click().run())
    assert at.error, "an unreadable file is a message"


def test_coverage_and_log_tabs(store):
    at = app("boss", ADMIN)
    assert "ส่งแล้ว" in texts(at)  # the coverage summary line
    assert at.selectbox(key="cov_year").options
    log = _frame_with(at, "การกระทำ")
    assert {"demo", "user-add"} <= set(log["การกระทำ"])


def test_admin_loads_an_agency_table_checked_first(store):
    """The ministry's table from the page (not only the command line): checked, loaded as a source batch, logged."""
    import pytest
    from test_sources import GOOD_ROW, _small_csv

    at = app("boss", ADMIN)
    at.file_uploader(key="src_file_0").set_value(("mots.csv", _small_csv([GOOD_ROW]), "text/csv"))
    ok(at.run())
    assert not at.button(key="src_load").disabled and at.success, texts(at)
    with reader(store) as con:
        assert con.execute("SELECT count(*) FROM official_observations").fetchall()[0][0] == 0  # checked, not loaded
    ok(at.button(key="src_load").click().run())
    assert at.success, texts(at)
    with reader(store) as con:
        batch, kind, source, who = con.execute(
            "SELECT id, kind, source, uploaded_by FROM batches ORDER BY id DESC LIMIT 1").fetchall()[0]
        n = con.execute("SELECT count(*) FROM official_observations WHERE batch_id = ? AND area_code = '93' "
                        "AND year = 2024 AND month = 1", [batch]).fetchall()[0][0]
    assert (kind, source, who) == ("source", "ministry", "boss") and n > 0
    assert "source" in set(audit.write_log(store).action)
    assert at.file_uploader(key="src_file_1").value is None, "a fresh file picker after loading"

    # a month that does not exist: refused with the row's problem, nothing to load
    bad = GOOD_ROW.replace("2024-01-01", "2024-13-01")
    at.file_uploader(key="src_file_1").set_value(("bad.csv", _small_csv([bad]), "text/csv"))
    ok(at.run())
    assert at.button(key="src_load").disabled and at.error
    problems = _frame_with(at, "รหัสปัญหา")
    assert problems["แถว"].tolist() == [2] and problems["ปัญหา (อังกฤษ)"].str.contains("2024-13-01").all()

    council = accounts.get_user("somchai", store)
    with pytest.raises(permissions.NotAllowed):
        users.load_source_as(council, "mots-tourism", _small_csv([GOOD_ROW]), "m.csv", db=store)


def test_admin_undo_preselects_nothing_and_asks_first(store):
    """Issue 18: the demo batch (the only one of a fresh store) is never pre-selected; the undo button opens a dialog
    naming the batch; cancel keeps it; an undo batch is listed as an undo, with its own kind and the batch it undid."""
    demo = list_batches(store)
    assert list(demo.kind) == ["demo"]
    at = app("boss", ADMIN)
    choice = at.selectbox(key="batch_undo_which")
    # the demo batch said in words, never its technical file name
    assert choice.value is None and choice.options == [f"{demo.id[0]} · ข้อมูลสาธิต · ตัวเลขสมมติที่ระบบสร้าง"]
    assert at.button(key="batch_undo").disabled

    report = users.upload_as(accounts.User("somchai", "council"),
                             b"area,year,measure,value\n930301,2569,population,777\n", "c.csv", db=store)
    at = app("boss", ADMIN)
    assert at.selectbox(key="batch_undo_which").value is None, "not even the newest batch"
    ok(at.selectbox(key="batch_undo_which").set_value(report.batch_id).run())
    ok(at.button(key="batch_undo").click().run())
    assert "ไฟล์ **c.csv** นำเข้าโดย **somchai** เมื่อ" in texts(at)
    assert "1 แถว ค่าที่เปลี่ยน 1 ค่า" in texts(at)
    ok(at.button(key="undo_cancel").click().run())
    assert list_batches(store).set_index("id").loc[report.batch_id, "status"] == "loaded"
    assert "undo_confirm" not in [b.key for b in at.button]

    ok(at.selectbox(key="batch_undo_which").set_value(report.batch_id).run())
    ok(at.button(key="batch_undo").click().run())
    ok(at.button(key="undo_confirm").click().run())
    batches = list_batches(store).set_index("id")
    assert batches.loc[report.batch_id, "status"] == "undone"
    undo_id = int(batches[batches.undo_of == report.batch_id].index[0])
    shown = _frame_with(at, "ยกเลิกโดย").set_index("ชุดที่")
    assert shown.loc[undo_id, ["ประเภท", "สถานะ", "ไฟล์"]].tolist() == [
        "การยกเลิก", "เป็นการยกเลิก", f"ยกเลิกชุดที่ {report.batch_id}"]
    assert shown.loc[report.batch_id, ["ประเภท", "สถานะ"]].tolist() == ["ไฟล์ของสภาฯ", "ยกเลิกแล้ว"]
    assert shown.loc[int(demo.id[0]), ["ประเภท", "สถานะ"]].tolist() == ["ข้อมูลสาธิต", "นำเข้าแล้ว"]
