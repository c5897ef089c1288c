"""Single sign-on end to end in real headless Chromium against a real OpenID Connect provider (oidc-provider-mock,
started on 127.0.0.1 by the test): the sign-in page's button runs Streamlit's ``st.login`` (Authlib, discovery,
authorization code with PKCE, a signed ID token checked against the provider's JWKS); the role comes from the account
whose e-mail matches (in any case); an unknown or unverified e-mail can only view; sign-out clears the identity
cookie and passes through the provider's end-session page; a provider that is down or half configured gets a Thai
(or English) message on the sign-in page, never Streamlit's error page or a traceback.

The server's secrets.toml is written into the test's temporary directory and handed over with ``--secrets.files``:
nothing is written into the work tree.  Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import importlib.util
import re
import secrets
import shutil
from pathlib import Path

import pytest
from _browser import ARTIFACTS, NEEDS_CHROMIUM, free_port, streamlit_server
from _oidc_provider import oidc_provider

from loaders import accounts

pytestmark = NEEDS_CHROMIUM
if importlib.util.find_spec("oidc_provider_mock") is None:
    pytest.skip("oidc-provider-mock (dev extra) is not installed", allow_module_level=True)

BOSS = {"sub": "u-1001", "email": "Boss@Example.go.th", "email_verified": True, "name": "Boss"}
UNVERIFIED = {"sub": "u-1002", "email": "somchai@example.go.th", "email_verified": False, "name": "Somchai?"}
STRANGER = "stranger@example.org"  # typed into the provider's form: it becomes sub and e-mail
TIMEOUT = 60_000
SIGNED_IN_AS = re.compile(r"เข้าสู่ระบบเป็น|Signed in as")


@pytest.fixture(scope="module")
def store(demo_db_session, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("oidc") / "store.duckdb"
    shutil.copy(demo_db_session, path)
    accounts.add_user("boss", "admin", email="boss@example.go.th", by="test", db=path)  # OIDC only: no password
    accounts.add_user("somchai", "council", scope="9303", email="somchai@example.go.th", by="test", db=path)
    return path


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with oidc_provider(tmp_path_factory.mktemp("idp"), users=[BOSS, UNVERIFIED]) as base:
        yield base


@pytest.fixture(scope="module")
def server(store, provider, tmp_path_factory):
    """The dashboard with three providers: ``phatthalung`` (the running provider), ``offline`` (nothing listens
    there) and ``halfdone`` (no client_secret)."""
    folder = tmp_path_factory.mktemp("server")
    port, nobody = free_port(), free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"

[auth.phatthalung]
client_id = "wellbeing-dashboard"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[auth.offline]
client_id = "wellbeing-dashboard"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "http://127.0.0.1:{nobody}/.well-known/openid-configuration"

[auth.halfdone]
client_id = "wellbeing-dashboard"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""", encoding="utf-8")
    with streamlit_server(store, folder, drop_env=("WELLBEING_REQUIRE_LOGIN",), port=port,
                          args=("--secrets.files", str(secrets_file))) as running:
        yield running


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    yield page
    context.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def _sign_in_page(page, base: str, lang: str = "th") -> None:
    page.goto(f"{base}/signin?lang={lang}", wait_until="domcontentloaded")
    page.get_by_role("button", name=re.compile("phatthalung")).wait_for(timeout=TIMEOUT)


def _through_provider(page, base: str, provider: str, choose) -> None:
    """Click the provider's button, answer its form with ``choose(page)``, and wait to be back on the dashboard."""
    page.get_by_role("button", name=re.compile("phatthalung")).click()
    page.wait_for_url(f"{provider}/oauth2/authorize**", timeout=TIMEOUT)
    choose(page)
    page.wait_for_url(re.compile(re.escape(base) + r"/(\?.*)?$"), timeout=TIMEOUT)


def _sidebar(page):
    return page.locator("[data-testid=stSidebar]")


def _sign_out(page, provider: str, base: str) -> None:
    _sidebar(page).get_by_role("button", name=re.compile("ออกจากระบบ|Sign out")).click()
    page.wait_for_url(f"{provider}/oauth2/end_session**", timeout=TIMEOUT)  # the provider's own sign-out
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/(\?.*)?$"), timeout=TIMEOUT)


def _user_cookie(page) -> list[str]:
    return [c["name"] for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]


