"""Faults (issue 19, item 5): a full disk, a read-only store, a busy store and broken settings are said plainly, in
Thai and English, with no traceback and no server path; sign-in and viewing work on a read-only store.

The conditions are real: a small tmpfs filled to the last byte, the same file system remounted read-only (root can
write through chmod, not through a read-only mount), another process holding DuckDB's lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import _apptest
import pytest
from _apptest import PW, app, ok, page_paths, texts

from indicators.words import t
from loaders import accounts
from loaders.store import StoreFull, StoreReadOnly, reader, writer
from loaders.uploads import load_file

ROOT = Path(__file__).resolve().parents[1]
UPLOAD = "app_pages/upload.py"
fast_hashing, store = _apptest.fast_hashing, _apptest.store
CSV = b"area,year,measure,value\n930301,2569,population,1200\n930302,2569,population,1300\n"


@contextmanager
def small_fs(path: Path, size: str = "32m"):
    """A tmpfs of ``size`` mounted at ``path`` (root only), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    path.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr!r}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(folder: Path) -> None:
    """Write a filler file until the file system is full (ENOSPC), to the last block."""
    with open(folder / "filler", "wb", buffering=0) as fh:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == 28, exc
    assert shutil.disk_usage(folder).free < 1 << 16


def make_read_only(folder: Path) -> None:
    """Root: remount ``folder``'s tmpfs read-only; anyone else: chmod the store and its folder."""
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:  # pragma: no cover - the suite runs as root here
        for p in folder.rglob("*"):
            p.chmod(0o444 if p.is_file() else 0o555)
        folder.chmod(0o555)


def cli(*argv: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def no_trace(at) -> str:
    """Every text the page drew, checked for tracebacks and server paths."""
    ok(at)
    shown = texts(at)
    assert "Traceback" not in shown and "/tmp" not in shown and ".duckdb" not in shown, shown
    return shown


@pytest.fixture
def on_small_fs(store, tmp_path, monkeypatch):
    """The demo store with accounts (``store``) copied onto a small tmpfs, which the app and the CLI use."""
    with small_fs(tmp_path / "fs") as fs:
        db = fs / "store.duckdb"
        shutil.copy(store, db)
        monkeypatch.setenv("WELLBEING_DB", str(db))
        yield db


def _batches(db) -> int:
    with reader(db) as con:
        return con.execute("SELECT count(*) FROM batches").fetchall()[0][0]


# --- a full disk --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["archive", "commit"])
def test_full_disk_on_the_command_line_exits_2_with_a_plain_message(on_small_fs, tmp_path, where):
    db = on_small_fs
    f = tmp_path / "f.csv"
    f.write_bytes(CSV)
    before = _batches(db)
    if where == "commit":  # the raw file is archived already: DuckDB's commit is what meets the full disk
        import hashlib

        (db.parent / "uploads").mkdir()
        (db.parent / "uploads" / hashlib.sha256(CSV).hexdigest()).write_bytes(CSV)
    fill(db.parent)
    p = cli("csv", str(f), "--db", str(db))
    assert p.returncode == 2, p.stderr
    assert "the disk is full, nothing was written" in p.stderr and "พื้นที่ดิสก์เต็ม" in p.stderr
    assert "Traceback" not in p.stderr and "internal error" not in p.stderr
    with pytest.raises(StoreFull):
        load_file(CSV, "f.csv", db=db)
    assert not list(db.parent.glob("uploads/.incoming-*")), "no half-written copy is left"
    (db.parent / "filler").unlink()
    assert _batches(db) == before, "nothing was written"
    assert load_file(CSV, "f.csv", db=db).status == "loaded", "the store works again once there is room"


def test_full_disk_at_upload_says_so_on_the_page(on_small_fs):
    db = on_small_fs
    at = app("somchai", UPLOAD)
    at.file_uploader[0].set_value(("f.csv", CSV, "text/csv"))
    ok(at.run())
    assert not at.button(key="upload_confirm").disabled, "the check writes nothing, so it works on a full disk"
    before = _batches(db)
    fill(db.parent)
    at.button(key="upload_confirm").click().run()
    shown = no_trace(at)
    assert t("app.store_full", "th") in shown
    assert "upload" in page_paths(at), "still signed in"
    (db.parent / "filler").unlink()
    assert _batches(db) == before, "nothing was written"


def test_sign_in_works_on_a_full_disk(on_small_fs):
    fill(on_small_fs.parent)
    assert accounts.authenticate("somchai", PW).name == "somchai"


# --- a read-only store --------------------------------------------------------------------------------------------


@pytest.fixture
def read_only(on_small_fs):
    make_read_only(on_small_fs.parent)
    with pytest.raises(OSError):
        (on_small_fs.parent / "probe").write_bytes(b"x")
    return on_small_fs


def test_sign_in_and_viewing_work_on_a_read_only_store(read_only):
    db = read_only
    assert accounts.authenticate("somchai", PW).role == "council"
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate("somchai", "wrong password")
    with pytest.raises(StoreReadOnly), writer(db):
        pass

    at = app()
    shown = no_trace(at)
    assert at.title, "the overview draws"
    ok(at.switch_page("app_pages/signin.py").run())
    at.text_input(key="sign_in_name").input("somchai")
    at.text_input(key="sign_in_password").input(PW)
    at.button(key="sign_in_submit").click().run()
    no_trace(at)
    assert at.session_state["_auth_name"] == "somchai" and "upload" in page_paths(at)
    for page in ("app_pages/area.py", "app_pages/map.py", "app_pages/reporting.py"):
        shown = no_trace(at.switch_page(page).run())
    assert t("app.store_read_only", "th") not in shown, "viewing needs no write"


def test_a_read_only_store_keeps_the_lock_out(read_only):
    for _ in range(accounts.LOCK_AFTER - 1):
        with pytest.raises(accounts.LoginFailed) as exc:
            accounts.authenticate("malee", "wrong password")
        assert exc.value.locked_seconds is None
    with pytest.raises(accounts.LoginFailed) as exc:
        accounts.authenticate("malee", "wrong password")
    assert exc.value.locked_seconds == accounts.LOCK_SECONDS
    with pytest.raises(accounts.LoginFailed) as exc:
        accounts.authenticate("malee", PW)
    assert exc.value.locked_seconds, "locked: not even the right password gets in"
    accounts._unrecorded.pop("malee", None)


def test_writes_on_a_read_only_store_are_refused_plainly(read_only, tmp_path):
    f = tmp_path / "f.csv"
    f.write_bytes(CSV)
    p = cli("csv", str(f), "--db", str(read_only))
    assert p.returncode == 2 and "read-only" in p.stderr and "Traceback" not in p.stderr, p.stderr
    p = cli("user", "add", "newcomer", "--role", "analyst", "--password-stdin", "--db", str(read_only))
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr

    at = app("somchai", UPLOAD)
    at.file_uploader[0].set_value(("f.csv", CSV, "text/csv"))
    ok(at.run())
    at.button(key="upload_confirm").click().run()
    assert t("app.store_read_only", "th") in no_trace(at)


# --- a busy store ---------------------------------------------------------------------------------------------------

HOLDER = r"""
import sys, time, duckdb
from pathlib import Path
con = duckdb.connect(sys.argv[1])
Path(sys.argv[2]).touch()
while not Path(sys.argv[3]).exists():
    time.sleep(0.02)
"""


def test_a_busy_store_never_looks_signed_out(store, tmp_path, monkeypatch):
    monkeypatch.setenv("WELLBEING_BUSY_TIMEOUT", "0.3")
    at = app("somchai", UPLOAD)
    at.file_uploader[0].set_value(("f.csv", CSV, "text/csv"))
    ok(at.run())
    ready, done = tmp_path / "ready", tmp_path / "done"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store), str(ready), str(done)])
    try:
        while not ready.exists():
            time.sleep(0.02)
        at.button(key="upload_confirm").click().run()
        shown = no_trace(at)
        assert t("app.busy", "th") in shown
        assert at.session_state["_auth_name"] == "somchai" and "upload" in page_paths(at), "still signed in"
    finally:
        done.touch()
        holder.wait(timeout=30)
    ok(at.run())
    assert t("app.busy", "th") not in texts(at)


