"""One upload size limit (issue 19, item 8): the page, the command line, the browser widget and Streamlit's server
agree on it, and the page states it once."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import _apptest
from _apptest import app, ok, texts

from indicators.words import t
from loaders.uploads import DEFAULT_MAX_MB, MB, max_upload_bytes

ROOT = Path(__file__).resolve().parents[1]
UPLOAD = "app_pages/upload.py"
fast_hashing, store = _apptest.fast_hashing, _apptest.store
CSV = b"area,year,measure,value\n930301,2569,population,1200\n"


def _sized(n: int) -> bytes:
    """A valid council file of exactly ``n`` bytes (blank lines at the end are skipped by the reader)."""
    assert n >= len(CSV)
    return CSV + b"\n" * (n - len(CSV))


def test_the_limit_is_one_number_in_the_app_and_the_server_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == DEFAULT_MAX_MB
    assert max_upload_bytes() == DEFAULT_MAX_MB * 1_000_000, "MB as the browser counts them"
    assert config["server"]["maxUploadSize"] * 2**20 >= max_upload_bytes(), "Streamlit's server never refuses first"
    assert max_upload_bytes() < 49 * 2**20, "a 49 MiB file is above 50 MB: refused by the page and the command line"


def test_widget_states_the_limit_once(store):
    at = app("somchai", UPLOAD)
    widget = at.get("file_uploader")[0]
    assert widget.proto.max_upload_size_mb == DEFAULT_MAX_MB
    assert "50 MB" in widget.proto.help and "1,000,000" in widget.proto.help


def test_page_and_command_line_agree_at_the_limit(store, tmp_path, monkeypatch):
    limit = 400
    monkeypatch.setenv("WELLBEING_MAX_UPLOAD_MB", str(limit / MB))
    assert max_upload_bytes() == limit
    env = {**os.environ, "WELLBEING_MAX_UPLOAD_MB": str(limit / MB)}
    for size, accepted in ((limit, True), (limit + 1, False)):
        f = tmp_path / f"f{size}.csv"
        f.write_bytes(_sized(size))
        p = subprocess.run([sys.executable, "-m", "loaders", "csv", str(f), "--db", str(store), "--dry-run"],
                           cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
        assert (p.returncode == 0) is accepted, p.stderr
        assert ("too large" in p.stderr) is not accepted

        at = app("somchai", UPLOAD)
        at.file_uploader[0].set_value((f.name, f.read_bytes(), "text/csv"))
        ok(at.run())
        assert at.button(key="upload_confirm").disabled is not accepted
        codes = {c for df in at.dataframe if "รหัสปัญหา" in df.value.columns for c in df.value["รหัสปัญหา"]}
        assert ("file-too-large" in codes) is not accepted


def test_a_limit_above_the_server_config_is_a_named_setting_error(store, monkeypatch):
    monkeypatch.setenv("WELLBEING_MAX_UPLOAD_MB", "500")  # Streamlit's server would refuse above 50 MiB
    at = app("somchai")
    at.switch_page(UPLOAD).run()
    ok(at)
    assert t("app.config_error", "th", setting="server.maxUploadSize") in texts(at)