def test_an_admin_signs_in_through_the_provider_gets_the_role_of_their_e_mail_and_signs_out(server, provider, page):
    base, log = server
    _sign_in_page(page, base)
    _through_provider(page, base, provider, lambda p: p.get_by_role("button", name=BOSS["sub"]).click())
    sidebar = _sidebar(page)
    sidebar.get_by_text("เข้าสู่ระบบเป็น boss (ผู้ดูแลระบบ)").wait_for(timeout=TIMEOUT)
    assert _user_cookie(page), "Streamlit keeps the identity in its signed cookie"
    sidebar.get_by_role("link", name=re.compile("ผู้ดูแลระบบ")).wait_for(timeout=TIMEOUT)

    # the identity outlives the session: a fresh page load (a new Streamlit session) is still the admin
    page.goto(f"{base}/admin", wait_until="domcontentloaded")
    page.get_by_role("heading", name="ผู้ดูแลระบบ").wait_for(timeout=TIMEOUT)
    page.get_by_role("tab").first.wait_for(timeout=TIMEOUT)
    _shot(page, "oidc_admin_signed_in.png")

    _sign_out(page, provider, base)
    assert not _user_cookie(page)
    # signed out for good: a fresh load is a viewer again (the admin page's link asks to sign in; no admin page)
    page.goto(f"{base}/admin", wait_until="domcontentloaded")
    page.get_by_text("ต้องเข้าสู่ระบบเพื่อ").first.wait_for(timeout=TIMEOUT)
    _shot(page, "oidc_admin_signed_out.png")
    assert page.get_by_role("heading", name="ผู้ดูแลระบบ").count() == 0
    _sign_in_page(page, base)
    page.get_by_label("ชื่อบัญชี").wait_for(timeout=TIMEOUT)
    assert not SIGNED_IN_AS.search(page.inner_text("body"))
    assert "Traceback" not in log.read_text(errors="replace")


def test_an_unknown_e_mail_can_only_view_and_signs_out(server, provider, page):
    base, _ = server

    def type_stranger(p):
        p.get_by_placeholder("sub").fill(STRANGER)
        p.get_by_role("button", name="Authorize").click()

    _sign_in_page(page, base, lang="en")
    _through_provider(page, base, provider, type_stranger)
    page.goto(f"{base}/signin?lang=en", wait_until="domcontentloaded")
    page.get_by_text(f"{STRANGER} is signed in but has no account here").first.wait_for(timeout=TIMEOUT)
    nav = _sidebar(page).inner_text()
    assert "Upload" not in nav and "Administration" not in nav
    page.goto(f"{base}/upload?lang=en", wait_until="domcontentloaded")
    page.get_by_text(f"{STRANGER} is signed in but has no account here").first.wait_for(timeout=TIMEOUT)
    assert page.locator("input[type=file]").count() == 0
    _shot(page, "oidc_unknown_viewer.png")

    page.goto(f"{base}/signin?lang=en", wait_until="domcontentloaded")
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_url(f"{provider}/oauth2/end_session**", timeout=TIMEOUT)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/(\?.*)?$"), timeout=TIMEOUT)
    assert not _user_cookie(page)
    _sign_in_page(page, base, lang="en")
    assert STRANGER not in page.inner_text("body")


def test_an_e_mail_the_provider_has_not_verified_gets_no_role(server, provider, page):
    base, _ = server
    _sign_in_page(page, base)
    _through_provider(page, base, provider, lambda p: p.get_by_role("button", name=UNVERIFIED["sub"]).click())
    page.goto(f"{base}/upload", wait_until="domcontentloaded")
    page.get_by_text("somchai@example.go.th เข้าสู่ระบบแล้ว แต่ยังไม่มีบัญชีในระบบนี้").first.wait_for(timeout=TIMEOUT)
    assert page.locator("input[type=file]").count() == 0
    assert not SIGNED_IN_AS.search(page.inner_text("body"))


def test_a_provider_that_is_down_or_half_configured_gets_a_message_not_an_error_page(server, page):
    base, log = server
    _sign_in_page(page, base)
    body = page.locator("body")
    # half configured: a message instead of a button
    page.get_by_text(re.compile(r"การเข้าสู่ระบบด้วย halfdone ยังตั้งค่าไม่ครบ.*client_secret")).wait_for(timeout=TIMEOUT)
    assert page.get_by_role("button", name=re.compile("halfdone")).count() == 0
    # down: the click stays on the dashboard and says so
    page.get_by_role("button", name=re.compile("offline")).click()
    page.get_by_text("ติดต่อผู้ให้บริการยืนยันตัวตน offline ไม่ได้ในขณะนี้").wait_for(timeout=TIMEOUT)
    assert page.url.startswith(base)
    text = body.inner_text()
    assert "Authentication error" not in text and "Traceback" not in text and "StreamlitAuthError" not in text
    page.get_by_label("ชื่อบัญชี").wait_for(timeout=TIMEOUT)  # local accounts still work
    _shot(page, "oidc_provider_down.png")

    page.goto(f"{base}/signin?lang=en", wait_until="domcontentloaded")
    page.get_by_role("button", name=re.compile("offline")).click()
    page.get_by_text("The identity provider offline cannot be reached just now").wait_for(timeout=TIMEOUT)
    assert "Traceback" not in log.read_text(errors="replace")