# --- settings -------------------------------------------------------------------------------------------------------


def test_a_bad_setting_is_named_not_traced(store, tmp_path, monkeypatch):
    p = cli("info", "--db", str(store), WELLBEING_BUSY_TIMEOUT="soon")
    assert p.returncode == 2 and "WELLBEING_BUSY_TIMEOUT" in p.stderr and "Traceback" not in p.stderr, p.stderr
    monkeypatch.setenv("WELLBEING_MAX_UPLOAD_MB", "fifty")
    at = app("somchai")
    at.switch_page(UPLOAD).run()
    shown = no_trace(at)
    assert t("app.config_error", "th", setting="WELLBEING_MAX_UPLOAD_MB") in shown and "fifty" not in shown


def test_auth_without_cookie_secret_offers_no_broken_button(store):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(_apptest.APP), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "client_id": "id",
                          "client_secret": "x", "server_metadata_url": "https://sso.example.org/.well-known/x"}
    ok(at.run())
    ok(at.switch_page("app_pages/signin.py").run())
    assert not [b for b in at.button if b.key.startswith("oidc_")]
    shown = no_trace(at)
    assert any("cookie_secret" in w.value for w in at.warning), shown
    assert at.text_input(key="sign_in_name"), "local accounts still work"


def test_production_config_hides_error_details():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_an_older_store_is_never_upgraded_by_a_viewer(tmp_path, monkeypatch):
    """Issue 15 item 9: reads never write; the page says what the administrator runs, with no traceback or path."""
    import duckdb

    path = tmp_path / "old.duckdb"
    with writer(path):
        pass
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM schema_version WHERE version > 1")
    con.close()
    before = path.read_bytes()
    monkeypatch.setenv("WELLBEING_DB", str(path))
    at = app()
    assert not at.exception
    assert [e.value for e in at.error] == [t("app.store_old", "th")]
    assert str(tmp_path) not in texts(at)
    assert path.read_bytes() == before
