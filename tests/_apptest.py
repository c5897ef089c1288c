"""Helpers shared by the AppTest tests of the upload, admin and sign-in pages (accounts, sign-in, texts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from loaders import accounts

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
PW = "correct horse battery"
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@pytest.fixture
def fast_hashing(monkeypatch):
    """Cheap argon2 parameters (the production ones are checked in test_users.py)."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(accounts, "_dummy", [])


@pytest.fixture
def store(monkeypatch, demo_db, fast_hashing):
    """A writable demo store with a council (district 9303), a second council, an analyst and an admin."""
    monkeypatch.setenv("WELLBEING_DB", str(demo_db))
    accounts.add_user("somchai", "council", scope="9303", password=PW, by="test", db=demo_db)
    accounts.add_user("malee", "council", scope="9301", password=PW, by="test", db=demo_db)
    accounts.add_user("ana", "analyst", password=PW, by="test", db=demo_db)
    accounts.add_user("boss", "admin", email="boss@example.org", password=PW, by="test", db=demo_db)
    return demo_db


def app(user: str | None = None, page: str | None = None, oidc: dict | None = None) -> AppTest:
    """app.py signed in as local account ``user`` (what the sign-in form leaves in the session), on ``page``."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    if user:
        at.session_state["_auth_name"] = user
    if oidc is not None:
        at.user = oidc
    at.run()
    ok(at)
    if page:
        at.switch_page(page).run()
        ok(at)
    return at


def page_alone(path: str, user: str | None = None) -> AppTest:
    """One page file run on its own, outside app.py's navigation: what a hand-typed URL could reach."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    if user:
        at.session_state["_auth_name"] = user
    at.run()
    ok(at)
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """The page's Markdown texts as a person reads them (backslash escapes of user text removed)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "success", "error"):
        parts += [str(el.value) for el in getattr(at, kind)]
    return _MD_ESCAPE.sub(r"\1", "\n".join(parts))


def page_paths(at: AppTest) -> set[str]:
    """The pages app.py's menu lists in this run: those the navigation opens (switch_page) and shows (not hidden,
    by :func:`app_pages._nav.pages_for` for the session's account)."""
    from app_pages import _auth, _nav

    # the account the run's navigation was made for (what app.py found, or kept while the store was busy)
    user = at.session_state[_auth.LAST_KEY] if _auth.LAST_KEY in at.session_state else None  # noqa: SIM401
    shown = _nav.listed(user, _auth.login_required())
    found = set()
    for page in ("overview", "area", "compare", "map", "reporting", "methods", "upload", "admin", "signin"):
        try:
            at.switch_page(f"app_pages/{page}.py")
        except ValueError:
            continue
        if page in shown:
            found.add(page)
    return found
