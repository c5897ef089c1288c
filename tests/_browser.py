"""Shared by the end-to-end tests: a `streamlit run app.py` server on a free local port, and headless Chromium.

Chromium is Debian's (/usr/bin/chromium); Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
NEEDS_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="/usr/bin/chromium is absent"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(db: Path, log_dir: Path, drop_env: tuple[str, ...] = (), args: tuple[str, ...] = (),
                     port: int | None = None) -> Iterator[tuple[str, Path]]:
    """Start the dashboard on ``db`` (``args``: more ``streamlit run`` options, e.g. ``--secrets.files``); yield
    (base URL, log file); always stop it."""
    port = port or free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [str(streamlit if streamlit.exists() else shutil.which("streamlit")), "run", "app.py",
           "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false", *args]
    log = log_dir / "streamlit.log"
    env = {**os.environ, "WELLBEING_DB": str(db)}
    for name in drop_env:
        env.pop(name, None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, f"{base}/_stcore/health", log, "streamlit")
        yield base, log
    finally:
        stop(proc)


def wait_until_up(proc: subprocess.Popen, url: str, log: Path, what: str, ok=lambda r: r.status == 200) -> None:
    """Poll ``url`` until ``ok(response)``; raise (with the end of ``log``) when ``proc`` dies or 60 s pass."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if ok(r):
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server started by a test, then kill it if it does not stop."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium browser (Playwright's sync API); skip when Playwright is absent."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
